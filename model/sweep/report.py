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

from model.report.excel.cells import FONT, storable
from model.report.excel.writer import Alignment, Book, Cell, Chart, Font, Sheet
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
    book = Book(path)
    draws = dict(zip(inputs["column"], map(readable_input, inputs["label"]),
                     strict=True))
    percentiles = stats.percentiles(records)
    _summary(book.add_sheet("Summary"), percentiles, end_year)
    _percentiles(book.add_sheet("Percentiles"), percentiles)
    _distributions(book.add_sheet("Distributions"), records)
    _tornado(book.add_sheet("Tornado"), stats.tornado(records, draws))
    write_table(book.add_sheet("Failures"), failures)
    write_table(book.add_sheet("Samples"), _samples(records, draws))
    write_table(book.add_sheet("Uncertainty"), inputs)
    write_table(book.add_sheet("Run info"), pd.DataFrame(
        {"key": list(info), "value": [str(v) for v in info.values()]}))
    book.close()


def write_table(ws: Sheet, frame: pd.DataFrame, row: int = 1, col: int = 1,
                title: str = "", fmt: str | None = None,
                formats: dict[int, str | None] | None = None,
                row_formats: list[str] | None = None, right: bool = False) -> int:
    """Write ``frame`` with a bold header at (row, col), 1-based; return the next
    free row. Numbers take ``fmt``, or their column's (``formats``, 0-based
    column of the frame) or row's (``row_formats``) format; ``right`` aligns the
    header and text of the value columns (all but the first) right."""
    if title:
        _put(ws, row, col, title, bold=True)
        row += 1
    for j, name in enumerate(frame.columns):
        _put(ws, row, col + j, str(name), bold=True, right=right and j > 0)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(values):
            cell_fmt = formats[j] if formats and j in formats else (
                row_formats[i - 1] if row_formats else fmt)
            _put(ws, row + i, col + j, value, fmt=cell_fmt, right=right and j > 0)
    if row == 1:
        ws.freeze("A2")
    return row + len(frame) + 1


def _put(ws: Sheet, row: int, col: int, value: object, bold: bool = False,
         fmt: str | None = None, right: bool = False) -> None:
    if value is None or value is pd.NA or (isinstance(value, float)
                                           and not math.isfinite(value)):
        return
    if hasattr(value, "item"):
        value = value.item()
    font = BOLD if bold else PLAIN
    if isinstance(value, str):
        cell = Cell(storable(value), "s", None, font, None, RIGHT if right else None,
                    is_dangerous(value))
    else:
        number = fmt if isinstance(value, int | float) and not isinstance(
            value, bool) else None
        cell = Cell(value, "n", number, font)
    ws.put(row - 1, col - 1, cell)


def _summary(ws: Sheet, percentiles: pd.DataFrame, end_year: int | None) -> None:
    """P10, P50 and P90 of the headline metrics per scenario: a table and a bar
    chart (three bars per scenario) for each metric; landscape, one page wide."""
    ws.landscape_fit_width()
    never = never_text(end_year)
    totals = percentiles[percentiles["commodity"] == "all"]
    _put(ws, 1, 1, "P10 / P50 / P90 over the samples, per scenario (premiums against "
         "each scenario's comparator in the same sample)", bold=True)
    ws.widths([22, 11, 11, 11, 11])
    row = 3
    for metric in SUMMARY_METRICS:
        table = totals[totals["metric"] == metric][["scenario", "p10", "p50", "p90"]]
        if table.empty:
            continue
        table = table.rename(columns={"p10": "P10", "p50": "P50", "p90": "P90"})
        if metric in stats.YEAR_METRICS:
            table = table.astype(object).where(table.notna(), never)
        title = headline_title(metric)
        end = write_table(ws, table, row, 1, title, fmt=metric_format(metric),
                          right=True)
        chart = _bar_chart(ws, title, row + 1, end - 1, "column", title, last_col=4)
        chart.legend = "bottom"
        for series, colour in zip(chart.series, BAR_COLOURS, strict=False):
            series.colour = colour
        chart.y_format = metric_format(metric)
        ws.add_chart(chart, f"G{row}")
        row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _percentiles(ws: Sheet, frame: pd.DataFrame) -> None:
    """The percentile table, each row in its metric's number format."""
    ws.landscape_fit_width()
    formats = [metric_format(m) for m in frame["metric"]]
    numbers = {"p10", "p50", "p90", "mean"}
    columns = {j: None for j, c in enumerate(frame.columns) if c not in numbers}
    write_table(ws, frame, formats=columns, row_formats=formats)
    ws.widths((18, 12, 28, 12, 12, 12, 12, 10, 9, 8, 38))


def _distributions(ws: Sheet, records: pd.DataFrame) -> None:
    """One histogram table and column chart per scenario and headline."""
    row = 1
    ws.landscape_fit_width()
    ws.widths([26])
    for scenario in dict.fromkeys(records["scenario"]):
        for headline in (h for h in HEADLINES if h in records.columns):
            table = stats.histogram(records, scenario, headline)
            title = f"{scenario}: {headline_title(headline)}"
            end = write_table(ws, table, row, 1, title)
            chart = _bar_chart(ws, title, row + 1, end - 1, "column", "samples")
            ws.add_chart(chart, f"D{row}")
            row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _tornado(ws: Sheet, frame: pd.DataFrame) -> None:
    """One ranked table and horizontal bar chart per scenario and headline: the
    swing in the headline's unit (the Spearman correlation beside it)."""
    row = 1
    ws.landscape_fit_width()
    ws.widths([46, 14, 12])
    for (scenario, headline), group in frame.groupby(["scenario", "headline"],
                                                     sort=False):
        unit = headline_title(headline)
        table = group[["input", "swing", "spearman_rho"]].rename(columns={
            "swing": "swing", "spearman_rho": "Spearman rho"})
        title = (f"{scenario}: {unit}: swing from the input's bottom third to its "
                 "top third")
        end = write_table(ws, table, row, 1, title,
                          formats={1: metric_format(headline), 2: "0.00"})
        if len(table):
            chart = _bar_chart(ws, f"{scenario}: {unit}", row + 1, end - 1, "bar",
                               unit)
            chart.reverse_categories = True  # largest swing on top
            chart.labels_low = True  # input names left of negative bars
            chart.y_format = metric_format(headline)
            chart.width_cm = 22
            ws.add_chart(chart, f"E{row}")
        row = max(end, row + CHART_ROWS) + BLOCK_GAP


def _bar_chart(ws: Sheet, title: str, header_row: int, last_row: int, kind: str,
               y_title: str, last_col: int = 2) -> Chart:
    """Bars of columns 2..last_col of rows header_row..last_row (1-based)."""
    chart = Chart(kind, title=title, y_title=y_title, legend=None, height_cm=7.5,
                  width_cm=16)
    chart.add_columns(ws.title, header_row - 1, max(last_row, header_row + 1) - 1,
                      1, last_col - 1)
    return chart


def _samples(records: pd.DataFrame, draws: dict[str, str]) -> pd.DataFrame:
    """One row per sample: its drawn values and each scenario's headline status."""
    totals = records[records["commodity"] == ALL]
    per_sample = totals.drop_duplicates("sample")[["sample", *draws]].rename(
        columns=draws)
    return per_sample.sort_values("sample").reset_index(drop=True)
