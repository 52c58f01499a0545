"""Commodity balance: every (region, commodity, year) is in balance."""

from __future__ import annotations

import numpy as np

from model.data.indices import LPIndex
from model.data.terms import term_rows
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
    terms = ix.balance_terms
    row, keys = term_rows(terms)
    family = terms["family"].array  # as it is: no copy to Python strings
    position = terms["position"].to_numpy()
    short = (terms["family"] == "short").to_numpy()  # every unmet demand's row
    rhs = np.zeros(len(keys))
    rhs[row[short]] = ix.short["demand_t"].to_numpy(dtype=float)[position[short]]
    return Rows(keys, rhs, (Terms(family, row, position, terms["coef"].to_numpy()),))


BALANCE = ConstraintFamily("balance", "==", balance_rows,
                           "commodity balance (dual = marginal cost)")
