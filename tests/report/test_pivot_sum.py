"""``pivot_sum`` (model/report/excel/pivot.py): sums pivoted wide.

By hand: a small frame's sums per (row key, column key), missing pairs filled.
The independent method is pandas' own ``pivot_table(aggfunc="sum")``, compared
to the last bit on frames with repeated keys, both sort orders, a two-level
index, missing pairs left missing or filled, and an empty frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.report.excel.pivot import pivot_sum

FRAME = pd.DataFrame({
    "region": ["b", "a", "b", "a", "c"],
    "stage": ["mine", "mine", "mine", "refine", "refine"],
    "year": [2030, 2031, 2030, 2030, 2031],
    "t": [1.5, 2.0, 0.25, 4.0, 8.0],
})


def test_pivot_sum_by_hand() -> None:
    wide = pivot_sum(FRAME, "region", "stage", "t", fill_value=0.0)
    assert list(wide.index) == ["a", "b", "c"]
    assert list(wide.columns) == ["mine", "refine"]
    assert wide.to_numpy().tolist() == [[2.0, 4.0], [1.75, 0.0], [0.0, 8.0]]
    unsorted = pivot_sum(FRAME, "region", "stage", "t", sort=False)
    assert list(unsorted.index) == ["b", "a", "c"]  # first seen first
    assert unsorted.loc["b", "mine"] == 1.75
    assert np.isnan(unsorted.loc["b", "refine"])  # no fill: missing


def random_frame(seed: int, rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "region": pd.array(rng.choice(["x", "y", "z", "w"], rows), dtype="str"),
        "stage": rng.choice(["mine", "refine", "metal"], rows),
        "year": rng.integers(2025, 2040, rows),
        "t": rng.normal(0, 1e4, rows) * rng.choice([1.0, 1e-9, 0.0], rows),
    })


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("fill", [0.0, None])
@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("index", ["region", ["region", "stage"], "year"])
def test_pivot_sum_is_pivot_table(seed: int, fill: float | None, sort: bool,
                                  index: str | list[str]) -> None:
    frame = random_frame(seed, 300)
    columns = "stage" if index == "year" else "year"
    want = frame.pivot_table(index=index, columns=columns, values="t",
                             aggfunc="sum", fill_value=fill, sort=sort)
    got = pivot_sum(frame, index, columns, "t", fill_value=fill, sort=sort)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.to_numpy().tobytes() == want.to_numpy().tobytes()  # every bit


def test_pivot_sum_of_nothing_is_pivot_table() -> None:
    empty = FRAME.iloc[:0]
    pd.testing.assert_frame_equal(
        pivot_sum(empty, "region", "year", "t", fill_value=0.0),
        empty.pivot_table(index="region", columns="year", values="t",
                          aggfunc="sum", fill_value=0.0))
