"""Money that changes hands, apart from the resource cost (MODEL-SPEC §8.3).

``transfers``: per scenario and year, what one party pays another — a price
floor's guarantee (payer: the floor's payer, payee: the producers' region) and
an offtake's purchase (payer: the buyer, payee: the seller). Neither is in
total_cost_usd: a floor is a transfer between members (the alliance's resource
cost is unchanged, so the floor does not enter the LP), and offtake revenue is
reported apart (category ``offtake_revenue`` of ``costs``).

A floor pays ``max(0, F − P) × min(Q, X)`` in a year: F = ``floor_usd_per_t``,
P = the commodity's reference price (the market price), Q = the region's gross
output of the commodity (Σ out coefficient × activity), X = ``max_tpa`` (blank =
no cap).

``money_columns``: the Summary's money apart from cost, discounted to base year:
transfers between members, offtake revenue, the take-or-pay penalty, the net
cost (resource cost less offtake revenue plus the take-or-pay penalty: what the
supply costs once offtake buyers have paid for what they take) and its premium
against the comparator, and what buyers pay (alliance demand delivered at its
marginal cost, the balance dual).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.solver.records import Solution

TRANSFER_COLUMNS = ("year", "floor", "offtake", "payer", "payee", "usd",
                    "discounted_usd")
MONEY_COLUMNS = ("transfers_usd", "offtake_revenue_usd", "offtake_penalty_usd",
                 "net_cost_usd", "net_cost_premium_pct", "buyers_pay_usd")
ZERO = 1e-6


def output_by_region(ix: LPIndex, sol: Solution,
                     regions: Collection[str] | None = None,
                     commodities: Collection[str] | None = None) -> pd.DataFrame:
    """Gross output per (region, commodity, year): Σ out coefficient × activity;
    only of ``regions`` and ``commodities`` when given."""
    io = ix.process_io
    out = io[io["direction"] == "out"][["process", "commodity", "coefficient"]]
    if commodities is not None:
        out = out[out["commodity"].isin(commodities)]
    act = ix.act[["region", "process", "year"]].assign(
        activity=np.asarray(sol.values["act"], dtype=float))
    if regions is not None:
        act = act[act["region"].isin(regions)]
    rows = act.merge(out, on="process")
    rows["output_t"] = rows["activity"] * rows["coefficient"].astype(float)
    return rows.groupby(["region", "commodity", "year"], as_index=False)[
        "output_t"].sum()


def floor_payments(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """One row per floor and contract year with a payment (TRANSFER_COLUMNS)."""
    floors = ix.price_floors
    if floors.empty:
        return pd.DataFrame(columns=list(TRANSFER_COLUMNS))
    made = output_by_region(ix, sol, set(floors["region"]), set(floors["commodity"]))
    made = made.set_index(["region", "commodity", "year"])["output_t"]
    rows = []
    for f in floors.itertuples(index=False):
        gap = max(0.0, f.floor_usd_per_t - ix.reference_price.get(f.commodity, 0.0))
        for y in ix.years:
            if not f.from_year <= y <= f.to_year:
                continue
            quantity = float(made.get((f.region, f.commodity, y), 0.0))
            if not np.isnan(f.max_tpa):
                quantity = min(quantity, f.max_tpa)
            usd = gap * quantity
            if usd > ZERO:
                rows.append((y, f.floor, "", f.payer, f.region, usd,
                             usd * ix.discount[y]))
    return pd.DataFrame(rows, columns=list(TRANSFER_COLUMNS))


def offtake_payments(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """One row per offtake, seller and year delivered: the buyer pays the price."""
    sale = ix.sale
    if sale.empty:
        return pd.DataFrame(columns=list(TRANSFER_COLUMNS))
    usd = sale["price_usd_per_t"].to_numpy(dtype=float) * np.asarray(
        sol.values["sale"], dtype=float)
    frame = pd.DataFrame({
        "year": sale["year"].to_numpy(dtype=np.int64), "floor": "",
        "offtake": sale["offtake"].to_numpy(dtype=object),
        "payer": sale["buyer"].to_numpy(dtype=object),
        "payee": sale["seller"].to_numpy(dtype=object), "usd": usd,
        "discounted_usd": usd * sale["year"].map(ix.discount).to_numpy(dtype=float)})
    return frame[frame["usd"] > ZERO]


def transfers(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """The ``transfers`` table of one scenario (MODEL-SPEC §8.3)."""
    parts = [p for p in (floor_payments(ix, sol), offtake_payments(ix, sol))
             if len(p)]
    frame = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=list(TRANSFER_COLUMNS)))
    frame = frame.astype({"year": "int64", "usd": float, "discounted_usd": float})
    frame.insert(0, "scenario", scenario)
    return frame.reset_index(drop=True)


def money_columns(summary: pd.DataFrame, tables: dict[str, pd.DataFrame],
                  scope: set[str], discount: Callable[[pd.Series], pd.Series],
                  compare: dict[str, str]) -> pd.DataFrame:
    """``summary`` with MONEY_COLUMNS (discounted USD; blank where not solved).

    transfers_usd = Σ floor payments; offtake_revenue_usd = Σ price × delivered;
    offtake_penalty_usd = Σ take-or-pay penalty (both from ``costs``);
    net_cost_usd = total_cost_usd − offtake_revenue_usd + offtake_penalty_usd, and
    net_cost_premium_pct against the scenario's comparator (``compare``);
    buyers_pay_usd = Σ over the scope's demand rows of supplied_t × the balance
    dual (the marginal cost in that year's money × df_y)."""
    out = summary.copy()
    costs = tables["costs"]
    by_category = costs.groupby(["scenario", "category"])["discounted_usd"].sum()
    moves = tables["transfers"]
    floors = moves[moves["floor"].astype(str) != ""].groupby("scenario")[
        "discounted_usd"].sum()
    out["transfers_usd"] = out["scenario"].map(floors)
    out["offtake_revenue_usd"] = -out["scenario"].map(
        _category(by_category, "offtake_revenue"))
    out["offtake_penalty_usd"] = out["scenario"].map(
        _category(by_category, "offtake_penalty"))
    out["buyers_pay_usd"] = out["scenario"].map(_buyers_pay(tables, scope,
                                                            discount))
    solved = out["status"] == "optimal"
    for column in ("transfers_usd", "offtake_revenue_usd", "offtake_penalty_usd",
                   "buyers_pay_usd"):
        out[column] = out[column].astype(float).fillna(0.0).where(solved) + 0.0
    out["net_cost_usd"] = (out["total_cost_usd"] - out["offtake_revenue_usd"]
                           + out["offtake_penalty_usd"])
    net = out.set_index("scenario")["net_cost_usd"]
    theirs = out["scenario"].map(compare).fillna(out["scenario"]).map(net)
    out["net_cost_premium_pct"] = (100.0 * (out["net_cost_usd"] - theirs)
                                   / theirs.where(theirs != 0)).astype(float)
    return out[[*summary.columns, *MONEY_COLUMNS]]


def _category(by_category: pd.Series, name: str) -> pd.Series:
    if by_category.empty:
        return pd.Series(dtype=float)
    frame = by_category.reset_index()
    rows = frame[frame["category"] == name]
    return rows.set_index("scenario")["discounted_usd"]


def _buyers_pay(tables: dict[str, pd.DataFrame], scope: set[str],
                discount: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Σ supplied_t × marginal cost × df per scenario over the scope's demand."""
    short, prices = tables["shortfall"], tables["prices"]
    rows = short[short["region"].isin(scope)].merge(
        prices, on=["scenario", "region", "commodity", "year"], how="left")
    if rows.empty:
        return pd.Series(dtype=float)
    return (rows["supplied_t"] * rows["marginal_cost_usd_per_t"].fillna(0.0)
            * discount(rows["year"])).groupby(rows["scenario"]).sum()
