"""report.xlsx: Summary first, then one sheet per tidy table.

Written with openpyxl in write-only mode (memory stays flat for large tables);
text from inputs is always a string cell with ``quotePrefix``, never a formula.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from model.report.csv_tables import TABLE_ORDER
from model.report.safe_text import is_dangerous

EXCEL_MAX_ROWS = 1_048_576
SHEET_TITLES = {"kpi_by_commodity": "KPI by commodity"}


def sheet_title(name: str) -> str:
    """Unique, readable sheet name of at most 31 characters."""
    return SHEET_TITLES.get(name, name.replace("_", " ").capitalize())[:31]


def text_cell(ws: object, text: str, bold: bool = False) -> WriteOnlyCell:
    """A string cell that Excel will never evaluate."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def value_cell(ws: object, value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return text_cell(ws, value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def write_frame(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    """One sheet: bold header, frozen first row, one row per frame row."""
    if len(frame) + 1 > EXCEL_MAX_ROWS:
        frame = frame.head(EXCEL_MAX_ROWS - 2)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    ws.append([text_cell(ws, str(c), bold=True) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([value_cell(ws, v) for v in row])


def write_report(tables: dict[str, pd.DataFrame], inputs: dict[str, pd.DataFrame],
                 run_info: dict[str, object], path: Path) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic)."""
    wb = Workbook(write_only=True)
    for name in TABLE_ORDER:
        write_frame(wb, sheet_title(name), tables[name])
    info = pd.DataFrame({"key": list(run_info), "value": [str(v) for v in
                                                          run_info.values()]})
    write_frame(wb, "Run info", info)
    for name, frame in inputs.items():
        write_frame(wb, f"in {name}"[:31], frame)
    wb.save(path)
