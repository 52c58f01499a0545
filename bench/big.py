"""One large scenario, phase by phase: ``python -m bench.big --regions 1040``.

Writes a synthetic case, then times load, build (scenario data, index frames and
the numpy LP, or the Pyomo model with ``--builder pyomo``), translate (passModel,
after the standard form for Pyomo), the HiGHS solve (under a time limit, so a
2M-column LP fits in a benchmark session) and, if it finished (or with
``--extract-anyway``), extraction of the tidy tables. Prints seconds and peak
resident memory (MiB) per phase and the ratio overhead ÷ HiGHS (an upper bound
when HiGHS hit the time limit).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

START = time.perf_counter()

import highspy  # noqa: E402

from model.data.case import load_case  # noqa: E402
from model.data.indices import build_index  # noqa: E402
from model.data.scenarios import scenario_data  # noqa: E402
from model.formulation import build_model  # noqa: E402
from model.formulation.matrix import assemble  # noqa: E402
from model.formulation.pyomo_model import compile_program  # noqa: E402
from model.results.extract import extract_all  # noqa: E402
from model.solver.highs import make_highs, read_solution  # noqa: E402
from model.solver.records import SolveOptions  # noqa: E402
from model.synth import SynthSpec, write_synthetic  # noqa: E402
from model.timing import PhaseTimer  # noqa: E402


def run(case_dir: Path, scenario: str, options: SolveOptions,
        extract_anyway: bool = False) -> dict:
    clock = PhaseTimer()
    with clock.phase("load"):
        case = load_case(case_dir)
    with clock.phase("build"):
        index = build_index(scenario_data(case, scenario))
        if options.builder == "pyomo":
            model = build_model(index, scenario)
        else:
            compiled = assemble(index)
    with clock.phase("translate"):
        if options.builder == "pyomo":
            compiled = compile_program(model)
            del model
        h = make_highs(options, columns=compiled.lp.num_col_)
        h.passModel(compiled.lp)
        size = {"variables": compiled.lp.num_col_, "constraints": compiled.lp.num_row_,
                "nonzeros": len(compiled.lp.a_matrix_.value_)}
        compiled.lp = None
    with clock.phase("solve"):
        h.run()
    status = h.modelStatusToString(h.getModelStatus())
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if optimal or extract_anyway:
        with clock.phase("extract"):
            extract_all(index, read_solution(h, compiled), scenario)
    return {"scenario": scenario, "status": status, "size": size,
            "seconds": clock.seconds, "cpu_seconds": clock.cpu_seconds,
            "peak_mb": clock.peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regions", type=int, default=1040)
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--method", default="auto")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--builder", default="numpy", choices=("numpy", "pyomo"))
    parser.add_argument("--extract-anyway", action="store_true",
                        help="time extraction on HiGHS's last iterate when the time "
                        "limit stops it (nearly every value nonzero: a worst case "
                        "for the table sizes)")
    args = parser.parse_args()
    options = SolveOptions(method=args.method, time_limit=args.time_limit,
                           builder=args.builder)
    with tempfile.TemporaryDirectory(prefix="reroute-big-") as tmp:
        case = write_synthetic(Path(tmp) / "big", SynthSpec(args.regions, args.years))
        record = run(case, args.scenario, options, args.extract_anyway)
    for kind in ("seconds", "cpu_seconds"):
        s = record[kind]
        overhead = sum(s.get(p, 0.0) for p in ("load", "build", "translate", "extract"))
        record[f"overhead_over_highs_{kind}"] = overhead / s["solve"]
    record["method"], record["builder"] = args.method, args.builder
    print(json.dumps(record))


if __name__ == "__main__":
    main()
