"""sweep.xlsx: a Summary of P10/P50/P90 bars per scenario for the headline metrics,
percentiles, distributions and tornado (swing in output units) as native Excel
charts, failures, the drawn samples and the uncertainty table.

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
from openpyxl.chart.legend import Legend
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from model.report.excel.cells import FONT
from model.report.safe_text import is_dangerous
from model.results.headline import never_text
from model.sweep import stats
from model.sweep.worker import ALL, HEADLINES

BLOCK_GAP = 2
CHART_ROWS = 16
BOLD, PLAIN = Font(name=FONT, bold=True), Font(name=FONT)
RIGHT = Alignment(horizontal="right")
SUMMARY_METRICS = ("full_cost_premium_pct", "delivered_cost_premium_pct",
                   "cost_premium_pct", "unmet_share_pct", "mostly_met_year")
FORMATS = {"usd": '#,##0.00,,,;-#,##0.00,,,', "pct": "+0.0;-0.0;0.0", "t": "#,##0",
           "year": "0"}
BAR_COLOURS = ("9DC3E6", "1F4E79", "9DC3E6")  # P10, P50, P90
FIELD_WORDS = {"demand": "Demand x", "capex": "Capex x",
               "variable_cost": "Variable cost x", "capacity": "Capacity x",
               "route_cost": "Freight x", "penalty": "Shortfall penalty x",
               "lead_time": "Lead time + years"}


def readable_input(label: str) -> str:
    """'r3 lead_time separation alliance [embargo]' → 'Lead time + years:
    separation, alliance (embargo; row 3)'."""
    scenario = ""
    if label.endswith("]") and " [" in label:
        label, scenario = label[:-1].split(" [", 1)
    words = label.split()
    row = words[0][1:] if words and words[0].startswith("r") else ""
    field = FIELD_WORDS.get(words[1], words[1]) if len(words) > 1 else label
    where = ", ".join(words[2:])
    tail = "; ".join(p for p in (scenario, f"row {row}" if row else "") if p)
    return f"{field}{': ' + where if where else ' (all)'}" + (f" ({tail})" if tail
                                                                 else "")


def headline_title(metric: str) -> str:
    return stats.metric_label(metric)


def metric_format(metric: str) -> str:
    """Signed for premiums; otherwise by the metric's unit."""
    unit = stats.METRIC_LABELS.get(metric, ("", ""))[1]
    if unit == "pct" and "premium" not in metric:
        return "0.0"
    return FORMATS.get(unit, "0.00")


def write_sweep_report(records: pd.DataFrame, inputs: pd.DataFrame,
                       failures: pd.DataFrame, info: dict[str, object],
                       path: Path, end_year: int | None = None) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic)."""
    wb = Workbook()
    wb.remove(wb.active)
    draws = dict(zip(inputs["column"], map(readable_input, inputs["label"]),
                     strict=True))
    percentiles = stats.percentiles(records)
    _summary(wb.create_sheet("Summary"), percentiles, end_year)
    _percentiles(wb.create_sheet("Percentiles"), percentiles)
    _distributions(wb.create_sheet("Distributions"), records)
    _tornado(wb.create_sheet("Tornado"), stats.tornado(records, draws))
    write_table(wb.create_sheet("Failures"), failures)
    write_table(wb.create_sheet("Samples"), _samples(records, draws))
    write_table(wb.create_sheet("Uncertainty"), inputs)
    write_table(wb.create_sheet("Run info"), pd.DataFrame(
        {"key": list(info), "value": [str(v) for v in info.values()]}))
    wb.save(path)


def write_table(ws: Worksheet, frame: pd.DataFrame, row: int = 1, col: int = 1,
                title: str = "", fmt: str | None = None) -> int:
    """Write ``frame`` with a bold header at (row, col); return the next free row.
    ``fmt`` is the number format of its numbers."""
    if title:
        _put(ws, row, col, title, bold=True)
        row += 1
    for j, name in enumerate(frame.columns):
        _put(ws, row, col + j, str(name), bold=True)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(values):
            _put(ws, row + i, col + j, value, fmt=fmt)
    if row == 1:
        ws.freeze_panes = "A2"
    return row + len(frame) + 1


def _put(ws: Worksheet, row: int, col: int, value: object, bold: bool = False,
         fmt: str | None = None) -> None:
    if value is None or value is pd.NA or (isinstance(value, float)
                                           and not math.isfinite(value)):
        return
    if hasattr(value, "item"):
        value = value.item()
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = is_dangerous(value)
    elif fmt is not None and isinstance(value, int | float) and not isinstance(
            value, bool):
        cell.number_format = fmt
    cell.font = BOLD if bold else PLAIN


def _summary(ws: Worksheet, percentiles: pd.DataFrame, end_year: int | None) -> None:
    """P10, P50 and P90 of the headline metrics per scenario: a table and a bar
    chart (three bars per scenario) for each metric; landscape, one page wide."""
    _landscape(ws)
    never = never_text(end_year)
    totals = percentiles[percentiles["commodity"] == "all"]
    _put(ws, 1, 1, "P10 / P50 / P90 over the samples, per scenario (premiums against "
         "each scenario's comparator in the same sample)", bold=True)
    ws.column_dimensions["A"].width = 22
    for column in "BCDE":
        ws.column_dimensions[column].width = 11
    row = 3
    for metric in SUMMARY_METRICS:
        table = totals[totals["metric"] == metric][["scenario", "p10", "p50", "p90"]]
        if table.empty:
            continue
        table = table.rename(columns={"p10": "P10", "p50": "P50", "p90": "P90"})
        title = headline_title(metric)
        end = write_table(ws, table, row, 1, title, fmt=metric_format(metric))
        for c in range(2, 5):
            ws.cell(row + 1, c).alignment = RIGHT
            if metric in stats.YEAR_METRICS:
                for r in range(row + 2, end):
                    if ws.cell(r, c).value is None:
                        ws.cell(r, c).value = never
                        ws.cell(r, c).alignment = RIGHT
        chart = _bar_chart(ws, title, row + 1, end - 1, "col", title, last_col=4)
        chart.legend = Legend()
        chart.legend.position = "b"
        for series, colour in zip(chart.series, BAR_COLOURS, strict=False):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        chart.y_axis.number_format = metric_format(metric)
        ws.add_chart(chart, f"G{row}")
        row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _landscape(ws: Worksheet) -> None:
    """Print landscape, one page wide: tables and their charts side by side."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _percentiles(ws: Worksheet, frame: pd.DataFrame) -> None:
    """The percentile table, each row in its metric's number format."""
    _landscape(ws)
    write_table(ws, frame)
    formats = [metric_format(m) for m in frame["metric"]]
    for i, fmt in enumerate(formats, start=2):
        for column in range(4, 8):  # p10, p50, p90, mean
            ws.cell(i, column).number_format = fmt
    for column, width in zip("ABCDEFGHIJK", (18, 12, 28, 12, 12, 12, 12, 10, 9, 8,
                                             38), strict=True):
        ws.column_dimensions[column].width = width


def _distributions(ws: Worksheet, records: pd.DataFrame) -> None:
    """One histogram table and column chart per scenario and headline."""
    row = 1
    _landscape(ws)
    ws.column_dimensions["A"].width = 26
    for scenario in dict.fromkeys(records["scenario"]):
        for headline in (h for h in HEADLINES if h in records.columns):
            table = stats.histogram(records, scenario, headline)
            title = f"{scenario}: {headline_title(headline)}"
            end = write_table(ws, table, row, 1, title)
            chart = _bar_chart(ws, title, row + 1, end - 1, "col", "samples")
            ws.add_chart(chart, f"D{row}")
            row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _tornado(ws: Worksheet, frame: pd.DataFrame) -> None:
    """One ranked table and horizontal bar chart per scenario and headline: the
    swing in the headline's unit (the Spearman correlation beside it)."""
    row = 1
    _landscape(ws)
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 12
    for (scenario, headline), group in frame.groupby(["scenario", "headline"],
                                                     sort=False):
        unit = headline_title(headline)
        table = group[["input", "swing", "spearman_rho"]].rename(columns={
            "swing": "swing", "spearman_rho": "Spearman rho"})
        title = (f"{scenario}: {unit}: swing from the input's bottom third to its "
                 "top third")
        end = write_table(ws, table, row, 1, title)
        for r in range(row + 2, end):
            ws.cell(r, 2).number_format = metric_format(headline)
            ws.cell(r, 3).number_format = "0.00"
        if len(table):
            chart = _bar_chart(ws, f"{scenario}: {unit}", row + 1, end - 1, "bar",
                               unit)
            chart.x_axis.scaling.orientation = "maxMin"
            chart.x_axis.tickLblPos = "low"  # input names left of negative bars
            chart.y_axis.number_format = metric_format(headline)
            chart.width = 22
            ws.add_chart(chart, f"E{row}")
        row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _bar_chart(ws: Worksheet, title: str, header_row: int, last_row: int, kind: str,
               y_title: str, last_col: int = 2) -> BarChart:
    chart = BarChart()
    chart.type = kind
    chart.title = title
    chart.legend = None
    chart.y_axis.title = y_title
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.height, chart.width = 7.5, 16
    data = Reference(ws, min_col=2, max_col=last_col, min_row=header_row,
                     max_row=max(last_row, header_row + 1))
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
