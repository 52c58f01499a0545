"""``column_wise_lp``: canonical column-wise arrays are stored as they are, and
repeated (row, column) entries are summed."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from model.solver.records import column_wise_lp, is_canonical

CASES = [  # (start, index): column-wise row numbers
    ([0, 2, 3], [0, 1, 1]),        # sorted, no repeats
    ([0, 2, 3], [1, 0, 1]),        # column 0 unsorted
    ([0, 2, 3], [1, 1, 0]),        # (1, 0) twice
    ([0, 0, 2, 2, 3], [0, 2, 1]),  # empty columns between
    ([0, 1, 2], [2, 0]),           # a new column may start at a lower row
    ([0, 0], []),                  # no entries
]


@pytest.mark.parametrize(("start", "index"), CASES)
def test_is_canonical_agrees_with_scipy(start: list[int], index: list[int]) -> None:
    """Independent check: scipy's own has_canonical_format of the same matrix."""
    n_col, n_row = len(start) - 1, 3
    a = sp.csc_matrix((np.ones(len(index)), np.array(index, dtype=np.int64),
                       np.array(start, dtype=np.int64)), shape=(n_row, n_col))
    assert is_canonical(np.array(start), np.array(index, dtype=np.int64)) == (
        a.has_canonical_format)


def test_repeated_entries_are_summed_and_rows_sorted() -> None:
    """Column 0 holds (row 1, -1.0), (row 0, 2.0), (row 1, 0.95): stored as
    (row 0, 2.0), (row 1, -0.05) (by hand); column 1's (row 0, 3.0) as it is."""
    lp = column_wise_lp(np.zeros(2), np.ones(2), 0.0, np.zeros(2), np.ones(2),
                        np.array([0, 3, 4]), np.array([1, 0, 1, 0]),
                        np.array([-1.0, 2.0, 0.95, 3.0]))
    assert list(lp.a_matrix_.start_) == [0, 2, 3]
    assert list(lp.a_matrix_.index_) == [0, 1, 0]
    assert list(lp.a_matrix_.value_) == pytest.approx([2.0, -0.05, 3.0])


def test_canonical_arrays_are_stored_as_given() -> None:
    lp = column_wise_lp(np.zeros(2), np.ones(2), 0.0, np.zeros(3), np.ones(3),
                        np.array([0, 2, 3]), np.array([0, 2, 1]),
                        np.array([1.5, -2.0, 4.0]))
    assert list(lp.a_matrix_.start_) == [0, 2, 3]
    assert list(lp.a_matrix_.index_) == [0, 2, 1]
    assert list(lp.a_matrix_.value_) == [1.5, -2.0, 4.0]
