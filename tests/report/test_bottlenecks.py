"""Binding limits and their values, on one-node cases solvable by hand.

Common shape: one region, one commodity ``ox`` with penalty 1000 USD/t, a mine at
10 USD/t. Whenever a limit keeps 1 t of demand unmet, one more tonne of that limit
saves the penalty and costs the mine: 1000 - 10 = 990 USD (that year's money).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import run_case
from model.results.bottlenecks import (
    chain_pairs,
    lead_time_stages,
    supply_chain,
    supply_chains,
)
from tests.helpers import (cpu_seconds_at_most, mine, one_commodity, settings,
                           write_case)

REGIONS = [{"region": "A", "bloc": "alliance"}]


@pytest.fixture(autouse=True)
def _ends() -> Iterator[None]:
    """The walk up a supply chain ends: a test past 10 CPU s fails (each takes
    under 3, a solve and the imports of the first included)."""
    with cpu_seconds_at_most(10.0):
        yield


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
    assert list(limits["money"]) == ["that year", "that year"]
    assert list(limits["process"]) == ["mine", "mine"]
    assert list(limits["region"]) == ["A", "A"]
    assert list(limits["commodity"]) == ["", ""]


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
    assert limits["limit_t"].iat[0] == pytest.approx(12.0)  # the reserve
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


def test_per_year_build_limit_value_in_its_years_money(tmp_path: Path) -> None:
    # 10 % a year, 2025-2026, demand 10 t a year, at most 4 tpa online a year
    # (free, 30-year life): 4 built for 2025 and 4 for 2026, 6 and 2 t short. One
    # more tpa online in 2026 saves 990 in 2026 money; one more in 2025 serves
    # both years: 990 + 990 / 1.1 = 1890 in 2025 money.
    limits = solve(tmp_path, 0.1, 2026,
                   expansion=[{"region": "A", "process": "mine",
                               "max_new_tpa_per_year": 4}],
                   demand=[{"region": "A", "commodity": "ox", "year": 2025,
                            "demand_t": 10}])
    per_year = limits[limits["limit"] == "expansion per year"]
    values = dict(zip(per_year["year"], per_year["value_usd_per_t"], strict=True))
    assert values == pytest.approx({2025: 1890.0, 2026: 990.0})
    assert list(per_year["money"]) == ["that year", "that year"]
    assert per_year["limit_t"].tolist() == pytest.approx([4.0, 4.0])


def test_a_build_below_its_per_year_limit_is_not_reported(tmp_path: Path) -> None:
    # existing capacity 20 covers demand 10, so nothing is built: the build (capex
    # 50, limit 0.5 tpa a year) sits at 0 with a positive reduced cost, 0.5 t below
    # its limit; no limit binds (the capacity row has slack)
    proc, io = mine(cost=10.0, capex=50.0)
    case = write_case(tmp_path / "case", {
        "settings": settings(2025, 2025, 0.0), "regions": REGIONS,
        "commodities": one_commodity(penalty=1000.0), "processes": [proc],
        "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 20}],
        "expansion": [{"region": "A", "process": "mine",
                       "max_new_tpa_per_year": 0.5}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 10}],
    })
    assert run_case(case).tables["bottlenecks"].empty


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
    # an input no process makes (conc without its mine) ends the walk there
    assert supply_chain(io[io["process"] != "mine"], "oxide") == {"sep"}
    assert supply_chain(io, "water") == set()


def test_supply_chains_of_several_commodities_at_once() -> None:
    # the chains of test_supply_chain_follows_inputs_upstream, asked together (a
    # commodity asked twice is one key): magnet <- mag <- metal <- smelt <- oxide
    # <- sep <- conc <- mine; oxide: sep, mine; water: no process makes it
    io = pd.DataFrame([("mag", "metal", "in"), ("mag", "magnet", "out"),
                       ("smelt", "oxide", "in"), ("smelt", "metal", "out"),
                       ("sep", "conc", "in"), ("sep", "oxide", "out"),
                       ("mine", "conc", "out"), ("other", "dy", "out")],
                      columns=["process", "commodity", "direction"])
    assert supply_chains(io, ["oxide", "magnet", "water", "oxide"]) == {
        "oxide": {"sep", "mine"}, "magnet": {"mag", "smelt", "sep", "mine"},
        "water": set()}
    # one (commodity, process) row per process of each chain, processes by name
    pairs = chain_pairs(io, ["oxide", "water", "dy"])
    assert pairs.values.tolist() == [["oxide", "mine"], ["oxide", "sep"],
                                     ["dy", "other"]]


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


IO = pd.DataFrame([("mine", "conc", "out"), ("sep", "conc", "in"), ("sep", "ox", "out"),
                   ("other", "dy", "out")],
                  columns=["process", "commodity", "direction"])
PROCESSES = pd.DataFrame({"process": ["mine", "sep", "other"],
                          "stage": ["mining", "separation", "mining"]})
COMMODITIES = pd.DataFrame({"commodity": ["ox", "dy", "conc"],
                            "element": ["Nd", "Dy", ""]})


def _lead(kpi_rows: list[tuple], builds: list[tuple], options: list[tuple],
          end_year: int = 2035) -> pd.DataFrame:
    kpi = pd.DataFrame(kpi_rows, columns=["scenario", "commodity",
                                          "self_sufficient_year"])
    kpi["self_sufficient_year"] = kpi["self_sufficient_year"].astype("Int64")
    built = pd.DataFrame(builds, columns=["scenario", "region", "process",
                                          "online_year"])
    opts = pd.DataFrame(options, columns=["scenario", "region", "process",
                                          "earliest_online_year"])
    return lead_time_stages(kpi, built, opts, IO, PROCESSES, COMMODITIES, end_year)


def test_lead_time_row_names_process_and_region_of_the_first_build() -> None:
    # ox's chain is mine -> sep. Separation's builds: B/sep 2028 and A/sep 2028;
    # the first of the stage by (year, region, process) is A/sep. Mining comes
    # online in 2027, before it: separation is the last stage (2028). Its earliest
    # year anywhere is 2028 (A), so the lead time binds. The build of 'other'
    # (not in ox's chain) online in 2030 and scenario t's build are ignored.
    frame = _lead([("s", "ox", 2028)],
                  [("s", "B", "sep", 2028), ("s", "A", "sep", 2028),
                   ("s", "A", "mine", 2027), ("s", "A", "other", 2030),
                   ("t", "A", "sep", 2031)],
                  [("s", "A", "sep", 2028), ("s", "B", "sep", 2029),
                   ("s", "A", "mine", 2026), ("t", "A", "sep", 2020)])
    row = frame.iloc[0]
    assert (row["scenario"], row["commodity"], row["element"], row["stage"],
            row["process"], row["region"]) == ("s", "ox", "Nd", "separation", "sep",
                                               "A")
    assert (row["self_sufficient_year"], row["first_online_year"],
            row["earliest_online_year"]) == (2028, 2028, 2028)
    assert bool(row["lead_time_binding"])
    assert list(frame.columns) == [
        "scenario", "commodity", "element", "self_sufficient_year", "stage",
        "process", "region", "first_online_year", "earliest_online_year",
        "lead_time_binding", "friction", "friction_stage"]


def test_lead_time_ignores_builds_after_the_self_sufficient_year() -> None:
    # self-sufficient from 2027: only mining's 2026 build counts (sep's 2029 comes
    # later); mining could have come online in 2025, so the lead time does not bind
    frame = _lead([("s", "ox", 2027)],
                  [("s", "A", "mine", 2026), ("s", "A", "sep", 2029)],
                  [("s", "A", "mine", 2025), ("s", "A", "sep", 2027)])
    row = frame.iloc[0]
    assert (row["stage"], row["process"], row["first_online_year"],
            row["earliest_online_year"]) == ("mining", "mine", 2026, 2025)
    assert not bool(row["lead_time_binding"])


def test_lead_time_never_self_sufficient_runs_to_the_end_year() -> None:
    # never self-sufficient: builds up to end_year 2030 count, so sep (2030) is the
    # last stage; a build in 2031 (after the horizon's end) would not count
    frame = _lead([("s", "ox", None)],
                  [("s", "A", "mine", 2026), ("s", "A", "sep", 2030)],
                  [("s", "A", "mine", 2025), ("s", "A", "sep", 2030)], end_year=2030)
    row = frame.iloc[0]
    assert pd.isna(row["self_sufficient_year"])
    assert (row["stage"], row["first_online_year"]) == ("separation", 2030)
    later = _lead([("s", "ox", None)], [("s", "A", "sep", 2031)],
                  [("s", "A", "sep", 2026)], end_year=2030).iloc[0]
    assert later["stage"] == "" and pd.isna(later["first_online_year"])


def test_lead_time_stages_tie_goes_to_the_later_stage_name() -> None:
    # mining and separation both first online in 2028: ordered by (year, stage),
    # the last row is 'separation'
    frame = _lead([("s", "ox", 2028)],
                  [("s", "A", "sep", 2028), ("s", "A", "mine", 2028)],
                  [("s", "A", "sep", 2027), ("s", "A", "mine", 2028)])
    assert frame.iloc[0]["stage"] == "separation"
    assert frame.iloc[0]["earliest_online_year"] == 2027


def test_lead_time_stages_of_several_rows_in_one_call() -> None:
    # Three kpi rows in one call; each sees only its scenario and its chain.
    # s/ox (chain mine -> sep), met 2028: s's builds mine 2026, sep 2028, so
    # separation is last (A, 2028); s's earliest separation is 2027, not bound.
    # t/ox, met 2030: t's builds sep B 2027, mine A 2029: mining is last (2029);
    # t's earliest mining is 2029: bound (t's sep option of 2024 is another stage).
    # s/dy (chain: other, stage mining), met 2027: other A 2026; its earliest is
    # other's 2026: bound. mine's 2025 option is mining too but not dy's chain
    # (were it counted, the earliest would be 2025 and the lead time not bound).
    frame = _lead([("s", "ox", 2028), ("t", "ox", 2030), ("s", "dy", 2027)],
                  [("s", "A", "mine", 2026), ("s", "A", "sep", 2028),
                   ("t", "B", "sep", 2027), ("t", "A", "mine", 2029),
                   ("s", "A", "other", 2026)],
                  [("s", "A", "mine", 2025), ("s", "A", "sep", 2027),
                   ("t", "B", "sep", 2027), ("t", "A", "mine", 2029),
                   ("s", "A", "other", 2026), ("t", "A", "sep", 2024)])
    assert frame[["scenario", "commodity", "element", "stage", "process", "region"]
                 ].values.tolist() == [
        ["s", "ox", "Nd", "separation", "sep", "A"],
        ["t", "ox", "Nd", "mining", "mine", "A"],
        ["s", "dy", "Dy", "mining", "other", "A"]]
    assert frame["first_online_year"].tolist() == [2028, 2029, 2026]
    assert frame["earliest_online_year"].tolist() == [2027, 2029, 2026]
    assert frame["lead_time_binding"].tolist() == [False, True, True]


def test_no_new_capacity_leaves_the_stage_blank() -> None:
    # dy is made by 'other' with nothing built: one row, blank stage and process
    frame = _lead([("s", "dy", 2025)], [("s", "A", "sep", 2026)],
                  [("s", "A", "sep", 2026)])
    row = frame.iloc[0]
    assert (row["element"], row["stage"], row["process"], row["region"]) == (
        "Dy", "", "", "")
    assert pd.isna(row["first_online_year"]) and pd.isna(row["lead_time_binding"])
    assert str(frame["first_online_year"].dtype) == "Int64"
    # yes / no / blank, written as such (not 1.0 / 0.0 / NaN)
    assert str(frame["lead_time_binding"].dtype) == "boolean"


def test_quota_over_all_commodities_from_a_later_year(tmp_path: Path) -> None:
    # as test_export_quota_value, the quota's commodity blank (all commodities):
    # 5 t exported, 5 t short in B, one more tonne of quota saves 990. At a 10 %
    # rate the 2026 row is in 2026 money: still 990. The quota is labelled
    # target:all:from_year; its row's commodity is its flows' one commodity, ox.
    proc, io = mine(cost=10.0)
    case = write_case(tmp_path / "case", {
        "settings": settings(2025, 2026, 0.1),
        "regions": [{"region": "A", "bloc": "partner"},
                    {"region": "B", "bloc": "alliance"}],
        "commodities": one_commodity(penalty=1000.0), "processes": [proc],
        "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "B", "commodity": "ox", "year": 2025, "demand_t": 10}],
        "routes": [{"origin": "A", "destination": "B", "cost_usd_per_t": 0}],
        "scenario_rules": [{"scenario": "baseline", "rule": "export_quota",
                            "target": "A", "value": 5, "from_year": 2026}],
    })
    limits = run_case(case).tables["bottlenecks"]
    assert list(limits["limit"]) == ["export quota"]
    assert limits["year"].tolist() == [2026]
    assert limits["value_usd_per_t"].tolist() == pytest.approx([990.0])
    assert limits["limit_t"].tolist() == pytest.approx([5.0])
    assert limits["region"].tolist() == ["A:all:2026"]
    assert limits["commodity"].tolist() == ["ox"]
    assert limits["process"].tolist() == [""]
    assert limits["money"].tolist() == ["that year"]
    assert limits["rank"].tolist() == [1]
    assert limits["scenario"].tolist() == ["baseline"]
