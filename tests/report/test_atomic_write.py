"""A failing report write leaves the previous report byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

import model.report.excel as excel
from model.pipeline import RunResult
from model.report.excel.data import ReportData
from model.report.excel.writer import Book


def _inputs(solved: RunResult) -> dict:
    return {n: f.drop(columns=["_row"], errors="ignore")
            for n, f in solved.case.tables.items()}


def test_failure_while_building_keeps_the_old_report(
        tmp_path: Path, solved: RunResult, report_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(report_path.read_bytes())
    before = target.read_bytes()

    def broken(*_args: object) -> None:
        raise RuntimeError("simulated failure in the Compare sheet")

    monkeypatch.setattr(excel, "write_compare", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        excel.write_report(solved.tables, solved.case, {"case": "x"}, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_failure_half_way_through_saving_keeps_the_old_report(
        tmp_path: Path, solved: RunResult, report_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(report_path.read_bytes())
    before = target.read_bytes()
    real_close = Book.close

    def save_then_fail(self: Book) -> None:
        real_close(self)  # the whole file is written ...
        with open(self.path, "r+b") as handle:  # ... then cut short, as a
            handle.truncate(100)  # crash would
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(Book, "close", save_then_fail)
    with pytest.raises(OSError, match="simulated"):
        excel.write_report(solved.tables, solved.case, {"case": "x"}, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_success_replaces_the_report(tmp_path: Path, solved: RunResult) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    excel.write_report(solved.tables, solved.case, {"case": "x"}, target)
    assert target.read_bytes()[:2] == b"PK"  # a zip container: the new workbook
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    assert ReportData(solved.tables, _inputs(solved), {}).scenarios == [
        "baseline", "no_china"]


def test_failed_run_leaves_the_previous_report_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a second run whose report write fails half way must not touch the output
    # of the first run (report written by write_report inside the staged folder)
    from model.pipeline import run_case
    from tests.helpers import write_case
    from tests.report.conftest import report_case_tables

    case = write_case(tmp_path / "demo", report_case_tables())
    out = tmp_path / "out"
    run_case(case, out, scenarios=["baseline"])
    before = (out / "report.xlsx").read_bytes()
    monkeypatch.setattr(excel, "write_compare", _raise)
    with pytest.raises(RuntimeError, match="simulated"):
        run_case(case, out, scenarios=["baseline"])
    assert (out / "report.xlsx").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "out"]


def _raise(*_args: object) -> None:
    raise RuntimeError("simulated failure while writing the report")
