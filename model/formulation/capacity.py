"""Capacity: activity is limited by available capacity in service."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from model.data.indices import LPIndex
from model.formulation.linear import linear


def add_capacity(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Activity is limited by available capacity.

    Math:
        \mathbf{act}_{r,p,y}
        - \alpha_p \sum_{y - L_p < y' \le y} \mathbf{build}_{r,p,y'}
        \le \alpha_p K_{r,p,y} \qquad \forall (r,p,y) \in \mathrm{ACT}

    Symbols: \alpha_p = ``processes.availability``; K = ``capacity.capacity_tpa``
    in service in y (online_year <= y < retire_year, scaled); L_p =
    ``processes.lifetime_years``. ACT = every (r, p, y) with existing capacity or a
    possible build in service.
    Constraint: ``capacity_limit``. Spec: MODEL-SPEC §3 "Capacity".
    Tests: tests/formulation/test_capacity.py.
    """
    alpha = ix.act["availability"].to_numpy()
    existing = ix.act["existing_tpa"].to_numpy()
    window = ix.build_window
    built = window["build"].to_numpy()
    bounds = np.searchsorted(window["act"].to_numpy(), np.arange(len(ix.act) + 1))

    def rule(_m: pyo.ConcreteModel, i: int) -> object:
        a = float(alpha[i])
        builds = built[bounds[i]:bounds[i + 1]]
        body = linear([1.0] + [-a] * len(builds),
                      [m.act[i]] + [m.build[int(j)] for j in builds])
        return body <= a * float(existing[i])

    m.capacity_limit = pyo.Constraint(range(len(ix.act)), rule=rule,
                                      doc="activity <= availability x capacity")
