"""Trade rules: export quotas (an embargo is a data mask on the flow index)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms


def quota_rows(ix: LPIndex) -> Rows:
    r"""Exports out of a quota's target stay within the quota each year.

    Math:
        \sum_{o \in T,\ d \notin T,\ c \in C_q} \mathbf{flow}_{o,d,c,y} \le V_q
        \qquad \forall q \in \mathrm{QUOTA},\ y \ge y^{from}_q

    Symbols: T = regions of ``scenario_rules.target``; C_q = the rule's commodity
    (blank = all commodities together); V_q = ``scenario_rules.value``.
    Embargoes remove the flow variables between inside and outside of their target
    from ``from_year`` on (no constraint needed).
    Keys: (rule, year, commodity: the rule's flows' one commodity, else "all"), a
    row per rule and year with at least one such flow.
    Spec: MODEL-SPEC §2 "Scenario rules". Tests: tests/formulation/test_trade.py.
    """
    flow = ix.flow
    year = flow["year"].to_numpy()
    keys, rhs, rows, positions = [], [], [], []
    for quota in ix.quotas:
        scope = quota.scope
        out = scope.region_mask(flow["origin"]) & ~scope.region_mask(
            flow["destination"])
        if scope.commodity is not None:
            out &= (flow["commodity"] == scope.commodity).to_numpy()
        for y in ix.years:
            found = np.flatnonzero(out & (year == y)) if y >= scope.from_year else []
            if len(found):
                names = flow["commodity"].iloc[found].unique()
                keys.append((quota.label, y, str(names[0]) if len(names) == 1
                             else "all"))
                rhs.append(float(quota.value))
                rows.append(np.full(len(found), len(keys) - 1))
                positions.append(found)
    frame = pd.DataFrame(keys, columns=["rule", "year", "commodity"])
    if not keys:
        rows = positions = [np.zeros(0, dtype=np.int64)]
    return Rows(frame, np.array(rhs, dtype=float), (
        Terms("flow", np.concatenate(rows), np.concatenate(positions), 1.0),))


EXPORT_QUOTA = ConstraintFamily("export_quota", "<=", quota_rows,
                                "exports out of the target <= quota")
