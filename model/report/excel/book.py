"""A workbook written in one pass and saved atomically: the one place that makes
and saves workbooks, for report.xlsx and compare.xlsx alike.

``write_book(path, fill)`` hands ``fill`` a fresh ``Sheets``; the workbook is
written to a temporary sibling file and moved into place only when complete, so a
failed or interrupted write leaves any earlier file untouched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from model.files import atomic_path
from model.report.excel.cells import Sheets


def write_book(path: Path, fill: Callable[[Sheets], None]) -> None:
    """Fill a new write-only workbook and save it to ``path`` atomically."""
    wb = Workbook(write_only=True)
    try:
        fill(Sheets(wb))
        with atomic_path(Path(path), suffix=".xlsx") as temp:
            wb.save(temp)
    except BaseException:  # an interrupt half-way through the save included
        discard(wb)
        raise


def discard(wb: Workbook) -> None:
    """Close and delete the temporary files of a workbook that will not be saved.

    Each sheet not yet saved holds two suspended generators: its rows, writing into
    its writer's stream, which holds the open temporary file. Left to the garbage
    collector, they are finalised in any order, and rows closed after their file
    print "Exception ignored ... ValueError: I/O operation on closed file";
    ``close`` ends them in order (rows, then stream) before the files go.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(OSError):
            writer.cleanup()
