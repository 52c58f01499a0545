"""Reference and semantic checks of the typed tables (layers 2 and 3).

Each check returns problems naming file, table, row and column; ``check_case``
runs them all so a user sees every problem in one pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pandas as pd

from model.data.coerce import ROW
from model.data.schema import BLOCS, SCALE_FIELDS, TABLE_BY_NAME
from model.errors import Problem

Tables = dict[str, pd.DataFrame]

# (table, column, referenced table, referenced key column, blank allowed)
REFERENCES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("process_io", "process", "processes", "process", False),
    ("process_io", "commodity", "commodities", "commodity", False),
    ("capacity", "region", "regions", "region", False),
    ("capacity", "process", "processes", "process", False),
    ("expansion", "region", "regions", "region", False),
    ("expansion", "process", "processes", "process", False),
    ("reserves", "region", "regions", "region", False),
    ("reserves", "process", "processes", "process", False),
    ("demand", "region", "regions", "region", False),
    ("demand", "commodity", "commodities", "commodity", False),
    ("routes", "origin", "regions", "region", False),
    ("routes", "destination", "regions", "region", False),
    ("routes", "commodity", "commodities", "commodity", True),
    ("stockpiles", "region", "regions", "region", False),
    ("stockpiles", "commodity", "commodities", "commodity", False),
    ("scenario_rules", "scenario", "scenarios", "scenario", False),
    ("scenario_rules", "commodity", "commodities", "commodity", True),
)


def problem_at(tables: Tables, table: str, row: int, column: str, text: str) -> Problem:
    """A problem located at frame row ``row`` (its position) of ``table``."""
    frame = tables[table]
    return Problem(text, frame.attrs.get("file", ""), table,
                   int(frame[ROW].iloc[row]), column)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known value, or ''."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def check_keys(tables: Tables) -> list[Problem]:
    """Rows whose key repeats an earlier row's key."""
    problems = []
    for name, frame in tables.items():
        key = list(TABLE_BY_NAME[name].key)
        if not key or frame.empty:
            continue
        dup = frame.duplicated(subset=key, keep="first")
        for i in dup[dup].index:
            values = ", ".join(f"{k}={frame.at[i, k]}" for k in key)
            problems.append(problem_at(tables, name, frame.index.get_loc(i), key[-1],
                                       f"duplicate row ({values})"))
    return problems


def check_references(tables: Tables) -> list[Problem]:
    """Every key a table uses exists in the table that defines it."""
    problems = []
    for table, column, ref_table, ref_column, blank_ok in REFERENCES:
        frame = tables[table]
        known = set(tables[ref_table][ref_column])
        for pos, value in enumerate(frame[column]):
            if (blank_ok and value == "") or value in known:
                continue
            if value == "":
                continue  # a blank required cell is already reported
            hint = did_you_mean(value, known)
            problems.append(problem_at(tables, table, pos, column,
                                       f"unknown {ref_column} '{value}'{hint}"))
    return problems


def check_semantics(tables: Tables, years: range) -> list[Problem]:
    """Structural rules: one baseline, every process has an output, sane rules."""
    return (
        _check_one_baseline(tables)
        + _check_process_outputs(tables)
        + _check_rules(tables)
        + _check_years(tables, years)
    )


def _check_one_baseline(tables: Tables) -> list[Problem]:
    frame = tables["scenarios"]
    count = int(frame["is_baseline"].fillna(False).sum())
    if count == 1:
        return []
    file = frame.attrs.get("file", "")
    return [Problem(f"exactly one scenario must have is_baseline true (found {count})",
                    file, "scenarios", None, "is_baseline")]


def _check_process_outputs(tables: Tables) -> list[Problem]:
    io = tables["process_io"]
    with_output = set(io.loc[io["direction"] == "out", "process"])
    procs = tables["processes"]
    return [
        problem_at(tables, "processes", pos, "process",
                   f"process '{p}' has no 'out' row in process_io")
        for pos, p in enumerate(procs["process"])
        if p and p not in with_output
    ]


def _check_rules(tables: Tables) -> list[Problem]:
    rules = tables["scenario_rules"]
    targets = set(tables["regions"]["region"]) | set(BLOCS)
    stages = set(tables["processes"]["stage"])
    problems = []
    for pos, row in enumerate(rules.itertuples(index=False)):
        for column, text in _rule_row_problems(row, targets, stages):
            problems.append(problem_at(tables, "scenario_rules", pos, column, text))
    return problems


def _rule_row_problems(row: object, targets: set[str], stages: set[str]
                       ) -> list[tuple[str, str]]:
    rule, target, field = row.rule, row.target, row.field  # type: ignore[attr-defined]
    value = row.value  # type: ignore[attr-defined]
    out: list[tuple[str, str]] = []
    if target and target not in targets:
        out.append(("target", f"unknown region or bloc '{target}'"
                    f"{did_you_mean(target, targets)}"))
    if rule in ("embargo", "export_quota") and not target:
        out.append(("target", f"rule '{rule}' needs a target region or bloc"))
    if rule in ("export_quota", "scale", "lead_time_add") and pd.isna(value):
        out.append(("value", f"rule '{rule}' needs a value"))
    elif rule in ("export_quota", "scale") and value < 0:
        out.append(("value", f"{value:g} is out of range (expected a number >= 0)"))
    if rule == "scale" and field not in SCALE_FIELDS:
        out.append(("field", f"'{field}' is not a scale field (expected one of: "
                    f"{', '.join(SCALE_FIELDS)})"))
    if rule == "lead_time_add":
        if field and field not in stages:
            out.append(("field", f"unknown stage '{field}'{did_you_mean(field, stages)}"))
        if not pd.isna(value) and not float(value).is_integer():
            out.append(("value", f"'{value:g}' is not a whole number of years"))
    return out


def _check_years(tables: Tables, years: range) -> list[Problem]:
    problems = []
    for table, column in (("expansion", "earliest_online_year"),
                          ("scenario_rules", "from_year")):
        for pos, year in enumerate(tables[table][column]):
            if not pd.isna(year) and year > years.stop - 1:
                problems.append(problem_at(
                    tables, table, pos, column,
                    f"{year} is after end_year {years.stop - 1}"))
    return problems
