"""Tidy output tables (MODEL-SPEC §5) from one solved scenario, vectorised.

Pure functions: index frames + solution arrays in, DataFrames out (``scenario``
first, all-zero rows dropped). Nothing here writes files.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.indices import RCY, RPY, LPIndex
from model.formulation.objective import constant_cost
from model.results import money
from model.solver.records import Solution

ZERO = 1e-6  # tonnes or USD below this are reported as zero


@dataclass
class ScenarioResult:
    """The tidy tables of one scenario and its solver record."""

    name: str
    is_baseline: bool
    status: str
    objective: float
    tables: dict[str, pd.DataFrame]
    seconds: dict[str, float]
    size: dict[str, int]


def _first(frame: pd.DataFrame, scenario: str) -> pd.DataFrame:
    frame.insert(0, "scenario", scenario)
    return frame.reset_index(drop=True)


def _clean(values: np.ndarray) -> np.ndarray:
    return np.where(np.abs(values) < ZERO, 0.0, values)


def production(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Activity and nameplate capacity in service per (region, process, year)."""
    window = ix.build_window
    in_service = np.bincount(window["act"].to_numpy(), minlength=len(ix.act),
                             weights=sol.values["build"][window["build"].to_numpy()])
    frame = ix.act[RPY].copy()
    frame["activity_t"] = _clean(sol.values["act"])
    frame["capacity_tpa"] = ix.act["existing_tpa"].to_numpy() + _clean(in_service)
    frame = frame[(frame["activity_t"] > 0) | (frame["capacity_tpa"] > ZERO)]
    return _first(frame, scenario)


def builds(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """New capacity by online year, with its overnight capex."""
    frame = ix.build[["region", "process", "year"]].rename(
        columns={"year": "online_year"})
    frame["capacity_tpa"] = _clean(sol.values["build"])
    unit_capex = ix.build["capex_usd_per_tpa"].to_numpy()
    frame["capex_usd"] = frame["capacity_tpa"] * unit_capex
    return _first(frame[frame["capacity_tpa"] > 0], scenario)


def flows(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    frame = ix.flow[["origin", "destination", "commodity", "year"]].copy()
    frame["quantity_t"] = _clean(sol.values["flow"])
    return _first(frame[frame["quantity_t"] > 0], scenario)


def shortfall(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Demand, supplied and shortfall per (region, commodity, year) with demand."""
    frame = ix.short[RCY + ["demand_t"]].copy()
    frame["shortfall_t"] = np.minimum(_clean(sol.values["short"]), frame["demand_t"])
    frame["supplied_t"] = frame["demand_t"] - frame["shortfall_t"]
    return _first(frame[RCY + ["demand_t", "supplied_t", "shortfall_t"]], scenario)


def surplus(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    frame = ix.surplus[RCY].copy()
    frame["surplus_t"] = _clean(sol.values["surplus"])
    return _first(frame[frame["surplus_t"] > 0], scenario)


def stock(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    frame = ix.stock[RCY].copy()
    frame["release_t"] = _clean(sol.values["release"])
    frame["level_t"] = _clean(sol.values["stock"])
    return _first(frame, scenario)


def prices(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Balance duals divided by df_y: marginal cost in that year's money."""
    frame = sol.rows["balance"].keys.copy()
    df = frame["year"].map(ix.discount).to_numpy(dtype=float)
    frame["marginal_cost_usd_per_t"] = sol.row_duals["balance"] / df
    return _first(frame, scenario)


def costs(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Cost per year and category, undiscounted (``usd``) and discounted."""
    parts = [
        _yearly(ix.act["year"], ix.act["variable_cost_usd_per_t"] * sol.values["act"],
                "variable"),
        _yearly(ix.flow["year"], ix.flow["transport_usd_per_t"] * sol.values["flow"],
                "transport"),
        _yearly(ix.flow["year"], ix.flow["tariff_usd_per_t"] * sol.values["flow"],
                "tariff"),
        *_sale_costs(ix, sol),
        _yearly(ix.stock["year"], ix.stock["release_cost_usd_per_t"]
                * sol.values["release"], "stock"),
        _yearly(ix.short["year"], ix.short["penalty_usd_per_t"] * sol.values["short"],
                "penalty"),
        *_build_costs(ix, sol),
        _yearly(ix.fixed_om_existing.get("year", pd.Series(dtype=int)),
                ix.fixed_om_existing.get("fixed_om_usd", pd.Series(dtype=float)),
                "fixed_om"),
    ]
    frame = pd.DataFrame({  # one frame of every part's rows, in the parts' order
        "year": np.concatenate([year for year, _, _ in parts]),
        "category": np.concatenate([np.full(len(year), category, dtype=object)
                                    for year, _, category in parts]),
        "usd": np.concatenate([usd for _, usd, _ in parts])})
    frame = frame.groupby(["year", "category"], as_index=False)["usd"].sum()
    frame["discounted_usd"] = frame["usd"] * frame["year"].map(ix.discount)
    frame = frame[frame["usd"].abs() > ZERO].sort_values(["year", "category"])
    return _first(frame, scenario)


Part = tuple[np.ndarray, np.ndarray, str]  # (year, usd, category) of cost rows


def _sale_costs(ix: LPIndex, sol: Solution) -> list[Part]:
    """Offtake deliveries: their transport and tariff (supply cost), the revenue
    they earn (category ``offtake_revenue``, negative) and the take-or-pay penalty
    of undelivered minimums (``offtake_penalty``); the last two are not in
    total_cost_usd (MODEL-SPEC §8.3)."""
    sale, short = ix.sale, ix.sale_short
    if sale.empty and short.empty:
        return []
    sold = sol.values["sale"]
    return [
        _yearly(sale["year"], sale["transport_usd_per_t"] * sold, "transport"),
        _yearly(sale["year"], sale["tariff_usd_per_t"] * sold, "tariff"),
        _yearly(sale["year"], -sale["price_usd_per_t"] * sold, "offtake_revenue"),
        _yearly(short["year"], short["penalty_usd_per_t"] * sol.values["sale_short"],
                "offtake_penalty"),
    ]


def offtake_sales(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Offtake deliveries per (offtake, seller, year) with their revenue, and the
    undelivered take-or-pay tonnes (``short_t``, a row with a blank seller)."""
    sale = ix.sale[["offtake", "buyer", "seller", "commodity", "year",
                    "price_usd_per_t"]].copy()
    sale["quantity_t"] = _clean(np.asarray(sol.values.get("sale", np.zeros(0)),
                                           dtype=float))
    sale["short_t"] = 0.0
    short = ix.sale_short[["offtake", "buyer", "commodity", "year"]].copy()
    short["seller"] = ""
    short["price_usd_per_t"] = short["offtake"].map(
        ix.offtakes.set_index("offtake")["price_usd_per_t"]) if len(short) else 0.0
    short["quantity_t"] = 0.0
    short["short_t"] = _clean(np.asarray(sol.values.get("sale_short", np.zeros(0)),
                                         dtype=float))
    frame = pd.concat([sale[sale["quantity_t"] > 0], short[short["short_t"] > 0]],
                      ignore_index=True)
    frame["price_usd_per_t"] = frame["price_usd_per_t"].astype(float)
    frame["revenue_usd"] = frame["quantity_t"].astype(float) * frame[
        "price_usd_per_t"]
    frame = frame[list(OFFTAKE_SALE_COLUMNS)].sort_values(
        ["offtake", "year", "seller"], kind="stable")
    return _first(frame, scenario)


OFFTAKE_SALE_COLUMNS = ("offtake", "buyer", "seller", "commodity", "year",
                        "quantity_t", "short_t", "price_usd_per_t", "revenue_usd")


def _yearly(years: pd.Series, usd: pd.Series | np.ndarray, category: str) -> Part:
    return (np.asarray(years, dtype=int), np.asarray(usd, dtype=float), category)


def _build_costs(ix: LPIndex, sol: Solution) -> list[Part]:
    """Capex annuities and fixed O&M of builds in each year they are in service."""
    b = ix.build
    built = sol.values["build"]
    j = np.flatnonzero(built > ZERO)
    start, life = b["year"].to_numpy()[j], b["lifetime"].to_numpy()[j]
    count = np.maximum(np.minimum(ix.years[-1], start + life - 1) - start + 1, 0)
    rows = np.repeat(np.arange(len(j)), count)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    year = start[rows] + offset
    annuity = (built[j] * b["annuity_usd_per_tpa"].to_numpy()[j])[rows]
    fom = (built[j] * b["fixed_om_usd_per_tpa"].to_numpy()[j])[rows]
    return [_yearly(year, annuity, "capex"), _yearly(year, fom, "fixed_om")]


EXTRACTORS = {
    "shortfall": shortfall, "production": production, "builds": builds,
    "flows": flows, "surplus": surplus, "stock": stock, "prices": prices,
    "costs": costs, "offtake_sales": offtake_sales, "transfers": money.transfers,
}


def extract_all(ix: LPIndex, sol: Solution, scenario: str,
                names: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every per-scenario tidy table of MODEL-SPEC §5 (summary tables come later),
    or only those in ``names`` (a sweep sample: what its records read)."""
    return {name: extractor(ix, sol, scenario)
            for name, extractor in EXTRACTORS.items()
            if names is None or name in names}


__all__ = ["EXTRACTORS", "ScenarioResult", "constant_cost", "extract_all"]
