"""HiGHS method by measurement: ``python -m bench.methods [CASE] [--regions N ...]``.

Solves every scenario of CASE (and/or of synthetic cases of N regions, the rungs of
``make bench``) with each HiGHS method in turn, exactly as ``reroute solve`` does
(numpy builder, scenarios in solving order, each with its comparator's early
decisions under foresight ``none``), and prints per scenario the LP size, HiGHS
CPU and wall seconds, iterations, status and objective, then each method's total
and the largest relative objective gap to the first method. ``--json`` keeps the
records (docs/bench/). Methods are HiGHS's ``solver`` option values: ``simplex``
(dual simplex), ``ipx`` (interior point + crossover), ``pdlp`` (first-order, no
crossover), ``hipo`` (only where HiGHS was built with it: otherwise recorded as
absent) and ``choose``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from model.data.case import Case, load_case
from model.errors import SolveError
from model.pipeline import select_scenarios
from model.scenario_run import comparator_of, solve_scenario, solving_order
from model.solver.highs import new_highs
from model.solver.records import SolveOptions
from model.synth import SynthSpec, write_synthetic
from model.timing import PhaseTimer

METHODS = ("simplex", "ipx", "hipo", "pdlp")


def available(method: str) -> bool:
    """Whether this HiGHS accepts ``method`` as its ``solver`` option."""
    import highspy

    return new_highs().setOptionValue("solver", method) == highspy.HighsStatus.kOk


def solve_all(case: Case, method: str, time_limit: float) -> list[dict[str, object]]:
    """Every scenario of ``case`` solved with ``method``: one record each."""
    options = SolveOptions(method=method, time_limit=time_limit)
    names = select_scenarios(case, None)
    solved, out = {}, []
    for name in solving_order(case, names):
        timer = PhaseTimer()
        wall = time.perf_counter()
        try:
            result = solve_scenario(case, name, options, timer,
                                    solved.get(comparator_of(case, name)))
            solved[name], status = result, "optimal"
            objective, size = result.objective, result.size
        except SolveError as exc:
            status, objective, size = exc.condition, float("nan"), {}
        out.append({"case": case.name, "scenario": name, "method": method,
                    "columns": size.get("variables", 0),
                    "rows": size.get("constraints", 0),
                    "cpu": timer.cpu_seconds["solve"], "wall": timer.seconds["solve"],
                    "job_wall": time.perf_counter() - wall, "status": status,
                    "objective": objective, "load": os.getloadavg()[0]})
        rec = out[-1]
        print(f"{case.name:>10} {name:>16} {rec['columns']:>9,} cols {method:>8}: "
              f"{rec['cpu']:7.2f} s CPU {rec['wall']:7.2f} s wall  {status}  "
              f"{objective:.10g}  (load {rec['load']:.1f})", flush=True)
    return out


def summary(records: list[dict[str, object]], methods: list[str]) -> str:
    """Per case: each method's total HiGHS CPU and its largest objective gap."""
    lines = []
    for case in dict.fromkeys(r["case"] for r in records):
        mine = [r for r in records if r["case"] == case]
        first = {r["scenario"]: r["objective"] for r in mine
                 if r["method"] == methods[0]}
        for method in methods:
            runs = [r for r in mine if r["method"] == method]
            gap = max((abs(r["objective"] - first[r["scenario"]])
                       / max(1.0, abs(first[r["scenario"]])) for r in runs),
                      default=float("nan"))
            cpu = sum(r["cpu"] for r in runs)
            bad = [r["scenario"] for r in runs if r["status"] != "optimal"]
            lines.append(f"{case}: {method:>8} {cpu:8.2f} s CPU, largest gap to "
                         f"{methods[0]} {gap:.1e}" + (f", not optimal: {bad}"
                                                        if bad else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("case", nargs="?")
    parser.add_argument("--regions", type=int, nargs="*", default=[])
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--methods", nargs="+", default=list(METHODS))
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="HiGHS seconds per scenario and method")
    parser.add_argument("--json", help="also write the records here")
    args = parser.parse_args(argv)
    methods = [m for m in args.methods if available(m)]
    for absent in sorted(set(args.methods) - set(methods)):
        print(f"method {absent!r}: not available in this HiGHS", flush=True)
    records: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="reroute-methods-") as tmp:
        cases = [load_case(write_synthetic(Path(tmp) / f"r{n}",
                                           SynthSpec(n, args.years)))
                 for n in args.regions]
        cases += [load_case(args.case)] if args.case else []
        for case in cases:
            for method in methods:
                records += solve_all(case, method, args.time_limit)
    print(summary(records, methods))
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
