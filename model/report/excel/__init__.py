"""report.xlsx: the analyst's report (MODEL-SPEC §5), Summary first.

Sheet order: Summary, Charts, Bottlenecks, Compare, Calibration (when the run
has calibration rows or China content), Sources of supply and its chart data, the
human sheets with years as columns (Shortfall, Capacity, Builds, Flows, Prices),
the tidy tables as Excel
Tables (``data_<table>``), the inputs (``in_<table>``), Sources, Run info and
Chart data. The workbook is written to a temporary sibling file and moved into
place with ``os.replace`` only when complete, so a failed write leaves any
earlier report untouched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.data.case import Case
from model.data.coerce import ROW
from model.report.excel.analysis import write_bottlenecks, write_compare
from model.report.excel.book import write_book
from model.report.excel.calibration import write_calibration
from model.report.excel.cells import Sheets
from model.report.excel.charts import write_charts
from model.report.excel.data import ReportData
from model.report.excel.summary import write_summary
from model.report.excel.supply import write_supply
from model.report.excel.tables import (
    write_human,
    write_inputs,
    write_run_info,
    write_tidy,
)
from model.results.tables import TABLE_ORDER

__all__ = ["fill", "write_report"]


def fill(sheets: Sheets, data: ReportData) -> None:
    """Every sheet of the report, in order."""
    write_summary(sheets, data)
    write_charts(sheets, data)  # Charts, then Chart data (moved last below)
    write_bottlenecks(sheets, data)
    write_compare(sheets, data)
    write_calibration(sheets, data)
    write_supply(sheets, data)
    write_human(sheets, data)
    write_tidy(sheets, data, list(TABLE_ORDER))
    write_inputs(sheets, data)
    write_run_info(sheets, data)
    sheets.wb.move_last("Chart data")


def write_report(tables: dict[str, pd.DataFrame], case: Case,
                 run_info: dict[str, object], path: Path) -> None:
    """Write the report of ``case``'s run to ``path`` atomically (temporary
    sibling, then replace); the input sheets echo the case's tables."""
    inputs = {n: f.drop(columns=[ROW]) for n, f in case.tables.items()}
    data = ReportData(tables, inputs, run_info, case)
    write_book(Path(path), lambda sheets: fill(sheets, data))
