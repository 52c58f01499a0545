"""reroute hedge and reroute frontier on the command line: their folders, their
exit codes, and the solve folder beside them left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.pipeline import run_case
from model.results.tables import OUTPUT_TABLES
from tests.hedge.cases import early_build_case


def test_hedge_and_frontier_keep_to_their_own_folders(tmp_path: Path, monkeypatch,
                                                       capsys) -> None:
    monkeypatch.chdir(tmp_path)
    case = early_build_case(tmp_path / "study")
    assert main(["solve", str(case), "-q"]) == 0
    solve_report = (tmp_path / "outputs/study/report.xlsx").read_bytes()
    serial = ["--executor", "serial", "-q"]  # where is tests/hedge/test_executors.py's
    assert main(["hedge", str(case), *serial]) == 0
    assert main(["frontier", str(case), "--scenario", "embargo", *serial]) == 0
    hedge = tmp_path / "outputs/study/hedge"
    frontier = tmp_path / "outputs/study/frontier/embargo"
    for folder in (hedge, frontier):
        assert {p.name for p in folder.iterdir()} >= {"report.xlsx", "run.json",
                                                       "tables"}
    assert (tmp_path / "outputs/study/report.xlsx").read_bytes() == solve_report
    voi = pd.read_csv(hedge / "tables/value_of_information.csv")
    assert voi["metric"].tolist() == ["RP", "WS", "EV", "EEV", "VSS", "EVPI", "BPE"]
    for spec in OUTPUT_TABLES:  # each command's tables with their registered columns
        folder = {"hedge": hedge, "frontier": frontier}.get(spec.command)
        if folder is None or spec.name.startswith("hedge_") and spec.name != \
                "hedge_plan":  # the CVaR tables need --cvar-weight
            continue
        written = pd.read_csv(folder / "tables" / f"{spec.name}.csv")
        assert tuple(written.columns) == spec.columns, spec.name
    assert json.loads((frontier / "run.json").read_text())["command"] == "frontier"
    assert (frontier / "tables/frontier.csv").is_file()
    assert (frontier / "tables/self_sufficient_by.csv").is_file()
    # a later solve into the same folder still may write: hedge/ and frontier/
    # are Reroute output folders
    assert main(["solve", str(case), "-q"]) == 0
    assert (hedge / "report.xlsx").is_file()
    capsys.readouterr()


def test_hedge_refuses_the_solve_folder(tmp_path: Path, capsys) -> None:
    case = early_build_case(tmp_path / "study")
    out = tmp_path / "out"
    assert main(["solve", str(case), "--out", str(out), "-q"]) == 0
    before = (out / "report.xlsx").read_bytes()
    assert main(["hedge", str(case), "--out", str(out), "-q"]) == 2
    assert "refusing to write outputs" in capsys.readouterr().err
    assert (out / "report.xlsx").read_bytes() == before


def _without(folder: Path, column: str, values: list[object] | None = None) -> None:
    frame = pd.read_csv(folder / "scenarios.csv")
    if values is None:
        frame = frame.drop(columns=column)
    else:
        frame[column] = values
    frame.to_csv(folder / "scenarios.csv", index=False)


def test_hedge_needs_probabilities(tmp_path: Path, capsys) -> None:
    case = early_build_case(tmp_path / "study")
    _without(case, "probability")
    assert main(["hedge", str(case), "--out", str(tmp_path / "o"), "-q"]) == 2
    assert "probability" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_probabilities_must_sum_to_one(tmp_path: Path, capsys) -> None:
    case = early_build_case(tmp_path / "study")
    _without(case, "probability", [0.5, 0.6])
    assert main(["hedge", str(case), "--out", str(tmp_path / "o"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "scenarios" in err and "probability" in err and "sum to 1.1" in err


def test_frontier_unknown_scenario(tmp_path: Path, capsys) -> None:
    case = early_build_case(tmp_path / "study")
    code = main(["frontier", str(case), "--scenario", "nope", "--out",
                 str(tmp_path / "o"), "-q"])
    assert code == 2
    assert "unknown scenario 'nope'" in capsys.readouterr().err


def test_hedge_only_scenarios_wait_for_the_hedge(tmp_path: Path) -> None:
    case = early_build_case(tmp_path / "study")
    _without(case, "hedge_only", ["", "true"])
    # a plain solve leaves the hedge_only scenario out; named, it is solved
    assert run_case(case).summary["scenario"].tolist() == ["baseline"]
    named = run_case(case, scenarios=["embargo"]).summary["scenario"].tolist()
    assert named == ["baseline", "embargo"]
