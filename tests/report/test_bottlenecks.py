"""Binding limits and their values, on one-node cases solvable by hand.

Common shape: one region, one commodity ``ox`` with penalty 1000 USD/t, a mine at
10 USD/t. Whenever a limit keeps 1 t of demand unmet, one more tonne of that limit
saves the penalty and costs the mine: 1000 - 10 = 990 USD (that year's money).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import run_case
from model.results.bottlenecks import lead_time_stages, supply_chain
from tests.helpers import mine, one_commodity, settings, write_case

REGIONS = [{"region": "A", "bloc": "alliance"}]


def solve(tmp_path: Path, rate: float, end: int, **tables: list[dict[str, object]]
          ) -> pd.DataFrame:
    proc, io = mine(cost=10.0)
    base = {"settings": settings(2025, end, rate), "regions": REGIONS,
            "commodities": one_commodity(penalty=1000.0), "processes": [proc],
            "process_io": [io]}
    case = write_case(tmp_path / "case", {**base, **tables})
    return run_case(case).tables["bottlenecks"]


def test_capacity_value_is_undiscounted_to_its_year(tmp_path: Path) -> None:
    # capacity 10 < demand 15 in both years: 5 t short each year; one more tpa
    # saves 990 in that year's money whatever the discount rate (0.1 here).
    limits = solve(tmp_path, 0.1, 2026,
                   capacity=[{"region": "A", "process": "mine", "capacity_tpa": 10}],
                   demand=[{"region": "A", "commodity": "ox", "year": 2025,
                            "demand_t": 15}])
    assert list(limits["limit"]) == ["capacity", "capacity"]
    assert sorted(limits["year"]) == [2025, 2026]
    assert limits["value_usd_per_t"].tolist() == pytest.approx([990.0, 990.0])
    assert limits["limit_t"].tolist() == pytest.approx([10.0, 10.0])
    assert list(limits["rank"]) == [1, 2]


def test_reserve_value_in_base_year_money(tmp_path: Path) -> None:
    # reserve 12 t over two years, demand 10 t/yr, rate 0: 8 t short; one more
    # tonne of reserve saves 990. Capacity (100) does not bind.
    limits = solve(tmp_path, 0.0, 2026,
                   capacity=[{"region": "A", "process": "mine", "capacity_tpa": 100}],
                   reserves=[{"region": "A", "process": "mine", "reserve_t": 12}],
                   demand=[{"region": "A", "commodity": "ox", "year": 2025,
                            "demand_t": 10}])
    assert list(limits["limit"]) == ["reserve"]
    assert limits["value_usd_per_t"].iat[0] == pytest.approx(990.0)
    assert limits["money"].iat[0] == "base year"
    assert pd.isna(limits["year"].iat[0])


def test_expansion_total_and_capacity_both_bind(tmp_path: Path) -> None:
    # no existing capacity; at most 5 tpa may be built (free), demand 10: the
    # capacity row (act <= build) and the total limit (build <= 5) each carry 990:
    # act's reduced cost 10 - 1000 + 990 = 0 and build's 0 - 990 + 990 = 0.
    limits = solve(tmp_path, 0.0, 2025,
                   expansion=[{"region": "A", "process": "mine", "max_new_tpa": 5}],
                   demand=[{"region": "A", "commodity": "ox", "year": 2025,
                            "demand_t": 10}])
    values = dict(zip(limits["limit"], limits["value_usd_per_t"], strict=True))
    assert values == pytest.approx({"capacity": 990.0, "expansion total": 990.0})


def test_per_year_build_limit_is_reported(tmp_path: Path) -> None:
    # at most 4 tpa per online year, demand 10 in one year: the build sits at its
    # bound with reduced cost -990 (one more tpa saves 990).
    limits = solve(tmp_path, 0.0, 2025,
                   expansion=[{"region": "A", "process": "mine",
                               "max_new_tpa_per_year": 4}],
                   demand=[{"region": "A", "commodity": "ox", "year": 2025,
                            "demand_t": 10}])
    per_year = limits[limits["limit"] == "expansion per year"]
    assert per_year["value_usd_per_t"].tolist() == pytest.approx([990.0])
    assert per_year["limit_t"].tolist() == pytest.approx([4.0])


def test_export_quota_value(tmp_path: Path) -> None:
    # the mine is in A, demand in B; a quota of 5 t/yr on exports out of A leaves
    # 5 t short in B: one more tonne of quota saves 990 (route cost 0).
    proc, io = mine(cost=10.0)
    case = write_case(tmp_path / "case", {
        "settings": settings(2025, 2025, 0.0),
        "regions": [{"region": "A", "bloc": "partner"},
                    {"region": "B", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000.0), "processes": [proc],
        "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "B", "commodity": "ox", "year": 2025, "demand_t": 10}],
        "routes": [{"origin": "A", "destination": "B", "cost_usd_per_t": 0}],
        "scenario_rules": [{"scenario": "baseline", "rule": "export_quota",
                            "target": "A", "commodity": "ox", "value": 5}],
    })
    limits = run_case(case).tables["bottlenecks"]
    assert list(limits["limit"]) == ["export quota"]
    assert limits["value_usd_per_t"].iat[0] == pytest.approx(990.0)
    assert limits["commodity"].iat[0] == "ox"


def test_supply_chain_follows_inputs_upstream() -> None:
    io = pd.DataFrame([("mag", "metal", "in"), ("mag", "magnet", "out"),
                       ("smelt", "oxide", "in"), ("smelt", "metal", "out"),
                       ("sep", "conc", "in"), ("sep", "oxide", "out"),
                       ("mine", "conc", "out"), ("other", "dy", "out")],
                      columns=["process", "commodity", "direction"])
    assert supply_chain(io, "magnet") == {"mag", "smelt", "sep", "mine"}
    assert supply_chain(io, "oxide") == {"sep", "mine"}


def test_lead_time_stage_is_the_last_stage_to_come_online() -> None:
    # the chain mine -> sep makes ox; mining capacity first comes online in 2026,
    # separation in 2029 (its earliest year): separation sets 2029, lead time binds.
    io = pd.DataFrame([("mine", "conc", "out"), ("sep", "conc", "in"),
                       ("sep", "ox", "out")],
                      columns=["process", "commodity", "direction"])
    processes = pd.DataFrame({"process": ["mine", "sep"],
                              "stage": ["mining", "separation"]})
    commodities = pd.DataFrame({"commodity": ["ox", "conc"], "element": ["Nd", ""]})
    kpi = pd.DataFrame({"scenario": ["s"], "commodity": ["ox"],
                        "self_sufficient_year": pd.array([2029], dtype="Int64")})
    builds = pd.DataFrame({"scenario": ["s", "s", "s"], "region": ["A", "A", "B"],
                           "process": ["mine", "sep", "sep"],
                           "online_year": [2026, 2029, 2031]})
    options = pd.DataFrame({"scenario": ["s", "s", "s"], "region": ["A", "A", "B"],
                            "process": ["mine", "sep", "sep"],
                            "earliest_online_year": [2025, 2029, 2027]})
    row = lead_time_stages(kpi, builds, options, io, processes, commodities,
                           2035).iloc[0]
    assert (row["stage"], row["region"], row["first_online_year"]) == (
        "separation", "A", 2029)
    # earliest separation anywhere is 2027 (B), so the first build (2029) was not
    # at its lead-time limit
    assert row["earliest_online_year"] == 2027
    assert not row["lead_time_binding"]
    assert row["element"] == "Nd"


def test_consecutive_years_merge_into_one_row_with_human_names() -> None:
    # capacity of the mine binds 2025-2027 (values 990, 990, 1020 → mean 1000) and
    # again in 2030 (a new run); the per-year export quota binds in 2026 only
    from model.report.excel.analysis import merged_limits
    limits = pd.DataFrame({
        "scenario": "s", "rank": range(1, 6),
        "limit": ["capacity"] * 4 + ["export quota"],
        "region": ["A"] * 4 + ["china"], "process": ["mine"] * 4 + [""],
        "commodity": [""] * 4 + ["ox"], "year": pd.array([2025, 2026, 2027, 2030,
                                                        2026], dtype="Int64"),
        "limit_t": [10.0, 10.0, 13.0, 10.0, 5.0],
        "value_usd_per_t": [990.0, 990.0, 1020.0, 400.0, 700.0],
        "money": "that year"})
    names = {"regions": {"A": "Alpha"}, "processes": {"mine": "Open-pit mine"},
             "commodities": {"ox": "An oxide"}}
    merged = merged_limits(limits, names)
    assert merged[["limit", "region", "process", "first_year", "last_year"]
                  ].values.tolist() == [
        ["capacity", "Alpha", "Open-pit mine", 2025, 2027],
        ["export quota", "china", "", 2026, 2026],
        ["capacity", "Alpha", "Open-pit mine", 2030, 2030]]
    assert merged["value_usd_per_t"].tolist() == pytest.approx([1000.0, 700.0, 400.0])
    assert merged["limit_t"].iat[0] == pytest.approx(11.0)  # (10 + 10 + 13) / 3
    assert merged["commodity"].iat[1] == "An oxide"
    assert merged["rank"].tolist() == [1, 2, 3]
