"""Reserves and stockpiles (§3 "Reserves", "Stockpiles")."""

from __future__ import annotations

import pytest

from tests.helpers import mine, one_commodity, settings


def _case(**overrides: object) -> dict:
    case = {
        "settings": settings(2025, 2027, 0.1),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=100, price=40),
        "processes": [mine(cost=10)[0]], "process_io": [mine()[1]],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
    }
    case.update(overrides)
    return case


def test_reserve_caps_cumulative_extraction(solve) -> None:
    # Capacity 10 t/yr would meet 10 t/yr for 3 years, but the reserve is 25 t:
    # 25 t mined in total, 5 t short (in the last year: discounting makes the
    # penalty cheapest latest).
    t = solve(_case(capacity=[{"region": "a", "process": "mine", "capacity_tpa": 10}],
                    reserves=[{"region": "a", "process": "mine", "reserve_t": 25}]))
    assert t["production"]["activity_t"].sum() == pytest.approx(25)
    assert t["shortfall"].set_index("year")["shortfall_t"].to_dict() == pytest.approx(
        {2025: 0, 2026: 0, 2027: 5})


@pytest.mark.parametrize(("release_cost", "released"), [(50.0, 15.0), (150.0, 0.0)])
def test_stockpile_release_against_its_cost(solve, release_cost: float,
                                            released: float) -> None:
    # No production; 15 t in stock, release ≤ 10 t/yr. Releasing costs 50 < penalty
    # 100 → all 15 t are released, earliest first (the saving 100 - 50 is worth most
    # undiscounted early): 10 t in 2025, 5 t in 2026; levels 5, 0, 0. At 150 > 100
    # the stock is kept and all 30 t are short.
    t = solve(_case(stockpiles=[{"region": "a", "commodity": "ox", "initial_t": 15,
                                 "max_release_tpa": 10,
                                 "release_cost_usd_per_t": release_cost}]))
    stock = t["stock"].set_index("year")
    assert stock["release_t"].sum() == pytest.approx(released)
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(30 - released)
    if released:
        assert stock["release_t"].to_dict() == pytest.approx({2025: 10, 2026: 5,
                                                              2027: 0})
        assert stock["level_t"].to_dict() == pytest.approx({2025: 5, 2026: 0, 2027: 0})


def test_stockpile_release_cost_defaults_to_reference_price(solve) -> None:
    # Blank release cost → the reference price 40 < penalty 100: released.
    t = solve(_case(stockpiles=[{"region": "a", "commodity": "ox", "initial_t": 5}]))
    assert t["stock"]["release_t"].sum() == pytest.approx(5)
    stock_cost = t["costs"].query("category == 'stock'")["usd"].sum()
    assert stock_cost == pytest.approx(5 * 40)
