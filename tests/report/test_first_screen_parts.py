"""The first screen's parts (model/report/excel/first_screen.py) on hand-made
tables, no solve: product groups and their labels, column widths, headline
headers, caveats, assumptions and the penalty rule, each expected text written out
from the numbers given here."""

from __future__ import annotations

import pandas as pd
import pytest

from model.report.excel import first_screen as fs
from model.report.excel.data import ReportData

# Two scenarios; the baseline is listed second. Horizon (from the tables) 2025-2030.
SUMMARY = pd.DataFrame({
    "scenario": ["cut", "base"], "is_baseline": [False, True],
    "status": ["optimal", "optimal"], "shortfall_t": [1500.0, 0.0],
    "unmet_share_pct": [12.34, 0.0], "cost_premium_pct": [-3.21, 0.0],
})
SHORTFALL = pd.DataFrame({"year": [2025, 2030]})
BY_GROUP = pd.DataFrame({
    "scenario": ["cut"] * 3 + ["base"] * 4,
    "group": ["oxide", "magnet", "metal", "oxide", "magnet", "metal", "alloy"],
    # the baseline's demand values rank magnet (90), oxide (50), metal (40);
    # alloy has no demand; 'cut' would rank them otherwise (it is not the baseline)
    "demand_t": [1, 1, 1, 10, 10, 10, 0],
    "demand_value_usd": [99, 1, 500, 50, 90, 40, 1000],
    "shortfall_t": [1000.0, 500.0, 0.0, 0.0, 0.0, 0.0, 0.0],
})


def _data(**tables: pd.DataFrame) -> ReportData:
    return ReportData({"summary": SUMMARY, "shortfall": SHORTFALL,
                       "kpi_by_group": BY_GROUP, **tables}, {}, {})


@pytest.mark.parametrize(("group", "label"), [
    ("magnet", "Magnets"), ("oxide", "Oxides"), ("metal", "Metals"),
    ("alloy", "Alloys"), ("concentrate", "Concentrate")])  # else capitalised
def test_group_label(group: str, label: str) -> None:
    assert fs.group_label(group) == label


def test_groups_rank_the_baselines_demand_value_and_keep_two() -> None:
    assert fs.groups(_data()) == ["magnet", "oxide"]
    # no product groups: none
    assert fs.groups(ReportData({"summary": SUMMARY, "shortfall": SHORTFALL}, {},
                                {})) == []


def test_widths_hold_at_least_16_grid_columns() -> None:
    assert fs.widths(6) == [15.5, 9.0] + [5.5] * 16
    assert fs.widths(20) == [15.5, 9.0] + [5.5] * 20


def test_headline_columns_headers() -> None:
    columns = fs.headline_columns(_data())
    # tolerance 1 % by default (Settings.mostly_met_tolerance = 0.01)
    assert [c[0] for c in columns] == [
        ("Full-cost", "premium", "(%)"), ("Delivered-", "cost premium", "(%)"),
        ("Supply-cost", "premium", "(%)"), ("Worst year", "(% of value", "unmet)"),
        ("Mostly met", "(1 % of", "value) from"),
        ("All demand", "met (strict)", "from"),
        ("Magnets", "unmet", "(% of t)"), ("Oxides", "unmet", "(% of t)")]
    assert [c[1] for c in columns][-2:] == ["group:magnet", "group:oxide"]
    assert {c[3] for c in columns} == {2}
    assert columns[-1][2] == "0.0"


def test_caveats_one_line_per_scenario_that_goes_short() -> None:
    # cut: 12.3 % of value unmet; 1,000 t of oxides = 1 kt, 500 t of magnets
    # rounds to 0 kt (listed in the groups' order: magnets first); premium -3.2 %
    assert fs.caveats(_data()) == [
        "cut: 12.3 % of demand value unmet (0 kt of magnets, 1 kt of oxides); its "
        "supply-cost premium -3.2 % leaves that out."]
    met = SUMMARY.assign(shortfall_t=0.0)
    data = ReportData({"summary": met, "shortfall": SHORTFALL}, {}, {})
    assert fs.caveats(data) == ["Every scenario meets all demand."]
    failed = SUMMARY.assign(status=["time limit", "optimal"])
    data = ReportData({"summary": failed, "shortfall": SHORTFALL}, {}, {})
    assert fs.caveats(data) == ["Every scenario meets all demand."]


def test_assumptions_from_the_settings() -> None:
    # without a case: Settings(2025, 2030) with its defaults: 8 % discount rate,
    # 1 % mostly-met tolerance, 0.1 % strict tolerance, perfect foresight
    lines = fs.assumptions(_data())
    assert lines[0] == ("Money discounted at 8% a year to 2025; premiums are against "
                        "the comparator's same measure.")
    assert lines[1] == ("Unmet demand valued at the shortfall penalty, as given per "
                        "commodity: the full-cost premium grows with it; the "
                        "delivered-cost premium does not use it.")
    assert lines[2] == fs.foresight_line("perfect")
    assert lines[3] == ("Mostly met: from that year on, at most 1% of each year's "
                        "demand value unmet; self-sufficient (strict): every "
                        "commodity within 0.1% of its tonnes.")
    assert lines[4] == "Weakest numbers: see the case's documentation."


def _with_prices(prices: list[float], penalties: list[float]) -> ReportData:
    kpi = pd.DataFrame({"scenario": ["base"] * 3 + ["cut"],
                        "commodity": ["a", "b", "c", "d"],
                        "demand_t": [5.0, 5.0, 0.0, 9.0]})
    commodities = pd.DataFrame({"commodity": ["a", "b", "c", "d"],
                                "reference_price_usd_per_t": prices,
                                "shortfall_penalty_usd_per_t": penalties})
    return ReportData({"summary": SUMMARY, "shortfall": SHORTFALL,
                       "kpi_by_commodity": kpi}, {"commodities": commodities}, {})


def test_penalty_rule_from_the_demanded_commodities() -> None:
    # demanded in the baseline: a and b (c has no demand, d is only in 'cut')
    assert fs.penalty_rule(_with_prices([100, 100, 1, 1], [1000, 1000, 9, 9])) == (
        "10x the reference price")
    # a 10x, b 20x: median 15x, spread over 0.5x
    assert fs.penalty_rule(_with_prices([100, 50, 1, 1], [1000, 1000, 9, 9])) == (
        "15x the reference price (10x to 20x across demanded commodities)")
    # a 10x, b 10.4x: spread 0.4x, not shown; median 10.2 prints as 10x
    assert fs.penalty_rule(_with_prices([100, 100, 1, 1], [1000, 1040, 9, 9])) == (
        "10x the reference price")
    # no reference prices among the demanded: as given
    assert fs.penalty_rule(_with_prices([0, 0, 1, 1], [1000, 1000, 9, 9])) == (
        "as given per commodity (no reference prices)")
    # no commodity table: as given
    assert fs.penalty_rule(_data()) == "as given per commodity"
