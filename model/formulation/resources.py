"""Finite resources: mine reserves and strategic stockpiles."""

from __future__ import annotations

import numpy as np

from model.data.indices import RCY, LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms
from model.formulation.expansion import group_limit


def reserve_rows(ix: LPIndex) -> Rows:
    r"""A source cannot extract more than its reserve over the horizon.

    Math:
        \sum_y \mathbf{act}_{r,p,y} \le Q_{r,p} \qquad \forall (r,p) \in \mathrm{RES}

    Symbols: Q = ``reserves.reserve_t``.
    Keys: (region, process). Spec: MODEL-SPEC §3 "Reserves".
    Tests: tests/formulation/test_resources.py.
    """
    return group_limit(ix.act, ix.reserves, "reserve_t", "act")


def stock_rows(ix: LPIndex) -> Rows:
    r"""Stocks fall by what is released; they are never refilled.

    Math:
        \mathbf{stock}_{r,c,y} = \mathbf{stock}_{r,c,y-1} - \mathbf{release}_{r,c,y},
        \qquad \mathbf{stock}_{r,c,y_0 - 1} = S^0_{r,c}
        \qquad \forall (r,c,y) \in \mathrm{STK}

    Symbols: S^0 = ``stockpiles.initial_t``; the release limit is a bound on
    ``release`` (``stockpiles.max_release_tpa``).
    Keys: (region, commodity, year). Spec: MODEL-SPEC §3 "Stockpiles".
    Tests: tests/formulation/test_resources.py.
    """
    n = len(ix.stock)
    rows = np.arange(n)
    first = ix.stock["year"].to_numpy() == ix.years[0]
    later = np.flatnonzero(~first)
    rhs = np.where(first, ix.stock["initial_t"].to_numpy(dtype=float), 0.0)
    return Rows(ix.stock[RCY].reset_index(drop=True), rhs, (
        Terms("stock", rows, rows, 1.0),
        Terms("stock", later, later - 1, -1.0),
        Terms("release", rows, rows, 1.0),
    ))


RESERVES = ConstraintFamily("reserve_limit", "<=", reserve_rows,
                            "cumulative activity <= reserve")
STOCKPILES = ConstraintFamily("stock_evolution", "==", stock_rows,
                              "stock level carried year to year")
