"""``reroute sweep``: draw the samples, run the missing ones, store, report.

Writes ``<out>/store/`` (per-sample records, written as each sample arrives),
``<out>/sweep.xlsx`` and ``<out>/run.json`` (once, at the end, from the records in
memory: the store is read back only for the samples a resumed sweep reuses); the
report and the run record are replaced atomically. Every
stored record is keyed by input hash, seed and sample number, so ``resume``
solves exactly the samples whose record is missing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from model.data.case import Case, load_case
from model.errors import InputError, Problem
from model.files import atomic_path
from model.outputs import claim_folder, refuse_unwritable
from model.pipeline import select_scenarios
from model.report.run_record import versions
from model.solver.records import SolveOptions
from model.sweep.progress import SweepProgress
from model.sweep.runner import Executor, SerialExecutor, run_all
from model.sweep.sampling import SAMPLERS, draw
from model.sweep.store import StoreIdentity, SweepStore
from model.sweep.uncertainty import UncertainInput, uncertain_inputs
from model.sweep.worker import ALL, SampleOutcome, SampleTask, SweepContext

FAILURE_COLUMNS = ["sample", "scenario", "status", "reason"]


@dataclass
class SweepRequest:
    """What to sweep and how (the command line's options)."""

    case_path: Path
    out_dir: Path
    samples: int
    seed: int = 0
    sampler: str = "random"
    resume: bool = False
    scenarios: list[str] | None = None
    options: SolveOptions = field(default_factory=SolveOptions)
    progress: bool = False
    warm: bool = True  # re-solve each scenario warm in a kept HiGHS instance


@dataclass
class SweepResult:
    """What a sweep produced."""

    out_dir: Path
    records: pd.DataFrame
    failures: pd.DataFrame
    solved: list[int]
    reused: int
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 when every scenario of every sample solved, else 3 (MODEL-SPEC §6)."""
        return 3 if len(self.failures) else 0


def run_sweep(request: SweepRequest, executor: Executor | None = None) -> SweepResult:
    """Run the sweep described by ``request``."""
    start = time.perf_counter()
    _check_request(request)
    refuse_unwritable(request.case_path, request.out_dir, "sweep")
    case = load_case(request.case_path)
    inputs = uncertain_inputs(case)
    if not inputs:
        raise InputError(Problem("the case has no uncertainty rows, so there is "
                                 "nothing to sweep", case.path, "uncertainty"))
    claim_folder(request.out_dir, "sweep")
    store = _open_store(request, case)
    done = store.complete(request.seed) if request.resume else set()
    tasks = [SampleTask(i, tuple(draw(inputs, request.seed, i, request.sampler,
                                      request.samples)))
             for i in range(request.samples) if i not in done]
    context = SweepContext(case, tuple(inputs),
                           tuple(select_scenarios(case, request.scenarios)),
                           request.options, request.seed, request.warm)
    lost: list[dict[str, object]] = []
    fresh: dict[int, pd.DataFrame] = {}  # this run's records, as they arrive
    executor = executor or SerialExecutor()
    with SweepProgress(request.samples, len(done), request.progress) as progress:
        def on_outcome(outcome: SampleOutcome) -> None:
            store.put(request.seed, outcome.sample, outcome.records,
                      replace=not request.resume)
            fresh[outcome.sample] = outcome.records
            progress.advance()

        def on_lost(task: SampleTask, reason: str) -> None:
            lost.append({"sample": task.sample, "scenario": "(all)", "status": "lost",
                         "reason": reason})
            progress.advance()

        run_all(executor, context, tasks, on_outcome, on_lost)
    records = _all_records(store, request, fresh)
    failures = _failures(records, lost)
    result = SweepResult(request.out_dir, records, failures, [t.sample for t in tasks],
                         len(done), time.perf_counter() - start)
    _write_outputs(request, case, inputs, result, executor)
    return result


def _all_records(store: SweepStore, request: SweepRequest,
                 fresh: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Every sample's records in sample order: this run's as they arrived, only
    the reused ones read back from the store."""
    reused = store.load(request.seed, [s for s in range(request.samples)
                                       if s not in fresh])
    frames = [reused] if len(reused) else []
    frames += [fresh[s] for s in sorted(fresh)]
    if not frames:
        return pd.DataFrame()
    records = pd.concat(frames, ignore_index=True)
    return records.sort_values("sample", kind="stable").reset_index(drop=True)


def _check_request(request: SweepRequest) -> None:
    problems = []
    if request.samples < 1:
        problems.append(Problem(
            f"--samples must be at least 1 (got {request.samples})"))
    if request.seed < 0:
        problems.append(Problem(f"--seed must be >= 0 (got {request.seed})"))
    if request.sampler not in SAMPLERS:
        problems.append(Problem(f"unknown sampler '{request.sampler}'"))
    if problems:
        raise InputError(problems)


def _open_store(request: SweepRequest, case: Case) -> SweepStore:
    lhs = request.samples if request.sampler == "lhs" else None
    identity = StoreIdentity(case.input_hash, request.sampler, lhs)
    return SweepStore(request.out_dir / "store", identity).open()


def _failures(records: pd.DataFrame, lost: list[dict[str, object]]) -> pd.DataFrame:
    frames = []
    if len(records):
        totals = records[records["commodity"] == ALL]
        failed = totals[totals["status"] != "optimal"]
        frames.append(failed[["sample", "scenario", "solver_status", "reason"]].rename(
            columns={"solver_status": "status"}))
    if lost:
        frames.append(pd.DataFrame(lost, columns=FAILURE_COLUMNS))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["sample"], kind="stable").reset_index(drop=True)


def input_table(inputs: list[UncertainInput]) -> pd.DataFrame:
    """The uncertainty rows as checked, with their labels and store columns."""
    return pd.DataFrame([{"row": i.row, "label": i.label, "column": i.column,
                          "scenario": i.scenario, "field": i.field, "target": i.target,
                          "commodity": i.commodity, "stage": i.stage,
                          "distribution": i.distribution, "low": i.low, "mode": i.mode,
                          "high": i.high} for i in inputs])


def _write_outputs(request: SweepRequest, case: Case, inputs: list[UncertainInput],
                   result: SweepResult, executor: Executor) -> None:
    from model.sweep.report import write_sweep_report

    info = run_info(request, case, result, executor)
    flat = {k: v for k, v in info.items() if not isinstance(v, dict)}
    _atomic(request.out_dir / "sweep.xlsx", lambda p: write_sweep_report(
        result.records, input_table(inputs), result.failures, flat, p,
        case.settings.end_year))
    _atomic(request.out_dir / "run.json", lambda p: p.write_text(
        json.dumps(info, indent=2, default=str) + "\n", encoding="utf-8"))


def run_info(request: SweepRequest, case: Case, result: SweepResult,
             executor: Executor) -> dict[str, object]:
    """The content of the sweep's run.json."""
    totals = result.records[result.records["commodity"] == ALL] if len(
        result.records) else pd.DataFrame(columns=["sample_seconds", "solve_seconds"])
    per_sample = totals.drop_duplicates("sample")["sample_seconds"] if len(
        totals) else pd.Series(dtype=float)
    return {
        "case": case.name, "case_path": case.path, "input_hash": case.input_hash,
        "samples": request.samples, "seed": request.seed, "sampler": request.sampler,
        "resume": request.resume, "executor": executor.name,
        "solved_this_run": len(result.solved), "reused_from_store": result.reused,
        "failures": len(result.failures), "seconds_total": round(result.seconds, 3),
        "mean_sample_seconds": _mean(per_sample),
        "mean_scenario_solve_seconds": _mean(totals["solve_seconds"]) if len(
            totals) else None,
        "options": {**request.options.as_dict(), "warm": request.warm},
        "versions": versions(),
    }


def _mean(values: pd.Series) -> float | None:
    values = values.dropna()
    return round(float(values.mean()), 4) if len(values) else None


def _atomic(path: Path, write: object) -> None:
    with atomic_path(path) as tmp:
        write(tmp)  # type: ignore[operator]
