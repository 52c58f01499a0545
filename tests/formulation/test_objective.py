"""Objective: discounting, capex annuities, fixed O&M (§3 "Objective")."""

from __future__ import annotations

import pytest

from model.data.indices import capital_recovery_factor, discount_factors
from model.formulation import objective
from tests.helpers import loaded_index, mine, one_commodity, settings


def test_capital_recovery_factor_by_hand() -> None:
    # CRF(i, L) = i (1+i)^L / ((1+i)^L - 1)
    # i = 0.1, L = 2: 0.1 x 1.21 / 0.21 = 0.5761904761904762
    assert capital_recovery_factor(0.1, 2) == pytest.approx(0.121 / 0.21, rel=1e-12)
    # i = 0.08, L = 25: 1.08^25 = 6.8484752; 0.08 x 6.8484752 / 5.8484752 = 0.09367878
    assert capital_recovery_factor(0.08, 25) == pytest.approx(0.09367878, rel=1e-7)
    # i = 0: straight-line, 1 / L
    assert capital_recovery_factor(0.0, 4) == 0.25


def test_discount_factors_by_hand() -> None:
    assert discount_factors([2025, 2026, 2027], 0.1) == pytest.approx(
        {2025: 1.0, 2026: 1 / 1.1, 2027: 1 / 1.21})


def test_annuity_charged_in_service_inside_horizon(solve) -> None:
    # Capex 1000/tpa, lifetime 2, rate 0.1, lead 0, fixed O&M 10/tpa, 100 t/yr
    # demand 2025-27. A 2025 build serves 2025-26; for 2027 a build online in 2027
    # is charged one annuity inside the horizon, one online in 2026 two: so builds
    # are 100 in 2025 and 100 in 2027. Annuity = 1000 x CRF(0.1, 2) = 576.190476/tpa.
    # Yearly cost = 100 x (576.190476 + 10) = 58619.0476 in each year;
    # discounted total = 58619.0476 x 2.7355372 = 160354.58.
    proc, out = mine(cost=0, lead=0, capex=1000, life=2, fom=10)
    t = solve({
        "settings": settings(2025, 2027, 0.1),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=100_000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    })
    assert t["builds"][["online_year", "capacity_tpa"]].values.tolist() == [
        [2025, 100], [2027, 100]]
    # overnight capex of each build: 100 t/yr x 1000 USD per t/yr
    assert t["builds"]["capex_usd"].tolist() == pytest.approx([100_000, 100_000])
    yearly = 100 * (1000 * 0.121 / 0.21 + 10)
    capex = t["costs"].query("category == 'capex'").set_index("year")
    assert capex["usd"].to_dict() == pytest.approx(
        {y: 100 * 1000 * 0.121 / 0.21 for y in (2025, 2026, 2027)})
    total = yearly * (1 + 1 / 1.1 + 1 / 1.21)
    assert total == pytest.approx(160354.58, abs=0.01)
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(total, rel=1e-9)


def test_fixed_om_on_existing_capacity_is_charged_even_if_idle(solve) -> None:
    # 100 t/yr existing, fixed O&M 7/tpa, no demand → cost 700/yr, 3 years,
    # rate 0: 2100, all fixed O&M.
    proc, out = mine(cost=5, fom=7)
    t = solve({
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 0}],
    })
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(2100)
    assert set(t["costs"]["category"]) == {"fixed_om"}


def test_tariff_is_a_share_of_reference_price(solve) -> None:
    # Tariff 25 % of the 200 USD/t reference price = 50/t on top of transport 5/t:
    # 10 t shipped → transport 50, tariff 500.
    proc, out = mine(cost=0)
    t = solve({
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"}, {"region": "b", "bloc": "china"}],
        "commodities": one_commodity(penalty=10_000, price=200),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "b", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 5,
                    "tariff_pct": 25}],
    })
    costs = t["costs"].set_index("category")["usd"]
    assert costs.to_dict() == pytest.approx({"transport": 50, "tariff": 500})


def test_lexicographic_puts_least_shortfall_before_cost(solve) -> None:
    # Supply costs 1500/t, above the 1000/t penalty: with objective 'penalty' the LP
    # leaves all 10 t short; with 'lexicographic' it first minimises shortfall (0 t),
    # then cost at that shortfall: 10 t supplied at 1500 → 15000.
    proc, out = mine(cost=1500)
    tables = {
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
    }
    penalty = solve({**tables, "settings": settings(2025, 2025)})
    assert penalty["summary"]["shortfall_t"].iat[0] == pytest.approx(10)
    lexi = solve({**tables, "settings": settings(2025, 2025, objective="lexicographic")})
    assert lexi["summary"]["shortfall_t"].iat[0] == pytest.approx(0)
    assert lexi["summary"]["total_cost_usd"].iat[0] == pytest.approx(15000)


def test_nothing_to_decide_is_optimal_at_its_constant_cost(solve) -> None:
    # No demand and no possible activity: the LP has no variables; the run is
    # optimal at cost 0 (not a solver failure).
    proc, out = mine(cost=5)
    t = solve({
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [out],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 0}],
    })
    s = t["summary"].iloc[0]
    assert s["status"] == "optimal" and s["total_cost_usd"] == 0
    assert s["shortfall_t"] == 0


def _hurdle_case(hurdle: object) -> dict[str, list[dict[str, object]]]:
    proc, out = mine(cost=0, lead=0, capex=1000, life=2)
    proc["hurdle_rate"] = hurdle
    return {
        "settings": settings(2025, 2026, 0.1),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=100_000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    }


def test_hurdle_rate_changes_the_annuity_by_the_crf_ratio(solve) -> None:
    # Demand 100 t/yr in 2025-26, capex 1000/tpa, lifetime 2, lead 0, discount rate
    # 0.1: one build of 100 online 2025 serves both years (penalty 1e5 >> cost).
    # Blank hurdle_rate: annuity = 1000 x CRF(0.1, 2) = 1000 x 0.121/0.21
    # = 576.190476/tpa. hurdle_rate 0.5: CRF(0.5, 2) = 0.5 x 2.25 / 1.25 = 0.9, so
    # 900/tpa; ratio 0.9 / (0.121/0.21) = 1.5619835. Discounting stays at 0.1:
    # total = 100 x 900 x (1 + 1/1.1) = 171818.18.
    plain, hurdle = solve(_hurdle_case("")), solve(_hurdle_case(0.5))
    for t in (plain, hurdle):
        assert t["builds"][["online_year", "capacity_tpa"]].values.tolist() == [
            [2025, 100]]
    capex = {name: t["costs"].query("category == 'capex'").set_index("year")["usd"]
             for name, t in (("plain", plain), ("hurdle", hurdle))}
    assert capex["plain"].to_dict() == pytest.approx(
        {2025: 100 * 1000 * 0.121 / 0.21, 2026: 100 * 1000 * 0.121 / 0.21})
    assert capex["hurdle"].to_dict() == pytest.approx({2025: 90_000, 2026: 90_000})
    ratio = capex["hurdle"] / capex["plain"]
    assert ratio.tolist() == pytest.approx([0.9 / (0.121 / 0.21)] * 2, rel=1e-12)
    assert hurdle["summary"]["total_cost_usd"].iat[0] == pytest.approx(
        90_000 * (1 + 1 / 1.1), rel=1e-9)
    assert 90_000 * (1 + 1 / 1.1) == pytest.approx(171818.18, abs=0.01)


def test_hurdle_rate_equal_to_the_discount_rate_changes_nothing(solve) -> None:
    # An explicit hurdle_rate of 0.1 = discount_rate is the blank default.
    plain, same = solve(_hurdle_case("")), solve(_hurdle_case(0.1))
    assert same["summary"]["total_cost_usd"].iat[0] == pytest.approx(
        plain["summary"]["total_cost_usd"].iat[0], rel=1e-12)


def _cost_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine", cost=10, fom=2, capex=100, life=30)
    tables = {
        "settings": settings(2025, 2026, 0.1),
        "regions": [{"region": r, "bloc": "alliance"} for r in ("a", "b")],
        "commodities": one_commodity(penalty=1000, price=50),
        "processes": [m], "process_io": [m_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "expansion": [{"region": "a", "process": "mine",
                       "earliest_online_year": 2026}],
        "routes": [{"origin": "a", "destination": "b", "commodity": "ox",
                    "cost_usd_per_t": 1, "tariff_pct": 10}],
        "stockpiles": [{"region": "b", "commodity": "ox", "initial_t": 30,
                        "max_release_tpa": 10, "release_cost_usd_per_t": 3}],
        "offtakes": [{"offtake": "k", "buyer": "b", "seller": "a",
                      "commodity": "ox", "price_usd_per_t": 40, "min_tpa": 5,
                      "max_tpa": 30}],
        "demand": [{"region": "b", "commodity": "ox", "year": 2025,
                    "demand_t": 20}],
    }
    return tables


def test_each_variables_cost_by_hand() -> None:
    # 2025-26 at 10 %: df = 1 in 2025, 1/1.1 in 2026. mine in a: 10 USD/t, fixed
    # O&M 2 USD/tpa, 100 t existing, a build online 2026 (capex 100 USD/tpa, life
    # 30). Route a -> b 1 USD/t with a 10 % tariff on the 50 USD/t reference
    # price (5 USD/t). b: stockpile released at 3 USD/t, demand 20 t (penalty
    # 1000), an offtake k from a at 40 USD/t with a 5 t minimum.
    ix = loaded_index(_cost_tables)
    df = [1.0, 1 / 1.1]  # every family below has one variable in 2025, 2026

    def per_year(usd: float) -> list[float]:
        return [usd * d for d in df]

    assert objective.act_cost(ix).tolist() == pytest.approx(per_year(10))
    assert objective.flow_cost(ix).tolist() == pytest.approx(per_year(1 + 5))
    assert objective.release_cost(ix).tolist() == pytest.approx(per_year(3))
    assert objective.short_cost(ix).tolist() == pytest.approx(per_year(1000))
    # a delivery: transport 1 + tariff 5 - the contract's 40 = -34 USD/t
    assert objective.sale_cost(ix).tolist() == pytest.approx(per_year(-34))
    assert objective.sale_short_cost(ix).tolist() == pytest.approx(per_year(1000))
    # the build serves 2026 only: df_2026 (CRF(0.1, 30) x 100 + 2); CRF(0.1, 30)
    # = 0.1 x 1.1^30 / (1.1^30 - 1) = 0.10607925
    crf = 0.1 * 1.1**30 / (1.1**30 - 1)
    assert objective.build_cost(ix).tolist() == pytest.approx(
        [(crf * 100 + 2) / 1.1])
    # existing 100 t at 2 USD/tpa in both years: 200 x (1 + 1/1.1) = 381.82
    assert objective.constant_cost(ix) == pytest.approx(200 * (1 + 1 / 1.1))


def _no_capacity_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine", cost=10, fom=2, capex=100, life=30)
    return {
        "settings": settings(2025, 2026, 0.1),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [m], "process_io": [m_out],
        "expansion": [{"region": "a", "process": "mine"}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 5}],
    }


def test_no_existing_capacity_costs_nothing_fixed() -> None:
    # The mine (fixed O&M 2 USD/tpa) can only be built: no existing capacity,
    # so the objective's constant (fixed O&M of existing capacity) is 0.
    assert objective.constant_cost(loaded_index(_no_capacity_tables)) == 0.0
