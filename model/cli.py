"""Command line: ``reroute solve [CASE] [--out DIR] [--scenario NAME ...]`` and
``reroute synth OUT --regions N --years Y`` (a synthetic case of any size).

Exit codes (MODEL-SPEC §6): 0 solved; 2 bad input; 3 the solver could not solve;
1 anything else; 130 interrupted. Errors are one line per problem, no traceback
unless ``--debug``.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import traceback
from importlib import resources
from pathlib import Path

from model import __version__
from model.errors import InputError, ModelError
from model.solve import SolveOptions
from model.sweep.cli import add_sweep_parser, sweep_command

METHODS = ("ipx", "simplex", "pdlp", "hipo", "choose")


def bundled_case() -> Path:
    """The default case: packaged in the wheel, or inputs/default in a checkout."""
    packaged = Path(str(resources.files("model"))) / "_bundled" / "default"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "inputs" / "default"


def _add_solve_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "solve", help="solve a case and write its report",
        description="Solve every scenario of CASE (a folder of CSV files or an .xlsx "
        "workbook) and write report.xlsx, tables/*.csv and run.json.")
    p.add_argument("case", nargs="?", help="the case; default: the bundled default "
                   "case")
    p.add_argument("--out", metavar="DIR", help="output folder (default: "
                   "outputs/<case name>)")
    p.add_argument("--scenario", metavar="NAME", nargs="+", action="extend",
                   help="solve only these scenarios (the baseline is always solved)")
    p.add_argument("--time-limit", metavar="SECONDS", type=_seconds,
                   help="stop each scenario's solve after this many seconds (exit 3)")
    p.add_argument("--method", choices=METHODS, default="ipx",
                   help="HiGHS algorithm (default: ipx, interior point with crossover)")
    p.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    p.add_argument("--builder", choices=("numpy", "pyomo"), default="numpy",
                   help="how the LP is built: numpy arrays (default, fast) or the "
                   "Pyomo model (same LP, slower; for checking)")
    _add_verbosity(p)


def _add_verbosity(p: argparse.ArgumentParser) -> None:
    """--quiet, -v and --debug, also accepted after the subcommand."""
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only errors and where the outputs went")
    p.add_argument("-v", "--verbose", action="store_true", help="log each phase")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show tracebacks and debug logging")


def _add_synth_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth", help="write a synthetic case of any size",
        description="Write a synthetic case (CSV folder) with the default case's "
        "structure; about 120 LP columns per region and year in the baseline.")
    p.add_argument("out", metavar="OUT", help="folder to write the case into")
    p.add_argument("--regions", type=int, default=20, help="regions (>= 3, default 20)")
    p.add_argument("--years", type=int, default=16, help="horizon years (default 16)")
    p.add_argument("--degree", type=int, default=4,
                   help="trade links per region (default 4)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def _seconds(text: str) -> float:
    """A finite, non-negative number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds >= 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reroute",
        description="Reroute: what it costs the alliance to meet its rare-earth "
        "demand without China. Exit codes: 0 solved, 2 bad input, 3 solver could "
        "not solve, 1 other error, 130 interrupted.")
    parser.add_argument("--version", action="version", version=f"reroute {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show tracebacks and debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_solve_parser(sub)
    add_sweep_parser(sub, METHODS)
    _add_synth_parser(sub)
    for name in ("sweep", "synth"):
        sub.choices[name].add_argument("--debug", action="store_true",
                                       default=argparse.SUPPRESS,
                                       help="show tracebacks and debug logging")
    return parser


def _solve(args: argparse.Namespace) -> int:
    from model.pipeline import run_case

    case = Path(args.case) if args.case else bundled_case()
    name = case.stem if case.suffix else case.name
    out = Path(args.out) if args.out else Path("outputs") / name
    options = SolveOptions(method=args.method, time_limit=args.time_limit,
                           threads=args.threads, builder=args.builder)
    from model.report.terminal import print_headline, scenario_line

    quiet = getattr(args, "quiet", False)

    def solved(name: str, status: str, seconds: float) -> None:
        if not quiet:
            print(scenario_line(name, status, seconds), flush=True)

    run = run_case(case, out, args.scenario, options, on_solved=solved)
    if not quiet:
        print_headline(run.summary, run.case.settings.end_year)
    print(f"wrote {out}/report.xlsx, {out}/tables/*.csv, {out}/run.json")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from model.synth import SynthSpec, write_synthetic

    if args.regions < 3 or args.years < 2 or args.degree < 2:
        print("error: --regions must be >= 3, --years >= 2 and --degree >= 2",
              file=sys.stderr)
        return 2
    spec = SynthSpec(regions=args.regions, years=args.years, degree=args.degree,
                     seed=args.seed)
    out = write_synthetic(args.out, spec)
    print(f"wrote synthetic case {out} ({args.regions} regions, {args.years} years)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    level = logging.DEBUG if args.debug else (
        logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    logging.getLogger("pyomo").setLevel(logging.WARNING)
    try:
        if args.command == "sweep":
            return sweep_command(args, bundled_case())
        return _synth(args) if args.command == "synth" else _solve(args)
    except ModelError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # anything unexpected: exit 1, traceback on --debug
        if args.debug:
            traceback.print_exc()
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


__all__ = ["InputError", "main"]
