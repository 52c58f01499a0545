"""reroute frontier (MODEL-SPEC §8.5) on a case solved by hand
(tests/hedge/cases.py ``frontier_case``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.frontier.command import frontier
from model.pipeline import run_case
from model.solver.records import SolveOptions
from tests.hedge.cases import frontier_case
from tests.helpers import write_case


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = frontier_case(tmp_path_factory.mktemp("frontier") / "case")
    return folder, frontier(load_case(folder), "baseline", SolveOptions())


def test_breakpoints_and_slopes_by_hand(traced) -> None:
    _folder, result = traced
    table = result.tables["frontier"]
    # Demand 30 t over three years, U = 100 US$ per tonne short. Least U: every
    # tonne supplied (2025: a 6 + spot 4; 2026-27: a 6 + n 4), U = 0, cost
    # 600 + 8000 + 2 × (600 + 600) = 11000. Giving up the dearest supply first:
    # spot's 4 t save 8000 for 400 of U (slope −20); n's 8 t save 1200 for 800
    # (−1.5); a's 18 t save 1800 for 1800 (−1); then nothing is bought.
    expected = pd.DataFrame({"unmet_reference_usd": [0.0, 400.0, 1200.0, 3000.0],
                             "shortfall_t": [0.0, 4.0, 12.0, 30.0],
                             "total_cost_usd": [11000.0, 3000.0, 1800.0, 0.0]})
    for column in expected:
        assert table[column].to_numpy() == pytest.approx(expected[column], abs=1e-5)
    assert np.isnan(table["slope"].iloc[0])
    assert table["slope"].iloc[1:].to_numpy() == pytest.approx([-20, -1.5, -1])


def _summary(folder: Path, tmp: Path, objective: str) -> pd.Series:
    case = tmp / objective
    tables = {f.stem: pd.read_csv(f).to_dict("records") for f in folder.glob("*.csv")}
    tables["settings"] = [{"key": "base_year", "value": 2025},
                          {"key": "end_year", "value": 2027},
                          {"key": "discount_rate", "value": 0.0},
                          {"key": "objective", "value": objective}]
    write_case(case, tables)
    return run_case(case).summary.set_index("scenario").loc["baseline"]


def test_first_point_is_the_lexicographic_solve(traced, tmp_path: Path) -> None:
    folder, result = traced
    first = result.tables["frontier"].iloc[0]
    lexi = _summary(folder, tmp_path, "lexicographic")
    assert first["total_cost_usd"] == pytest.approx(lexi["total_cost_usd"], abs=1e-4)
    assert first["unmet_reference_usd"] == pytest.approx(
        lexi["unmet_reference_usd"], abs=1e-4)


def test_penalty_solve_is_a_breakpoint(traced, tmp_path: Path) -> None:
    folder, result = traced
    # The penalty (1000 US$/t = 10 per US$ of U) buys a (1 per US$) and n (1.5),
    # not spot (20): U = 400, cost 3000, the second breakpoint.
    penalty = _summary(folder, tmp_path, "penalty")
    assert penalty["unmet_reference_usd"] == pytest.approx(400, abs=1e-4)
    assert penalty["total_cost_usd"] == pytest.approx(3000, abs=1e-4)
    rows = result.tables["frontier"]
    hit = (np.isclose(rows["unmet_reference_usd"], penalty["unmet_reference_usd"],
                      atol=1e-4)
           & np.isclose(rows["total_cost_usd"], penalty["total_cost_usd"], atol=1e-4))
    assert hit.sum() == 1
    assert result.penalty_point.unmet_usd == pytest.approx(400, abs=1e-4)


def test_self_sufficient_by_by_hand(traced) -> None:
    _folder, result = traced
    ssb = result.tables["self_sufficient_by"].set_index("year")
    # From 2026 or 2027 on: the penalty solve already meets 2026-27 (a 6 + n 4),
    # 2025 is 4 t short: cost 3000, shortfall 4, full cost 3000 + 4 × 1000.
    for year in (2026, 2027):
        assert ssb.loc[year, "total_cost_usd"] == pytest.approx(3000, abs=1e-4)
        assert ssb.loc[year, "shortfall_t"] == pytest.approx(4, abs=1e-6)
        assert ssb.loc[year, "full_cost_usd"] == pytest.approx(7000, abs=1e-3)
    # From 2025 on: 2025's shortfall ≤ 0.001 × 10 = 0.01 t, so spot runs 3.99 t
    # (2000 US$/t > the penalty, so no more): cost 3000 + 7980 = 10980, shortfall
    # 0.01 t, full cost 10980 + 10.
    assert ssb.loc[2025, "total_cost_usd"] == pytest.approx(10980, abs=1e-3)
    assert ssb.loc[2025, "shortfall_t"] == pytest.approx(0.01, abs=1e-7)
    assert ssb.loc[2025, "full_cost_usd"] == pytest.approx(10990, abs=1e-3)


def test_a_year_no_plan_reaches_is_blank(tmp_path: Path) -> None:
    # Without spot, 2025 can supply only 6 of 10 t: self-sufficient from 2025 is
    # out of reach (blank); from 2026 it costs what the penalty solve costs, 600
    # in 2025 and 1200 in each later year (3000; 4 t short in 2025).
    folder = frontier_case(tmp_path / "case")
    capacity = pd.read_csv(folder / "capacity.csv")
    capacity[capacity["process"] != "spot"].to_csv(folder / "capacity.csv",
                                                   index=False)
    result = frontier(load_case(folder), "baseline", SolveOptions())
    ssb = result.tables["self_sufficient_by"].set_index("year")
    assert np.isnan(ssb.loc[2025, "total_cost_usd"])
    assert np.isnan(ssb.loc[2025, "shortfall_t"])
    assert ssb.loc[2026, "total_cost_usd"] == pytest.approx(3000, abs=1e-4)
