"""``reroute compare OUT_A OUT_B ... [--out DIR]``: runs side by side.

Reads each run's ``run.json`` and ``tables/*.csv`` (``model.report.runs``), refuses
runs of different horizons or discount rates (exit 2), and writes ``compare.xlsx``
and a ``run.json`` naming the runs compared into an output folder of its own
(``model.outputs``: marker and manifest, staged, never a solve's or a sweep's
folder). Without ``--out`` the folder is ``outputs/compare-<A>-vs-<B>`` from the
runs' folder names (``…-and-<n>-more`` beyond three runs).
"""

from __future__ import annotations

import re
from pathlib import Path

from model.outputs import staged_output
from model.report.excel.compare_book import write_compare_book
from model.report.run_record import versions, write_run_record
from model.report.runs import Run, read_runs

SHOWN_NAMES = 3
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_compare_dir(runs: list[Run]) -> Path:
    """outputs/compare-<A>-vs-<B>[-vs-<C>][-and-<n>-more]."""
    names = [_UNSAFE.sub("_", r.path.resolve().name) or "run" for r in runs]
    name = "compare-" + "-vs-".join(names[:SHOWN_NAMES])
    if len(names) > SHOWN_NAMES:
        name += f"-and-{len(names) - SHOWN_NAMES}-more"
    return Path("outputs") / name


def compare(paths: list[Path], out: Path | None = None) -> Path:
    """Compare the runs in ``paths`` (the first is the reference); return the
    output folder."""
    runs = read_runs(paths)
    out = out if out is not None else default_compare_dir(runs)
    with staged_output(out, "compare") as staging:
        write_compare_book(runs, staging / "compare.xlsx")
        write_run_record({"command": "compare", "versions": versions(),
                          "runs": [{"label": r.label, "folder": str(r.path),
                                    "case": r.info.get("case"),
                                    "input_hash": r.info.get("input_hash"),
                                    "horizon": r.info.get("horizon")}
                                   for r in runs]},
                         staging / "run.json")
    return out
