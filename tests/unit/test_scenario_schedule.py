"""The run's scenarios with HiGHS in solver threads of its own
(model/scenario_schedule.py): the same results as solved one after the other, one
or several scenarios at a time; the next LP built while HiGHS solves; two solves
at once; failures recorded where they happen."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd
import pytest

from model import scenario_schedule
from model.data.case import load_case
from model.errors import SolveError
from model.scenario_run import comparator_of, solve_scenario, solving_order
from model.scenario_schedule import default_at_once, solve_scenarios
from model.solver.records import SolveOptions
from model.timing import PhaseTimer
from tests.helpers import china_and_local_mine, settings, write_case

EMBARGO = {"rule": "embargo", "target": "china", "from_year": 2026}


def _tables(foresight: str) -> dict[str, list[dict[str, object]]]:
    """``china_and_local_mine`` with demand 100 t in 2025 and 2027, an embargo
    from 2026 in three scenarios; ``later`` takes ``embargo``'s early
    decisions (compare_to), the others the baseline's."""
    return {
        **china_and_local_mine(settings(2025, 2028, foresight=foresight)),
        "demand": [{"region": "a", "commodity": "ox", "year": y, "demand_t": 100}
                   for y in (2025, 2027)],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"},
                      {"scenario": "embargo", "is_baseline": "false"},
                      {"scenario": "later", "is_baseline": "false",
                       "compare_to": "embargo"},
                      {"scenario": "delays", "is_baseline": "false"}],
        "scenario_rules": [
            {"scenario": "embargo", **EMBARGO}, {"scenario": "later", **EMBARGO},
            {"scenario": "later", "rule": "scale", "target": "a", "field": "demand",
             "value": 1.5},
            {"scenario": "delays", **EMBARGO},
            {"scenario": "delays", "rule": "lead_time_add", "target": "a",
             "field": "mining", "value": 1}],
    }


@pytest.mark.parametrize("at_once", [1, 2, 4])
@pytest.mark.parametrize("foresight", ["none", "perfect"])
def test_same_tables_as_solved_one_after_the_other(tmp_path: Path, foresight: str,
                                                   at_once: int) -> None:
    # The reference is the one-thread path: solve_scenario for each scenario in
    # solving_order, each given its solved comparator. Every table of every
    # scenario must be the same frame (values, order, dtypes), however many
    # scenarios HiGHS solves at the same time.
    case = load_case(write_case(tmp_path / "case", _tables(foresight)))
    names = ["baseline", "embargo", "later", "delays"]
    options = SolveOptions()
    reference: dict[str, object] = {}
    for name in solving_order(case, names):
        reference[name] = solve_scenario(case, name, options, PhaseTimer(),
                                         reference.get(comparator_of(case, name)))
    results, failures = solve_scenarios(case, names, options, PhaseTimer(),
                                        at_once=at_once)
    assert failures == []
    assert sorted(results) == sorted(names)
    for name in names:
        mine_, theirs = results[name], reference[name]
        assert mine_.objective == theirs.objective  # type: ignore[attr-defined]
        assert mine_.tables.keys() == theirs.tables.keys()  # type: ignore[attr-defined]
        for table, frame in mine_.tables.items():
            pd.testing.assert_frame_equal(frame, theirs.tables[table])  # type: ignore[attr-defined]


def test_next_lp_is_built_while_highs_solves(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # With foresight perfect no scenario waits for another, so the algorithm
    # builds scenario k+1 in the main thread right after handing scenario k to
    # the solver thread. The wrapped solve of k waits (up to 60 s) for the build
    # of k+1 to begin: it begins, so the two overlapped; the last has no next.
    case = load_case(write_case(tmp_path / "case", _tables("perfect")))
    names = ["baseline", "embargo", "later", "delays"]
    began = {name: threading.Event() for name in names}
    threads: dict[str, set[str]] = {"build": set(), "solve": set()}
    overlapped: list[str] = []
    build, solve = scenario_schedule.prepare_scenario, scenario_schedule.solve_prepared

    def building(case_, name, *args, **kwargs):
        threads["build"].add(threading.current_thread().name)
        began[name].set()
        return build(case_, name, *args, **kwargs)

    def solving(case_, name, *args, **kwargs):
        threads["solve"].add(threading.current_thread().name)
        solution = solve(case_, name, *args, **kwargs)
        following = names.index(name) + 1
        if following < len(names) and began[names[following]].wait(60):
            overlapped.append(name)
        return solution

    monkeypatch.setattr(scenario_schedule, "prepare_scenario", building)
    monkeypatch.setattr(scenario_schedule, "solve_prepared", solving)
    results, failures = solve_scenarios(case, names, SolveOptions(), PhaseTimer())
    assert failures == [] and sorted(results) == sorted(names)
    assert overlapped == ["baseline", "embargo", "later"]
    assert threads == {"build": {threading.main_thread().name},
                       "solve": {"reroute-highs"}}


@pytest.mark.parametrize("at_once", [1, 2])
def test_a_failed_solve_fails_the_scenarios_that_take_its_decisions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: int) -> None:
    # embargo's solve raises; under foresight none `later` takes embargo's early
    # decisions, so it cannot be built ("no comparator solution",
    # pin_early_decisions); baseline and delays are solved. on_solved hears of
    # every scenario once, failures in the order they happened, one scenario
    # solved at a time or two.
    case = load_case(write_case(tmp_path / "case", _tables("none")))
    solve = scenario_schedule.solve_prepared

    def solving(case_, name, *args, **kwargs):
        if name == "embargo":
            raise SolveError(name, "numerical trouble or solver error", "test")
        return solve(case_, name, *args, **kwargs)

    monkeypatch.setattr(scenario_schedule, "solve_prepared", solving)
    told: list[tuple[str, str]] = []
    results, failures = solve_scenarios(
        case, ["baseline", "embargo", "later", "delays"], SolveOptions(),
        PhaseTimer(), lambda name, status, seconds: told.append((name, status)),
        at_once)
    assert sorted(results) == ["baseline", "delays"]
    assert [(f.scenario, f.condition) for f in failures] == [
        ("embargo", "numerical trouble or solver error"),
        ("later", "no comparator solution")]
    assert sorted(told) == sorted([("baseline", "optimal"), ("delays", "optimal"),
                                   ("embargo", "numerical trouble or solver error"),
                                   ("later", "no comparator solution")])


def test_waiting_scenario_lets_the_next_go_first(tmp_path: Path) -> None:
    # solving_order is baseline, embargo, later (its comparator embargo), delays.
    # When embargo is handed to HiGHS, later must wait for embargo's tables, so
    # delays (comparator: the baseline, read by then) is built and solved first:
    # the order HiGHS sees is baseline, embargo, delays, later.
    case = load_case(write_case(tmp_path / "case", _tables("none")))
    names = ["baseline", "embargo", "later", "delays"]
    assert solving_order(case, names) == names
    told: list[str] = []
    solve_scenarios(case, names, SolveOptions(), PhaseTimer(),
                    lambda name, status, seconds: told.append(name))
    assert told == ["baseline", "embargo", "delays", "later"]


def test_two_scenarios_are_solved_at_the_same_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With foresight perfect no scenario waits for another, so with at_once=2 the
    # first two scenarios are handed to two solver threads before either is done.
    # The wrapped solve waits (up to 60 s) until two solves are in progress
    # together: it times out unless they overlap. Never more than two at once;
    # the solves ran in the two threads reroute-highs-1 and -2.
    case = load_case(write_case(tmp_path / "case", _tables("perfect")))
    names = ["baseline", "embargo", "later", "delays"]
    solve = scenario_schedule.solve_prepared
    lock, both = threading.Lock(), threading.Event()
    state = {"now": 0, "most": 0}
    threads: set[str] = set()

    def solving(case_, name, *args, **kwargs):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            threads.add(threading.current_thread().name)
            if state["now"] == 2:
                both.set()
        try:
            if name in names[:2]:
                assert both.wait(60), "the first two solves did not overlap"
            return solve(case_, name, *args, **kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(scenario_schedule, "solve_prepared", solving)
    results, failures = solve_scenarios(case, names, SolveOptions(), PhaseTimer(),
                                        at_once=2)
    assert failures == [] and sorted(results) == sorted(names)
    assert state["most"] == 2
    assert threads == {"reroute-highs-1", "reroute-highs-2"}


def test_by_default_one_scenario_per_core_for_its_threads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Four cores: 4 // threads scenarios at once, never fewer than one.
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3},
                        raising=False)
    assert [default_at_once(t) for t in (1, 2, 3, 4, 8)] == [4, 2, 1, 1, 1]
