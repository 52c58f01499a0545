"""Sweep throughput: samples per minute with 1 and 2 local workers, and the time a
sample spends beyond the HiGHS solve.

    .venv/bin/python bench/sweep_bench.py [--case inputs/default] [--samples 4]
        [--workers 1 2] [--executor dask|pool] [--modes warm cold]
        [--memory N [--scenario NAME ...]] [--cpu N [--scenario NAME ...]]

Every worker count runs once per mode, in the same run: ``cold`` builds and solves
every sample's LPs from scratch; ``warm`` (the default of ``reroute sweep``) keeps
each scenario's LP in HiGHS and re-solves it from the reference basis. The warm
wall time includes each worker's one-off cold solve of the undrawn case; the
projected 1,000-sample time is 1,000 x the steady seconds per sample (samples after
the first of each worker) divided by the workers.

``--memory N`` measures one worker instead: N warm samples solved in this process
as a worker solves them (no store, no executor), printing the resident memory
after sample 1, 10 and N, the growth from 10 to N and the peak (``--scenario``
narrows the sweep to some scenarios, to keep N samples short on a busy machine).

``--cpu N`` also measures one worker in this process: the CPU seconds of N warm
samples after its priming, per sample, split into HiGHS (``solve``), the LP arrays
and index (``build``, ``translate``), the extraction with its post-solve checks
(``extract``: the solver's read-out and the tidy tables), applying the draws
(``draws``), the headline tables and records (``records``) and the rest
(``other``: the warm solve's changes outside its timed phases, the loop). CPU
seconds, unlike wall seconds, say little about the load of other jobs.

Each run is a fresh sweep into a temporary folder (the cluster or pool start-up is
included in the wall time and also reported on its own). The solve seconds come from
the scenario records of the store: ``solve_seconds`` is HiGHS's run, everything else
(applying the draws, building the Pyomo model, translating it, extracting results,
KPIs) is the per-sample overhead.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from model.data.case import load_case
from model.memory import peak_mb, reset_peak, rss_mb
from model.pipeline import select_scenarios
from model.solver.records import SolveOptions
from model.sweep import worker
from model.sweep.command import SweepRequest, run_sweep
from model.sweep.runner import DaskExecutor, PoolExecutor
from model.sweep.sampling import draw
from model.sweep.uncertainty import uncertain_inputs
from model.sweep.worker import ALL, SampleTask, SweepContext, run_sample, worker_reuse

ROOT = Path(__file__).resolve().parent.parent


def measure(case: Path, samples: int, workers: int, executor: str, mode: str
            ) -> dict[str, float]:
    """One fresh sweep; wall seconds, rate and the per-sample time split."""
    runner = DaskExecutor(workers=workers) if executor == "dask" else PoolExecutor(
        workers)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = run_sweep(SweepRequest(case, Path(tmp) / "sweep", samples,
                                        warm=mode == "warm"), runner)
        wall = time.perf_counter() - start
    totals = result.records[result.records["commodity"] == ALL]
    per_sample = totals.groupby("sample").agg(
        sample=("sample_seconds", "first"), solve=("solve_seconds", "sum"),
        build=("build_seconds", "sum"), translate=("translate_seconds", "sum"),
        extract=("extract_seconds", "sum"))
    mean = per_sample.mean()
    first = totals.groupby("worker")["sample"].min()  # each worker's priming sample
    steady = per_sample.loc[~per_sample.index.isin(first.to_numpy()), "sample"]
    steady_s = steady.mean() if len(steady) else mean["sample"]
    return {"mode": mode, "workers": workers, "samples": samples, "wall_s": wall,
            "steady_sample_s": steady_s,
            "projected_1000_min": 1000 * steady_s / workers / 60,
            "samples_per_min": 60 * samples / wall,
            "sample_s": mean["sample"], "highs_solve_s": mean["solve"],
            "build_s": mean["build"], "translate_s": mean["translate"],
            "extract_s": mean["extract"],
            "overhead_s": mean["sample"] - mean["solve"],
            "overhead_over_solve": (mean["sample"] - mean["solve"]) / mean["solve"],
            "failures": len(result.failures)}


def warm_context(case: Path, scenarios: list[str] | None) -> SweepContext:
    """A warm sweep's context of ``case`` (every uncertain input, seed 0)."""
    loaded = load_case(case)
    return SweepContext(loaded, tuple(uncertain_inputs(loaded)),
                        tuple(select_scenarios(loaded, scenarios)), SolveOptions(),
                        seed=0, warm=True)


def worker_memory(case: Path, samples: int, scenarios: list[str] | None
                  ) -> dict[str, float]:
    """Resident memory (MiB) of one worker solving ``samples`` warm samples."""
    context = warm_context(case, scenarios)
    inputs = list(context.inputs)
    reset_peak()
    marks: dict[str, float] = {"before": rss_mb()}
    start = time.perf_counter()
    failed: list[tuple[str, str, str]] = []
    for i in range(samples):
        failed += run_sample(context, SampleTask(i, tuple(draw(
            inputs, 0, i, "random", samples)))).failures
        if i + 1 in (1, 10, samples):
            gc.collect()
            marks[f"after_{i + 1}"] = rss_mb()
    reuse = worker_reuse(context)
    out = {"samples": samples, "scenarios": len(context.scenarios), **marks,
           "growth_10_to_n": marks[f"after_{samples}"] - marks.get("after_10", 0.0),
           "peak": peak_mb(), "s_per_sample": (time.perf_counter() - start) / samples,
           "failed_scenarios": len(failed),
           "failures": sorted({f"{name}: {status}" for name, status, _ in failed})}
    if reuse is not None:
        out.update({f"index_{k}": v for k, v in reuse.counts.items()})
        out.update({f"highs_{k}": v for k, v in reuse.warm.counts.items()})
        out.update({f"start_{k}": v for k, v in reuse.warm.start_counts.items()})
    return out


def worker_cpu(case: Path, samples: int, scenarios: list[str] | None
               ) -> dict[str, float]:
    """CPU seconds per warm sample of one worker, by phase (after its priming)."""
    import model.timing as timing

    context = warm_context(case, scenarios)
    inputs = list(context.inputs)
    worker_reuse(context)  # the priming: not counted
    phases: dict[str, float] = {}
    phase = timing.PhaseTimer.phase

    @contextmanager
    def counted(self: timing.PhaseTimer, name: str) -> Iterator[None]:
        cpu = time.process_time()
        try:
            with phase(self, name):
                yield
        finally:
            phases[name] = phases.get(name, 0.0) + time.process_time() - cpu

    def timed(name: str, function: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            cpu = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.process_time() - cpu
        return run

    kept = {name: getattr(worker, name) for name in ("apply_draws", "_records")}
    timing.PhaseTimer.phase = counted  # type: ignore[method-assign]
    worker.apply_draws = timed("draws", kept["apply_draws"])  # type: ignore[assignment]
    worker._records = timed("records", kept["_records"])  # type: ignore[assignment]
    try:
        start = time.process_time()
        for i in range(samples):
            run_sample(context, SampleTask(i, tuple(draw(inputs, 0, i, "random",
                                                         samples))))
        total = time.process_time() - start
    finally:
        timing.PhaseTimer.phase = phase  # type: ignore[method-assign]
        for name, function in kept.items():
            setattr(worker, name, function)
    out = {"samples": samples, "scenarios": len(context.scenarios),
           "cpu_s_per_sample": total / samples}
    for name in ("solve", "build", "translate", "extract", "draws", "records"):
        out[f"{name}_cpu_s"] = phases.get(name, 0.0) / samples
    out["other_cpu_s"] = (total - sum(phases.values())) / samples
    out["extract_draws_records_cpu_s"] = sum(out[f"{name}_cpu_s"] for name in (
        "extract", "draws", "records"))
    return out


def startup_seconds(executor: str) -> float:
    """Time to start and stop an idle local cluster of one worker (Dask only)."""
    if executor != "dask":
        return float("nan")
    import logging

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1",
                           silence_logs=logging.ERROR)
    Client(cluster).close()
    cluster.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=ROOT / "inputs" / "default")
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--executor", choices=("dask", "pool"), default="dask")
    parser.add_argument("--modes", nargs="+", choices=("warm", "cold"),
                        default=["cold", "warm"])
    parser.add_argument("--memory", type=int, default=0, metavar="N")
    parser.add_argument("--cpu", type=int, default=0, metavar="N")
    parser.add_argument("--scenario", nargs="+", default=None)
    args = parser.parse_args()
    if args.cpu:
        print(f"case {args.case}, one worker, {args.cpu} warm samples after its "
              f"priming, scenarios {args.scenario or 'all'}; CPU seconds per sample")
        for key, value in worker_cpu(args.case, args.cpu, args.scenario).items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else
                  f"  {key}: {value}")
        return
    if args.memory:
        print(f"case {args.case}, one worker, {args.memory} warm samples, scenarios "
              f"{args.scenario or 'all'}; resident memory in MiB")
        for key, value in worker_memory(args.case, args.memory,
                                        args.scenario).items():
            print(f"  {key}: {value:.1f}" if isinstance(value, float) else
                  f"  {key}: {value}")
        return
    print(f"case {args.case}, {args.samples} samples per run, executor {args.executor}")
    print(f"idle cluster start+stop: {startup_seconds(args.executor):.1f} s")
    rows = [measure(args.case, args.samples, k, args.executor, mode)
            for k in args.workers for mode in args.modes]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.precision", 3):
        print(table.to_string(index=False))
    for k in args.workers:
        by_mode = {r["mode"]: r for r in rows if r["workers"] == k}
        if {"warm", "cold"} <= set(by_mode):
            cold, warm = (by_mode[m]["steady_sample_s"] for m in ("cold", "warm"))
            ratio = cold / warm
            print(f"{k} workers: cold / warm seconds per steady sample {ratio:.2f}x")


if __name__ == "__main__":
    main()
