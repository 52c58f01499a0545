"""The ``uncertainty`` table (MODEL-SPEC §7): checked rows and how a draw is applied.

Each row is one uncertain input. A drawn value is applied exactly like a scenario
rule: a ``scale`` field becomes a synthetic ``scale`` rule (a multiplier), a
``lead_time`` row a ``lead_time_add`` rule of whole years (rounded half away from
zero) for the stage named in ``stage``. A blank ``scenario`` applies the row to
every scenario; a multiplier with a ``from_year`` acts from that year on, like a
rule's. The synthetic rules are appended to the scenario's own rules, so
they act on top of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from model.data.case import Case
from model.data.coerce import ROW
from model.data.scenarios import without_inheritance
from model.data.schema import SCALE_FIELDS
from model.data.targets import target_problem
from model.data.validate import did_you_mean, problem_at
from model.errors import InputError, Problem

TABLE = "uncertainty"


@dataclass(frozen=True)
class UncertainInput:
    """One row of the uncertainty table, checked."""

    row: int
    scenario: str
    field: str
    target: str
    commodity: str
    stage: str
    distribution: str
    low: float
    mode: float
    high: float
    from_year: int | None = None  # a multiplier's first year (None = base year)

    @property
    def label(self) -> str:
        """Short unique name, e.g. ``r3 lead_time separation alliance``."""
        parts = [f"r{self.row}", self.field, self.stage, self.commodity, self.target]
        text = " ".join(p for p in parts if p)
        return f"{text} [{self.scenario}]" if self.scenario else text

    @property
    def column(self) -> str:
        """Column name of this input's drawn value in the result store."""
        return f"draw_r{self.row}"

    @property
    def undrawn(self) -> float:
        """The value that leaves the case as it is: no added years, a factor 1."""
        return 0.0 if self.field == "lead_time" else 1.0

    def applied_value(self, value: float) -> float:
        """The value the rule receives: whole years for lead_time."""
        if self.field == "lead_time":
            return float(math.copysign(math.floor(abs(value) + 0.5), value))
        return float(value)


def uncertain_inputs(case: Case) -> list[UncertainInput]:
    """The case's uncertainty rows, checked; raise InputError listing all problems."""
    frame = case.table(TABLE)
    problems: list[Problem] = []
    inputs = []
    for pos, row in enumerate(frame.itertuples(index=False)):
        found = _row_problems(case, row)
        problems += [problem_at(case.tables, TABLE, pos, column, text)
                     for column, text in found]
        inputs.append(UncertainInput(
            int(frame[ROW].iloc[pos]), row.scenario, row.field, row.target,
            row.commodity, row.stage, row.distribution, float(row.low),
            float(row.mode), float(row.high),
            None if pd.isna(row.from_year) else int(row.from_year)))
    if problems:
        raise InputError(problems)
    return inputs


def _row_problems(case: Case, row: object) -> list[tuple[str, str]]:
    return _reference_problems(case, row) + _range_problems(row)


def _reference_problems(case: Case, row: object) -> list[tuple[str, str]]:
    r = row  # an itertuples row of the uncertainty table
    known = {
        "scenario": set(case.table("scenarios")["scenario"]),
        "commodity": set(case.table("commodities")["commodity"]),
        "stage": set(case.table("processes")["stage"]),
    }
    nouns = {"scenario": "scenario", "commodity": "commodity", "stage": "stage"}
    out = []
    if target_problem(case.table("regions"), r.target):
        out.append(("target", target_problem(case.table("regions"), r.target)))
    for column, names in known.items():
        value = getattr(r, column)
        if value and value not in names:
            out.append((column, f"unknown {nouns[column]} '{value}'"
                        f"{did_you_mean(value, names)}"))
    if r.field == "lead_time" and r.commodity:
        out.append(("commodity", "a lead_time row takes no commodity (use stage)"))
    if r.stage and r.field in SCALE_FIELDS:
        out.append(("stage", f"only lead_time rows take a stage, not '{r.field}'"))
    if r.field == "lead_time" and not pd.isna(r.from_year):
        out.append(("from_year", "a lead_time row takes no from_year (it moves "
                    "the earliest online year of every build of its stage)"))
    return out


def _range_problems(row: object) -> list[tuple[str, str]]:
    r = row
    low, mode, high = r.low, r.mode, r.high
    if any(pd.isna(v) for v in (low, high)):
        return []  # a blank or non-numeric required cell is already reported
    out = []
    if r.distribution in ("normal", "lognormal") and not low < high:
        out.append(("high", f"high {high:g} must be above low {low:g} (they are the "
                    "5th and 95th percentiles)"))
    elif low > high:
        out.append(("high", f"high {high:g} is below low {low:g}"))
    if r.distribution == "triangular":
        if pd.isna(mode):
            out.append(("mode", "a triangular distribution needs a mode"))
        elif not low <= mode <= high:
            out.append(("mode", f"mode {mode:g} is not between low and high"))
    if r.distribution == "lognormal" and low <= 0:
        out.append(("low", f"{low:g} is out of range (a lognormal needs low > 0)"))
    if (r.field in SCALE_FIELDS and r.distribution in ("uniform", "triangular")
            and low < 0):
        out.append(("low", f"{low:g} is out of range (a multiplier is >= 0)"))
    return out


def apply_draws(case: Case, inputs: list[UncertainInput], values: list[float]) -> Case:
    """A copy of ``case`` whose scenario rules end with one rule per drawn value."""
    if not inputs:
        return case
    case = without_inheritance(case)  # a draw for one scenario stays its own
    scenarios = list(case.table("scenarios")["scenario"])
    rows = []
    for item, value in zip(inputs, values, strict=True):
        for scenario in [item.scenario] if item.scenario else scenarios:
            rows.append(_synthetic_rule(scenario, item, value))
    rules = case.table("scenario_rules")
    extra = pd.DataFrame(rows, columns=list(rules.columns))
    extra = extra.astype({c: rules[c].dtype for c in rules.columns})
    merged = pd.concat([rules, extra], ignore_index=True) if len(rules) else extra
    merged.attrs = dict(rules.attrs)
    return replace(case, tables={**case.tables, "scenario_rules": merged})


def _synthetic_rule(scenario: str, item: UncertainInput, value: float
                    ) -> dict[str, object]:
    lead = item.field == "lead_time"
    return {"scenario": scenario, "rule": "lead_time_add" if lead else "scale",
            "target": item.target, "commodity": "" if lead else item.commodity,
            "field": item.stage if lead else item.field,
            "value": item.applied_value(value),
            "from_year": pd.NA if item.from_year is None else item.from_year, ROW: 0}
