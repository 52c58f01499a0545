"""`reroute solve` never clobbers: a run of some scenarios writes its own folder,
and the case may come before or after the options (never read as a scenario)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from model.cli import main
from model.outputs.folder import default_out_dir
from tests.helpers import mine, one_commodity, settings, write_case


def _case(tmp_path: Path) -> Path:
    # baseline and two shock scenarios; a: 40 t/yr of its own, c (china) 100 t/yr
    proc, out = mine(cost=10)
    china, china_out = mine("mine_c", cost=1)
    return write_case(tmp_path / "study", {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "c", "bloc": "china"}],
        "commodities": one_commodity(),
        "processes": [proc, china], "process_io": [out, china_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 40},
                     {"region": "c", "process": "mine_c", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 60}],
        "routes": [{"origin": "c", "destination": "a", "cost_usd_per_t": 0}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "cut", "is_baseline": "false"},
                      {"scenario": "cut_more", "is_baseline": "false",
                       "based_on": "cut"}],
        "scenario_rules": [
            {"scenario": "cut", "rule": "embargo", "target": "c", "from_year": 2026},
            {"scenario": "cut_more", "rule": "scale", "field": "demand",
             "value": 2}],
    })


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and modification time (ns)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_default_folder_of_a_subset_run() -> None:
    # outputs/<case>/scenario-<first requested that is not the baseline>[+n more]
    assert default_out_dir("x/study") == Path("outputs/study")
    assert default_out_dir("x/study", ["cut"], "base") == Path(
        "outputs/study/scenario-cut")
    assert default_out_dir("x/study", ["base", "cut", "cut_more"], "base") == Path(
        "outputs/study/scenario-cut+2")
    assert default_out_dir("study.xlsx", ["base"], "base") == Path(
        "outputs/study/scenario-base")
    assert default_out_dir("study", ["a/b c"], "base") == Path(
        "outputs/study/scenario-a_b_c")


def test_a_subset_run_leaves_the_full_run_byte_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    case = _case(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["solve", str(case), "--quiet"]) == 0
    full = tmp_path / "outputs" / "study"
    before = _snapshot(full)
    assert {"report.xlsx", "run.json", "tables/summary.csv"} <= set(before)
    assert main(["solve", str(case), "--scenario", "cut_more", "--quiet"]) == 0
    subset = full / "scenario-cut_more"
    assert "scenario-cut_more" in capsys.readouterr().out
    # the full run's files: same bytes, never rewritten (same mtime)
    assert {k: v for k, v in _snapshot(full).items()
            if not k.startswith("scenario-")} == before
    summary = (subset / "tables" / "summary.csv").read_text(encoding="utf-8")
    # cut_more is compared with the baseline (solved with it); cut is not solved
    assert [line.split(",")[0] for line in summary.splitlines()[1:]] == [
        "base", "cut_more"]
    # a full run again replaces its own files only; the subset folder stays
    kept = _snapshot(subset)
    assert main(["solve", str(case), "--quiet"]) == 0
    assert _snapshot(subset) == kept


def test_a_case_after_scenario_is_an_error_naming_the_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    case = _case(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["solve", "--scenario", "cut", str(case)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--scenario '{case}' is a path, not a scenario name" in err
    assert f"--case {case}" in err
    assert not (tmp_path / "outputs").exists()  # nothing solved, nothing written


def test_a_relative_case_folder_after_scenario_is_caught(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _case(tmp_path)
    monkeypatch.chdir(tmp_path)  # 'study' is an existing folder, no separator
    assert main(["solve", "--scenario", "cut", "study"]) == 2
    assert "--scenario 'study' is a path" in capsys.readouterr().err


@pytest.mark.parametrize("order", ["case first", "option", "after options",
                                   "after --"])
def test_the_case_before_or_after_the_options(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str) -> None:
    case = str(_case(tmp_path))
    monkeypatch.chdir(tmp_path)
    argv = {"case first": ["solve", case, "--scenario", "cut", "--out", "o"],
            "option": ["solve", "--scenario", "cut", "--case", case, "--out", "o"],
            "after options": ["solve", "--out", "o", "--quiet", case],
            "after --": ["solve", "--scenario", "cut", "--out", "o", "--", case]}
    assert main(argv[order]) == 0
    record = (tmp_path / "o" / "run.json").read_text(encoding="utf-8")
    assert os.fspath(case) in record  # the case solved is the one named


def test_the_case_given_twice_is_an_error(tmp_path: Path, capsys) -> None:
    case = str(_case(tmp_path))
    assert main(["solve", case, "--case", case]) == 2
    assert "the case is given twice" in capsys.readouterr().err


def test_a_scenario_named_like_a_folder_is_fine_once_the_case_is_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = str(_case(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cut").mkdir()  # a folder that happens to share the name
    assert main(["solve", case, "--scenario", "cut", "--quiet"]) == 0
    assert (tmp_path / "outputs" / "study" / "scenario-cut" / "run.json").is_file()
