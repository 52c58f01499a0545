"""``scenario_data`` (model/data/scenarios.py) on a loaded case, no solve: the data
each scenario's LP is built from, every value worked out by hand from the tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.case import Case
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
from tests.helpers import loaded_case, settings

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


def _tables() -> dict[str, list[dict[str, object]]]:
    return TABLES


@pytest.fixture
def case() -> Case:
    return loaded_case(_tables)  # loaded once per process, a new Case per test


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


def _no_capacity() -> dict[str, list[dict[str, object]]]:
    return {**TABLES, "capacity": [], "stockpiles": [],
            "expansion": [{"region": "c", "process": p, "max_new_tpa": 500}
                          for p in ("pit", "sep")]}


def test_no_capacity_table_gives_an_empty_frame() -> None:
    data = scenario_data(loaded_case(_no_capacity), "base")
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


def _blank_from_year() -> dict[str, list[dict[str, object]]]:
    # an embargo with a blank from_year (from base_year 2025) and a quota from
    # 2027: the first shock is 2025; a scale rule is no shock
    rules = [{"scenario": "shock", "rule": "embargo", "target": "china"},
             {"scenario": "shock", "rule": "export_quota", "target": "china",
              "value": 3, "from_year": 2027},
             {"scenario": "base", "rule": "scale", "field": "demand", "value": 2,
              "from_year": 2026}]
    return {**TABLES, "scenario_rules": rules}


def test_a_blank_from_year_makes_base_year_the_shock_year() -> None:
    case = loaded_case(_blank_from_year)
    assert shock_year(case, "shock") == 2025
    assert shock_year(case, "base") == 2025


def _small_scale() -> dict[str, list[dict[str, object]]]:
    return {**TABLES, "scenario_rules": [
        {"scenario": "base", "rule": "scale", "field": "demand", "target": "b",
         "value": 0.02}]}


def test_a_small_scaled_demand_is_kept() -> None:
    # b's 20 t × 0.02 = 0.4 t a year: more than 0, so kept (4 rows, 2025-2028)
    case = loaded_case(_small_scale)
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


def _family_tables() -> dict[str, list[dict[str, object]]]:
    return {**TABLES, "scenarios": FAMILY,
            "scenario_rules": [*TABLES["scenario_rules"], LATER]}


@pytest.fixture
def family() -> Case:
    return loaded_case(_family_tables)


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


# The frames no rule changes (``_shared_frames``), on the case above with every
# optional table they are made from, and a discount rate of 5 %:
# - scrap ``scr`` from ox: 0.5 of a tonne 2 years after delivery, 0.25 after 3;
# - deliveries before 2025: a 8 t of ox in 2023, b 100 t in 2020;
# - collection of scr: alliance (a, b) from 0.1 in base_year (start_year blank)
#   by 0.1 a year up to 0.5; a's own row 0.3 in every year (growth blank);
# - recipe sep2 (ore 2 -> ox 1) on sep's capacity, up to half of it, ready_year
#   blank;
# - offtake o1: a buys up to 5 t of ox a year from china at 50 USD/t from 2026;
# - price floor f1: a's ox at 60 USD/t until 2027, payer and max_tpa blank.
def _with_every_shared_table() -> dict[str, list[dict[str, object]]]:
    return {
        **TABLES,
        "settings": settings(2025, 2028, 0.05),
        "commodities": [*TABLES["commodities"],
                        {"commodity": "scr", "kind": "scrap",
                         "shortfall_penalty_usd_per_t": 1}],
        "processes": [*TABLES["processes"],
                      {"process": "sep2", "stage": "separation", "lead_time_years": 2,
                       "lifetime_years": 30, "variable_cost_usd_per_t": 3}],
        "process_io": [*TABLES["process_io"],
                       {"process": "sep2", "commodity": "ore", "direction": "in",
                        "coefficient": 2},
                       {"process": "sep2", "commodity": "ox", "direction": "out",
                        "coefficient": 1}],
        "recipes": [{"recipe": "sep2", "process": "sep", "max_share": 0.5}],
        "eol_lifetimes": [
            {"product": "ox", "scrap": "scr", "years_after": 2, "share": 0.5},
            {"product": "ox", "scrap": "scr", "years_after": 3, "share": 0.25}],
        "eol_history": [
            {"region": "a", "product": "ox", "year": 2023, "delivered_t": 8},
            {"region": "b", "product": "ox", "year": 2020, "delivered_t": 100}],
        "eol_collection": [
            {"scrap": "scr", "target": "alliance", "max_rate": 0.5,
             "start_rate": 0.1, "growth_per_year": 0.1},
            {"scrap": "scr", "target": "a", "max_rate": 0.3, "start_rate": 0.3}],
        "offtakes": [{"offtake": "o1", "buyer": "a", "seller": "china",
                      "commodity": "ox", "price_usd_per_t": 50, "max_tpa": 5,
                      "from_year": 2026}],
        "price_floors": [{"floor": "f1", "region": "a", "commodity": "ox",
                          "floor_usd_per_t": 60, "to_year": 2027}],
    }


def test_the_rule_free_frames_of_every_optional_table() -> None:
    data = scenario_data(loaded_case(_with_every_shared_table), "shock")
    assert data.discount_rate == 0.05
    # history: a's 8 t of 2023 release 8 × 0.5 = 4 t in 2025 and 8 × 0.25 = 2 t
    # in 2026; b's 100 t of 2020 release in 2022 and 2023, before the horizon
    assert data.eol_history.values.tolist() == [["a", "scr", 2025, 4.0],
                                                ["a", "scr", 2026, 2.0]]
    assert data.lifetimes.values.tolist() == [["ox", "scr", 2, 0.5],
                                              ["ox", "scr", 3, 0.25]]
    # a: its own row, 0.3 in every year; b: the alliance row, 0.1 + 0.1 × (y - 2025)
    ceilings = [(r.region, r.scrap, r.year, r.ceiling)
                for r in data.collection.itertuples()]
    assert ceilings == [("a", "scr", y, pytest.approx(0.3)) for y in range(2025, 2029)
                        ] + [("b", "scr", y, pytest.approx(0.1 * (y - 2024)))
                             for y in range(2025, 2029)]
    # the blank ready_year is base_year; no adoption limit (NaN)
    recipe = data.recipes.iloc[0]
    assert (recipe["recipe"], recipe["process"], recipe["ready_year"],
            recipe["max_share"]) == ("sep2", "sep", 2025, 0.5)
    assert pd.isna(recipe["adoption_per_year"])
    # o1: sellers = china's regions; min_tpa blank = 0; to_year blank = end_year
    assert data.offtakes.values.tolist() == [
        ["o1", "a", frozenset({"c"}), "ox", 50.0, 0.0, 5.0, 2026, 2028]]
    # f1: payer blank = its region, max_tpa blank = NaN, from_year = base_year
    floor = data.price_floors.iloc[0]
    assert (floor["floor"], floor["region"], floor["commodity"],
            floor["floor_usd_per_t"], floor["payer"], floor["from_year"],
            floor["to_year"]) == ("f1", "a", "ox", 60.0, "a", 2025, 2027)
    assert np.isnan(floor["max_tpa"])


# Observed values: c's pit ran 80 t in 2025 (tolerance 10 %); the china share of
# ox in 2026 was 0.95 for the buyers of the scope (region blank: a and b), with
# the default tolerance of 10 %.
def _calibrated() -> dict[str, list[dict[str, object]]]:
    return {**TABLES, "calibration": [
        {"year": 2025, "quantity": "activity", "region": "c", "process": "pit",
         "value": 80, "tolerance_pct": 10},
        {"year": 2026, "quantity": "china_share", "commodity": "ox", "value": 0.95}]}


def test_only_the_baseline_carries_the_calibration() -> None:
    case = loaded_case(_calibrated)
    # asked first, shock (not the baseline) gets no rows, and the baseline asked
    # of the same case after it still gets its own
    shock = scenario_data(case, "shock").calibration
    assert shock.empty and "low" in shock.columns and "high" in shock.columns
    rows = scenario_data(case, "base").calibration
    # activity: 80 × (1 ∓ 0.1) = 72 .. 88; share: 0.95 × 0.9 = 0.855 ..
    # min(0.95 × 1.1 = 1.045, 1) = 1
    assert [(r.row, r.quantity, r.regions, r.tolerance_pct) for r in rows.itertuples()
            ] == [(0, "activity", frozenset({"c"}), 10.0),
                  (1, "china_share", frozenset({"a", "b"}), 10.0)]
    assert rows["low"].tolist() == pytest.approx([72.0, 0.855])
    assert rows["high"].tolist() == pytest.approx([88.0, 1.0])
