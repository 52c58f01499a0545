r"""Decision variables (MODEL-SPEC §3), each indexed by row position of its frame.

Math:
    \mathbf{act}_{r,p,y}, \mathbf{build}_{r,p,y}, \mathbf{flow}_{o,d,c,y},
    \mathbf{short}_{r,c,y}, \mathbf{surplus}_{r,c,y}, \mathbf{release}_{r,c,y},
    \mathbf{stock}_{r,c,y}, \mathbf{sale}_{k,s,y}, \mathbf{sale\_short}_{k,y} \ge 0

    \mathbf{build}_{r,p,y} \le \bar{B}^{year}_{r,p}
    \qquad \mathbf{release}_{r,c,y} \le \bar{R}_{r,c}
    \qquad \mathbf{short}_{r,c,y} \le D_{r,c,y}
    \qquad \mathbf{sale\_short}_{k,y} \le \underline{Q}_k

Index: variable ``v[i]`` is row ``i`` of the frame ``LPIndex.<v>`` (``stock``
and ``release`` share ``LPIndex.stock``).
Symbols: \bar{B}^{year} = ``expansion.max_new_tpa_per_year``;
\bar{R} = ``stockpiles.max_release_tpa``; D = ``demand.demand_t`` (unmet demand
never exceeds demand, so a shortfall cannot feed a process);
\underline{Q} = ``offtakes.min_tpa`` (``sale`` and ``sale_short``: an offtake's
deliveries and its undelivered take-or-pay minimum, MODEL-SPEC §8.3).

``VARIABLES`` is the order of the LP's columns (family by family, each in index
order); the costs are those of ``model/formulation/objective.py``.
"""

from __future__ import annotations

from model.formulation import objective as cost
from model.formulation.declare import VariableFamily, limit_of

VARIABLES = (
    VariableFamily("act", lambda ix: ix.act, "activity [t/yr]", cost=cost.act_cost,
                   inputs=("capacity", "expansion", "reserves")),
    VariableFamily("build", lambda ix: ix.build,
                   "new capacity coming online in the year [t/yr]",
                   upper=lambda ix: limit_of(ix.build["max_per_year"]),
                   bound="expansion.max_new_tpa_per_year", cost=cost.build_cost,
                   inputs=("expansion",)),
    VariableFamily("flow", lambda ix: ix.flow, "shipment [t]", cost=cost.flow_cost,
                   inputs=("routes",)),
    VariableFamily("release", lambda ix: ix.stock, "stockpile draw-down [t]",
                   upper=lambda ix: limit_of(ix.stock["max_release_tpa"]),
                   bound="stockpiles.max_release_tpa", cost=cost.release_cost,
                   inputs=("stockpiles",)),
    VariableFamily("short", lambda ix: ix.short, "unmet demand [t]",
                   upper=lambda ix: ix.short["demand_t"].to_numpy(dtype=float),
                   bound="demand.demand_t", cost=cost.short_cost, inputs=("demand",)),
    VariableFamily("surplus", lambda ix: ix.surplus, "free disposal [t]"),
    VariableFamily("stock", lambda ix: ix.stock,
                   "stockpile level at the end of the year [t]",
                   inputs=("stockpiles",)),
    VariableFamily("sale", lambda ix: ix.sale, "offtake delivery [t]",
                   cost=cost.sale_cost, inputs=("offtakes", "routes")),
    VariableFamily("sale_short", lambda ix: ix.sale_short,
                   "undelivered take-or-pay minimum of an offtake [t]",
                   upper=lambda ix: ix.sale_short["min_tpa"].to_numpy(dtype=float),
                   bound="offtakes.min_tpa", cost=cost.sale_short_cost,
                   inputs=("offtakes",)),
)
