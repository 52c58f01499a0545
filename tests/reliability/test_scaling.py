"""The scaling check warns before the solve when LP coefficients span too many
orders of magnitude (values inside every column's units window can still combine
badly)."""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np

from model.solver.scaling import coefficient_ranges, scaling_warnings
from tests.reliability.builders import Tables, csv_case


def _lp(costs: list[float], matrix: list[float]) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(costs), 1
    lp.col_cost_ = np.array(costs)
    lp.col_lower_ = np.zeros(len(costs))
    lp.col_upper_ = np.full(len(costs), highspy.kHighsInf)
    lp.row_lower_, lp.row_upper_ = np.array([1.0]), np.array([highspy.kHighsInf])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(len(costs) + 1)
    lp.a_matrix_.index_ = np.zeros(len(costs), dtype=np.int32)
    lp.a_matrix_.value_ = np.array(matrix)
    return lp


def test_ranges_ignore_zeros_and_infinite_bounds() -> None:
    ranges = coefficient_ranges(_lp([0.0, 2.0, 8.0], [0.5, 1.0, 4.0]))
    assert ranges["cost"] == (2.0, 8.0)  # the zero cost is not a magnitude
    assert ranges["matrix"] == (0.5, 4.0)
    assert ranges["rhs"] == (1.0, 1.0)  # the infinite upper side is left out
    assert "bound" not in ranges  # all bounds are 0 or infinite
    assert scaling_warnings(_lp([2.0, 8.0], [0.5, 4.0])) == []


def test_costs_spanning_twelve_orders_warn() -> None:
    # 1e-3 and 1e9: a span of 1e12 > 1e10
    (warning,) = scaling_warnings(_lp([1e-3, 1e9], [1.0, 1.0]))
    assert warning.startswith("cost coefficients span [0.001, 1e+09]")


def test_run_warns_before_the_solve(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    """Variable cost 0.001 USD/t and a 1e9 USD/t penalty are each inside their
    window but span 1e12 together: the run solves and warns."""
    def edit(t: Tables) -> None:
        t["processes"][0]["variable_cost_usd_per_t"] = 0.001
        t["commodities"][0]["shortfall_penalty_usd_per_t"] = 1e9
    outcome = run_cli(csv_case(tmp_path / "case", edit), measure=False)
    assert outcome.code == 0
    assert "scenario 'baseline': cost coefficients span" in outcome.err
    assert "check units" in outcome.err
