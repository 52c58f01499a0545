"""Benchmark ladder: ``python -m bench.run`` (``make bench``).

For each size (synthetic cases doubling in regions), runs ``bench.job`` in a fresh
process and prints per phase (load, build, translate, solve, extract, combine,
report) the wall seconds and peak resident memory, then the ratios measured in the
same run:

* job ÷ HiGHS: the whole job (imports, load ... report) over the HiGHS solve time
  of the same LPs: CPU over CPU, and (in brackets) the job's wall seconds over
  HiGHS's CPU seconds, the time its LPs take solved one after the other (HiGHS runs
  one thread; with two scenarios solved at the same time, ``--scenarios-at-once``,
  the sum of their solves' wall seconds would count the shared time twice);
* overhead ÷ HiGHS: (load + build + translate + extract + combine) over HiGHS time;
* Pyomo ÷ numpy: building the same LP through the Pyomo model (build + standard
  form + passModel) over the numpy assembly (model/formulation/matrix.py);
* growth: each phase's time over the previous (half-size) row.

Times are CPU seconds of the job's process (HiGHS runs one thread), with wall
seconds in brackets: CPU time stays meaningful when other work shares the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from model.synth import SynthSpec, write_synthetic

PHASES = ("load", "build", "translate", "solve", "extract", "combine", "report")
LADDER = (6, 12, 24, 48, 96)


def measure(regions: int, years: int, method: str, scenarios: list[str] | None,
            timeout: float, work: Path, builder: str, other: bool = True,
            at_once: int | None = None) -> dict | None:
    """One job in a fresh interpreter; None if it ran past ``timeout`` seconds."""
    case = write_synthetic(work / f"r{regions}y{years}", SynthSpec(regions, years))
    cmd = [sys.executable, "-m", "bench.job", str(case), str(work / "out"),
           "--method", method, "--builder", builder]
    if scenarios:
        cmd += ["--scenario", *scenarios]
    if not other:
        cmd.append("--no-other")
    if at_once is not None:
        cmd += ["--scenarios-at-once", str(at_once)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=True, cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return None
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record.update(regions=regions, years=years, method=method)
    return record


OVERHEAD = ("load", "build", "translate", "extract", "combine")


def ratios(rec: dict) -> dict[str, float]:
    """job ÷ HiGHS (CPU; the job's wall over HiGHS's CPU) and overhead ÷ HiGHS in
    CPU and wall seconds; Pyomo ÷ numpy."""
    s, c = rec["seconds"], rec["cpu_seconds"]
    out = {"job_highs_cpu": rec["job_cpu"] / c["solve"],
           "job_highs_wall": rec["job_wall"] / c["solve"],
           "over_highs_cpu": sum(c.get(p, 0.0) for p in OVERHEAD) / c["solve"],
           "over_highs_wall": sum(s.get(p, 0.0) for p in OVERHEAD) / s["solve"]}
    if "other" in rec:
        o = rec["other"]
        this = c["build"] + c["translate"]
        that = o["index_cpu"] + o["build_pass_cpu"]
        out["pyomo_numpy"] = that / this if o["builder"] == "pyomo" else this / that
    return out


def columns(rec: dict) -> int:
    return sum(size["variables"] for size in rec["sizes"].values())


def table(records: list[dict]) -> str:
    """Markdown table: CPU seconds per phase, peak memory, ratios, growth."""
    head = ("| regions | LP columns (all scenarios) | " + " | ".join(PHASES)
            + " | job CPU s (wall s) | peak MiB (phase) | job÷HiGHS CPU (job wall÷"
            "HiGHS CPU) | overhead÷HiGHS CPU (wall) | Pyomo÷numpy build | growth ×2 "
            "(build, translate, extract) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    prev = None
    for rec in records:
        c, r = rec["cpu_seconds"], ratios(rec)
        peak = max(rec["peak_mb"].items(), key=lambda kv: kv[1])
        growth = "–" if prev is None else ", ".join(
            f"{c[p] / prev['cpu_seconds'][p]:.2f}" for p in ("build", "translate",
                                                              "extract"))
        lines.append(
            f"| {rec['regions']} | {columns(rec):,} | "
            + " | ".join(f"{c.get(p, 0.0):.2f}" for p in PHASES)
            + f" | {rec['job_cpu']:.1f} ({rec['job_wall']:.1f}) | {peak[1]:.0f} "
            f"({peak[0]}) | {r['job_highs_cpu']:.2f} ({r['job_highs_wall']:.2f}) | "
            f"{r['over_highs_cpu']:.2f} ({r['over_highs_wall']:.2f}) | "
            f"{r.get('pyomo_numpy', float('nan')):.1f} | {growth} |")
        prev = rec
    return "\n".join(lines)


def machine() -> str:
    from importlib.metadata import version

    import pandas
    import pyomo

    cpu = next((ln.split(":", 1)[1].strip() for ln in
                Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"pyomo {pyomo.version.version}, highspy {version('highspy')}, "
            f"pandas {pandas.__version__}, numpy {version('numpy')}; "
            f"load average {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--regions", type=int, nargs="*", default=list(LADDER))
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--method", default="auto")
    parser.add_argument("--scenario", nargs="*", help="default: every scenario")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds per job before it is skipped (default 600)")
    parser.add_argument("--builder", default="numpy", choices=("numpy", "pyomo"))
    parser.add_argument("--no-other", action="store_true",
                        help="skip timing the other LP builder")
    parser.add_argument("--scenarios-at-once", type=int, default=None, metavar="N",
                        help="as reroute solve's (default: one per core)")
    parser.add_argument("--json", help="also write the raw records here")
    args = parser.parse_args(argv)
    print(machine(), flush=True)
    records = []
    with tempfile.TemporaryDirectory(prefix="reroute-bench-") as tmp:
        for regions in args.regions:
            rec = measure(regions, args.years, args.method, args.scenario,
                          args.timeout, Path(tmp), args.builder, not args.no_other,
                          args.scenarios_at_once)
            if rec is None:
                print(f"{regions} regions: over {args.timeout:.0f} s, stopped",
                      flush=True)
                break
            records.append(rec)
            highs = rec["cpu_seconds"]["solve"]
            print(f"{regions} regions: {columns(rec):,} columns, job "
                  f"{rec['job_cpu']:.1f} s CPU, HiGHS {highs:.1f} s CPU",
                  flush=True)
    print(table(records))
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
