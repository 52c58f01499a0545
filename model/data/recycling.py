"""Recycling from the stock in use and alternative recipes: the scenario-independent
data their constraint families are built from.

``collection_ceilings``: per (region, scrap, year) the most of the end-of-life scrap
arising that can be collected (table ``eol_collection``). ``history_scrap``: per
(region, scrap, year) the scrap that deliveries before base_year (``eol_history``)
release in the horizon (``eol_lifetimes``). ``recipe_table``: the recipes with their
ready year filled in. See docs/formulation.md "Collection" and "Adoption".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.targets import split_target, target_regions

CEILING = ["region", "scrap", "year", "ceiling"]
HISTORY = ["region", "scrap", "year", "scrap_t"]


def rate_ceiling(max_rate: float, start_rate: float, start_year: int,
                 growth: float, year: int) -> float:
    """min(max_rate, start_rate + growth × max(0, year − start_year)); max_rate in
    every year when growth is blank (NaN)."""
    if np.isnan(growth):
        return max_rate
    return min(max_rate, start_rate + growth * max(0, year - start_year))


def _specificity(regions: pd.DataFrame, target: str) -> int:
    """2 for a region target, 1 for a bloc, 0 for blank (the most specific wins)."""
    if not target:
        return 0
    kind, name = split_target(target)
    return 2 if kind == "region" or (kind == "" and name in set(regions["region"])
                                     ) else 1


def collection_ceilings(regions: pd.DataFrame, table: pd.DataFrame,
                        years: list[int]) -> pd.DataFrame:
    """The collection-rate ceiling of every (region, scrap, year) that a row of
    ``eol_collection`` covers (its most specific row); columns ``CEILING``."""
    rows = []
    for row in table.itertuples(index=False):
        covered = target_regions(regions, row.target)
        covered = set(regions["region"]) if covered is None else covered
        start = years[0] if pd.isna(row.start_year) else int(row.start_year)
        growth = np.nan if pd.isna(row.growth_per_year) else float(
            row.growth_per_year)
        rank = _specificity(regions, row.target)
        rows += [(r, row.scrap, y, rank, rate_ceiling(
            float(row.max_rate), float(row.start_rate), start, growth, y))
            for r in sorted(covered) for y in years]
    frame = pd.DataFrame(rows, columns=["region", "scrap", "year", "rank", "ceiling"])
    frame = frame.astype({"region": object, "scrap": object, "year": "int64",
                          "rank": "int64", "ceiling": float})
    frame = frame.sort_values(["region", "scrap", "year", "rank"], kind="stable")
    frame = frame.drop_duplicates(["region", "scrap", "year"], keep="last")
    return frame[CEILING].reset_index(drop=True)


def history_scrap(history: pd.DataFrame, lifetimes: pd.DataFrame,
                  years: list[int]) -> pd.DataFrame:
    """Σ_h λ_{c,s,y−h} H_{r,c,h}: scrap the pre-base deliveries release in each
    horizon year; columns ``HISTORY``."""
    pairs = history.rename(columns={"year": "delivered"}).merge(
        lifetimes, on="product")
    pairs["year"] = pairs["delivered"] + pairs["years_after"]
    pairs = pairs[pairs["year"].isin(years)]
    pairs["scrap_t"] = pairs["delivered_t"].astype(float) * pairs["share"].astype(
        float)
    frame = pairs.groupby(["region", "scrap", "year"], as_index=False)["scrap_t"].sum()
    return frame[HISTORY].astype({"region": object, "scrap": object, "year": "int64",
                                  "scrap_t": float})


def recipe_table(recipes: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Recipes with ``ready_year`` filled (blank = base_year); columns recipe,
    process, ready_year, max_share, adoption_per_year (NaN = no limit)."""
    frame = recipes[["recipe", "process", "ready_year", "max_share",
                     "adoption_per_year"]].copy()
    frame["ready_year"] = frame["ready_year"].astype("Float64").fillna(
        base_year).astype("int64")
    frame["max_share"] = frame["max_share"].astype(float)
    frame["adoption_per_year"] = frame["adoption_per_year"].astype(float)
    return frame.reset_index(drop=True)


def share_ceiling(recipes: pd.DataFrame, year: np.ndarray) -> np.ndarray:
    """min(max_share, adoption_per_year × (y − ready_year + 1)) per row of
    ``recipes`` (aligned with ``year``); max_share without an adoption limit."""
    grown = recipes["adoption_per_year"].to_numpy(dtype=float) * (
        year - recipes["ready_year"].to_numpy(dtype=np.int64) + 1)
    cap = recipes["max_share"].to_numpy(dtype=float)
    return np.where(np.isnan(grown), cap, np.minimum(cap, grown))
