"""The Summary's sentences, every branch, on hand-made numbers."""

from __future__ import annotations

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
    settings = pd.DataFrame({"key": ["base_year", "end_year"], "value": ["2025",
                                                                       "2030"]})
    data = ReportData({"summary": summary}, {"settings": settings}, {})
    assert scenario_sentences(data, "cut") == [
        "Scenario 'cut': not solved to optimality (time limit); no results."]
