"""An interrupt half-way through saving report.xlsx ends quietly (issue 10, item 5).

Ctrl-C or SIGTERM while the workbook was saved used to print, once per sheet not
yet saved, "Exception ignored in: <generator object WriteOnlyWorksheet._write_rows>
... ValueError: I/O operation on closed file": the unsaved sheets' generators were
left to the garbage collector, which closed some files before the rows writing
into them.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from openpyxl.writer.excel import ExcelWriter

import model.report.excel as excel
from model.pipeline import RunResult


def test_interrupt_while_saving_leaves_no_unraisable_errors(
        tmp_path: Path, solved: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(
        f"{u.exc_type.__name__}: {u.exc_value} in {u.object!r}"))
    real = ExcelWriter.write_worksheet
    saved: list[str] = []

    def interrupted_at_the_third_sheet(self: ExcelWriter, ws: object) -> None:
        saved.append(ws.title)  # type: ignore[attr-defined]
        if len(saved) == 3:  # as a signal handler raising mid-save would
            raise KeyboardInterrupt
        real(self, ws)

    monkeypatch.setattr(ExcelWriter, "write_worksheet", interrupted_at_the_third_sheet)
    target = tmp_path / "report.xlsx"
    with pytest.raises(KeyboardInterrupt):
        excel.write_report(solved.tables, solved.case, {"case": "x"}, target)
    gc.collect()  # what interpreter shutdown does to what is left
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file
