"""The row check of each scenario rule kind (model/data/rules.py), through
``load_case``: a bad ``scenario_rules`` row gives the located error, a good one
loads. And the rules' effects on small frames, each worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.data.rules import LeadAdd, RuleEffects, RULES, ScaleRule, Scope
from model.data.rules import earliest_online, embargoed, rule_problems, scale_factor
from model.errors import InputError
from tests.helpers import mine, one_commodity, settings, write_case

AT = "scenario_rules.csv [scenario_rules] row 2, column "


def _tables(rule: dict[str, object]) -> dict:
    proc, out = mine()
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "c", "bloc": "china"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "c", "process": "mine", "capacity_tpa": 40}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 5}],
        "routes": [{"origin": "c", "destination": "a", "cost_usd_per_t": 1}],
        "scenario_rules": [{"scenario": "baseline", **rule}],
    }


def _problems(tmp_path: Path, rule: dict[str, object]) -> list[str]:
    """The located problems of the one rule row (the case is otherwise valid)."""
    try:
        load_case(write_case(tmp_path / "c", _tables(rule)))
    except InputError as err:
        # the message from the file name on (the folder is pytest's)
        return [str(p)[str(p).index("scenario_rules.csv"):] for p in err.problems
                if "scenario_rules" in str(p)]
    return []


BAD_ROWS = [
    # (row, the messages expected, each written out from the check's f-string)
    ({"rule": "embargo"},
     [AT + "target: rule 'embargo' needs a target region or bloc"]),
    ({"rule": "export_quota", "value": 5},
     [AT + "target: rule 'export_quota' needs a target region or bloc"]),
    ({"rule": "export_quota", "target": "china"},
     [AT + "value: rule 'export_quota' needs a value"]),
    ({"rule": "export_quota", "target": "china", "value": -5},
     [AT + "value: -5 is out of range (expected a number >= 0)"]),
    # both problems of one row in one pass: target first, then value
    ({"rule": "export_quota"},
     [AT + "target: rule 'export_quota' needs a target region or bloc",
      AT + "value: rule 'export_quota' needs a value"]),
    ({"rule": "scale", "field": "demand"},
     [AT + "value: rule 'scale' needs a value"]),
    ({"rule": "scale", "field": "demand", "value": -0.5},
     [AT + "value: -0.5 is out of range (expected a number >= 0)"]),
    ({"rule": "scale", "field": "demnd", "value": 2},
     [AT + "field: 'demnd' is not a scale field (expected one of: demand, capex, "
      "variable_cost, capacity, route_cost, penalty); did you mean 'demand'?"]),
    ({"rule": "lead_time_add", "field": "mining"},
     [AT + "value: rule 'lead_time_add' needs a value"]),
    ({"rule": "lead_time_add", "field": "minng", "value": 1},
     [AT + "field: unknown stage 'minng'; did you mean 'mining'?"]),
    ({"rule": "lead_time_add", "field": "mining", "value": 1.5},
     [AT + "value: '1.5' is not a whole number of years"]),
    # a missing value is one problem, not also "not a whole number"
    ({"rule": "lead_time_add"}, [AT + "value: rule 'lead_time_add' needs a value"]),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS,
                         ids=[f"{r['rule']}-{i}" for i, (r, _) in enumerate(BAD_ROWS)])
def test_a_bad_rule_row_gives_its_located_error(tmp_path: Path, row: dict,
                                                expected: list[str]) -> None:
    problems = _problems(tmp_path, row)
    assert problems == expected


GOOD_ROWS = [
    {"rule": "embargo", "target": "china"},
    {"rule": "export_quota", "target": "china", "value": 0},  # 0 is in range
    {"rule": "scale", "field": "penalty", "value": 0},
    # lead_time_add may be negative (nonnegative=False), blank stage = every stage
    {"rule": "lead_time_add", "value": -1},
    {"rule": "lead_time_add", "field": "mining", "value": 2},
]


@pytest.mark.parametrize("row", GOOD_ROWS, ids=[r["rule"] for r in GOOD_ROWS])
def test_a_good_rule_row_loads(tmp_path: Path, row: dict) -> None:
    assert _problems(tmp_path, row) == []


def _row(**values: object) -> object:
    base = {"rule": "x", "target": "t", "commodity": None, "field": "", "value": 1.0,
            "from_year": 2030}
    return pd.DataFrame([{**base, **values}]).itertuples(index=False).__next__()


def test_each_kind_records_its_effect() -> None:
    fx = RuleEffects()
    scope = Scope(frozenset({"c"}), "ox", 2030)
    RULES["embargo"].apply(fx, _row(rule="embargo"), scope)
    RULES["export_quota"].apply(fx, _row(rule="export_quota", commodity="ox", value=7),
                                scope)
    RULES["scale"].apply(fx, _row(rule="scale", field="capex", value=2), scope)
    RULES["lead_time_add"].apply(fx, _row(rule="lead_time_add", value=3), scope)
    RULES["lead_time_add"].apply(fx, _row(rule="lead_time_add", field="mining",
                                          value=1), scope)
    assert fx.embargoes == [scope]
    # label: target, commodity (or 'all'), first year
    assert [(q.label, q.value) for q in fx.quotas] == [("t:ox:2030", 7.0)]
    assert fx.scales == [ScaleRule("capex", scope, 2.0)]
    # a blank stage is None (every stage); years are whole
    assert fx.lead_adds == [LeadAdd(frozenset({"c"}), None, 3),
                            LeadAdd(frozenset({"c"}), "mining", 1)]
    RULES["export_quota"].apply(fx, _row(rule="export_quota", commodity=None), scope)
    assert fx.quotas[-1].label == "t:all:2030"


FRAME = pd.DataFrame({"region": ["a", "c", "c", "c"], "year": [2030, 2029, 2030, 2031],
                      "commodity": ["ox", "ox", "ox", "met"]})


def test_scale_factor_multiplies_matching_rows_only() -> None:
    rules = [
        ScaleRule("capex", Scope(frozenset({"c"}), None, 2030), 2.0),  # rows 2, 3
        ScaleRule("capex", Scope(None, "ox", 2000), 3.0),  # rows 0, 1, 2
        ScaleRule("demand", Scope(None, None, 2000), 5.0),  # another field
    ]
    got = scale_factor(rules, "capex", FRAME, "region", "year")
    # row 0: 3; row 1: 3 (2029 < 2030 for the first rule); row 2: 2 × 3; row 3: 2
    assert got.tolist() == [3.0, 3.0, 6.0, 2.0]
    # region c, commodity ox, from 2030: row 2 only
    assert scale_factor([ScaleRule("capex", Scope(frozenset({"c"}), "ox", 2030), 7.0)],
                        "capex", FRAME, "region", "year").tolist() == [
        1.0, 1.0, 7.0, 1.0]
    # a commodity match given by the caller replaces the commodity column
    only_last = scale_factor(rules[1:2], "capex", FRAME, "region", "year",
                             lambda c: np.array([False, False, False, True]))
    assert only_last.tolist() == [1.0, 1.0, 1.0, 3.0]


def test_embargo_blocks_border_crossings_from_its_year() -> None:
    flows = pd.DataFrame({"origin": ["c", "a", "a", "c", "c"],
                          "destination": ["a", "c", "a", "c", "a"],
                          "year": [2030, 2030, 2030, 2030, 2029],
                          "commodity": ["ox", "ox", "ox", "ox", "ox"]})
    # out of c, into c: blocked; a→a, c→c: inside or outside only; 2029: before
    assert embargoed([Scope(frozenset({"c"}), None, 2030)], flows).tolist() == [
        True, True, False, False, False]
    # an embargo on ox (every flow here is ox) blocks the same flows
    assert embargoed([Scope(frozenset({"c"}), "ox", 2030)], flows).tolist() == [
        True, True, False, False, False]
    # several embargoes block what any of them blocks (the second blocks nothing)
    assert embargoed([Scope(frozenset({"c"}), None, 2030),
                      Scope(frozenset({"a"}), "met", 2000)], flows).tolist() == [
        True, True, False, False, False]
    # another commodity's embargo blocks nothing here
    assert not embargoed([Scope(frozenset({"c"}), "met", 2000)], flows).any()
    # no embargo: nothing blocked
    assert embargoed([], flows).tolist() == [False] * 5


def test_earliest_online_adds_years_by_region_and_stage() -> None:
    regions = pd.Series(["a", "c", "c"])
    stages = pd.Series(["mining", "mining", "refining"])
    earliest = pd.Series([2026, 2027, 2028])
    adds = [LeadAdd(frozenset({"c"}), "mining", 2), LeadAdd(None, None, 1)]
    # row 0: +1 (every region and stage); row 1: +2 +1; row 2: +1 (refining)
    assert earliest_online(regions, stages, earliest, adds).tolist() == [
        2027, 2030, 2029]
    # every region, one stage: refining only (row 2)
    assert earliest_online(regions, stages, earliest,
                           [LeadAdd(None, "refining", 5)]).tolist() == [
        2026, 2027, 2033]
    # a region-wide add on every stage
    assert earliest_online(regions, stages, earliest,
                           [LeadAdd(frozenset({"a"}), None, 4)]).tolist() == [
        2030, 2027, 2028]


def test_region_mask_is_a_writable_copy() -> None:
    mask = Scope(frozenset({"c"}), None, 0).region_mask(pd.Series(["a", "c"]))
    mask &= np.array([True, False])  # the caller narrows it in place
    assert mask.tolist() == [False, False]
    everywhere = Scope(None, None, 0).region_mask(pd.Series(["a", "c"]))
    assert everywhere.dtype == bool and everywhere.tolist() == [True, True]


def test_a_rule_of_no_known_kind_has_no_row_problems() -> None:
    # the schema refuses an unknown rule name (its 'allowed' list) before this
    # check; rule_problems itself leaves such a row alone
    assert rule_problems(_row(rule="bogus", value=float("nan")), set()) == []
    assert rule_problems(_row(rule="embargo", target=""), set()) == [
        ("target", "rule 'embargo' needs a target region or bloc")]
