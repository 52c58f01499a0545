"""``scenario_data`` (model/data/scenarios.py) on a loaded case, no solve: the data
each scenario's LP is built from, every value worked out by hand from the tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import Case, load_case
from model.data.scenarios import (
    all_scenario_names,
    baseline_name,
    probabilities,
    resolve_target,
    scenario_data,
    scenario_names,
    shock_year,
    without_inheritance,
)
from model.errors import InputError
from tests.helpers import settings, write_case

# Horizon 2025..2028. Regions a (alliance), b (alliance), c (china).
# Processes: pit (mining, lead 1) makes ore; sep (separation, lead 2) ore -> ox.
TABLES: dict[str, list[dict[str, object]]] = {
    "settings": settings(2025, 2028),
    "regions": [{"region": "a", "bloc": "alliance"},
                {"region": "b", "bloc": "alliance"},
                {"region": "c", "bloc": "china"}],
    "commodities": [
        {"commodity": "ore", "kind": "concentrate", "shortfall_penalty_usd_per_t": 9},
        {"commodity": "ox", "kind": "oxide", "reference_price_usd_per_t": 40,
         "shortfall_penalty_usd_per_t": 900},
    ],
    "processes": [
        {"process": "pit", "stage": "mining", "lead_time_years": 1,
         "lifetime_years": 30, "variable_cost_usd_per_t": 1},
        {"process": "sep", "stage": "separation", "lead_time_years": 2,
         "lifetime_years": 30, "variable_cost_usd_per_t": 2},
    ],
    "process_io": [
        {"process": "pit", "commodity": "ore", "direction": "out", "coefficient": 1},
        {"process": "sep", "commodity": "ore", "direction": "in", "coefficient": 1},
        {"process": "sep", "commodity": "ox", "direction": "out", "coefficient": 1},
    ],
    "capacity": [
        {"region": "c", "process": "pit", "capacity_tpa": 100},  # 2025..2028
        {"region": "c", "process": "sep", "capacity_tpa": 50, "retire_year": 2027},
        {"region": "c", "process": "sep", "capacity_tpa": 10},  # same key, summed
        {"region": "a", "process": "sep", "capacity_tpa": 40, "online_year": 2026},
    ],
    "ramp_up": [{"stage": "separation", "year_in_service": 1, "fraction": 0.5}],
    "expansion": [
        {"region": "a", "process": "pit", "max_new_tpa": 5},  # earliest 2025 + 1
        {"region": "a", "process": "sep", "max_new_tpa": 5},  # 2025 + 2
        {"region": "c", "process": "sep", "max_new_tpa": 5,
         "earliest_online_year": 2028},
    ],
    "demand": [
        {"region": "a", "commodity": "ox", "year": 2025, "demand_t": 10},
        {"region": "a", "commodity": "ox", "year": 2028, "demand_t": 40},
        {"region": "b", "commodity": "ox", "year": 2025, "demand_t": 20},
    ],
    "routes": [{"origin": "c", "destination": "a", "cost_usd_per_t": 1},
               {"origin": "c", "destination": "b", "cost_usd_per_t": 1}],
    "stockpiles": [
        {"region": "a", "commodity": "ox", "initial_t": 5},  # release cost: price
        {"region": "b", "commodity": "ox", "initial_t": 5,
         "release_cost_usd_per_t": 7},
    ],
    "build_limits": [
        {"stage": "separation", "target": "alliance", "max_new_tpa_per_year": 3},
        {"stage": "separation", "target": "alliance", "max_new_tpa_per_year": 4,
         "from_year": 2027},
        {"stage": "mining", "max_new_tpa_per_year": 6, "from_year": 2026},
    ],
    "scenarios": [{"scenario": "shock", "is_baseline": "false"},
                  {"scenario": "base", "is_baseline": "true"}],
    "scenario_rules": [
        {"scenario": "shock", "rule": "scale", "field": "demand", "target": "a",
         "value": 2, "from_year": 2026},
        {"scenario": "shock", "rule": "scale", "field": "demand", "value": 0,
         "target": "b"},
        {"scenario": "shock", "rule": "scale", "field": "capacity", "target": "china",
         "commodity": "ox", "value": 0.5, "from_year": 2026},
        {"scenario": "shock", "rule": "lead_time_add", "field": "separation",
         "target": "alliance", "value": 2},
        {"scenario": "shock", "rule": "embargo", "target": "china", "from_year": 2027},
        {"scenario": "shock", "rule": "export_quota", "target": "china", "value": 3,
         "from_year": 2026},
    ],
}


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return load_case(write_case(tmp_path / "c", TABLES))


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame.sort_values(columns[:3])[columns].itertuples(
        index=False)]


def test_names_baseline_and_shock_year(case: Case) -> None:
    assert scenario_names(case) == ["shock", "base"]  # in the table's order
    assert baseline_name(case) == "base"  # the flagged one, listed second
    assert scenario_data(case, "base").is_baseline
    assert not scenario_data(case, "shock").is_baseline
    # shock: the export quota from 2026 comes before the embargo from 2027
    assert shock_year(case, "shock") == 2026
    assert shock_year(case, "base") == 2025  # no rule: base_year


def test_demand_is_interpolated_then_scaled(case: Case) -> None:
    shock = scenario_data(case, "shock").demand
    # a: 10, 20, 30, 40 (linear 2025 -> 2028), ×2 from 2026: 10, 40, 60, 80;
    # b: 20 in every year, ×0: every row dropped (demand <= 0)
    assert _rows(shock, ["region", "commodity", "year", "demand_t"]) == [
        ("a", "ox", 2025, 10.0), ("a", "ox", 2026, 40.0), ("a", "ox", 2027, 60.0),
        ("a", "ox", 2028, 80.0)]
    assert list(shock.columns) == ["region", "commodity", "year", "demand_t"]
    assert shock.index.tolist() == [0, 1, 2, 3]  # renumbered after the drop
    base = scenario_data(case, "base").demand
    assert len(base) == 8 and base["demand_t"].sum() == 10 + 20 + 30 + 40 + 4 * 20


def test_existing_capacity_by_year_with_ramp_and_scale(case: Case) -> None:
    cols = ["region", "process", "year", "capacity_tpa", "usable_tpa"]
    base = scenario_data(case, "base").existing
    # a/sep online 2026 (after base_year): year 1 at 0.5, then 1;
    # c/pit 100 in every year; c/sep 50 + 10 until 2026 (retire 2027), then 10;
    # c/sep was online at base_year, so no ramp
    assert _rows(base, cols) == [
        ("a", "sep", 2026, 40.0, 20.0), ("a", "sep", 2027, 40.0, 40.0),
        ("a", "sep", 2028, 40.0, 40.0),
        ("c", "pit", 2025, 100.0, 100.0), ("c", "pit", 2026, 100.0, 100.0),
        ("c", "pit", 2027, 100.0, 100.0), ("c", "pit", 2028, 100.0, 100.0),
        ("c", "sep", 2025, 60.0, 60.0), ("c", "sep", 2026, 60.0, 60.0),
        ("c", "sep", 2027, 10.0, 10.0), ("c", "sep", 2028, 10.0, 10.0)]
    shock = scenario_data(case, "shock").existing
    # capacity × 0.5 in china from 2026 for processes that output ox (sep only):
    # c/sep 60, 30, 5, 5; c/pit (outputs ore) and a/sep (alliance) unchanged
    assert _rows(shock[shock["process"] == "sep"], cols) == [
        ("a", "sep", 2026, 40.0, 20.0), ("a", "sep", 2027, 40.0, 40.0),
        ("a", "sep", 2028, 40.0, 40.0),
        ("c", "sep", 2025, 60.0, 60.0), ("c", "sep", 2026, 30.0, 30.0),
        ("c", "sep", 2027, 5.0, 5.0), ("c", "sep", 2028, 5.0, 5.0)]
    assert shock[shock["process"] == "pit"]["capacity_tpa"].tolist() == [100.0] * 4


def test_no_capacity_table_gives_an_empty_frame(tmp_path: Path) -> None:
    tables = {**TABLES, "capacity": [], "stockpiles": [],
              "expansion": [{"region": "c", "process": p, "max_new_tpa": 500}
                            for p in ("pit", "sep")]}
    data = scenario_data(load_case(write_case(tmp_path / "c", tables)), "base")
    assert data.existing.empty
    assert list(data.existing.columns) == ["region", "process", "year",
                                           "capacity_tpa", "usable_tpa"]


def test_expansion_earliest_year_and_lead_time(case: Case) -> None:
    cols = ["region", "process", "earliest_online_year", "lead_time"]
    # base: a/pit 2025 + 1 = 2026, lead 1; a/sep 2025 + 2 = 2027, lead 2;
    # c/sep given 2028, lead 2
    assert _rows(scenario_data(case, "base").expansion, cols) == [
        ("a", "pit", 2026, 1), ("a", "sep", 2027, 2), ("c", "sep", 2028, 2)]
    # whole years, as integers (not floats that print as 2026.0)
    exp = scenario_data(case, "base").expansion
    assert exp["earliest_online_year"].dtype.kind == exp["lead_time"].dtype.kind == "i"
    # shock: +2 years for separation in the alliance only: a/sep 2029, lead 4
    assert _rows(scenario_data(case, "shock").expansion, cols) == [
        ("a", "pit", 2026, 1), ("a", "sep", 2029, 4), ("c", "sep", 2028, 2)]


def test_rule_effects_of_the_scenario_only(case: Case) -> None:
    fx = scenario_data(case, "shock").rules
    alliance = frozenset({"a", "b"})
    assert [(s.field, s.scope.regions, s.scope.commodity, s.scope.from_year, s.value)
            for s in fx.scales] == [
        ("demand", frozenset({"a"}), None, 2026, 2.0),
        ("demand", frozenset({"b"}), None, 2025, 0.0),  # blank from_year: base
        ("capacity", frozenset({"c"}), "ox", 2026, 0.5)]
    assert [(e.regions, e.from_year) for e in fx.embargoes] == [
        (frozenset({"c"}), 2027)]
    assert [(q.label, q.value) for q in fx.quotas] == [("china:all:2026", 3.0)]
    assert [(a.regions, a.stage, a.years) for a in fx.lead_adds] == [
        (alliance, "separation", 2)]
    base = scenario_data(case, "base").rules
    assert (base.scales, base.embargoes, base.quotas, base.lead_adds) == (
        [], [], [], [])


def test_build_limit_schedule(case: Case) -> None:
    frame = scenario_data(case, "base").build_limits
    # separation/alliance: 3 from 2025 until 2027, 4 from 2027 until 2029
    # (end_year + 1); mining, every region: 6 from 2026 to 2029
    assert [(r.limit, r.stage, r.regions, r.max_new_tpa_per_year, r.from_year,
             r.until_year) for r in frame.itertuples()] == [
        (0, "separation", frozenset({"a", "b"}), 3.0, 2025, 2027),
        (1, "separation", frozenset({"a", "b"}), 4.0, 2027, 2029),
        (2, "mining", None, 6.0, 2026, 2029)]
    assert str(frame["from_year"].dtype) == str(frame["until_year"].dtype) == "int64"


def test_stockpile_release_cost_defaults_to_the_reference_price(case: Case) -> None:
    stock = scenario_data(case, "base").stockpiles.set_index("region")
    assert stock["release_cost_usd_per_t"].to_dict() == {"a": 40.0, "b": 7.0}


def test_scenario_data_carries_the_case(case: Case) -> None:
    data = scenario_data(case, "base")
    assert (data.name, data.years, data.discount_rate) == (
        "base", [2025, 2026, 2027, 2028], 0.0)
    # the case's tables as loaded, passed on unchanged
    for name in ("regions", "commodities", "processes", "process_io", "reserves",
                 "routes"):
        pd.testing.assert_frame_equal(getattr(data, name), case.table(name))
    assert data.shock_year == 2025  # no rule in base: base_year
    assert scenario_data(case, "shock").shock_year == 2026
    assert data.processes_with_output("ore") == {"pit"}
    assert data.processes_with_output("ox") == {"sep"}
    # the separation curve applies to sep only
    assert data.ramp[["process", "year_in_service", "fraction"]].values.tolist() == [
        ["sep", 1, 0.5]]


def test_an_unknown_target_is_a_located_error(case: Case) -> None:
    with pytest.raises(InputError) as err:
        resolve_target(case, "atlantis")
    problem = err.value.problems[0]
    assert (problem.table, problem.column) == ("scenario_rules", "target")
    assert "atlantis" in str(problem)
    assert resolve_target(case, "") is None  # blank: every region


def test_a_blank_from_year_makes_base_year_the_shock_year(tmp_path: Path) -> None:
    # an embargo with a blank from_year (from base_year 2025) and a quota from
    # 2027: the first shock is 2025; a scale rule is no shock
    rules = [{"scenario": "shock", "rule": "embargo", "target": "china"},
             {"scenario": "shock", "rule": "export_quota", "target": "china",
              "value": 3, "from_year": 2027},
             {"scenario": "base", "rule": "scale", "field": "demand", "value": 2,
              "from_year": 2026}]
    case = load_case(write_case(tmp_path / "c", {**TABLES, "scenario_rules": rules}))
    assert shock_year(case, "shock") == 2025
    assert shock_year(case, "base") == 2025


def test_a_small_scaled_demand_is_kept(tmp_path: Path) -> None:
    # b's 20 t × 0.02 = 0.4 t a year: more than 0, so kept (4 rows, 2025-2028)
    rules = [{"scenario": "base", "rule": "scale", "field": "demand", "target": "b",
              "value": 0.02}]
    case = load_case(write_case(tmp_path / "c", {**TABLES, "scenario_rules": rules}))
    demand = scenario_data(case, "base").demand
    b = demand[demand["region"] == "b"]
    assert b["demand_t"].tolist() == pytest.approx([0.4] * 4)


# The scenarios again with probabilities, a child and a hedge-only one: shock
# (0.25), base (0.75), later (based on shock, one rule of its own, no
# probability) and stress (hedge_only, no probability, no rule).
FAMILY = [{"scenario": "shock", "is_baseline": "false", "probability": 0.25},
          {"scenario": "base", "is_baseline": "true", "probability": 0.75},
          {"scenario": "later", "is_baseline": "false", "based_on": "shock"},
          {"scenario": "stress", "is_baseline": "false", "hedge_only": "true"}]
LATER = {"scenario": "later", "rule": "scale", "field": "demand", "target": "a",
         "value": 3}
SHOCK_RULES = ["scale", "scale", "scale", "lead_time_add", "embargo", "export_quota"]


@pytest.fixture
def family(tmp_path: Path) -> Case:
    tables = {**TABLES, "scenarios": FAMILY,
              "scenario_rules": [*TABLES["scenario_rules"], LATER]}
    return load_case(write_case(tmp_path / "f", tables))


def test_all_scenario_names_include_the_hedge_only_ones(family: Case) -> None:
    assert all_scenario_names(family) == ["shock", "base", "later", "stress"]
    assert scenario_names(family) == ["shock", "base", "later"]


def test_probabilities_are_the_given_ones_in_case_order(family: Case,
                                                        case: Case) -> None:
    # later and stress have none; a case without the column has none at all
    given = probabilities(family)
    assert list(given.items()) == [("shock", 0.25), ("base", 0.75)]
    assert all(type(v) is float for v in given.values())
    assert probabilities(case) == {}


def test_without_inheritance_writes_each_scenarios_rules_out(family: Case) -> None:
    # shock's six rules (file order), then later's: shock's six inherited and its
    # own scale; base and stress have none. based_on is blank everywhere; the
    # case itself is left as it was, its other tables shared.
    flat = without_inheritance(family)
    rules = flat.table("scenario_rules")
    assert [(r.scenario, r.rule) for r in rules.itertuples()] == [
        *(("shock", r) for r in SHOCK_RULES),
        *(("later", r) for r in [*SHOCK_RULES, "scale"])]
    assert rules["value"].tolist()[-1] == 3
    assert flat.table("scenarios")["based_on"].tolist() == ["", "", "", ""]
    assert flat.table("scenarios")["scenario"].tolist() == [
        "shock", "base", "later", "stress"]
    assert family.table("scenarios")["based_on"].tolist() == ["", "", "shock", ""]
    assert len(family.table("scenario_rules")) == 7
    assert flat.table("demand") is family.table("demand")
    assert (flat.name, flat.settings, flat.input_hash) == (
        family.name, family.settings, family.input_hash)
