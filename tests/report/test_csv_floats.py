"""tables/*.csv: float columns formatted once per distinct value write the bytes
pandas' own ``to_csv(float_format=...)`` writes (model/report/csv_tables.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.report.csv_tables import FLOAT_FORMAT, float_texts, formatted


def test_formatted_frame_writes_the_same_csv() -> None:
    # the independent method: pandas formats every cell with FLOAT_FORMAT itself
    values = np.array([0.0, -0.0, np.nan, 1 / 3, 1e300, -np.inf, 1 / 3, 2.5e-12,
                       0.0, 123456789.0123, np.inf, 5e-324])
    frame = pd.DataFrame({"x": values, "text": ["a"] * len(values),
                          "n": np.arange(len(values)),
                          "y": values[::-1].copy()})
    expected = frame.to_csv(index=False, float_format=FLOAT_FORMAT)
    assert formatted(frame).to_csv(index=False, float_format=FLOAT_FORMAT) == expected
    assert frame["x"].dtype == np.float64  # the frame given is left as it was


def test_float_texts_by_hand() -> None:
    # '%.10g' by hand: 0 -> '0', -0.0 -> '-0', NaN -> '' (to_csv's na_rep),
    # 1/3 -> ten significant digits, 1e-5 -> '1e-05'
    got = float_texts(np.array([0.0, -0.0, np.nan, 1 / 3, 1e-5, 0.0]))
    assert list(got) == ["0", "-0", "", "0.3333333333", "1e-05", "0"]


def test_empty_and_non_float_frames_are_unchanged() -> None:
    empty = pd.DataFrame({"x": np.array([], dtype=float)})
    assert formatted(empty).to_csv(index=False) == empty.to_csv(index=False)
    ints = pd.DataFrame({"n": [1, 2]})
    assert formatted(ints) is ints
