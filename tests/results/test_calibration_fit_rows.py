"""calibration_fit (model/results/calibration_fit.py) on a hand-built index and
solution.

No solve: the index frames, the calibration bands and the solver's values are
written here; each model value and gap is worked out by hand in the comments.
``make mutate`` runs these first for the calibration_fit group, so a mutant dies
without solving a case (tests/formulation/test_calibration.py keeps the solved
ones).

Regions a, b (buyers) and cn (bloc china). Values: act a0 (a, mine, 2025) 80 t,
a1 (b, mine, 2025) 30 t, a2 (a, mine, 2026) 70 t, a3 (a, sep, 2025) 5 t; flows
f0 cn -> a ox 28 t, f1 b -> a ox 12 t, f2 cn -> a metal 9 t, f3 a -> b ox 4 t (all
2025), f4 cn -> b metal 0.5 t; a stock draw of 8 t in a (ox, 2025), a quarter
Chinese.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.indices import LPIndex
from model.results.calibration_fit import COLUMNS, calibration_fit
from model.solver.records import Solution

CAL = ["row", "year", "quantity", "region", "process", "commodity", "destination",
       "regions", "destinations", "value", "tolerance_pct"]
A, B, CN = frozenset({"a"}), frozenset({"b"}), frozenset({"cn"})
AB = A | B


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _calibration() -> pd.DataFrame:
    return _frame(CAL, [
        (0, 2025, "activity", "a", "mine", "", "", A, None, 100.0, 10.0),
        (1, 2025, "activity", "", "mine", "", "", None, None, 100.0, 5.0),
        (2, 2025, "flow", "cn", "", "ox", "a", CN, A, 20.0, 10.0),
        (3, 2025, "flow", "cn", "", "", "", CN, None, 37.5, 10.0),
        (4, 2025, "china_share", "a", "", "ox", "", A, None, 0.25, 20.0),
        (5, 2025, "china_share", "a b", "", "ox", "", AB, None, 0.2, 20.0),
        (6, 2026, "china_share", "a", "", "metal", "", A, None, 0.1, 20.0),
        (7, 2025, "activity", "a", "sep", "", "", A, None, 0.0, 10.0),
        (8, 2026, "activity", "a", "sep", "", "", A, None, 0.0, 100.0),
        (9, 2025, "china_share", "b", "", "metal", "", B, None, 0.9, 20.0),
    ])


def _index(calibration: pd.DataFrame) -> LPIndex:
    act = _frame(["region", "process", "year"],
                 [("a", "mine", 2025), ("b", "mine", 2025), ("a", "mine", 2026),
                  ("a", "sep", 2025)])
    flow = _frame(["origin", "destination", "commodity", "year"],
                  [("cn", "a", "ox", 2025), ("b", "a", "ox", 2025),
                   ("cn", "a", "metal", 2025), ("a", "b", "ox", 2025),
                   ("cn", "b", "metal", 2025)])
    terms = _frame(["region", "commodity", "year", "family", "position", "coef"], [
        ("a", "ox", 2025, "act", 0, 1.0), ("a", "ox", 2025, "flow", 0, 1.0),
        ("a", "ox", 2025, "flow", 1, 1.0), ("a", "ox", 2025, "release", 0, 1.0),
        ("a", "ox", 2025, "act", 3, -2.0), ("a", "ox", 2025, "flow", 3, -1.0),
        ("a", "ox", 2025, "short", 0, 1.0), ("a", "ox", 2026, "act", 2, 1.0),
        ("b", "ox", 2025, "act", 1, 1.0), ("b", "ox", 2025, "flow", 1, -1.0),
        ("b", "ox", 2025, "flow", 3, 1.0), ("a", "metal", 2025, "flow", 2, 1.0),
        ("b", "metal", 2025, "flow", 4, 1.0)])
    empty = pd.DataFrame()
    return LPIndex(years=[2025, 2026], discount={2025: 1.0, 2026: 1.0}, act=act,
                   build=empty, flow=flow, short=empty, surplus=empty, stock=empty,
                   balance_terms=terms, build_window=empty, expansion_limits=empty,
                   reserves=empty, calibration=calibration, china=CN,
                   stock_china=np.array([0.25]))


def _solution() -> Solution:
    values = {"act": np.array([80.0, 30.0, 70.0, 5.0]),
              "flow": np.array([28.0, 12.0, 9.0, 4.0, 0.5]),
              "release": np.array([8.0]),
              "short": np.array([3.0])}
    return Solution(objective=0.0, values=values, row_duals={}, col_duals={})


def test_each_row_is_measured_as_its_constraint_measures_it() -> None:
    # row 0: a's mine in 2025 = a0 = 80 against 100: gap -20 %.
    # row 1: every region's mine in 2025 = 80 + 30 = 110: +10 %.
    # row 2: ox from cn into a = f0 = 28 against 20: +40 %.
    # row 3: any commodity from cn to outside cn = f0 + f2 + f4 = 37.5: 0 %.
    # row 4: ox supplied to a in 2025: a0 80 (made in a: not Chinese), f0 28
    #   (from cn), f1 12 (from b), the draw 8 (a quarter Chinese: 2); a's own use
    #   (a3's -2 t/t), its export f3 and the shortfall are not supply. Share =
    #   (28 + 2) / 128 = 0.234375 against 0.25: -6.25 %.
    # row 5: buyers a and b: f1 and f3 stay inside them (left out); b's mine a1
    #   (30) joins: (28 + 2) / (80 + 28 + 8 + 30) = 30 / 146.
    # row 6: no metal supplied to a in 2026: share 0 against 0.1: -100 %.
    # row 7: observed 0: a3 = 5 t, no gap (NaN).
    # row 8: no variable measures a's sep in 2026: model 0 (not blank), no gap.
    # row 9: b's metal is f4's half tonne, all from cn: share 1 against 0.9.
    share5 = 30 / 146
    frame = calibration_fit(_index(_calibration()), _solution(), "base")
    assert list(frame.columns) == COLUMNS
    assert list(frame.index) == list(range(10))
    assert frame["scenario"].tolist() == ["base"] * 10
    assert frame["year"].tolist() == [2025] * 6 + [2026, 2025, 2026, 2025]
    assert frame["quantity"].tolist() == ["activity", "activity", "flow", "flow",
                                          "china_share", "china_share",
                                          "china_share", "activity", "activity",
                                          "china_share"]
    assert frame["region"].tolist() == ["a", "", "cn", "cn", "a", "a b", "a", "a",
                                        "a", "b"]
    assert frame["process"].tolist() == ["mine", "mine", "", "", "", "", "", "sep",
                                         "sep", ""]
    assert frame["commodity"].tolist() == ["", "", "ox", "", "ox", "ox", "metal", "",
                                           "", "metal"]
    assert frame["destination"].tolist() == ["", "", "a", "", "", "", "", "", "", ""]
    assert frame["observed"].tolist() == [100.0, 100.0, 20.0, 37.5, 0.25, 0.2, 0.1,
                                          0.0, 0.0, 0.9]
    assert frame["model"].tolist() == pytest.approx(
        [80.0, 110.0, 28.0, 37.5, 0.234375, share5, 0.0, 5.0, 0.0, 1.0], rel=1e-12)
    gap = frame["gap_pct"].tolist()
    assert gap[:7] + gap[9:] == pytest.approx(
        [-20.0, 10.0, 40.0, 0.0, -6.25, 100 * (share5 - 0.2) / 0.2, -100.0,
         100 * 0.1 / 0.9], rel=1e-9, abs=1e-9)
    assert np.isnan(gap[7]) and np.isnan(gap[8])
    assert frame["tolerance_pct"].tolist() == [10.0, 5.0, 10.0, 10.0, 20.0, 20.0,
                                               20.0, 10.0, 100.0, 20.0]


def test_rows_numbered_apart_from_their_position_keep_their_own_measure() -> None:
    # The same bands listed in reverse order (row numbers kept): each row's
    # model value follows its row number, not its place in the frame.
    cal = _calibration().iloc[::-1].reset_index(drop=True)
    frame = calibration_fit(_index(cal), _solution(), "base")
    assert frame["model"].tolist() == pytest.approx(
        [1.0, 0.0, 5.0, 0.0, 30 / 146, 0.234375, 37.5, 28.0, 110.0, 80.0],
        rel=1e-12)


def test_no_calibration_gives_an_empty_table() -> None:
    frame = calibration_fit(_index(pd.DataFrame()), _solution(), "base")
    assert frame.empty and list(frame.columns) == COLUMNS
