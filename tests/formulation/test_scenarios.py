"""Scenario rule ``scale`` on each of its six fields (MODEL-SPEC §2)."""

from __future__ import annotations

import pytest

from tests.helpers import mine, one_commodity, settings


def _case(rules: list[dict], **overrides: object) -> dict:
    proc, out = mine(cost=10, lead=0, capex=30)
    case = {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance", "capex_index": 2},
                    {"region": "b", "bloc": "partner"}, {"region": "c", "bloc": "partner"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "b", "process": "mine", "capacity_tpa": 100},
                     {"region": "c", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 50}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 5},
                   {"origin": "c", "destination": "a", "cost_usd_per_t": 6}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "s", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "s", **r} for r in rules],
    }
    case.update(overrides)
    return case


def _s(table, name: str = "s"):
    return table[table["scenario"] == name]


def test_scale_demand_from_year(solve) -> None:
    # ×2 demand in region a from 2026: 50, 100, 100 t (b supplies up to 100).
    t = solve(_case([{"rule": "scale", "target": "a", "field": "demand", "value": 2,
                      "from_year": 2026}]))
    d = _s(t["shortfall"]).set_index("year")["demand_t"]
    assert d.to_dict() == pytest.approx({2025: 50, 2026: 100, 2027: 100})


def test_scale_demand_only_for_its_commodity(solve) -> None:
    # Two commodities demanded; the rule names 'ox' only, 'mx' keeps 50 t/yr.
    case = _case([{"rule": "scale", "field": "demand", "commodity": "ox",
                   "value": 3}])
    case["commodities"] += [{"commodity": "mx", "shortfall_penalty_usd_per_t": 1000}]
    case["process_io"] += [{"process": "mine", "commodity": "mx", "direction": "out",
                            "coefficient": 1}]
    case["demand"] += [{"region": "a", "commodity": "mx", "year": 2025,
                        "demand_t": 50}]
    d = _s(solve(case)["shortfall"]).groupby("commodity")["demand_t"].sum()
    assert d.to_dict() == pytest.approx({"ox": 450, "mx": 150})


def test_scale_variable_cost_switches_supplier(solve) -> None:
    # b's mine ×2 (10 → 20/t) makes c (10 + 6 = 16 < 20 + 5 = 25) the supplier.
    t = solve(_case([{"rule": "scale", "target": "b", "field": "variable_cost",
                      "value": 2}]))
    assert set(_s(t["flows"])["origin"]) == {"c"}
    assert set(_s(t["flows"], "base")["origin"]) == {"b"}
    cost = _s(t["costs"]).query("category == 'variable'")["usd"].sum()
    assert cost == pytest.approx(3 * 50 * 10)


def test_scale_capacity(solve) -> None:
    # Halve b's and c's capacity (partner bloc) to 50 each: still 100 ≥ 50 t, so
    # b gives 50 (cheapest), no shortfall; with ×0.2: 20 + 20 = 40 → 10 t/yr short.
    t = solve(_case([{"rule": "scale", "target": "partner", "field": "capacity",
                      "value": 0.2}]))
    assert _s(t["summary"])["shortfall_t"].iat[0] == pytest.approx(30)
    cap = _s(t["production"]).groupby("region")["capacity_tpa"].max()
    assert cap.to_dict() == pytest.approx({"b": 20, "c": 20})


def test_scale_route_cost_by_origin_from_year(solve) -> None:
    # b's routes ×3 from 2027 (5 → 15/t): c (6/t) wins in 2027 only.
    t = solve(_case([{"rule": "scale", "target": "b", "field": "route_cost",
                      "value": 3, "from_year": 2027}]))
    f = _s(t["flows"]).set_index("year")["origin"]
    assert f.to_dict() == {2025: "b", 2026: "b", 2027: "c"}


def test_scale_capex_applies_to_builds_online_from_year(solve) -> None:
    # Only expansion in a (capex 30 × capex_index 2 × 1.5 = 90 per t/yr); no
    # supply elsewhere: 50 t/yr built online 2025, overnight capex 50 × 90 = 4500.
    case = _case([{"rule": "scale", "target": "a", "field": "capex", "value": 1.5}],
                 capacity=[], routes=[],
                 expansion=[{"region": "a", "process": "mine"}])
    b = _s(solve(case)["builds"])
    assert b[["online_year", "capacity_tpa", "capex_usd"]].values.tolist() == [
        [2025, 50, 4500]]


def test_scale_penalty_makes_shortfall_cheaper_than_supply(solve) -> None:
    # Penalty 1000 × 0.005 = 5 USD/t < cheapest supply 15 USD/t → all short.
    t = solve(_case([{"rule": "scale", "field": "penalty", "value": 0.005}]))
    s = t["summary"].set_index("scenario")
    assert s.loc["s", "shortfall_t"] == pytest.approx(150)
    assert s.loc["base", "shortfall_t"] == pytest.approx(0)
    pen = _s(t["costs"]).query("category == 'penalty'")["usd"].sum()
    assert pen == pytest.approx(150 * 5)
