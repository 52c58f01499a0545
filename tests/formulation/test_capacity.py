"""Capacity: lifetime windows, lead times, retirement and availability (§3)."""

from __future__ import annotations

import pytest

from model.data.indices import RPY
from model.formulation.capacity import capacity_rows
from tests.helpers import loaded_index, mine, one_commodity, row_terms, settings


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


def test_capacity_rows_by_hand() -> None:
    # 2025-28, region a. mine: availability 0.8, lead 1, life 2, 100 t from
    # before the base year and 40 t online 2027, mining ramp 0.5 then 0.8;
    # builds online 2026-28. make: availability 0.9, 10 t, a build online 2028
    # (its earliest year), its stage's ramp 0.5 in the first year; recipe lean
    # of make from 2028.
    # Rows (one per act row, keys sorted), act - alpha sum rho build <= alpha K:
    #   mine 2025: act <= 0.8 x 100 = 80;  2026: act - 0.8 x 0.5 b26 <= 80
    #   mine 2027: act - 0.64 b26 - 0.4 b27 <= 0.8 (100 + 0.5 x 40) = 96
    #   mine 2028: act - 0.64 b27 - 0.4 b28 <= 0.8 (100 + 0.8 x 40) = 105.6
    #     (b26 retired: life 2, so 2026 < y' <= 2028)
    #   make 2025-27: act <= 0.9 x 10 = 9
    #   make 2028: act_make + act_lean - 0.9 x 0.5 b28(make) <= 9 (the recipe
    #     runs on its base's capacity; the 10 t were online before 2025: no ramp)
    #   lean 2028: act_lean - 0.45 b28(make) <= 9 (base's alpha, K, builds, ramp)
    ix = loaded_index(_index_tables)
    rows = capacity_rows(ix)
    assert list(rows.keys.columns) == ["region", "process", "year"]
    assert list(rows.keys.itertuples(index=False, name=None)) == (
        [("a", "lean", 2028)] + [("a", "make", y) for y in range(2025, 2029)]
        + [("a", "mine", y) for y in range(2025, 2029)])
    assert rows.rhs.tolist() == pytest.approx([9.0] * 5 + [80, 80, 96, 105.6])
    want = {("a", p, y, "act", "a", p, y): 1.0
            for p, years in (("mine", range(2025, 2029)), ("make", range(2025, 2029)),
                             ("lean", [2028])) for y in years}
    want |= {("a", "make", 2028, "act", "a", "lean", 2028): 1.0,
             ("a", "make", 2028, "build", "a", "make", 2028): -0.45,
             ("a", "lean", 2028, "build", "a", "make", 2028): -0.45,
             ("a", "mine", 2026, "build", "a", "mine", 2026): -0.4,
             ("a", "mine", 2027, "build", "a", "mine", 2026): -0.64,
             ("a", "mine", 2027, "build", "a", "mine", 2027): -0.4,
             ("a", "mine", 2028, "build", "a", "mine", 2027): -0.64,
             ("a", "mine", 2028, "build", "a", "mine", 2028): -0.4}
    frames = {"act": (ix.act, RPY), "build": (ix.build, RPY)}
    assert row_terms(rows, RPY, frames) == pytest.approx(want, rel=1e-12)


def _index_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine", lead=1, life=2)
    make = {"process": "make", "stage": "magnet", "lead_time_years": 0,
            "lifetime_years": 30, "availability": 0.9}
    io = [("make", "ox", "in", 0.5), ("make", "mag", "out", 1),
          ("lean", "ox", "in", 0.25), ("lean", "mag", "out", 1)]
    tables = {
        "settings": settings(2025, 2028),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": 1000}
                        for c in ("ox", "mag")],
        "processes": [{**m, "availability": 0.8}, make, {**make, "process": "lean"}],
        "process_io": [m_out] + [{"process": p, "commodity": c, "direction": d,
                                  "coefficient": k} for p, c, d, k in io],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100},
                     {"region": "a", "process": "mine", "capacity_tpa": 40,
                      "online_year": 2027},
                     {"region": "a", "process": "make", "capacity_tpa": 10}],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 500},
                      {"region": "a", "process": "make", "max_new_tpa": 500,
                       "earliest_online_year": 2028}],
        "ramp_up": [{"stage": "mining", "year_in_service": 1, "fraction": 0.5},
                    {"stage": "mining", "year_in_service": 2, "fraction": 0.8},
                    {"stage": "magnet", "year_in_service": 1, "fraction": 0.5}],
        "recipes": [{"recipe": "lean", "process": "make", "ready_year": 2028}],
        "demand": [{"region": "a", "commodity": "mag", "year": 2025,
                    "demand_t": 5}],
    }
    return tables
