"""CSV text neutralised (model/report/safe_text.py ``csv_safe_frame``).

The rule (a cell starting with a formula trigger gets a leading apostrophe) is
checked by hand; the frame-level shortcuts (a column mapped only when one of its
distinct texts is dangerous or it holds other objects, the frame copied only
when a column is mapped) against the plain definition the function had before
them: copy the frame and map every text or object column cell by cell. Equal
frames (dtypes included) and equal CSV bytes, for each kind of column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.report.safe_text import csv_safe, csv_safe_frame


def plain_definition(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: csv_safe(v) if isinstance(v, str) else v)
    return out


def test_dangerous_text_gets_an_apostrophe() -> None:
    # by hand: "=1+1" and " -x" (a trigger after spaces) and "\uff1dA1" (a
    # full-width =) are dangerous; "ok", "a=b" and a blank are not
    frame = pd.DataFrame({"t": ["=1+1", " -x", "ok", None, "a=b", "\uff1dA1"],
                          "n": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    out = csv_safe_frame(frame)
    assert out["t"].fillna("<blank>").tolist() == [
        "'=1+1", "' -x", "ok", "<blank>", "a=b", "'\uff1dA1"]
    assert out["n"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert frame["t"].iloc[0] == "=1+1"  # the caller's frame is left as it was


FRAMES = {
    "safe text": pd.DataFrame({"t": ["a", "b", None], "y": [2025, 2026, 2027]}),
    "arrow text": pd.DataFrame({"t": pd.array(["=x", "b", None], dtype="str")}),
    "numbers as objects": pd.DataFrame({"v": pd.Series([1.5, 2, None],
                                                       dtype=object)}),
    "text and numbers": pd.DataFrame({"v": pd.Series(["+1", 2.5, np.nan],
                                                     dtype=object)}),
    "booleans as objects": pd.DataFrame({"b": pd.Series([True, None],
                                                        dtype=object)}),
    "unhashable": pd.DataFrame({"l": pd.Series([["=a"], "@b"], dtype=object)}),
    "no rows": pd.DataFrame({"t": pd.Series([], dtype=object)}),
}


def test_equal_to_the_plain_definition() -> None:
    for name, frame in FRAMES.items():
        got, want = csv_safe_frame(frame), plain_definition(frame)
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=name)
        assert got.to_csv(index=False) == want.to_csv(index=False), name
