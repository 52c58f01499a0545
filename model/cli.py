"""Command line: ``reroute solve [CASE] [--out DIR] [--scenario NAME ...]``,
``reroute sweep``, ``reroute hedge``, ``reroute frontier`` and
``reroute synth OUT --regions N --years Y`` (a synthetic case of any size).

Exit codes (MODEL-SPEC §6): 0 solved; 2 bad input; 3 the solver could not solve;
1 anything else; 130 interrupted (Ctrl-C, SIGTERM or SIGHUP, at any moment). Errors
are one line per problem, no traceback unless ``--debug``.

This module imports only the standard library and Reroute's light modules, so
``reroute --help`` is quick and the signal handlers (``model.interrupts``) are in
place before the commands import pandas, Pyomo, HiGHS or openpyxl. The program
(console script, ``python -m model``) is ``model.program.run``; ``main`` is the
same command line for callers in-process.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.arguments import (
    integer_at_least,
    non_negative_integer,
    positive_integer,
    seconds,
)
from model.errors import InputError, ModelError
from model.interrupts import SignalGuard, exit_code
from model.streams import say
from model.study_cli import add_study_parsers, frontier_command, hedge_command
from model.sweep.cli import add_sweep_parser, sweep_command
from model.version import __version__

METHODS = ("ipx", "simplex", "pdlp", "hipo", "choose")


def bundled_case() -> Path:
    """The default case: packaged in the wheel, or inputs/default in a checkout."""
    from importlib import resources

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
    p.add_argument("--time-limit", metavar="SECONDS", type=seconds,
                   help="stop each scenario's solve after this many seconds (exit 3)")
    p.add_argument("--method", choices=METHODS, default="ipx",
                   help="HiGHS algorithm (default: ipx, interior point with crossover)")
    p.add_argument("--threads", type=positive_integer, default=1, metavar="N",
                   help="HiGHS threads, >= 1 (default 1)")
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
    p.add_argument("--regions", type=integer_at_least(3), default=20,
                   help="regions, >= 3 (default 20)")
    p.add_argument("--years", type=integer_at_least(2), default=16,
                   help="horizon years, >= 2 (default 16)")
    p.add_argument("--degree", type=integer_at_least(2), default=4,
                   help="trade links per region, >= 2 (default 4)")
    p.add_argument("--seed", type=non_negative_integer, default=0,
                   help="random seed, >= 0 (default 0)")


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
    add_study_parsers(sub, METHODS)
    _add_synth_parser(sub)
    for name in ("sweep", "synth"):
        sub.choices[name].add_argument("--debug", action="store_true",
                                       default=argparse.SUPPRESS,
                                       help="show tracebacks and debug logging")
    return parser


def _solve(args: argparse.Namespace) -> int:
    from model.outputs import default_out_dir
    from model.pipeline import run_case
    from model.solver.records import SolveOptions

    case = Path(args.case) if args.case else bundled_case()
    out = Path(args.out) if args.out else default_out_dir(case)
    options = SolveOptions(method=args.method, time_limit=args.time_limit,
                           threads=args.threads, builder=args.builder)
    from model.report.terminal import headline_text, scenario_line

    quiet = getattr(args, "quiet", False)

    def solved(name: str, status: str, seconds: float) -> None:
        if not quiet:
            say(scenario_line(name, status, seconds), flush=True)

    run = run_case(case, out, args.scenario, options, on_solved=solved)
    if not quiet:
        say(headline_text(run.summary, run.case.settings.end_year))
    say(f"wrote {out}/report.xlsx, {out}/tables/*.csv, {out}/run.json")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from model.synth import SynthSpec, write_synthetic

    spec = SynthSpec(regions=args.regions, years=args.years, degree=args.degree,
                     seed=args.seed)
    out = write_synthetic(args.out, spec)
    say(f"wrote synthetic case {out} ({args.regions} regions, {args.years} years)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line in this process; return the exit code.

    The signal handlers are ``SignalGuard``'s while it runs, then put back."""
    guard = SignalGuard().install()
    try:
        return exit_code(guard, lambda: command_line(argv, guard))
    finally:
        guard.restore()


def command_line(argv: list[str] | None, guard: SignalGuard) -> int:
    """Parse ``argv`` and run the command; errors become one line and a code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    _configure_logging(args.debug, getattr(args, "verbose", False))
    try:
        if args.command == "sweep":
            return sweep_command(args, bundled_case())
        if args.command == "hedge":
            return hedge_command(args, bundled_case())
        if args.command == "frontier":
            return frontier_command(args, bundled_case())
        return _synth(args) if args.command == "synth" else _solve(args)
    except ModelError as exc:
        guard.check()
        say(str(exc), err=True)
        return exc.exit_code
    except Exception as exc:  # anything unexpected: exit 1, traceback on --debug
        guard.check()
        if args.debug:
            import traceback

            traceback.print_exc()
        say(f"error: {type(exc).__name__}: {exc}", err=True)
        return 1


def _configure_logging(debug: bool, verbose: bool) -> None:
    """DEBUG with --debug, INFO (each phase) with -v, else WARNING."""
    import logging

    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    logging.getLogger("pyomo").setLevel(logging.WARNING)


__all__ = ["InputError", "command_line", "main"]
