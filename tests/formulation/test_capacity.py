"""Capacity: lifetime windows, lead times, retirement and availability (§3)."""

from __future__ import annotations

import pytest

from tests.helpers import mine, one_commodity, settings


def _case(**overrides: object) -> dict:
    proc, out = mine(cost=10, lead=2, capex=30, life=30)
    case = {
        "settings": settings(2025, 2030),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "late", "is_baseline": "false"}],
    }
    case.update(overrides)
    return case


def test_lead_time_sets_shortfall_years_and_self_sufficient_year(solve) -> None:
    # Lead time 2 → earliest online 2027; building (annuity 30/30 = 1 per t/yr at
    # rate 0 plus 10/t variable) beats the 1000/t penalty, so 100 t/yr comes online
    # in 2027. Shortfall 100 t in 2025 and 2026, none after; self-sufficient 2027.
    t = solve(_case())
    base = t["shortfall"][t["shortfall"]["scenario"] == "base"].set_index("year")
    assert base["shortfall_t"].to_dict() == pytest.approx(
        {2025: 100, 2026: 100, 2027: 0, 2028: 0, 2029: 0, 2030: 0})
    b = t["builds"][t["builds"]["scenario"] == "base"]
    assert b[["online_year", "capacity_tpa"]].values.tolist() == [[2027, 100]]
    assert t["summary"].set_index("scenario").loc["base", "self_sufficient_year"] == 2027


def test_lead_time_add_delays_by_whole_years(solve) -> None:
    # lead_time_add of 1 year on stage 'mining' in scenario 'late': online 2028,
    # shortfall 2025-2027 (300 t) and self-sufficient 2028.
    case = _case(scenario_rules=[{"scenario": "late", "rule": "lead_time_add",
                                  "field": "mining", "value": 1}])
    s = solve(case)["summary"].set_index("scenario")
    assert s.loc["late", "self_sufficient_year"] == 2028
    assert s.loc["late", "shortfall_t"] == pytest.approx(300)
    assert s.loc["base", "shortfall_t"] == pytest.approx(200)


def test_lead_time_add_moves_a_given_earliest_online_year(solve) -> None:
    # Given earliest_online_year 2026 (a project under way) + 2 years → 2028.
    case = _case(expansion=[{"region": "a", "process": "mine",
                             "earliest_online_year": 2026}],
                 scenario_rules=[{"scenario": "late", "rule": "lead_time_add",
                                  "target": "alliance", "value": 2}])
    s = solve(case)["summary"].set_index("scenario")
    assert s.loc["base", "self_sufficient_year"] == 2026
    assert s.loc["late", "self_sufficient_year"] == 2028


def test_retirement_ends_capacity(solve) -> None:
    # 100 t/yr usable 2025 ≤ y < 2028, no expansion: 2028-2030 fully short.
    case = _case(expansion=[],
                 capacity=[{"region": "a", "process": "mine", "capacity_tpa": 100,
                            "retire_year": 2028}])
    base = solve(case)["shortfall"].query("scenario == 'base'").set_index("year")
    assert base["shortfall_t"].to_dict() == pytest.approx(
        {2025: 0, 2026: 0, 2027: 0, 2028: 100, 2029: 100, 2030: 100})


def test_build_lifetime_window(solve) -> None:
    # Lifetime 2 years, lead 0: a build online in 2025 serves 2025-2026 only, so the
    # model must build again in 2027 and 2029 (3 builds of 100 over six years).
    proc, out = mine(cost=10, lead=0, capex=30, life=2)
    t = solve(_case(processes=[proc], process_io=[out]))
    b = t["builds"][t["builds"]["scenario"] == "base"]
    assert b[["online_year", "capacity_tpa"]].values.tolist() == [
        [2025, 100], [2027, 100], [2029, 100]]
    assert t["summary"]["shortfall_t"].sum() == pytest.approx(0)


def test_availability_derates_capacity(solve) -> None:
    # Availability 0.8 on 100 t/yr existing: at most 80 t/yr, 20 t/yr short.
    proc, out = mine(cost=10)
    proc["availability"] = 0.8
    case = _case(processes=[proc], process_io=[out], expansion=[],
                 capacity=[{"region": "a", "process": "mine", "capacity_tpa": 100}])
    s = solve(case)["summary"].set_index("scenario")
    assert s.loc["base", "shortfall_t"] == pytest.approx(6 * 20)


def test_committed_capacity_online_later(solve) -> None:
    # A committed plant online in 2029 (capacity table): short 2025-2028.
    case = _case(expansion=[],
                 capacity=[{"region": "a", "process": "mine", "capacity_tpa": 100,
                            "online_year": 2029}])
    s = solve(case)["summary"].set_index("scenario")
    assert s.loc["base", "self_sufficient_year"] == 2029
