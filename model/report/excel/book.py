"""A workbook of the study commands (``reroute hedge``, ``reroute frontier``):
a first sheet of text and small tables, native charts, then the tidy tables as
Excel Tables, written atomically like report.xlsx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from model.files import atomic_path
from model.report.excel import discard
from model.report.excel.cells import Rows, Sheets
from model.report.excel.charts import XYBook
from model.report.excel.tables import write_plain

FIRST_WIDTHS = (30, 18, 18, 18, 18, 18, 18, 18)


def write_book(path: Path, title: str, first: Callable[[Rows], None],
               charts: Callable[[XYBook], None],
               tables: dict[str, pd.DataFrame]) -> None:
    """Sheet ``title`` (``first`` writes it), Charts (``charts`` adds them, their
    numbers on Chart data, the last sheet), then one sheet per table."""
    wb = Workbook(write_only=True)
    try:
        sheets = Sheets(wb)
        first(Rows(sheets.new(title, FIRST_WIDTHS)))
        book = XYBook(sheets.new("Charts"), sheets.new("Chart data", FIRST_WIDTHS))
        charts(book)
        for name, frame in tables.items():
            write_plain(sheets, f"data_{name}", frame, f"data_{name}")
        wb.move_sheet("Chart data", len(wb.sheetnames) - 1
                      - wb.sheetnames.index("Chart data"))
        with atomic_path(Path(path), suffix=".xlsx") as temp:
            wb.save(temp)
    except BaseException:
        discard(wb)
        raise
