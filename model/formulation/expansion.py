"""Expansion: how much new capacity may be built in total."""

from __future__ import annotations

import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear


def add_expansion(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Total new capacity of a (region, process) stays within its limit.

    Math:
        \sum_{y \ge Y^0_{r,p}} \mathbf{build}_{r,p,y} \le \bar{B}_{r,p}
        \qquad \forall (r,p) \in \mathrm{EXP}

    Builds exist only for listed (r, p) and online years y >= Y^0 (the earliest
    online year: ``expansion.earliest_online_year``, default base_year + lead time,
    plus ``lead_time_add``); the per-year limit is a bound on ``build``.
    Symbols: \bar{B} = ``expansion.max_new_tpa`` (rows with a limit only).
    Constraint: ``expansion_total``. Spec: MODEL-SPEC §3 "Expansion".
    Tests: tests/formulation/test_expansion.py.
    """
    groups = ix.build.groupby(["region", "process"]).indices
    rows = [
        (groups[(r, p)].tolist(), float(limit))
        for r, p, limit in zip(ix.expansion_limits["region"],
                               ix.expansion_limits["process"],
                               ix.expansion_limits["max_new_tpa"], strict=True)
        if (r, p) in groups
    ]

    def rule(_m: pyo.ConcreteModel, k: int) -> object:
        positions, limit = rows[k]
        return linear([1.0] * len(positions), [m.build[j] for j in positions]) <= limit

    m.expansion_total = pyo.Constraint(range(len(rows)), rule=rule,
                                       doc="total new capacity <= max_new_tpa")
