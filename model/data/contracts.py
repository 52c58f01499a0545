"""Offtakes and price floors (MODEL-SPEC §8.3) as plain schedules.

``offtake_schedule`` gives each offtake its seller regions and the years it
runs; ``floor_schedule`` the same for price floors. The LP index
(``model/data/indices.py``) turns offtakes into sale variables; price floors
never enter the LP (``model/results/money.py`` prices them after the solve).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.case import Case
from model.data.targets import target_regions

OFFTAKE_COLUMNS = ["offtake", "buyer", "sellers", "commodity", "price_usd_per_t",
                   "min_tpa", "max_tpa", "from_year", "to_year"]
FLOOR_COLUMNS = ["floor", "region", "commodity", "floor_usd_per_t", "max_tpa",
                 "payer", "from_year", "to_year"]


def _years(table: pd.DataFrame, case: Case) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) year of each row: blank from_year = base_year, blank
    to_year = end_year (inclusive)."""
    s = case.settings
    first = table["from_year"].astype("Float64").fillna(s.base_year)
    last = table["to_year"].astype("Float64").fillna(s.end_year)
    return first.to_numpy(dtype=np.int64), last.to_numpy(dtype=np.int64)


def offtake_schedule(case: Case) -> pd.DataFrame:
    """The rows of ``offtakes`` with their seller regions (None = every region)
    and their first and last year."""
    table = case.table("offtakes")
    first, last = _years(table, case)
    regions = case.table("regions")
    return pd.DataFrame({
        "offtake": table["offtake"].to_numpy(dtype=object),
        "buyer": table["buyer"].to_numpy(dtype=object),
        "sellers": [target_regions(regions, t) for t in table["seller"]],
        "commodity": table["commodity"].to_numpy(dtype=object),
        "price_usd_per_t": table["price_usd_per_t"].to_numpy(dtype=float),
        "min_tpa": table["min_tpa"].astype(float).fillna(0.0).to_numpy(),
        "max_tpa": table["max_tpa"].to_numpy(dtype=float),
        "from_year": first,
        "to_year": last,
    }, columns=OFFTAKE_COLUMNS)


def floor_schedule(case: Case) -> pd.DataFrame:
    """The rows of ``price_floors`` with their payer (blank = the region), cover
    (NaN = unlimited) and first and last year."""
    table = case.table("price_floors")
    first, last = _years(table, case)
    payer = table["payer"].fillna("").astype(str)
    return pd.DataFrame({
        "floor": table["floor"].to_numpy(dtype=object),
        "region": table["region"].to_numpy(dtype=object),
        "commodity": table["commodity"].to_numpy(dtype=object),
        "floor_usd_per_t": table["floor_usd_per_t"].to_numpy(dtype=float),
        "max_tpa": table["max_tpa"].astype("Float64").to_numpy(
            dtype=float, na_value=np.nan),
        "payer": payer.where(payer != "", table["region"].astype(str)).to_numpy(
            dtype=object),
        "from_year": first,
        "to_year": last,
    }, columns=FLOOR_COLUMNS)
