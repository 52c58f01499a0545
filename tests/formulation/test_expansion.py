"""Expansion: total and per-year limits (§3 "Expansion")."""

from __future__ import annotations

import pytest

from tests.helpers import mine, one_commodity, settings


def test_total_and_per_year_expansion_limits(solve) -> None:
    # Demand 100/yr 2025-27, no existing capacity, lead 0; builds capped at
    # 50 t/yr per online year and 80 t/yr in total → 50 online 2025, 30 in 2026:
    # supply 50, 80, 80 → shortfall 50, 20, 20 (penalty 1000 ≫ cost).
    proc, out = mine(cost=10, lead=0, capex=3, life=30)
    t = solve({
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 80,
                       "max_new_tpa_per_year": 50}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    })
    assert t["builds"][["online_year", "capacity_tpa"]].values.tolist() == [
        [2025, 50], [2026, 30]]
    assert t["shortfall"].set_index("year")["shortfall_t"].to_dict() == pytest.approx(
        {2025: 50, 2026: 20, 2027: 20})


def test_unlisted_pair_cannot_be_built(solve) -> None:
    # Expansion is listed only in region b; a's 10 t/yr must come from a build in b
    # shipped over the b→a route (1 USD/t): builds only where listed, none in a.
    proc, out = mine(cost=10, lead=0)
    t = solve({
        "regions": [{"region": "a", "bloc": "alliance"}, {"region": "b", "bloc": "partner"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "b", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 1}],
    })
    assert t["builds"][["region", "online_year", "capacity_tpa"]].values.tolist() == [
        ["b", 2025, 10]]
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(0)


def test_a_projects_own_capex_wins_over_the_process_capex(solve) -> None:
    # Two regions may build the same mine (lead 0, 30-year life, rate 0, horizon
    # 2025 only, so a build's capex is charged as 1/30 of it in 2025). Process capex
    # 300/tpa: a (capex index 1) pays 300, b (index 0.5) 150 — but b's expansion row
    # carries its project's published capex, 600/tpa, which replaces 300 × 0.5.
    # Demand 10 t in a; b ships at 0. So a builds: capex 10 × 300 / 30 = 100, plus
    # 10 × 10 variable = 200 in all (b would cost 10 × 600 / 30 + 100 = 300).
    proc, out = mine(cost=10, lead=0, capex=300, life=30)
    t = solve({
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "alliance", "capex_index": 0.5}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine"},
                      {"region": "b", "process": "mine", "capex_usd_per_tpa": 600}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 0}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
    })
    builds = t["builds"].set_index("region")
    assert builds["capacity_tpa"].to_dict() == pytest.approx({"a": 10})
    assert builds.loc["a", "capex_usd"] == pytest.approx(3000)
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(200, rel=1e-9)
