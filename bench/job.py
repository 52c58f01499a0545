"""One benchmark measurement in a fresh process: ``python -m bench.job CASE OUT``.

Runs the real job (``run_case`` with report writing, as ``reroute solve`` does, with
``--builder``) and then, for the same scenarios, the other way of building the same
LP: the Pyomo model compiled to standard form, or the numpy assembly
(model/formulation/matrix.py), each up to ``passModel``. Prints one JSON record:
per-phase wall and CPU seconds, peak resident memory per phase (MiB), LP sizes,
and the job's wall and CPU time from process start (imports included; the
imports' CPU seconds alone as ``import_cpu``), and the job ÷ HiGHS ratios:
``job_over_highs_cpu`` (CPU over CPU), ``job_wall_over_highs_cpu`` (the job's wall
seconds over HiGHS's CPU seconds, the time its LPs take solved one after the
other: the measure when scenarios are solved at the same time,
``--scenarios-at-once``, default one per core) and ``job_over_highs_wall`` (over
the sum of the solves' wall seconds, which counts twice the time two solves
share).
"""

from __future__ import annotations

import argparse
import json
import time

START = time.perf_counter()

from model.memory import peak_mb, reset_peak  # noqa: E402
from model.pipeline import run_case  # noqa: E402
from model.solver.records import SolveOptions  # noqa: E402

IMPORT_CPU = time.process_time()  # the job's imports (as ``reroute solve``'s)


def other_builder(run: object, options: SolveOptions, builder: str
                  ) -> dict[str, float]:
    """CPU seconds of index frames and of ``builder``'s LP build + passModel
    (imported here, after the job: Pyomo is no import of a numpy-built solve)."""
    from model.data.indices import build_index  # noqa: PLC0415
    from model.data.scenarios import scenario_data  # noqa: PLC0415
    from model.formulation import build_model  # noqa: PLC0415
    from model.formulation.matrix import assemble  # noqa: PLC0415
    from model.formulation.pyomo_model import compile_program  # noqa: PLC0415
    from model.solver.highs import make_highs  # noqa: PLC0415

    index_s = build_s = 0.0
    reset_peak()
    for result in run.scenarios:  # type: ignore[attr-defined]
        t0 = time.process_time()
        data = scenario_data(run.case, result.name)  # type: ignore[attr-defined]
        ix = build_index(data)
        t1 = time.process_time()
        program = (compile_program(build_model(ix)) if builder == "pyomo"
                   else assemble(ix))
        lp = program.lp
        h = make_highs(options, columns=lp.num_col_)
        h.passModel(lp)
        del lp, h
        index_s += t1 - t0
        build_s += time.process_time() - t1
    return {"builder": builder, "index_cpu": index_s, "build_pass_cpu": build_s,
            "peak_mb": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("out")
    parser.add_argument("--method", default="auto")
    parser.add_argument("--scenario", nargs="*")
    parser.add_argument("--builder", default="numpy", choices=("numpy", "pyomo"))
    parser.add_argument("--no-other", action="store_true")
    parser.add_argument("--scenarios-at-once", type=int, default=None)
    args = parser.parse_args()
    options = SolveOptions(method=args.method, builder=args.builder)
    run = run_case(args.case, args.out, args.scenario, options,
                   scenarios_at_once=args.scenarios_at_once)
    job = time.perf_counter() - START
    record = {
        "builder": args.builder,
        "job_wall": job,
        "job_cpu": time.process_time(),
        "import_cpu": IMPORT_CPU,
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "peak_mb": run.peak_mb,
        "sizes": {r.name: r.size for r in run.scenarios},
        "solve_by_scenario": {r.name: r.seconds["solve"] for r in run.scenarios},
    }
    record["scenarios_at_once"] = run.scenarios_at_once
    record["job_over_highs_wall"] = job / run.seconds["solve"]
    record["job_wall_over_highs_cpu"] = job / run.cpu_seconds["solve"]
    record["job_over_highs_cpu"] = record["job_cpu"] / run.cpu_seconds["solve"]
    if not args.no_other:
        other = "pyomo" if args.builder == "numpy" else "numpy"
        record["other"] = other_builder(run, options, other)
    print(json.dumps(record))


if __name__ == "__main__":
    main()
