"""Objective: total discounted cost plus the shortfall penalty."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear


def objective_coefficients(ix: LPIndex) -> dict[str, np.ndarray]:
    """Discounted cost per unit of every variable family (USD)."""
    df = ix.discount

    def disc(frame: object) -> np.ndarray:
        return frame["year"].map(df).to_numpy(dtype=float)  # type: ignore[index]

    return {
        "act": ix.act["variable_cost_usd_per_t"].to_numpy() * disc(ix.act),
        "build": (ix.build["capex_cost"] + ix.build["fixed_om_cost"]).to_numpy(),
        "flow": (ix.flow["transport_usd_per_t"] + ix.flow["tariff_usd_per_t"]
                 ).to_numpy() * disc(ix.flow),
        "release": ix.stock["release_cost_usd_per_t"].to_numpy() * disc(ix.stock),
        "short": ix.short["penalty_usd_per_t"].to_numpy() * disc(ix.short),
    }


def constant_cost(ix: LPIndex) -> float:
    """Discounted fixed O&M of existing capacity (does not depend on decisions)."""
    frame = ix.fixed_om_existing
    if frame.empty:
        return 0.0
    return float((frame["fixed_om_usd"] * frame["discount"]).sum())


def add_objective(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Minimise discounted cost plus the shortfall penalty.

    Math:
        \min \sum_y df_y \Big( \sum_{r,p} c^{var}_{r,p,y}\mathbf{act}_{r,p,y}
          + \sum_{o,d,c} (c^{tr}_{o,d,c,y} + \tau_{o,d,c} P_c)\mathbf{flow}_{o,d,c,y}
          + \sum_{r,c} (c^{rel}_{r,c}\mathbf{release}_{r,c,y}
          + \pi_{r,c,y}\mathbf{short}_{r,c,y})
          + \sum_{r,p} F_p K_{r,p,y} \Big)
          + \sum_{r,p,y'} \mathbf{build}_{r,p,y'} \sum_{y'}^{\min(Y, y'+L_p-1)} df_y
            \big(\mathrm{CRF}(i, L_p)\, I_{r,p,y'} + F_p\big)

    with df_y = (1+i)^{-(y-y_0)} and CRF(i, L) = i(1+i)^L / ((1+i)^L - 1).
    Symbols: c^{var} = ``variable_cost_usd_per_t`` x ``opex_index`` (scaled);
    c^{tr} = ``routes.cost_usd_per_t`` (scaled); \tau = ``routes.tariff_pct``/100;
    P = ``reference_price_usd_per_t``; c^{rel} = ``release_cost_usd_per_t``;
    \pi = ``shortfall_penalty_usd_per_t`` (scaled); F = ``fixed_om_usd_per_tpa``;
    I = ``capex_usd_per_tpa`` x ``capex_index`` (scaled); i = ``discount_rate``.
    Objective: ``total_cost``. Spec: MODEL-SPEC §3 "Objective".
    Tests: tests/formulation/test_objective.py.
    """
    coefs = objective_coefficients(ix)
    all_coefs: list[float] = []
    all_vars: list[object] = []
    for family, values in coefs.items():
        var = getattr(m, family)
        nonzero = np.flatnonzero(values)
        all_coefs.extend(values[nonzero].tolist())
        all_vars.extend(var[int(i)] for i in nonzero)
    m.total_cost = pyo.Objective(expr=linear(all_coefs, all_vars, constant_cost(ix)),
                                 sense=pyo.minimize,
                                 doc="discounted cost + shortfall penalty [USD]")
