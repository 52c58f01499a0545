"""Native, editable Excel charts on the Charts sheet, fed by the Chart data sheet.

Charts: shortfall by product over time (one per scenario with a shortfall; each
magnet grade by name, other commodities by kind), capacity in service per stage
(one chart per stage, a line per scenario: tonnes of different stages are never
added), cost by category of every scenario, and the shadow price (USD/kg) of each
key element's main commodity, with the years in which a shortfall sets it marked,
and China's traced share of alliance NdPr, Dy and Tb supply per scenario.
Every product and every scenario keeps one colour on every chart.
"""

from __future__ import annotations

import pandas as pd

from model.report.excel import series
from model.report.excel.cells import (
    BOLD,
    FMT_T,
    FMT_USD_M,
    Rows,
    Sheets,
)
from model.report.excel.calibration import china_shares
from model.report.excel.data import ReportData
from model.report.excel.writer import Chart, Sheet, column_letter

WIDTH_CM, HEIGHT_CM, ROWS_PER_CHART = 17.0, 10.0, 21
MAX_PRICE_CHARTS = 4


def axes(chart: Chart, title: str, x_title: str, y_title: str, fmt: str) -> None:
    """Titles, axis format, size and legend (a label every 5 years on a year axis)."""
    chart.title = title
    chart.x_title = x_title
    chart.y_title = y_title
    chart.y_format = fmt
    chart.width_cm, chart.height_cm = WIDTH_CM, HEIGHT_CM
    chart.legend = "bottom"
    chart.tick_skip = 5 if x_title == "year" else 1


def _bind(chart: Chart, ws: Sheet, first: int, last: int, n_series: int) -> None:
    """Series from columns 2.. of rows first..last (1-based; header row = series
    names); categories from column 1."""
    chart.add_columns(ws.title, first - 1, last - 1, 1, n_series)


class ChartBook:
    """Writes data blocks to the Chart data sheet and places charts on Charts."""

    def __init__(self, charts: Sheet, data_ws: Sheet) -> None:
        self.charts = charts
        self.rows = Rows(data_ws)
        self.count = 0

    def add(self, chart: Chart, title: str, frame: pd.DataFrame, fmt: str,
            anchor: str | None = None) -> None:
        """Write ``frame`` as a titled block and bind ``chart`` to it; the chart's
        top-left cell is ``anchor``, else the next place of a two-column grid."""
        if frame.shape[1] < 2 or frame.empty:
            return
        first, last = self.rows.block(title, frame, dict.fromkeys(
            map(str, frame.columns[1:]), fmt) | {str(frame.columns[0]): "0"})
        self.rows.append()
        _bind(chart, self.rows.ws, first, last, frame.shape[1] - 1)
        column = "A" if self.count % 2 == 0 else column_letter(12)
        row = 4 + ROWS_PER_CHART * (self.count // 2)
        self.charts.add_chart(chart, anchor or f"{column}{row}")
        self.count += 1


def stacked_columns() -> Chart:
    """An empty stacked column chart."""
    return Chart("column", stacked=True)


# One colour per series, the same on every chart: products in product_order, and
# scenarios in case order (Summary, capacity, cost and price charts alike).
PALETTE = ("1F77B4", "D62728", "2CA02C", "FF7F0E", "9467BD", "8C564B", "E377C2",
           "7F7F7F", "BCBD22", "17BECF")
FMT_USD_KG = "#,##0.0"
SKIP_STAGES = ("market",)  # purchases from China: not alliance capacity
LINE_PT = 1.75


def colour(names: list[str], name: str) -> str:
    """The fixed colour of series ``name`` among ``names``."""
    return PALETTE[names.index(name) % len(PALETTE)] if name in names else "7F7F7F"


def paint(chart: Chart, names: list[str], labels: list[str], line: bool) -> None:
    """Colour each series (labels in series order) by its fixed colour; a line
    series is drawn 1.75 pt wide."""
    for series_, label in zip(chart.series, labels, strict=False):
        series_.colour = colour(names, label.removeprefix("short: "))
        if line:
            series_.line_width_pt = LINE_PT


def write_charts(sheets: Sheets, data: ReportData) -> None:
    """The Charts sheet and its Chart data sheet (created in that order)."""
    charts = sheets.new("Charts", fit=True)
    notes = Rows(charts)
    notes.text("Charts (data in sheet 'Chart data'; every chart is editable). Each "
               "product and each scenario keeps one colour on every chart.", BOLD)
    notes.text("Shadow prices are the LP's marginal costs (balance duals, each year's "
               "money), not market prices; dots ('short: ...') mark the years in which "
               "a shortfall of the commodity or of a product made from it sets the "
               "price: it is then the shortfall penalty seen through the supply chain.")
    book = ChartBook(charts, sheets.new("Chart data", [22] + [14] * 12))
    products = series.product_order(data)
    for s in data.scenarios:
        frame = series.shortfall_by_product(data, s)
        if frame.iloc[:, 1:].to_numpy().sum() > 0:
            chart = stacked_columns()
            title = f"Shortfall by product (t): {s}"
            axes(chart, title, "year", "t", FMT_T)
            book.add(chart, title, frame, FMT_T)
            paint(chart, products, list(map(str, frame.columns[1:])), line=False)
    for stage in stages(data):
        frame = series.capacity_by_stage(data, stage)
        chart = Chart("line")
        title = f"Capacity in service, {stage} (tpa, alliance and partners)"
        axes(chart, title, "year", "tpa", FMT_T)
        book.add(chart, title, frame, FMT_T)
        paint(chart, data.scenarios, list(map(str, frame.columns[1:])), line=True)
    cost_chart(book, data)
    for element in data.key_elements[:MAX_PRICE_CHARTS]:
        commodity = series.key_commodity(data, element.name)
        if commodity is not None:
            price_chart(book, data, commodity)
    china_share_charts(book, data)


def stages(data: ReportData) -> list[str]:
    """Stages with capacity in the scope in some scenario, in process-table order."""
    prod = data.table("production")
    if prod.empty:
        return []
    used = set(prod.loc[prod["region"].isin(data.scope)
                        & (prod["capacity_tpa"] > 0), "process"].map(data.stage_of))
    ordered = list(dict.fromkeys(data.stage_of.values()))
    return [s for s in ordered if s in used and s not in SKIP_STAGES]


def price_chart(book: ChartBook, data: ReportData, commodity: str) -> None:
    """Shadow price in USD/kg per scenario; marker-only series ('short: ...') mark
    the years in which a shortfall of the commodity sets it (price = penalty)."""
    frame = series.price_over_time(data, commodity)
    frame[frame.columns[1:]] = frame[frame.columns[1:]] / 1000.0
    short = series.shortfall_years(data, commodity)
    markers = [s for s in data.scenarios if short.get(s)]
    for s in markers:
        frame[f"short: {s}"] = frame[s].where(frame["year"].isin(short[s]))
    chart = Chart("line")
    name = data.name_of.get(commodity, commodity)
    title = f"Shadow price of {name} (USD/kg)"
    axes(chart, title, "year", "USD/kg", FMT_USD_KG)
    book.add(chart, title, frame, FMT_USD_KG)
    labels = list(map(str, frame.columns[1:]))
    paint(chart, data.scenarios, labels, line=True)
    for series_, label in zip(chart.series, labels, strict=False):
        if label.startswith("short: "):
            series_.marker = "circle"  # dots only, in the scenario's colour


def cost_chart(book: ChartBook, data: ReportData) -> None:
    """Discounted cost by category, one bar per scenario (baseline first)."""
    chart = Chart("column")
    axes(chart, "Discounted cost by category (USD m), every scenario",
          "category", "USD m", FMT_USD_M)
    frame = series.cost_by_category(data)
    book.add(chart, "Discounted cost by category (USD)", frame, FMT_USD_M)
    paint(chart, data.scenarios, list(map(str, frame.columns[1:])), line=False)


ELEMENT_COLOURS = ("NdPr", "Dy", "Tb")


def china_share_charts(book: ChartBook, data: ReportData) -> None:
    """China's traced share (%) of alliance and partner NdPr, Dy and Tb supply
    over time, one chart per scenario (china_content)."""
    shares = china_shares(data)
    for s in data.scenarios:
        rows = shares[shares["scenario"] == s]
        if rows.empty:
            continue
        frame = rows.pivot_table(index="year", columns="element",
                                 values="china_share", sort=True) * 100.0
        frame = frame.reindex(columns=[e for e in ELEMENT_COLOURS
                                       if e in frame.columns]).reset_index()
        frame.columns = [str(c) for c in frame.columns]
        chart = Chart("line")
        title = f"China's share of alliance NdPr, Dy and Tb supply (%): {s}"
        axes(chart, title, "year", "%", FMT_USD_KG)
        book.add(chart, title, frame, FMT_USD_KG)
        paint(chart, list(ELEMENT_COLOURS), list(frame.columns[1:]), line=True)


def clustered_columns(title: str, x_title: str, y_title: str, fmt: str) -> Chart:
    """An empty clustered column chart with titled axes (hedge and frontier
    workbooks), a label on every category."""
    chart = Chart("column")
    axes(chart, title, x_title, y_title, fmt)
    chart.tick_skip = 1
    return chart


class XYBook(ChartBook):
    """A ChartBook whose charts plot numeric x against y (scatter with lines):
    breakpoints of a frontier sit at their true x."""

    def add_xy(self, title: str, frame: pd.DataFrame, x_title: str, y_title: str,
               fmt: str = FMT_USD_M, x_fmt: str = FMT_USD_M) -> None:
        """Column 1 of ``frame`` is x, each further column a line."""
        if frame.shape[1] < 2 or frame.empty:
            return
        first, last = self.rows.block(title, frame, dict.fromkeys(
            map(str, frame.columns[1:]), fmt) | {str(frame.columns[0]): x_fmt})
        self.rows.append()
        chart = Chart("scatter")
        axes(chart, title, x_title, y_title, fmt)
        chart.x_format, chart.tick_skip = x_fmt, None
        _bind(chart, self.rows.ws, first, last, frame.shape[1] - 1)
        self.place(chart)

    def place(self, chart: Chart) -> None:
        """Put ``chart`` at the next place of the two-column grid."""
        column = "A" if self.count % 2 == 0 else column_letter(12)
        row = 4 + ROWS_PER_CHART * (self.count // 2)
        self.charts.add_chart(chart, f"{column}{row}")
        self.count += 1
