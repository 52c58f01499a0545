"""The synthetic case generator writes valid cases that solve, with the same tables
whichever way the LP is built (numpy arrays or the Pyomo model)."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.pipeline import run_case
from model.solver.records import SolveOptions
from model.synth import ELEMENTS, SynthSpec, write_synthetic

SMALL = SynthSpec(regions=6, years=5, seed=3)


@pytest.fixture(scope="module")
def small_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("synth") / "small", SMALL)


def test_generated_case_loads_with_default_structure(small_case: Path) -> None:
    case = load_case(small_case)
    stages = set(case.table("processes")["stage"])
    assert stages == {"mining", "separation", "metal", "alloy", "magnet", "recycling",
                      "market"}
    assert set(case.table("regions")["bloc"]) >= {"china", "alliance", "partner"}
    assert list(case.years) == list(range(2025, 2030))  # base 2025, 5 years
    rules = case.table("scenario_rules")
    assert {"embargo", "export_quota", "scale", "lead_time_add"} <= set(rules["rule"])
    # every separation process splits its ore into all eight element oxides
    io = case.table("process_io")
    sep_out = io[io["process"].str.startswith("sep_") & (io["direction"] == "out")]
    assert sep_out.groupby("process").size().tolist() == [len(ELEMENTS)] * 4
    # China sells every oxide, metal and the magnet on the market (8 + 3 + 1 offers)
    assert (case.table("processes")["stage"] == "market").sum() == 12
    assert not case.table("stockpiles").empty and not case.table("reserves").empty


def test_same_seed_same_files(small_case: Path, tmp_path: Path) -> None:
    again = write_synthetic(tmp_path / "again", SMALL)
    names = sorted(p.name for p in small_case.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(small_case, again, names, shallow=False)
    assert (mismatch, errors) == ([], []) and len(match) == 13


def test_size_grows_with_regions_and_years(tmp_path: Path) -> None:
    """Doubling the regions roughly doubles the flow columns (sparse routes)."""
    sizes = []
    for regions in (8, 16):
        case = load_case(write_synthetic(tmp_path / str(regions),
                                         SynthSpec(regions=regions, years=4)))
        sizes.append(len(build_index(scenario_data(case, "baseline")).flow))
    assert 1.5 < sizes[1] / sizes[0] < 2.7


def test_small_case_solves_the_same_with_both_builders(small_case: Path) -> None:
    """Every scenario solves (post-solve invariants included) and every output table
    is identical, value for value, with the numpy and the Pyomo builder."""
    fast = run_case(small_case)
    slow = run_case(small_case, options=SolveOptions(builder="pyomo"))
    assert [r.name for r in fast.scenarios] == ["baseline", "quota", "embargo",
                                                "embargo_stress"]
    for name, table in fast.tables.items():
        pd.testing.assert_frame_equal(table, slow.tables[name], check_exact=True)
    objective = {r.name: r.objective for r in fast.scenarios}
    # the embargo only removes flow columns from the baseline LP: it cannot be cheaper
    assert objective["embargo"] >= objective["baseline"] * (1 - 1e-9)


def test_cli_synth_writes_a_case(tmp_path: Path) -> None:
    assert main(["synth", str(tmp_path / "c"), "--regions", "4", "--years", "3"]) == 0
    assert len(list((tmp_path / "c").glob("*.csv"))) == 13
    assert main(["synth", str(tmp_path / "bad"), "--regions", "2"]) == 2
    assert not (tmp_path / "bad").exists()


def test_run_json_records_phase_seconds_and_peak_memory(small_case: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["solve", str(small_case), "--out", str(out), "--scenario",
                 "embargo"]) == 0
    info = json.loads((out / "run.json").read_text())
    phases = {"load", "build", "translate", "solve", "extract"}
    assert phases <= set(info["seconds"]) and phases <= set(info["peak_rss_mb"])
    # a Python process holding pandas, numpy and highspy is above 50 MiB resident
    assert all(info["peak_rss_mb"][p] > 50 for p in phases)
    assert info["options"]["builder"] == "numpy"
