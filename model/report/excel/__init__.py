"""report.xlsx: the analyst's report (MODEL-SPEC §5), Summary first.

Sheet order: Summary, Charts, Bottlenecks, Compare, Calibration (when the run
has calibration rows or China content), the human sheets with years
as columns (Shortfall, Capacity, Builds, Flows, Prices), the tidy tables as Excel
Tables (``data_<table>``), the inputs (``in_<table>``), Sources, Run info and
Chart data. The workbook is written to a temporary sibling file and moved into
place with ``os.replace`` only when complete, so a failed write leaves any
earlier report untouched.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from model.data.case import Case
from model.data.coerce import ROW
from model.files import atomic_path
from model.report.excel.analysis import write_bottlenecks, write_compare
from model.report.excel.calibration import write_calibration
from model.report.excel.cells import Sheets
from model.report.excel.charts import write_charts
from model.report.excel.data import ReportData
from model.report.excel.summary import write_summary
from model.report.excel.tables import (
    write_human,
    write_inputs,
    write_run_info,
    write_tidy,
)
from model.results.tables import TABLE_ORDER

__all__ = ["build_workbook", "write_report"]


def build_workbook(data: ReportData) -> Workbook:
    """Every sheet of the report, in order, in a write-only workbook."""
    wb = Workbook(write_only=True)
    try:
        _fill(wb, data)
    except BaseException:
        discard(wb)
        raise
    return wb


def _fill(wb: Workbook, data: ReportData) -> None:
    sheets = Sheets(wb)
    write_summary(sheets, data)
    write_charts(sheets, data)  # Charts, then Chart data (moved last below)
    write_bottlenecks(sheets, data)
    write_compare(sheets, data)
    write_calibration(sheets, data)
    write_human(sheets, data)
    write_tidy(sheets, data, list(TABLE_ORDER))
    write_inputs(sheets, data)
    write_run_info(sheets, data)
    wb.move_sheet("Chart data", len(wb.sheetnames) - 1
                  - wb.sheetnames.index("Chart data"))


def discard(wb: Workbook) -> None:
    """Close and delete the temporary files of a workbook that will not be saved.

    Each sheet not yet saved holds two suspended generators: its rows, writing into
    its writer's stream, which holds the open temporary file. Left to the garbage
    collector, they are finalised in any order, and rows closed after their file
    print "Exception ignored ... ValueError: I/O operation on closed file";
    ``close`` ends them in order (rows, then stream) before the files go.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(OSError):
            writer.cleanup()


def write_report(tables: dict[str, pd.DataFrame], case: Case,
                 run_info: dict[str, object], path: Path) -> None:
    """Write the report of ``case``'s run to ``path`` atomically (temporary
    sibling, then replace); the input sheets echo the case's tables."""
    path = Path(path)
    inputs = {n: f.drop(columns=[ROW]) for n, f in case.tables.items()}
    wb = build_workbook(ReportData(tables, inputs, run_info, case))
    try:
        with atomic_path(path, suffix=".xlsx") as temp:
            wb.save(temp)
    except BaseException:  # an interrupt half-way through the save included
        discard(wb)
        raise
