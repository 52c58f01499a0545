"""`make mutate`: mutation testing with mutmut, module group by module group.

    python -m tests.mutate [GROUP ...] [--at-once K] [--children N]  # default: all
    python -m tests.mutate --score                      # scores of what has run

Each group mutates a few modules and runs only the tests that can kill its
mutants (mutmut then narrows further, per mutated function, to the tests that
call it). A group runs in its own folder, build/mutate/<group>/, holding links to
the project and a generated pyproject.toml with the group's [tool.mutmut]
settings, so the groups' results never mix and a group can be re-run alone
(mutmut keeps the verdict of a mutant whose function did not change).

The regression ledger (tests/default_case), the sweep, fault-injection and
LibreOffice tests are never in a group: a mutant counts as killed only by a test
whose expected value was derived by hand or independently. Surviving mutants
that cannot change any answer are listed, with the reason, in docs/testing.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutate"
LINKED = ("model", "tests", "inputs", "docs", "README.md")
KILLED, SURVIVED, TIMEOUT = "killed", "survived", "timeout"
# A mutant whose tests run past its CPU limit (2 x (their time + the group's
# timeout)) would hang the test run: it is caught, and counts as killed.
CAUGHT = (KILLED, TIMEOUT)
STATUS = {1: KILLED, 3: KILLED, 0: SURVIVED, 5: "no tests", 33: "no tests",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout",
          255: "timeout", 37: KILLED, None: "not run"}


@dataclass(frozen=True)
class Group:
    """Modules mutated together and the tests allowed to kill their mutants."""

    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    # mutmut's timeout_constant: a mutant may use 2 x (its tests' time + this)
    # CPU seconds. 30 covers the fixtures that solve a case (not in the
    # estimate); a group whose tests solve nothing takes 5, so that a mutant
    # that loops forever costs seconds, not a minute
    timeout: float = 30.0


FORMULATION = "tests/formulation"
HAND = "tests/formulation/test_mutation_classes.py"
NUMPY = ("-k", "not pyomo")  # one builder is enough outside the formulation itself


def _formulation(*names: str) -> tuple[str, ...]:
    """``"balance"``: the file test_balance.py; ``"balance::test_x"``: one test."""
    return tuple(f"{FORMULATION}/test_{n.replace('::', '.py::', 1)}"
                 + ("" if "::" in n else ".py") for n in names)


def _family(name: str, modules: tuple[str, ...], *tests: str) -> Group:
    return Group(name, tuple(f"model/formulation/{m}.py" for m in modules),
                 (*_formulation(*tests), *NUMPY))


FAMILY_GROUPS = (
    # its rows on indexes loaded once per process (no solve: the hand-solved
    # cases of test_collection.py stay in `make test`)
    _family("collection", ("collection",),
            "collection::test_collection_rows_by_hand",
            "collection::test_collection_rows_only_where_a_covered_region_collects",
            "collection::test_collection_rows_start_with_the_collector"),
    _family("adoption", ("adoption",), *(f"adoption::test_{t}" for t in (
        "adoption_rows_one_per_recipe_year_below_its_full_share",
        "a_recipe_at_full_share_has_no_adoption_row",
        "adoption_rows_of_two_recipes_of_one_base"))),
    # the contract rows on indexes loaded once per process (no solve)
    _family("offtake", ("offtake",), *(f"offtakes::test_{t}" for t in (
        "offtake_rows_group_sales_by_contract_and_year",
        "without_offtakes_the_contract_rows_are_empty_with_their_keys"))),
    # each quantity's rows on an index loaded once per process, and the row no
    # flow variable matches (no solve)
    _family("calibration", ("calibration",), *(f"calibration::test_{t}" for t in (
        "a_china_share_row_counts_each_supply_by_its_origin",
        "a_share_band_reaching_1_leaves_the_chinese_terms_out",
        "output_made_in_a_chinese_buyer_counts_as_chinese",
        "activity_and_flow_rows_sum_their_variables",
        "a_flow_row_counts_its_commodity_only",
        "an_observed_flow_no_route_can_carry_is_an_input_error",
        "a_scenario_without_calibration_has_no_row",
        "activity_rows_alone_and_their_keys",
        "rows_no_variable_measures_that_hold_anyway_leave_no_row",
        "an_observed_flow_of_1_t_no_route_can_carry_is_an_input_error",
        "a_china_share_row_weighs_each_supply_by_its_tonnes"))),
    # the pins of a hand-written comparator solution and the fixings made of
    # them, on an index loaded once per process (no solve)
    _family("foresight", ("foresight",), *(
        f"foresight::test_{t}" for t in (
            "foresight_none_pins_each_family_before_the_shock",
            "foresight_none_pins_builds_by_their_decision_year",
            "foresight_none_pins_nothing_of_the_shock_year",
            "a_build_the_comparator_did_not_decide_is_pinned_at_0",
            "foresight_fixes_each_pinned_variable", "no_pinned_variable_no_fixing"))),
    # The families below run only their rows (or costs) built on a loaded case
    # and compared with rows derived by hand (no solve): every solve calls every
    # family, so an equivalent mutant would run every solved case given to it.
    # The index is built once per process (tests.helpers.loaded_index).
    _family("balance_capacity", ("balance", "capacity"),
            "balance::test_balance_rows_by_hand",
            "balance::test_balance_rows_of_one_year_differ_in_region_or_commodity",
            "capacity::test_capacity_rows_by_hand"),
    _family("expansion_build_rate", ("expansion", "build_rate"),
            "build_rate::test_expansion_rows_by_hand",
            "build_rate::test_build_rate_rows_by_hand",
            "build_rate::test_build_rate_rows_without_builds"),
    _family("trade_resources", ("trade", "resources"),
            "trade::test_quota_rows_by_hand",
            "trade::test_quota_rows_without_exports_and_of_flows_only",
            "trade::test_reserve_and_stock_rows_by_hand"),
    _family("objective", ("objective",), "objective::test_each_variables_cost_by_hand",
            "objective::test_no_existing_capacity_costs_nothing_fixed"),
    # the declaration types and the table of contents: every family's rows pass
    # through them, so only the types on hand-made terms and frames (no solve:
    # every solve calls flatten and limit_of, so each equivalent mutant would run
    # every solved case); registry.py and variables.py hold no function to mutate
    _family("declare", ("declare", "registry", "variables"), "declare"),
)

GROUPS = (
    # The KPI and §8.1 tables on hand-built tidy tables only (no solve: every
    # solved case calls these functions, so a surviving mutant would run every
    # solved test that reaches them; test_headline_case.py and the mutation-class
    # cases check the same numbers through a solve, in `make test`).
    Group("kpis", ("model/results/kpis.py", "model/results/headline.py"),
          ("tests/unit/test_kpis.py", "tests/unit/test_kpi_tables.py",
           "tests/unit/test_headline.py", "tests/unit/test_headline_frames.py"),
          timeout=5.0),
    # The post-solve checker on hand-built tables (no solve: every solve calls
    # it, so with tests/results a surviving mutant ran every solved case; the
    # same broken tables on a solved case stay in test_checks_broken.py).
    Group("checks", ("model/results/checks.py",),
          ("tests/results/test_checks_rows.py", "tests/results/test_checks_broken.py",
           "-k", "test_checks_rows or without_production or nothing_to_check or "
                 "read_exactly_the_checked_tables"), timeout=5.0),
    # The rules' row checks and effects and the data each scenario's LP is built
    # from, checked on loaded cases by hand (no solve: every solve calls these
    # functions, so a surviving mutant would run every solved case).
    Group("scenarios", ("model/data/scenarios.py", "model/data/rules.py"),
          ("tests/unit/test_rule_checks.py", "tests/unit/test_scenario_data.py")),
    # Binding limits on a hand-built index and solution, then the lead-time stages
    # on hand-made tables (the cases of test_bottlenecks.py that solve are left
    # out: every solve's extraction calls these functions).
    Group("bottlenecks", ("model/results/bottlenecks.py",),
          ("tests/results/test_bottleneck_rows.py", "tests/report/test_bottlenecks.py",
           "-k", "test_bottleneck_rows or supply_chain or lead_time or "
                 "no_new_capacity")),
    # The Summary is written by both modules: the first screen, then the sentences
    # and notes below it. Only tests that solve nothing: the read-back checks on
    # the Summary written from hand-made tables (the same checks as on the solved
    # case's report, which is left out with the one-page PDF check: a mutant the
    # hand-made Summary lets through would otherwise solve the case).
    Group("summary", ("model/report/excel/summary.py",
                      "model/report/excel/first_screen.py"),
          ("tests/report/test_layout.py", "tests/report/test_summary_sentences.py",
           "tests/report/test_summary_compare_readback.py",
           "tests/report/test_first_screen.py",
           "tests/report/test_first_screen_parts.py",
           "-k", "not one_pdf_page and not penalty_rule_and_caveat_words and "
                 "(hand_data or not test_summary_compare_readback)")),
    # The tidy tables on a hand-built index and solution (no solve): every
    # solved case calls extract, so a wider selection makes each survivor run
    # every solved test that reaches it.
    Group("extract", ("model/results/extract.py",),
          ("tests/results/test_extract_tables.py",)),
    # Results read off a solved scenario: the friction rows and the friction that
    # sets the self-sufficient year, China content traced through the network and
    # the calibration fit, each on a hand-built index and solution or hand-made
    # frames only (no solve: the solved cases of test_frictions.py stay in `make
    # test`; every solve's extraction calls friction_rows).
    Group("frictions", ("model/results/frictions.py",),
          ("tests/results/test_friction_rows.py",), timeout=5.0),
    Group("china_content", ("model/results/china_content.py",),
          ("tests/results/test_china_content_trace.py",)),
    Group("calibration_fit", ("model/results/calibration_fit.py",),
          ("tests/results/test_calibration_fit_rows.py",)),
    # A sweep's start from another scenario's optimum: the key match, the moved
    # basis and the probe's choice on hand-made keys and bases (no solve; the
    # solved check, warm = cold from such a start, is in tests/sweep/test_warm.py).
    Group("starts", ("model/solver/starts.py",), ("tests/unit/test_starts.py",),
          timeout=5.0),
    # The constraint and variable families, one group per family or pair: a
    # family's mutants run only the cases that hand-solve that family (every solve
    # calls every family's rows, so with one shared list a surviving mutant would
    # run every family's cases). Declared once, so the numpy builder's tests kill
    # what either builder would get wrong.
    *FAMILY_GROUPS,
    # Builders and the instance they read, no solve: a hand-made instance through
    # both builders against the LP written by hand, then small cases loaded once
    # per process (the instance and the numpy LP by hand, and the two builders'
    # LPs compared: the other builder is the independent method). The synthetic
    # cases of tests/perf/test_matrix.py (about 9 CPU s each) stay in `make test`.
    Group("builders", tuple(f"model/formulation/{m}.py" for m in (
        "instance", "matrix", "pyomo_model")),
          ("tests/formulation/test_builders.py",), timeout=5.0),
)
BY_NAME = {g.name: g for g in GROUPS}


def _toml_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def group_config(group: Group) -> str:
    """The group's pyproject.toml: the project's pytest settings + [tool.mutmut]."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_ini = project["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for key, value in pytest_ini.items():
        text = _toml_list(value) if isinstance(value, list) else json.dumps(value)
        lines.append(f"{key} = {text}")
    lines += [
        "", "[tool.mutmut]",
        'source_paths = ["model"]',
        f"only_mutate = {_toml_list(group.modules)}",
        f"also_copy = {_toml_list(['inputs', 'docs', 'README.md'])}",
        f"pytest_add_cli_args_test_selection = {_toml_list(group.tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]',
        # the estimate counts test calls only, not the fixtures that solve a case
        f"timeout_constant = {group.timeout}",
    ]
    return "\n".join(lines) + "\n"


def prepare(group: Group) -> Path:
    folder = WORK / group.name
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    (folder / "pyproject.toml").write_text(group_config(group), encoding="utf-8")
    return folder


def run(group: Group, children: int, survivors_only: bool = False,
        alone: bool = True) -> int:
    """mutmut on the group; ``survivors_only``: re-run the mutants that were not
    killed last time (survived, had no test, timed out) after new tests were
    written to kill them; not ``alone`` (other groups run at the same time):
    mutmut's output goes to the group's run.log, not the terminal."""
    folder = prepare(group)
    same = equivalent()  # listed as equivalent: re-running them cannot help
    names = sorted(n for n, s in statuses(group).items()
                   if s not in (*CAUGHT, "not run") and n not in same)
    if survivors_only and not names:
        return 0
    command = [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children",
               str(children), *(names if survivors_only else [])]
    print(f"== {group.name}: {', '.join(group.modules)}", flush=True)
    start, load = time.monotonic(), os.getloadavg()[0]
    code, cpu = _measured(command, folder, None if alone else folder / "run.log")
    # CPU minutes of mutmut and its workers: on a quiet machine with N cores and
    # N workers the wall time is about cpu / N, whatever else ran meanwhile
    timing = {"minutes": round((time.monotonic() - start) / 60, 1),
              "cpu_minutes": round(cpu / 60, 1),
              "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
              "survivors_only": survivors_only, "children": children,
              "alone": alone}
    print(f"== {group.name}: {timing}", flush=True)
    log = folder / "timings.jsonl"  # one line per run: wall minutes, 1-min load
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(timing) + "\n")
    return code


def _measured(command: list[str], folder: Path, log: Path | None) -> tuple[int, float]:
    """Exit code and CPU seconds of one command and the processes it waited for
    (``os.wait4``: its own, whatever other groups run meanwhile)."""
    with open(log, "w", encoding="utf-8") if log else contextlib.nullcontext() as out:
        process = subprocess.Popen(command, cwd=folder, stdout=out,
                                   stderr=subprocess.STDOUT if out else None)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime


def run_all(groups: list[Group], children: int, survivors_only: bool,
            at_once: int) -> None:
    """Every group, ``at_once`` of them side by side (each with ``children``
    workers), the costliest by their last run first: while one group's mutmut
    maps its tests (one process), another's mutants keep the other core busy."""
    if at_once <= 1:
        for group in groups:
            run(group, children, survivors_only)
        return
    ordered = sorted(groups, key=_last_cpu_minutes, reverse=True)
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(lambda g: run(g, children, survivors_only, alone=False),
                      ordered))


def _last_cpu_minutes(group: Group) -> float:
    log = WORK / group.name / "timings.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return json.loads(lines[-1])["cpu_minutes"] if lines else 0.0


def statuses(group: Group) -> dict[str, str]:
    """Mutant name -> status, from mutmut's records of the group's last run."""
    found: dict[str, str] = {}
    for meta in sorted((WORK / group.name / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found.update({k: STATUS.get(v, "suspicious") for k, v in codes.items()})
    return found


def equivalent() -> set[str]:
    """Mutants listed as equivalent in docs/testing.md (lines '- `name`: reason')."""
    path = ROOT / "docs" / "testing.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return {line.split("`")[1] for line in text.splitlines()
            if line.startswith("- `") and "__mutmut_" in line}


def score() -> list[str]:
    """One line per group: killed / (mutants run - equivalent)."""
    same = equivalent()
    lines: list[str] = []
    seen: dict[str, str] = {}
    total = Counter()
    for group in GROUPS:
        found = statuses(group)
        seen.update(found)
        if not found:
            lines.append(f"{group.name}: not run")
            continue
        counts = Counter(found.values())
        eq = sum(1 for name, s in found.items()
                 if name in same and s not in (*CAUGHT, "not run"))
        ran = len(found) - counts["not run"]
        real = ran - eq
        caught = counts[KILLED] + counts[TIMEOUT]
        pct = 100.0 * caught / real if real else 100.0
        survivors = sorted(n for n, s in found.items() if s not in (*CAUGHT, "not run")
                           and n not in same)
        lines.append(f"{group.name}: {caught}/{real} killed ({pct:.1f} %; "
                     f"{counts[TIMEOUT]} of them by timeout), "
                     f"{eq} equivalent, {counts['not run']} not run; "
                     f"{dict(counts)}")
        lines += [f"    {s}: {found[s]}" for s in survivors]
        total.update(caught=caught, real=real)
    pct = 100.0 * total["caught"] / total["real"] if total["real"] else 100.0
    lines.append(f"over the groups run: {total['caught']}/{total['real']} killed "
                 f"({pct:.1f} %)")
    return lines + stale_listings(same, seen, complete=all(
        statuses(g) for g in GROUPS))


def stale_listings(same: set[str], seen: dict[str, str],
                   complete: bool) -> list[str]:
    """Listed equivalents a test now kills, and (when every group has run) names
    no group has: code rewritten since, so the number may name another mutant."""
    killed = sorted(n for n in same if seen.get(n) in CAUGHT)
    missing = sorted(n for n in same if n not in seen) if complete else []
    return ([f"listed as equivalent but killed: {n}" for n in killed]
            + [f"listed as equivalent but no such mutant: {n}" for n in missing])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"of: {', '.join(BY_NAME)}")
    parser.add_argument("--children", type=int, default=1,
                        help="mutmut workers per group")
    parser.add_argument("--at-once", type=int, default=2,
                        help="groups run side by side (1: one after another)")
    parser.add_argument("--score", action="store_true", help="only print the scores")
    parser.add_argument("--survivors", action="store_true",
                        help="re-run only the mutants not killed last time")
    args = parser.parse_args(argv)
    unknown = [g for g in args.groups if g not in BY_NAME]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}")
    if not args.score:
        run_all([BY_NAME[n] for n in args.groups or list(BY_NAME)], args.children,
                args.survivors, args.at_once)
    print("\n".join(score()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
