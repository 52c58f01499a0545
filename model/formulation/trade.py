"""Trade rules: export quotas (an embargo is a data mask on the flow index)."""

from __future__ import annotations

import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear


def add_export_quotas(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Exports out of a quota's target stay within the quota each year.

    Math:
        \sum_{o \in T,\ d \notin T,\ c \in C_q} \mathbf{flow}_{o,d,c,y} \le V_q
        \qquad \forall q \in \mathrm{QUOTA},\ y \ge y^{from}_q

    Symbols: T = regions of ``scenario_rules.target``; C_q = the rule's commodity
    (blank = all commodities together); V_q = ``scenario_rules.value``.
    Embargoes remove the flow variables between inside and outside of their target
    from ``from_year`` on (no constraint needed).
    Constraint: ``export_quota``. Spec: MODEL-SPEC §2 "Scenario rules".
    Tests: tests/formulation/test_trade.py.
    """
    rows = ix.quotas

    def rule(_m: pyo.ConcreteModel, k: int) -> object:
        q = rows[k]
        return linear([1.0] * len(q.flow_positions),
                      [m.flow[j] for j in q.flow_positions]) <= q.value

    m.export_quota = pyo.Constraint(range(len(rows)), rule=rule,
                                    doc="exports out of the target <= quota")
