"""The Summary's sentences, every branch, on hand-made numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from model.report.excel.data import ReportData
from model.report.excel.summary import cost_sentence, scenario_sentences


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
