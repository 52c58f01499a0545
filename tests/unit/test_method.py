"""The default HiGHS method: ``auto`` picks by the LP's size (model/solver/method.py).

Dual simplex up to and including ``SIMPLEX_MAX_COLUMNS`` columns, IPX above (the
threshold read off the measurements in docs/performance.md); any method asked
for is used whatever the size; ``make_highs`` hands HiGHS the method so chosen.
"""

from __future__ import annotations

import highspy
import numpy as np
import pytest

from model.solver.highs import make_highs
from model.solver.method import AUTO, SIMPLEX_MAX_COLUMNS, method_for
from model.solver.records import SolveOptions, column_wise_lp


def test_the_default_option_is_auto() -> None:
    assert SolveOptions().method == AUTO


@pytest.mark.parametrize(("columns", "method"), [
    (0, "simplex"), (1, "simplex"), (SIMPLEX_MAX_COLUMNS, "simplex"),
    (SIMPLEX_MAX_COLUMNS + 1, "ipx"), (2_000_000, "ipx")])
def test_auto_picks_by_columns(columns: int, method: str) -> None:
    assert method_for(AUTO, columns) == method


@pytest.mark.parametrize("asked", ["ipx", "simplex", "pdlp", "choose"])
@pytest.mark.parametrize("columns", [10, SIMPLEX_MAX_COLUMNS + 1])
def test_a_method_asked_for_is_used_at_any_size(asked: str, columns: int) -> None:
    assert method_for(asked, columns) == asked


@pytest.mark.parametrize(("columns", "method"), [
    (2, "simplex"), (SIMPLEX_MAX_COLUMNS + 1, "ipx")])
def test_make_highs_sets_the_chosen_method(columns: int, method: str) -> None:
    h = make_highs(SolveOptions(), columns=columns)
    assert h.getOptionValue("solver") == (highspy.HighsStatus.kOk, method)


def test_auto_solves_a_hand_lp() -> None:
    """min x + 2y s.t. x + y >= 3, x <= 2: x = 2, y = 1, objective 4 (x is the
    cheaper and takes its bound, y the rest)."""
    lp = column_wise_lp(np.array([1.0, 2.0]), np.array([2.0, np.inf]), 0.0,
                        np.array([3.0]), np.array([np.inf]),
                        np.array([0, 1, 2]), np.array([0, 0]), np.array([1.0, 1.0]))
    h = make_highs(SolveOptions(), columns=lp.num_col_)
    assert h.passModel(lp) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(4.0)
    assert list(h.getSolution().col_value) == pytest.approx([2.0, 1.0])
