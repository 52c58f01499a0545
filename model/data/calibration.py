"""The ``calibration`` table (MODEL-SPEC §8.3) as the baseline's LP reads it: one
row per observed value with its regions resolved and its band
[value × (1 − τ), value × (1 + τ)], τ = tolerance_pct / 100 (a share's upper end
at most 1). Other scenarios get no rows: the calibration holds in the baseline."""

from __future__ import annotations

import pandas as pd

from model.data.case import Case
from model.data.coerce import ROW
from model.data.targets import target_regions

COLUMNS = ["row", "line", "file", "year", "quantity", "region", "process", "commodity",
           "destination", "regions", "destinations", "value", "tolerance_pct",
           "low", "high"]


def calibration_rows(case: Case, is_baseline: bool) -> pd.DataFrame:
    """The calibration bands of the baseline (empty for any other scenario)."""
    table = case.table("calibration")
    if not is_baseline or table.empty:
        return pd.DataFrame(columns=COLUMNS)
    regions = case.table("regions")
    frame = table.reset_index(drop=True).copy()
    frame["row"] = frame.index
    frame["line"] = frame[ROW]
    frame["file"] = table.attrs.get("file", "")
    scope = frozenset(case.scope_regions())
    frame["regions"] = [
        (scope if q == "china_share" and not r else target_regions(regions, r))
        for q, r in zip(frame["quantity"], frame["region"], strict=True)]
    frame["destinations"] = [target_regions(regions, d)
                             for d in frame["destination"]]
    tau = frame["tolerance_pct"].fillna(10.0).astype(float) / 100.0
    frame["tolerance_pct"] = tau * 100.0
    value = frame["value"].astype(float)
    frame["low"] = value * (1.0 - tau)
    high = value * (1.0 + tau)
    frame["high"] = high.where(frame["quantity"] != "china_share", high.clip(upper=1))
    return frame[COLUMNS]
