"""One benchmark measurement in a fresh process: ``python -m bench.job CASE OUT``.

Runs the real job (``run_case`` with report writing, as ``reroute solve`` does) and
then, for the same scenarios, the peer: the index frames plus the numpy reference
build and ``passModel`` (bench/reference.py). Prints one JSON record: per-phase wall
and CPU seconds, peak resident memory per phase (MiB), LP sizes and the job's wall
time from process start (imports included).
"""

from __future__ import annotations

import argparse
import json
import time

START = time.perf_counter()

from model.data.indices import build_index  # noqa: E402
from model.data.scenarios import scenario_data  # noqa: E402
from model.memory import peak_mb, reset_peak  # noqa: E402
from model.pipeline import run_case  # noqa: E402
from model.solve import SolveOptions, make_highs  # noqa: E402

from bench.reference import reference_lp  # noqa: E402


def peer(run: object, options: SolveOptions) -> dict[str, float]:
    """Seconds of index building and of the numpy build + passModel, per job."""
    index_s = build_s = 0.0
    reset_peak()
    for result in run.scenarios:  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        ix = build_index(scenario_data(run.case, result.name))  # type: ignore[attr-defined]
        t1 = time.perf_counter()
        lp, _, _ = reference_lp(ix)
        h = make_highs(options)
        h.passModel(lp)
        del lp, h
        index_s += t1 - t0
        build_s += time.perf_counter() - t1
    return {"index": index_s, "numpy_build_pass": build_s, "peak_mb": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("out")
    parser.add_argument("--method", default="ipx")
    parser.add_argument("--scenario", nargs="*")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    options = SolveOptions(method=args.method)
    run = run_case(args.case, args.out, args.scenario, options)
    job = time.perf_counter() - START
    record = {
        "job_wall": job,
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "peak_mb": run.peak_mb,
        "sizes": {r.name: r.size for r in run.scenarios},
        "solve_by_scenario": {r.name: r.seconds["solve"] for r in run.scenarios},
    }
    if not args.no_peer:
        record["peer"] = peer(run, options)
    print(json.dumps(record))


if __name__ == "__main__":
    main()
