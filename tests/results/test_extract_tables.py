"""The tidy tables of model/results/extract.py on a hand-built index and solution.

No solve: the index frames and the solver's values are written here, and every
expected row is worked out by hand from them in the comments. ``make mutate``
runs these first for the extract group, so a mutant of extract dies in well
under a second instead of running every solved family case.

The case: years 2025-27 at a 10 % rate (df = 1, 1/1.1, 1/1.21). Regions CN and
US, commodity ox. Processes mine (CN, existing 100 tpa) and sep (US, built).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.indices import RCY, SALE_COLUMNS, SALE_SHORT_COLUMNS, LPIndex
from model.results import extract
from model.solver.records import RowBlock, Solution

DF = {2025: 1.0, 2026: 1 / 1.1, 2027: 1 / 1.21}


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _index() -> LPIndex:
    act = _frame(["region", "process", "year", "existing_tpa",
                  "variable_cost_usd_per_t"],
                 [("CN", "mine", 2025, 100.0, 5.0), ("CN", "mine", 2026, 100.0, 5.0),
                  ("US", "sep", 2025, 0.0, 7.0), ("US", "sep", 2026, 0.0, 7.0),
                  ("US", "sep", 2027, 0.0, 7.0), ("CN", "sep", 2027, 0.0, 3.0)])
    build = _frame(["region", "process", "year", "capex_usd_per_tpa", "lifetime",
                    "annuity_usd_per_tpa", "fixed_om_usd_per_tpa"],
                   [("US", "sep", 2025, 1000.0, 2, 600.0, 20.0),
                    ("US", "sep", 2026, 900.0, 10, 300.0, 20.0),
                    ("US", "sep", 2027, 800.0, 10, 300.0, 20.0)])
    # build b is in service in act rows: b0 (2025) in 2025-26 (life 2), b1 (2026)
    # and b2 (2027) to the end of the horizon; CN sep (row 5) has no build.
    window = _frame(["act", "build", "fraction"],
                    [(2, 0, 1.0), (3, 0, 1.0), (3, 1, 1.0), (4, 1, 1.0), (4, 2, 1.0)])
    flow = _frame(["origin", "destination", "commodity", "year", "transport_usd_per_t",
                   "tariff_usd_per_t"],
                  [("CN", "US", "ox", 2025, 10.0, 2.0),
                   ("CN", "US", "ox", 2026, 10.0, 2.0),
                   ("US", "US", "ox", 2026, 0.0, 0.0),
                   ("CN", "CN", "ox", 2027, 10.0, 0.0)])
    short = _frame([*RCY, "demand_t", "penalty_usd_per_t"],
                   [("US", "ox", 2025, 50.0, 1000.0), ("US", "ox", 2026, 30.0, 1000.0),
                    ("US", "ox", 2027, 20.0, 1000.0)])
    stock = _frame([*RCY, "release_cost_usd_per_t"],
                   [("US", "ox", 2025, 8.0), ("US", "ox", 2026, 8.0)])
    sale = _frame(SALE_COLUMNS,
                  [("o1", "CN", "US", "ox", 2026, 100.0, 4.0, 1.0),
                   ("o1", "AU", "US", "ox", 2026, 100.0, 4.0, 1.0),
                   ("o0", "CN", "US", "ox", 2027, 80.0, 2.0, 0.0)])
    sale_short = _frame(SALE_SHORT_COLUMNS,
                        [("o1", "US", "ox", 2026, 15.0, 20.0, 30.0),
                         ("o0", "US", "ox", 2027, 1.0, 5.0, 30.0)])
    return LPIndex(
        years=[2025, 2026, 2027], discount=dict(DF), act=act, build=build, flow=flow,
        short=short, surplus=_frame(RCY, [("CN", "ox", 2025), ("CN", "ox", 2026)]),
        stock=stock, balance_terms=pd.DataFrame(), build_window=window,
        expansion_limits=pd.DataFrame(), reserves=pd.DataFrame(),
        fixed_om_existing=_frame(["region", "process", "year", "fixed_om_usd"],
                                 [("CN", "mine", 2025, 300.0),
                                  ("CN", "mine", 2026, 300.0)]),
        sale=sale, sale_short=sale_short,
        offtakes=_frame(["offtake", "price_usd_per_t"], [("o0", 80.0), ("o1", 100.0)]),
        price_floors=pd.DataFrame())


def _solution() -> Solution:
    keys = _frame(RCY, [("US", "ox", 2025), ("US", "ox", 2026), ("US", "ox", 2027)])
    # balance duals in base-year money: 1000, 100 and 50 of each year's money
    duals = np.array([1000.0, 100.0 / 1.1, 50.0 / 1.21])
    values = {
        "act": np.array([40.0, 1e-7, 30.0, 0.0, 15.0, 0.0]),  # 1e-7: solver noise
        "build": np.array([50.0, 20.0, 0.0]),
        "flow": np.array([40.0, 0.5, 30.0, 0.0]),
        # 2027: a hair above the demand of 20 (a solver's tolerance)
        "short": np.array([10.0, 0.0, 20.001]),
        "surplus": np.array([3.0, 0.0]),
        "release": np.array([0.0, 5.0]), "stock": np.array([20.0, 15.0]),
        "sale": np.array([10.0, 0.0, 3.0]), "sale_short": np.array([5.0, 0.0]),
    }
    return Solution(objective=0.0, values=values, row_duals={"balance": duals},
                    col_duals={}, rows={"balance": RowBlock(7, keys, np.zeros(3))})


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def _check(frame: pd.DataFrame, columns: list[str], rows: list[tuple]) -> None:
    """``frame`` has exactly these columns and rows, in order (numbers to 1e-9)."""
    assert list(frame.columns) == ["scenario", *columns]
    assert list(frame.index) == list(range(len(rows)))
    got = _rows(frame)
    assert len(got) == len(rows)
    for have, want in zip(got, rows, strict=True):
        assert have == ("S", *(pytest.approx(v, rel=1e-9, abs=1e-9)
                               if isinstance(v, float | int) else v for v in want))


def test_production_is_activity_and_capacity_in_service() -> None:
    # capacity = existing + builds in service (window): US sep 2025: b0 = 50;
    # 2026: b0 + b1 = 70; 2027: b1 + b2 = 20 + 0. The 1e-7 t of 2026 mine is
    # reported as 0 but the row stays (100 tpa exist); CN sep 2027 has neither
    # activity nor capacity and is dropped.
    frame = extract.production(_index(), _solution(), "S")
    _check(frame, ["region", "process", "year", "activity_t", "capacity_tpa"],
           [("CN", "mine", 2025, 40, 100), ("CN", "mine", 2026, 0, 100),
            ("US", "sep", 2025, 30, 50), ("US", "sep", 2026, 0, 70),
            ("US", "sep", 2027, 15, 20)])
    assert frame["activity_t"].iloc[1] == 0.0


def test_production_keeps_a_row_of_activity_only() -> None:
    # A row with activity but no capacity (an uncapacitated process) stays; one
    # under a tonne is not rounded away (only below 1e-6 t is).
    ix, sol = _index(), _solution()
    sol.values["act"][5] = 0.5
    frame = extract.production(ix, sol, "S")
    assert _rows(frame)[-1] == ("S", "CN", "sep", 2027, 0.5, 0.0)


def test_builds_are_the_nonzero_builds_with_their_capex() -> None:
    # b0: 50 tpa x 1000 = 50 000; b1: 20 x 900 = 18 000; b2 (0 tpa) left out
    frame = extract.builds(_index(), _solution(), "S")
    _check(frame, ["region", "process", "online_year", "capacity_tpa", "capex_usd"],
           [("US", "sep", 2025, 50, 50_000), ("US", "sep", 2026, 20, 18_000)])


def test_flows_are_the_nonzero_flows() -> None:
    # 0.5 t is kept (only below 1e-6 t is zero); the 0 t flow of 2027 is dropped
    frame = extract.flows(_index(), _solution(), "S")
    _check(frame, ["origin", "destination", "commodity", "year", "quantity_t"],
           [("CN", "US", "ox", 2025, 40), ("CN", "US", "ox", 2026, 0.5),
            ("US", "US", "ox", 2026, 30)])


def test_shortfall_is_capped_at_demand_and_supplied_is_the_rest() -> None:
    # 2025: 10 of 50 short, 40 supplied; 2026: none short; 2027: 20.001 capped at
    # the demand of 20, nothing supplied. Every demand row is kept.
    frame = extract.shortfall(_index(), _solution(), "S")
    _check(frame, [*RCY, "demand_t", "supplied_t", "shortfall_t"],
           [("US", "ox", 2025, 50, 40, 10), ("US", "ox", 2026, 30, 30, 0),
            ("US", "ox", 2027, 20, 0, 20)])


def test_surplus_keeps_the_nonzero_rows() -> None:
    frame = extract.surplus(_index(), _solution(), "S")
    _check(frame, [*RCY, "surplus_t"], [("CN", "ox", 2025, 3)])


def test_stock_keeps_every_row_with_release_and_level() -> None:
    frame = extract.stock(_index(), _solution(), "S")
    _check(frame, [*RCY, "release_t", "level_t"],
           [("US", "ox", 2025, 0, 20), ("US", "ox", 2026, 5, 15)])


def test_prices_are_the_balance_duals_in_each_years_money() -> None:
    # dual / df: 1000 / 1, (100 / 1.1) / (1 / 1.1) = 100, (50 / 1.21) * 1.21 = 50
    frame = extract.prices(_index(), _solution(), "S")
    _check(frame, [*RCY, "marginal_cost_usd_per_t"],
           [("US", "ox", 2025, 1000), ("US", "ox", 2026, 100), ("US", "ox", 2027, 50)])


# Costs per (year, category), by hand (usd; discounted = usd x df):
#   variable = cost x activity: 2025: 5 x 40 + 7 x 30 = 410; 2026: 5 x 1e-7 (under
#     1e-6 USD: dropped); 2027: 7 x 15 = 105.
#   transport = flow x transport + sale x transport: 2025: 40 x 10 = 400;
#     2026: 0.5 x 10 + 10 x 4 = 45; 2027: 3 x 2 = 6 (the 0 t flow adds 0).
#   tariff: 2025: 40 x 2 = 80; 2026: 0.5 x 2 + 10 x 1 = 11; 2027: 0 (dropped).
#   offtake_revenue = -price x sold: 2026: -100 x 10; 2027: -80 x 3 = -240.
#   offtake_penalty = 30 x 5 = 150 in 2026.
#   stock = release x 8: 2026: 40.  penalty = 1000 x short (the solver's value,
#     not capped): 2025: 10 000; 2027: 20 001.
#   capex = built x annuity in each year in service inside the horizon: b0 (50,
#     life 2): 30 000 in 2025-26; b1 (20, life 10, cut at 2027): 6 000 in
#     2026-27. fixed_om = built x 20 the same years (1000; 400) + existing 300
#     in 2025-26: 2025: 1300; 2026: 1700; 2027: 400.
COSTS = [
    (2025, "capex", 30_000), (2025, "fixed_om", 1300), (2025, "penalty", 10_000),
    (2025, "tariff", 80), (2025, "transport", 400), (2025, "variable", 410),
    (2026, "capex", 36_000), (2026, "fixed_om", 1700), (2026, "offtake_penalty", 150),
    (2026, "offtake_revenue", -1000), (2026, "stock", 40), (2026, "tariff", 11),
    (2026, "transport", 45),
    (2027, "capex", 6000), (2027, "fixed_om", 400), (2027, "offtake_revenue", -240),
    (2027, "penalty", 20_001), (2027, "transport", 6), (2027, "variable", 105),
]


def test_costs_by_year_and_category_undiscounted_and_discounted() -> None:
    frame = extract.costs(_index(), _solution(), "S")
    _check(frame, ["year", "category", "usd", "discounted_usd"],
           [(y, c, usd, usd * DF[y]) for y, c, usd in COSTS])


def test_costs_without_offtakes_or_existing_fixed_om() -> None:
    # No offtake frames and no existing fixed O&M: the same rows less the
    # offtake ones, transport and tariff less the sales (2026: 5 and 1; 2027:
    # none), fixed O&M less the existing 300.
    ix, sol = _index(), _solution()
    ix.sale = ix.sale.iloc[0:0]
    ix.sale_short = ix.sale_short.iloc[0:0]
    ix.fixed_om_existing = pd.DataFrame()
    changed = {(2026, "transport"): 5, (2026, "tariff"): 1, (2025, "fixed_om"): 1000,
               (2026, "fixed_om"): 1400}
    rows = [(y, c, changed.get((y, c), usd)) for y, c, usd in COSTS
            if not c.startswith("offtake") and (y, c) != (2027, "transport")]
    frame = extract.costs(ix, sol, "S")
    _check(frame, ["year", "category", "usd", "discounted_usd"],
           [(y, c, usd, usd * DF[y]) for y, c, usd in rows])


def test_costs_of_a_take_or_pay_no_seller_can_deliver() -> None:
    # Take-or-pay rows but no deliveries (no seller has a route): the penalty
    # (30 x 5 = 150 in 2026) is still a cost; no sale transport, tariff or
    # revenue (2026 transport 5, tariff 1; nothing in 2027). The empty sale frame
    # is the one build_index makes (columns only, no dtypes); the table's years
    # stay whole numbers and its amounts floats.
    ix, sol = _index(), _solution()
    ix.sale = pd.DataFrame(columns=SALE_COLUMNS)
    sol.values["sale"] = np.zeros(0)
    changed = {(2026, "transport"): 5, (2026, "tariff"): 1}
    rows = [(y, c, changed.get((y, c), usd)) for y, c, usd in COSTS
            if c != "offtake_revenue" and (y, c) != (2027, "transport")]
    frame = extract.costs(ix, sol, "S")
    _check(frame, ["year", "category", "usd", "discounted_usd"],
           [(y, c, usd, usd * DF[y]) for y, c, usd in rows])
    assert (frame["year"].dtype, frame["usd"].dtype) == (np.int64, np.float64)


def test_offtake_sales_with_undelivered_take_or_pay() -> None:
    # Sorted by offtake, year, seller: o0 sold 3 t by CN in 2027 at 80 (240);
    # o1 in 2026: 5 t undelivered (a blank seller, priced at the contract's 100)
    # and 10 t sold by CN (1000). AU's 0 t and o0's 0 t short are left out.
    frame = extract.offtake_sales(_index(), _solution(), "S")
    columns = list(extract.OFFTAKE_SALE_COLUMNS)
    assert list(frame.columns) == ["scenario", *columns]
    assert _rows(frame) == [
        ("S", "o0", "US", "CN", "ox", 2027, 3.0, 0.0, 80.0, 240.0),
        ("S", "o1", "US", "", "ox", 2026, 0.0, 5.0, 100.0, 0.0),
        ("S", "o1", "US", "CN", "ox", 2026, 10.0, 0.0, 100.0, 1000.0)]
    assert list(frame.index) == [0, 1, 2]


def test_offtake_sales_of_a_case_without_offtakes_is_empty() -> None:
    # no offtake frames (columns only, as build_index makes them), no contracts
    # and no sale columns in the solution: an empty table whose money columns
    # are still numbers
    ix, sol = _index(), _solution()
    ix.sale = pd.DataFrame(columns=SALE_COLUMNS)
    ix.sale_short = pd.DataFrame(columns=SALE_SHORT_COLUMNS)
    ix.offtakes = pd.DataFrame()
    del sol.values["sale"], sol.values["sale_short"]
    frame = extract.offtake_sales(ix, sol, "S")
    assert list(frame.columns) == ["scenario", *extract.OFFTAKE_SALE_COLUMNS]
    assert frame.empty
    assert frame["price_usd_per_t"].dtype == float
    assert frame["revenue_usd"].dtype == float


def test_amounts_under_one_unit_are_kept() -> None:
    # only |x| < 1e-6 is zero: a 0.5 tpa build (x 800 = 400 USD capex), 0.5 t
    # surplus, 0.5 t undelivered under o0 (priced at its 80, the blank seller
    # sorted before CN) and 0.5 t delivered by AU under o1 (50 USD) are rows
    ix, sol = _index(), _solution()
    sol.values["build"][2] = 0.5
    sol.values["surplus"][1] = 0.5
    sol.values["sale_short"][1] = 0.5
    sol.values["sale"][1] = 0.5
    assert _rows(extract.builds(ix, sol, "S"))[-1] == (
        "S", "US", "sep", 2027, 0.5, 400.0)
    assert _rows(extract.surplus(ix, sol, "S"))[-1] == ("S", "CN", "ox", 2026, 0.5)
    sales = _rows(extract.offtake_sales(ix, sol, "S"))
    assert sales[0] == ("S", "o0", "US", "", "ox", 2027, 0.0, 0.5, 80.0, 0.0)
    assert sales[3] == ("S", "o1", "US", "AU", "ox", 2026, 0.5, 0.0, 100.0, 50.0)


def test_extract_all_holds_every_table_of_the_scenario() -> None:
    # Each table is the one its own function gives (checked above), under its
    # MODEL-SPEC §5 name, for scenario S.
    ix, sol = _index(), _solution()
    tables = extract.extract_all(ix, sol, "S")
    own = {"shortfall": extract.shortfall, "production": extract.production,
           "builds": extract.builds, "flows": extract.flows, "surplus": extract.surplus,
           "stock": extract.stock, "prices": extract.prices, "costs": extract.costs,
           "offtake_sales": extract.offtake_sales}
    assert set(tables) == {*own, "transfers"}
    for name, function in own.items():
        pd.testing.assert_frame_equal(tables[name], function(ix, sol, "S"))
    # transfers: the buyers' payments, o1 1000 in 2026 and o0 240 in 2027
    moves = tables["transfers"]
    assert set(moves["scenario"]) == {"S"}
    assert sorted(zip(moves["year"], moves["usd"], strict=True)) == [
        (2026, 1000.0), (2027, 240.0)]


def test_extract_all_makes_only_the_tables_named() -> None:
    # A sweep sample names the tables it reads: exactly those are made, each the
    # same frame as its own function gives; names it does not extract are ignored.
    ix, sol = _index(), _solution()
    tables = extract.extract_all(ix, sol, "S", {"shortfall", "costs", "bottlenecks"})
    assert set(tables) == {"shortfall", "costs"}
    pd.testing.assert_frame_equal(tables["shortfall"], extract.shortfall(ix, sol, "S"))
    pd.testing.assert_frame_equal(tables["costs"], extract.costs(ix, sol, "S"))
    assert extract.extract_all(ix, sol, "S", ()) == {}
