"""The post-solve checker (model/results/checks.py) on hand-built tables (no solve).

The tables are those of the solved case of test_checks_broken.py, written out by
hand (2025-2026, rate 0): region b mines ore (40 t a year) and ships it to a; a
separates 1 t ore into 0.5 t ox and 0.5 t by (40 t ore a year → 20 t ox, 20 t by).
a needs 25 t ox a year: in 2025 20 t made + 5 t released from its stockpile; in
2026 20 t made, 5 t short. The 20 t of by are disposed of (surplus) each year.
Cost: 40 x (1 mine + 1 transport + 2 separation) = 160 a year, 5 x 3 release in
2025, 5 x 1000 penalty in 2026: objective 2 x 160 + 15 + 5000 = 5335 USD.

Every balance row (region/commodity/year) then adds up to 0:
a/ore: -40 (sep input) + 40 (imported); b/ore: +40 (mined) - 40 (exported);
a/ox: +20 (sep) + release + shortfall - 25 (demand); a/by: +20 (sep) - 20 (surplus).
"""

from __future__ import annotations

import pandas as pd
import pytest

from model.results.checks import InvariantError, balance_residuals, check_scenario

Tables = dict[str, pd.DataFrame]
YEARS = [2025, 2026]
IO = pd.DataFrame({
    "process": ["mine", "sep", "sep", "sep"],
    "commodity": ["ore", "ore", "ox", "by"],
    "direction": ["out", "in", "out", "out"],
    "coefficient": [1.0, 1.0, 0.5, 0.5]})
OBJECTIVE = 2 * 160 + 15 + 5000


def _tables() -> Tables:
    return {
        "production": pd.DataFrame({"region": ["b", "b", "a", "a"],
                                    "process": ["mine", "mine", "sep", "sep"],
                                    "year": YEARS * 2, "activity_t": 40.0}),
        "flows": pd.DataFrame({"origin": "b", "destination": "a", "commodity": "ore",
                               "year": YEARS, "quantity_t": 40.0}),
        "stock": pd.DataFrame({"region": "a", "commodity": "ox", "year": YEARS,
                               "release_t": [5.0, 0.0]}),
        "shortfall": pd.DataFrame({"region": "a", "commodity": "ox", "year": YEARS,
                                   "demand_t": 25.0, "shortfall_t": [0.0, 5.0]}),
        "surplus": pd.DataFrame({"region": "a", "commodity": "by", "year": YEARS,
                                 "surplus_t": 20.0}),
        "offtake_sales": pd.DataFrame({"seller": [], "commodity": [], "year": [],
                                       "quantity_t": []}),
        "costs": pd.DataFrame({"category": ["variable", "transport", "stock",
                                            "penalty"],
                               "discounted_usd": [240.0, 80.0, 15.0, 5000.0]}),
    }


def test_every_balance_row_of_the_hand_tables_is_zero() -> None:
    residuals = balance_residuals(_tables(), IO)
    assert residuals[["region", "commodity", "year"]].values.tolist() == [
        [r, c, y] for r, c in (("a", "by"), ("a", "ore"), ("a", "ox"), ("b", "ore"))
        for y in YEARS]
    assert residuals["t"].tolist() == [0.0] * 8
    check_scenario(_tables(), IO, OBJECTIVE)  # and the cost adds up: 5335


# (table, column, rows changed, the worst balance row for +5 t and its residual):
# the residual is +5 where the change adds to the row's supply side, -5 where it
# adds to its use side; of equal sizes the first row in (region, commodity, year)
# order is named.
BROKEN = [
    # sep runs 5 t more both years: a/ore uses 5 more (-5), ox and by get 2.5 more
    ("production", "activity_t", "process == 'sep'", "a/ore/2025", -5),
    ("production", "activity_t", "process == 'mine'", "b/ore/2025", 5),
    # 5 t more shipped in 2025: a/ore +5 (named first), b/ore -5
    ("flows", "quantity_t", "year == 2025", "a/ore/2025", 5),
    ("stock", "release_t", "year == 2025", "a/ox/2025", 5),
    ("shortfall", "shortfall_t", "year == 2026", "a/ox/2026", 5),
    ("shortfall", "demand_t", "year == 2025", "a/ox/2025", -5),
    ("surplus", "surplus_t", "year == 2026", "a/by/2026", -5),
]


@pytest.mark.parametrize("sign", [1, -1], ids=["plus5", "minus5"])
@pytest.mark.parametrize(("table", "column", "where", "row", "off"), BROKEN,
                         ids=[f"{b[0]}.{b[1]}" for b in BROKEN])
def test_a_table_off_by_5_t_names_its_row(table: str, column: str, where: str,
                                          row: str, off: int, sign: int) -> None:
    t = _tables()
    rows = t[table].eval(where).to_numpy()
    t[table].loc[rows, column] += 5.0 * sign
    with pytest.raises(InvariantError) as info:
        check_scenario(t, IO, OBJECTIVE)
    assert str(info.value) == f"balance of {row} is off by {off * sign} t"


def test_an_offtake_sale_leaves_its_sellers_balance() -> None:
    # a sells 3 t of ox under an offtake in 2025: a/ox is 3 t short of its terms
    # (-3) unless 3 t more are released to cover it
    t = _tables()
    t["offtake_sales"] = pd.DataFrame({"seller": ["a"], "commodity": ["ox"],
                                       "year": [2025], "quantity_t": [3.0]})
    with pytest.raises(InvariantError, match=r"^balance of a/ox/2025 is off by -3 t$"):
        check_scenario(t, IO, OBJECTIVE)
    t["stock"].loc[t["stock"]["year"] == 2025, "release_t"] = 8.0
    check_scenario(t, IO, OBJECTIVE)
    # no offtake_sales table at all: nothing sold
    del t["offtake_sales"]
    t["stock"].loc[t["stock"]["year"] == 2025, "release_t"] = 5.0
    check_scenario(t, IO, OBJECTIVE)


@pytest.mark.parametrize(("off_usd", "message"), [
    (10.0, "cost table sums to 5345 USD but the objective is 5335 USD"),
    (-10.0, "cost table sums to 5325 USD but the objective is 5335 USD")])
def test_a_cost_table_off_by_10_usd_either_way_is_refused(off_usd: float,
                                                          message: str) -> None:
    t = _tables()
    t["costs"].loc[0, "discounted_usd"] += off_usd
    with pytest.raises(InvariantError) as info:
        check_scenario(t, IO, OBJECTIVE)
    assert str(info.value) == message


# Tolerances: a balance may be off by 1e-3 t + 1e-6 x the largest activity (40 t:
# 1.04e-3 t); the cost by 1 USD + 1e-6 x |objective| (5335: 1.005335 USD).


@pytest.mark.parametrize(("off_t", "refused"), [
    (1.02e-3, False), (-1.02e-3, False), (1.06e-3, True), (-1.06e-3, True)])
def test_balance_tolerance_grows_with_the_largest_activity(off_t: float,
                                                           refused: bool) -> None:
    t = _tables()
    t["stock"].loc[0, "release_t"] += off_t
    if refused:
        with pytest.raises(InvariantError, match="balance of a/ox/2025"):
            check_scenario(t, IO, OBJECTIVE)
    else:
        check_scenario(t, IO, OBJECTIVE)


@pytest.mark.parametrize(("off_usd", "refused"), [
    (1.003, False), (-1.003, False), (1.01, True), (-1.01, True)])
def test_cost_tolerance_grows_with_the_objective(off_usd: float,
                                                 refused: bool) -> None:
    t = _tables()
    t["costs"].loc[0, "discounted_usd"] += off_usd
    if refused:
        with pytest.raises(InvariantError, match="cost table sums to"):
            check_scenario(t, IO, OBJECTIVE)
    else:
        check_scenario(t, IO, OBJECTIVE)


def test_cost_tolerance_of_a_negative_objective_is_its_size() -> None:
    # an objective of -1e6 USD (a case paid to run): tolerance 1 + 1e-6 x 1e6 =
    # 2 USD, so 1.5 USD off passes and 2.5 USD off is refused
    t = _tables()
    t["costs"] = pd.DataFrame({"discounted_usd": [-1e6 + 1.5]})
    check_scenario(t, IO, -1e6)
    t["costs"] = pd.DataFrame({"discounted_usd": [-1e6 + 2.5]})
    with pytest.raises(InvariantError, match="cost table sums to"):
        check_scenario(t, IO, -1e6)


def test_the_largest_activity_sets_the_scale_not_the_first() -> None:
    # a 1000 t activity (the mine in 2026, its extra ore disposed of in b as
    # surplus to keep b/ore balanced) raises the tolerance to 1e-3 + 1e-3 =
    # 2e-3 t: 1.5e-3 t off passes (it would not at the 40 t scale)
    t = _tables()
    t["production"].loc[1, "activity_t"] = 1000.0
    t["surplus"] = pd.concat([t["surplus"], pd.DataFrame({
        "region": ["b"], "commodity": ["ore"], "year": [2026],
        "surplus_t": [960.0]})], ignore_index=True)
    check_scenario(t, IO, OBJECTIVE)
    t["stock"].loc[0, "release_t"] += 1.5e-3
    check_scenario(t, IO, OBJECTIVE)
    t["stock"].loc[0, "release_t"] += 1e-3  # 2.5e-3 t off: refused
    with pytest.raises(InvariantError, match="balance of a/ox/2025"):
        check_scenario(t, IO, OBJECTIVE)
