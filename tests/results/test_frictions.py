"""Which friction sets the self-sufficient year (issue 14 item 5), and binding
build-rate limits in the bottlenecks (model/results/frictions.py, bottlenecks.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import mine, one_commodity, settings


def _case(**extra: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    # Demand 100 t/yr in a, 2025-28, rate 0, penalty 1000/t. One mine process:
    # 10 USD/t, lead 1 (earliest online 2026), capex 30/tpa over 30 years = an
    # annuity of 1 per tpa and year in service; nothing exists in 2025.
    proc, out = mine(cost=10, lead=1, capex=30, life=30)
    return {
        "settings": settings(2025, 2028),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine",
                       **extra.pop("expansion", [{}])[0]}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        **extra,
    }


def _lead(t: dict) -> dict[str, object]:
    return t["lead_times"].iloc[0].to_dict()


def test_lead_time_sets_the_year_when_it_is_the_earliest_possible(solve) -> None:
    # No other friction: 100 built online 2026, the earliest year (lead 1); 2025
    # short. Self-sufficient 2026 = the earliest online year: the lead time.
    t = solve(_case())
    lead = _lead(t)
    assert (lead["self_sufficient_year"], lead["earliest_online_year"]) == (2026, 2026)
    assert (lead["friction"], lead["friction_stage"]) == ("lead time", "mining")


def test_build_rate_sets_the_year(solve) -> None:
    # Mining may add at most 40 tpa online per year: builds 40 (2026), 40 (2027),
    # 20 (2028); usable 40/80/100, short 100/60/20/0: self-sufficient 2028, two
    # years after the lead time's earliest (2026). In the short years 2026-27 the
    # build-rate rows bind; capacity rows bind too but no plant ramps.
    # Duals (rate 0, so that year's money = base-year money):
    #   2026: one more tpa online saves 990 (1000 - 10) in 2026 and in 2027 and
    #     replaces a tpa of 2028's build; it pays 2 more years of annuity:
    #     2 x 990 - 2 = 1978;
    #   2027: saves 990 in 2027, one more year of annuity: 989.
    # 2028's row (20 < 40) does not bind.
    t = solve(_case(build_limits=[{"stage": "mining", "max_new_tpa_per_year": 40}]))
    builds = t["builds"].set_index("online_year")["capacity_tpa"].to_dict()
    assert builds == pytest.approx({2026: 40, 2027: 40, 2028: 20})
    b = t["bottlenecks"]
    rate = b[b["limit"] == "build rate"].set_index("year")
    assert rate["value_usd_per_t"].to_dict() == pytest.approx({2026: 1978,
                                                               2027: 989})
    assert set(rate["process"]) == {"mining"} and set(rate["region"]) == {"all"}
    assert rate["limit_t"].tolist() == pytest.approx([40, 40])
    lead = _lead(t)
    assert lead["self_sufficient_year"] == 2028
    assert bool(lead["lead_time_binding"]) is True
    assert (lead["friction"], lead["friction_stage"]) == ("build rate", "mining")


def test_ramp_curve_sets_the_year(solve) -> None:
    # At most 100 tpa in total, new mines at 0.5 of nameplate in their first year
    # and 0.8 in their second: 100 built online 2026 (building earlier only adds
    # usable output in every year: 0.8x + 0.5(100 - x) <= 80 in 2027), usable
    # 50/80/100, short 100/50/20/0: self-sufficient 2028, two years after the
    # lead time's earliest. In 2026-27 the ramping plant's capacity rows bind;
    # there is no build-rate limit: the ramp-up sets the year.
    t = solve(_case(expansion=[{"max_new_tpa": 100}], ramp_up=[
        {"stage": "mining", "year_in_service": 1, "fraction": 0.5},
        {"stage": "mining", "year_in_service": 2, "fraction": 0.8}]))
    short = t["shortfall"].set_index("year")["shortfall_t"].to_dict()
    assert short == pytest.approx({2025: 100, 2026: 50, 2027: 20, 2028: 0},
                                  abs=1e-6)
    lead = _lead(t)
    assert lead["self_sufficient_year"] == 2028
    assert (lead["friction"], lead["friction_stage"]) == ("ramp-up", "mining")


def test_other_limits_when_no_friction_binds(solve) -> None:
    # At most 60 tpa in total and no ramp: 60 online 2026, 40 short every year:
    # never self-sufficient. The lead time did not set the year (the chain came
    # online at its earliest, yet stays short) and a build-rate limit of 100 tpa
    # a year never binds under a 60 tpa total: the total expansion limit (other
    # limits) sets it.
    t = solve(_case(expansion=[{"max_new_tpa": 60}],
                    build_limits=[{"stage": "mining", "max_new_tpa_per_year": 100}]))
    lead = _lead(t)
    assert pd.isna(lead["self_sufficient_year"])
    assert (lead["friction"], lead["friction_stage"]) == ("other limits", "")
    assert "build rate" not in set(t["bottlenecks"]["limit"])
    assert "expansion total" in set(t["bottlenecks"]["limit"])
