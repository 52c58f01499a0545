"""Commodity balance: every (region, commodity, year) is in balance."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from model.data.indices import RCY, LPIndex
from model.formulation.linear import linear


def add_balance(m: pyo.ConcreteModel, ix: LPIndex) -> None:
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
    Constraint: ``balance``; its keys are in ``m.balance_keys`` (a frame).
    Spec: MODEL-SPEC §3 "Balance". Tests: tests/formulation/test_balance.py.
    """
    terms = ix.balance_terms
    keys = terms[RCY].drop_duplicates().reset_index(drop=True)
    starts = np.flatnonzero(terms[RCY].ne(terms[RCY].shift()).any(axis=1).to_numpy())
    bounds = np.append(starts, len(terms))
    demand = dict(zip(zip(*(ix.short[c] for c in RCY), strict=True),
                      ix.short["demand_t"], strict=True))
    rhs = [demand.get(k, 0.0) for k in zip(*(keys[c] for c in RCY), strict=True)]
    families = {f: getattr(m, f) for f in terms["family"].unique()}
    fam = terms["family"].to_numpy()
    pos = terms["position"].to_numpy()
    coef = terms["coef"].to_numpy()

    def rule(_m: pyo.ConcreteModel, i: int) -> object:
        lo, hi = bounds[i], bounds[i + 1]
        variables = [families[f][int(p)] for f, p in zip(fam[lo:hi], pos[lo:hi],
                                                          strict=True)]
        return linear(coef[lo:hi].tolist(), variables) == rhs[i]

    m.balance_keys = keys
    m.balance = pyo.Constraint(range(len(keys)), rule=rule,
                               doc="commodity balance (dual = marginal cost)")
