"""``reroute frontier CASE --scenario NAME``: trace, self-sufficient-by, write.

Writes ``outputs/<case>/frontier/<NAME>/`` (or ``--out``): ``report.xlsx``,
``tables/frontier.csv``, ``tables/self_sufficient_by.csv`` and ``run.json``,
staged and committed like a solve's outputs (``model.outputs``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.case import Case, load_case
from model.data.indices import LPIndex
from model.data.scenarios import all_scenario_names
from model.errors import InputError, Problem, SolveError
from model.frontier.tasks import (
    FrontierContext,
    PointOutcome,
    PointTask,
    forget,
    kept,
    run_task,
)
from model.frontier.trace import Objectives, Point, Request, point, slopes, trace
from model.outputs import refuse_unwritable, staged_output
from model.parallel.executors import Executor, SerialExecutor, Workers, make_executor
from model.parallel.options import IN_PROCESS, Placement
from model.parallel.progress import NO_STEPS, Steps
from model.report.csv_tables import write_tables
from model.report.run_record import versions, write_run_record
from model.results.tables import checked
from model.solver.records import LinearProgram, SolveOptions
from model.solver.session import Session

PRELOAD = ("model.frontier.tasks",)  # what a pool's workers import at start

@dataclass
class FrontierResult:
    """The frontier's breakpoints, the penalty solve and the self-sufficient-by
    curve of one scenario."""

    case: Case
    scenario: str
    tables: dict[str, pd.DataFrame]
    penalty_point: Point
    solves: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    where: Placement = IN_PROCESS  # where the weighted solves ran


def frontier(case: Case, scenario: str, options: SolveOptions,
             on_point: Callable[[Point], None] | None = None,
             executor: Executor | None = None, progress: Steps = NO_STEPS
             ) -> FrontierResult:
    """Trace the frontier and the self-sufficient-by curve of ``scenario``; each
    round's weighted solves run on ``executor`` (default: this process), and
    ``progress`` is told of every solve."""
    if scenario not in all_scenario_names(case):
        raise InputError(Problem(f"unknown scenario '{scenario}' (known: "
                                 f"{', '.join(all_scenario_names(case))})",
                                 table="scenarios", column="scenario"))
    start = time.perf_counter()
    context = FrontierContext(case, scenario, options)
    try:
        points, solves = trace_on(executor or SerialExecutor(run_task), context,
                                  on_point, progress)
        traced = time.perf_counter() - start
        mine = kept(context)  # this process's own LP (the same one when serial)
        before = mine.session.solves
        progress.grow(1 + len(case.years))
        penalty = point(mine.objectives, mine.session.minimise(mine.full))
        progress.advance("penalty solve")
        ssb = self_sufficient_by(case, mine.index, mine.program, mine.session,
                                 mine.objectives, mine.full, progress)
        solves += mine.session.solves - before
    finally:
        forget(context)
    table = pd.DataFrame({
        "scenario": scenario,
        "unmet_reference_usd": [p.unmet_usd for p in points],
        "shortfall_t": [p.shortfall_t for p in points],
        "total_cost_usd": [p.cost_usd for p in points],
        "slope": slopes(points),
    })
    table["slope"] = table["slope"].astype(float)
    tables = checked({"frontier": table, "self_sufficient_by": ssb.assign(
        scenario=scenario)[["scenario", *ssb.columns]]})
    return FrontierResult(case, scenario, tables, penalty, solves,
                          {"frontier": round(time.perf_counter() - start, 4),
                           "trace": round(traced, 4)})


def trace_on(executor: Executor, context: FrontierContext,
             on_point: Callable[[Point], None] | None, progress: Steps
             ) -> tuple[list[Point], int]:
    """The breakpoints, each round solved on ``executor``, and the HiGHS runs."""
    solves = [0]
    with executor.open(context) as workers:
        points = trace(lambda requests: solve_round(workers, requests, solves,
                                                    progress), on_point)
    return points, solves[0]


def solve_round(workers: Workers, requests: list[Request], solves: list[int],
                progress: Steps) -> list[Point]:
    """The points of one round's ``requests``, in order (``solves[0]`` counts the
    HiGHS runs); a lost task raises."""
    progress.grow(len(requests))
    got: dict[int, Point] = {}
    lost: list[str] = []

    def on_outcome(outcome: PointOutcome) -> None:
        got[outcome.key] = outcome.point
        solves[0] += outcome.solves
        progress.advance("breakpoint search")

    workers.run([PointTask(k, r) for k, r in enumerate(requests)], on_outcome,
                lambda _task, reason: lost.append(reason))
    if lost:
        raise SolveError("frontier", "lost", lost[0])
    return [got[k] for k in range(len(requests))]


def self_sufficient_by(case: Case, ix: LPIndex, program: LinearProgram,
                       session: Session, obj: Objectives, full: np.ndarray,
                       progress: Steps = NO_STEPS) -> pd.DataFrame:
    r"""Per year Y: least full cost with, for every commodity c and year y ≥ Y,
    Σ_{r ∈ scope} short_{r,c,y} ≤ tolerance · Σ_{r ∈ scope} demand_{r,c,y};
    blank where no plan achieves it. Y runs from end_year down: once no plan
    achieves Y, none achieves an earlier year (its rows include Y's)."""
    short = ix.short.assign(column=program.column_of["short"])
    short = short[short["region"].isin(case.scope_regions())
                  & (short["column"] >= 0)]
    groups = short.groupby(["commodity", "year"], sort=True)
    keys = pd.DataFrame(list(groups.groups), columns=["commodity", "year"])
    demand = groups["demand_t"].sum().to_numpy(dtype=float)
    row = groups.ngroup().to_numpy()
    rows = session.add_rows(np.full(len(keys), -np.inf), np.full(len(keys), np.inf),
                            row, short["column"].to_numpy(dtype=np.int64),
                            np.ones(len(short)))
    limit = case.settings.shortfall_tolerance * demand
    out, possible = [], True
    for year in reversed(list(case.years)):
        x = None
        if possible:
            upper = np.where(keys["year"].to_numpy() >= year, limit, np.inf)
            session.set_row_bounds(rows, np.full(len(rows), -np.inf), upper)
            x = session.minimise(full)
            possible = x is not None
        progress.advance(f"self-sufficient from {year}")
        p = point(obj, x) if x is not None else None
        out.append({"year": year,
                    "total_cost_usd": p.cost_usd if p else np.nan,
                    "shortfall_t": p.shortfall_t if p else np.nan,
                    "full_cost_usd": float(full @ x + obj.offset) if p else np.nan})
    session.set_row_bounds(rows, np.full(len(rows), -np.inf), np.full(len(rows),
                                                                      np.inf))
    return pd.DataFrame(out[::-1])


def run_frontier(case_path: Path, scenario: str, out_dir: Path,
                 options: SolveOptions,
                 on_point: Callable[[Point], None] | None = None,
                 where: Placement = IN_PROCESS, progress: Steps = NO_STEPS
                 ) -> FrontierResult:
    """Load, trace and write the frontier outputs atomically; each round's
    weighted solves run where ``where`` says (default: this process)."""
    refuse_unwritable(Path(case_path), out_dir, "frontier")
    case = load_case(case_path)
    executor = make_executor(where, run_task, PRELOAD)
    result = frontier(case, scenario, options, on_point, executor, progress)
    result.where = where
    from model.frontier.report import write_frontier_report  # noqa: PLC0415

    with staged_output(out_dir, "frontier") as staging:
        write_tables(result.tables, staging / "tables")
        write_frontier_report(case.name, scenario, result.penalty_point,
                              result.tables, staging / "report.xlsx")
        write_run_record(run_info(result, options), staging / "run.json")
    return result


def run_info(result: FrontierResult, options: SolveOptions) -> dict[str, object]:
    return {"case": result.case.name, "case_path": result.case.path,
            "input_hash": result.case.input_hash, "versions": versions(),
            "command": "frontier", "scenario": result.scenario,
            "options": options.as_dict(), "executor": result.where.as_dict(),
            "solves": result.solves,
            "breakpoints": len(result.tables["frontier"]),
            "penalty_solve": {"unmet_reference_usd": result.penalty_point.unmet_usd,
                              "total_cost_usd": result.penalty_point.cost_usd,
                              "shortfall_t": result.penalty_point.shortfall_t},
            "seconds": result.seconds}
