"""The Summary's first screen: one landscape page (A4 or Letter) at 9 pt.

Three questions for every scenario — what it costs (full-cost, delivered-cost and
supply-cost premiums side by side), how long it takes (share of demand value met
per year, as a row and a chart; worst year; mostly-met and strict self-sufficient
years) and how much goes short (by value and by product group) — then a caveat per
scenario that goes short and the assumptions that move the answer. The print area
is exactly this block, printed at 100 %, so the page count of its PDF tells whether
it fits (tests/report/test_first_screen.py).
"""

from __future__ import annotations

import math
import textwrap
from datetime import UTC, datetime

import pandas as pd

from model.report.excel.cells import (
    FONT,
    HEADER_FILL,
    WARNING_FILL,
    Rows,
    number_cell,
    text_cell,
)
from model.report.excel.charts import paint
from model.report.excel.data import ReportData
from model.report.excel.writer import (
    CM_PER_PX,
    Alignment,
    Chart,
    Font,
    PatternFill,
    Ref,
    Series,
    Sheet,
    column_letter,
    column_px,
    row_px,
)
from model.results.headline import never_text

SIZE = 9  # pt: the smallest font on the page
BODY = Font(name=FONT, size=SIZE)
BODY_BOLD = Font(name=FONT, size=SIZE, bold=True)
HEAD = Font(name=FONT, size=11, bold=True, color="1F3864")
TITLE = Font(name=FONT, size=14, bold=True)
RED = Font(name=FONT, size=SIZE, color="9C0006")
FMT_SIGNED = '+0.0;-0.0;0.0'
FMT_PCT = "0.0"
FMT_MET = "0"
NAME_WIDTH, SECOND_WIDTH, GRID_WIDTH = 15.5, 9.0, 5.5
ROW_HEIGHT = 11.5  # pt, for 9 pt text
CAVEAT_WIDTH = 84  # characters of a caveat line (left of the chart)
TEXT_WIDTH = 150  # characters of an assumption line (full width)
CHART_COLUMN = 10  # the chart sits right of the caveats, from column J
CHART_ROWS = 12
SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")
DEEP_FILL = PatternFill("solid", fgColor="E06666")
MET_TOLERANCE = 99.5  # % of value met: below it a year cell is shaded
RIGHT = Alignment(horizontal="right")


def widths(n_years: int) -> list[float]:
    """Column widths: scenario, comparator, then a grid that holds the years."""
    return [NAME_WIDTH, SECOND_WIDTH] + [GRID_WIDTH] * max(n_years, 16)


def groups(data: ReportData) -> list[str]:
    """Product groups with demand, largest demand value first (at most two)."""
    table = data.table("kpi_by_group")
    if table.empty:
        return []
    first = table[table["scenario"] == (data.baseline or data.scenarios[0])]
    first = first[first["demand_t"] > 0].sort_values("demand_value_usd",
                                                     ascending=False, kind="stable")
    return [str(g) for g in first["group"]][:2]


def group_label(group: str) -> str:
    return {"magnet": "Magnets", "oxide": "Oxides", "metal": "Metals",
            "alloy": "Alloys"}.get(group, group.capitalize())


def write(rows: Rows, data: ReportData, status: tuple[str, bool]) -> None:
    """The first screen, from row 1; sets the print area to exactly it."""
    ws = rows.ws
    ws.page(9, (0.3, 0.3, 0.35, 0.35), 0.2)  # A4 landscape at 100 %
    ws.default_row_height(ROW_HEIGHT)
    ws.row_height(1, 20)
    info = data.run_info
    rows.text(f"Reroute: what losing China costs, how long, how much goes short — "
              f"case {info.get('case', '')}", TITLE)
    written = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text, bad = status
    if not bad:
        text = f"all {len(data.scenarios)} scenarios solved to optimality"
    rows.append([text_cell(ws, f"Input hash {str(info.get('input_hash', ''))[:12]} · "
                           f"run {written} · {text}", RED if bad else BODY,
                           WARNING_FILL if bad else None)])
    rows.append()
    headline_table(rows, data)
    rows.append()
    first_met = time_path_table(rows, data)
    rows.append()
    chart_row = rows.row + 1
    lines(rows, "Read with care", caveats(data), CAVEAT_WIDTH)
    _chart(ws, data, first_met, chart_row)
    while rows.row < chart_row + CHART_ROWS:
        rows.append()
    lines(rows, "Assumptions that move the answer", assumptions(data), TEXT_WIDTH)
    last = rows.row
    ws.print_area(f"A1:{column_letter(len(widths(len(data.years))))}{last}")


# ------------------------------------------------------------------ headline table

# Each metric takes two grid columns: its value and its header lines sit in the
# right one, right-aligned, so text runs left into the empty left one (and the
# comparator's name runs right into it).
HEADLINE = [  # (header lines, summary column, number format, grid cells)
    (("Full-cost", "premium", "(%)"), "full_cost_premium_pct", FMT_SIGNED, 2),
    (("Delivered-", "cost premium", "(%)"), "delivered_cost_premium_pct", FMT_SIGNED,
     2),
    (("Supply-cost", "premium", "(%)"), "cost_premium_pct", FMT_SIGNED, 2),
    (("Worst year", "(% of value", "unmet)"), "worst_year", "worst", 2),
    (("Mostly met", "({tol} of", "value) from"), "mostly_met_year", "year", 2),
    (("All demand", "met (strict)", "from"), "self_sufficient_year", "year", 2),
]


def headline_columns(data: ReportData
                     ) -> list[tuple[tuple[str, ...], str, str, int]]:
    """The headline metrics, then one per product group (% of its tonnes unmet)."""
    tol = f"{data.settings.mostly_met_tolerance:.0%}".replace("%", " %")
    cols = [(tuple(h.format(tol=tol) for h in header), c, f, n)
            for header, c, f, n in HEADLINE]
    for group in groups(data):
        cols.append(((group_label(group), "unmet", "(% of t)"), f"group:{group}",
                     FMT_PCT, 2))
    return cols


def headline_table(rows: Rows, data: ReportData) -> None:
    ws = rows.ws
    rows.text("Cost, time and shortfall per scenario (premiums against the scenario "
              "under 'Compared with')", HEAD)
    columns = headline_columns(data)
    for line in range(3):
        left = (["Scenario", "Compared with"] if line == 2 else ["", ""])
        cells = [text_cell(ws, t, BODY_BOLD, HEADER_FILL) for t in left]
        for header, _, _, span in columns:
            cells += [text_cell(ws, "", BODY, HEADER_FILL) for _ in range(span - 1)]
            cells.append(text_cell(ws, header[line], BODY_BOLD, HEADER_FILL, RIGHT))
        rows.append(cells)
    for scenario in data.scenarios:
        base = scenario == data.baseline
        cells = [text_cell(ws, scenario, BODY_BOLD),
                 text_cell(ws, "—" if base else str(
                     data.summary_row(scenario).get("compare_to", "")), BODY)]
        for _, column, fmt, span in columns:
            cells += [None] * (span - 1)
            cells.append(_headline_cell(ws, data, scenario, column, fmt))
        rows.append(cells)


def _headline_cell(ws: object, data: ReportData, scenario: str, column: str,
                   fmt: str) -> object:
    row = data.summary_row(scenario)
    if row["status"] != "optimal":
        return text_cell(ws, "not solved", BODY, align=RIGHT)
    if column.startswith("group:"):
        value = data.group_value(scenario, column.split(":", 1)[1], "shortfall_pct")
        return number_cell(ws, value, fmt, BODY)
    value = row.get(column)
    if fmt == "year":
        if value is None or pd.isna(value):
            return text_cell(ws, never_text(data.years[-1]), RED, align=RIGHT)
        return number_cell(ws, int(value), "0", BODY)
    if fmt == "worst":
        if value is None or pd.isna(value):
            return text_cell(ws, "none", BODY, align=RIGHT)
        share = float(row["worst_year_unmet_share_pct"])
        return text_cell(ws, f"{int(value)} ({share:.0f} %)", BODY, align=RIGHT)
    if scenario == data.baseline:
        return text_cell(ws, "—", BODY, align=RIGHT)
    return number_cell(ws, value, fmt, BODY)


# ------------------------------------------------------------------ time path


def time_path_table(rows: Rows, data: ReportData) -> int:
    """% of demand value met per year, a row per scenario; returns the header row."""
    ws = rows.ws
    rows.text("Share of demand value met each year (%, at reference prices; shaded "
              f"below {MET_TOLERANCE:g} %)", HEAD)
    header = rows.append([text_cell(ws, "Scenario", BODY_BOLD, HEADER_FILL),
                          text_cell(ws, f"{data.years[0]}–{data.years[-1]}", BODY_BOLD,
                                    HEADER_FILL, RIGHT)]
                         + [number_cell(ws, y, "0", BODY_BOLD) for y in data.years])
    met = data.value_met()
    for scenario in data.scenarios:
        horizon = 100.0 - float(data.summary_row(scenario).get("unmet_share_pct",
                                                                math.nan))
        cells = [text_cell(ws, scenario, BODY_BOLD), number_cell(ws, horizon,
                                                                 FMT_PCT, BODY)]
        for year in data.years:
            value = met.get((scenario, year), math.nan)
            cell = number_cell(ws, value, FMT_MET, BODY)
            if isinstance(value, float) and value < MET_TOLERANCE:
                cell.fill = DEEP_FILL if value < 50 else SHORT_FILL
            cells.append(cell)
        rows.append(cells)
    return header


def _chart(ws: Sheet, data: ReportData, header: int, anchor_row: int) -> None:
    """Line chart of the time-path rows (one series per scenario): names in column
    A, values from column C (B is the whole horizon, not a year), the years of the
    header row as categories."""
    chart = Chart("line", y_title="% met", y_format="0", x_format="0", y_min=0,
                  y_max=100, legend="right", tick_skip=5)
    last_col = 2 + len(data.years) - 1  # 0-based
    years = Ref(ws.title, header - 1, 2, header - 1, last_col)
    for i, _ in enumerate(data.scenarios):
        row = header + i  # 0-based row of scenario i
        chart.series.append(Series(values=Ref(ws.title, row, 2, row, last_col),
                                   name=Ref(ws.title, row, 0, row, 0),
                                   categories=years))
    paint(chart, data.scenarios, data.scenarios, line=True)
    chart.width_cm = 9 * column_px(GRID_WIDTH) * CM_PER_PX  # columns J to R
    chart.height_cm = (CHART_ROWS + 1) * row_px(ROW_HEIGHT) * CM_PER_PX
    ws.add_chart(chart, f"{column_letter(CHART_COLUMN)}{anchor_row}")


# ------------------------------------------------------------------ words


def lines(rows: Rows, title: str, paragraphs: list[str], width: int) -> None:
    """A heading and its paragraphs, each wrapped to ``width`` characters."""
    rows.text(title, HEAD)
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, width, subsequent_indent="   "):
            rows.text(line, BODY)


def caveats(data: ReportData) -> list[str]:
    """One line for every scenario with a shortfall (whatever its premium)."""
    out = []
    for scenario in data.scenarios:
        row = data.summary_row(scenario)
        if row["status"] != "optimal" or float(row["shortfall_t"]) <= 0:
            continue
        short = ", ".join(
            f"{data.group_value(scenario, g, 'shortfall_t') / 1e3:,.0f} kt of "
            f"{group_label(g).lower()}" for g in groups(data))
        out.append(f"{scenario}: {float(row['unmet_share_pct']):.1f} % of demand "
                   f"value unmet ({short}); its supply-cost premium "
                   f"{float(row['cost_premium_pct']):+.1f} % leaves that out.")
    return out or ["Every scenario meets all demand."]


def assumptions(data: ReportData) -> list[str]:
    """Discount rate, penalty rule, foresight and the case's weakest numbers."""
    settings = data.settings
    rate, tolerance = settings.discount_rate, settings.mostly_met_tolerance
    strict, weakest = settings.shortfall_tolerance, settings.weakest_numbers
    return [
        f"Money discounted at {rate:.0%} a year to {data.years[0]}; premiums are "
        "against the comparator's same measure.",
        f"Unmet demand valued at the shortfall penalty, {penalty_rule(data)}: the "
        "full-cost premium grows with it; the delivered-cost premium does not use it.",
        foresight_line(settings.foresight),
        f"Mostly met: from that year on, at most {tolerance:.0%} of each year's "
        f"demand value unmet; self-sufficient (strict): every commodity within "
        f"{strict:.1%} of its tonnes.",
        "Weakest numbers: " + (weakest or "see the case's documentation") + ".",
    ]


def foresight_line(foresight: str) -> str:
    """How much each scenario knows of its future (MODEL-SPEC §8.2)."""
    if foresight == "none":
        return ("Foresight: none — before its first embargo or export quota, every "
                "scenario takes its comparator's decisions (activity, flows, builds "
                "decided then; the baseline unless it names another).")
    return ("Foresight: perfect — every scenario plans from the first year knowing "
            "its rules.")


def penalty_rule(data: ReportData) -> str:
    """'10x the reference price (floor USD 50,000/t)' from the demanded commodities."""
    commodities = data.inputs.get("commodities", pd.DataFrame())
    demanded = set(data.demand_by_commodity.index)
    rows = commodities[commodities["commodity"].isin(demanded)] if len(
        commodities) else commodities
    if rows.empty:
        return "as given per commodity"
    price = rows["reference_price_usd_per_t"].astype(float)
    ratio = (rows["shortfall_penalty_usd_per_t"].astype(float) / price.where(price > 0)
             ).dropna()
    if ratio.empty:
        return "as given per commodity (no reference prices)"
    low, mid, high = ratio.min(), ratio.median(), ratio.max()
    text = f"{mid:.0f}x the reference price"
    if high - low > 0.5:
        text += f" ({low:.0f}x to {high:.0f}x across demanded commodities)"
    return text
