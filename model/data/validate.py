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
from typing import Any

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
from model.data.inherit import cycle_problems
from model.data.network import unreachable_demand
from model.data.raw import shown
from model.data.rules import rule_problems
from model.data.schema import TABLE_BY_NAME, TABLES
from model.data.targets import target_problem, target_regions
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


def _inheritance(tables: Tables, _years: range | None) -> list[Problem]:
    return [problem_at(tables, "scenarios", pos, "based_on", text)
            for pos, text in cycle_problems(tables["scenarios"])]


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
                          ("eol_collection", "start_year"),
                          ("recipes", "ready_year"),
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


def _contract_rows(tables: Tables, years: range | None) -> list[Problem]:
    """Offtakes and price floors: a known seller, min_tpa <= max_tpa, a contract
    period that ends no earlier than it starts and meets the horizon."""
    problems = []
    offtakes = tables["offtakes"]
    for pos, seller in enumerate(offtakes["seller"]):
        if target_problem(tables["regions"], seller):
            problems.append(problem_at(tables, "offtakes", pos, "seller",
                                       target_problem(tables["regions"], seller)))
    low, high = offtakes["min_tpa"], offtakes["max_tpa"]
    for pos in (low.notna() & high.notna() & (low > high)).to_numpy().nonzero()[0]:
        problems.append(problem_at(tables, "offtakes", pos, "min_tpa",
                                   f"min_tpa {low.iloc[pos]:g} > max_tpa "
                                   f"{high.iloc[pos]:g}: the take-or-pay minimum "
                                   "exceeds what the buyer takes"))
    for table in ("offtakes", "price_floors"):
        problems += _contract_years(tables, table, years)
    return problems


def _contract_years(tables: Tables, table: str, years: range | None
                    ) -> list[Problem]:
    frame = tables[table]
    problems = []
    for pos, (first, last) in enumerate(zip(frame["from_year"], frame["to_year"],
                                            strict=True)):
        if not pd.isna(first) and not pd.isna(last) and last < first:
            problems.append(problem_at(tables, table, pos, "to_year",
                                       f"to_year {last} is before from_year {first}"))
        elif years is not None and not pd.isna(first) and first > years.stop - 1:
            problems.append(problem_at(tables, table, pos, "from_year",
                                       f"{first} is after end_year {years.stop - 1} "
                                       "(outside the horizon)"))
        elif years is not None and not pd.isna(last) and last < years.start:
            problems.append(problem_at(tables, table, pos, "to_year",
                                       f"{last} is before base_year {years.start} "
                                       "(outside the horizon)"))
    return problems


def _eol_lifetimes(tables: Tables, _years: range | None) -> list[Problem]:
    """Shares of one (product, scrap) add up to at most 1 (reported at the row
    where the sum first exceeds 1)."""
    life = tables["eol_lifetimes"]
    total: dict[tuple[str, str], float] = {}
    problems = []
    for pos, key in enumerate(zip(life["product"], life["scrap"], strict=True)):
        before = total.get(key, 0.0)
        total[key] = before + float(life["share"].iloc[pos])
        if total[key] > 1.0 + 1e-9 >= before:
            problems.append(problem_at(
                tables, "eol_lifetimes", pos, "share",
                f"the shares of product {shown(key[0])} and scrap {shown(key[1])} "
                f"add up to {total[key]:g} by this row: more than each tonne "
                "delivered"))
    return problems


def _eol_history(tables: Tables, years: range | None) -> list[Problem]:
    history = tables["eol_history"]
    if years is None:
        return []
    return [problem_at(tables, "eol_history", pos, "year",
                       f"{year} is not before base_year {years.start}: deliveries "
                       "of the horizon come from the solution")
            for pos, year in enumerate(history["year"]) if year >= years.start]


def _eol_history_products(tables: Tables, _years: range | None) -> list[Problem]:
    products = set(tables["eol_lifetimes"]["product"])
    return [problem_at(tables, "eol_history", pos, "product",
                       f"product {shown(p)} has no eol_lifetimes rows: its history "
                       "releases no scrap")
            for pos, p in enumerate(tables["eol_history"]["product"])
            if p and p not in products]


def _eol_collection(tables: Tables, _years: range | None) -> list[Problem]:
    rows = tables["eol_collection"]
    scraps = set(tables["eol_lifetimes"]["scrap"])
    problems = []
    for pos, row in enumerate(rows.itertuples(index=False)):
        if row.scrap and row.scrap not in scraps:
            problems.append(problem_at(
                tables, "eol_collection", pos, "scrap",
                f"scrap {shown(row.scrap)} has no eol_lifetimes rows: nothing of it "
                "ever reaches end of life, so nothing could be collected"))
        if target_problem(tables["regions"], row.target):
            problems.append(problem_at(tables, "eol_collection", pos, "target",
                                       target_problem(tables["regions"], row.target)))
        if row.start_rate > row.max_rate:
            problems.append(problem_at(
                tables, "eol_collection", pos, "start_rate",
                f"start_rate {row.start_rate:g} > max_rate {row.max_rate:g}"))
    return problems


def _recipes(tables: Tables, _years: range | None) -> list[Problem]:
    recipes = tables["recipes"]
    bases = set(recipes["process"])
    io = tables["process_io"]
    outputs = io[io["direction"] == "out"].groupby("process")["commodity"].agg(set)
    own = {t: set(tables[t]["process"]) for t in ("capacity", "expansion",
                                                 "reserves")}
    problems = []
    for pos, (recipe, base) in enumerate(zip(recipes["recipe"], recipes["process"],
                                             strict=True)):
        for column, text in _recipe_problems(recipe, base, bases, outputs, own):
            problems.append(problem_at(tables, "recipes", pos, column, text))
    return problems


def _recipe_problems(recipe: str, base: str, bases: set[str], outputs: pd.Series,
                     own: dict[str, set[str]]) -> list[tuple[str, str]]:
    out = [("recipe", f"recipe {shown(recipe)} has rows in {table}: a recipe runs "
            "on its base process's capacity only")
           for table, processes in own.items() if recipe in processes]
    if recipe == base or recipe in bases:
        out.append(("recipe", f"recipe {shown(recipe)} is itself a base process "
                    "of a recipe"))
    elif base and not outputs.get(recipe, set()) & outputs.get(base, set()):
        out.append(("process", f"recipe {shown(recipe)} makes nothing that its base "
                    f"process {shown(base)} makes"))
    return out


CALIBRATION_NEEDS = {"activity": "process", "flow": "region",
                     "china_share": "commodity"}


def _calibration_rows(tables: Tables, years: range | None) -> list[Problem]:
    cal = tables["calibration"]
    problems = []
    for pos, row in enumerate(cal.itertuples(index=False)):
        for column, text in _calibration_row_problems(tables, row, years):
            problems.append(problem_at(tables, "calibration", pos, column, text))
    return problems


def _calibration_row_problems(tables: Tables, row: Any, years: range | None
                              ) -> list[tuple[str, str]]:
    quantity = str(row.quantity)
    out: list[tuple[str, str]] = []
    need = CALIBRATION_NEEDS.get(quantity)
    if need and not getattr(row, need):
        out.append((need, f"{quantity} needs a {need}"))
    for column in ("region", "destination"):
        text = target_problem(tables["regions"], getattr(row, column))
        if text:
            out.append((column, text))
    year = row.year
    if years is not None and not pd.isna(year) and year not in years:
        out.append(("year", f"{year} is outside the horizon {years.start}.."
                    f"{years.stop - 1}"))
    if quantity == "china_share" and row.value > 1:
        out.append(("value", f"a share is at most 1, got {row.value:g} "
                    "(write 0.85, not 85)"))
    if quantity == "activity" and row.process and not out:
        out += _activity_possible(tables, row)
    return out


def _activity_possible(tables: Tables, row: Any) -> list[tuple[str, str]]:
    """An observed activity needs capacity or expansion of the process there."""
    regions = target_regions(tables["regions"], row.region)
    process = row.process
    where = set(tables["capacity"].loc[tables["capacity"]["process"] == process,
                                       "region"])
    where |= set(tables["expansion"].loc[tables["expansion"]["process"] == process,
                                         "region"])
    if regions is not None:
        where &= set(regions)
    if where or row.value == 0:
        return []
    place = f"in {shown(row.region)}" if row.region else "anywhere"
    return [("process", f"process {shown(process)} has no capacity or expansion "
             f"{place}, so its activity is always 0 and the observed "
             f"{row.value:g} t cannot be met")]


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
    SemanticRule("based-on", "following scenarios.based_on from any scenario never "
                 "comes back to it (a scenario's rules are its parent's, then its "
                 "own)", _inheritance),
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
                 "build_limits), start_year (eol_collection), ready_year (recipes) "
                 "and online_year are not after end_year",
                 _years_in_horizon),
    SemanticRule("ramp-up", "ramp_up: each row names a stage or a process (not "
                 "both), and the stage is a stage of some process", _ramp_rows),
    SemanticRule("build-limits", "build_limits: the stage is a stage of some "
                 "process and the target a known region or bloc (as for scenario "
                 "rules)", _build_limit_rows),
    SemanticRule("contracts", "offtakes and price_floors: the seller is a known "
                 "region or bloc (as for scenario rules; blank = any), min_tpa <= "
                 "max_tpa, and to_year is not before from_year; the contract meets "
                 "the horizon", _contract_rows),
    SemanticRule("eol-lifetimes", "eol_lifetimes: the shares of one product and "
                 "scrap add up to at most 1", _eol_lifetimes),
    SemanticRule("eol-history", "eol_history: every year is before base_year",
                 _eol_history),
    SemanticRule("eol-history-products", "eol_history: the product has "
                 "eol_lifetimes rows", _eol_history_products, "warning"),
    SemanticRule("eol-collection", "eol_collection: the scrap has eol_lifetimes "
                 "rows, the target is a known region or bloc (as for scenario "
                 "rules), start_rate <= max_rate", _eol_collection),
    SemanticRule("recipes", "recipes: a recipe is not itself a base process, "
                 "makes something its base process makes, and has no capacity, "
                 "expansion or reserves rows of its own", _recipes),
    SemanticRule("calibration", "calibration: each row names what its quantity "
                 "needs (activity: a process that has capacity or expansion in its "
                 "regions; flow: the exporting region; china_share: a commodity and "
                 "a value <= 1), known regions or blocs, and a year inside the "
                 "horizon", _calibration_rows),
    SemanticRule("scenario-rules", "scenario rules name a known target region or bloc, "
                 "a scale field or stage, and a value where the rule needs one "
                 "(lead_time_add: whole years). A target is a region code, a bloc "
                 "name, `region:<code>` or `bloc:<name>`; a bare name that is both a "
                 "region code and a bloc name is an error (write it with a prefix) "
                 "unless that bloc holds exactly that one region", _rules),
)
