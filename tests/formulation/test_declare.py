"""The declaration types (model/formulation/declare.py) on their own, no solve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.formulation.declare import ConstraintFamily, VariableFamily, limit_of


def _rows(ix: object) -> None:
    r"""x_i \le 1"""


def test_a_constraint_family_takes_one_of_three_senses() -> None:
    for sense in ("==", "<=", ">="):
        assert ConstraintFamily("c", sense, _rows, "doc").sense == sense
    with pytest.raises(ValueError) as err:
        ConstraintFamily("c", "<", _rows, "doc")
    assert str(err.value) == "c: sense '<' not in ('==', '<=', '>=')"


def test_a_constraint_familys_math_is_its_rows_docstring() -> None:
    assert ConstraintFamily("c", "<=", _rows, "doc").math == r"x_i \le 1"
    assert ConstraintFamily("c", "<=", lambda ix: None, "doc").math == ""


def test_upper_bounds_inf_where_unlimited() -> None:
    frame = pd.DataFrame({"k": [1, 2, 3]})
    free = VariableFamily("v", lambda ix: frame, "doc")
    assert free.upper_bounds(None).tolist() == [np.inf] * 3
    capped = VariableFamily("v", lambda ix: frame, "doc",
                            upper=lambda ix: np.array([2.0, np.nan, 0.0]))
    assert capped.upper_bounds(None).tolist() == [2.0, np.inf, 0.0]


def test_limit_of_a_nullable_column() -> None:
    values = pd.Series([5, None, 0], dtype="Int64")
    out = limit_of(values)
    assert out.dtype == float
    assert out[0] == 5.0 and np.isnan(out[1]) and out[2] == 0.0
