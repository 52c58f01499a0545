"""``reroute sweep CASE --samples N [--seed S] [--sampler random|lhs]
[--workers K | --scheduler ADDRESS] [--resume]`` (MODEL-SPEC §7).

Kept free of heavy imports so that ``reroute --help`` stays fast. Option values
are checked by the same types as ``reroute solve``'s (``model.arguments``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.arguments import non_negative_integer, positive_integer, seconds
from model.parallel.options import add_executor_options, placement
from model.streams import say


def add_sweep_parser(sub: argparse._SubParsersAction, methods: tuple[str, ...]) -> None:
    """The ``sweep`` subcommand and its options."""
    p = sub.add_parser(
        "sweep", help="solve every scenario for many samples of the uncertain inputs",
        description="Draw --samples values of every row of the case's uncertainty "
        "table, solve every scenario per sample, and write <out>/store/, "
        "<out>/sweep.xlsx and <out>/run.json. Exit 3 if any scenario of any sample "
        "failed (the others are kept), 2 on bad input.")
    p.add_argument("case", nargs="?", help="the case; default: the bundled default "
                   "case")
    p.add_argument("--samples", type=positive_integer, required=True, metavar="N",
                   help="number of samples to draw, >= 1 (each solves every "
                   "scenario)")
    p.add_argument("--seed", type=non_negative_integer, default=0, metavar="S",
                   help="random seed of the draws, >= 0 (default 0)")
    p.add_argument("--sampler", choices=("random", "lhs"), default="random",
                   help="independent random draws (default) or Latin hypercube")
    add_executor_options(p, "samples")
    p.add_argument("--resume", action="store_true",
                   help="solve only the samples missing from the store")
    p.add_argument("--out", metavar="DIR",
                   help="output folder (default: outputs/<case name>/sweep)")
    p.add_argument("--scenario", metavar="NAME", nargs="+", action="extend",
                   help="solve only these scenarios (the baseline is always solved)")
    p.add_argument("--method", choices=methods, default="auto",
                   help="HiGHS algorithm (auto: by LP size, model/solver/method.py)")
    p.add_argument("--time-limit", metavar="SECONDS", type=seconds,
                   help="stop each scenario's solve after this many seconds (>= 0)")
    p.add_argument("--cold", action="store_true",
                   help="build and solve every sample's LPs from scratch (default: "
                   "each worker keeps every scenario's LP in HiGHS, changes its "
                   "numbers in place and re-solves warm; the same answers)")


def make_executor(args: argparse.Namespace) -> object:
    """The executor the options ask for."""
    from model.parallel.executors import make_executor as make
    from model.sweep.runner import PRELOAD, task_key
    from model.sweep.worker import run_sample

    return make(placement(args), run_sample, PRELOAD, task_key)


def sweep_command(args: argparse.Namespace, default_case: Path) -> int:
    """Run ``reroute sweep``; return the exit code."""
    from model.outputs import SWEEP_SUBFOLDER, default_out_dir
    from model.solver.records import SolveOptions
    from model.sweep.command import SweepRequest, run_sweep

    case = Path(args.case) if args.case else default_case
    out = Path(args.out) if args.out else default_out_dir(case) / SWEEP_SUBFOLDER
    request = SweepRequest(
        case, out, args.samples, args.seed, args.sampler, args.resume, args.scenario,
        SolveOptions(method=args.method, time_limit=args.time_limit),
        progress=sys.stderr.isatty(), warm=not args.cold)
    result = run_sweep(request, make_executor(args))  # type: ignore[arg-type]
    say(f"{len(result.solved)} samples solved, {result.reused} reused from the "
        f"store; wrote {out}/sweep.xlsx, {out}/run.json, {out}/store/")
    for row in result.failures.itertuples(index=False):
        say(f"error: sample {row.sample}, scenario '{row.scenario}': {row.status}"
            f" ({row.reason})", err=True)
    return result.exit_code
