"""When two scenarios part (MODEL-SPEC §8.4): the scenario tree from the data.

Two scenarios' data differ from the earliest ``from_year`` among the rules that
one has and the other has not (a blank from_year: base_year); until then they take
the same decisions. That year is an ultrametric (the rules two scenarios do not
share are among those that either does not share with a third), so linking each
scenario to the earlier one it shares most years with is enough: every pair is
then tied, through the links, up to its own parting year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.data.case import Case

RULE_KEY = ["rule", "target", "commodity", "field", "value", "from_year"]


def rule_set(case: Case, name: str) -> set[tuple[object, ...]]:
    """The scenario's rules as comparable tuples (blank from_year = base_year)."""
    rules = case.table("scenario_rules")
    rules = rules[rules["scenario"] == name]
    base = case.settings.base_year
    out = set()
    for row in rules.itertuples(index=False):
        year = base if pd.isna(row.from_year) else int(row.from_year)
        value = None if pd.isna(row.value) else float(row.value)
        out.add((row.rule, row.target or "", row.commodity or "", row.field or "",
                 value, year))
    return out


def parting_year(case: Case, a: str, b: str) -> int:
    """The first year in which the data of ``a`` and ``b`` differ; end_year + 1
    if they never do."""
    differ = rule_set(case, a) ^ rule_set(case, b)
    if not differ:
        return case.settings.end_year + 1
    return int(min(rule[-1] for rule in differ))


@dataclass(frozen=True)
class Link:
    """Scenario ``later`` takes ``earlier``'s decisions in the years before
    ``until``."""

    earlier: str
    later: str
    until: int


def tree_links(case: Case, names: list[str]) -> list[Link]:
    """The links that tie every pair of ``names`` up to its parting year."""
    links = []
    for k, later in enumerate(names[1:], start=1):
        years = {s: parting_year(case, s, later) for s in names[:k]}
        earlier = max(names[:k], key=lambda s: years[s])  # first of equals
        if years[earlier] > case.settings.base_year:
            links.append(Link(earlier, later, years[earlier]))
    return links


def first_parting(case: Case, names: list[str]) -> int:
    """The first year in which any two of ``names`` differ: the decisions before
    it are the plan to commit now (end_year + 1 if all are alike)."""
    years = [parting_year(case, a, b) for i, a in enumerate(names)
             for b in names[i + 1:]]
    return min(years) if years else case.settings.end_year + 1
