"""``reroute hedge [CASE] [--out DIR] [--cvar-weight W ...]`` and ``reroute frontier
[CASE] --scenario NAME [--out DIR]`` (MODEL-SPEC §8.4, §8.5).

Kept free of heavy imports so that ``reroute --help`` stays fast; the option
types are ``model.arguments``'s, as for every command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.arguments import positive_integer, seconds
from model.parallel.options import add_executor_options, placement
from model.streams import say


def _probability_level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number in (0, 1)")
    return value


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number >= 0")
    return value


def _common(p: argparse.ArgumentParser, methods: tuple[str, ...]) -> None:
    p.add_argument("case", nargs="?", help="the case; default: the bundled default "
                   "case")
    p.add_argument("--method", choices=methods, default="auto",
                   help="HiGHS algorithm (default: auto, by the LP's size)")
    p.add_argument("--time-limit", metavar="SECONDS", type=seconds,
                   help="stop each solve after this many seconds (exit 3)")
    p.add_argument("--threads", type=positive_integer, default=1, metavar="N",
                   help="HiGHS threads, >= 1 (default 1)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only errors and where the outputs went")
    p.add_argument("-v", "--verbose", action="store_true", help="log each phase")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show tracebacks and debug logging")
    add_executor_options(p, "independent solves")


def add_study_parsers(sub: argparse._SubParsersAction, methods: tuple[str, ...]
                      ) -> None:
    p = sub.add_parser(
        "hedge", help="one plan for scenarios that may or may not come, and the "
        "value of information",
        description="Solve the scenarios that have a probability as one "
        "non-anticipative stochastic LP and write <out>/report.xlsx, "
        "<out>/tables/*.csv (hedge_plan, value_of_information, regret and the "
        "solve tables) and <out>/run.json (default out: outputs/<case>/hedge).")
    _common(p, methods)
    p.add_argument("--out", metavar="DIR", help="output folder (default: "
                   "outputs/<case name>/hedge)")
    p.add_argument("--cvar-weight", metavar="W", type=_weight, nargs="+",
                   action="extend", help="also solve with CVaR of the loss at "
                   "these weights (>= 0), to see how the plan changes")
    p.add_argument("--cvar-alpha", metavar="A", type=_probability_level, default=0.9,
                   help="CVaR level in (0, 1) (default 0.9: the worst 10%%)")
    p.add_argument("--cvar-of", choices=("shortfall", "cost"), default="shortfall",
                   help="the loss whose CVaR is weighed: unmet demand at reference "
                   "prices (default) or full cost")
    f = sub.add_parser(
        "frontier", help="the exact cost-shortfall frontier of one scenario",
        description="Trace every breakpoint of least total cost against unmet "
        "demand (by value) for one scenario, and the cost of being self-sufficient "
        "by each year; writes <out>/report.xlsx, <out>/tables/frontier.csv, "
        "<out>/tables/self_sufficient_by.csv and <out>/run.json (default out: "
        "outputs/<case>/frontier/<NAME>).")
    _common(f, methods)
    f.add_argument("--scenario", metavar="NAME", required=True,
                   help="the scenario to trace")
    f.add_argument("--out", metavar="DIR", help="output folder (default: "
                   "outputs/<case name>/frontier/<NAME>)")


def _usd(value: float) -> str:
    """US dollars, in millions from a million on."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} USD m"
    return f"{value:,.0f} USD"


def _options(args: argparse.Namespace) -> object:
    from model.solver.records import SolveOptions

    return SolveOptions(method=args.method, time_limit=args.time_limit,
                        threads=args.threads)


def _progress(args: argparse.Namespace, label: str, lines: bool = True) -> object:
    """A bar on a terminal; elsewhere a line per solve if ``lines``; nothing with
    --quiet."""
    from model.parallel.progress import (
        NO_STEPS,
        StepLines,
        TaskProgress,
        show_progress,
    )

    if show_progress(args.quiet):
        return TaskProgress(label, "solves", 0, 0, True)
    return StepLines() if lines and not args.quiet else NO_STEPS


def hedge_command(args: argparse.Namespace, default_case: Path) -> int:
    from model.hedge.command import run_hedge
    from model.hedge.problem import Risk
    from model.outputs import hedge_out_dir

    case = Path(args.case) if args.case else default_case
    out = Path(args.out) if args.out else hedge_out_dir(case)
    risks = [Risk(args.cvar_alpha, w, args.cvar_of) for w in args.cvar_weight or []]
    progress = _progress(args, "hedge")
    with _shown(progress):
        run = run_hedge(case, out, _options(args), risks,
                        placement(args, serial_when_single=True), progress)
    if not args.quiet:
        for metric, usd in run.outcome.metrics().items():
            say(f"{metric:>5}  {_usd(usd):>20}")
        say(f"commit now: {len(run.tables['hedge_plan'])} builds decided before "
            f"{run.outcome.commit_before}")
    say(f"wrote {out}/report.xlsx, {out}/tables/*.csv, {out}/run.json")
    return 0


def _shown(progress: object) -> object:
    """The bar's context (it draws while entered); nothing for the others."""
    import contextlib

    return progress if hasattr(progress, "__enter__") else contextlib.nullcontext()


def frontier_command(args: argparse.Namespace, default_case: Path) -> int:
    from model.frontier.command import run_frontier
    from model.outputs import frontier_out_dir

    case = Path(args.case) if args.case else default_case
    out = Path(args.out) if args.out else frontier_out_dir(case, args.scenario)
    found = []

    def tell(p: object) -> None:
        found.append(p)
        if not args.quiet:
            say(f"  breakpoint {len(found)} found: unmet {_usd(p.unmet_usd)}, "
                f"cost {_usd(p.cost_usd)}", flush=True)

    progress = _progress(args, "frontier", lines=False)  # it tells of breakpoints
    with _shown(progress):
        result = run_frontier(case, args.scenario, out, _options(args), tell,
                              placement(args, serial_when_single=True), progress)
    if not args.quiet:
        table = result.tables["frontier"]
        first, last = table.iloc[0], table.iloc[-1]
        say(f"{len(table)} breakpoints in {result.solves} solves; from unmet "
            f"{_usd(first['unmet_reference_usd'])} at cost "
            f"{_usd(first['total_cost_usd'])} to unmet "
            f"{_usd(last['unmet_reference_usd'])} at cost "
            f"{_usd(last['total_cost_usd'])}")
    say(f"wrote {out}/report.xlsx, {out}/tables/*.csv, {out}/run.json")
    return 0
