"""Value rules of every column, as one pandera schema per table (layer 1, values).

The schemas are generated from ``schema.py``: allowed values, numeric ranges, the
units window (smallest and largest plausible nonzero magnitude) and safe text (no
control characters, at most 32,767 characters, the most a spreadsheet cell holds).
They run lazily (all failures collected) on the typed frames, indexed by file
row, so every failing cell is
reported with its row and column in one pass. Cells whose type could not be parsed
are missing values here and were reported by ``coerce.py``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from model.data.coerce import ROW
from model.data.raw import shown
from model.data.schema import TABLE_BY_NAME, ColumnSpec, TableSpec
from model.data.unicode_hint import did_you_mean
from model.errors import Problem

if TYPE_CHECKING:
    import pandera.pandas as pa

MAX_TEXT = 32_767
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Rule:
    """One value rule of a column: a test of one value and the failure message."""

    name: str
    ok: Callable[[object], bool]
    message: Callable[[object], str]
    doc: str


def column_rules(col: ColumnSpec) -> list[Rule]:
    """The value rules of ``col``, in the order they are reported."""
    if col.kind == "text":
        return _text_rules(col)
    if col.kind == "boolean":
        return []
    rules = []
    if col.minimum is not None or col.maximum is not None:
        rules.append(Rule("range", lambda v, c=col: _in_range(float(v), c),
                          lambda v, c=col: f"{_num(v)} is out of range (expected "
                          f"{c.range_text()})", f"{col.range_text()}"))
    if col.window is not None:
        lo, hi = col.window
        rules.append(Rule("window",
                          lambda v, lo=lo, hi=hi: v == 0 or lo <= abs(v) <= hi,
                          lambda v, c=col: _window_message(float(v), c),
                          f"nonzero magnitude within [{lo:g}, {hi:g}] (units window)"))
    return rules


def _text_rules(col: ColumnSpec) -> list[Rule]:
    rules = [
        Rule("control", lambda v: CONTROL.search(str(v)) is None,
             lambda v: f"text contains the control character U+"
             f"{ord(CONTROL.search(str(v)).group()):04X}; remove it",  # type: ignore[union-attr]
             "no control characters"),
        Rule("length", lambda v: len(str(v)) <= MAX_TEXT,
             lambda v: f"text is {len(str(v)):,} characters long "
             f"(at most {MAX_TEXT:,})",
             f"at most {MAX_TEXT:,} characters"),
    ]
    if col.allowed is not None:
        allowed = col.allowed
        rules.append(Rule("allowed", lambda v, a=allowed: v == "" or v in a,
                          lambda v, a=allowed: f"{shown(v)} is not allowed "
                          f"(expected one of: {', '.join(a)})"
                          f"{did_you_mean(str(v), a)}",
                          f"one of: {', '.join(allowed)}"))
    return rules


def _num(value: object) -> str:
    return f"{float(value):g}"  # type: ignore[arg-type]


def _in_range(value: float, col: ColumnSpec) -> bool:
    if col.minimum is not None and (value <= col.minimum if col.exclusive_minimum
                                    else value < col.minimum):
        return False
    return col.maximum is None or value <= col.maximum


def _window_message(value: float, col: ColumnSpec) -> str:
    lo, hi = col.window  # type: ignore[misc]
    if abs(value) > hi:
        return (f"{value:g} is above {hi:g}, the largest plausible value of this "
                "column (a unit mix-up, or an 'unlimited' sentinel such as 1e20? "
                "leave the cell blank for no limit where the column allows it)")
    return (f"{value:g} is below {lo:g}, the resolution of this column (use 0, or "
            "check the unit)")


@cache
def table_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of table ``name``, generated from its TableSpec
    (pandera is imported on first use: clean tables never need it)."""
    import pandera.pandas as pa  # noqa: PLC0415

    spec: TableSpec = TABLE_BY_NAME[name]
    columns = {
        col.name: pa.Column(
            checks=[pa.Check(_safe(rule.ok), name=rule.name, element_wise=True)
                    for rule in column_rules(col)],
            nullable=True, required=False)
        for col in spec.columns
    }
    return pa.DataFrameSchema(columns, name=name)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float)
                                               and math.isnan(value))


def _safe(ok: Callable[[object], bool]) -> Callable[[object], bool]:
    """The test, passing missing values (a blank or an unparsable cell, whose
    problem, if any, is reported by coerce.py)."""
    def run(value: object) -> bool:
        return _missing(value) or bool(ok(value))
    return run


def check_values(name: str, frame: pd.DataFrame) -> list[Problem]:
    """Every cell of ``frame`` that breaks a value rule of its column."""
    spec = TABLE_BY_NAME[name]
    if frame.empty or _all_pass(frame, spec):
        return []  # pandera's lazy run is only needed to collect failures
    from pandera.errors import SchemaErrors  # noqa: PLC0415

    indexed = frame.set_index(ROW)
    try:
        table_schema(name).validate(indexed, lazy=True)
    except SchemaErrors as exc:
        return _problems(exc.failure_cases, spec, frame.attrs.get("file", ""))
    return []


def _all_pass(frame: pd.DataFrame, spec: TableSpec) -> bool:
    """Every value of every column passes its column's rules (each distinct
    value, by type and value, is tested once: a rule depends on the value alone)."""
    for col in spec.columns:
        values = _distinct(frame[col.name].tolist()) if col.name in frame else []
        for rule in column_rules(col):
            test = _safe(rule.ok)
            if not all(test(v) for v in values):
                return False
    return True


def _distinct(values: list[object]) -> list[object]:
    """``values`` without repeats of one (type, value) pair. Equal values of one
    type pass or fail every rule alike: the numeric rules compare numbers (0.0 and
    -0.0 alike) and the text rules see text, where equal means the same string."""
    try:
        return list({(type(v), v): v for v in values}.values())
    except TypeError:  # an unhashable value: every value is tested as it is
        return values


def _problems(cases: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    messages = {(c.name, r.name): r.message for c in spec.columns
                for r in column_rules(c)}
    out: dict[tuple[int, str], Problem] = {}
    for case in cases.itertuples(index=False):
        key = (int(case.index), str(case.column))
        rule = messages.get((str(case.column), str(case.check)))
        if rule is None or key in out:
            continue
        out[key] = Problem(rule(case.failure_case), file, spec.name, key[0], key[1])
    return sorted(out.values(), key=lambda p: (p.row or 0, _order(spec, p.column)))


def _order(spec: TableSpec, column: str) -> int:
    return spec.column_names.index(column) if column in spec.column_names else 0
