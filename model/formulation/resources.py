"""Finite resources: mine reserves and strategic stockpiles."""

from __future__ import annotations

import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear


def add_reserves(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""A source cannot extract more than its reserve over the horizon.

    Math:
        \sum_y \mathbf{act}_{r,p,y} \le Q_{r,p} \qquad \forall (r,p) \in \mathrm{RES}

    Symbols: Q = ``reserves.reserve_t``.
    Constraint: ``reserve_limit``. Spec: MODEL-SPEC §3 "Reserves".
    Tests: tests/formulation/test_resources.py.
    """
    groups = ix.act.groupby(["region", "process"]).indices
    rows = [(groups[(r, p)].tolist(), float(q)) for r, p, q in
            zip(ix.reserves["region"], ix.reserves["process"], ix.reserves["reserve_t"],
                strict=True)]

    def rule(_m: pyo.ConcreteModel, k: int) -> object:
        positions, reserve = rows[k]
        return linear([1.0] * len(positions), [m.act[j] for j in positions]) <= reserve

    m.reserve_limit = pyo.Constraint(range(len(rows)), rule=rule,
                                     doc="cumulative activity <= reserve")


def add_stockpiles(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Stocks fall by what is released; they are never refilled.

    Math:
        \mathbf{stock}_{r,c,y} = \mathbf{stock}_{r,c,y-1} - \mathbf{release}_{r,c,y},
        \qquad \mathbf{stock}_{r,c,y_0 - 1} = S^0_{r,c}
        \qquad \forall (r,c,y) \in \mathrm{STK}

    Symbols: S^0 = ``stockpiles.initial_t``; the release limit is a bound on
    ``release`` (``stockpiles.max_release_tpa``).
    Constraint: ``stock_evolution``. Spec: MODEL-SPEC §3 "Stockpiles".
    Tests: tests/formulation/test_resources.py.
    """
    first = ix.years[0]
    years = ix.stock["year"].to_numpy()
    initial = ix.stock["initial_t"].to_numpy()

    def rule(_m: pyo.ConcreteModel, i: int) -> object:
        if years[i] == first:
            return linear([1.0, 1.0], [m.stock[i], m.release[i]]) == float(initial[i])
        return linear([1.0, -1.0, 1.0],
                      [m.stock[i], m.stock[i - 1], m.release[i]]) == 0.0

    m.stock_evolution = pyo.Constraint(range(len(ix.stock)), rule=rule,
                                       doc="stock level carried year to year")
