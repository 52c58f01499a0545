"""sweep.xlsx: percentiles, distributions and tornado as native Excel charts,
failures, the drawn samples and the uncertainty table.

Every number is a plain cell and every chart reads its cells, so the workbook is
both readable and checkable. Text that came from inputs is written inert (never a
formula), as in report.xlsx.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from model.report.safe_text import is_dangerous
from model.sweep import stats
from model.sweep.worker import ALL, HEADLINES

HEADLINE_TITLES = {"cost_premium_usd": "Cost premium (USD)",
                   "shortfall_t": "Shortfall (t)",
                   "self_sufficient_year": "Self-sufficient year"}
BLOCK_GAP = 2
CHART_ROWS = 16


def write_sweep_report(records: pd.DataFrame, inputs: pd.DataFrame,
                       failures: pd.DataFrame, info: dict[str, object],
                       path: Path) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic)."""
    wb = Workbook()
    wb.remove(wb.active)
    draws = dict(zip(inputs["column"], inputs["label"], strict=True))
    write_table(wb.create_sheet("Percentiles"), stats.percentiles(records))
    _distributions(wb.create_sheet("Distributions"), records)
    _tornado(wb.create_sheet("Tornado"), stats.tornado(records, draws))
    write_table(wb.create_sheet("Failures"), failures)
    write_table(wb.create_sheet("Samples"), _samples(records, draws))
    write_table(wb.create_sheet("Uncertainty"), inputs)
    write_table(wb.create_sheet("Run info"), pd.DataFrame(
        {"key": list(info), "value": [str(v) for v in info.values()]}))
    wb.save(path)


def write_table(ws: Worksheet, frame: pd.DataFrame, row: int = 1, col: int = 1,
                title: str = "") -> int:
    """Write ``frame`` with a bold header at (row, col); return the next free row."""
    if title:
        _put(ws, row, col, title, bold=True)
        row += 1
    for j, name in enumerate(frame.columns):
        _put(ws, row, col + j, str(name), bold=True)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(values):
            _put(ws, row + i, col + j, value)
    if row == 1:
        ws.freeze_panes = "A2"
    return row + len(frame) + 1


def _put(ws: Worksheet, row: int, col: int, value: object, bold: bool = False) -> None:
    if value is None or value is pd.NA or (isinstance(value, float)
                                           and not math.isfinite(value)):
        return
    if hasattr(value, "item"):
        value = value.item()
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = is_dangerous(value)
    if bold:
        cell.font = Font(bold=True)


def _distributions(ws: Worksheet, records: pd.DataFrame) -> None:
    """One histogram table and column chart per scenario and headline."""
    row = 1
    for scenario in dict.fromkeys(records["scenario"]):
        for headline in HEADLINES:
            table = stats.histogram(records, scenario, headline)
            title = f"{scenario}: {HEADLINE_TITLES[headline]}"
            end = write_table(ws, table, row, 1, title)
            chart = _bar_chart(ws, title, row + 1, end - 1, "col", "samples")
            ws.add_chart(chart, f"D{row}")
            row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _tornado(ws: Worksheet, frame: pd.DataFrame) -> None:
    """One ranked table and horizontal bar chart per scenario and headline."""
    row = 1
    for (scenario, headline), group in frame.groupby(["scenario", "headline"],
                                                     sort=False):
        table = group[["input", "spearman_rho"]]
        title = f"{scenario}: {HEADLINE_TITLES[headline]} (Spearman rank correlation)"
        end = write_table(ws, table, row, 1, title)
        if len(table):
            chart = _bar_chart(ws, title, row + 1, end - 1, "bar", "rho")
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = -1, 1
            chart.x_axis.scaling.orientation = "maxMin"
            ws.add_chart(chart, f"D{row}")
        row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _bar_chart(ws: Worksheet, title: str, header_row: int, last_row: int, kind: str,
               y_title: str) -> BarChart:
    chart = BarChart()
    chart.type = kind
    chart.title = title
    chart.legend = None
    chart.y_axis.title = y_title
    chart.height, chart.width = 7.5, 16
    data = Reference(ws, min_col=2, min_row=header_row, max_row=max(last_row,
                                                                    header_row + 1))
    cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=max(
        last_row, header_row + 1))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    return chart


def _samples(records: pd.DataFrame, draws: dict[str, str]) -> pd.DataFrame:
    """One row per sample: its drawn values and each scenario's headline status."""
    totals = records[records["commodity"] == ALL]
    per_sample = totals.drop_duplicates("sample")[["sample", *draws]].rename(
        columns=draws)
    return per_sample.sort_values("sample").reset_index(drop=True)
