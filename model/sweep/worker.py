"""What a worker does with one sample: apply the draws, solve every scenario, and
return the headline records as plain data.

A sample computes only what its records read (``RECORDED``: the summary without
its money columns, which the records do not hold, and kpi_by_commodity) and the
tidy tables those read (``WANTED``); the post-solve checks still run on every
scenario (model/scenario_run.py adds their tables).

Inputs and outputs are plain, picklable data (the loaded ``Case`` is a dataclass of
DataFrames); no model or solver object crosses a process boundary. The cost premium
of a sample is taken against the same sample's baseline.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.data.case import Case
from model.errors import SolveError
from model.results.checks import InvariantError
from model.results.extract import ScenarioResult
from model.results.headline import SUMMARY_COLUMNS
from model.results.money import MONEY_COLUMNS
from model.scenario_run import (
    comparator_of,
    headline_inputs,
    headline_tables,
    solve_scenario,
    solving_order,
)
from model.solver.records import SolveOptions
from model.solver.starts import PROBE_QUANTILE, Probe
from model.sweep.reuse import SampleReuse
from model.sweep.sampling import quantile
from model.sweep.uncertainty import UncertainInput, apply_draws
from model.timing import PhaseTimer

HEADLINES = ("full_cost_premium_pct", "delivered_cost_premium_pct", "cost_premium_usd",
             "unmet_share_pct", "shortfall_t", "self_sufficient_year")
KEY_COLUMNS = ("input_hash", "seed", "sample", "scenario", "commodity")
TIMING_COLUMNS = ("build_seconds", "translate_seconds", "solve_seconds",
                  "extract_seconds", "sample_seconds", "worker")
VALUE_COLUMNS = ("is_baseline", "status", "solver_status", "reason", "total_cost_usd",
                 "cost_premium_usd", "cost_premium_pct", "demand_t", "shortfall_t",
                 "shortfall_pct", "self_sufficient_year", *SUMMARY_COLUMNS)
ALL = ""  # the commodity value of a scenario's total row
RECORDED = ("summary", "kpi_by_commodity")  # the headline tables the records read
MONEY = any(column in VALUE_COLUMNS for column in MONEY_COLUMNS)  # recorded?
WANTED = headline_inputs(RECORDED, MONEY)  # the tidy tables a sample extracts


@dataclass(frozen=True)
class SweepContext:
    """What every task of a sweep shares: the case, its inputs, what to solve."""

    case: Case
    inputs: tuple[UncertainInput, ...]
    scenarios: tuple[str, ...]
    options: SolveOptions
    seed: int
    warm: bool = True  # keep each scenario's LP in HiGHS and re-solve it warm


@dataclass(frozen=True)
class SampleTask:
    """One sample: its number and the drawn value of every uncertain input."""

    sample: int
    values: tuple[float, ...]


@dataclass
class SampleOutcome:
    """The records of one sample (scenario totals and per commodity)."""

    sample: int
    records: pd.DataFrame
    failures: list[tuple[str, str, str]] = field(default_factory=list)


def run_sample(context: SweepContext, task: SampleTask) -> SampleOutcome:
    """Solve every scenario of one sample.

    A scenario without an optimum (SolveError) or whose solution fails the
    post-solve checks (InvariantError) is recorded as failed; the others are kept.
    With ``context.warm`` the worker's kept state (model/sweep/reuse.py) is used.
    """
    start = time.perf_counter()
    reuse = worker_reuse(context)
    if reuse is not None:
        reuse.begin(task.values)
    case = apply_draws(context.case, list(context.inputs), list(task.values))
    results, statuses, failures, timings = solve_all(case, context, reuse)
    records = _records(case, results, statuses, failures, timings)
    records = _stamp(records, context, task, time.perf_counter() - start)
    return SampleOutcome(task.sample, records, failures)


def solve_all(case: Case, context: SweepContext, reuse: SampleReuse | None
              ) -> tuple[list[ScenarioResult], list[tuple[str, bool, str]],
                         list[tuple[str, str, str]], dict[str, dict[str, float]]]:
    """Every scenario of ``case``, solved in solving order (comparators first):
    results, statuses, failures (in case order) and per-scenario phase seconds."""
    baseline = _baseline(case)
    results: list[ScenarioResult] = []
    statuses: list[tuple[str, bool, str]] = []
    failures: list[tuple[str, str, str]] = []
    timings: dict[str, dict[str, float]] = {}
    solved: dict[str, ScenarioResult] = {}  # foresight none: comparators first
    for name in solving_order(case, list(context.scenarios)):
        result, failure, seconds = _solve_one(case, name, context.options,
                                              solved.get(comparator_of(case, name)),
                                              reuse)
        if result is not None:
            solved[name] = result
        statuses.append((name, name == baseline, "failed" if failure else "optimal"))
        if failure:
            failures.append(failure)
        else:
            results.append(result)  # type: ignore[arg-type]
            timings[name] = seconds
    rank = {name: i for i, name in enumerate(context.scenarios)}  # case order
    statuses.sort(key=lambda s: rank[s[0]])
    results.sort(key=lambda r: rank[r.name])
    return results, statuses, failures, timings


_KEPT: dict[tuple[object, ...], SampleReuse] = {}


def worker_reuse(context: SweepContext) -> SampleReuse | None:
    """This process's kept state for ``context`` (made and primed on first use:
    the undrawn case solved cold); None when the sweep runs cold."""
    if not context.warm:
        return None
    key = (context.case.input_hash, context.scenarios, context.options)
    if key not in _KEPT:
        _KEPT.clear()  # one sweep at a time: keep no other sweep's instances
        _KEPT[key] = prime(context, SampleReuse(context.case, context.inputs))
    return _KEPT[key]


def prime(context: SweepContext, reuse: SampleReuse) -> SampleReuse:
    """``reuse`` primed: the undrawn case solved cold (each scenario's instance and
    optimal basis kept), then the probe sample that chooses each scenario's warm
    start (``choose_starts``)."""
    reuse.priming = True
    solve_all(context.case, context, reuse)
    reuse.priming = False
    choose_starts(context, reuse)
    return reuse


def choose_starts(context: SweepContext, reuse: SampleReuse) -> None:
    """Solve the probe sample (every input at ``PROBE_QUANTILE``) as a sample is,
    each scenario also from the optimum of each one solved before it, and keep the
    starts that took at most ``AT_MOST`` of the simplex iterations of the
    scenario's own start (model/solver/starts.py). The probe is not counted, and
    its records are not kept."""
    if not context.inputs:
        return
    counted = [reuse.counts, reuse.lp_counts, reuse.pin_counts, reuse.warm.counts,
               reuse.warm.start_counts]
    before = [dict(counts) for counts in counted]
    values = tuple(quantile(item, PROBE_QUANTILE) for item in context.inputs)
    reuse.warm.probe = Probe()
    try:
        reuse.begin(values)
        solve_all(apply_draws(context.case, list(context.inputs), list(values)),
                  context, reuse)
        reuse.warm.starts = reuse.warm.probe.chosen()
    finally:
        reuse.warm.probe = None
        for counts, saved in zip(counted, before, strict=True):
            counts.clear()
            counts.update(saved)


def _solve_one(case: Case, name: str, options: SolveOptions,
               comparator: ScenarioResult | None, reuse: SampleReuse | None = None
               ) -> tuple[ScenarioResult | None, tuple[str, str, str] | None,
                          dict[str, float]]:
    """One scenario: its result, or the failure (scenario, status, reason)."""
    timer = PhaseTimer()
    try:
        result = solve_scenario(case, name, options, timer, comparator, reuse,
                                wanted=WANTED)
    except SolveError as exc:
        return None, (name, exc.condition, str(exc)), {}
    except InvariantError as exc:  # a solution whose tables do not add up
        return None, (name, "invariant check failed", str(exc)), {}
    return result, None, dict(timer.seconds)  # the solver's phases merged in


def _baseline(case: Case) -> str:
    frame = case.table("scenarios")
    return str(frame.loc[frame["is_baseline"].fillna(False).astype(bool),
                         "scenario"].iloc[0])


def _records(case: Case, results: list[ScenarioResult],
             statuses: list[tuple[str, bool, str]],
             failures: list[tuple[str, str, str]],
             timings: dict[str, dict[str, float]]) -> pd.DataFrame:
    tables = headline_tables(case, results, statuses, RECORDED, MONEY)
    kpi, summary = tables["kpi_by_commodity"], tables["summary"]
    totals = summary.assign(commodity=ALL)
    by_commodity = kpi.merge(summary[["scenario", "is_baseline", "status"]],
                             on="scenario")
    frame = pd.concat([totals, by_commodity], ignore_index=True)
    reasons = {name: (condition, text) for name, condition, text in failures}
    frame["solver_status"] = frame["scenario"].map(
        lambda s: reasons.get(s, ("optimal", ""))[0])
    frame["reason"] = frame["scenario"].map(lambda s: reasons.get(s, ("", ""))[1])
    for phase in ("build", "translate", "solve", "extract"):
        frame[f"{phase}_seconds"] = frame["scenario"].map(
            lambda s, p=phase: timings.get(s, {}).get(p, np.nan))
    frame.loc[frame["commodity"] != ALL, [f"{p}_seconds" for p in (
        "build", "translate", "solve", "extract")]] = np.nan
    return frame


def _stamp(records: pd.DataFrame, context: SweepContext, task: SampleTask,
           seconds: float) -> pd.DataFrame:
    """Add the key, the drawn values and the timings; fix the column order."""
    records = records.copy()
    records["input_hash"] = context.case.input_hash
    records["seed"] = context.seed
    records["sample"] = task.sample
    records["sample_seconds"] = seconds
    records["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    draws = [item.column for item in context.inputs]
    for item, value in zip(context.inputs, task.values, strict=True):
        records[item.column] = value
    order = {s: i for i, s in enumerate(context.scenarios)}
    records["_order"] = records["scenario"].map(order)
    records = records.sort_values(["_order", "commodity"], kind="stable")
    columns = [*KEY_COLUMNS, *VALUE_COLUMNS, *draws, *TIMING_COLUMNS]
    records = records[columns].reset_index(drop=True)
    return normalise(records)


def normalise(records: pd.DataFrame) -> pd.DataFrame:
    """Stable dtypes so that every executor and the store give equal frames."""
    out = records.copy()
    out["seed"] = out["seed"].astype("int64")
    out["sample"] = out["sample"].astype("int64")
    out["is_baseline"] = out["is_baseline"].astype(bool)
    for column in ("self_sufficient_year", "worst_year", "mostly_met_year"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(
            "Float64").astype(float)
    for column in ("input_hash", "scenario", "commodity", "status", "solver_status",
                   "reason", "worker", "compare_to"):
        out[column] = out[column].astype(str)
    return out


__all__ = ["HEADLINES", "SampleOutcome", "SampleTask", "SweepContext", "run_sample"]
