"""Starts from another scenario's optimum (model/solver/starts.py): columns and rows
matched by key, a basis moved across, and the probe's choice."""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd
import pytest

from model.solver.starts import AT_MOST, LpKeys, Probe, StartMap

S = highspy.HighsBasisStatus
INF = np.inf


def _keys(columns: dict[str, tuple[pd.DataFrame, list[int]]],
          rows: dict[str, tuple[pd.DataFrame, list[int]]], sizes: tuple[int, int]
          ) -> LpKeys:
    return LpKeys({f: (k, np.array(p)) for f, (k, p) in columns.items()},
                  {f: (k, np.array(p)) for f, (k, p) in rows.items()}, sizes)


def _flows(pairs: list[tuple[str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["origin", "year", "transport_usd_per_t"])


def test_columns_and_rows_are_matched_by_key_not_by_data() -> None:
    # Target flows: (a, 2025) at column 0, (b, 2025) at 2, (c, 2025) absent from
    # the LP (-1), (d, 2025) at 1. Source flows in another order and with other
    # transport costs (data, not key): (b, 2025) at 5, (a, 2025) at 0, (d, 2026)
    # at 4, (c, 2025) at 2 (the target has no column for it: nothing is written).
    # So column 0 -> 0, column 2 -> 5, column 1 (d, 2025) has no match.
    # A family the source lacks ("stock", first) and one with no variables are
    # skipped, and the families after them are still matched.
    # Rows match on every key column, numbers included: balance row 0 (a, 2025)
    # -> source row 1; calibration row 0 (row 7) -> source row 2, row 1 (row 8)
    # has none (a row's number is a key, not data).
    target = _keys({"stock": (_flows([("a", 2025, 1.0)]), [9]),
                    "empty": (_flows([]), []),
                    "flow": (_flows([("a", 2025, 1.0), ("b", 2025, 2.0),
                                     ("c", 2025, 3.0), ("d", 2025, 4.0)]),
                             [0, 2, -1, 1])},
                   {"balance": (pd.DataFrame({"region": ["a", "z"],
                                              "year": [2025, 2025]}), [0, 1]),
                    "calibration": (pd.DataFrame({"row": [7, 8],
                                                  "year": [2025, 2025]}), [2, 3])},
                   (3, 4))
    source = _keys({"empty": (_flows([("a", 2025, 1.0)]), [0]),
                    "flow": (_flows([("b", 2025, 9.0), ("a", 2025, 8.0),
                                     ("d", 2026, 4.0), ("c", 2025, 3.0)]),
                             [5, 0, 4, 2])},
                   {"balance": (pd.DataFrame({"region": ["y", "a"],
                                              "year": [2025, 2025]}), [0, 1]),
                    "calibration": (pd.DataFrame({"row": [7, 9],
                                                  "year": [2025, 2025]}), [2, 3])},
                   (6, 4))
    found = StartMap.between(target, source)
    assert found.columns.tolist() == [0, -1, 5]
    assert found.rows.tolist() == [1, -1, 2, -1]


@pytest.mark.parametrize("side", ["source", "target"])
def test_a_family_with_repeated_keys_is_left_unmatched(side: str) -> None:
    # (a, 2025) twice on one side: which column is which cannot be told. The
    # "flow" family after it is still matched: column 1 -> 3.
    once = {"dup": (_flows([("a", 2025, 1.0)]), [0]),
            "flow": (_flows([("x", 2025, 1.0)]), [1])}
    twice = {"dup": (_flows([("a", 2025, 1.0), ("a", 2025, 2.0)]), [0, 2]),
             "flow": (_flows([("x", 2025, 1.0)]), [3])}
    if side == "source":
        target, source = _keys(once, {}, (2, 0)), _keys(twice, {}, (4, 0))
        assert StartMap.between(target, source).columns.tolist() == [-1, 3]
    else:
        target, source = _keys(twice, {}, (4, 0)), _keys(once, {}, (2, 0))
        assert StartMap.between(target, source).columns.tolist() == [-1, -1, -1, 1]


def test_a_moved_basis_keeps_statuses_at_finite_bounds() -> None:
    # Source statuses by column: 0 basic, 1 at upper, 2 at upper, 3 at lower.
    # Target columns: 0 <- 0 (basic), 1 <- 1 (upper, finite: stays at upper),
    # 2 <- 2 (upper infinite: at its lower bound 0), 3 <- 3 (lower infinite,
    # upper 5: at upper), 4 unmatched (at its lower bound), 5 unmatched and free
    # (zero). Rows: 0 <- source row 1 (at lower), 1 unmatched (basic).
    moved = StartMap(np.array([0, 1, 2, 3, -1, -1]), np.array([1, -1]))
    source = highspy.HighsBasis()
    source.col_status = [S.kBasic, S.kUpper, S.kUpper, S.kLower]
    source.row_status = [S.kBasic, S.kLower]
    basis = moved.basis(source, np.array([0, 0, 0, -INF, 0, -INF]),
                        np.array([INF, 7, INF, 5, INF, INF]),
                        np.array([1.0, -INF]), np.array([1.0, 4.0]))
    assert list(basis.col_status) == [S.kBasic, S.kUpper, S.kLower, S.kUpper,
                                      S.kLower, S.kZero]
    assert list(basis.row_status) == [S.kLower, S.kBasic]
    assert basis.alien and basis.valid


def test_the_probe_takes_a_start_only_when_it_saves_enough() -> None:
    # x: own 1000, from a 200 (<= AT_MOST x 1000), from b 100: b. y: own 1000,
    # from a 900 (a tenth fewer, not enough): its own. w: own 1000, from a
    # exactly 500 (= AT_MOST x 1000): a. z: nothing solved before.
    assert AT_MOST == 0.5
    probe = Probe({("x", ""): 1000, ("x", "a"): 200, ("x", "b"): 100,
                   ("y", ""): 1000, ("y", "a"): 900, ("w", ""): 1000,
                   ("w", "a"): 500, ("z", ""): 50})
    assert probe.chosen() == {"x": "b", "w": "a"}


def test_the_keys_of_a_program_are_its_families_and_positions() -> None:
    # A hand-made program: flow variables at columns 2 and 0 with their key frame,
    # one variable family without a key frame (left out), one row block of two
    # balance rows from row 3. The kept keys are the frames as given, the
    # columns' positions as given and the rows' positions 3 and 4.
    from model.solver.records import LinearProgram, RowBlock  # noqa: PLC0415

    flows = _flows([("a", 2025, 1.0), ("b", 2025, 2.0)])
    balance = pd.DataFrame({"region": ["a", "b"], "year": [2025, 2025]})
    program = LinearProgram(None, {"flow": np.array([2, 0]), "free": np.array([1])},
                            {"balance": RowBlock(3, balance, np.zeros(2))},
                            {"flow": flows})
    keys = LpKeys.of(program, 3, 5)
    assert keys.sizes == (3, 5)
    assert list(keys.columns) == ["flow"]
    assert keys.columns["flow"][0] is flows
    assert keys.columns["flow"][1].tolist() == [2, 0]
    assert list(keys.rows) == ["balance"]
    assert keys.rows["balance"][0] is balance
    assert keys.rows["balance"][1].tolist() == [3, 4]
