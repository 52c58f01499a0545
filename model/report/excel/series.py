"""Chart and comparison series computed from the tidy tables (pure pandas).

Each function returns a small frame whose first column is the category axis
(year or cost category) and whose other columns are the chart's series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.report.excel.data import ReportData
from model.report.excel.pivot import pivot_sum

MAX_SERIES = 10


def shortfall_by_element(data: ReportData, scenario: str) -> pd.DataFrame:
    """Scope shortfall (t) per year and element of the demanded commodity (each
    commodity counted once, under its own element; the largest ten, then other)."""
    short = data.table("shortfall")
    short = short[(short["scenario"] == scenario) & short["region"].isin(data.scope)]
    short = short.assign(element=short["commodity"].map(
        lambda c: data.element_of.get(c, c)))
    wide = pivot_sum(short, "year", "element", "shortfall_t", fill_value=0.0)
    order = list(wide.sum().sort_values(ascending=False, kind="stable").index)
    wide = wide.reindex(index=data.years, columns=order, fill_value=0.0)
    if len(order) > MAX_SERIES:
        wide = wide[order[:MAX_SERIES]].assign(other=wide[order[MAX_SERIES:]].sum(
            axis=1))
    return wide.rename_axis(index="year", columns=None).reset_index()


PLURAL = {"oxide": "Oxides", "metal": "Metals", "alloy": "Alloys",
          "concentrate": "Concentrates", "scrap": "Scrap", "ore": "Ores"}


def product_label(data: ReportData, commodity: str) -> str:
    """A magnet by its own name; any other commodity by its kind (Oxides, ...)."""
    kind = data.kind_of.get(commodity, "")
    if kind == "magnet":
        return data.name_of.get(commodity, commodity)
    return PLURAL.get(kind, kind.capitalize() or commodity)


def product_order(data: ReportData) -> list[str]:
    """Every product label, largest scope demand first: one order (and so one
    colour) per series across every chart."""
    order: list[str] = []
    for commodity in data.demand_by_commodity.index:
        label = product_label(data, str(commodity))
        if label not in order:
            order.append(label)
    return order


def shortfall_by_product(data: ReportData, scenario: str) -> pd.DataFrame:
    """Scope shortfall (t) per year and product (each magnet grade by name, every
    other commodity under its kind), in ``product_order``."""
    short = data.table("shortfall")
    short = short[(short["scenario"] == scenario) & short["region"].isin(data.scope)]
    short = short.assign(product=short["commodity"].map(
        lambda c: product_label(data, str(c))))
    wide = pivot_sum(short, "year", "product", "shortfall_t", fill_value=0.0)
    order = [p for p in product_order(data) if p in wide.columns]
    wide = wide.reindex(index=data.years, columns=order, fill_value=0.0)
    return wide.rename_axis(index="year", columns=None).reset_index()


def capacity_by_stage(data: ReportData, stage: str) -> pd.DataFrame:
    """Capacity in service (tpa) of one stage in the scope, per year (rows) and
    scenario (columns): existing and new, never added across stages."""
    prod = data.table("production")
    if prod.empty:
        return pd.DataFrame({"year": data.years})
    prod = prod[prod["region"].isin(data.scope)
                & (prod["process"].map(data.stage_of) == stage)]
    wide = pivot_sum(prod, "year", "scenario", "capacity_tpa", fill_value=0.0)
    wide = wide.reindex(index=data.years, columns=data.scenarios, fill_value=0.0)
    return wide.rename_axis(index="year", columns=None).reset_index()


def dependants(data: ReportData, commodity: str) -> set[str]:
    """``commodity`` and the demanded commodities whose supply chain takes it in."""
    return {commodity} | {str(d) for d in data.demand_by_commodity.index
                          if commodity in data.chain_inputs(str(d))}


def shortfall_years(data: ReportData, commodity: str) -> dict[str, list[int]]:
    """Scenario → years in which the scope is short of ``commodity`` or of a product
    made from it (beyond round-off): there a penalty sets its shadow price."""
    short = data.table("shortfall")
    if short.empty:
        return {}
    rows = short[short["commodity"].isin(dependants(data, commodity))
                 & short["region"].isin(data.scope) & (short["shortfall_t"] > 1e-6)]
    return {str(s): sorted(int(y) for y in g["year"].unique())
            for s, g in rows.groupby("scenario", sort=False)}


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


MONEY_CATEGORIES = ("offtake_revenue",)  # money apart from cost: see money_block
MONEY_ROWS = (("Resource cost (supply cost)", "total_cost_usd"),
              ("Transfers between members (price floors)", "transfers_usd"),
              ("Offtake revenue (what offtake buyers pay)", "offtake_revenue_usd"),
              ("Take-or-pay penalty (offtakes short)", "offtake_penalty_usd"),
              ("Net cost (resource cost - offtake revenue + penalty)",
               "net_cost_usd"),
              ("What the alliance's buyers pay (at marginal cost)", "buyers_pay_usd"))


def cost_by_category(data: ReportData) -> pd.DataFrame:
    """Discounted cost (USD) per category (rows) and scenario (columns); offtake
    revenue is money apart from cost (``money_block``), not a cost category."""
    costs = data.table("costs")
    costs = costs[~costs["category"].isin(MONEY_CATEGORIES)]
    wide = pivot_sum(costs, "category", "scenario", "discounted_usd",
                     fill_value=0.0)
    wide = wide.reindex(columns=data.scenarios, fill_value=0.0)
    return wide.rename_axis(index="category", columns=None).reset_index()


def key_commodity(data: ReportData, element: str) -> str | None:
    """The commodity whose price stands for an element: its oxide if the case has
    one, else its demanded commodity with the largest demand, else any of its
    commodities (None when no commodity carries the element's name)."""
    same = [c for c, e in data.element_of.items() if e == element]
    oxides = [c for c in same if data.kind_of.get(c) == "oxide"]
    demanded = [c for c in data.demand_by_commodity.index if c in same]
    if oxides:
        demand = data.demand_by_commodity
        return max(oxides, key=lambda c: float(demand.get(c, 0.0)))
    if demanded:
        return demanded[0]
    return same[0] if same else None


def price_weights(data: ReportData, commodity: str) -> pd.DataFrame:
    """Weights (scenario, region, year, weight) over the scope: the demand of
    ``commodity``, or, where it has no demand, the tonnes of it used by processes."""
    short = data.table("shortfall")
    demand = short[(short["commodity"] == commodity) & (short["demand_t"] > 0)
                   & short["region"].isin(data.scope)]
    if len(demand):
        return demand.rename(columns={"demand_t": "weight"})[
            ["scenario", "region", "year", "weight"]]
    io = data.inputs.get("process_io", pd.DataFrame())
    if io.empty:
        return pd.DataFrame(columns=["scenario", "region", "year", "weight"])
    uses = io[(io["commodity"] == commodity) & (io["direction"] == "in")]
    coefficient = uses.groupby("process")["coefficient"].sum()
    act = data.table("production")
    act = act[act["process"].isin(coefficient.index) & act["region"].isin(data.scope)]
    act = act.assign(weight=act["activity_t"]
                     * act["process"].map(coefficient).astype(float))
    return act.groupby(["scenario", "region", "year"], as_index=False)["weight"].sum()


def price_over_time(data: ReportData, commodity: str) -> pd.DataFrame:
    """Marginal cost (USD/t) per year (rows) and scenario (columns) over the scope,
    weighted by demand of the commodity or, without demand, by its use; blank in
    a year with neither."""
    prices = data.table("prices")
    prices = prices[prices["commodity"] == commodity]
    merged = prices.merge(price_weights(data, commodity),
                          on=["scenario", "region", "year"])
    merged = merged[merged["weight"] > 0]
    merged = merged.assign(weighted=merged["marginal_cost_usd_per_t"]
                           * merged["weight"])
    sums = merged.groupby(["year", "scenario"])[["weighted", "weight"]].sum()
    mean = (sums["weighted"] / sums["weight"]).unstack("scenario")
    mean = mean.reindex(index=data.years, columns=data.scenarios)
    return mean.rename_axis(index="year", columns=None).reset_index()


def money_block(data: ReportData) -> pd.DataFrame:
    """Money apart from cost (MODEL-SPEC §8.3), discounted USD: resource cost,
    transfers between members, offtake revenue and penalty, and what the
    alliance's buyers pay; metrics (rows) by scenario (columns)."""
    summary = data.summary.set_index("scenario")
    rows = [[label, *[float(summary.at[s, column]) if column in summary.columns
                      else float("nan") for s in data.scenarios]]
            for label, column in MONEY_ROWS]
    return pd.DataFrame(rows, columns=["metric", *data.scenarios])
