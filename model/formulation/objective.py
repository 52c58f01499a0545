"""Objective: total discounted cost plus the shortfall penalty.

The cost of each variable family is declared with the family
(``model/formulation/variables.py``) from the functions here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex

NAME = "total_cost"
DOC = "discounted cost + shortfall penalty [USD]"


def total_cost() -> None:
    r"""Minimise discounted cost plus the shortfall penalty.

    Math:
        \min \sum_y df_y \Big( \sum_{r,p} c^{var}_{r,p,y}\mathbf{act}_{r,p,y}
          + \sum_{o,d,c} (c^{tr}_{o,d,c,y} + \tau_{o,d,c} P_c)\mathbf{flow}_{o,d,c,y}
          + \sum_{r,c} (c^{rel}_{r,c}\mathbf{release}_{r,c,y}
          + \pi_{r,c,y}\mathbf{short}_{r,c,y})
          + \sum_{r,p} F_p K_{r,p,y}
          + \sum_{k,s} (c^{tr}_{s,b_k,c_k,y} + \tau_{s,b_k,c_k} P_{c_k} - p_k)
            \mathbf{sale}_{k,s,y} + \sum_k \pi_{c_k}\mathbf{sale\_short}_{k,y}
          \Big)
          + \sum_{r,p,y'} \mathbf{build}_{r,p,y'} \sum_{y'}^{\min(Y, y'+L_p-1)} df_y
            \big(\mathrm{CRF}(h_p, L_p)\, I_{r,p,y'} + F_p\big)

    with df_y = (1+i)^{-(y-y_0)} and CRF(h, L) = h(1+h)^L / ((1+h)^L - 1).
    Symbols: c^{var} = ``variable_cost_usd_per_t`` x ``opex_index`` (scaled);
    c^{tr} = ``routes.cost_usd_per_t`` (scaled); \tau = ``routes.tariff_pct``/100;
    P = ``reference_price_usd_per_t``; c^{rel} = ``release_cost_usd_per_t``;
    \pi = ``shortfall_penalty_usd_per_t`` (scaled); F = ``fixed_om_usd_per_tpa``;
    I = ``capex_usd_per_tpa`` x ``capex_index`` (scaled); i = ``discount_rate``;
    h_p = ``processes.hurdle_rate`` (blank = i), the rate at which the build's
    capital is financed (MODEL-SPEC §8.2). p_k = ``offtakes.price_usd_per_t``:
    an offtake's revenue lowers the objective (MODEL-SPEC §8.3); price floors are
    transfers between members and do not enter it.
    Objective: ``total_cost`` (the variable costs below plus ``constant_cost``).
    Spec: MODEL-SPEC §3 "Objective". Tests: tests/formulation/test_objective.py.
    """


def _discounted(ix: LPIndex, frame: pd.DataFrame, usd_per_t: np.ndarray
                ) -> np.ndarray:
    return usd_per_t * frame["year"].map(ix.discount).to_numpy(dtype=float)


def act_cost(ix: LPIndex) -> np.ndarray:
    """df_y c^{var}_{r,p,y}."""
    return _discounted(ix, ix.act, ix.act["variable_cost_usd_per_t"].to_numpy())


def build_cost(ix: LPIndex) -> np.ndarray:
    """Annuities and fixed O&M over the discounted years in service."""
    return (ix.build["capex_cost"] + ix.build["fixed_om_cost"]).to_numpy()


def flow_cost(ix: LPIndex) -> np.ndarray:
    """df_y (c^{tr} + tau P)."""
    usd = (ix.flow["transport_usd_per_t"] + ix.flow["tariff_usd_per_t"]).to_numpy()
    return _discounted(ix, ix.flow, usd)


def release_cost(ix: LPIndex) -> np.ndarray:
    """df_y c^{rel}."""
    return _discounted(ix, ix.stock, ix.stock["release_cost_usd_per_t"].to_numpy())


def short_cost(ix: LPIndex) -> np.ndarray:
    """df_y pi (the shortfall penalty)."""
    return _discounted(ix, ix.short, ix.short["penalty_usd_per_t"].to_numpy())


def sale_cost(ix: LPIndex) -> np.ndarray:
    """df_y (c^{tr} + tau P - p_k): an offtake delivery's transport and tariff
    less the contract price it earns (MODEL-SPEC §8.3)."""
    sale = ix.sale
    usd = (sale["transport_usd_per_t"].to_numpy(dtype=float)
           + sale["tariff_usd_per_t"].to_numpy(dtype=float)
           - sale["price_usd_per_t"].to_numpy(dtype=float))
    return _discounted(ix, sale, usd)


def sale_short_cost(ix: LPIndex) -> np.ndarray:
    """df_y pi: the take-or-pay penalty of an offtake's undelivered minimum."""
    short = ix.sale_short
    return _discounted(ix, short, short["penalty_usd_per_t"].to_numpy(dtype=float))


def constant_cost(ix: LPIndex) -> float:
    """Discounted fixed O&M of existing capacity (does not depend on decisions)."""
    frame = ix.fixed_om_existing
    if frame.empty:
        return 0.0
    return float((frame["fixed_om_usd"] * frame["discount"]).sum())
