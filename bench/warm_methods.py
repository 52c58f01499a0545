"""Warm re-solve variants: ``python -m bench.warm_methods [CASE] [--samples N]
[--scenario NAME ...] [--factors [Q]]``.

Primes one sweep worker on CASE as ``reroute sweep`` does (the undrawn case solved
cold, each scenario's instance and optimal basis kept), then solves N random
samples warm. For every scenario of every sample, once the sample's numbers are in
the kept instance, each variant below re-solves it: HiGHS's simplex with a
``simplex_strategy`` (1 dual, 3 parallel dual, 4 primal, 0 HiGHS's choice), the
dual's edge weights (Devex, Dantzig, steepest edge), presolve on or off,
starting from the reference basis (what a sweep does for a scenario that takes no
start from another scenario, docs/sweeps.md step 4b: deterministic) or from the
previous sample's optimal basis of the scenario (not deterministic: a sample's
answer could depend on the samples before it). The priming's probe sample is
neither timed nor recorded. Printed per variant: simplex
iterations and HiGHS CPU and wall seconds per sample (sum over scenarios), the
mean per scenario solve, and the largest relative objective gap to the first
variant (the sweep's own). The sample's results are the sweep's own solve
(``WarmStarts.solve``); the variants only time the same LP again.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np
import pandas as pd

from model.data.case import load_case
from model.pipeline import select_scenarios
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.solver.warm import WARM_OPTIONS, LpArrays, WarmStarts
from model.sweep import worker
from model.sweep.reuse import SampleReuse
from model.sweep.sampling import draw, quantile
from model.sweep.uncertainty import UncertainInput, uncertain_inputs
from model.sweep.worker import SampleTask, SweepContext, run_sample
from model.timing import PhaseTimer

ROOT = Path(__file__).resolve().parent.parent

# name: (start basis, HiGHS options); the first is the sweep's default
VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "default (WARM_OPTIONS)": ("reference", dict(WARM_OPTIONS)),
    "dual, presolve on": ("reference", {"simplex_strategy": 1, "presolve": "on"}),
    "dual, presolve off": ("reference", {"simplex_strategy": 1, "presolve": "off"}),
    "primal, presolve on": ("reference", {"simplex_strategy": 4, "presolve": "on"}),
    "primal, presolve off": ("reference", {"simplex_strategy": 4,
                                           "presolve": "off"}),
    "choose, presolve off": ("reference", {"simplex_strategy": 0,
                                           "presolve": "off"}),
    "dual, Devex pricing": ("reference", {**WARM_OPTIONS,
                                          "simplex_dual_edge_weight_strategy": 1}),
    "dual, Dantzig pricing": ("reference", {**WARM_OPTIONS,
                                            "simplex_dual_edge_weight_strategy": 0}),
    "dual, steepest edge": ("reference", {**WARM_OPTIONS,
                                          "simplex_dual_edge_weight_strategy": 2}),
    "parallel dual (PAMI)": ("reference", {**WARM_OPTIONS, "simplex_strategy": 3}),
    "default from the previous sample": ("previous", dict(WARM_OPTIONS)),
    "primal from the previous sample": ("previous", {**WARM_OPTIONS,
                                                     "simplex_strategy": 4}),
}


@dataclass
class Trials(WarmStarts):
    """Warm starts that also time every variant on each sample's LP."""

    sample: int = 0
    records: list[dict[str, object]] = field(default_factory=list)
    previous: dict[str, highspy.HighsBasis] = field(default_factory=dict)

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer | None = None,
              lexicographic: np.ndarray | None = None,
              arrays: LpArrays | None = None) -> Solution:
        solution = super().solve(program, scenario, options, clock, lexicographic,
                                 arrays)
        if self.probe is not None:  # the priming's probe: not a measured sample
            return solution
        held = self._held[scenario]
        h, optimum = held.highs, None
        for name, (start, settings) in VARIANTS.items():
            basis = (held.basis if start == "reference"
                     else self.previous.get(scenario, held.basis))
            h.setBasis(basis)
            for key, value in settings.items():
                h.setOptionValue(key, value)
            cpu, wall = time.process_time(), time.perf_counter()
            h.run()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            info = h.getInfo()
            self.records.append({
                "sample": self.sample, "scenario": scenario, "variant": name,
                "iterations": info.simplex_iteration_count, "cpu_s": cpu,
                "wall_s": wall, "objective": info.objective_function_value,
                "status": h.modelStatusToString(h.getModelStatus())})
            if optimum is None:
                optimum = h.getBasis()
        for key, value in WARM_OPTIONS.items():
            h.setOptionValue(key, value)
        self.previous[scenario] = optimum
        return solution


def primed(case_dir: Path, scenarios: list[str] | None, warm: WarmStarts
           ) -> tuple[SweepContext, tuple[UncertainInput, ...]]:
    """A sweep worker of ``case_dir`` primed (the undrawn case solved cold, then
    the probe sample) with ``warm`` as its warm starts, as ``reroute sweep`` primes
    one."""
    case = load_case(case_dir)
    inputs = tuple(uncertain_inputs(case))
    context = SweepContext(case, inputs, tuple(select_scenarios(case, scenarios)),
                           SolveOptions(), seed=0, warm=True)
    reuse = worker.prime(context, SampleReuse(case, inputs, warm=warm))
    worker._KEPT[(case.input_hash, context.scenarios, context.options)] = reuse
    return context, inputs


def measure(case_dir: Path, samples: int, scenarios: list[str] | None
            ) -> pd.DataFrame:
    trials = Trials()
    context, inputs = primed(case_dir, scenarios, trials)
    for i in range(samples):
        trials.sample = i
        run_sample(context, SampleTask(i, tuple(draw(list(inputs), 0, i))))
    return pd.DataFrame(trials.records)


@dataclass
class Counted(WarmStarts):
    """Warm starts that record the iterations and CPU seconds of each solve."""

    sample: str = ""
    records: list[dict[str, object]] = field(default_factory=list)

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer | None = None,
              lexicographic: np.ndarray | None = None,
              arrays: LpArrays | None = None) -> Solution:
        cpu = time.process_time()
        solution = super().solve(program, scenario, options, clock, lexicographic,
                                 arrays)
        if self.probe is not None:  # the priming's probe: not a measured sample
            return solution
        info = self._held[scenario].highs.getInfo()
        self.records.append({"sample": self.sample, "scenario": scenario,
                             "iterations": info.simplex_iteration_count,
                             "cpu_s": time.process_time() - cpu})
        return solution


def one_at_a_time(inputs: list[UncertainInput], q: float
                  ) -> dict[str, list[float]]:
    """Per input, the values of a sample with it alone at its ``q``-quantile."""
    undrawn = [item.undrawn for item in inputs]
    samples = {}
    for i, item in enumerate(inputs):
        values = list(undrawn)
        values[i] = quantile(item, q)
        samples[f"{item.label} = {item.applied_value(values[i]):.3g}"] = values
    return samples


def measure_factors(case_dir: Path, samples: int, scenarios: list[str] | None,
                    q: float) -> pd.DataFrame:
    """The sweep's own warm solve of each one-input sample, then of ``samples``
    random ones (module docstring): one record per scenario solve."""
    counted = Counted()
    context, inputs = primed(case_dir, scenarios, counted)
    tasks = one_at_a_time(list(inputs), q)
    tasks |= {f"random sample {i}": draw(list(inputs), 0, i) for i in range(samples)}
    for number, (name, values) in enumerate(tasks.items()):
        counted.sample = name
        run_sample(context, SampleTask(number, tuple(values)))
    return pd.DataFrame(counted.records)


def summary(records: pd.DataFrame) -> pd.DataFrame:
    first = next(iter(VARIANTS))
    ref = records[records["variant"] == first].set_index(["sample", "scenario"])[
        "objective"]
    records = records.join(ref.rename("ref"), on=["sample", "scenario"])
    records["gap"] = ((records["objective"] - records["ref"]).abs()
                      / records["ref"].abs().clip(lower=1.0))
    n = records["sample"].nunique()
    out = records.groupby("variant", sort=False).agg(
        iterations=("iterations", "sum"), cpu_s=("cpu_s", "sum"),
        wall_s=("wall_s", "sum"), per_solve_cpu_s=("cpu_s", "mean"),
        max_objective_gap=("gap", "max"),
        not_optimal=("status", lambda s: int((s != "Optimal").sum())))
    out[["iterations", "cpu_s", "wall_s"]] /= n  # per sample
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", type=Path, nargs="?", default=ROOT / "inputs" /
                        "default")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--scenario", nargs="+", default=None)
    parser.add_argument("--factors", type=float, nargs="?", const=0.9, default=None,
                        metavar="Q")
    args = parser.parse_args()
    if args.factors is not None:
        print_factors(measure_factors(args.case, args.samples, args.scenario,
                                      args.factors))
        return
    records = measure(args.case, args.samples, args.scenario)
    print(markdown(summary(records)))
    by_scenario = records.pivot_table(index="variant", columns="scenario",
                                      values="iterations", aggfunc="mean",
                                      sort=False)
    print("\nmean iterations per solve, by scenario\n")
    print(markdown(by_scenario))


def print_factors(records: pd.DataFrame) -> None:
    """Per sample: iterations and HiGHS CPU seconds, then iterations by scenario."""
    totals = records.groupby("sample", sort=False)[["iterations", "cpu_s"]].sum()
    print(markdown(totals))
    print("\nsimplex iterations by scenario\n")
    print(markdown(records.pivot_table(index="sample", columns="scenario",
                                       values="iterations", aggfunc="sum",
                                       sort=False)))


def markdown(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table (4 significant digits)."""
    def cell(value: object) -> str:
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join([str(frame.index.name or ""), *map(str, frame.columns)])
             + " |", "|" + "---|" * (len(frame.columns) + 1)]
    lines += ["| " + " | ".join([str(name), *map(cell, row)]) + " |"
              for name, row in zip(frame.index, frame.to_numpy().tolist(),
                                   strict=True)]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
