"""A workbook written in one pass and saved atomically: the one place that makes
and saves workbooks, for report.xlsx and compare.xlsx alike.

``write_book(path, fill)`` hands ``fill`` a fresh ``Sheets``; the workbook is
written to a temporary sibling file and moved into place only when complete, so a
failed or interrupted write leaves any earlier file untouched (and no temporary
file behind).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from model.files import atomic_path
from model.report.excel.cells import Sheets
from model.report.excel.writer import Book


def write_book(path: Path, fill: Callable[[Sheets], None]) -> None:
    """Fill a new workbook and save it to ``path`` atomically."""
    with atomic_path(Path(path), suffix=".xlsx") as temp:
        book = Book(temp)
        try:
            fill(Sheets(book))
            book.close()
        except BaseException:  # an interrupt half-way through the save included
            book.discard()
            raise
