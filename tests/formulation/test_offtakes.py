"""Offtakes and price floors (MODEL-SPEC §8.3), solved by hand, both builders.

The cases: an alliance region ``a`` with a mine (variable cost 10 USD/t), a
buyer region ``b`` (bloc china) reached by route a → b at 5 USD/t, and demand of
50 t/yr in ``a``. An offtake lets ``b`` buy from ``a``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.data.case import load_case
from model.formulation.declare import Rows
from model.formulation.offtake import offtake_max_rows, offtake_min_rows
from tests.helpers import loaded_index, mine, one_commodity, settings, write_case


def _case(price: float, capacity: float = 60, years: tuple[int, int] = (2025, 2025),
          min_tpa: float = 0, rate: float = 0.0) -> dict:
    proc, out = mine(cost=10)
    return {
        "settings": settings(*years, rate),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "china"}],
        "commodities": one_commodity(penalty=1000, price=30),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": capacity}],
        "demand": [{"region": "a", "commodity": "ox", "year": years[0],
                    "demand_t": 50}],
        "routes": [{"origin": "a", "destination": "b", "cost_usd_per_t": 5}],
        "offtakes": [{"offtake": "to_b", "buyer": "b", "seller": "a",
                      "commodity": "ox", "price_usd_per_t": price,
                      "min_tpa": min_tpa, "max_tpa": 30}],
    }


def _sold(t: dict, scenario: str | None = None) -> dict[int, float]:
    sales = t["offtake_sales"]
    if scenario is not None:
        sales = sales[sales["scenario"] == scenario]
    return sales.groupby("year")["quantity_t"].sum().to_dict()


def test_an_offtake_sells_when_its_price_beats_the_alternative(solve) -> None:
    # Price 20: a tonne sold earns 20 - 10 (mine) - 5 (route) = 5 > 0, so the 10 t
    # of capacity beyond a's 50 t demand go to b (not more: the next tonne would
    # leave a short at 1000/t). Supply cost 60 x 10 + 10 x 5 = 650; revenue
    # 10 x 20 = 200 is apart from it. a's marginal tonne is worth what b pays
    # less the route: 20 - 5 = 15, so a's buyers pay 50 x 15 = 750.
    t = solve(_case(price=20))
    assert _sold(t) == pytest.approx({2025: 10})
    row = t["summary"].iloc[0]
    assert row["total_cost_usd"] == pytest.approx(650)
    assert row["offtake_revenue_usd"] == pytest.approx(200)
    assert row["net_cost_usd"] == pytest.approx(650 - 200)
    assert row["shortfall_t"] == pytest.approx(0)
    assert row["buyers_pay_usd"] == pytest.approx(750)
    price = t["prices"].set_index("region")["marginal_cost_usd_per_t"]
    assert price["a"] == pytest.approx(15)
    (move,) = t["transfers"].itertuples()
    assert (move.offtake, move.floor, move.payer, move.payee) == ("to_b", "", "b", "a")
    assert move.usd == pytest.approx(200)
    revenue = t["costs"].set_index("category")["usd"]["offtake_revenue"]
    assert revenue == pytest.approx(-200)


def test_an_offtake_does_not_sell_when_its_price_does_not(solve) -> None:
    # Price 12 < 10 + 5: every tonne sold loses 3, so nothing is sold; supply cost
    # 50 x 10 = 500, a's price is its mine's cost 10 (spare capacity).
    t = solve(_case(price=12))
    assert _sold(t) == {}
    row = t["summary"].iloc[0]
    assert row["total_cost_usd"] == pytest.approx(500)
    assert row["offtake_revenue_usd"] == pytest.approx(0)
    assert row["buyers_pay_usd"] == pytest.approx(500)
    assert t["transfers"].empty


def test_an_offtake_is_not_worth_unmet_demand_at_home(solve) -> None:
    # Price 2000 > 1000 (a's penalty) + 15: b takes its full 30 t and a stays 20 t
    # short (60 t made: 30 to b, 30 to a's 50 t demand).
    t = solve(_case(price=2000))
    assert _sold(t) == pytest.approx({2025: 30})
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(20)


def test_take_or_pay_short_of_its_minimum_at_the_penalty(solve) -> None:
    # The offtake now takes only from a partner region c (a mine of 15 t/yr at
    # 10 USD/t, route c -> b at 5) and owes b at least 20 t at a price of 12, a
    # loss of 3 a tonne. Delivering beats the penalty (-3 > -1000), so c sells all
    # its 15 t and the offtake is 5 t short at the penalty: 5 x 1000 = 5,000.
    # Supply cost: a's 50 t x 10 = 500, plus c's 15 x 10 + 15 x 5 = 225 -> 725;
    # revenue 15 x 12 = 180; objective 725 + 5,000 - 180 = 5,545.
    case = _case(price=12, min_tpa=20)
    proc = case["processes"][0]
    case["regions"].append({"region": "c", "bloc": "partner"})
    case["capacity"].append({"region": "c", "process": proc["process"],
                             "capacity_tpa": 15})
    case["routes"].append({"origin": "c", "destination": "b", "cost_usd_per_t": 5})
    case["offtakes"][0]["seller"] = "c"
    t = solve(case)
    sales = t["offtake_sales"]
    assert sales.groupby("seller")["quantity_t"].sum().to_dict() == pytest.approx(
        {"": 0, "c": 15})
    assert sales["short_t"].sum() == pytest.approx(5)
    row = t["summary"].iloc[0]
    assert row["shortfall_t"] == pytest.approx(0)
    assert row["total_cost_usd"] == pytest.approx(725)
    assert row["offtake_penalty_usd"] == pytest.approx(5_000)
    assert row["offtake_revenue_usd"] == pytest.approx(180)
    costs = t["costs"].groupby("category")["usd"].sum()
    assert costs.sum() == pytest.approx(5_545)


@pytest.mark.parametrize("target", ["b", "alliance"])
def test_an_embargo_cuts_an_offtake_either_way(solve, target: str) -> None:
    # From 2026 an embargo separates a and b, whichever side it names (the buyer's
    # region b, or the seller's bloc): 2025 sells its 10 t (as above), 2026 none.
    case = _case(price=20, years=(2025, 2026))
    case["scenarios"] = [{"scenario": "base", "is_baseline": "true"},
                         {"scenario": "cut", "is_baseline": "false"}]
    case["scenario_rules"] = [{"scenario": "cut", "rule": "embargo",
                               "target": target, "from_year": 2026}]
    t = solve(case)
    assert _sold(t, "base") == pytest.approx({2025: 10, 2026: 10})
    assert _sold(t, "cut") == pytest.approx({2025: 10})
    # supply cost: base 650 a year; cut 650 + 500 (2026 makes a's 50 t only).
    # Net of revenue: base 2 x (650 - 200) = 900, cut 450 + 500 = 950, so the
    # supply cost falls by 150 (-11.5 %) while the net cost rises by 50 (+5.6 %).
    row = t["summary"].set_index("scenario").loc["cut"]
    assert row["total_cost_usd"] == pytest.approx(1150)
    assert row["cost_premium_pct"] == pytest.approx(-150 / 1300 * 100)
    assert row["net_cost_usd"] == pytest.approx(950)
    assert row["net_cost_premium_pct"] == pytest.approx(50 / 900 * 100)


def test_an_export_quota_counts_offtake_deliveries(solve) -> None:
    # A quota of 4 t/yr on exports out of the alliance caps the 10 t sale at 4.
    case = _case(price=20)
    case["scenario_rules"] = [{"scenario": "baseline", "rule": "export_quota",
                               "target": "alliance", "value": 4}]
    t = solve(case)
    assert _sold(t) == pytest.approx({2025: 4})


def test_a_price_floor_is_paid_by_hand_and_not_in_total_cost(solve) -> None:
    # a makes 60 t/yr (price 20 as above) in 2025 and 2026, rate 10 %. The floor
    # guarantees 50 USD/t against the reference price 30 on at most 40 t: each
    # year (50 - 30) x min(60, 40) = 800, discounted 800 and 800 / 1.1. The LP and
    # its supply cost are those of the case without the floor.
    plain = _case(price=20, years=(2025, 2026), rate=0.1)
    floored = {**plain, "price_floors": [
        {"floor": "guarantee", "region": "a", "commodity": "ox",
         "floor_usd_per_t": 50, "max_tpa": 40, "payer": "treasury"}]}
    t0, t = solve(plain), solve(floored)
    moves = t["transfers"][t["transfers"]["floor"] == "guarantee"]
    assert moves["usd"].tolist() == pytest.approx([800, 800])
    assert moves["discounted_usd"].tolist() == pytest.approx([800, 800 / 1.1])
    assert set(moves["payer"]) == {"treasury"} and set(moves["payee"]) == {"a"}
    row, row0 = t["summary"].iloc[0], t0["summary"].iloc[0]
    assert row["transfers_usd"] == pytest.approx(800 + 800 / 1.1)
    assert row0["transfers_usd"] == pytest.approx(0)
    assert row["total_cost_usd"] == pytest.approx(row0["total_cost_usd"])
    assert row["total_cost_usd"] == pytest.approx(650 + 650 / 1.1)
    assert "floor" not in set(t["costs"]["category"])


def test_a_floor_below_the_market_pays_nothing(solve) -> None:
    # Floor 25 < reference price 30: max(0, 25 - 30) = 0, no transfer.
    case = {**_case(price=20), "price_floors": [
        {"floor": "low", "region": "a", "commodity": "ox", "floor_usd_per_t": 25}]}
    t = solve(case)
    assert t["transfers"][t["transfers"]["floor"] == "low"].empty


def test_offtake_and_floor_rows_are_checked(tmp_path) -> None:  # noqa: ANN001
    # Each bad cell is named by file, table, row (header = row 1) and column.
    from model.data.case import load_case
    from model.errors import InputError
    from tests.helpers import write_case

    case = _case(price=20, years=(2025, 2027))
    case["offtakes"] = [
        {"offtake": "k1", "buyer": "b", "seller": "aliance", "commodity": "ox",
         "price_usd_per_t": 1, "max_tpa": 5},
        {"offtake": "k2", "buyer": "b", "seller": "a", "commodity": "ox",
         "price_usd_per_t": 1, "min_tpa": 9, "max_tpa": 5},
        {"offtake": "k3", "buyer": "b", "seller": "a", "commodity": "ox",
         "price_usd_per_t": 1, "max_tpa": 5, "from_year": 2027, "to_year": 2026},
        {"offtake": "k4", "buyer": "zz", "seller": "a", "commodity": "ox",
         "price_usd_per_t": -1, "max_tpa": 5},
    ]
    case["price_floors"] = [{"floor": "f", "region": "a", "commodity": "ox",
                             "floor_usd_per_t": 5, "from_year": 2030}]
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", case))
    text = str(err.value)
    assert ("offtakes.csv [offtakes] row 2, column seller: unknown region or bloc "
            "'aliance'") in text
    assert ("offtakes.csv [offtakes] row 3, column min_tpa: min_tpa 9 > max_tpa 5"
            in text)
    assert ("offtakes.csv [offtakes] row 4, column to_year: to_year 2026 is before "
            "from_year 2027") in text
    assert "offtakes.csv [offtakes] row 5, column buyer:" in text and "'zz'" in text
    assert ("offtakes.csv [offtakes] row 5, column price_usd_per_t: -1 is out of "
            "range") in text
    assert ("price_floors.csv [price_floors] row 2, column from_year: 2030 is after "
            "end_year 2027") in text


def _two_contracts() -> dict[str, list[dict[str, object]]]:
    """``_case`` over 2025-26 plus region c (alliance, a mine, route c -> b);
    to_b now buys from every alliance region (a and c), min 10, max 30; to_b2
    buys from a in 2026 only, min 0, max 5."""
    tables = _case(price=20, years=(2025, 2026), min_tpa=10)
    tables["regions"].append({"region": "c", "bloc": "alliance"})
    tables["capacity"].append({"region": "c", "process": "mine", "capacity_tpa": 20})
    tables["routes"].append({"origin": "c", "destination": "b", "cost_usd_per_t": 5})
    tables["offtakes"][0]["seller"] = "alliance"
    tables["offtakes"].append({"offtake": "to_b2", "buyer": "b", "seller": "a",
                               "commodity": "ox", "price_usd_per_t": 20,
                               "min_tpa": 0, "max_tpa": 5, "from_year": 2026})
    return tables


def _contract_rows() -> tuple[Rows, Rows, object]:
    """offtake_max and offtake_min rows of ``_two_contracts`` (no solve; the
    index loaded once per process)."""
    ix = loaded_index(_two_contracts)
    return offtake_max_rows(ix), offtake_min_rows(ix), ix


def _by_row(rows: Rows, ix: object) -> dict:
    """(offtake, year) of each row -> (rhs, {variable: summed coefficient}), a
    sale named by its seller, sale_short by "short" (any other family by its
    own name)."""
    keys = list(zip(rows.keys["offtake"], rows.keys["year"], strict=True))
    got = {k: (float(r), {}) for k, r in zip(keys, rows.rhs, strict=True)}
    for terms in rows.terms:
        coef = np.broadcast_to(np.asarray(terms.coef, dtype=float), terms.row.shape)
        for r, k, v in zip(terms.row, terms.position, coef, strict=True):
            name = (ix.sale["seller"].iat[k] if terms.family == "sale" else
                    "short" if terms.family == "sale_short" else terms.family)
            got[keys[r]][1][name] = got[keys[r]][1].get(name, 0.0) + v
    return got


def test_offtake_rows_group_sales_by_contract_and_year() -> None:
    # Sales: to_b from a and from c in 2025 and 2026, to_b2 from a in 2026.
    # offtake_max, one row per (offtake, year) with a sale: to_b's two sellers
    # summed <= 30 in each year; to_b2's one sale <= 5 in 2026.
    # offtake_min (min_tpa > 0: to_b only): a + c + sale_short >= 10 each year.
    top, floor, ix = _contract_rows()
    assert list(top.keys.columns) == ["offtake", "year"]
    assert _by_row(top, ix) == {
        ("to_b", 2025): (30.0, {"a": 1.0, "c": 1.0}),
        ("to_b", 2026): (30.0, {"a": 1.0, "c": 1.0}),
        ("to_b2", 2026): (5.0, {"a": 1.0})}
    assert list(floor.keys.columns) == ["offtake", "year"]
    assert _by_row(floor, ix) == {
        ("to_b", 2025): (10.0, {"a": 1.0, "c": 1.0, "short": 1.0}),
        ("to_b", 2026): (10.0, {"a": 1.0, "c": 1.0, "short": 1.0})}


def _no_offtake() -> dict[str, list[dict[str, object]]]:
    tables = _case(price=20)
    tables["offtakes"] = []
    return tables


def test_without_offtakes_the_contract_rows_are_empty_with_their_keys() -> None:
    # No offtake, so no sale and no take-or-pay variable: no row in either
    # family, and the (empty) keys still name (offtake, year).
    ix = loaded_index(_no_offtake)
    for rows in (offtake_max_rows(ix), offtake_min_rows(ix)):
        assert len(rows.keys) == 0 and len(rows.rhs) == 0
        assert list(rows.keys.columns) == ["offtake", "year"]
