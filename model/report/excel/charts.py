"""Native, editable Excel charts on the Charts sheet, fed by the Chart data sheet.

Charts: shortfall by element over time (one per scenario with a shortfall),
capacity build-out by stage and region (one per scenario with builds), cost by
category against the baseline, and the marginal cost of each key element's main
commodity over time.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.data_source import AxDataSource, NumRef, StrRef
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from model.report.excel import series
from model.report.excel.cells import (
    BOLD,
    FMT_PRICE,
    FMT_T,
    FMT_USD_M,
    Rows,
    Sheets,
)
from model.report.excel.data import ReportData

WIDTH_CM, HEIGHT_CM, ROWS_PER_CHART = 17.0, 8.5, 18
MAX_PRICE_CHARTS = 4


def _axes(chart: ChartBase, title: str, x_title: str, y_title: str, fmt: str
          ) -> None:
    """Titles, axis format, size and legend (axes kept visible in Excel)."""
    chart.title = title
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.y_axis.number_format = fmt
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    chart.legend.position = "b"


def _bind(chart: ChartBase, ws: WriteOnlyWorksheet, first: int, last: int,
          n_series: int, text_categories: bool) -> None:
    """Series from columns 2.. of rows first..last (header row = series names);
    categories from column 1, as text or numbers."""
    data = Reference(ws, min_col=2, max_col=1 + n_series, min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=True)
    categories = Reference(ws, min_col=1, min_row=first + 1, max_row=last)
    for line in chart.series:
        line.smooth = False
        line.cat = (AxDataSource(strRef=StrRef(f=str(categories))) if text_categories
                    else AxDataSource(numRef=NumRef(f=str(categories))))


class ChartBook:
    """Writes data blocks to the Chart data sheet and places charts on Charts."""

    def __init__(self, charts: WriteOnlyWorksheet, data_ws: WriteOnlyWorksheet
                 ) -> None:
        self.charts = charts
        self.rows = Rows(data_ws)
        self.count = 0

    def add(self, chart: ChartBase, title: str, frame: pd.DataFrame, fmt: str
            ) -> None:
        """Write ``frame`` as a titled block and bind ``chart`` to it."""
        if frame.shape[1] < 2 or frame.empty:
            return
        first, last = self.rows.block(title, frame, dict.fromkeys(
            map(str, frame.columns[1:]), fmt) | {str(frame.columns[0]): "0"})
        self.rows.append()
        text = not pd.api.types.is_numeric_dtype(frame.iloc[:, 0])
        _bind(chart, self.rows.ws, first, last, frame.shape[1] - 1, text)
        column = "A" if self.count % 2 == 0 else get_column_letter(12)
        row = 3 + ROWS_PER_CHART * (self.count // 2)
        self.charts.add_chart(chart, f"{column}{row}")
        self.count += 1


def stacked_columns() -> BarChart:
    """An empty stacked column chart."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    return chart


def write_charts(sheets: Sheets, data: ReportData) -> None:
    """The Charts sheet and its Chart data sheet (created in that order)."""
    charts = sheets.new("Charts", fit=True)
    Rows(charts).text("Charts (data in sheet 'Chart data'; every chart is editable)",
                      BOLD)
    book = ChartBook(charts, sheets.new("Chart data", [22] + [14] * 12))
    for s in data.scenarios:
        frame = series.shortfall_by_element(data, s)
        if frame.iloc[:, 1:].to_numpy().sum() > 0:
            chart = stacked_columns()
            _axes(chart, f"Shortfall by element (t): {s}", "year", "t", FMT_T)
            book.add(chart, f"Shortfall by element (t): {s}", frame, FMT_T)
    for s in data.scenarios:
        frame = series.capacity_buildout(data, s)
        chart = stacked_columns()
        _axes(chart, f"New capacity in service (tpa): {s}", "year", "tpa", FMT_T)
        book.add(chart, f"New capacity by stage and region (tpa): {s}", frame, FMT_T)
    cost_chart(book, data)
    for element in data.key_elements[:MAX_PRICE_CHARTS]:
        commodity = series.key_commodity(data, element.name)
        if commodity is None:
            continue
        chart = LineChart()
        title = f"Marginal cost of {commodity} (USD/t)"
        _axes(chart, title, "year", "USD/t", FMT_PRICE)
        book.add(chart, title, series.price_over_time(data, commodity), FMT_PRICE)


def cost_chart(book: ChartBook, data: ReportData) -> None:
    """Discounted cost by category, one bar per scenario (baseline first)."""
    chart = BarChart()
    chart.type = "col"
    _axes(chart, "Discounted cost by category (USD m) against the baseline",
          "category", "USD m", FMT_USD_M)
    book.add(chart, "Discounted cost by category (USD)", series.cost_by_category(data),
             FMT_USD_M)
