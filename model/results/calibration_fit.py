"""How close the baseline came to the observed values of ``calibration``
(MODEL-SPEC §8.3): observed, model and the gap in percent, per calibration row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.calibration import measure_terms
from model.solver.records import Solution

COLUMNS = ["scenario", "year", "quantity", "region", "process", "commodity",
           "destination", "observed", "model", "gap_pct", "tolerance_pct"]


def calibration_fit(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """One row per calibration row of the scenario (the baseline's only): the
    model's value measured as the constraint measures it (``measure_terms``)."""
    cal = ix.calibration
    if cal.empty:
        return pd.DataFrame(columns=COLUMNS)
    terms = measure_terms(ix)
    value = np.zeros(len(terms))
    for family in terms["family"].unique():
        mask = (terms["family"] == family).to_numpy()
        value[mask] = sol.values[family][terms["position"].to_numpy()[mask]]
    tonnes = terms["coef"].to_numpy() * value
    total = pd.Series(tonnes).groupby(terms["row"].to_numpy()).sum()
    chinese = pd.Series(tonnes * terms["chinese"].to_numpy()).groupby(
        terms["row"].to_numpy()).sum()
    supplied = cal["row"].map(total).fillna(0.0).to_numpy(dtype=float)
    china = cal["row"].map(chinese).fillna(0.0).to_numpy(dtype=float)
    share = np.divide(china, supplied, out=np.zeros_like(china), where=supplied > 0)
    model = np.where(cal["quantity"] == "china_share", share, supplied)
    observed = cal["value"].to_numpy(dtype=float)
    gap = np.divide(100.0 * (model - observed), observed,
                    out=np.full_like(observed, np.nan), where=observed > 0)
    frame = cal[["year", "quantity", "region", "process", "commodity",
                 "destination"]].copy()
    frame.insert(0, "scenario", scenario)
    frame["observed"] = observed
    frame["model"] = model
    frame["gap_pct"] = gap
    frame["tolerance_pct"] = cal["tolerance_pct"].to_numpy(dtype=float)
    return frame.reset_index(drop=True)[COLUMNS]
