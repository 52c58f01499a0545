"""Calibration: the baseline reproduces observed base-year values (MODEL-SPEC §8.3)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms
from model.errors import InputError, Problem

KEYS = ["row", "bound", "year", "quantity", "region", "process", "commodity"]


def measure_terms(ix: LPIndex) -> pd.DataFrame:
    """The terms that measure each calibration row k: (row, family, position,
    coef, chinese). The model value is Σ coef · v for ``activity`` and ``flow``;
    for ``china_share`` it is Σ chinese · coef · v / Σ coef · v (Chinese-origin
    tonnes over tonnes supplied)."""
    parts = []
    for k in ix.calibration.itertuples(index=False):
        parts.append(_TERMS[k.quantity](ix, k).assign(row=k.row))
    if not parts:
        return pd.DataFrame({"row": pd.Series(dtype=np.int64),
                             "family": pd.Series(dtype=object),
                             "position": pd.Series(dtype=np.int64),
                             "coef": pd.Series(dtype=float),
                             "chinese": pd.Series(dtype=float)})
    return pd.concat(parts, ignore_index=True)


def _inside(values: pd.Series, regions: frozenset[str] | None) -> np.ndarray:
    return (np.ones(len(values), dtype=bool) if regions is None
            else values.isin(regions).to_numpy())


def _activity(ix: LPIndex, k: Any) -> pd.DataFrame:
    act = ix.act
    found = np.flatnonzero(_inside(act["region"], k.regions)
                           & (act["process"] == k.process).to_numpy()
                           & (act["year"] == k.year).to_numpy())
    return pd.DataFrame({"family": "act", "position": found, "coef": 1.0,
                         "chinese": 0.0})


def _flow(ix: LPIndex, k: Any) -> pd.DataFrame:
    flow = ix.flow
    mask = (_inside(flow["origin"], k.regions)
            & _inside(flow["destination"], k.destinations)
            & ~_inside(flow["destination"], k.regions))
    if k.commodity:
        mask &= (flow["commodity"] == k.commodity).to_numpy()
    found = np.flatnonzero(mask & (flow["year"] == k.year).to_numpy())
    return pd.DataFrame({"family": "flow", "position": found, "coef": 1.0,
                         "chinese": 0.0})


def _china_share(ix: LPIndex, k: Any) -> pd.DataFrame:
    """Supply of the commodity to the buyers: their output of it, shipments in from
    outside the buyers and stock draws; Chinese: shipments from China and the
    Chinese share of stock draws (output in China counts whole)."""
    t = ix.balance_terms
    buyers = k.regions
    mask = (_inside(t["region"], buyers)
            & (t["commodity"] == k.commodity).to_numpy()
            & (t["year"] == k.year).to_numpy() & (t["coef"] > 0).to_numpy()
            & t["family"].isin(("act", "flow", "release")).to_numpy())
    rows = t[mask]
    family = rows["family"].to_numpy()
    position = rows["position"].to_numpy()
    origin = np.full(len(rows), "", dtype=object)
    is_flow = family == "flow"
    origin[is_flow] = ix.flow["origin"].to_numpy()[position[is_flow]]
    keep = ~is_flow | ~_inside(pd.Series(origin), buyers)
    chinese = np.zeros(len(rows))
    chinese[is_flow] = pd.Series(origin[is_flow]).isin(ix.china).to_numpy()
    is_draw = family == "release"
    chinese[is_draw] = ix.stock_china[position[is_draw]]
    made = family == "act"
    chinese[made] = rows["region"].isin(ix.china).to_numpy()[made]
    return pd.DataFrame({"family": family[keep], "position": position[keep],
                         "coef": rows["coef"].to_numpy()[keep],
                         "chinese": chinese[keep]})


_TERMS = {"activity": _activity, "flow": _flow, "china_share": _china_share}


def _with_terms(cal: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """The calibration rows that some variable measures. A row that none does is
    met by 0 or by nothing: a share of no supply and a band from 0 hold (no row);
    a positive observed activity or flow cannot be met (an input error)."""
    measured = cal["row"].isin(terms["row"]).to_numpy()
    impossible = ~measured & (cal["low"].to_numpy(dtype=float) > 0) & (
        cal["quantity"] != "china_share").to_numpy()
    if impossible.any():
        problems = [Problem(
            f"no {k.quantity} variable matches this row in {k.year} (no capacity, "
            f"expansion or route carries it), so the observed {k.value:g} t cannot "
            "be met", k.file, "calibration", int(k.line), "value")
            for k in cal[impossible].itertuples(index=False)]
        raise InputError(problems)
    return cal[measured].reset_index(drop=True)


def calibration_rows(ix: LPIndex) -> Rows:
    r"""In the baseline, each observed value stays within its tolerance band; two
    rows per calibration row (``bound`` low, high), both written as ``≤``.

    Math:
        L_k \le M_k \le H_k \qquad \forall k \in \mathrm{CAL}
        \qquad (\text{baseline only}), \quad
        L_k = v_k (1 - \tau_k),\ H_k = v_k (1 + \tau_k)

        M_k = \sum_{r \in R_k} \mathbf{act}_{r,p_k,y_k}
        \quad (\text{activity})

        M_k = \sum_{o \in R_k,\ d \in D_k \setminus R_k,\ c \in C_k}
        \mathbf{flow}_{o,d,c,y_k} \quad (\text{flow})

        \sum_{s \in S_k} (\chi_s - H_k) q_s \le 0, \quad
        \sum_{s \in S_k} (L_k - \chi_s) q_s \le 0 \quad (\text{china\_share})

    Symbols: v_k = ``calibration.value``, τ_k = ``tolerance_pct`` / 100 (10 %
    when blank; a share's H_k at most 1); y_k = ``year``; p_k = ``process``;
    R_k = the regions of ``region`` (a region or a bloc; blank = all for activity,
    the alliance and partners for china_share); D_k = the regions of
    ``destination`` (blank = every region outside R_k); C_k = ``commodity``
    (blank = all, flow). china_share: the share of Chinese origin in the supply of
    commodity c_k to the buyers R_k in y_k, written linearly. S_k = the supplies
    of c_k to a buyer r ∈ R_k: its output (q_s = out(p, c_k) · act_{r,p,y}),
    shipments in from outside R_k (q_s = flow_{o,r,c_k,y}) and stock draws
    (q_s = release_{r,c_k,y}); χ_s = 1 for a shipment from a region of bloc china
    (and output made there), ``stockpiles.china_share`` for a draw, else 0. So
    Chinese-origin supply ≥ L_k × total supply and ≤ H_k × total supply at the
    stage of c_k.
    Keys: (row: position in ``calibration``, bound: low or high, year, quantity,
    region, process, commodity).
    Spec: MODEL-SPEC §8.3 "Calibration". Tests: tests/formulation/test_calibration.py.
    """
    terms = measure_terms(ix)
    cal = _with_terms(ix.calibration, terms)
    if cal.empty:
        return Rows(pd.DataFrame(columns=KEYS), np.zeros(0), (
            Terms("act", np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                  1.0),))
    band = cal.set_index("row")
    share = terms["row"].map(band["quantity"]).to_numpy() == "china_share"
    coef, chinese = terms["coef"].to_numpy(), terms["chinese"].to_numpy()
    low = terms["row"].map(band["low"]).to_numpy(dtype=float)
    high = terms["row"].map(band["high"]).to_numpy(dtype=float)
    pos = terms["row"].map(pd.Series(np.arange(len(cal)), index=cal["row"])
                           ).to_numpy()
    families = terms["family"].to_numpy()
    positions = terms["position"].to_numpy()
    low_coef = np.where(share, (low - chinese) * coef, -coef)
    high_coef = np.where(share, (chinese - high) * coef, coef)
    quantity = cal["quantity"].to_numpy()
    keys = pd.concat([cal.assign(bound="low"), cal.assign(bound="high")],
                     ignore_index=True)[KEYS]
    low_rhs = np.where(quantity == "china_share", 0.0, -cal["low"].to_numpy(float))
    high_rhs = np.where(quantity == "china_share", 0.0, cal["high"].to_numpy(float))
    n = len(cal)
    row = np.concatenate([pos, pos + n])
    coefs = np.concatenate([low_coef, high_coef])
    nonzero = coefs != 0  # a share's bound at 0 or 1 leaves some terms out
    kept = np.unique(row[nonzero])  # rows with no term left hold as 0 <= 0
    return Rows(keys.iloc[kept].reset_index(drop=True),
                np.concatenate([low_rhs, high_rhs])[kept], (
                    Terms(np.concatenate([families, families])[nonzero],
                          np.searchsorted(kept, row[nonzero]),
                          np.concatenate([positions, positions])[nonzero],
                          coefs[nonzero]),))


CALIBRATION = ConstraintFamily("calibration", "<=", calibration_rows,
                               "baseline: observed value within its tolerance")
