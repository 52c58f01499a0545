"""Starts from another scenario's optimum (model/solver/starts.py): columns and rows
matched by key, a basis moved across, and the probe's choice."""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd

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
    # transport costs (data, not key): (b, 2025) at 5, (a, 2025) at 3, (d, 2026)
    # at 4. So column 0 -> 3, column 2 -> 5, column 1 (d, 2025) has no match.
    # Rows match on every key column: target row 0 (a, 2025) -> source row 1.
    target = _keys({"flow": (_flows([("a", 2025, 1.0), ("b", 2025, 2.0),
                                     ("c", 2025, 3.0), ("d", 2025, 4.0)]),
                             [0, 2, -1, 1])},
                   {"balance": (pd.DataFrame({"region": ["a", "z"],
                                              "year": [2025, 2025]}), [0, 1])},
                   (3, 2))
    source = _keys({"flow": (_flows([("b", 2025, 9.0), ("a", 2025, 8.0),
                                     ("d", 2026, 4.0)]), [5, 3, 4])},
                   {"balance": (pd.DataFrame({"region": ["y", "a"],
                                              "year": [2025, 2025]}), [0, 1])},
                   (6, 2))
    found = StartMap.between(target, source)
    assert found.columns.tolist() == [3, -1, 5]
    assert found.rows.tolist() == [1, -1]


def test_a_family_with_repeated_keys_is_left_unmatched() -> None:
    # (a, 2025) twice in the source: which column is which cannot be told
    target = _keys({"flow": (_flows([("a", 2025, 1.0)]), [0])}, {}, (1, 0))
    source = _keys({"flow": (_flows([("a", 2025, 1.0), ("a", 2025, 2.0)]), [0, 1])},
                   {}, (2, 0))
    assert StartMap.between(target, source).columns.tolist() == [-1]


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
    # from a 900 (a tenth fewer, not enough): its own. z: nothing solved before.
    assert AT_MOST == 0.5
    probe = Probe({("x", ""): 1000, ("x", "a"): 200, ("x", "b"): 100,
                   ("y", ""): 1000, ("y", "a"): 900, ("z", ""): 50})
    assert probe.chosen() == {"x": "b"}
