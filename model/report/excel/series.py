"""Chart and comparison series computed from the tidy tables (pure pandas).

Each function returns a small frame whose first column is the category axis
(year or cost category) and whose other columns are the chart's series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.report.excel.data import ReportData

MAX_SERIES = 10


def shortfall_by_element(data: ReportData, scenario: str) -> pd.DataFrame:
    """Scope shortfall (t) per year and key element ("other" for the rest)."""
    short = data.table("shortfall")
    short = short[(short["scenario"] == scenario) & short["region"].isin(data.scope)]
    label = {c: e.name for e in data.key_elements for c in e.commodities}
    short = short.assign(element=short["commodity"].map(
        lambda c: label.get(c, "other")))
    wide = short.pivot_table(index="year", columns="element", values="shortfall_t",
                             aggfunc="sum", fill_value=0.0)
    order = [e.name for e in data.key_elements] + ["other"]
    wide = wide.reindex(index=data.years, columns=[c for c in order
                                                   if c in wide.columns],
                        fill_value=0.0)
    return wide.rename_axis(index="year", columns=None).reset_index()


def capacity_buildout(data: ReportData, scenario: str) -> pd.DataFrame:
    """New capacity in service (tpa) per year, by 'stage · region' (largest ten)."""
    builds = data.table("builds")
    builds = builds[builds["scenario"] == scenario]
    if builds.empty:
        return pd.DataFrame({"year": data.years})
    lifetime = data.inputs["processes"].set_index("process")["lifetime_years"]
    online = builds["online_year"].to_numpy(dtype=int)[:, None]
    end = online + builds["process"].map(lifetime).to_numpy(dtype=int)[:, None]
    years = np.asarray(data.years)[None, :]
    in_service = (online <= years) & (years < end)  # builds x years
    amounts = in_service * builds["capacity_tpa"].to_numpy(dtype=float)[:, None]
    labels = [f"{data.stage_of.get(p, p)} · {r}" for p, r in
              zip(builds["process"], builds["region"], strict=True)]
    wide = pd.DataFrame(amounts, columns=data.years).groupby(labels).sum().T
    keep = wide.iloc[-1].sort_values(ascending=False, kind="stable").index
    wide = wide[list(keep[:MAX_SERIES])].assign(
        **({"other": wide[list(keep[MAX_SERIES:])].sum(axis=1)}
           if len(keep) > MAX_SERIES else {}))
    return wide.rename_axis(index="year").reset_index()


def cost_by_category(data: ReportData) -> pd.DataFrame:
    """Discounted cost (USD) per category (rows) and scenario (columns)."""
    costs = data.table("costs")
    wide = costs.pivot_table(index="category", columns="scenario",
                             values="discounted_usd", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=data.scenarios, fill_value=0.0)
    return wide.rename_axis(index="category", columns=None).reset_index()


def key_commodity(data: ReportData, element: str) -> str:
    """The element's commodity with the largest scope demand."""
    kpi = data.table("kpi_by_commodity")
    match = next(e for e in data.key_elements if e.name == element)
    rows = kpi[kpi["commodity"].isin(match.commodities)]
    return str(rows.groupby("commodity")["demand_t"].sum().idxmax())


def price_over_time(data: ReportData, commodity: str) -> pd.DataFrame:
    """Demand-weighted mean marginal cost (USD/t) over scope regions with demand,
    per year (rows) and scenario (columns)."""
    prices = data.table("prices")
    short = data.table("shortfall")
    weights = short[(short["commodity"] == commodity) & short["region"].isin(data.scope)
                    ][["scenario", "region", "year", "demand_t"]]
    merged = prices[prices["commodity"] == commodity].merge(
        weights, on=["scenario", "region", "year"])
    merged = merged[merged["demand_t"] > 0]
    merged = merged.assign(weighted=merged["marginal_cost_usd_per_t"]
                           * merged["demand_t"])
    sums = merged.groupby(["year", "scenario"])[["weighted", "demand_t"]].sum()
    mean = (sums["weighted"] / sums["demand_t"]).unstack("scenario")
    mean = mean.reindex(index=data.years, columns=data.scenarios)
    return mean.rename_axis(index="year", columns=None).reset_index()
