"""One hand-solved case per class of realistic bug that once slipped through.

Each test below failed on a deliberate mutant of its class (docs/testing.md lists
the mutants and the run that showed it), and each expected value is derived by hand
in its comment. All solve through the production path (``solve`` fixture: load →
index → build → solve → extract → post-solve checks → KPIs), once with each builder,
so they hold whatever the internals of ``model/formulation`` look like.

Blind spots covered on the way: a non-zero discount rate together with availability
below one, expansion, binding limits and prices; a baseline that is not listed
first; a shortfall tolerance other than the default.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import mine, one_commodity, settings

RATE = 0.1
DF_2026 = 1 / 1.1  # discount factor of 2026 at 10 %, base year 2025


def _by_year(frame: pd.DataFrame, column: str, **where: object) -> dict[int, float]:
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return {int(y): float(v) for y, v in zip(frame["year"], frame[column],
                                             strict=True)}


# ---------------------------------------------------------------- availability


def _derated_expansion() -> dict:
    """10 tpa existing plus up to 10 tpa new, both at availability 0.8; demand 20 t."""
    proc, out = mine(cost=10)
    proc["availability"] = 0.8
    return {
        "settings": settings(2025, 2026, RATE),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 10}],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 10}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 20}],
    }


def test_availability_derates_new_builds_too(solve) -> None:
    # Building is free (capex and fixed O&M 0) and a build online in 2025 serves
    # both years (lifetime 30), so all 10 tpa allowed come online in 2025 (a 2026
    # build would serve one year only). Activity <= 0.8 x (10 + 10) = 16 t a year:
    # the penalty (1000) beats the variable cost (10), so 16 t are mined and
    # 20 - 16 = 4 t are short each year. (Availability ignored on builds: 0.8 x 10
    # + 10 = 18, only 2 t short.)
    t = solve(_derated_expansion())
    assert _by_year(t["shortfall"], "shortfall_t") == pytest.approx({2025: 4, 2026: 4})
    assert t["builds"][["online_year", "capacity_tpa"]].values.tolist() == [[2025, 10]]
    assert _by_year(t["production"], "activity_t") == pytest.approx({2025: 16,
                                                                     2026: 16})
    # Supply cost, discounted at 10 %: 16 x 10 in 2025 + 16 x 10 / 1.1 in 2026.
    total = t["summary"]["total_cost_usd"].iat[0]
    assert total == pytest.approx(160 + 160 * DF_2026)


def test_capacity_bottleneck_is_valued_with_its_availability(solve) -> None:
    # One more tpa of nameplate capacity gives 0.8 t more activity, each tonne
    # replacing a short tonne: 0.8 x (1000 - 10) = 792 USD per tpa in that year's
    # money, in both years (the undiscounting cancels the 1/1.1 of 2026). Without
    # the availability factor it would read 990.
    # One more tpa of the total expansion limit is built in 2025 and serves both
    # years: 792 + 792 / 1.1 = 1512 USD per tpa in base-year money.
    # The LP is not degenerate (5 basic variables act, short x 2 years and the
    # 2025 build, all positive, for 5 rows), so these duals are unique.
    t = solve(_derated_expansion())
    limits = t["bottlenecks"]
    capacity = limits[limits["limit"] == "capacity"]
    assert _by_year(capacity, "value_usd_per_t") == pytest.approx({2025: 792,
                                                                   2026: 792})
    total = limits[limits["limit"] == "expansion total"]
    assert total["value_usd_per_t"].tolist() == pytest.approx([792 + 792 * DF_2026])
    assert total["money"].tolist() == ["base year"]


def test_prices_are_in_each_years_money(solve) -> None:
    # Marginal tonne: unmet in both years (shortfall is basic), so the balance dual
    # is the discounted penalty 1000 x df_y; undiscounted it is 1000 in 2025 and in
    # 2026 (left in base-year money, 2026 would read 1000 / 1.1 = 909.09).
    t = solve(_derated_expansion())
    prices = _by_year(t["prices"], "marginal_cost_usd_per_t")
    assert prices == pytest.approx({2025: 1000, 2026: 1000})


def test_prices_undiscounted_where_a_plant_sets_them(solve) -> None:
    # A mine with spare capacity (100 tpa, 0.9 available = 90 t) meets 50 t a year
    # at 10 USD/t: the price is 10 USD/t in each year's money (9.09 in 2026 if left
    # discounted at 10 %).
    proc, out = mine(cost=10)
    proc["availability"] = 0.9
    case = {
        "settings": settings(2025, 2026, RATE),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 50}],
    }
    t = solve(case)
    prices = _by_year(t["prices"], "marginal_cost_usd_per_t")
    assert prices == pytest.approx({2025: 10, 2026: 10})
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(500 + 500 * DF_2026)


def test_annuity_of_a_derated_build_at_a_positive_rate(solve) -> None:
    # No existing capacity; capex 100 USD/tpa, lifetime 2, availability 0.5, rate
    # 10 %, demand 10 t in 2025 and 2026. 10 t a year needs 10 / 0.5 = 20 tpa in
    # service; one build online 2025 serves both years. Its annuity is
    # CRF(0.1, 2) x 100 = 0.1 x 1.21 / 0.21 x 100 = 57.619 USD per tpa a year,
    # charged 2025 and 2026: 20 x 57.619 x (1 + 1/1.1) = 20 x 110 = 2200
    # discounted; per tonne that is 2 x 110 = 220 + 10 < 1000 penalty, so building
    # wins. Total: 2200 + 10 x 10 + 10 x 10 / 1.1 = 2390.909.
    proc, out = mine(cost=10, capex=100, life=2)
    proc["availability"] = 0.5
    case = {
        "settings": settings(2025, 2026, RATE),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
    }
    t = solve(case)
    builds = t["builds"]
    assert builds[["online_year", "capacity_tpa", "capex_usd"]].values.tolist() == \
        [[2025, 20, pytest.approx(2000)]]
    costs = t["costs"].groupby("category")["discounted_usd"].sum()
    assert costs["capex"] == pytest.approx(2200)
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(
        2200 + 100 + 100 * DF_2026)
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(0)


# ---------------------------------------------------------------- trade rules


def _two_way_trade() -> dict:
    """ox is mined only in the US and needed in China; mx the other way round."""
    return {
        "settings": settings(2025, 2025),
        "regions": [{"region": "cn", "bloc": "china"},
                    {"region": "us", "bloc": "alliance"}],
        "commodities": [
            {"commodity": "ox", "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "mx", "shortfall_penalty_usd_per_t": 1000}],
        "processes": [mine("ox_mine", cost=10)[0], mine("mx_mine", cost=10)[0]],
        "process_io": [mine("ox_mine", out="ox")[1], mine("mx_mine", out="mx")[1]],
        "capacity": [{"region": "us", "process": "ox_mine", "capacity_tpa": 100},
                     {"region": "cn", "process": "mx_mine", "capacity_tpa": 100}],
        "demand": [{"region": "cn", "commodity": "ox", "year": 2025, "demand_t": 30},
                   {"region": "us", "commodity": "mx", "year": 2025, "demand_t": 40}],
        "routes": [{"origin": "us", "destination": "cn", "cost_usd_per_t": 5},
                   {"origin": "cn", "destination": "us", "cost_usd_per_t": 5}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "cut", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "cut", "rule": "embargo", "target": "china"}],
    }


def test_embargo_blocks_flows_into_and_out_of_its_target(solve) -> None:
    # Base: 30 t of ox go us -> cn and 40 t of mx cn -> us (15 USD/t landed, well
    # under the penalty). Embargo on china: nothing crosses in either direction, so
    # cn is 30 t short of ox and us 40 t short of mx. (Blocking only exports out of
    # China would leave the 30 t into China; blocking only imports, the 40 t out.)
    t = solve(_two_way_trade())
    flows = t["flows"]
    base = flows[flows["scenario"] == "base"]
    assert {(r.origin, r.commodity): r.quantity_t for r in base.itertuples()} == \
        pytest.approx({("us", "ox"): 30, ("cn", "mx"): 40})
    assert flows[flows["scenario"] == "cut"].empty
    short = t["shortfall"][t["shortfall"]["scenario"] == "cut"]
    assert dict(zip(short["region"], short["shortfall_t"], strict=True)) == \
        pytest.approx({"cn": 30, "us": 40})
    # Only the US is in the alliance scope: the headline counts its 40 t.
    summary = t["summary"].set_index("scenario")
    assert summary.loc["cut", "shortfall_t"] == pytest.approx(40)


def test_export_quota_ignores_flows_inside_its_target(solve) -> None:
    # a1 and a2 are both alliance; x is outside. a1's mine (100 tpa, 10 USD/t)
    # serves a2 (10 t) and x (10 t), 1 USD/t transport. The alliance may export
    # 5 t of ox a year: a1 -> a2 stays inside the bloc and is free of the quota,
    # so a2 gets 10 t, x 5 t and x is 5 t short each year. (Counting the flow to
    # a2 too would leave 15 t short.)
    # The quota is worth the penalty less the landed cost, 1000 - 11 = 989 USD per
    # t of quota, in that year's money (also in 2026, at a 10 % rate).
    proc, out = mine(cost=10)
    case = {
        "settings": settings(2025, 2026, RATE),
        "regions": [{"region": "a1", "bloc": "alliance"},
                    {"region": "a2", "bloc": "alliance"},
                    {"region": "x", "bloc": "other"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a1", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": r, "commodity": "ox", "year": 2025, "demand_t": 10}
                   for r in ("a2", "x")],
        "routes": [{"origin": "a1", "destination": d, "cost_usd_per_t": 1}
                   for d in ("a2", "x")],
        "scenario_rules": [{"scenario": "baseline", "rule": "export_quota",
                            "target": "alliance", "commodity": "ox", "value": 5}],
    }
    t = solve(case)
    flows = t["flows"]
    assert _by_year(flows, "quantity_t", destination="a2") == pytest.approx(
        {2025: 10, 2026: 10})
    assert _by_year(flows, "quantity_t", destination="x") == pytest.approx(
        {2025: 5, 2026: 5})
    short = t["shortfall"]
    assert short.groupby("region")["shortfall_t"].sum().to_dict() == pytest.approx(
        {"a2": 0, "x": 10})
    quota = t["bottlenecks"][t["bottlenecks"]["limit"] == "export quota"]
    assert _by_year(quota, "value_usd_per_t") == pytest.approx({2025: 989, 2026: 989})


# ---------------------------------------------------------------- lead_time_add


def test_lead_time_add_delays_only_its_stage(solve) -> None:
    # Two products, each from its own buildable source (lead time 0, capex 30 over
    # 30 years = 1 USD/tpa a year at rate 0, 10 USD/t variable): 'm1' is a mining
    # process, 's2' a separation process. 'late' adds 2 years to the lead time of
    # stage mining only: m1 can come online in 2027, so c1 is 10 t short in 2025
    # and 2026 and self-sufficient from 2027; s2 is unaffected (online 2025, c2
    # met from 2025). (Ignoring the stage would delay c2 the same way.)
    m1, m1_out = mine("m1", cost=10, capex=30, out="c1")
    s2, s2_out = mine("s2", cost=10, capex=30, out="c2")
    s2["stage"] = "separation"
    case = {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": 1000}
                        for c in ("c1", "c2")],
        "processes": [m1, s2], "process_io": [m1_out, s2_out],
        "expansion": [{"region": "a", "process": p} for p in ("m1", "s2")],
        "demand": [{"region": "a", "commodity": c, "year": 2025, "demand_t": 10}
                   for c in ("c1", "c2")],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "late", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "late", "rule": "lead_time_add",
                            "field": "mining", "value": 2}],
    }
    t = solve(case)
    late = t["builds"][t["builds"]["scenario"] == "late"]
    assert dict(zip(late["process"], late["online_year"], strict=True)) == {
        "m1": 2027, "s2": 2025}
    kpi = t["kpi_by_commodity"].set_index(["scenario", "commodity"])
    years = kpi["self_sufficient_year"].astype(int).to_dict()
    assert years == {("base", "c1"): 2025, ("base", "c2"): 2025,
                     ("late", "c1"): 2027, ("late", "c2"): 2025}
    assert kpi.loc[("late", "c1"), "shortfall_t"] == pytest.approx(20)
    assert kpi.loc[("late", "c2"), "shortfall_t"] == pytest.approx(0)


# ---------------------------------------------------------------- headline KPIs


def _steady_gap(tolerance: float | None) -> dict:
    """Demand 100 t a year, 99 tpa of capacity: 1 % short every year."""
    proc, out = mine(cost=10)
    extra = {} if tolerance is None else {"shortfall_tolerance": tolerance}
    return {
        "settings": settings(2025, 2027, **extra),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 99}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    }


@pytest.mark.parametrize(("tolerance", "year"), [
    (0.05, 2025),   # 1 t short of 100 t = 1 % <= 5 %: met from the first year
    (0.011, 2025),  # 1 % <= 1.1 %
    (0.005, None),  # 1 % > 0.5 %: never
    (None, None),   # the default 0.1 %: never
])
def test_case_tolerance_decides_the_self_sufficient_year(solve, tolerance, year
                                                         ) -> None:
    t = solve(_steady_gap(tolerance))
    summary, kpi = t["summary"], t["kpi_by_commodity"]
    assert summary["shortfall_t"].iat[0] == pytest.approx(3)
    for frame in (summary, kpi):
        got = frame["self_sufficient_year"].iat[0]
        assert (None if pd.isna(got) else int(got)) == year


def test_a_year_without_demand_counts_as_met(solve) -> None:
    # Demand 0 t in 2025 and 10 t from 2026 (nearest value after the last given
    # year), a 100 tpa mine: never short, so self-sufficient from 2025. (This case
    # once crashed: the KPI filled the missing 2025 row of a text column with 0.0.)
    proc, out = mine(cost=10)
    case = {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 0},
                   {"region": "a", "commodity": "ox", "year": 2026, "demand_t": 10}],
    }
    t = solve(case)
    assert t["kpi_by_commodity"]["self_sufficient_year"].tolist() == [2025]
    assert t["summary"]["demand_t"].tolist() == pytest.approx([20])
    assert t["summary"]["total_cost_usd"].tolist() == pytest.approx([200])


def test_premium_is_measured_against_the_flagged_baseline(solve) -> None:
    # Scenarios listed 'cut' first, 'base' (the flagged baseline) second.
    # a needs 100 t; China's b mines at 10 and ships at 5 (15 landed), partner c
    # mines at 10 and ships at 50 (60 landed). base: 100 x 15 = 1500. cut (embargo
    # on china): 100 x 60 = 6000. Premium of cut = 6000 - 1500 = 4500 = +300 %;
    # the baseline's own premium is 0. (Against the first-listed scenario, cut
    # would show 0 and base -4500.)
    proc, out = mine(cost=10)
    case = {
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "china"},
                    {"region": "c", "bloc": "partner"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": r, "process": "mine", "capacity_tpa": 100}
                     for r in ("b", "c")],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 5},
                   {"origin": "c", "destination": "a", "cost_usd_per_t": 50}],
        "scenarios": [{"scenario": "cut", "is_baseline": "false"},
                      {"scenario": "base", "is_baseline": "true"}],
        "scenario_rules": [{"scenario": "cut", "rule": "embargo", "target": "china"}],
    }
    t = solve(case)
    summary = t["summary"]
    assert summary["scenario"].tolist() == ["cut", "base"]  # case order kept
    assert t["kpi_by_commodity"]["scenario"].tolist() == ["cut", "base"]
    s = summary.set_index("scenario")
    assert s["is_baseline"].astype(bool).to_dict() == {"cut": False, "base": True}
    assert s["total_cost_usd"].to_dict() == pytest.approx({"cut": 6000, "base": 1500})
    assert s["cost_premium_usd"].to_dict() == pytest.approx({"cut": 4500, "base": 0})
    assert s["cost_premium_pct"].to_dict() == pytest.approx({"cut": 300, "base": 0})
