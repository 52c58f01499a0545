"""KPI arithmetic on hand-built frames (MODEL-SPEC §4)."""

from __future__ import annotations

import pandas as pd

from model.results.kpis import overall_year, self_sufficient_year

YEARS = [2025, 2026, 2027, 2028]


def _yearly(short: list[float], demand: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"year": YEARS, "demand_t": demand, "shortfall_t": short})


def test_first_year_from_which_every_later_year_is_met() -> None:
    # Short in 2025 and 2027; met in 2026 and 2028 → 2028 (2026 is not enough,
    # 2027 relapses).
    assert self_sufficient_year(_yearly([5, 0, 5, 0]), 0.001, YEARS) == 2028


def test_tolerance_is_a_fraction_of_demand() -> None:
    # 0.05 t short of 100 t = 0.05 % ≤ 0.1 % tolerance → met from the start.
    assert self_sufficient_year(_yearly([0.05] * 4), 0.001, YEARS) == 2025
    # 0.2 t short = 0.2 % > 0.1 % → never.
    assert self_sufficient_year(_yearly([0.2] * 4), 0.001, YEARS) is None


def test_overall_year_is_the_latest_and_blank_if_any_blank() -> None:
    assert overall_year(pd.Series([2027, 2031], dtype="Int64")) == 2031
    assert overall_year(pd.Series([2027, None], dtype="Int64")) is None


def test_years_missing_from_the_table_count_as_met() -> None:
    # no row for 2025 (no demand then) and 2028; 2026 is short, 2027 met → 2027
    # (the missing years are met, and positions are those of the horizon)
    yearly = pd.DataFrame({"year": [2026, 2027], "demand_t": [100.0, 100.0],
                           "shortfall_t": [5.0, 0.0]})
    assert self_sufficient_year(yearly, 0.001, YEARS) == 2027
