"""Offtakes (MODEL-SPEC §8.3): contracted sales from named sellers to a buyer.

An offtake is an optional demand in the buyer's region: ``sale[k,s,y]`` takes the
commodity out of seller s's balance and earns the contract price (a negative cost,
``objective.sale_cost``); the two families here cap the deliveries and hold the
take-or-pay minimum, short of it at the commodity's penalty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms

KEYS = ["offtake", "year"]


def _groups(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(one key row per (offtake, year) of ``frame`` in first-seen order, the key
    row of every frame row)."""
    codes, uniques = pd.MultiIndex.from_frame(frame[KEYS]).factorize()
    keys = pd.DataFrame(list(uniques), columns=KEYS) if len(uniques) else (
        pd.DataFrame(columns=KEYS))
    return keys, np.asarray(codes, dtype=np.int64)


def offtake_max_rows(ix: LPIndex) -> Rows:
    r"""An offtake takes at most its contracted tonnes a year, from all its sellers.

    Math:
        \sum_{s \in S_k} \mathbf{sale}_{k,s,y} \le \bar{Q}_k
        \qquad \forall k \in \mathrm{OFF},\ y^{from}_k \le y \le y^{to}_k

    Symbols: S_k = the regions of ``offtakes.seller`` (a region or a bloc, blank =
    every region) that can deliver to the buyer b_k: s = b_k, or a listed route
    s → b_k of the commodity that no embargo of year y cuts;
    \bar{Q}_k = ``offtakes.max_tpa``; y^{from}, y^{to} = ``from_year``, ``to_year``
    (blank = base_year, end_year). \mathbf{sale}_{k,s,y} leaves the balance of
    (s, c_k, y) and earns the price (objective).
    Keys: (offtake, year), a row per offtake and year with at least one sale.
    Spec: MODEL-SPEC §8.3 "Offtakes". Tests: tests/formulation/test_offtakes.py.
    """
    sale = ix.sale
    keys, row = _groups(sale)
    limit = ix.offtakes.set_index("offtake")["max_tpa"] if len(keys) else None
    rhs = (keys["offtake"].map(limit).to_numpy(dtype=float) if limit is not None
           else np.zeros(0))
    return Rows(keys, rhs, (Terms("sale", row, np.arange(len(sale)), 1.0),))


def offtake_min_rows(ix: LPIndex) -> Rows:
    r"""Take-or-pay: deliveries plus the undelivered tonnes reach the minimum.

    Math:
        \sum_{s \in S_k} \mathbf{sale}_{k,s,y} + \mathbf{sale\_short}_{k,y}
        \ge \underline{Q}_k
        \qquad \forall k \in \mathrm{OFF},\ \underline{Q}_k > 0,
        \ y^{from}_k \le y \le y^{to}_k

    Symbols: \underline{Q}_k = ``offtakes.min_tpa``; \mathbf{sale\_short}_{k,y}
    \le \underline{Q}_k costs the commodity's ``shortfall_penalty_usd_per_t``
    (scaled in the buyer's region) per tonne: the seller's penalty for not
    delivering what it owes.
    Keys: (offtake, year), a row per offtake with min_tpa > 0 and contract year.
    Spec: MODEL-SPEC §8.3 "Offtakes". Tests: tests/formulation/test_offtakes.py.
    """
    short = ix.sale_short
    keys = short[KEYS].reset_index(drop=True)
    where = {key: k for k, key in enumerate(zip(keys["offtake"], keys["year"],
                                                strict=True))}
    sale = ix.sale
    rows = np.array([where.get(key, -1) for key in zip(sale["offtake"], sale["year"],
                                                       strict=True)],
                    dtype=np.int64)
    mine = np.flatnonzero(rows >= 0)
    rhs = short["min_tpa"].to_numpy(dtype=float)
    return Rows(keys, rhs, (
        Terms("sale", rows[mine], mine, 1.0),
        Terms("sale_short", np.arange(len(short)), np.arange(len(short)), 1.0),
    ))


OFFTAKE_MAX = ConstraintFamily("offtake_max", "<=", offtake_max_rows,
                               "offtake deliveries per year <= max_tpa")
OFFTAKE_MIN = ConstraintFamily("offtake_min", ">=", offtake_min_rows,
                               "offtake deliveries + take-or-pay shortfall >= "
                               "min_tpa")
