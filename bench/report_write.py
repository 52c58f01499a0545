"""How report.xlsx writing time grows with table size (it should be linear).

Solves the small report test case once, then repeats its tidy tables k times
(k = 1, 2, 4, 8 ... by default up to --max-factor) with distinct scenario names and
writes the report for each size. Prints rows, cells, seconds and the ratio of
seconds per row against the smallest size (≈ 1 means linear).

    .venv/bin/python bench/report_write.py [--max-factor 64] [--repeat-rows 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from model.pipeline import run_case
from model.report.excel import write_report
from tests.helpers import write_case
from tests.report.conftest import report_case_tables


def scaled(tables: dict[str, pd.DataFrame], factor: int, rows: int
           ) -> dict[str, pd.DataFrame]:
    """Each tidy table repeated: ``factor`` copies of ``rows`` copies each."""
    out = {}
    for name, frame in tables.items():
        copies = [frame.assign(region=frame["region"] + f"_{i}")
                  if "region" in frame.columns else frame
                  for i in range(factor * rows)] if name not in (
            "summary", "kpi_by_commodity", "lead_times") else [frame]
        out[name] = pd.concat(copies, ignore_index=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-factor", type=int, default=16)
    parser.add_argument("--repeat-rows", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = write_case(Path(tmp) / "demo", report_case_tables())
        run = run_case(case)
        base = None
        factor = 1
        print(f"{'factor':>6} {'rows':>9} {'cells':>10} {'seconds':>8} "
              f"{'s/row ratio':>11}")
        while factor <= args.max_factor:
            tables = scaled(run.tables, factor, args.repeat_rows)
            rows = sum(len(t) for t in tables.values())
            cells = sum(t.size for t in tables.values())
            start = time.perf_counter()
            write_report(tables, run.case, {"case": "bench"}, Path(tmp) / "r.xlsx")
            seconds = time.perf_counter() - start
            base = base or seconds / rows
            print(f"{factor:>6} {rows:>9,} {cells:>10,} {seconds:>8.2f} "
                  f"{seconds / rows / base:>11.2f}")
            factor *= 2


if __name__ == "__main__":
    main()
