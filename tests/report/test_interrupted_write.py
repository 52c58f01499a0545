"""An interrupt half-way through saving report.xlsx ends quietly (issue 10, item 5).

Ctrl-C or SIGTERM while the workbook was saved used to print, once per sheet not
yet saved, "Exception ignored in: <generator object WriteOnlyWorksheet._write_rows>
... ValueError: I/O operation on closed file": the unsaved sheets' generators were
left to the garbage collector, which closed some files before the rows writing
into them. The report is now written by XlsxWriter, which assembles each sheet's
XML on save: an interrupt at the third sheet must still end quietly, leaving no
report and no temporary file.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from xlsxwriter.worksheet import Worksheet

import model.report.excel as excel
from model.pipeline import RunResult


def test_interrupt_while_saving_leaves_no_unraisable_errors(
        tmp_path: Path, solved: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(
        f"{u.exc_type.__name__}: {u.exc_value} in {u.object!r}"))
    real = Worksheet._assemble_xml_file
    saved: list[str] = []

    def interrupted_at_the_third_sheet(self: Worksheet) -> None:
        saved.append(self.name)
        if len(saved) == 3:  # as a signal handler raising mid-save would
            raise KeyboardInterrupt
        real(self)

    monkeypatch.setattr(Worksheet, "_assemble_xml_file",
                        interrupted_at_the_third_sheet)
    target = tmp_path / "report.xlsx"
    with pytest.raises(KeyboardInterrupt):
        excel.write_report(solved.tables, solved.case, {"case": "x"}, target)
    gc.collect()  # what interpreter shutdown does to what is left
    assert unraisable == []
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file
