"""Decision variables (MODEL-SPEC §3), each indexed by row position of its frame."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from model.data.indices import LPIndex


def _upper(values: object) -> list[float | None]:
    return [None if (v is None or math.isnan(v)) else float(v) for v in values]


def add_variables(m: pyo.ConcreteModel, ix: LPIndex) -> None:
    r"""Declare the variable families; all are non-negative.

    Math:
        \mathbf{act}_{r,p,y}, \mathbf{build}_{r,p,y}, \mathbf{flow}_{o,d,c,y},
        \mathbf{short}_{r,c,y}, \mathbf{surplus}_{r,c,y}, \mathbf{release}_{r,c,y},
        \mathbf{stock}_{r,c,y} \ge 0

        \mathbf{build}_{r,p,y} \le \bar{B}^{year}_{r,p}
        \qquad \mathbf{release}_{r,c,y} \le \bar{R}_{r,c}
        \qquad \mathbf{short}_{r,c,y} \le D_{r,c,y}

    Index: variable ``v[i]`` is row ``i`` of the frame ``LPIndex.<v>`` (``stock``
    and ``release`` share ``LPIndex.stock``).
    Symbols: \bar{B}^{year} = ``expansion.max_new_tpa_per_year``;
    \bar{R} = ``stockpiles.max_release_tpa``; D = ``demand.demand_t`` (unmet demand
    never exceeds demand, so a shortfall cannot feed a process).
    """
    nn = pyo.NonNegativeReals
    per_year = _upper(ix.build["max_per_year"])
    max_release = _upper(ix.stock["max_release_tpa"])
    demand = ix.short["demand_t"].astype(float).tolist()
    m.act = pyo.Var(range(len(ix.act)), domain=nn, doc="activity [t/yr]")
    m.build = pyo.Var(range(len(ix.build)), domain=nn,
                      bounds=lambda _m, i: (0, per_year[i]),
                      doc="new capacity coming online in the year [t/yr]")
    m.flow = pyo.Var(range(len(ix.flow)), domain=nn, doc="shipment [t]")
    m.short = pyo.Var(range(len(ix.short)), domain=nn,
                      bounds=lambda _m, i: (0, demand[i]), doc="unmet demand [t]")
    m.surplus = pyo.Var(range(len(ix.surplus)), domain=nn, doc="free disposal [t]")
    m.release = pyo.Var(range(len(ix.stock)), domain=nn,
                        bounds=lambda _m, i: (0, max_release[i]),
                        doc="stockpile draw-down [t]")
    m.stock = pyo.Var(range(len(ix.stock)), domain=nn,
                      doc="stockpile level at the end of the year [t]")
