"""The declaration types (model/formulation/declare.py) on their own, no solve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.formulation.declare import (
    Block,
    BoundFamily,
    ConstraintFamily,
    Fixed,
    Rows,
    Terms,
    VariableFamily,
    fixed_columns,
    flatten,
    limit_of,
)


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


def test_upper_bounds_read_the_index_they_are_given() -> None:
    # frame and upper both read the index: three variables, caps 4, blank, 0
    # from its "cap" column -> 4, inf, 0.
    ix = {"frame": pd.DataFrame({"k": [1, 2, 3]}), "cap": np.array([4.0, np.nan, 0.0])}
    family = VariableFamily("v", lambda ix: ix["frame"], "doc",
                            upper=lambda ix: ix["cap"])
    assert family.upper_bounds(ix).tolist() == [4.0, np.inf, 0.0]


def test_limit_of_a_nullable_column() -> None:
    values = pd.Series([5, None, 0], dtype="Int64")
    out = limit_of(values)
    assert out.dtype == float
    assert out[0] == 5.0 and np.isnan(out[1]) and out[2] == 0.0


# flatten: a family's rows as the builders read them (no solve). Two variable
# families, "a" with columns 0..9 and "b" from 10 (``first``).
FIRST = {"a": 0, "b": 10}


def _block(terms: tuple[Terms, ...], rhs: object = (1, 2, 3)) -> Block:
    keys = pd.DataFrame({"k": ["r0", "r1", "r2"]})
    family = ConstraintFamily("c", ">=", _rows, "the doc")
    return flatten(family, Rows(keys, rhs, terms), FIRST)


def test_flatten_sorts_terms_by_row_in_declared_order() -> None:
    # Terms, in declared order (row, column, coef):
    #   t1 (family a): (2, a[1] = 1, 1), (0, a[0] = 0, 1)      coef 1 broadcast
    #   t2 (b, a):     (0, b[2] = 12, 5), (2, a[3] = 3, 6), (1, b[0] = 10, 7)
    # Sorted by row, each row's terms kept in declared order:
    #   row 0: column 0 (coef 1), 12 (5); row 1: 10 (7); row 2: 1 (1), 3 (6).
    # Integer rows, positions and coefficients come out as int64 and float.
    t1 = Terms("a", [2, 0], [1, 0], 1)
    t2 = Terms(np.array(["b", "a", "b"], dtype=object), np.array([0.0, 2.0, 1.0]),
               np.array([2.0, 3.0, 0.0]), np.array([5, 6, 7]))
    block = _block((t1, t2))
    assert (block.name, block.sense, block.doc) == ("c", ">=", "the doc")
    assert block.keys["k"].tolist() == ["r0", "r1", "r2"]
    assert block.row.tolist() == [0, 0, 1, 2, 2]
    assert block.column.tolist() == [0, 12, 10, 1, 3]
    assert block.coef.tolist() == [1.0, 5.0, 7.0, 1.0, 6.0]
    assert block.rhs.tolist() == [1.0, 2.0, 3.0]
    assert (block.row.dtype, block.column.dtype) == (np.int64, np.int64)
    assert (block.coef.dtype, block.rhs.dtype) == (np.float64, np.float64)
    # row k's terms are starts[k]:starts[k+1]; >= rows: lower = rhs, no upper
    assert block.starts.tolist() == [0, 2, 3, 5]
    assert block.lower.tolist() == [1.0, 2.0, 3.0]
    assert block.upper.tolist() == [np.inf] * 3


def test_flatten_keeps_declared_order_among_many_terms_of_a_row() -> None:
    # 40 terms alternating rows 1, 0 (a[i] in term i): sorted by row, row 0 holds
    # the odd positions 1, 3, ..., 39 and row 1 the even 0, 2, ..., 38, each in
    # declared (ascending) order; an unstable sort would shuffle them.
    n = 40
    terms = Terms("a", np.array([1, 0] * (n // 2)), np.arange(n), 1.0)
    block = _block((terms,), rhs=[0.0, 0.0, 0.0])
    assert block.column.tolist() == list(range(1, n, 2)) + list(range(0, n, 2))


def test_flatten_of_sorted_rows_and_of_no_terms() -> None:
    # Already sorted rows (0, 1, 1, 2): kept as they are.
    block = _block((Terms("b", [0, 1, 1, 2], [3, 2, 1, 0], [1.0, 2.0, 3.0, 4.0]),))
    assert block.row.tolist() == [0, 1, 1, 2]
    assert block.column.tolist() == [13, 12, 11, 10]
    assert block.coef.tolist() == [1.0, 2.0, 3.0, 4.0]
    # No terms at all: empty int64 rows and columns, empty float coefficients.
    empty = _block(())
    assert (len(empty.row), len(empty.column), len(empty.coef)) == (0, 0, 0)
    assert (empty.row.dtype, empty.column.dtype) == (np.int64, np.int64)
    assert empty.coef.dtype == np.float64
    assert empty.starts.tolist() == [0, 0, 0, 0]


def test_flatten_columns_stay_integers_with_an_empty_family_array() -> None:
    # An empty per-term family array (a family with no such terms this time)
    # after "a" terms in rows 0, 2, 1 (a[2], a[0], a[1]): sorted by row, the
    # columns are 2, 1, 0, still int64.
    none = Terms(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64),
                 np.zeros(0, dtype=np.int64), 1.0)
    block = _block((Terms("a", [0, 2, 1], [2, 0, 1], 1.0), none))
    assert block.column.tolist() == [2, 1, 0]
    assert block.column.dtype == np.int64


def test_flatten_needs_one_right_hand_side_per_key() -> None:
    with pytest.raises(ValueError) as err:
        _block((Terms("a", [0], [0], 1.0),), rhs=[1.0, 2.0])
    assert str(err.value) == "c: 2 right-hand sides for 3 keys"


def test_fixed_columns_of_one_family_and_of_several() -> None:
    # b[2] = 12; (a[4], b[1], a[0]) = 4, 11, 0
    one = Fixed("b", np.array([2]), np.array([5.0]))
    assert fixed_columns(one, FIRST).tolist() == [12]
    several = Fixed(np.array(["a", "b", "a"], dtype=object), np.array([4, 1, 0]),
                    np.array([1.0, 2.0, 3.0]))
    columns = fixed_columns(several, FIRST)
    assert columns.tolist() == [4, 11, 0]
    assert columns.dtype == np.int64


def test_a_bound_familys_math_is_its_fixed_docstring() -> None:
    def _fixed(ix: object) -> None:
        r"""x_i = \hat{x}_i"""

    assert BoundFamily("f", _fixed, "doc").math == r"x_i = \hat{x}_i"
    assert BoundFamily("f", lambda ix: None, "doc").math == ""
