"""Command line: ``reroute solve [CASE] [--out DIR] [--scenario NAME ...]``,
``reroute hedge``, ``reroute frontier``, ``reroute compare OUT_A OUT_B ...
[--out DIR]`` (runs side by side) and
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
from model.errors import InputError, ModelError, Problem
from model.interrupts import SignalGuard, exit_code
from model.solver.method import SIMPLEX_MAX_COLUMNS
from model.streams import say
from model.study_cli import add_study_parsers, frontier_command, hedge_command
from model.sweep.cli import add_sweep_parser, sweep_command
from model.version import __version__

METHODS = ("auto", "ipx", "simplex", "pdlp", "hipo", "choose")


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
    p.add_argument("--case", dest="case_option", metavar="CASE",
                   help="the case, as an option (same as the CASE argument)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: "
                   "outputs/<case name>, or outputs/<case name>/scenario-<name> "
                   "with --scenario)")
    p.add_argument("--scenario", metavar="NAME", nargs="+", action="extend",
                   help="solve only these scenarios (the baseline is always solved); "
                   "put CASE before --scenario, or use --case")
    p.add_argument("--time-limit", metavar="SECONDS", type=seconds,
                   help="stop each scenario's solve after this many seconds (exit 3)")
    p.add_argument("--method", choices=METHODS, default="auto",
                   help="HiGHS algorithm (default: auto, dual simplex up to "
                   f"{SIMPLEX_MAX_COLUMNS:,} columns, ipx, interior point with "
                   "crossover, above)")
    p.add_argument("--threads", type=positive_integer, default=1, metavar="N",
                   help="HiGHS threads, >= 1 (default 1)")
    p.add_argument("--scenarios-at-once", type=positive_integer, default=None,
                   metavar="N", help="scenarios HiGHS solves at the same time, >= 1 "
                   "(default: one per core, divided by --threads; 1 uses the least "
                   "memory); the outputs are the same")
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


def _add_case_file_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init", help="write a starter case (the bundled default) to edit",
        description="Write the bundled default case as a folder of CSV files, or with "
        "--xlsx as one workbook (DIR.xlsx), with header notes and drop-down lists. "
        "Nothing is overwritten: DIR must be new or an empty folder.")
    p.add_argument("dir", metavar="DIR", help="the new case (folder, or workbook "
                   "with --xlsx)")
    p.add_argument("--xlsx", action="store_true", help="write one .xlsx workbook")
    p = sub.add_parser(
        "export", help="convert a case: CSV folder -> workbook, workbook -> CSV",
        description="Write CASE in the other form: a CSV folder as OUT.xlsx (header "
        "notes with units and meaning, drop-down lists for codes and enumerations, "
        "the source column kept), a workbook as the folder OUT. Both load to the "
        "same tables and input hash. Nothing is overwritten.")
    p.add_argument("case", metavar="CASE", help="a CSV case folder or an .xlsx case")
    p.add_argument("out", metavar="OUT", help="OUT.xlsx for a CSV case, a new "
                   "folder for a workbook")


def _case_file(args: argparse.Namespace) -> int:
    from model.data.export import export_case, init_case

    if args.command == "init":
        out = init_case(bundled_case(), Path(args.dir), args.xlsx)
        say(f"wrote the default case to {out}; solve it with: reroute solve {out}")
    else:
        out = export_case(Path(args.case), Path(args.out))
        say(f"wrote {out}")
    return 0

def _add_compare_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="compare the outputs of several solves",
        description="Compare runs (output folders of `reroute solve`) scenario by "
        "scenario: headline, cost by category, shortfall by product, new capacity "
        "by region and stage; a column per run and its difference to the first. "
        "Runs of different horizons or discount rates are refused (exit 2).")
    p.add_argument("runs", metavar="OUT", nargs="+", help="output folders of "
                   "`reroute solve` (at least two; the first is the reference)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: "
                   "outputs/compare-<A>-vs-<B>)")
    _add_verbosity(p)


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
    _add_case_file_parsers(sub)
    _add_compare_parser(sub)
    for name in ("sweep", "synth", "init", "export"):
        sub.choices[name].add_argument("--debug", action="store_true",
                                       default=argparse.SUPPRESS,
                                       help="show tracebacks and debug logging")
    return parser


def _solve(args: argparse.Namespace) -> int:
    from model.outputs import default_out_dir
    from model.pipeline import run_case
    from model.solver.records import SolveOptions

    case = solve_case(args) or bundled_case()
    out = Path(args.out) if args.out else default_out_dir(
        case, args.scenario, baseline_of(case) if args.scenario else None)
    options = SolveOptions(method=args.method, time_limit=args.time_limit,
                           threads=args.threads, builder=args.builder)
    from model.report.terminal import headline_text, scenario_line

    quiet = getattr(args, "quiet", False)

    def solved(name: str, status: str, seconds: float) -> None:
        if not quiet:
            say(scenario_line(name, status, seconds), flush=True)

    run = run_case(case, out, args.scenario, options, on_solved=solved,
                   scenarios_at_once=args.scenarios_at_once)
    if not quiet:
        say(headline_text(run.summary, run.case.settings.end_year))
    say(f"wrote {out}/report.xlsx, {out}/tables/*.csv, {out}/run.json")
    return 0


def solve_case(args: argparse.Namespace) -> Path | None:
    """The case of ``reroute solve``: CASE or --case (not both). A --scenario value
    that is a path is a case given after --scenario: refused, naming it."""
    if args.case and args.case_option:
        raise InputError(Problem(f"the case is given twice ({args.case!r} and "
                                 f"--case {args.case_option!r}); give it once"))
    given = args.case or args.case_option
    for name in args.scenario or []:
        if looks_like_path(name, folders=not given):
            raise InputError(Problem(
                f"--scenario {name!r} is a path, not a scenario name: --scenario "
                "takes every name that follows it, so the case was read as a "
                "scenario. Put the case first (reroute solve CASE --scenario "
                f"NAME ...) or write --case {name}"))
    return Path(given) if given else None


def baseline_of(case: Path) -> str | None:
    """The baseline's name as the case's scenarios table gives it (None if the table
    cannot tell; the run then reports the problem)."""
    from model.data.coerce import coerce_table
    from model.data.read import read_case
    from model.data.schema import TABLE_BY_NAME

    raw = read_case(case)
    if "scenarios" not in raw:
        return None
    frame, _problems = coerce_table(raw["scenarios"], TABLE_BY_NAME["scenarios"])
    flagged = frame.loc[frame["is_baseline"].fillna(False).astype(bool), "scenario"]
    return str(flagged.iloc[0]) if len(flagged) == 1 else None


def looks_like_path(name: str, folders: bool) -> bool:
    """A path rather than a scenario name: it holds a folder separator, ends in
    .xlsx/.xlsm, or (``folders``: no case was given) names an existing folder."""
    return ("/" in name or "\\" in name or name.lower().endswith((".xlsx", ".xlsm"))
            or (folders and Path(name).is_dir()))


def _compare(args: argparse.Namespace) -> int:
    from model.report.compare_command import compare

    if len(args.runs) < 2:
        raise InputError("reroute compare needs at least two runs (output folders "
                         "of `reroute solve`)")
    out = compare([Path(r) for r in args.runs], Path(args.out) if args.out else None)
    say(f"wrote {out}/compare.xlsx, {out}/run.json")
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
        if args.command in ("init", "export"):
            return _case_file(args)
        if args.command == "compare":
            return _compare(args)
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
