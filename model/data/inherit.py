"""Scenario inheritance: ``scenarios.based_on`` names a parent scenario.

A scenario's rules are its parent's rules followed by its own, and the parent's are
its own parent's followed by its own, and so on (a chain of any length). Every rule
kind combines in any order (embargoes and quotas are added, ``scale`` factors
multiply, ``lead_time_add`` years add up), so the order only fixes how the rules
are listed. A ``based_on`` that names an unknown scenario is a reference error
(``validate.check_references``); one that leads back to the scenario itself is a
cycle, reported here at the row of every scenario on it.

Only rules are inherited: ``is_baseline``, ``compare_to`` and ``description`` are
each scenario's own (a scenario based on ``decoupling`` is still compared with the
baseline unless its ``compare_to`` says otherwise).
"""

from __future__ import annotations

import pandas as pd

BASED_ON = "based_on"


def parents(scenarios: pd.DataFrame) -> dict[str, str]:
    """Scenario -> the scenario it is based on (scenarios with no parent left out)."""
    if BASED_ON not in scenarios.columns:
        return {}
    return {str(s): str(p).strip() for s, p in zip(scenarios["scenario"],
                                                   scenarios[BASED_ON], strict=True)
            if isinstance(p, str) and p.strip()}


def lineage(name: str, parent: dict[str, str]) -> list[str]:
    """``name``'s ancestors, the root first, then ``name`` itself.

    Raises ValueError on a cycle (validation reports cycles before this is used)."""
    chain = [name]
    while chain[-1] in parent:
        step = parent[chain[-1]]
        if step in chain:
            raise ValueError(cycle_text(chain[chain.index(step):]))
        chain.append(step)
    return chain[::-1]


def cycle_text(loop: list[str]) -> str:
    return " -> ".join([*loop, loop[0]])


def scenario_rules(rules: pd.DataFrame, scenarios: pd.DataFrame, name: str
                   ) -> pd.DataFrame:
    """The rules of scenario ``name``: its ancestors' (root first), then its own."""
    chain = lineage(name, parents(scenarios))
    parts = [rules[rules["scenario"] == s] for s in chain]
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out.attrs = dict(rules.attrs)
    return out


def flattened_rules(rules: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """``scenario_rules`` with every inherited rule written out under the scenario
    that inherits it (the table a case without ``based_on`` would need)."""
    parts = []
    for name in scenarios["scenario"]:
        own = scenario_rules(rules, scenarios, str(name)).copy()
        own["scenario"] = str(name)
        parts.append(own)
    out = pd.concat(parts, ignore_index=True) if parts else rules.copy()
    out = out.astype({c: rules[c].dtype for c in rules.columns})
    out.attrs = dict(rules.attrs)
    return out


def cycle_problems(scenarios: pd.DataFrame) -> list[tuple[int, str]]:
    """(frame position, text) for every scenario whose ``based_on`` chain comes
    back to itself; an unknown parent ends the chain (reported as a reference)."""
    parent = parents(scenarios)
    found = []
    for position, name in enumerate(scenarios["scenario"]):
        name = str(name)
        if name not in parent:
            continue
        try:
            lineage(name, parent)
        except ValueError:
            found.append((position, _own_cycle(name, parent)))
    return found


def _own_cycle(name: str, parent: dict[str, str]) -> str:
    chain = [name]
    while parent.get(chain[-1]) not in (None, *chain):
        chain.append(parent[chain[-1]])
    step = parent[chain[-1]]
    if step == name:
        return (f"'{parent[name]}': the scenarios are based on each other in a "
                f"circle ({cycle_text(chain)})" if len(chain) > 1 else
                f"'{name}': a scenario cannot be based on itself")
    loop = chain[chain.index(step):]
    return (f"'{parent[name]}': leads to scenarios based on each other in a circle "
            f"({cycle_text(loop)})")
