"""A workbook of the study commands (``reroute hedge``, ``reroute frontier``):
a first sheet of text and small tables, native charts, then the tidy tables as
Excel Tables, written atomically like report.xlsx (``book.write_book``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from model.report.excel.book import write_book
from model.report.excel.cells import Rows, Sheets
from model.report.excel.charts import XYBook
from model.report.excel.tables import write_plain

FIRST_WIDTHS = (30, 18, 18, 18, 18, 18, 18, 18)


def write_study_book(path: Path, title: str, first: Callable[[Rows], None],
                     charts: Callable[[XYBook], None],
                     tables: dict[str, pd.DataFrame]) -> None:
    """Sheet ``title`` (``first`` writes it), Charts (``charts`` adds them, their
    numbers on Chart data, the last sheet), then one sheet per table."""

    def fill(sheets: Sheets) -> None:
        first(Rows(sheets.new(title, FIRST_WIDTHS)))
        chart_sheet = sheets.new("Charts")
        for name, frame in tables.items():
            write_plain(sheets, f"data_{name}", frame, f"data_{name}")
        charts(XYBook(chart_sheet, sheets.new("Chart data", FIRST_WIDTHS)))

    write_book(Path(path), fill)


__all__ = ["write_study_book"]
