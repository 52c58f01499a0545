"""The binding limits of model/results/bottlenecks.py on a hand-built index and
solution.

No solve: the index frames, the solver's values and duals are written here, and
every expected row is worked out by hand from them in the comments. ``make
mutate`` runs these for the bottlenecks group, so a mutant dies in well under a
second instead of solving a case (tests/report/test_bottlenecks.py keeps the
solved cases: the duals there come from HiGHS).

The case: years 2025-26 at a 10 % rate (df = 1, 1/1.1). Duals are in base-year
money (the LP's objective is discounted); a limit of one year is valued in that
year's money: value = -dual / df (x availability for capacity).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.indices import LPIndex
from model.results import bottlenecks
from model.results.tables import columns_of
from model.solver.records import RowBlock, Solution

DF = {2025: 1.0, 2026: 1 / 1.1}
NA = pd.NA


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _index(pinned: pd.DataFrame | None = None) -> LPIndex:
    act = _frame(["region", "process", "year", "availability"],
                 [("A", "mine", 2025, 0.8), ("A", "mine", 2026, 0.8),
                  ("B", "sep", 2026, 1.0)])
    build = _frame(["region", "process", "year", "max_per_year", "open_from",
                    "lead_time"],
                   [("B", "sep", 2025, 5.0, 2025, 1),    # b0 at its limit
                    ("B", "sep", 2026, 5.0, 2025, 2),    # b1 5e-7 below it
                    ("C", "sep", 2025, 5.0, 2026, 3),    # b2 before open_from
                    ("C", "sep", 2026, 5.0, 2026, 3),    # b3 pinned by foresight
                    ("D", "sep", 2026, np.nan, 2026, 4),  # b4 unlimited
                    ("D", "sep", 2025, 5.0, 2025, 4),    # b5 0.5 t below the limit
                    ("E", "sep", 2026, 5.0, 2026, 5)])   # b6 reduced cost ~0
    empty = pd.DataFrame()
    return LPIndex(
        years=[2025, 2026], discount=dict(DF), act=act, build=build, flow=empty,
        short=empty, surplus=empty, stock=empty, balance_terms=empty,
        build_window=empty, expansion_limits=empty, reserves=empty,
        pinned=pd.DataFrame() if pinned is None else pinned)


# act position 0 is pinned too: only the build family's positions count
PINNED = _frame(["variable", "position", "value"],
                [("build", 3, 5.0), ("act", 0, 8.0)])


def _block(columns: list[str], keys: list[tuple], rhs: list[float]) -> RowBlock:
    return RowBlock(0, _frame(columns, keys), np.array(rhs, dtype=float))


def _solution(build_rate: bool = True) -> Solution:
    rows = {
        "expansion_total": _block(["region", "process"],
                                  [("A", "mine"), ("B", "sep")], [100.0, 60.0]),
        "reserve_limit": _block(["region", "process"], [("A", "mine")], [12.0]),
        "export_quota": _block(["rule", "year", "commodity"],
                               [("CN", 2025, "ox"), ("CN", 2026, "ox")],
                               [40.0, 50.0]),
    }
    duals = {
        # capacity: -1000 -> 1000 x 0.8 / 1 = 800; -500/1.1 -> 500/1.1 x 0.8 x 1.1
        # = 400; -5e-7 is below BINDING (1e-6): not binding
        "capacity_limit": np.array([-1000.0, -500.0 / 1.1, -5e-7]),
        "expansion_total": np.array([-250.0, 0.0]),  # base-year money: 250
        "reserve_limit": np.array([-400.0]),          # 400, ties capacity 2026
        "export_quota": np.array([0.0, -55.0 / 1.1]),  # 2026: 55 that year
    }
    if build_rate:
        rows["build_rate"] = _block(
            ["limit", "stage", "target", "year"],
            [(0, "separation", "", 2026), (0, "separation", np.nan, 2025),
             (1, "mining", "US", 2026), (1, "mining", "US", 2025)],
            [10.0, 10.0, 20.0, 20.0])
        # 33 and 11 in 2026's money; 2e-6 in 2025 binds (just above 1e-6);
        # -5e-7 does not
        duals["build_rate"] = np.array([-33.0 / 1.1, -2e-6, -11.0 / 1.1, -5e-7])
    # build reduced costs: b0 -300 -> 300 (2025); b1 -100 -> 110 (2026);
    # b2 .. b5 are left out whatever their cost; b6 -5e-7 is not binding
    cost = np.array([-300.0, -100.0, -50.0, -70.0 / 1.1, -10.0, -40.0, -5e-7])
    values = {"act": np.array([8.0, 5e-7, 3.0]),
              "build": np.array([5.0, 5.0 - 5e-7, 5.0, 5.0, 9.0, 4.5, 5.0])}
    return Solution(objective=0.0, values=values, row_duals=duals,
                    col_duals={"build": cost}, rows=rows)


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


def _values(frame: pd.DataFrame) -> list[float]:
    return frame["value_usd_per_t"].astype(float).tolist()


def test_capacity_value_is_dual_times_availability_in_its_years_money() -> None:
    # rows 0 and 1 bind (values derived in _solution); limit_t is the activity
    frame = bottlenecks.capacity_rows(_index(), _solution())
    assert _rows(frame, ["region", "process", "year", "limit", "money"]) == [
        ("A", "mine", 2025, "capacity", "that year"),
        ("A", "mine", 2026, "capacity", "that year")]
    assert _values(frame) == pytest.approx([800.0, 400.0], rel=1e-12)
    assert frame["limit_t"].tolist() == pytest.approx([8.0, 5e-7], rel=1e-12)
    assert list(frame.index) == [0, 1]


def test_capacity_rows_at_full_availability_and_a_positive_dual() -> None:
    # availability 1 and dual +30/1.1 in 2026 (B sep): -30/1.1 x 1 / (1/1.1) = -30
    ix, sol = _index(), _solution()
    sol.row_duals["capacity_limit"] = np.array([0.0, 0.0, 30.0 / 1.1])
    frame = bottlenecks.capacity_rows(ix, sol)
    assert _rows(frame, ["region", "process", "year"]) == [("B", "sep", 2026)]
    assert _values(frame) == pytest.approx([-30.0], rel=1e-12)
    assert frame["limit_t"].tolist() == [3.0]


def test_per_year_build_limit_rows_without_foresight() -> None:
    # b0 at 5 of 5 and b1 5e-7 below (within 1e-6) bind: 300 / 1 and 100 x 1.1;
    # b2 is before its open_from (2026), b4 has no limit, b5 is 0.5 t below it,
    # b6's reduced cost is below 1e-6; b3 binds too: nothing is pinned here
    frame = bottlenecks.build_limit_rows(_index(), _solution())
    assert _rows(frame, ["region", "process", "year", "limit", "limit_t", "money"]) \
        == [("B", "sep", 2025, "expansion per year", 5.0, "that year"),
            ("B", "sep", 2026, "expansion per year", 5.0, "that year"),
            ("C", "sep", 2026, "expansion per year", 5.0, "that year")]
    assert _values(frame) == pytest.approx([300.0, 110.0, 70.0], rel=1e-12)


def test_a_build_fixed_by_foresight_is_not_at_a_limit() -> None:
    # b3 is pinned (build position 3); the act pin at position 0 leaves b0 alone
    frame = bottlenecks.build_limit_rows(_index(PINNED), _solution())
    assert _rows(frame, ["region", "process", "year"]) == [
        ("B", "sep", 2025), ("B", "sep", 2026)]
    assert _values(frame) == pytest.approx([300.0, 110.0], rel=1e-12)


def test_fixed_marks_the_pinned_positions_of_one_family() -> None:
    assert bottlenecks._fixed(_index(PINNED), "build", 7).tolist() == [
        False, False, False, True, False, False, False]
    assert bottlenecks._fixed(_index(PINNED), "act", 3).tolist() == [
        True, False, False]
    assert bottlenecks._fixed(_index(), "build", 2).tolist() == [False, False]


def test_expansion_and_reserve_rows_are_in_base_year_money() -> None:
    # expansion_total: only (A, mine) binds: 250 for 100 tpa; reserve 400 for 12 t
    sol = _solution()
    expansion, reserve = bottlenecks.expansion_rows(sol), bottlenecks.reserve_rows(sol)
    columns = ["region", "process", "limit", "limit_t", "value_usd_per_t", "money"]
    assert _rows(expansion, columns) == [
        ("A", "mine", "expansion total", 100.0, 250.0, "base year")]
    assert _rows(reserve, columns) == [
        ("A", "mine", "reserve", 12.0, 400.0, "base year")]


def test_quota_rows_name_the_rule_as_region_and_undiscount() -> None:
    # 2026 binds: 55/1.1 x 1.1 = 55 that year; 2025's dual is 0
    frame = bottlenecks.quota_rows(_index(), _solution())
    assert _rows(frame, ["region", "year", "commodity", "limit_t", "limit", "money"]) \
        == [("CN", 2026, "ox", 50.0, "export quota", "that year")]
    assert _values(frame) == pytest.approx([55.0], rel=1e-12)


def test_no_quota_rows_give_an_empty_frame() -> None:
    sol = _solution()
    sol.rows["export_quota"] = _block(["rule", "year", "commodity"], [], [])
    sol.row_duals["export_quota"] = np.zeros(0)
    frame = bottlenecks.quota_rows(_index(), sol)
    assert len(frame) == 0
    assert {"region", "year", "commodity", "limit_t", "value_usd_per_t"} <= set(
        frame.columns)


def test_build_rate_rows_name_the_target_or_all() -> None:
    # blank and missing targets are "all"; values 33, 2e-6 / 1, 11 (derived in
    # _solution); the 4th row's dual (5e-7) does not bind
    frame = bottlenecks.build_rate_rows(_index(), _solution())
    assert _rows(frame, ["region", "process", "year", "limit", "limit_t", "money"]) \
        == [("all", "separation", 2026, "build rate", 10.0, "that year"),
            ("all", "separation", 2025, "build rate", 10.0, "that year"),
            ("US", "mining", 2026, "build rate", 20.0, "that year")]
    assert _values(frame) == pytest.approx([33.0, 2e-6, 11.0], rel=1e-9)


def test_no_build_rate_rows_without_build_limits() -> None:
    # the family is absent (no build_limits table) or has no row
    assert bottlenecks.build_rate_rows(_index(), _solution(build_rate=False)).empty
    sol = _solution()
    sol.rows["build_rate"] = _block(["limit", "stage", "target", "year"], [], [])
    frame = bottlenecks.build_rate_rows(_index(), sol)
    assert frame.empty and list(frame.columns) == columns_of("bottlenecks")


def test_binding_limits_rank_every_limit_by_value() -> None:
    # All the rows above, largest value first; capacity 2026 (400) stays before
    # the reserve (400): ties keep the order capacity, build limit, build rate,
    # expansion, reserve, quota. The capacity limit of 5e-7 t reads 0; years of
    # horizon limits are blank (<NA>), text columns blank where not given.
    frame = bottlenecks.binding_limits(_index(PINNED), _solution(), "S")
    assert list(frame.columns) == columns_of("bottlenecks")
    assert list(frame.index) == list(range(10))
    assert _rows(frame, ["scenario", "rank", "limit", "region", "process",
                         "commodity", "money"]) == [
        ("S", 1, "capacity", "A", "mine", "", "that year"),
        ("S", 2, "capacity", "A", "mine", "", "that year"),
        ("S", 3, "reserve", "A", "mine", "", "base year"),
        ("S", 4, "expansion per year", "B", "sep", "", "that year"),
        ("S", 5, "expansion total", "A", "mine", "", "base year"),
        ("S", 6, "expansion per year", "B", "sep", "", "that year"),
        ("S", 7, "export quota", "CN", "", "ox", "that year"),
        ("S", 8, "build rate", "all", "separation", "", "that year"),
        ("S", 9, "build rate", "US", "mining", "", "that year"),
        ("S", 10, "build rate", "all", "separation", "", "that year")]
    assert _values(frame) == pytest.approx(
        [800.0, 400.0, 400.0, 300.0, 250.0, 110.0, 55.0, 33.0, 11.0, 2e-6],
        rel=1e-9)
    assert frame["limit_t"].tolist() == [8.0, 0.0, 12.0, 5.0, 100.0, 5.0, 50.0,
                                         10.0, 20.0, 10.0]
    assert str(frame["year"].dtype) == "Int64"
    assert frame["year"].tolist() == [2025, 2026, NA, 2025, NA, 2026, 2026, 2026,
                                      2026, 2025]
    assert frame["rank"].tolist() == list(range(1, 11))


def test_binding_limits_of_a_solution_where_nothing_binds() -> None:
    sol = _solution(build_rate=False)
    for family in sol.row_duals:
        sol.row_duals[family] = np.zeros_like(sol.row_duals[family])
    sol.col_duals["build"] = np.zeros(7)
    frame = bottlenecks.binding_limits(_index(), sol, "S")
    assert frame.empty and list(frame.columns) == columns_of("bottlenecks")


def test_build_options_give_the_earliest_year_and_lead_time() -> None:
    # per (region, process): the smallest open_from (D: 2026 and 2025) and the
    # first lead time (B: 1 and 2)
    frame = bottlenecks.build_options(_index(), "S")
    assert _rows(frame, ["scenario", "region", "process", "earliest_online_year",
                         "lead_time"]) == [
        ("S", "B", "sep", 2025, 1), ("S", "C", "sep", 2026, 3),
        ("S", "D", "sep", 2025, 4), ("S", "E", "sep", 2026, 5)]
    assert list(frame.columns) == ["scenario", "region", "process",
                                   "earliest_online_year", "lead_time"]


def test_ties_keep_the_order_of_the_rows_they_come_from() -> None:
    # 18 capacity rows in 2025 (df 1, availability 1), every third valued 300,
    # the others 400: ranked 400s first, each value's rows in index order (a
    # stable sort; numpy's default sort reorders ties from 17 rows on).
    n = 18
    act = pd.DataFrame({"region": [f"r{i:02d}" for i in range(n)],
                        "process": "mine", "year": 2025, "availability": 1.0})
    ix = _index()
    ix.act = act
    value = np.where(np.arange(n) % 3 == 0, 300.0, 400.0)
    sol = _solution(build_rate=False)
    sol.values["act"] = np.ones(n)
    sol.row_duals["capacity_limit"] = -value
    sol.col_duals["build"] = np.zeros(7)
    for family in ("expansion_total", "reserve_limit", "export_quota"):
        sol.row_duals[family] = np.zeros_like(sol.row_duals[family])
    frame = bottlenecks.binding_limits(ix, sol, "S")
    fours = [f"r{i:02d}" for i in range(n) if i % 3]
    threes = [f"r{i:02d}" for i in range(0, n, 3)]
    assert frame["region"].tolist() == fours + threes
    assert _values(frame) == [400.0] * 12 + [300.0] * 6
