"""kpi_by_commodity and summary (MODEL-SPEC §4) on hand-built tables.

Two scenarios, listed 'cut' first and 'base' (the flagged baseline) second, plus an
infeasible one; regions a (alliance) and x (outside the scope); commodities c1, c2;
years 2025-2027 and a tolerance of 10 %.
"""

from __future__ import annotations

import pandas as pd
import pytest

from model.results.kpis import kpi_by_commodity, summary

YEARS = [2025, 2026, 2027]
SCOPE = {"a"}


def _shortfall() -> pd.DataFrame:
    rows = [
        # scenario, region, commodity, year, demand, shortfall
        ("cut", "a", "c1", 2025, 100, 50),  # 50 % short
        ("cut", "a", "c1", 2026, 100, 5),   # 5 % <= 10 %
        ("cut", "a", "c1", 2027, 100, 0),
        ("cut", "x", "c1", 2025, 1000, 1000),  # outside the scope: ignored
        ("cut", "a", "c2", 2025, 10, 0),
        ("cut", "a", "c2", 2026, 10, 0),
        ("cut", "a", "c2", 2027, 10, 2),    # 20 % short in the last year: never
        ("base", "a", "c1", 2025, 100, 0),
        ("base", "a", "c1", 2026, 100, 0),
        ("base", "a", "c1", 2027, 100, 0),
        ("base", "a", "c2", 2026, 10, 0),   # no demand row in 2025, 2027: met
    ]
    return pd.DataFrame(rows, columns=["scenario", "region", "commodity", "year",
                                       "demand_t", "shortfall_t"])


def test_kpi_by_commodity_by_hand() -> None:
    kpi = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    years = [None if pd.isna(y) else int(y) for y in kpi.pop("self_sufficient_year")]
    assert years == [2026, None, 2025, 2025]
    # scope only; c1 of cut: 55 t of 300 t, met (<= 10 %) from 2026; c2 of cut:
    # 2 of 30 t, short beyond tolerance in 2027 -> never; base: all met from 2025
    assert kpi.to_dict("list") == {
        "scenario": ["cut", "cut", "base", "base"],   # first appearance kept
        "commodity": ["c1", "c2", "c1", "c2"],
        "demand_t": [300, 30, 300, 10],
        "shortfall_t": [55, 2, 0, 0],
        "shortfall_pct": pytest.approx([55 / 3, 20 / 3, 0, 0]),
    }
    again = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    assert str(again["self_sufficient_year"].dtype) == "Int64"


def _costs() -> pd.DataFrame:
    rows = [("cut", 2025, "variable", 600), ("cut", 2025, "penalty", 5000),
            ("cut", 2026, "capex", 150), ("cut", 2026, "transport", 50),
            ("base", 2025, "variable", 400), ("base", 2026, "tariff", 100),
            ("base", 2026, "fixed_om", 0), ("base", 2027, "stock", 100)]
    frame = pd.DataFrame(rows, columns=["scenario", "year", "category", "usd"])
    return frame.assign(discounted_usd=frame["usd"])


def test_summary_by_hand() -> None:
    kpi = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    table = summary([("cut", False, "optimal"), ("base", True, "optimal"),
                     ("gone", False, "infeasible")], _costs(), kpi)
    rows = table.set_index("scenario")
    # supply cost without the penalty: cut 600 + 150 + 50 = 800; base 400 + 100 +
    # 100 = 600; premium against the flagged baseline (listed second): +200 =
    # +33.3 %; the infeasible scenario has no cost, no premium and no year
    assert table["scenario"].tolist() == ["cut", "base", "gone"]
    assert rows["is_baseline"].tolist() == [False, True, False]
    assert rows["status"].tolist() == ["optimal", "optimal", "infeasible"]
    assert rows.loc[["cut", "base"], "total_cost_usd"].tolist() == [800, 600]
    assert rows.loc[["cut", "base"], "cost_premium_usd"].tolist() == [200, 0]
    assert rows.loc[["cut", "base"], "cost_premium_pct"].tolist() == pytest.approx(
        [100 / 3, 0])
    assert rows.loc["gone", ["total_cost_usd", "cost_premium_usd",
                             "cost_premium_pct"]].isna().all()
    # cut: 57 t short of 330 t; overall year = never, because c2 never is
    assert rows.loc["cut", "demand_t"] == 330
    assert rows.loc["cut", "shortfall_t"] == 57
    assert rows.loc["cut", "shortfall_pct"] == pytest.approx(5700 / 330)
    assert pd.isna(rows.loc["cut", "self_sufficient_year"])
    assert rows.loc["base", "self_sufficient_year"] == 2025
    assert pd.isna(rows.loc["gone", "self_sufficient_year"])
    assert str(table["self_sufficient_year"].dtype) == "Int64"


def test_summary_without_a_baseline_cost_has_no_premium() -> None:
    # the baseline failed (so it has no costs): every premium is blank, the other
    # scenario's cost is still shown
    kpi = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    costs = _costs()
    table = summary([("cut", False, "optimal"), ("base", True, "infeasible")],
                    costs[costs["scenario"] == "cut"], kpi).set_index("scenario")
    assert table.loc["cut", "total_cost_usd"] == 800
    assert table["cost_premium_usd"].isna().all()
    assert table["cost_premium_pct"].isna().all()


def test_no_demand_is_zero_percent_and_no_nan() -> None:
    # a scenario with zero demand and zero shortfall: 0 %, not NaN
    frame = pd.DataFrame({"scenario": ["s"], "region": ["a"], "commodity": ["c1"],
                          "year": [2025], "demand_t": [0.0], "shortfall_t": [0.0]})
    kpi = kpi_by_commodity(frame, SCOPE, 0.001, YEARS)
    assert kpi["shortfall_pct"].tolist() == [0.0]
    assert kpi["self_sufficient_year"].tolist() == [2025]


def test_no_demand_rows_give_an_empty_table_with_its_columns() -> None:
    empty = _shortfall().iloc[0:0]
    kpi = kpi_by_commodity(empty, SCOPE, 0.001, YEARS)
    assert kpi.empty
    assert list(kpi.columns) == ["scenario", "commodity", "demand_t", "shortfall_t",
                                 "shortfall_pct", "self_sufficient_year"]


def test_summary_without_a_baseline_has_no_premium() -> None:
    kpi = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    table = summary([("cut", False, "optimal"), ("base", False, "optimal")],
                    _costs(), kpi)
    assert table["total_cost_usd"].tolist() == [800, 600]
    assert table["cost_premium_usd"].isna().all()


def test_a_scenario_that_costs_nothing_has_cost_zero() -> None:
    # 'free' solved but spent nothing (no cost rows at all): 0 USD, -600 USD premium
    kpi = kpi_by_commodity(_shortfall(), SCOPE, 0.10, YEARS)
    table = summary([("base", True, "optimal"), ("free", False, "optimal")],
                    _costs(), kpi).set_index("scenario")
    assert table.loc["free", "total_cost_usd"] == 0
    assert table.loc["free", "cost_premium_usd"] == -600
    assert table.loc["free", "cost_premium_pct"] == pytest.approx(-100)
