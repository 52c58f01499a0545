"""The Summary's sentences, every branch, on hand-made numbers; then its other
words and first-screen lines on hand-made tables (no case, no solve): money in
words at its unit boundaries, the element sentence, the notes, the status line,
caveats, product groups, the penalty rule and the foresight line; each expected
text written out from the numbers given here."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from model.data.case import Case, Settings
from model.report.excel import first_screen as fs
from model.report.excel.data import ReportData
from model.report.excel.summary import (
    cost_sentence,
    element_sentence,
    notes,
    scenario_sentences,
    status_line,
    usd,
)


def _row(premium: float, pct: float, shortfall: float = 0.0,
         cost: float = 2.5e9) -> pd.Series:
    return pd.Series({"total_cost_usd": cost, "cost_premium_usd": premium,
                      "cost_premium_pct": pct, "shortfall_t": shortfall})


@pytest.mark.parametrize(("row", "text"), [
    (_row(463.6e6, 0.8), "supply costs USD 2.50 bn, USD 463.6 m more than the "
                         "baseline (+0.8 %)"),
    (_row(-205.0, -11.3, shortfall=20), "supply costs USD 2.50 bn, USD 205 less "
     "than the baseline (-11.3 %), cheaper only because demand goes unmet"),
    (_row(-205.0, -11.3), "supply costs USD 2.50 bn, USD 205 less than the "
                          "baseline (-11.3 %)"),       # cheaper and nothing short
    (_row(100.0, float("nan")), "supply costs USD 2.50 bn, USD 100 more than the "
                                "baseline"),           # no % against a zero cost
    (_row(0.4, 0.0), "supply costs USD 2.50 bn, the same as the baseline"),
    # 1 USD more is more (the 'same' band is |premium| < 0.5 USD); 0.5 USD is
    # already outside it and rounds to 'USD 0' in words
    (_row(1.0, 0.0), "supply costs USD 2.50 bn, USD 1 more than the baseline "
                     "(+0.0 %)"),
    (_row(0.5, 0.0), "supply costs USD 2.50 bn, USD 0 more than the baseline "
                     "(+0.0 %)"),
    # more, with a shortfall: no 'cheaper' clause (only a negative premium has one)
    (_row(0.7, 0.0, shortfall=5), "supply costs USD 2.50 bn, USD 1 more than the "
                                  "baseline (+0.0 %)"),
    # cheaper with half a tonne short: any shortfall > 0 t explains it
    (_row(-205.0, -11.3, shortfall=0.5), "supply costs USD 2.50 bn, USD 205 less "
     "than the baseline (-11.3 %), cheaper only because demand goes unmet"),
    (_row(-0.4, 0.0, shortfall=5), "supply costs USD 2.50 bn, the same as the "
                                   "baseline"),        # |premium| < 0.5 USD
    (_row(float("nan"), float("nan")), "supply costs USD 2.50 bn, the same as "
                                       "the baseline"),  # no baseline cost
])
def test_cost_sentence(row: pd.Series, text: str) -> None:
    assert cost_sentence(row) == text


def test_a_scenario_that_did_not_solve_says_so() -> None:
    summary = pd.DataFrame({"scenario": ["base", "cut"], "is_baseline": [True, False],
                            "status": ["optimal", "time limit"]})
    # without a case the horizon is the years of the tables (ReportData.years)
    shortfall = pd.DataFrame({"year": [2025, 2030]})
    data = ReportData({"summary": summary, "shortfall": shortfall}, {}, {})
    assert scenario_sentences(data, "cut") == [
        "Scenario 'cut': not solved to optimality (time limit); no results."]


def test_a_run_with_a_failed_scenario_warns_on_the_summary(tmp_path) -> None:
    # the status line turns into a red warning on a red fill; the headings keep
    # their style (the pipeline stops on a failed solve, so this is built by hand)
    from openpyxl import load_workbook

    from model.report.excel.book import write_book
    from model.report.excel.summary import write_summary

    summary = pd.DataFrame({
        "scenario": ["base", "cut"], "is_baseline": [True, False],
        "status": ["optimal", "time limit"], "total_cost_usd": [1815.0, None],
        "cost_premium_usd": [0.0, None], "cost_premium_pct": [0.0, None],
        "demand_t": [180.0, None], "shortfall_t": [0.0, None],
        "shortfall_pct": [0.0, None], "self_sufficient_year": [2025, None]})
    # without a case the horizon is the years of the tables (ReportData.years)
    shortfall = pd.DataFrame({"year": [2025, 2026, 2027]})
    kpi = pd.DataFrame(columns=["scenario", "commodity", "demand_t", "shortfall_t",
                                "shortfall_pct", "self_sufficient_year"])
    tables = {"summary": summary, "kpi_by_commodity": kpi, "shortfall": shortfall}
    data = ReportData(tables, {}, {"case": "c", "input_hash": "ab"})
    write_book(tmp_path / "s.xlsx", lambda sheets: write_summary(sheets, data))
    ws = load_workbook(tmp_path / "s.xlsx")["Summary"]
    # the first screen's second line carries the status: the warning replaces
    # "all n scenarios solved to optimality", in red on a red fill
    status = ws["A2"]
    assert re.fullmatch(r"Input hash ab · run \d{4}-\d\d-\d\d \d\d:\d\d UTC · "
                        r"WARNING: not solved to optimality: cut \(time limit\)\. "
                        r"Numbers of these scenarios are not results\.", status.value)
    assert status.font.color.rgb.endswith("9C0006")
    assert status.fill.fgColor.rgb.endswith("FFC7CE")
    headings = [c for c in ws["A"] if c.value in (
        "In brief (every scenario, in words)",
        "Cost, time and shortfall per scenario (premiums against the scenario "
        "under 'Compared with')")]
    assert len(headings) == 2
    assert all(h.font.b for h in headings)
    # the scenario that did not solve: 'not solved' in its headline cells, and
    # its sentence says so
    cut = next(c.row for c in ws["A"] if c.value == "cut")
    assert ws.cell(cut, 4).value == "not solved"
    # this summary has no compare_to column: the comparator cell is blank
    assert ws.cell(cut, 2).value in (None, "")
    lines = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Scenario 'cut': not solved to optimality (time limit); no results." \
        in lines


def test_three_names_of_one_year_are_listed_with_commas_and_and() -> None:
    from model.report.excel.summary import element_sentence
    # three elements met from 2030 (not from the start): 'A, B and C'
    assert element_sentence({"A": 2030, "B": 2030, "C": 2030}, 2025, 2040) == (
        "A, B and C demand is met from 2030")
    # four never met: 'W, X, Y and Z stay short'
    assert element_sentence(dict.fromkeys("WXYZ"), 2025, 2040) == (
        "W, X, Y and Z stay short to the end of the horizon (2040)")


def test_the_run_time_on_the_summary_is_utc(tmp_path, monkeypatch) -> None:
    # with the local time zone 14 hours ahead of UTC, the Summary's run time
    # is still UTC: within a minute of datetime.now(UTC) around the write
    import time
    from datetime import UTC, datetime, timedelta

    from openpyxl import load_workbook

    from model.report.excel.book import write_book
    from model.report.excel.summary import write_summary

    summary = pd.DataFrame({
        "scenario": ["base"], "is_baseline": [True], "status": ["optimal"],
        "total_cost_usd": [10.0], "cost_premium_usd": [0.0],
        "cost_premium_pct": [0.0], "demand_t": [1.0], "shortfall_t": [0.0],
        "shortfall_pct": [0.0], "self_sufficient_year": [2025]})
    kpi = pd.DataFrame(columns=["scenario", "commodity", "demand_t", "shortfall_t",
                                "shortfall_pct", "self_sufficient_year"])
    tables = {"summary": summary, "kpi_by_commodity": kpi,
              "shortfall": pd.DataFrame({"year": [2025]})}
    monkeypatch.setenv("TZ", "KIR-14")  # POSIX: 14 h ahead of UTC, no tzdata
    time.tzset()
    try:
        before = datetime.now(UTC).replace(second=0, microsecond=0)
        data = ReportData(tables, {}, {"case": "c", "input_hash": "ab"})
        write_book(tmp_path / "s.xlsx", lambda sheets: write_summary(sheets, data))
        after = datetime.now(UTC)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    line = load_workbook(tmp_path / "s.xlsx")["Summary"]["A2"].value
    stamp = re.search(r"run (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", line).group(1)
    written = datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= written <= after + timedelta(minutes=1)


# ------------------------------------------------------------------ other words

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
