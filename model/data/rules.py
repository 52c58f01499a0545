"""Scenario rules (MODEL-SPEC §2), each kind registered once by name with its
validation, its effect on the scenario's data and its doc line.

Rules change data, never the formulation. ``RULES[kind].check`` validates one row
of ``scenario_rules`` (beyond the targets, checked in ``validate.py``);
``RULES[kind].apply`` records the row's effect in the scenario's ``RuleEffects``,
which the data stages then apply: ``scale_factor`` where each scaled field is
built, ``embargoed`` on the flow index, ``earliest_online`` on the expansion
options, and the export quotas as their own constraint family
(model/formulation/trade.py). A new rule kind touches this module, its tests and
its doc (docs/validation.md lists the doc lines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.data.unicode_hint import did_you_mean

SCALE_FIELDS = ("demand", "capex", "variable_cost", "capacity", "route_cost", "penalty")


@dataclass(frozen=True)
class Scope:
    """Regions a rule targets (None = every region), its commodity and first year."""

    regions: frozenset[str] | None
    commodity: str | None
    from_year: int

    def region_mask(self, regions: pd.Series) -> np.ndarray:
        if self.regions is None:
            return np.ones(len(regions), dtype=bool)
        return np.array(regions.isin(self.regions), dtype=bool)  # writable copy


@dataclass(frozen=True)
class ScaleRule:
    field: str
    scope: Scope
    value: float


@dataclass(frozen=True)
class Quota:
    label: str
    scope: Scope
    value: float


@dataclass(frozen=True)
class LeadAdd:
    regions: frozenset[str] | None
    stage: str | None
    years: int


@dataclass
class RuleEffects:
    """What the rules of one scenario do to its data."""

    scales: list[ScaleRule] = field(default_factory=list)
    embargoes: list[Scope] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    lead_adds: list[LeadAdd] = field(default_factory=list)


Problems = list[tuple[str, str]]  # (column, message)


@dataclass(frozen=True)
class RuleKind:
    """One kind of scenario rule: its doc line, row check and effect."""

    name: str
    doc: str
    check: Callable[[object, set[str]], Problems]
    apply: Callable[[RuleEffects, object, Scope], None]


def _needs_target(row: object) -> Problems:
    if row.target:  # type: ignore[attr-defined]
        return []
    return [("target", f"rule '{row.rule}' needs a target region or bloc")]  # type: ignore[attr-defined]


def _needs_value(row: object, nonnegative: bool) -> Problems:
    value = row.value  # type: ignore[attr-defined]
    if pd.isna(value):
        return [("value", f"rule '{row.rule}' needs a value")]  # type: ignore[attr-defined]
    if nonnegative and value < 0:
        return [("value", f"{value:g} is out of range (expected a number >= 0)")]
    return []


def _check_embargo(row: object, _stages: set[str]) -> Problems:
    return _needs_target(row)


def _check_quota(row: object, _stages: set[str]) -> Problems:
    return _needs_target(row) + _needs_value(row, nonnegative=True)


def _check_scale(row: object, _stages: set[str]) -> Problems:
    out = _needs_value(row, nonnegative=True)
    name = row.field  # type: ignore[attr-defined]
    if name not in SCALE_FIELDS:
        out.append(("field", f"'{name}' is not a scale field (expected one of: "
                    f"{', '.join(SCALE_FIELDS)}){did_you_mean(name, SCALE_FIELDS)}"))
    return out


def _check_lead_time(row: object, stages: set[str]) -> Problems:
    out = _needs_value(row, nonnegative=False)
    name, value = row.field, row.value  # type: ignore[attr-defined]
    if name and name not in stages:
        out.append(("field", f"unknown stage '{name}'{did_you_mean(name, stages)}"))
    if not pd.isna(value) and not float(value).is_integer():
        out.append(("value", f"'{value:g}' is not a whole number of years"))
    return out


def _quota_label(row: object, scope: Scope) -> str:
    return f"{row.target}:{row.commodity or 'all'}:{scope.from_year}"  # type: ignore[attr-defined]


RULE_KINDS = (
    RuleKind("embargo", "no flow crosses the border of the target (a region or bloc) "
             "from from_year on (commodity blank = every commodity): the flow "
             "variables are removed", _check_embargo,
             lambda fx, row, scope: fx.embargoes.append(scope)),
    RuleKind("export_quota", "exports out of the target of the commodity (blank = all "
             "commodities together) are at most value tonnes in each year from "
             "from_year on (a constraint)", _check_quota,
             lambda fx, row, scope: fx.quotas.append(
                 Quota(_quota_label(row, scope), scope, float(row.value)))),
    RuleKind("scale", f"multiplies field ({', '.join(SCALE_FIELDS)}) by value where "
             "the target region, the commodity (a process matches an output) and the "
             "years from from_year match; several rules multiply", _check_scale,
             lambda fx, row, scope: fx.scales.append(
                 ScaleRule(row.field, scope, float(row.value)))),
    RuleKind("lead_time_add", "adds value whole years to the earliest online year of "
             "the expansion options in the target whose process has stage field "
             "(blank = every stage)", _check_lead_time,
             lambda fx, row, scope: fx.lead_adds.append(
                 LeadAdd(scope.regions, row.field or None, int(row.value)))),
)
RULES: dict[str, RuleKind] = {kind.name: kind for kind in RULE_KINDS}


def rule_problems(row: object, stages: set[str]) -> Problems:
    """Problems of one ``scenario_rules`` row under its kind's check."""
    kind = RULES.get(row.rule)  # type: ignore[attr-defined]
    return kind.check(row, stages) if kind is not None else []


def scale_factor(scales: list[ScaleRule], field_name: str, frame: pd.DataFrame,
                 region: str, year: str,
                 commodity_match: Callable[[str], np.ndarray] | None = None,
                 ) -> np.ndarray:
    """Product of the ``scale`` rules of ``field_name`` over ``frame``'s rows.

    ``commodity_match(c)`` maps a rule's commodity to a boolean row mask; by
    default rows match on their ``commodity`` column.
    """
    factor = np.ones(len(frame))
    for rule in scales:
        if rule.field != field_name:
            continue
        mask = rule.scope.region_mask(frame[region])
        mask &= (frame[year] >= rule.scope.from_year).to_numpy()
        if rule.scope.commodity is not None:
            if commodity_match is None:
                mask &= (frame["commodity"] == rule.scope.commodity).to_numpy()
            else:
                mask &= commodity_match(rule.scope.commodity)
        factor[mask] *= rule.value
    return factor


def embargoed(embargoes: list[Scope], flows: pd.DataFrame) -> np.ndarray:
    """Flows that cross the border of an embargo's target in one of its years."""
    blocked = np.zeros(len(flows), dtype=bool)
    for scope in embargoes:
        inside_o = scope.region_mask(flows["origin"])
        inside_d = scope.region_mask(flows["destination"])
        mask = (inside_o != inside_d) & (flows["year"] >= scope.from_year).to_numpy()
        if scope.commodity is not None:
            mask &= (flows["commodity"] == scope.commodity).to_numpy()
        blocked |= mask
    return blocked


def earliest_online(regions: pd.Series, stages: pd.Series, earliest: pd.Series,
                    lead_adds: list[LeadAdd]) -> pd.Series:
    """``earliest`` online years plus every matching ``lead_time_add``."""
    for add in lead_adds:
        mask = np.ones(len(regions), dtype=bool) if add.regions is None else np.array(
            regions.isin(add.regions), dtype=bool)
        if add.stage is not None:
            mask = mask & (stages == add.stage).to_numpy()
        earliest = earliest + np.where(mask, add.years, 0)
    return earliest
