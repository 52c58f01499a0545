"""HiGHS algorithm per size: ``python -m bench.methods CASE [--methods ipx simplex]``.

Builds every scenario's LP once and solves it with each method in turn, printing
wall and CPU seconds, iterations and the objective (all methods must agree).
"""

from __future__ import annotations

import argparse
import time

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data, scenario_names
from model.formulation import build_model
from model.formulation.pyomo_model import compile_program
from model.solver.highs import make_highs
from model.solver.records import SolveOptions


def solve_with(lp: object, method: str, time_limit: float) -> dict[str, object]:
    h = make_highs(SolveOptions(method=method, time_limit=time_limit))
    h.passModel(lp)
    wall, cpu = time.perf_counter(), time.process_time()
    h.run()
    info = h.getInfo()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
            "status": h.modelStatusToString(h.getModelStatus()),
            "objective": info.objective_function_value,
            "iterations": info.simplex_iteration_count + info.ipm_iteration_count
            + info.pdlp_iteration_count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("--methods", nargs="+", default=["ipx", "simplex"])
    parser.add_argument("--scenario", nargs="*")
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    case = load_case(args.case)
    totals = {m: [0.0, 0.0] for m in args.methods}
    for name in args.scenario or scenario_names(case):
        lp = compile_program(build_model(build_index(scenario_data(case, name)))).lp
        for method in args.methods:
            r = solve_with(lp, method, args.time_limit)
            totals[method][0] += r["wall"]
            totals[method][1] += r["cpu"]
            print(f"{name:>16} {lp.num_col_:>9,} cols  {method:>8}: {r['wall']:7.2f} s "
                  f"wall {r['cpu']:7.2f} s CPU {r['iterations']:>7} it  "
                  f"{r['status']}  {r['objective']:.10g}", flush=True)
    for method, (wall, cpu) in totals.items():
        print(f"total {method:>8}: {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
