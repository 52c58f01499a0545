"""Seconds to write the default case's report.xlsx (the writer's own cost).

Solves the bundled default case once (or reads the solved tables from
``--cache``), then writes its report ``--repeat`` times and prints the best and
mean seconds; with ``--against SECONDS`` (an earlier figure, e.g. of another
writer) also the ratio earlier / now.

    nice .venv/bin/python -m bench.report_default [--cache DIR] [--against 12.3]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from pathlib import Path

from model.cli import bundled_case
from model.pipeline import run_case
from model.report.excel import write_report


def solved(cache: Path | None) -> tuple[dict, object]:
    """(tables, case) of the default case, from ``cache`` when it holds them."""
    file = cache / "default_run.pickle" if cache else None
    if file is not None and file.is_file():
        with open(file, "rb") as handle:
            return pickle.load(handle)
    run = run_case(bundled_case())
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(file, "wb") as handle:
            pickle.dump((run.tables, run.case), handle)
    return run.tables, run.case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder to keep the solved tables")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=float, help="an earlier figure (s)")
    args = parser.parse_args()
    tables, case = solved(args.cache)
    cells = sum(t.size for t in tables.values())
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            start = time.perf_counter()
            write_report(tables, case, {"case": "default"}, Path(tmp) / "r.xlsx")
            times.append(time.perf_counter() - start)
        size = (Path(tmp) / "r.xlsx").stat().st_size
    best, mean = min(times), statistics.mean(times)
    print(f"default case report: {cells:,} table cells, {size / 1e6:.1f} MB; "
          f"best {best:.2f} s, mean {mean:.2f} s over {args.repeat}")
    if args.against:
        print(f"ratio earlier / now (best): {args.against / best:.2f}")


if __name__ == "__main__":
    main()
