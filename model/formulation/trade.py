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
    Keys: (rule, year). Spec: MODEL-SPEC §2 "Scenario rules".
    Tests: tests/formulation/test_trade.py.
    """
    quotas = ix.quotas
    sizes = [len(q.flow_positions) for q in quotas]
    keys = pd.DataFrame({"rule": [q.label for q in quotas],
                         "year": [q.year for q in quotas]})
    positions = (np.concatenate([q.flow_positions for q in quotas]) if quotas
                 else np.zeros(0, dtype=np.int64))
    return Rows(keys, np.array([float(q.value) for q in quotas]), (
        Terms("flow", np.repeat(np.arange(len(sizes)), sizes), positions, 1.0),))


EXPORT_QUOTA = ConstraintFamily("export_quota", "<=", quota_rows,
                                "exports out of the target <= quota",
                                inputs=("scenario_rules",))
