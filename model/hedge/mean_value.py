"""The mean-value scenario of a hedging set (MODEL-SPEC §8.4 "EV").

Each uncertain quantity at its expectation, rule by rule, where q(r) is the total
probability of the scenarios that carry rule r:

* ``scale`` by v  → ``scale`` by 1 + q (v − 1) (the expected multiplier);
* ``lead_time_add`` of n years → n·q years, rounded to whole years;
* ``embargo`` or ``export_quota`` of a target (and commodity) → the target's
  offer at 1 − P(y) of its capacity, P(y) the probability that such a rule is in
  force in year y: ``scale`` rules on ``capacity`` of the target's processes
  that make the commodity (all of them when blank), one step per from_year.

Where two rules scale the same thing their multipliers multiply (as any two
``scale`` rules do), which is the expectation when the rules are independent.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from model.data.case import Case
from model.data.schema import SHOCK_RULES

NAME = "mean_value"


def mean_value_case(case: Case, weights: dict[str, float]) -> Case:
    """``case`` with one more scenario, ``mean_value``, whose rules are the
    expected rules of the ``weights`` scenarios (hedge_only, not the baseline)."""
    rules = case.table("scenario_rules")
    mine = rules[rules["scenario"].isin(weights)].copy()
    mine["q"] = mine["scenario"].map(weights).astype(float)
    base = case.settings.base_year
    mine["year"] = mine["from_year"].astype("Float64").fillna(base).astype(int)
    new_rules = pd.concat([_scales(mine), _lead_adds(mine), _shocks(mine)],
                          ignore_index=True)
    new_rules = _typed_like(new_rules, rules)
    scenarios = case.table("scenarios")
    row = scenarios.iloc[:1].copy()
    for column, value in (("scenario", NAME), ("description", "mean-value problem "
                          "of the hedging set"), ("is_baseline", False),
                          ("probability", np.nan), ("hedge_only", True)):
        if column in row.columns:
            row[column] = value
    if "compare_to" in row.columns:
        row["compare_to"] = ""
    tables = {**case.tables,
              "scenarios": pd.concat([scenarios, row], ignore_index=True),
              "scenario_rules": pd.concat([rules, new_rules], ignore_index=True)}
    return dataclasses.replace(case, tables=tables)


KEY = ["target", "commodity", "field", "value", "year"]


def _grouped(rows: pd.DataFrame) -> pd.DataFrame:
    """Identical rules of several scenarios as one, with their total probability."""
    if rows.empty:
        return rows.assign(q=pd.Series(dtype=float))
    return rows.groupby(KEY, dropna=False, as_index=False)["q"].sum()


def _scales(mine: pd.DataFrame) -> pd.DataFrame:
    rows = _grouped(mine[mine["rule"] == "scale"])
    return _rule_rows("scale", rows["target"], rows["commodity"], rows["field"],
                      1 + rows["q"] * (rows["value"].astype(float) - 1), rows["year"])


def _lead_adds(mine: pd.DataFrame) -> pd.DataFrame:
    rows = _grouped(mine[mine["rule"] == "lead_time_add"])
    years = np.rint(rows["q"] * rows["value"].astype(float))
    keep = (years > 0).to_numpy()
    rows = rows[keep]
    return _rule_rows("lead_time_add", rows["target"], rows["commodity"],
                      rows["field"], years[keep], rows["year"])


def _shocks(mine: pd.DataFrame) -> pd.DataFrame:
    """Capacity steps 1 − P(y) per (target, commodity), P counted per scenario."""
    shocks = mine[mine["rule"].isin(SHOCK_RULES)]
    first = shocks.groupby(["target", "commodity", "scenario"], dropna=False,
                           as_index=False).agg(year=("year", "min"), q=("q", "first"))
    parts = []
    for (target, commodity), rows in first.groupby(["target", "commodity"],
                                                   dropna=False):
        by_year = rows.groupby("year")["q"].sum().sort_index()
        available = 1 - by_year.cumsum().clip(upper=1.0)
        before = available.shift(1, fill_value=1.0)
        step = (available / before.where(before > 0)).fillna(0.0)
        parts.append(_rule_rows("scale", pd.Series(target, index=step.index),
                                pd.Series(commodity, index=step.index),
                                pd.Series("capacity", index=step.index), step,
                                pd.Series(step.index, index=step.index)))
    return pd.concat(parts, ignore_index=True) if parts else _rule_rows(
        "scale", *(pd.Series(dtype=object),) * 5)


def _rule_rows(rule: str, target: pd.Series, commodity: pd.Series, field: pd.Series,
               value: pd.Series, year: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"scenario": NAME, "rule": rule,
                         "target": target.to_numpy(dtype=object),
                         "commodity": commodity.to_numpy(dtype=object),
                         "field": field.to_numpy(dtype=object),
                         "value": np.asarray(value, dtype=float),
                         "from_year": np.asarray(year)})


def _typed_like(new: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """``new`` with the columns and types of the case's rule table."""
    out = pd.DataFrame({c: new[c] if c in new.columns else pd.Series(
        [None] * len(new), dtype=object) for c in rules.columns})
    for c in ("target", "commodity", "field"):
        out[c] = out[c].where(out[c].notna(), "").astype(object)
    out["from_year"] = pd.array(out["from_year"], dtype="Int64")
    if "source" in out.columns:
        out["source"] = "mean-value problem (model.hedge.mean_value)"
    return out
