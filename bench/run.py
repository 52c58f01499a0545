"""Benchmark ladder: ``python -m bench.run`` (``make bench``).

For each size (synthetic cases doubling in regions), runs ``bench.job`` in a fresh
process and prints per phase (load, build, translate, solve, extract, report) the
wall seconds and peak resident memory, then the ratios measured in the same run:

* job ÷ HiGHS: the whole job's wall time (imports, load ... report) over the HiGHS
  solve time of the same LPs;
* overhead ÷ HiGHS: (load + build + translate + extract) over HiGHS time, in wall
  and in CPU seconds (CPU is robust to other processes sharing the machine);
* Pyomo ÷ peer: (build + translate) over (index + numpy build + passModel) of the
  reference builder in bench/reference.py;
* growth: each phase's time over the previous (half-size) row.
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

PHASES = ("load", "build", "translate", "solve", "extract", "report")
LADDER = (6, 12, 24, 48, 96, 192)


def measure(regions: int, years: int, method: str, scenarios: list[str] | None,
            timeout: float, work: Path, peer: bool = True) -> dict | None:
    """One job in a fresh interpreter; None if it ran past ``timeout`` seconds."""
    case = write_synthetic(work / f"r{regions}y{years}", SynthSpec(regions, years))
    cmd = [sys.executable, "-m", "bench.job", str(case), str(work / "out"),
           "--method", method]
    if scenarios:
        cmd += ["--scenario", *scenarios]
    if not peer:
        cmd.append("--no-peer")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=True, cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return None
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record.update(regions=regions, years=years, method=method)
    return record


def ratios(rec: dict) -> dict[str, float]:
    s, c = rec["seconds"], rec["cpu_seconds"]
    over = sum(s.get(p, 0.0) for p in ("load", "build", "translate", "extract"))
    over_cpu = sum(c.get(p, 0.0) for p in ("load", "build", "translate", "extract"))
    out = {"job_highs": rec["job_wall"] / s["solve"], "over_highs": over / s["solve"],
           "over_highs_cpu": over_cpu / max(c.get("solve", 0.0), 1e-9)}
    if "peer" in rec:
        p = rec["peer"]
        out["pyomo_peer"] = ((s["build"] + s["translate"])
                             / (p["index"] + p["numpy_build_pass"]))
    return out


def columns(rec: dict) -> int:
    return sum(size["variables"] for size in rec["sizes"].values())


def table(records: list[dict]) -> str:
    head = ("| regions | LP columns (all scenarios) | " + " | ".join(PHASES)
            + " | job s | peak MiB (phase) | job÷HiGHS | overhead÷HiGHS (wall / CPU)"
            " | Pyomo÷peer | growth per doubling (build, translate, extract) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    prev = None
    for rec in records:
        s, r = rec["seconds"], ratios(rec)
        peak = max(rec["peak_mb"].items(), key=lambda kv: kv[1])
        growth = "–" if prev is None else ", ".join(
            f"{s[p] / prev['seconds'][p]:.2f}" for p in ("build", "translate", "extract"))
        lines.append(
            f"| {rec['regions']} | {columns(rec):,} | "
            + " | ".join(f"{s.get(p, 0.0):.2f}" for p in PHASES)
            + f" | {rec['job_wall']:.1f} | {peak[1]:.0f} ({peak[0]}) | "
            f"{r['job_highs']:.2f} | {r['over_highs']:.2f} / {r['over_highs_cpu']:.2f}"
            f" | {r.get('pyomo_peer', float('nan')):.1f} | {growth} |")
        prev = rec
    return "\n".join(lines)


def machine() -> str:
    import highspy
    import pandas
    import pyomo

    cpu = next((ln.split(":", 1)[1].strip() for ln in
                Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"pyomo {pyomo.version.version}, highspy {highspy.__version__ if hasattr(highspy, '__version__') else '?'}, "
            f"pandas {pandas.__version__}; load average {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--regions", type=int, nargs="*", default=list(LADDER))
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--method", default="ipx")
    parser.add_argument("--scenario", nargs="*", help="default: every scenario")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds per job before it is skipped (default 600)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--json", help="also write the raw records here")
    args = parser.parse_args(argv)
    print(machine(), flush=True)
    records = []
    with tempfile.TemporaryDirectory(prefix="reroute-bench-") as tmp:
        for regions in args.regions:
            rec = measure(regions, args.years, args.method, args.scenario,
                          args.timeout, Path(tmp), peer=not args.no_peer)
            if rec is None:
                print(f"{regions} regions: over {args.timeout:.0f} s, stopped",
                      flush=True)
                break
            records.append(rec)
            print(f"{regions} regions: {columns(rec):,} columns, job "
                  f"{rec['job_wall']:.1f} s, HiGHS {rec['seconds']['solve']:.1f} s",
                  flush=True)
    print(table(records))
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
