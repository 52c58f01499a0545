"""MODEL-SPEC §8.1 metrics on a tiny solved case, every number derived by hand.

One oxide ``ox`` (reference price 100 USD/t, penalty 1000 USD/t), demand 10 t a
year in alliance region ``a`` over 2025-2027, discount rate 0 (so discounted =
undiscounted), ``steady_years`` 2 (2026-2027).

* baseline: China sells ``ox`` at 100 USD/t and ships it free → cost 3 x 10 x 100
  = 3000, no shortfall.
* cut: embargo on China from 2025; ``a`` has a mine of 6 tpa at 150 USD/t (cheaper
  than the 1000 USD/t penalty, so it runs full) → 6 t supplied, 4 t short a year.
* worse: cut, with the mine's capacity halved (3 tpa) → 7 t short a year: worse in
  every year than cut.
* more: the baseline with demand x2 (China still supplying) → 20 t a year.
* more_cut: cut with demand x2, compared with ``more`` (compare_to) → 14 t short.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from tests.helpers import settings

EMBARGO = {"rule": "embargo", "target": "china", "from_year": 2025}
DOUBLE = {"rule": "scale", "commodity": "ox", "field": "demand", "value": 2}


def _case() -> dict[str, list[dict[str, object]]]:
    return {
        "settings": settings(2025, 2027, 0.0, steady_years=2),
        "regions": [{"region": "cn", "bloc": "china"},
                    {"region": "a", "bloc": "alliance"}],
        "commodities": [{"commodity": "ox", "kind": "oxide",
                         "reference_price_usd_per_t": 100,
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [
            {"process": "buy", "stage": "market", "lead_time_years": 0,
             "lifetime_years": 1, "variable_cost_usd_per_t": 100},
            {"process": "mine", "stage": "mining", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": 150}],
        "process_io": [
            {"process": "buy", "commodity": "ox", "direction": "out",
             "coefficient": 1},
            {"process": "mine", "commodity": "ox", "direction": "out",
             "coefficient": 1}],
        "capacity": [{"region": "cn", "process": "buy", "capacity_tpa": 1000},
                     {"region": "a", "process": "mine", "capacity_tpa": 6}],
        "routes": [{"origin": "cn", "destination": "a", "cost_usd_per_t": 0}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10}],
        "scenarios": [
            {"scenario": "baseline", "is_baseline": "true"},
            {"scenario": "cut", "is_baseline": "false"},
            {"scenario": "worse", "is_baseline": "false"},
            {"scenario": "more", "is_baseline": "false"},
            {"scenario": "more_cut", "is_baseline": "false", "compare_to": "more"}],
        "scenario_rules": [
            {"scenario": "cut", **EMBARGO},
            {"scenario": "worse", **EMBARGO},
            {"scenario": "worse", "rule": "scale", "target": "a", "field": "capacity",
             "value": 0.5},
            {"scenario": "more", **DOUBLE},
            {"scenario": "more_cut", **EMBARGO},
            {"scenario": "more_cut", **DOUBLE}],
    }


@pytest.fixture
def summary(solve: Callable[..., dict[str, pd.DataFrame]]) -> pd.DataFrame:
    return solve(_case())["summary"].set_index("scenario")


def test_cut_by_hand(summary: pd.DataFrame) -> None:
    row = summary.loc["cut"]
    # demand value 3 x 10 t x 100 = 3000; unmet at reference prices 3 x 4 x 100 = 1200
    assert row["demand_value_usd"] == pytest.approx(3000)
    assert row["unmet_reference_usd"] == pytest.approx(1200)
    assert row["unmet_share_pct"] == pytest.approx(40.0)  # 1200 / 3000
    # unmet value at the penalty: 12 t x 1000 = 12000
    assert row["unmet_value_usd"] == pytest.approx(12000)
    # supply cost 3 x 6 x 150 = 2700: -300 (-10 %) against the baseline's 3000
    assert row["total_cost_usd"] == pytest.approx(2700)
    assert row["cost_premium_pct"] == pytest.approx(-10.0)
    # full cost 2700 + 12000 = 14700; baseline 3000 + 0 → +11700 = +390 %
    assert row["full_cost_usd"] == pytest.approx(14700)
    assert row["full_cost_premium_usd"] == pytest.approx(11700)
    assert row["full_cost_premium_pct"] == pytest.approx(390.0)
    # cost per delivered value: 2700 / (3000 - 1200) = 1.5; baseline 3000/3000 = 1
    assert row["delivered_cost_premium_pct"] == pytest.approx(50.0)
    # last 2 years: 2 x 900 = 1800 against 2 x 1000 = 2000 → -10 %
    assert row["steady_cost_premium_pct"] == pytest.approx(-10.0)
    # 40 % unmet in every year: the earliest is the worst; never mostly met
    assert row["worst_year"] == 2025
    assert row["worst_year_unmet_share_pct"] == pytest.approx(40.0)
    assert row["mostly_met_year"] is pd.NA
    assert row["compare_to"] == "baseline"


def test_baseline_is_its_own_comparator(summary: pd.DataFrame) -> None:
    row = summary.loc["baseline"]
    assert row["full_cost_usd"] == pytest.approx(3000)
    assert row["full_cost_premium_pct"] == pytest.approx(0.0)
    assert row["delivered_cost_premium_pct"] == pytest.approx(0.0)
    assert row["unmet_share_pct"] == 0.0
    assert row["mostly_met_year"] == 2025  # met from the first year
    assert row["worst_year"] is pd.NA  # no year falls short
    assert row["compare_to"] == "baseline"


def test_worse_in_every_year_has_the_larger_full_cost_premium(
        summary: pd.DataFrame) -> None:
    cut, worse = summary.loc["cut"], summary.loc["worse"]
    # worse: 3 x 3 x 150 = 1350 supply cost → -55 %, "cheaper" than cut's -10 %...
    assert worse["total_cost_usd"] == pytest.approx(1350)
    assert worse["cost_premium_pct"] == pytest.approx(-55.0)
    assert worse["cost_premium_pct"] < cut["cost_premium_pct"]
    # ...but its full cost is 1350 + 21 x 1000 = 22350 → +19350 = +645 % > +390 %
    assert worse["full_cost_usd"] == pytest.approx(22350)
    assert worse["full_cost_premium_pct"] == pytest.approx(645.0)
    assert worse["full_cost_premium_pct"] > cut["full_cost_premium_pct"]
    # unmet share 21 x 100 / 3000 = 70 % > 40 %
    assert worse["unmet_share_pct"] == pytest.approx(70.0)


def test_compare_to_measures_against_the_named_scenario(summary: pd.DataFrame
                                                        ) -> None:
    more, row = summary.loc["more"], summary.loc["more_cut"]
    # more: 3 x 20 x 100 = 6000, all met
    assert more["total_cost_usd"] == pytest.approx(6000)
    assert row["compare_to"] == "more"
    # more_cut: 2700 supply cost, 3 x 14 = 42 t short → 42000 unmet value
    assert row["total_cost_usd"] == pytest.approx(2700)
    assert row["unmet_value_usd"] == pytest.approx(42000)
    # premiums against more (6000), not the baseline (3000):
    assert row["cost_premium_usd"] == pytest.approx(2700 - 6000)
    assert row["cost_premium_pct"] == pytest.approx(-55.0)
    assert row["full_cost_premium_usd"] == pytest.approx(44700 - 6000)
    assert row["full_cost_premium_pct"] == pytest.approx(645.0)
    # delivered: 2700 / (6000 - 4200) = 1.5 against 6000 / 6000 = 1 → +50 %
    assert row["delivered_cost_premium_pct"] == pytest.approx(50.0)
    # steady: 1800 against 2 x 2000 = 4000 → -55 %
    assert row["steady_cost_premium_pct"] == pytest.approx(-55.0)


def test_comparator_is_solved_when_only_its_scenario_is_asked_for(solve) -> None:
    # --scenario more_cut must also solve more (its comparator) and the baseline
    summary = solve(_case(), ["more_cut"])["summary"]
    assert list(summary["scenario"]) == ["baseline", "more", "more_cut"]
    assert summary.set_index("scenario").loc["more_cut", "full_cost_premium_usd"] == (
        pytest.approx(38700))


def test_kpi_by_commodity_carries_the_value_columns(solve) -> None:
    kpi = solve(_case())["kpi_by_commodity"].set_index("scenario")
    row = kpi.loc["cut"]
    assert row["commodity"] == "ox"
    assert row["unmet_reference_usd"] == pytest.approx(1200)  # 12 t x 100
    assert row["unmet_value_usd"] == pytest.approx(12000)  # 12 t x 1000
    assert row["unmet_share_pct"] == pytest.approx(40.0)
    assert row["worst_year"] == 2025
    assert row["compare_to"] == "baseline"
    # cost is not attributed to commodities
    assert kpi["full_cost_usd"].isna().all()

