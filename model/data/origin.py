"""Where supply originates: the regions of bloc china and the Chinese share of a
stockpile (``stockpiles.china_share``), shared by the calibration bounds
(model/formulation/calibration.py) and the China-content trace
(model/results/china_content.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

CHINA_BLOC = "china"


def china_regions(regions: pd.DataFrame) -> set[str]:
    """The regions of bloc china."""
    return set(regions.loc[regions["bloc"] == CHINA_BLOC, "region"])


def stock_china_share(stock: pd.DataFrame, stockpiles: pd.DataFrame,
                      regions: pd.DataFrame) -> np.ndarray:
    """China share of each ``stock`` row's draws: ``stockpiles.china_share``, blank =
    1 in a region of bloc china, else 0."""
    if stock.empty:
        return np.zeros(0)
    given = (stockpiles.set_index(["region", "commodity"])["china_share"]
             if "china_share" in stockpiles else pd.Series(dtype=float))
    keys = pd.MultiIndex.from_frame(stock[["region", "commodity"]])
    share = given.reindex(keys).astype(float).to_numpy()
    default = stock["region"].isin(china_regions(regions)).to_numpy(dtype=float)
    return np.where(np.isnan(share), default, share)
