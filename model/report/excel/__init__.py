"""report.xlsx: the analyst's report (MODEL-SPEC §5), Summary first.

Sheet order: Summary, Charts, Bottlenecks, Compare, the human sheets with years
as columns (Shortfall, Capacity, Builds, Flows, Prices), the tidy tables as Excel
Tables (``data_<table>``), the inputs (``in_<table>``), Sources, Run info and
Chart data. The workbook is written to a temporary sibling file and moved into
place with ``os.replace`` only when complete, so a failed write leaves any
earlier report untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from model.report.csv_tables import TABLE_ORDER
from model.report.excel.analysis import write_bottlenecks, write_compare
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
from model.results.bottlenecks import EXTRA_TABLES
from model.results.kpi_tables import EXTRA_KPI_TABLES

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
    write_human(sheets, data)
    write_tidy(sheets, data, [*TABLE_ORDER, *EXTRA_KPI_TABLES, *EXTRA_TABLES])
    write_inputs(sheets, data)
    write_run_info(sheets, data)
    wb.move_sheet("Chart data", len(wb.sheetnames) - 1
                  - wb.sheetnames.index("Chart data"))


def discard(wb: Workbook) -> None:
    """Close and delete the temporary files of a workbook that will not be saved."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(OSError):
            writer.cleanup()


def write_report(tables: dict[str, pd.DataFrame], inputs: dict[str, pd.DataFrame],
                 run_info: dict[str, object], path: Path) -> None:
    """Write the report to ``path`` atomically (temporary sibling, then replace)."""
    path = Path(path)
    wb = build_workbook(ReportData(tables, inputs, run_info))
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx",
                                    dir=path.parent)
    os.close(handle)
    try:
        os.chmod(temp, 0o666 & ~_umask())
        wb.save(temp)
        with open(temp, "rb") as saved:
            os.fsync(saved.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
