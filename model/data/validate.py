"""Reference and semantic checks of the typed tables (layers 2 and 3).

Layer 2 (references): every key a table uses exists in the table that defines it,
as declared by ``ColumnSpec.ref`` in ``schema.py``, and no key repeats. Layer 3
(semantics and network): the rules in ``SEMANTIC_RULES``. ``validate_tables`` runs
the value rules of ``checks.py`` and both layers, so a user sees every problem in
one pass, each naming file, table, row and column.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from model.data.checks import check_values
from model.data.coerce import ROW
from model.data.gain import (
    GAIN_RULE,
    cycle_message,
    free_lunch,
    gain_cycles,
    lunch_message,
)
from model.data.network import unreachable_demand
from model.data.raw import shown
from model.data.rules import rule_problems
from model.data.schema import TABLE_BY_NAME, TABLES
from model.data.targets import target_problem
from model.data.unicode_hint import did_you_mean
from model.errors import Problem

log = logging.getLogger(__name__)
Tables = dict[str, pd.DataFrame]


def references() -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, its key column) from the schema."""
    return [(t.name, c.name, c.ref, TABLE_BY_NAME[c.ref].key[0])
            for t in TABLES for c in t.columns if c.ref]


def problem_at(tables: Tables, table: str, row: int, column: str, text: str) -> Problem:
    """A problem located at frame row ``row`` (its position) of ``table``."""
    frame = tables[table]
    return Problem(text, frame.attrs.get("file", ""), table,
                   int(frame[ROW].iloc[row]), column)


def validate_tables(tables: Tables, years: range | None) -> list[Problem]:
    """All value, reference and semantic problems of the typed tables."""
    problems = [p for name, frame in tables.items() for p in check_values(name, frame)]
    problems += check_keys(tables) + check_references(tables)
    return problems + check_semantics(tables, years)


def check_keys(tables: Tables) -> list[Problem]:
    """Rows whose key repeats an earlier row's key (both rows named)."""
    problems = []
    for name, frame in tables.items():
        key = list(TABLE_BY_NAME[name].key)
        if not key or frame.empty:
            continue
        first: dict[tuple, int] = {}
        rows = frame[ROW].tolist()
        for row, values in zip(rows, frame[key].itertuples(index=False, name=None),
                               strict=True):
            if values in first:
                shown = ", ".join(str(v) for v in values)
                problems.append(Problem(
                    f"rows {first[values]} and {row} duplicate the key ({shown})",
                    frame.attrs.get("file", ""), name, int(row), key[-1]))
            else:
                first[values] = int(row)
    return problems


def check_references(tables: Tables) -> list[Problem]:
    """Every key a table uses exists in the table that defines it."""
    problems = []
    for table, column, ref_table, ref_column in references():
        frame = tables[table]
        known = set(tables[ref_table][ref_column])
        for pos, value in enumerate(frame[column]):
            if value == "" or value in known:
                continue  # a blank required cell is already reported
            problems.append(problem_at(
                tables, table, pos, column,
                f"unknown {ref_column} {shown(value)}{did_you_mean(value, known)}"))
    return problems


@dataclass(frozen=True)
class SemanticRule:
    """One layer-3 rule: an id, what it demands, its check, and whether a breach
    is an error (exit 2) or a warning (logged; the run goes on)."""

    id: str
    doc: str
    check: Callable[[Tables, range | None], list[Problem]]
    severity: str = "error"


def check_semantics(tables: Tables, years: range | None) -> list[Problem]:
    """Errors of every semantic and network rule (``years`` is None if settings
    are bad); breaches of warning rules are logged."""
    errors = []
    for rule in SEMANTIC_RULES:
        found = rule.check(tables, years)
        if rule.severity == "error":
            errors += found
        for problem in found if rule.severity == "warning" else []:
            log.warning("%s", problem)
    return errors


def _non_empty(tables: Tables, _years: range | None) -> list[Problem]:
    return [Problem("the table has no data rows", tables[t.name].attrs.get("file", ""),
                    t.name) for t in TABLES
            if t.required and t.name != "settings" and t.name in tables
            and tables[t.name].empty and tables[t.name].attrs.get("file")]


def _one_baseline(tables: Tables, _years: range | None) -> list[Problem]:
    frame = tables["scenarios"]
    count = int(frame["is_baseline"].fillna(False).sum())
    if count == 1 or frame.empty:
        return []
    file = frame.attrs.get("file", "")
    return [Problem(f"exactly one scenario must have is_baseline true (found {count})",
                    file, "scenarios", None, "is_baseline")]


def _comparators(tables: Tables, _years: range | None) -> list[Problem]:
    """compare_to (MODEL-SPEC §8.1): not on the baseline, never the scenario
    itself, and no chain of comparisons that comes back to where it started."""
    frame = tables["scenarios"]
    if "compare_to" not in frame.columns or frame.empty:
        return []
    target = {str(s): str(t).strip() for s, t in zip(frame["scenario"],
                                                    frame["compare_to"], strict=True)
              if isinstance(t, str) and t.strip()}
    baseline = frame["is_baseline"].fillna(False).astype(bool).tolist()
    problems = []
    for position, (name, is_base) in enumerate(zip(frame["scenario"], baseline,
                                                   strict=True)):
        name = str(name)
        if name not in target:
            continue
        text = _comparison_problem(name, is_base, target)
        if text:
            problems.append(problem_at(tables, "scenarios", position, "compare_to",
                                       text))
    return problems


def _comparison_problem(name: str, is_base: bool, target: dict[str, str]
                        ) -> str | None:
    value = target[name]
    if is_base:
        return (f"'{value}': the baseline is compared with nobody; leave compare_to "
                "blank")
    chain, current = [name], value
    while current in target and current not in chain:
        chain.append(current)
        current = target[current]
    if current in chain:
        loop = " -> ".join([*chain[chain.index(current):], current])
        return f"'{value}': the comparisons go round in a circle ({loop})"
    return None


PROBABILITY_SUM_TOLERANCE = 1e-6


def _probabilities(tables: Tables, _years: range | None) -> list[Problem]:
    """The given probabilities (MODEL-SPEC §8.4) sum to 1."""
    frame = tables["scenarios"]
    if "probability" not in frame.columns or frame.empty:
        return []
    given = frame["probability"].astype(float)
    if given.isna().all():
        return []
    total = float(given.sum())
    if abs(total - 1.0) <= PROBABILITY_SUM_TOLERANCE:
        return []
    last = int(given.notna().to_numpy().nonzero()[0][-1])
    return [problem_at(tables, "scenarios", last, "probability",
                       f"the probabilities sum to {total:g}, not 1 (over "
                       f"{int(given.notna().sum())} scenarios)")]


def _process_outputs(tables: Tables, _years: range | None) -> list[Problem]:
    io = tables["process_io"]
    with_output = set(io.loc[io["direction"] == "out", "process"])
    return [problem_at(tables, "processes", pos, "process",
                       f"process '{p}' has no 'out' row in process_io")
            for pos, p in enumerate(tables["processes"]["process"])
            if p and p not in with_output]


def _gain_cycles(tables: Tables, _years: range | None) -> list[Problem]:
    io = tables["process_io"]
    found = [(c[0].out_pos, cycle_message(c)) for c in gain_cycles(io)]
    lunch = None if found else free_lunch(io)
    if lunch is not None:
        found.append((lunch.out_pos, lunch_message(lunch)))
    return [problem_at(tables, "process_io", pos, "coefficient", text)
            for pos, text in found]


def _reachable(tables: Tables, _years: range | None) -> list[Problem]:
    return [problem_at(tables, "demand", pos, "commodity", text)
            for pos, text in unreachable_demand(tables)]


def _capacity_years(tables: Tables, _years: range | None) -> list[Problem]:
    cap = tables["capacity"]
    bad = cap["retire_year"].notna() & cap["online_year"].notna() & (
        cap["retire_year"] <= cap["online_year"])
    return [problem_at(tables, "capacity", pos, "retire_year",
                       f"retire_year {cap['retire_year'].iloc[pos]} is not after "
                       f"online_year {cap['online_year'].iloc[pos]}: the capacity is "
                       "never usable") for pos in bad.to_numpy().nonzero()[0]]


def _expansion_limits(tables: Tables, _years: range | None) -> list[Problem]:
    exp = tables["expansion"]
    per_year = exp["max_new_tpa_per_year"]
    bad = exp["max_new_tpa"].notna() & exp["max_new_tpa_per_year"].notna() & (
        exp["max_new_tpa_per_year"] > exp["max_new_tpa"])
    return [problem_at(tables, "expansion", pos, "max_new_tpa_per_year",
                       f"max_new_tpa_per_year {per_year.iloc[pos]:g} "
                       f"> max_new_tpa {exp['max_new_tpa'].iloc[pos]:g}")
            for pos in bad.to_numpy().nonzero()[0]]


def _years_in_horizon(tables: Tables, years: range | None) -> list[Problem]:
    if years is None:
        return []
    problems = []
    for table, column in (("expansion", "earliest_online_year"),
                          ("build_limits", "from_year"),
                          ("scenario_rules", "from_year"), ("capacity", "online_year")):
        for pos, year in enumerate(tables[table][column]):
            if not pd.isna(year) and year > years.stop - 1:
                problems.append(problem_at(
                    tables, table, pos, column,
                    f"{year} is after end_year {years.stop - 1} (outside the horizon)"))
    return problems


def _ramp_rows(tables: Tables, _years: range | None) -> list[Problem]:
    ramp = tables["ramp_up"]
    stages = set(tables["processes"]["stage"])
    problems = []
    for pos, (stage, process) in enumerate(zip(ramp["stage"], ramp["process"],
                                               strict=True)):
        if (stage == "") == (process == ""):
            problems.append(problem_at(
                tables, "ramp_up", pos, "stage",
                f"give a stage or a process, not {'both' if stage else 'neither'} "
                f"(stage {shown(stage)}, process {shown(process)})"))
        elif stage and stage not in stages:
            problems.append(problem_at(
                tables, "ramp_up", pos, "stage",
                f"unknown stage {shown(stage)}{did_you_mean(stage, stages)}"))
    return problems


def _build_limit_rows(tables: Tables, _years: range | None) -> list[Problem]:
    limits = tables["build_limits"]
    stages = set(tables["processes"]["stage"])
    problems = []
    for pos, (stage, target) in enumerate(zip(limits["stage"], limits["target"],
                                              strict=True)):
        if stage and stage not in stages:
            problems.append(problem_at(
                tables, "build_limits", pos, "stage",
                f"unknown stage {shown(stage)}{did_you_mean(stage, stages)}"))
        if target_problem(tables["regions"], target):
            problems.append(problem_at(tables, "build_limits", pos, "target",
                                       target_problem(tables["regions"], target)))
    return problems


def _rules(tables: Tables, _years: range | None) -> list[Problem]:
    rules = tables["scenario_rules"]
    stages = set(tables["processes"]["stage"])
    problems = []
    for pos, row in enumerate(rules.itertuples(index=False)):
        for column, text in _rule_row_problems(row, tables["regions"], stages):
            problems.append(problem_at(tables, "scenario_rules", pos, column, text))
    return problems


def _rule_row_problems(row: object, regions: pd.DataFrame, stages: set[str]
                       ) -> list[tuple[str, str]]:
    target = row.target  # type: ignore[attr-defined]
    out: list[tuple[str, str]] = []
    if target_problem(regions, target):
        out.append(("target", target_problem(regions, target)))
    return out + rule_problems(row, stages)


SEMANTIC_RULES: tuple[SemanticRule, ...] = (
    SemanticRule("non-empty", "every required table (except settings) has at least "
                 "one data row", _non_empty),
    SemanticRule("one-baseline", "exactly one scenario has is_baseline true",
                 _one_baseline),
    SemanticRule("compare-to", "scenarios.compare_to is blank for the baseline, and "
                 "following compare_to from any scenario never comes back to it",
                 _comparators),
    SemanticRule("probabilities", "scenarios.probability, where given, sums to 1 "
                 "over the scenarios that have one", _probabilities),
    SemanticRule("process-output", "every process has at least one 'out' row in "
                 "process_io", _process_outputs),
    SemanticRule("gain-cycle", GAIN_RULE, _gain_cycles),
    SemanticRule("reachable", "every commodity with positive demand in a region can "
                 "reach that region from some source: a process with capacity or "
                 "expansion there whose inputs are themselves reachable, or a "
                 "stockpile, carried along routes. Such demand could only ever be "
                 "shortfall: almost always a missing row or a typo",
                 _reachable, "error"),
    SemanticRule("capacity-years", "capacity: retire_year is after online_year",
                 _capacity_years),
    SemanticRule("expansion-limits", "expansion: max_new_tpa_per_year <= max_new_tpa",
                 _expansion_limits),
    SemanticRule("horizon", "earliest_online_year, from_year (scenario_rules, "
                 "build_limits) and online_year are not after end_year",
                 _years_in_horizon),
    SemanticRule("ramp-up", "ramp_up: each row names a stage or a process (not "
                 "both), and the stage is a stage of some process", _ramp_rows),
    SemanticRule("build-limits", "build_limits: the stage is a stage of some "
                 "process and the target a known region or bloc (as for scenario "
                 "rules)", _build_limit_rows),
    SemanticRule("scenario-rules", "scenario rules name a known target region or bloc, "
                 "a scale field or stage, and a value where the rule needs one "
                 "(lead_time_add: whole years). A target is a region code, a bloc "
                 "name, `region:<code>` or `bloc:<name>`; a bare name that is both a "
                 "region code and a bloc name is an error (write it with a prefix) "
                 "unless that bloc holds exactly that one region", _rules),
)
