"""Commodity balance: every (region, commodity, year) is in balance."""

from __future__ import annotations

import numpy as np

from model.data.indices import RCY, LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms


def balance_rows(ix: LPIndex) -> Rows:
    r"""Supply minus use equals demand, with shortfall and free disposal.

    Math:
        \sum_p \mathrm{out}_{p,c}\,\mathbf{act}_{r,p,y}
        - \sum_p \mathrm{in}_{p,c}\,\mathbf{act}_{r,p,y}
        + \sum_o \mathbf{flow}_{o,r,c,y} - \sum_d \mathbf{flow}_{r,d,c,y}
        + \mathbf{release}_{r,c,y} + \mathbf{short}_{r,c,y} - \mathbf{surplus}_{r,c,y}
        = D_{r,c,y} \qquad \forall (r,c,y) \in \mathrm{BAL}

    Symbols: out/in = ``process_io.coefficient`` by direction; D = ``demand.demand_t``
    (interpolated, scaled). BAL = every (r, c, y) with at least one term.
    The dual of the row, divided by df_y, is ``marginal_cost_usd_per_t``.
    Keys: (region, commodity, year). Spec: MODEL-SPEC §3 "Balance".
    Tests: tests/formulation/test_balance.py.
    """
    terms = ix.balance_terms  # sorted by (region, commodity, year)
    row = terms.groupby(RCY, sort=False).ngroup().to_numpy()
    keys = terms[RCY].drop_duplicates().reset_index(drop=True)
    rhs = keys.merge(ix.short[RCY + ["demand_t"]], on=RCY, how="left")["demand_t"]
    family = terms["family"].to_numpy()
    position = terms["position"].to_numpy()
    coef = terms["coef"].to_numpy()
    parts = []
    for name in terms["family"].unique():
        mask = family == name
        parts.append(Terms(str(name), row[mask], position[mask], coef[mask]))
    return Rows(keys, rhs.fillna(0.0).to_numpy(dtype=float), tuple(parts))


BALANCE = ConstraintFamily("balance", "==", balance_rows,
                           "commodity balance (dual = marginal cost)",
                           inputs=("demand", "process_io"))
