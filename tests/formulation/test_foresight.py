"""Foresight (MODEL-SPEC §8.2): with foresight none a scenario's decisions before
its shock year are its comparator's (compare_to, default the baseline)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.errors import InputError, SolveError
from model.formulation.foresight import foresight_fixed, pin_to_comparator
from model.pipeline import run_case
from model.scenario_run import solving_order
from model.solver.records import SolveOptions
from tests.helpers import china_and_local_mine, loaded_index, settings, write_case


def _case(foresight: str) -> dict[str, list[dict[str, object]]]:
    embargo = {"rule": "embargo", "target": "china", "from_year": 2026}
    return {
        **china_and_local_mine(settings(2025, 2027, foresight=foresight)),
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        # the baseline is listed last: it is solved first all the same
        "scenarios": [{"scenario": "embargo", "is_baseline": "false"},
                      {"scenario": "delays", "is_baseline": "false"},
                      {"scenario": "baseline", "is_baseline": "true"}],
        "scenario_rules": [
            {"scenario": "embargo", **embargo},
            {"scenario": "delays", **embargo},
            {"scenario": "delays", "rule": "lead_time_add", "target": "a",
             "field": "mining", "value": 1},
        ],
    }


def _per_scenario(t: dict, table: str, column: str, key: str) -> dict:
    frame = t[table]
    return {s: dict(zip(g[key], g[column], strict=True))
            for s, g in frame.groupby("scenario")}


def test_foresight_none_fixes_pre_shock_decisions_to_the_baseline(solve) -> None:
    # Demand 100 t/yr in a, 2025-27, rate 0, penalty 1000/t. China (cn) has 60 t/yr
    # at 10 USD/t, route to a free; a local mine in a: lead 1 (earliest online
    # 2026), capex 300/tpa over 30 years = annuity 10/tpa-yr, 20 USD/t.
    # Baseline: 2025 China 60, short 40 (nothing can be online yet); builds 40
    # online 2026 (decided 2025) so China 60 + local 40 = 100 in 2026 and 2027.
    # Cost (no penalty) 600 + 2 x (60 x 10 + 40 x (10 + 20)) = 4200.
    # embargo (China cut from 2026 = the shock year):
    #   perfect foresight (next test): 2025 as the baseline, 100 built online
    #     2026: 600 + 2 x 100 x 30 = 6600, short 40 in 2025 only.
    #   foresight none: 2025's activity and flows are the baseline's (China 60, 40
    #     short), and the build decided in 2025 is the baseline's: 40 online 2026.
    #     2026: 40 local, 60 short; 2027: 60 more built online 2027 (decided 2026,
    #     after the shock), 100 local. Cost 600 + 40 x 30 + 100 x 30 = 4800.
    # delays (the embargo, and +1 year lead on mining in a: lead 2):
    #   foresight none: the baseline's build decided in 2025 comes online 2025 + 2
    #   = 2027 with 40; every build online by 2027 was decided before 2026, so
    #   fixed: nothing online 2026 (short 100), 40 in 2027 (short 60).
    #   Cost 600 + 0 + 40 x 30 = 1800.
    t = solve(_case("none"))
    short = _per_scenario(t, "shortfall", "shortfall_t", "year")
    assert short["baseline"] == pytest.approx({2025: 40, 2026: 0, 2027: 0}, abs=1e-6)
    assert short["embargo"] == pytest.approx({2025: 40, 2026: 60, 2027: 0}, abs=1e-6)
    assert short["delays"] == pytest.approx({2025: 40, 2026: 100, 2027: 60}, abs=1e-6)
    builds = _per_scenario(t, "builds", "capacity_tpa", "online_year")
    assert builds["baseline"] == pytest.approx({2026: 40})
    assert builds["embargo"] == pytest.approx({2026: 40, 2027: 60})
    assert builds["delays"] == pytest.approx({2027: 40})
    cost = t["summary"].set_index("scenario")["total_cost_usd"].to_dict()
    assert cost == pytest.approx({"baseline": 4200, "embargo": 4800, "delays": 1800},
                                 rel=1e-9)


def test_perfect_foresight_builds_ahead_of_the_shock(solve) -> None:
    # The same case with foresight perfect (the default): embargo builds 100
    # online 2026, decided in 2025 knowing the embargo: short only 2025's 40;
    # cost 600 + 2 x 100 x 30 = 6600.
    t = solve(_case("perfect"), ["embargo"])
    short = _per_scenario(t, "shortfall", "shortfall_t", "year")
    assert short["embargo"] == pytest.approx({2025: 40, 2026: 0, 2027: 0}, abs=1e-6)
    builds = _per_scenario(t, "builds", "capacity_tpa", "online_year")
    assert builds["embargo"] == pytest.approx({2026: 100})
    cost = t["summary"].set_index("scenario")["total_cost_usd"].to_dict()
    assert cost["embargo"] == pytest.approx(6600, rel=1e-9)


def test_foresight_setting_is_checked(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", _case("myopic")))
    assert "settings.csv [settings] row 5, column value: foresight 'myopic' is not " \
           "one of perfect, none" in str(err.value)


def _compare_to_case() -> dict[str, list[dict[str, object]]]:
    tables = _case("none")
    half_china = {"rule": "scale", "target": "cn", "field": "capacity", "value": 0.5}
    # the dependent scenario is listed first: its comparator is solved first anyway
    tables["scenarios"] = [
        {"scenario": "embargo_small", "is_baseline": "false",
         "compare_to": "china_small"},
        {"scenario": "china_small", "is_baseline": "false"},
        {"scenario": "baseline", "is_baseline": "true"}]
    tables["scenario_rules"] = [
        {"scenario": "china_small", **half_china},
        {"scenario": "embargo_small", **half_china},
        {"scenario": "embargo_small", "rule": "embargo", "target": "china",
         "from_year": 2026}]
    return tables


def test_foresight_none_takes_the_decisions_of_compare_to(solve) -> None:
    # The case above with China's capacity halved (30 t/yr) in two scenarios.
    # china_small (no embargo or quota: shock year = base_year, nothing fixed):
    #   2025 China 30, short 70; builds 70 online 2026 (decided 2025); 2026-27
    #   China 30 + local 70. Cost 300 + 2 x (30 x 10 + 70 x 30) = 5100.
    # embargo_small (the same, embargo from 2026), compare_to china_small:
    #   2025's activity and flows are china_small's (China 30, short 70) and the
    #   build decided in 2025 is china_small's 70 online 2026. 2026: 70 local,
    #   short 30; 2027: 30 more online (decided 2026), 100 local.
    #   Cost 300 + 70 x 30 + 100 x 30 = 5400.
    # Against the baseline instead, 2025 would be fixed to China 60 t, above the
    # halved capacity: infeasible. So only the comparator's solution fits.
    t = solve(_compare_to_case())
    short = _per_scenario(t, "shortfall", "shortfall_t", "year")
    assert short["china_small"] == pytest.approx({2025: 70, 2026: 0, 2027: 0},
                                                 abs=1e-6)
    assert short["embargo_small"] == pytest.approx({2025: 70, 2026: 30, 2027: 0},
                                                   abs=1e-6)
    builds = _per_scenario(t, "builds", "capacity_tpa", "online_year")
    assert builds["china_small"] == pytest.approx({2026: 70})
    assert builds["embargo_small"] == pytest.approx({2026: 70, 2027: 30})
    cost = t["summary"].set_index("scenario")["total_cost_usd"].to_dict()
    assert cost == pytest.approx({"baseline": 4200, "china_small": 5100,
                                  "embargo_small": 5400}, rel=1e-9)


def test_solving_order_puts_comparators_first(tmp_path: Path) -> None:
    # embargo_small -> china_small -> baseline: a chain; each scenario after the
    # one it is compared with, the others in case order.
    tables = _compare_to_case()
    tables["scenarios"].insert(0, {"scenario": "late", "is_baseline": "false",
                                   "compare_to": "embargo_small"})
    case = load_case(write_case(tmp_path / "c", tables))
    names = ["late", "embargo_small", "china_small", "baseline"]
    assert solving_order(case, names) == ["baseline", "china_small",
                                          "embargo_small", "late"]


def _pins_tables() -> dict[str, list[dict[str, object]]]:
    """The first case with foresight none, plus a stockpile in a and a scenario
    quota: China's exports at most 50 t from 2026 (a shock that keeps the
    flows)."""
    tables = _case("none")
    tables["stockpiles"] = [{"region": "a", "commodity": "ox", "initial_t": 30,
                             "max_release_tpa": 30}]
    tables["scenarios"].append({"scenario": "quota", "is_baseline": "false"})
    tables["scenario_rules"].append({"scenario": "quota", "rule": "export_quota",
                                     "target": "china", "value": 50,
                                     "from_year": 2026})
    return tables


def _pins(scenario: str, online: tuple[int, ...] = (2026, 2027)
          ) -> tuple[dict, object]:
    """The variables ``pin_to_comparator`` fixes in ``scenario`` of
    ``_pins_tables``, given a comparator solution written by hand, keyed
    (variable, key of the variable's row) -> value; and a copy of the scenario's
    index (loaded once per process; a test may set the copy's ``pinned``).
    ``online``: the online years of the comparator's builds (40 t online 2026,
    5 t online 2027) it keeps."""
    ix = copy.copy(loaded_index(_pins_tables, scenario))
    builds = pd.DataFrame({"region": ["a", "a"], "process": ["local_mine"] * 2,
                           "online_year": [2026, 2027], "capacity_tpa": [40.0, 5.0],
                           "lead_time": [1, 1]})
    builds = builds[builds["online_year"].isin(online)]
    activity = pd.DataFrame({"region": ["cn", "cn"], "process": ["china_mine"] * 2,
                             "year": [2025, 2026], "activity_t": [60.0, 55.0]})
    flows = pd.DataFrame({"origin": ["cn"], "destination": ["a"],
                          "commodity": ["ox"], "year": [2026], "quantity_t": [55.0]})
    releases = pd.DataFrame({"region": ["a", "a"], "commodity": ["ox", "ox"],
                             "year": [2025, 2026], "release_t": [30.0, 0.0]})
    pinned = pin_to_comparator(ix, builds, activity, flows, releases)
    frames = {"act": (ix.act, ["region", "process", "year"]),
              "flow": (ix.flow, ["origin", "destination", "commodity", "year"]),
              "release": (ix.stock, ["region", "commodity", "year"]),
              "build": (ix.build, ["region", "process", "year"])}
    got = {}
    for k in pinned.itertuples(index=False):
        frame, keys = frames[k.variable]
        got[(k.variable, *frame[keys].iloc[k.position])] = k.value
    return got, ix


def test_foresight_none_pins_each_family_before_the_shock() -> None:
    # embargo: shock year 2026 (its embargo's from_year). Variables of 2025: the
    # Chinese mine's activity (the local mine, lead 1, has none before 2026),
    # the flow cn -> a and the release of a's stock. Their comparator values: 60,
    # none written for the 2025 flow (0, "0 where it has no such variable"), 30.
    # Builds: lead 1, so online 2026 was decided in 2025 < 2026: the
    # comparator's build decided in 2025 (online 2026, 40); online 2027 was
    # decided in 2026, free. Nothing of 2026 or later is pinned.
    got, ix = _pins("embargo")
    assert ix.shock_year == 2026
    assert got == {("act", "cn", "china_mine", 2025): 60.0,
                   ("flow", "cn", "a", "ox", 2025): 0.0,
                   ("release", "a", "ox", 2025): 30.0,
                   ("build", "a", "local_mine", 2026): 40.0}


def test_foresight_none_pins_nothing_of_the_shock_year() -> None:
    # quota: shock year 2026 (the quota's from_year). Unlike the embargo it keeps
    # the flow cn -> a in 2026 and later, but that flow (55 in the comparator)
    # is of the shock year: free. Pinned, as in the embargo scenario: the 2025
    # activity (60), flow (0: none written) and release (30), and the build
    # decided in 2025 (online 2026, 40).
    got, ix = _pins("quota")
    assert ix.shock_year == 2026
    assert got == {("act", "cn", "china_mine", 2025): 60.0,
                   ("flow", "cn", "a", "ox", 2025): 0.0,
                   ("release", "a", "ox", 2025): 30.0,
                   ("build", "a", "local_mine", 2026): 40.0}


def test_foresight_none_pins_builds_by_their_decision_year() -> None:
    # delays: lead 1 + 1 = 2 in a, so the build online 2027 was decided in 2025,
    # before the shock (2026): it takes the comparator's build decided in 2025,
    # 40 (online 2026 there, lead 1), not its build online 2027 (5, decided
    # 2026). The rest as in the embargo scenario.
    got, _ = _pins("delays")
    assert got == {("act", "cn", "china_mine", 2025): 60.0,
                   ("flow", "cn", "a", "ox", 2025): 0.0,
                   ("release", "a", "ox", 2025): 30.0,
                   ("build", "a", "local_mine", 2027): 40.0}


def test_a_build_the_comparator_did_not_decide_is_pinned_at_0() -> None:
    # As the embargo case, but the comparator built nothing decided in 2025
    # (only its 5 t online 2027): the build online 2026 here is still pinned,
    # at 0 ("0 where it has no such variable"), not left free.
    got, ix = _pins("embargo", online=(2027,))
    assert got[("build", "a", "local_mine", 2026)] == 0.0
    assert len(got) == 4
    # A comparator with no build at all, its table given by its column names
    # only (object columns, as pd.DataFrame(columns=...) makes them): the build
    # online 2026 here (decided 2025) is pinned at 0 all the same, as the only
    # build fixing.
    none = pd.DataFrame(columns=["region", "process", "online_year",
                                 "capacity_tpa", "lead_time"])
    no_rows = pd.DataFrame(columns=["region", "process", "year", "activity_t"])
    pinned = pin_to_comparator(ix, none, no_rows, pd.DataFrame(columns=[
        "origin", "destination", "commodity", "year", "quantity_t"]),
        pd.DataFrame(columns=["region", "commodity", "year", "release_t"]))
    builds = pinned[pinned["variable"] == "build"]
    assert list(builds["value"]) == [0.0]
    key = ix.build[["region", "process", "year"]].iloc[builds["position"].iloc[0]]
    assert tuple(key) == ("a", "local_mine", 2026)


def test_foresight_fixes_each_pinned_variable() -> None:
    # One fixing per pinned variable: variable family[position] = its value
    # (lower = upper bound), in the order of ix.pinned.
    _, ix = _pins("embargo")
    ix.pinned = pd.DataFrame({"variable": ["act", "release", "build"],
                              "position": [0, 0, 1], "value": [60.0, 30.0, 40.0]})
    fixed = foresight_fixed(ix)
    assert list(fixed.family) == ["act", "release", "build"]
    assert list(fixed.position) == [0, 0, 1]
    assert list(fixed.value) == [60.0, 30.0, 40.0]


def test_no_pinned_variable_no_fixing() -> None:
    _, ix = _pins("embargo")
    ix.pinned = pd.DataFrame()
    fixed = foresight_fixed(ix)
    assert len(fixed.family) == len(fixed.position) == len(fixed.value) == 0
    # the arrays keep the types declare.Fixed's readers index with (int64
    # positions, float values) when empty
    assert fixed.position.dtype == np.int64
    assert fixed.value.dtype == np.float64


def test_an_infeasible_fixing_is_named_as_a_foresight_fixing(tmp_path: Path) -> None:
    # The case above with embargo_small compared with the baseline: its 2025
    # decisions are the baseline's, China's mine running at 60 t (its full
    # capacity, 40 t short), but its China capacity is halved to 30 t. The fixing
    # act[cn, china_mine, 2025] = 60 and the capacity row act <= 30 contradict each
    # other, and nothing else does: those two are the whole subset, and the fixing
    # is named as a foresight fixing with the comparator's 60 t, not as a bound.
    tables = _compare_to_case()
    tables["scenarios"][0]["compare_to"] = "baseline"
    with pytest.raises(SolveError) as err:
        run_case(write_case(tmp_path / "c", tables), None, ["embargo_small"],
                 SolveOptions())
    text = err.value.explanation
    listed = [line for line in text.splitlines() if line.startswith("  - ")]
    key = "[region=cn, process=china_mine, year=2025]"
    assert listed[:2] == [
        f"  - constraint capacity_limit{key}: act{key}",
        f"  - foresight fixing of act{key} = 60 (the comparator's decision before "
        f"the shock year): act{key}"]
    assert "bound of" not in text
