"""Integer key matching (model/data/keys.py) against pandas merges of the same
frames: the independent method the helpers replace in the build phase."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.keys import codes_in, match_rows, pairs

LEFT = pd.DataFrame({"region": pd.array(["b", "a", "c", "a", "b"], dtype="str"),
                     "process": ["x", "y", "x", "x", "z"],
                     "year": [1, 2, 1, 1, 3]})
TABLE = pd.DataFrame({"region": ["a", "b", "a", "d"],
                      "process": ["x", "x", "y", "x"],
                      "year": [1, 1, 2, 1]})


def test_match_rows_is_a_left_merge() -> None:
    # by hand: (b,x,1) -> 1, (a,y,2) -> 2, (c,x,1) none, (a,x,1) -> 0, (b,z,3) none
    found = match_rows(LEFT, TABLE, ["region", "process", "year"])
    assert found.tolist() == [1, 2, -1, 0, -1]
    merged = LEFT.merge(TABLE.reset_index(), on=["region", "process", "year"],
                        how="left")["index"]
    assert found.tolist() == merged.fillna(-1).astype(int).tolist()


def test_pairs_follow_the_merge_order() -> None:
    # by hand on (region, process): row 0 (b,x) -> 1; 1 (a,y) -> 2; 2 (c,x) none;
    # 3 (a,x) -> 0; 4 (b,z) none; then on process alone every x of TABLE per x
    i, j = pairs(LEFT, TABLE, ["region", "process"])
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 2), (3, 0)]
    i, j = pairs(LEFT, TABLE, ["process"])
    merged = LEFT.reset_index(names="i").merge(
        TABLE.reset_index(names="j"), on="process")
    assert i.tolist() == merged["i"].tolist()
    assert j.tolist() == merged["j"].tolist()
    assert np.array_equal(i, [0, 0, 0, 1, 2, 2, 2, 3, 3, 3])


def test_codes_in_names() -> None:
    # by hand against names (a, b): b -> 1, a blank -> -1, z (not a name) -> -1
    values = pd.Series(["b", None, "z", "a", "b"], dtype="str")
    assert codes_in(values, pd.Index(["a", "b"], dtype=object)).tolist() == [
        1, -1, -1, 0, 1]
    assert codes_in(pd.Series([], dtype=object), pd.Index(["a"])).tolist() == []


def test_a_blank_key_matches_nothing() -> None:
    # unlike a pandas merge (NaN meets NaN), a blank in either frame is no key:
    # by hand, row 0 (blank, x) finds nothing though the table's row 1 is
    # (blank, x); row 1 (a, x) finds row 0
    left = pd.DataFrame({"region": [None, "a"], "process": ["x", "x"]})
    table = pd.DataFrame({"region": ["a", None], "process": ["x", "x"]})
    assert match_rows(left, table, ["region", "process"]).tolist() == [-1, 0]
    i, j = pairs(left, table, ["region", "process"])
    assert (i.tolist(), j.tolist()) == ([1], [0])
