"""The linear program of MODEL-SPEC §3, one module per constraint family.

``build_model`` reads like the formulation's table of contents; the math of each
family is in the docstring of its ``add_*`` function and in docs/formulation.md.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from model.data.indices import LPIndex
from model.formulation.balance import add_balance
from model.formulation.capacity import add_capacity
from model.formulation.expansion import add_expansion
from model.formulation.objective import add_objective
from model.formulation.resources import add_reserves, add_stockpiles
from model.formulation.trade import add_export_quotas
from model.formulation.variables import add_variables


def build_model(index: LPIndex, name: str = "reroute") -> pyo.ConcreteModel:
    """The scenario's LP, built from its sparse index (see docs/formulation.md)."""
    with PauseGC():
        m = pyo.ConcreteModel(name=name)
        add_variables(m, index)      # act, build, flow, short, surplus, release, stock
        add_balance(m, index)        # commodity balance; its dual is the price
        add_capacity(m, index)       # activity ≤ availability × capacity in service
        add_expansion(m, index)      # total new capacity per (region, process)
        add_reserves(m, index)       # cumulative extraction ≤ reserve
        add_stockpiles(m, index)     # stock evolution, release limits
        add_export_quotas(m, index)  # export quotas of scenario rules
        add_objective(m, index)      # discounted cost + shortfall penalty
    return m
