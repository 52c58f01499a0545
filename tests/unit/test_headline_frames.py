"""The summary and KPI tables of MODEL-SPEC §4 and §8.1 on hand-built tidy tables.

What ``scenario_run.headline_tables`` does after a solve, run on frames written by
hand (no solve): ``kpis.kpi_by_commodity`` → ``kpis.summary`` →
``headline.add_to_summary`` and ``headline.add_to_kpis``, with the comparators read
from a scenarios table. Every number is derived in the comments.

The case: years 2025-2027, discount rate 0 (discounted = undiscounted money),
``steady_years`` 2 (2026-2027), mostly-met tolerance 1 %, shortfall tolerance
0.1 %. Region ``a`` is in the scope, ``x`` is not. Commodities ``ox`` (oxide,
reference price 100 USD/t, penalty 1000 USD/t) and ``mag`` (magnet, 50 and 500).

Scenarios, listed cut, baseline, more, more_cut, gone (the baseline is second):

* baseline: ox 10 t a year, mag 4 t a year, nothing short. Demand value a year
  10 x 100 + 4 x 50 = 1200; V = 3600. Supply cost 1200 a year (variable 1000,
  transport 200): 3600.
* cut: ox short 4, 2, 0 t; mag short 0, 0, 0.1 t. Unmet at reference prices
  400, 200, 0.1 x 50 = 5 a year: U = 605; unmet value W = 6000 + 0.1 x 500 =
  6050. Supply cost 300 capex (2025) + 800 variable a year = 2700; the penalty
  rows (4000, 2000, 50) are not supply cost. Also a 1000 t shortfall in ``x``
  (outside the scope: counts nowhere).
* more: ox 20 t a year, mag 4 t, nothing short: V = 3 x 2200 = 6600; supply cost
  2200 a year = 6600.
* more_cut (compare_to more): ox 20 t a year, 14 t short every year, mag met:
  U = 3 x 1400 = 4200, W = 42000; supply cost 1200 a year = 3600.
* gone: infeasible; no rows at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.results import headline, kpis

YEARS = [2025, 2026, 2027]
SCOPE = {"a"}
SETTINGS = headline.HeadlineSettings(2025, 2027, 0.0, steady_years=2,
                                     mostly_met_tolerance=0.01)
TOLERANCE = 0.001
STATUSES = [("cut", False, "optimal"), ("baseline", True, "optimal"),
            ("more", False, "optimal"), ("more_cut", False, "optimal"),
            ("gone", False, "infeasible")]


def _commodities() -> pd.DataFrame:
    return pd.DataFrame({"commodity": ["ox", "mag"], "kind": ["oxide", "magnet"],
                         "reference_price_usd_per_t": [100.0, 50.0],
                         "shortfall_penalty_usd_per_t": [1000.0, 500.0]})


def _scenarios() -> pd.DataFrame:
    return pd.DataFrame({"scenario": [s for s, _, _ in STATUSES],
                         "is_baseline": [b for _, b, _ in STATUSES],
                         "compare_to": [None, None, " ", "more", np.nan]})


def _shortfall() -> pd.DataFrame:
    demand = {"baseline": (10, 4), "cut": (10, 4), "more": (20, 4),
              "more_cut": (20, 4)}
    short = {"cut": {"ox": [4, 2, 0], "mag": [0, 0, 0.1]},
             "more_cut": {"ox": [14, 14, 14]}}
    rows = []
    for scenario, (ox, mag) in demand.items():
        for commodity, tonnes in (("ox", ox), ("mag", mag)):
            missed = short.get(scenario, {}).get(commodity, [0, 0, 0])
            rows += [(scenario, "a", commodity, y, float(tonnes), float(m))
                     for y, m in zip(YEARS, missed, strict=True)]
    rows.append(("cut", "x", "ox", 2025, 1000.0, 1000.0))  # outside the scope
    return pd.DataFrame(rows, columns=["scenario", "region", "commodity", "year",
                                       "demand_t", "shortfall_t"])


def _costs() -> pd.DataFrame:
    rows = []
    for y in YEARS:
        rows += [("baseline", y, "variable", 1000.0), ("baseline", y, "transport",
                                                        200.0),
                 ("more", y, "variable", 2200.0), ("cut", y, "variable", 800.0),
                 ("more_cut", y, "variable", 1200.0)]
    rows += [("cut", 2025, "capex", 300.0), ("cut", 2025, "penalty", 4000.0),
             ("cut", 2026, "penalty", 2000.0), ("cut", 2027, "penalty", 50.0),
             ("more_cut", 2025, "penalty", 14000.0)]
    frame = pd.DataFrame(rows, columns=["scenario", "year", "category", "usd"])
    return frame.assign(discounted_usd=frame["usd"])  # rate 0


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary, kpi_by_commodity) as the pipeline makes them."""
    shortfall, costs = _shortfall(), _costs()
    compare = headline.comparators(_scenarios())
    priced = headline.priced_shortfall(shortfall, _commodities(), SCOPE, SETTINGS)
    kpi = kpis.kpi_by_commodity(shortfall, SCOPE, TOLERANCE, YEARS)
    summary = kpis.summary(STATUSES, costs, kpi, compare)
    return (headline.add_to_summary(summary, priced, costs, compare, SETTINGS),
            headline.add_to_kpis(kpi, priced, compare, SETTINGS))


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def test_comparators_from_the_scenarios_table() -> None:
    # blank (None, " ", NaN) = the baseline, even when it is listed second; the
    # baseline is compared with itself; the named comparator otherwise
    assert headline.comparators(_scenarios()) == {
        "cut": "baseline", "baseline": "baseline", "more": "baseline",
        "more_cut": "more", "gone": "baseline"}
    # no compare_to column at all: every scenario against the baseline
    plain = _scenarios().drop(columns="compare_to")
    assert set(headline.comparators(plain).values()) == {"baseline"}
    # no flagged baseline: blank comparators stay blank, names are kept
    none = pd.DataFrame({"scenario": ["p", "q"], "is_baseline": [False, None],
                         "compare_to": [" p ", None]})
    assert headline.comparators(none) == {"p": "p", "q": ""}


def test_with_comparators_adds_them_transitively() -> None:
    # more_cut -> more -> baseline -> baseline (stops at a scenario already wanted)
    compare = headline.comparators(_scenarios())
    assert headline.with_comparators(["more_cut"], compare) == {
        "more_cut", "more", "baseline"}
    assert headline.with_comparators(["baseline"], compare) == {"baseline"}
    assert headline.with_comparators(["cut", "more"], compare) == {
        "cut", "more", "baseline"}
    # a name without a comparator is its own
    assert headline.with_comparators(["z"], {}) == {"z"}
    assert headline.with_comparators([], compare) == set()


def test_never_text_names_the_end_year() -> None:
    assert headline.never_text(2050) == "never (by 2050)"
    assert headline.never_text(None) == "never"
    assert headline.never_text(0) == "never"


def test_kpi_by_commodity_of_the_case() -> None:
    _, kpi = _tables()
    assert kpi[["scenario", "commodity"]].values.tolist() == [
        ["baseline", "ox"], ["baseline", "mag"], ["cut", "ox"], ["cut", "mag"],
        ["more", "ox"], ["more", "mag"], ["more_cut", "ox"], ["more_cut", "mag"]]
    k = kpi.set_index(["scenario", "commodity"])
    # tonnes: cut ox 6 of 30 t (20 %), met (0 t) only in 2027 → 2027; cut mag
    # 0.1 of 12 t, 0.1 > 0.1 % x 4 in the last year → never; more_cut ox 42 of
    # 60 t (70 %), never; the rest met from 2025
    assert k["demand_t"].tolist() == pytest.approx([30, 12, 30, 12, 60, 12, 60, 12])
    assert k["shortfall_t"].tolist() == pytest.approx([0, 0, 6, 0.1, 0, 0, 42, 0])
    assert k["shortfall_pct"].tolist() == pytest.approx(
        [0, 0, 20, 0.1 / 12 * 100, 0, 0, 70, 0])
    assert [_year(y) for y in k["self_sufficient_year"]] == [
        2025, 2025, 2027, None, 2025, 2025, None, 2025]
    # value (rate 0): cut ox V 3000, U 600 (20 %), W 6000; cut mag V 600, U 5,
    # W 50; more_cut ox V 6000, U 4200 (70 %), W 42000
    assert k["demand_value_usd"].tolist() == pytest.approx(
        [3000, 600, 3000, 600, 6000, 600, 6000, 600])
    assert k["unmet_reference_usd"].tolist() == pytest.approx(
        [0, 0, 600, 5, 0, 0, 4200, 0])
    assert k["unmet_value_usd"].tolist() == pytest.approx(
        [0, 0, 6000, 50, 0, 0, 42000, 0])
    assert k["unmet_share_pct"].tolist() == pytest.approx(
        [0, 0, 20, 5 / 6, 0, 0, 70, 0])
    # the worst year of cut ox: 400 of 1000 in 2025 (40 %); cut mag: 5 of 200 in
    # 2027 (2.5 %); more_cut ox: 70 % every year, the first of equals → 2025;
    # no year short → blank and 0 %
    assert [_year(y) for y in k["worst_year"]] == [
        None, None, 2025, 2027, None, None, 2025, None]
    assert k["worst_year_unmet_share_pct"].tolist() == pytest.approx(
        [0, 0, 40, 2.5, 0, 0, 70, 0])
    # mostly met (U_y <= 1 % of V_y): cut ox 400 > 10, 200 > 10, 0 → 2027; cut
    # mag 5 > 2 in the last year → never; more_cut ox never; the rest 2025
    assert [_year(y) for y in k["mostly_met_year"]] == [
        2025, 2025, 2027, None, 2025, 2025, None, 2025]
    assert k["compare_to"].tolist() == ["baseline"] * 6 + ["more"] * 2
    for column in ("full_cost_usd", "full_cost_premium_usd", "full_cost_premium_pct",
                   "delivered_cost_premium_pct", "steady_cost_premium_pct"):
        assert k[column].isna().all(), column  # cost is not split by commodity
    assert list(kpi.columns) == ["scenario", "commodity", "demand_t", "shortfall_t",
                                 "shortfall_pct", "self_sufficient_year",
                                 *headline.SUMMARY_COLUMNS]
    for column in headline.YEAR_COLUMNS:
        assert str(kpi[column].dtype) == "Int64"
    assert kpi["worst_year_unmet_share_pct"].dtype == np.float64


def test_summary_tonnes_and_costs_of_the_case() -> None:
    summary, _ = _tables()
    assert summary["scenario"].tolist() == [s for s, _, _ in STATUSES]
    s = summary.set_index("scenario")
    assert s["is_baseline"].tolist() == [False, True, False, False, False]
    assert s["status"].tolist() == ["optimal"] * 4 + ["infeasible"]
    # supply cost (no penalty): cut 2700, baseline 3600, more 6600, more_cut 3600
    assert s["total_cost_usd"].tolist()[:4] == pytest.approx([2700, 3600, 6600, 3600])
    # premiums: cut -900 (-25 %) and more +3000 (+83.3 %) against the baseline;
    # more_cut against more: 3600 - 6600 = -3000 = -45.45 %
    assert s["cost_premium_usd"].tolist()[:4] == pytest.approx([-900, 0, 3000, -3000])
    assert s["cost_premium_pct"].tolist()[:4] == pytest.approx(
        [-25, 0, 300 / 3.6, -300000 / 6600])
    # tonnes: cut 6.1 of 42 t; baseline 0 of 42; more 0 of 72; more_cut 42 of 72
    assert s["demand_t"].tolist()[:4] == pytest.approx([42, 42, 72, 72])
    assert s["shortfall_t"].tolist()[:4] == pytest.approx([6.1, 0, 0, 42])
    assert s["shortfall_pct"].tolist()[:4] == pytest.approx(
        [610 / 42, 0, 0, 4200 / 72])
    # the overall year is the latest commodity's, blank if one never is
    assert [_year(y) for y in s["self_sufficient_year"]] == [
        None, 2025, 2025, None, None]
    assert s.loc["gone", ["total_cost_usd", "cost_premium_usd",
                          "cost_premium_pct"]].isna().all()


def test_summary_headline_columns_of_the_case() -> None:
    summary, _ = _tables()
    s = summary.set_index("scenario")
    solved = ["cut", "baseline", "more", "more_cut"]
    assert s.loc[solved, "demand_value_usd"].tolist() == pytest.approx(
        [3600, 3600, 6600, 6600])
    assert s.loc[solved, "unmet_reference_usd"].tolist() == pytest.approx(
        [605, 0, 0, 4200])
    assert s.loc[solved, "unmet_share_pct"].tolist() == pytest.approx(
        [60500 / 3600, 0, 0, 420000 / 6600])
    assert s.loc[solved, "unmet_value_usd"].tolist() == pytest.approx(
        [6050, 0, 0, 42000])
    # full cost F = supply cost + W: 8750, 3600, 6600, 45600; premiums: cut and
    # more against the baseline's 3600, more_cut against more's 6600
    assert s.loc[solved, "full_cost_usd"].tolist() == pytest.approx(
        [8750, 3600, 6600, 45600])
    assert s.loc[solved, "full_cost_premium_usd"].tolist() == pytest.approx(
        [5150, 0, 3000, 39000])
    assert s.loc[solved, "full_cost_premium_pct"].tolist() == pytest.approx(
        [515000 / 3600, 0, 300000 / 3600, 3900000 / 6600])
    # cost per delivered value C / (V - U): cut 2700 / 2995, baseline and more
    # 1, more_cut 3600 / (6600 - 4200) = 1.5 against more's 1
    assert s.loc[solved, "delivered_cost_premium_pct"].tolist() == pytest.approx(
        [100 * (2700 / 2995 - 1), 0, 0, 50])
    # steady (2026-2027, undiscounted): cut 1600, baseline 2400, more 4400,
    # more_cut 2400 against more's 4400
    assert s.loc[solved, "steady_cost_premium_pct"].tolist() == pytest.approx(
        [-100 / 3, 0, 200 / 2.4, -200000 / 4400])
    # worst year (share of the year's value unmet): cut 400 / 1200 in 2025;
    # more_cut 1400 / 2200 every year, the first → 2025; none for the others
    assert [_year(y) for y in s["worst_year"]] == [2025, None, None, 2025, None]
    assert s["worst_year_unmet_share_pct"].tolist()[:4] == pytest.approx(
        [100 / 3, 0, 0, 140000 / 2200])
    # mostly met: cut 400 > 12, 200 > 12, 5 <= 12 → 2027 (while its tonnes year is
    # blank: mag is 2.5 % short in 2027); more_cut never
    assert [_year(y) for y in s["mostly_met_year"]] == [2027, 2025, 2025, None, None]
    assert s["compare_to"].tolist() == ["baseline", "baseline", "baseline", "more",
                                        "baseline"]
    # gone did not solve: every §8.1 column blank
    gone = s.loc["gone"]
    for column in headline.SUMMARY_COLUMNS[:-1]:
        assert pd.isna(gone[column]), column
    for column in headline.YEAR_COLUMNS:
        assert str(summary[column].dtype) == "Int64"
    assert list(summary.columns[-len(headline.SUMMARY_COLUMNS):]) == list(
        headline.SUMMARY_COLUMNS)


def test_premiums_against_a_scenario_that_did_not_solve_are_blank() -> None:
    # 'after' is compared with 'gone', which failed: its own values are there,
    # every premium against gone is blank
    statuses = [("baseline", True, "optimal"), ("gone", False, "infeasible"),
                ("after", False, "optimal")]
    compare = {"baseline": "baseline", "gone": "baseline", "after": "gone"}
    short = _shortfall()
    short = short[short["scenario"] == "cut"].assign(scenario="after")
    short = pd.concat([_shortfall()[_shortfall()["scenario"] == "baseline"], short])
    costs = _costs()
    costs = pd.concat([costs[costs["scenario"] == "baseline"],
                       costs[costs["scenario"] == "cut"].assign(scenario="after")])
    priced = headline.priced_shortfall(short, _commodities(), SCOPE, SETTINGS)
    kpi = kpis.kpi_by_commodity(short, SCOPE, TOLERANCE, YEARS)
    table = headline.add_to_summary(kpis.summary(statuses, costs, kpi, compare),
                                    priced, costs, compare, SETTINGS)
    after = table.set_index("scenario").loc["after"]
    assert after["total_cost_usd"] == pytest.approx(2700)
    assert after["full_cost_usd"] == pytest.approx(8750)
    for column in ("cost_premium_usd", "full_cost_premium_usd",
                   "full_cost_premium_pct", "delivered_cost_premium_pct",
                   "steady_cost_premium_pct"):
        assert pd.isna(after[column]), column
    assert after["compare_to"] == "gone"


def test_money_is_discounted_and_the_time_path_is_not() -> None:
    # rate 10 %, 2025-2026, ox only (price 100, penalty 1000), demand 10 t a year;
    # cut is 2 t short in 2026 only. df(2026) = 1 / 1.1.
    # V = 1000 + 1000 / 1.1 = 1909.09 for both; cut U = 200 / 1.1, W = 2000 / 1.1.
    # Supply cost (discounted): base 1000 + 1000 / 1.1; cut 800 + 800 / 1.1.
    # The 2026 share is 200 / 1000 = 20 % in that year's money either way.
    rate = headline.HeadlineSettings(2025, 2026, 0.1, steady_years=1)
    short = pd.DataFrame({"scenario": ["base", "base", "cut", "cut"], "region": "a",
                          "commodity": "ox", "year": [2025, 2026] * 2,
                          "demand_t": 10.0, "shortfall_t": [0.0, 0.0, 0.0, 2.0]})
    costs = pd.DataFrame({"scenario": ["base", "base", "cut", "cut"],
                          "year": [2025, 2026] * 2, "category": "variable",
                          "usd": [1000.0, 1000.0, 800.0, 800.0]})
    costs["discounted_usd"] = costs["usd"] / 1.1 ** (costs["year"] - 2025)
    compare = {"base": "base", "cut": "base"}
    statuses = [("base", True, "optimal"), ("cut", False, "optimal")]
    priced = headline.priced_shortfall(short, _commodities(), SCOPE, rate)
    kpi = kpis.kpi_by_commodity(short, SCOPE, TOLERANCE, [2025, 2026])
    table = headline.add_to_summary(kpis.summary(statuses, costs, kpi, compare),
                                    priced, costs, compare, rate)
    cut = table.set_index("scenario").loc["cut"]
    value = 1000 + 1000 / 1.1
    assert cut["demand_value_usd"] == pytest.approx(value)
    assert cut["unmet_reference_usd"] == pytest.approx(200 / 1.1)
    assert cut["unmet_value_usd"] == pytest.approx(2000 / 1.1)
    assert cut["total_cost_usd"] == pytest.approx(800 + 800 / 1.1)
    assert cut["full_cost_usd"] == pytest.approx(800 + 800 / 1.1 + 2000 / 1.1)
    # delivered: (1527.27 / (1909.09 - 181.82)) / (1909.09 / 1909.09) - 1
    delivered = (800 + 800 / 1.1) / (value - 200 / 1.1) / 1.0 - 1
    assert cut["delivered_cost_premium_pct"] == pytest.approx(100 * delivered)
    # steady: the last year only, undiscounted: 800 against 1000 → -20 %
    assert cut["steady_cost_premium_pct"] == pytest.approx(-20.0)
    assert (cut["worst_year"], cut["worst_year_unmet_share_pct"]) == (
        2026, pytest.approx(20.0))
    assert pd.isna(cut["mostly_met_year"])


def test_steady_cost_takes_the_last_years_undiscounted() -> None:
    # usd (undiscounted) differs from discounted_usd; penalty rows are left out
    costs = pd.DataFrame({
        "scenario": ["s"] * 5 + ["t"],
        "year": [2025, 2026, 2027, 2027, 2027, 2026],
        "category": ["variable", "capex", "stock", "penalty", "fixed_om", "tariff"],
        "usd": [1.0, 10.0, 100.0, 1000.0, 10000.0, 7.0]})
    costs["discounted_usd"] = costs["usd"] / 2
    # last 2 years (2026-2027): s 10 + 100 + 10000 = 10110, t 7
    two = headline.HeadlineSettings(2025, 2027, 0.1, steady_years=2)
    assert headline.steady_cost(costs, two).to_dict() == {"s": 10110.0, "t": 7.0}
    # more steady years than the horizon: from the base year on
    five = headline.HeadlineSettings(2025, 2027, 0.1, steady_years=5)
    assert headline.steady_cost(costs, five).to_dict() == {"s": 10111.0, "t": 7.0}
    one = headline.HeadlineSettings(2025, 2027, 0.1, steady_years=1)
    assert headline.steady_cost(costs, one).to_dict() == {"s": 10100.0}


def test_settings_years_and_discount() -> None:
    s = headline.HeadlineSettings(2025, 2027, 0.25)
    assert s.years == [2025, 2026, 2027]
    assert s.discount(pd.Series([2025, 2026, 2027])).tolist() == pytest.approx(
        [1, 0.8, 0.64])
    default = headline.HeadlineSettings(2025, 2026)
    assert (default.discount_rate, default.steady_years,
            default.mostly_met_tolerance) == (0.08, 5, 0.01)


def test_priced_shortfall_values_and_unknown_prices() -> None:
    # a commodity missing from the commodities table, or a blank price, is priced
    # at 0; the year view is in that year's money, the others discounted at 25 %
    short = pd.DataFrame({"scenario": "s", "region": ["a", "a", "a", "x"],
                          "commodity": ["ox", "mag", "zz", "ox"],
                          "year": [2026, 2026, 2026, 2026],
                          "demand_t": [10.0, 4.0, 3.0, 9.0],
                          "shortfall_t": [1.0, 2.0, 3.0, 9.0]})
    commodities = _commodities()
    commodities.loc[1, "reference_price_usd_per_t"] = np.nan
    rate = headline.HeadlineSettings(2025, 2026, 0.25)
    rows = headline.priced_shortfall(short, commodities, SCOPE, rate)
    assert rows["commodity"].tolist() == ["ox", "mag", "zz"]  # x is outside
    assert rows["demand_value_year_usd"].tolist() == pytest.approx([1000, 0, 0])
    assert rows["unmet_reference_year_usd"].tolist() == pytest.approx([100, 0, 0])
    assert rows["demand_value_usd"].tolist() == pytest.approx([800, 0, 0])
    assert rows["unmet_reference_usd"].tolist() == pytest.approx([80, 0, 0])
    # penalty: ox 1 x 1000 x 0.8, mag 2 x 500 x 0.8, zz unknown → 0
    assert rows["unmet_value_usd"].tolist() == pytest.approx([800, 800, 0])
    assert short["commodity"].tolist() == ["ox", "mag", "zz", "ox"]  # not changed


def test_value_met_by_year_in_each_years_money() -> None:
    # s: 2025 V 1000, U 250 → 75 % met; 2026 no value at all → 100 %; t: 2025
    # V 400, U 400 → 0 %. Columns renamed to the year money's names.
    priced = pd.DataFrame({
        "scenario": ["s", "s", "s", "t"], "year": [2025, 2025, 2026, 2025],
        "demand_value_year_usd": [600.0, 400.0, 0.0, 400.0],
        "unmet_reference_year_usd": [250.0, 0.0, 0.0, 400.0],
        "demand_value_usd": 1.0, "unmet_reference_usd": 1.0})
    yearly = headline.value_met_by_year(priced)
    assert yearly[["scenario", "year"]].values.tolist() == [
        ["s", 2025], ["s", 2026], ["t", 2025]]
    assert yearly["demand_value_usd"].tolist() == pytest.approx([1000, 0, 400])
    assert yearly["unmet_reference_usd"].tolist() == pytest.approx([250, 0, 400])
    assert yearly["met_pct"].tolist() == pytest.approx([75, 100, 0])


def test_time_paths_per_group_on_the_horizon() -> None:
    # group p: 2026 10 of 100 (10 %), 2027 30 of 100 (30 %) → worst 2027; mostly
    # met (1 %): 2027 short → never. Group q: only 2025 (5 of 100), other years
    # have no row (met) → worst 2025 at 5 %, mostly met from 2026. Group r: a year
    # with no value but some unmet (no share) and a met year → worst none, 0 %;
    # 2026 unmet 3 > 0.01 x 0 + 0.001 → mostly met from 2027.
    yearly = pd.DataFrame({
        "g": ["p", "p", "q", "r", "r"], "year": [2026, 2027, 2025, 2026, 2027],
        "unmet_reference_usd": [10.0, 30.0, 5.0, 3.0, 0.0],
        "demand_value_usd": [100.0, 100.0, 100.0, 0.0, 50.0]})
    paths = headline.time_paths(yearly, ["g"], SETTINGS)
    assert paths.index.get_level_values(0).tolist() == ["p", "q", "r"]
    assert [_year(y) for y in paths["worst_year"]] == [2027, 2025, None]
    assert paths["worst_year_unmet_share_pct"].tolist() == pytest.approx([30, 5, 0])
    assert [_year(y) for y in paths["mostly_met_year"]] == [None, 2026, 2027]
    # SLACK_USD: 0.0009 USD unmet of nothing is met, 0.0011 is not
    tiny = pd.DataFrame({"g": ["u", "v"], "year": [2027, 2027],
                         "unmet_reference_usd": [0.0009, 0.0011],
                         "demand_value_usd": [0.0, 0.0]})
    met = headline.time_paths(tiny, ["g"], SETTINGS)["mostly_met_year"]
    assert [_year(y) for y in met] == [2025, None]


def test_the_tolerance_is_a_share_of_each_years_value() -> None:
    # 2027 unmet 1.5 of 100 (1.5 %): mostly met at a 2 % tolerance from 2025 (every
    # year within it), never at 1 %
    yearly = pd.DataFrame({"g": "p", "year": YEARS,
                           "unmet_reference_usd": [1.0, 0.5, 1.5],
                           "demand_value_usd": [100.0, 100.0, 100.0]})
    loose = headline.HeadlineSettings(2025, 2027, 0.0, mostly_met_tolerance=0.02)
    assert headline.time_paths(yearly, ["g"], loose)["mostly_met_year"].tolist() == [
        2025]
    strict = headline.time_paths(yearly, ["g"], SETTINGS)["mostly_met_year"]
    assert [_year(y) for y in strict] == [None]
    assert headline.mostly_met_year(yearly, 0.02, YEARS) == 2025
    assert headline.mostly_met_year(yearly, 0.01, YEARS) is None


def test_kpi_by_group_other_kinds() -> None:
    # a commodity with a blank kind and one missing from the commodities table are
    # both in the group 'other': 3 + 1 t short of 10 + 10 t
    priced = pd.DataFrame({"scenario": "s", "commodity": ["ox", "zz", "yy"],
                           "demand_t": [5.0, 10.0, 10.0],
                           "shortfall_t": [0.0, 3.0, 1.0],
                           "demand_value_usd": [50.0, 10.0, 30.0],
                           "unmet_reference_usd": [0.0, 5.0, 1.0],
                           "unmet_value_usd": 0.0})
    commodities = pd.DataFrame({"commodity": ["ox", "zz"], "kind": ["oxide", None]})
    group = headline.kpi_by_group(priced, commodities)
    assert group.columns.tolist() == [
        "scenario", "group", "demand_t", "shortfall_t", "shortfall_pct",
        "demand_value_usd", "unmet_reference_usd", "unmet_share_pct"]
    assert group["group"].tolist() == ["oxide", "other"]
    g = group.set_index("group")
    assert g.loc["other", "shortfall_t"] == pytest.approx(4)
    assert g.loc["other", "shortfall_pct"] == pytest.approx(20)
    assert g.loc["other", "unmet_share_pct"] == pytest.approx(15)  # 6 of 40
    assert g.loc["oxide", "shortfall_pct"] == 0.0
    # no demand at all: 0 %, not NaN
    empty = priced.assign(demand_t=0.0, shortfall_t=0.0, demand_value_usd=0.0,
                          unmet_reference_usd=0.0)
    none = headline.kpi_by_group(empty, commodities)
    assert none["shortfall_pct"].tolist() == [0.0, 0.0]
    assert none["unmet_share_pct"].tolist() == [0.0, 0.0]


def test_element_content_of_a_commodity_without_an_element() -> None:
    # no route and a blank element (empty text or missing): the commodity counts
    # as its own element; one with an element keeps it
    commodities = pd.DataFrame({"commodity": ["a", "b", "c"],
                                "kind": ["metal", "metal", "metal"],
                                "element": ["", np.nan, "Nd"]})
    empty_io = pd.DataFrame(columns=["process", "commodity", "direction",
                                     "coefficient"])
    processes = pd.DataFrame(columns=["process", "stage"])
    content = headline.element_content(empty_io, processes, commodities)
    assert content.values.tolist() == [["a", "a", 1.0], ["b", "b", 1.0],
                                       ["c", "Nd", 1.0]]


def test_kpi_by_element_keeps_first_appearance_and_small_demand() -> None:
    # mag (0.5 t N per t) then ox_d (1 t D per t): rows in the order the elements
    # first appear (N, then D); D: 0.5 t demand, 0.25 t short → 50 %; N: no
    # demand → 0 %, not NaN; region x is outside the scope
    content = pd.DataFrame({"commodity": ["mag", "ox_d"], "element": ["N", "D"],
                            "oxide_t_per_t": [0.5, 1.0]})
    short = pd.DataFrame({"scenario": "s", "region": ["a", "a", "x"],
                          "commodity": ["mag", "ox_d", "ox_d"], "year": 2025,
                          "demand_t": [0.0, 0.5, 7.0],
                          "shortfall_t": [0.0, 0.25, 7.0]})
    element = headline.kpi_by_element(short, content, {"a"})
    assert element.columns.tolist() == ["scenario", "element", "demand_oxide_t",
                                        "shortfall_oxide_t", "shortfall_pct"]
    assert element["element"].tolist() == ["N", "D"]
    assert element["demand_oxide_t"].tolist() == pytest.approx([0.0, 0.5])
    assert element["shortfall_oxide_t"].tolist() == pytest.approx([0.0, 0.25])
    assert element["shortfall_pct"].tolist() == [0.0, 50.0]


def test_element_content_routes_by_hand() -> None:
    # Processes in table order: a mine (no inputs: no route), a scrap melter
    # (recycling: no route) and then the metal process both make or feed met_n,
    # separation makes the oxide ox_n from 2 t conc, an alloy takes 0.4 t met_n
    # and 0.1 t ox_n, mx is made first by z_route (1 t ox_m) then by a_route
    # (2 t ox_m), and cy_a and cy_b are made from each other. Listed alloy first,
    # so nothing it takes is worked out before it.
    # alloy: 0.4 x 1.25 (met_n from the metal process) + 0.1 x 1 = 0.6 t N;
    # met_n 1.25; an oxide is its own element, whatever makes it (ox_n 1, not
    # 2 x conc); conc and scrap have no route: their own element; mx by its first
    # process: 1 t M; the cycle stops where it closes: cy_a takes cy_b, which
    # would take cy_a again, counted as cy_a's own A → both 1 t A.
    commodities = pd.DataFrame([
        ("alloy", "alloy", "N"), ("met_n", "metal", "N"), ("ox_n", "oxide", "N"),
        ("conc", "concentrate", "N"), ("scrap", "scrap", "N"),
        ("mx", "metal", "M"), ("ox_m", "oxide", "M"),
        ("cy_a", "metal", "A"), ("cy_b", "metal", "B")],
        columns=["commodity", "kind", "element"])
    processes = pd.DataFrame([
        ("mine", "mining"), ("scrap_melt", "recycling"), ("metal", "metal"),
        ("sep", "separation"), ("alloying", "alloy"), ("z_route", "metal"),
        ("a_route", "metal"), ("p_cya", "metal"), ("p_cyb", "metal")],
        columns=["process", "stage"])
    io = pd.DataFrame([
        ("mine", "conc", "out", 1.0),
        ("scrap_melt", "scrap", "in", 1.0), ("scrap_melt", "met_n", "out", 1.0),
        ("metal", "ox_n", "in", 1.25), ("metal", "met_n", "out", 1.0),
        ("sep", "conc", "in", 2.0), ("sep", "ox_n", "out", 1.0),
        ("alloying", "met_n", "in", 0.4), ("alloying", "ox_n", "in", 0.1),
        ("alloying", "alloy", "out", 1.0),
        ("z_route", "ox_m", "in", 1.0), ("z_route", "mx", "out", 1.0),
        ("a_route", "ox_m", "in", 2.0), ("a_route", "mx", "out", 1.0),
        ("p_cya", "cy_b", "in", 1.0), ("p_cya", "cy_a", "out", 1.0),
        ("p_cyb", "cy_a", "in", 1.0), ("p_cyb", "cy_b", "out", 1.0)],
        columns=["process", "commodity", "direction", "coefficient"])
    content = headline.element_content(io, processes, commodities)
    got = [(c, e, pytest.approx(t)) for c, e, t in content.itertuples(index=False)]
    assert got == [("alloy", "N", 0.6), ("met_n", "N", 1.25), ("ox_n", "N", 1.0),
                   ("conc", "N", 1.0), ("scrap", "N", 1.0), ("mx", "M", 1.0),
                   ("ox_m", "M", 1.0), ("cy_a", "A", 1.0), ("cy_b", "A", 1.0)]


def test_kpi_by_group_is_a_plain_table() -> None:
    # one row per scenario and group, numbered from 0 (the table is written as
    # is), in the order the groups first appear
    priced = pd.DataFrame({"scenario": ["s", "s", "t"], "commodity": ["m", "o", "m"],
                           "demand_t": 1.0, "shortfall_t": 0.0,
                           "demand_value_usd": 1.0, "unmet_reference_usd": 0.0,
                           "unmet_value_usd": 0.0})
    commodities = pd.DataFrame({"commodity": ["o", "m"], "kind": ["oxide", "magnet"]})
    group = headline.kpi_by_group(priced, commodities)
    assert group.index.tolist() == [0, 1, 2]
    assert group[["scenario", "group"]].values.tolist() == [
        ["s", "magnet"], ["s", "oxide"], ["t", "magnet"]]


def test_one_year_or_none_and_small_shares() -> None:
    # one year, 50 of 100 unmet: the worst year is it; 0.5 of 100 (0.5 %) still
    # falls short; no year at all: none, and no strict year either
    one = pd.DataFrame({"year": [2025], "demand_value_usd": [100.0],
                        "unmet_reference_usd": [50.0]})
    assert headline.worst_year(one) == (2025, 50.0)
    assert headline.worst_year(one.assign(unmet_reference_usd=0.5)) == (2025, 0.5)
    assert headline.worst_year(one.iloc[0:0]) == (None, 0.0)
    met = pd.DataFrame({"year": [2025], "demand_t": [10.0], "shortfall_t": [0.0]})
    assert kpis.self_sufficient_year(met, 0.001, [2025]) == 2025
    assert kpis.self_sufficient_year(met, 0.001, []) is None


def test_values_below_one_usd_have_a_share() -> None:
    # 0.25 of 0.5 USD unmet in 2026 (t, listed first) and 1 of 4 USD for s:
    # shares 50 % and 25 %, rows in the order they first appear
    priced = pd.DataFrame({"scenario": ["t", "s"], "year": [2026, 2025],
                           "demand_value_year_usd": [0.5, 4.0],
                           "unmet_reference_year_usd": [0.25, 1.0],
                           "demand_value_usd": [0.5, 4.0],
                           "unmet_reference_usd": [0.25, 1.0],
                           "unmet_value_usd": 0.0})
    sums = headline.value_columns(priced, ["scenario"])
    assert sums["scenario"].tolist() == ["t", "s"]
    assert sums["unmet_share_pct"].tolist() == [50.0, 25.0]
    yearly = headline.value_met_by_year(priced)
    assert yearly["scenario"].tolist() == ["t", "s"]
    assert yearly["met_pct"].tolist() == [50.0, 75.0]
    paths = headline.time_paths(yearly, ["scenario"], SETTINGS)
    assert paths["worst_year_unmet_share_pct"].tolist() == [50.0, 25.0]


def test_a_solved_scenario_without_demand_in_the_scope() -> None:
    # 'quiet' solved, cost 5 USD, no shortfall rows in the scope: its values are
    # 0 (not blank), full cost 5
    statuses = [("base", True, "optimal"), ("quiet", False, "optimal")]
    compare = {"base": "base", "quiet": "base"}
    short = _shortfall()
    short = short[short["scenario"] == "baseline"].assign(scenario="base")
    costs = pd.DataFrame({"scenario": ["base", "quiet"], "year": 2025,
                          "category": "variable", "usd": [3600.0, 5.0],
                          "discounted_usd": [3600.0, 5.0]})
    priced = headline.priced_shortfall(short, _commodities(), SCOPE, SETTINGS)
    kpi = kpis.kpi_by_commodity(short, SCOPE, TOLERANCE, YEARS)
    table = headline.add_to_summary(kpis.summary(statuses, costs, kpi, compare),
                                    priced, costs, compare, SETTINGS)
    quiet = table.set_index("scenario").loc["quiet"]
    for column in ("demand_value_usd", "unmet_reference_usd", "unmet_value_usd",
                   "unmet_share_pct"):
        assert quiet[column] == 0.0, column
    assert quiet["full_cost_usd"] == 5.0


def test_rows_outside_the_horizon_are_left_out_of_the_years() -> None:
    # a 2030 row (after the horizon 2025-2027) 10 t short: the tonnes count it,
    # the year test does not (2025-2027 met → 2025)
    short = pd.DataFrame({"scenario": "s", "region": "a", "commodity": "ox",
                          "year": [2025, 2030], "demand_t": 10.0,
                          "shortfall_t": [0.0, 10.0]})
    kpi = kpis.kpi_by_commodity(short, SCOPE, TOLERANCE, YEARS)
    assert kpi["shortfall_t"].tolist() == [10.0]
    assert kpi["self_sufficient_year"].tolist() == [2025]


def test_kpi_cost_columns_are_blank_numbers() -> None:
    _, kpi = _tables()
    for column in ("full_cost_usd", "full_cost_premium_usd", "full_cost_premium_pct",
                   "delivered_cost_premium_pct", "steady_cost_premium_pct"):
        assert kpi[column].dtype == np.float64, column


def test_kpi_by_group_share_of_less_than_a_tonne() -> None:
    # 0.5 t of oxide demanded, 0.25 t short: 50 % short, however small the tonnes
    priced = pd.DataFrame({"scenario": "s", "commodity": ["ox"], "demand_t": [0.5],
                           "shortfall_t": [0.25], "demand_value_usd": [50.0],
                           "unmet_reference_usd": [25.0], "unmet_value_usd": 0.0})
    group = headline.kpi_by_group(priced, _commodities())
    assert group["shortfall_pct"].tolist() == [50.0]


def test_year_columns_are_whole_number_columns_when_every_one_is_blank() -> None:
    # baseline and more only: nothing is short in any year, so neither has a worst
    # year (blank in every row, share 0) and both are mostly met from 2025; the
    # column of blanks is still a whole-number column, as when it holds a year
    statuses = [("baseline", True, "optimal"), ("more", False, "optimal")]
    compare = {"baseline": "baseline", "more": "baseline"}
    shortfall = _shortfall()
    shortfall = shortfall[shortfall["scenario"].isin(["baseline", "more"])]
    costs = _costs()
    priced = headline.priced_shortfall(shortfall, _commodities(), SCOPE, SETTINGS)
    kpi = kpis.kpi_by_commodity(shortfall, SCOPE, TOLERANCE, YEARS)
    table = headline.add_to_summary(kpis.summary(statuses, costs, kpi, compare),
                                    priced, costs, compare, SETTINGS)
    by_commodity = headline.add_to_kpis(kpi, priced, compare, SETTINGS)
    for frame in (table, by_commodity):
        assert str(frame["worst_year"].dtype) == "Int64"
        assert frame["worst_year"].isna().all()
        assert frame["worst_year_unmet_share_pct"].tolist() == [0.0] * len(frame)
        assert str(frame["mostly_met_year"].dtype) == "Int64"
        assert frame["mostly_met_year"].tolist() == [2025] * len(frame)
