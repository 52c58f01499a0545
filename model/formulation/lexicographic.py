"""The ``lexicographic`` objective setting: least shortfall first, then least cost."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear
from model.formulation.objective import objective_coefficients

RELATIVE_SLACK = 1e-7  # stage 2 may exceed the least shortfall by this fraction


def shortfall_weights(ix: LPIndex) -> np.ndarray:
    """Discounted penalty per tonne of each shortfall variable (stage-1 weights)."""
    return objective_coefficients(ix)["short"]


def add_least_shortfall(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Stage 1 of the lexicographic objective: minimise the weighted shortfall.

    Math:
        \min \sum_{(r,c,y)} df_y\, \pi_{r,c,y}\, \mathbf{short}_{r,c,y}

    The cost objective ``total_cost`` is deactivated while this one is active.
    Objective: ``least_shortfall``. Spec: MODEL-SPEC §2 settings ``objective``.
    Tests: tests/formulation/test_objective.py.
    """
    weights = shortfall_weights(ix)
    m.total_cost.deactivate()
    m.least_shortfall = pyo.Objective(
        expr=linear(weights.tolist(), [m.short[i] for i in range(len(weights))]),
        sense=pyo.minimize, doc="stage 1: discounted, penalty-weighted shortfall")


def fix_least_shortfall(m: pyo.ConcreteModel, ix: LPIndex, optimum: float) -> None:
    r"""Stage 2: keep the stage-1 shortfall and minimise cost again.

    Math:
        \sum df_y \pi_{r,c,y} \mathbf{short}_{r,c,y} \le z^*_1 (1 + \epsilon) + \epsilon

    Constraint: ``shortfall_cap``; ``total_cost`` is re-activated.
    """
    weights = shortfall_weights(ix)
    m.least_shortfall.deactivate()
    m.total_cost.activate()
    bound = optimum * (1 + RELATIVE_SLACK) + RELATIVE_SLACK
    m.shortfall_cap = pyo.Constraint(
        expr=linear(weights.tolist(), [m.short[i] for i in range(len(weights))]) <= bound,
        doc="stage 2: shortfall no larger than its stage-1 minimum")
