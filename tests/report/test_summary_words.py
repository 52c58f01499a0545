"""The Summary's words and first-screen lines on hand-made tables (no case, no
solve): money in words at its unit boundaries, the element sentence, the notes,
the status line, caveats, product groups, the penalty rule and the foresight
line; each expected text written out from the numbers given here."""

from __future__ import annotations

import pandas as pd
import pytest

from model.data.case import Case, Settings
from model.report.excel import first_screen as fs
from model.report.excel.data import ReportData
from model.report.excel.summary import (
    element_sentence,
    notes,
    scenario_sentences,
    status_line,
    usd,
)

SHORTFALL = pd.DataFrame({"year": [2025, 2030]})  # the horizon without a case


@pytest.mark.parametrize(("value", "text"), [
    (1e9, "USD 1.00 bn"),                 # from 1e9 on in bn
    (999_999_999.0, "USD 1,000.0 m"),     # just below: in m
    (1_005_000_001.0, "USD 1.01 bn"),     # 1.005000001 bn rounds up
    (-2.5e9, "USD 2.50 bn"),              # the size, without its sign
    (1e6, "USD 1.0 m"),                   # from 1e6 on in m
    (999_999.0, "USD 999,999"),
    (1_050_001.0, "USD 1.1 m"),           # 1.050001 m rounds up
    (-205.0, "USD 205"),
])
def test_usd_at_its_unit_boundaries(value: float, text: str) -> None:
    assert usd(value) == text


def test_element_sentence_one_or_several_never_met() -> None:
    assert element_sentence({"Nd": 2030, "Dy": None}, 2025, 2040) == (
        "Nd demand is met from 2030; Dy stays short to the end of the horizon (2040)")
    assert element_sentence({"Nd": None, "Dy": None}, 2025, 2040) == (
        "Nd and Dy stay short to the end of the horizon (2040)")


def _summary(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame({"scenario": ["base", "cut"], "is_baseline": [True, False],
                          "status": ["optimal", "optimal"],
                          "self_sufficient_year": pd.array([2025, None],
                                                           dtype="Int64"),
                          "shortfall_t": [0.0, 20.0], "shortfall_pct": [0.0, 10.0],
                          "total_cost_usd": [100.0, 90.0],
                          "cost_premium_usd": [0.0, -10.0],
                          "cost_premium_pct": [0.0, -10.0]})
    return frame.assign(**columns)


def test_notes_without_a_case() -> None:
    # no case: no discount rate to quote; the base year is the tables' first
    data = ReportData({"summary": _summary(), "shortfall": SHORTFALL}, {}, {})
    assert notes(data)[0] == ("Costs: supply cost without the shortfall penalty, "
                              "discounted to 2025; premium against the baseline.")
    # no years at all: no base year either
    empty = ReportData({"summary": _summary(), "shortfall": SHORTFALL.iloc[0:0]},
                       {}, {})
    assert notes(empty)[0] == ("Costs: supply cost without the shortfall penalty, "
                               "discounted to ; premium against the baseline.")


def test_scenario_sentences_without_key_elements_and_never_met() -> None:
    # no commodity with demand: no key elements, so the first sentence is only
    # the overall year ('; ' stripped from its start); cut is never self-sufficient
    kpi = pd.DataFrame({"scenario": ["base", "cut"], "commodity": "ox",
                        "demand_t": 0.0, "self_sufficient_year": 2025})
    data = ReportData({"summary": _summary(), "shortfall": SHORTFALL,
                       "kpi_by_commodity": kpi}, {}, {})
    assert scenario_sentences(data, "cut")[0] == (
        "Scenario 'cut': overall self-sufficient never within the horizon.")
    assert scenario_sentences(data, "base")[0] == (
        "Baseline 'base': overall self-sufficient from 2025.")


def test_scenario_sentences_name_the_horizons_end_and_keep_an_elements_x() -> None:
    # key elements Xe (commodity xe, 30 t) and Dy (dy, 10 t) in the baseline; in
    # cut Xe is met from 2027 and Dy never: "to the end of the horizon (2030)"
    kpi = pd.DataFrame({"scenario": ["base", "base", "cut", "cut"],
                        "commodity": ["xe", "dy"] * 2,
                        "demand_t": [30.0, 10.0, 30.0, 10.0],
                        "self_sufficient_year": pd.array([2025, 2025, 2027, None],
                                                         dtype="Int64")})
    commodities = pd.DataFrame({"commodity": ["xe", "dy"], "element": ["Xe", "Dy"],
                                "kind": ["oxide", "oxide"]})
    data = ReportData({"summary": _summary(), "shortfall": SHORTFALL,
                       "kpi_by_commodity": kpi}, {"commodities": commodities}, {})
    assert scenario_sentences(data, "cut")[0] == (
        "Scenario 'cut': Xe demand is met from 2027; Dy stays short to the end of "
        "the horizon (2030); overall self-sufficient never within the horizon.")


def test_status_line_lists_every_scenario_not_solved() -> None:
    summary = _summary(status=["time limit", "infeasible"])
    data = ReportData({"summary": summary, "shortfall": SHORTFALL}, {}, {})
    assert status_line(data) == (
        "WARNING: not solved to optimality: base (time limit), cut (infeasible). "
        "Numbers of these scenarios are not results.", True)
    ok = ReportData({"summary": _summary(), "shortfall": SHORTFALL}, {}, {})
    assert status_line(ok)[1] is False


def _groups_data(**summary: object) -> ReportData:
    by_group = pd.DataFrame({
        "scenario": ["base", "base", "cut", "cut"],
        "group": ["oxide", "magnet", "oxide", "magnet"],
        # the baseline's magnets: half a tonne, worth the most; cut ranks oxides
        "demand_t": [10.0, 0.5, 10.0, 0.5],
        "demand_value_usd": [50.0, 90.0, 900.0, 1.0],
        "shortfall_t": [0.0, 0.0, 2500.4, 0.0]})
    return ReportData({"summary": _summary(unmet_share_pct=[0.0, 12.34],
                                           **summary),
                       "shortfall": SHORTFALL, "kpi_by_group": by_group}, {}, {})


def test_groups_with_half_a_tonne_and_without_a_baseline() -> None:
    # half a tonne of demand is demand: magnets (90) before oxides (50)
    assert fs.groups(_groups_data()) == ["magnet", "oxide"]
    # no baseline flagged: the first scenario listed (base) ranks the groups, not
    # the second (cut would rank oxides first)
    assert fs.groups(_groups_data(is_baseline=[False, False])) == ["magnet", "oxide"]


def test_caveats_round_kilotonnes_and_count_half_a_tonne() -> None:
    # cut: 2,500.4 t of oxides = 2.5004 kt → "3 kt"; 0 t of magnets
    assert fs.caveats(_groups_data()) == [
        "cut: 12.3 % of demand value unmet (0 kt of magnets, 3 kt of oxides); its "
        "supply-cost premium -10.0 % leaves that out."]
    # half a tonne short is short
    half = _groups_data(shortfall_t=[0.0, 0.5])
    assert len(fs.caveats(half)) == 1 and fs.caveats(half)[0].startswith("cut: ")


def _with_prices(prices: list[float], penalties: list[float]) -> ReportData:
    kpi = pd.DataFrame({"scenario": ["base", "base"], "commodity": ["a", "b"],
                        "demand_t": [5.0, 5.0]})
    commodities = pd.DataFrame({"commodity": ["a", "b"],
                                "reference_price_usd_per_t": prices,
                                "shortfall_penalty_usd_per_t": penalties})
    return ReportData({"summary": _summary(), "shortfall": SHORTFALL,
                       "kpi_by_commodity": kpi}, {"commodities": commodities}, {})


def test_penalty_rule_spread_and_small_prices() -> None:
    # 10x and 10.5x: a spread of exactly 0.5x is not shown; median 10.25 → "10x"
    assert fs.penalty_rule(_with_prices([100, 100], [1000, 1050])) == (
        "10x the reference price")
    # 10x and 11x: a spread of 1x is shown; median 10.5 prints as "10x"
    assert fs.penalty_rule(_with_prices([100, 100], [1000, 1100])) == (
        "10x the reference price (10x to 11x across demanded commodities)")
    # a reference price of 0.5 USD/t is a price: 20 / 0.5 = 40x
    assert fs.penalty_rule(_with_prices([0.5, 0], [20, 9])) == (
        "40x the reference price")


def test_foresight_lines_and_the_assumption_that_quotes_one() -> None:
    assert fs.foresight_line("none") == (
        "Foresight: none — before its first embargo or export quota, every scenario "
        "takes its comparator's decisions (activity, flows, builds decided then; the "
        "baseline unless it names another).")
    assert fs.foresight_line("perfect") == (
        "Foresight: perfect — every scenario plans from the first year knowing its "
        "rules.")
    case = Case("c", "", {}, Settings(2025, 2030, foresight="none"), "")
    data = ReportData({"summary": _summary(), "shortfall": SHORTFALL}, {}, {}, case)
    assert fs.assumptions(data)[2] == fs.foresight_line("none")
