"""Headline results that do not reward shortfall (MODEL-SPEC §8.1).

Pure functions over the tidy tables and the case's input tables, so that every
metric can be derived by hand on a tiny case. Money is discounted to the base year
like cost, ``df_y = (1 + discount_rate)^-(y - base_year)``, over the alliance scope
(regions of bloc alliance or partner):

* demand value  V = Σ demand_t · reference_price · df
* unmet (at reference prices)  U = Σ shortfall_t · reference_price · df
* unmet value  W = Σ shortfall_t · shortfall_penalty · df
* full cost  F = total_cost_usd + W
* delivered-cost premium = (C / (V − U)) / (C* / (V* − U*)) − 1   (* = comparator)
* steady premium: undiscounted supply cost of the last ``steady_years`` years
* worst year: the year with the largest U_y / V_y (undiscounted, same within a year)
* mostly-met year: first year from which every later year has U_y ≤ tol · V_y
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.results.kpis import (
    COST_CATEGORIES_WITHOUT_PENALTY,
    NEVER,
    first_year_met,
    year_matrix,
)

SLACK_USD = 1e-3  # absorbs solver round-off in the mostly-met test
NO_CONTENT_STAGES = ("market", "recycling", "collection")
SUMMARY_COLUMNS = (
    "demand_value_usd", "unmet_reference_usd", "unmet_share_pct", "unmet_value_usd",
    "full_cost_usd", "full_cost_premium_usd", "full_cost_premium_pct",
    "delivered_cost_premium_pct", "steady_cost_premium_pct", "worst_year",
    "worst_year_unmet_share_pct", "mostly_met_year", "compare_to")
YEAR_COLUMNS = ("worst_year", "mostly_met_year")


@dataclass(frozen=True)
class HeadlineSettings:
    """What the §8.1 metrics need from the case besides the tables."""

    base_year: int
    end_year: int
    discount_rate: float = 0.08
    steady_years: int = 5
    mostly_met_tolerance: float = 0.01

    @property
    def years(self) -> list[int]:
        return list(range(self.base_year, self.end_year + 1))

    def discount(self, years: pd.Series) -> pd.Series:
        return (1.0 + self.discount_rate) ** -(years.astype(float) - self.base_year)


# ------------------------------------------------------------------ comparators


def never_text(end_year: int | None) -> str:
    """How a year that is never reached reads wherever a person reads it
    (MODEL-SPEC §8.1: "never (by <end_year>)")."""
    return f"never (by {end_year})" if end_year else "never"


def comparators(scenarios: pd.DataFrame) -> dict[str, str]:
    """Scenario → the scenario its premiums are measured against (blank
    ``compare_to`` = the baseline; the baseline is compared with itself)."""
    flags = scenarios["is_baseline"].fillna(False).astype(bool)
    baseline = str(scenarios.loc[flags, "scenario"].iloc[0]) if flags.any() else ""
    given = scenarios.get("compare_to", pd.Series([None] * len(scenarios),
                                                  index=scenarios.index))
    out = {}
    for name, target, is_base in zip(scenarios["scenario"], given, flags,
                                     strict=True):
        text = "" if target is None or pd.isna(target) else str(target).strip()
        out[str(name)] = str(name) if is_base else (text or baseline)
    return out


def with_comparators(requested: list[str], compare: dict[str, str]) -> set[str]:
    """``requested`` and every scenario they are compared with, transitively."""
    wanted, todo = set(), list(requested)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo.append(compare.get(name, name))
    return wanted


# ------------------------------------------------------------------ priced rows


def priced_shortfall(shortfall: pd.DataFrame, commodities: pd.DataFrame,
                     scope: set[str], settings: HeadlineSettings) -> pd.DataFrame:
    """Scope shortfall rows with their value at reference prices and penalties:
    ``*_year_usd`` in that year's money, the others discounted to the base year."""
    rows = shortfall[shortfall["region"].isin(scope)].copy()
    prices = commodities.set_index("commodity")
    price = _lookup(rows["commodity"], prices["reference_price_usd_per_t"])
    penalty = _lookup(rows["commodity"], prices["shortfall_penalty_usd_per_t"])
    df = settings.discount(rows["year"])
    rows["demand_value_year_usd"] = rows["demand_t"] * price
    rows["unmet_reference_year_usd"] = rows["shortfall_t"] * price
    rows["demand_value_usd"] = rows["demand_value_year_usd"] * df
    rows["unmet_reference_usd"] = rows["unmet_reference_year_usd"] * df
    rows["unmet_value_usd"] = rows["shortfall_t"] * penalty * df
    return rows


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    return pd.to_numeric(keys.map(values), errors="coerce").astype(float).fillna(0.0)


def value_met_by_year(priced: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and year: demand value and unmet value at reference prices (that
    year's money) and the % of demand value met."""
    yearly = priced.groupby(["scenario", "year"], as_index=False, sort=False)[
        ["demand_value_year_usd", "unmet_reference_year_usd"]].sum()
    yearly = yearly.rename(columns={"demand_value_year_usd": "demand_value_usd",
                                    "unmet_reference_year_usd": "unmet_reference_usd"})
    met = 100.0 * (1.0 - yearly["unmet_reference_usd"]
                   / yearly["demand_value_usd"].where(yearly["demand_value_usd"] > 0))
    yearly["met_pct"] = met.fillna(100.0)
    return yearly


# ------------------------------------------------------------------ time path


def worst_year(yearly: pd.DataFrame) -> tuple[int | None, float]:
    """(year, unmet share %) of the year with the largest share of demand value
    unmet (the earliest of equals); (None, 0) when no year falls short."""
    share = _share(yearly)
    year, worst = _worst(share.to_numpy()[np.newaxis, :], share.index.to_numpy())
    return (None, 0.0) if year[0] == NEVER else (int(year[0]), float(worst[0]))


def _worst(share: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``share`` (groups x ascending ``years``): the year of the largest
    share and that share; NEVER and 0 where no share is above 0."""
    if share.shape[1] == 0:
        return np.full(share.shape[0], NEVER), np.zeros(share.shape[0])
    at = np.argmax(share, axis=1)  # the first of equals
    short = (share > 0).any(axis=1)
    worst = share[np.arange(share.shape[0]), at]
    return (np.where(short, np.asarray(years, dtype=np.int64)[at], NEVER),
            np.where(short, worst, 0.0))


def mostly_met_year(yearly: pd.DataFrame, tolerance: float, years: list[int]
                    ) -> int | None:
    """First year from which, in every later year, unmet value at reference prices
    ≤ tolerance × demand value; None when the last year is not mostly met."""
    by_year = yearly.set_index("year")[["unmet_reference_usd", "demand_value_usd"]
                                       ].reindex(years, fill_value=0.0)
    # numbers only: a text column (scenario) takes no 0.0 fill under pandas 3
    ok = (by_year["unmet_reference_usd"]
          <= tolerance * by_year["demand_value_usd"] + SLACK_USD).to_numpy()
    year = int(first_year_met(ok[np.newaxis, :], years)[0])
    return None if year == NEVER else year


def _share(yearly: pd.DataFrame) -> pd.Series:
    by_year = yearly.groupby("year")[["unmet_reference_usd", "demand_value_usd"]].sum()
    value = by_year["demand_value_usd"]
    return (100.0 * by_year["unmet_reference_usd"] / value.where(value > 0)).fillna(0.0)


def time_paths(yearly: pd.DataFrame, keys: list[str], settings: HeadlineSettings
               ) -> pd.DataFrame:
    """Per ``keys`` group of ``yearly`` (one row per group and year, with
    unmet_reference_usd and demand_value_usd): worst_year,
    worst_year_unmet_share_pct and mostly_met_year, by the rules of
    ``worst_year`` and ``mostly_met_year``; indexed by ``keys``."""
    codes, groups = pd.MultiIndex.from_frame(yearly[keys]).factorize()
    year = yearly["year"].to_numpy()
    unmet, value = (yearly[c].to_numpy(dtype=float)
                    for c in ("unmet_reference_usd", "demand_value_usd"))
    present = np.unique(year)  # the worst year is one of a group's own years
    share = 100.0 * unmet / np.where(value > 0, value, np.nan)
    share = year_matrix(codes, len(groups), list(present), year,
                        np.nan_to_num(share, nan=0.0))
    worst, worst_share = _worst(share, present)
    span = settings.years
    ok = (year_matrix(codes, len(groups), span, year, unmet)
          <= settings.mostly_met_tolerance * year_matrix(codes, len(groups), span,
                                                          year, value) + SLACK_USD)
    met = first_year_met(ok, span)
    return pd.DataFrame({
        "worst_year": [None if y == NEVER else int(y) for y in worst],
        "worst_year_unmet_share_pct": worst_share,
        "mostly_met_year": [None if y == NEVER else int(y) for y in met]},
        index=pd.MultiIndex.from_tuples(list(groups), names=keys))


# ------------------------------------------------------------------ summary


def value_columns(priced: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Discounted demand value, unmet value (reference and penalty) and the unmet
    share per ``keys`` group."""
    sums = priced.groupby(keys, as_index=False, sort=False)[
        ["demand_value_usd", "unmet_reference_usd", "unmet_value_usd"]].sum()
    value = sums["demand_value_usd"]
    sums["unmet_share_pct"] = (100.0 * sums["unmet_reference_usd"]
                               / value.where(value > 0)).fillna(0.0)
    return sums


def add_to_summary(summary: pd.DataFrame, priced: pd.DataFrame, costs: pd.DataFrame,
                   compare: dict[str, str], settings: HeadlineSettings
                   ) -> pd.DataFrame:
    """``summary`` with the §8.1 columns; a scenario that was not solved
    (status other than optimal) gets blanks, and so do premiums against it."""
    out = summary.copy()
    values = value_columns(priced, ["scenario"]).set_index("scenario")
    solved = out["status"] == "optimal"
    for column in ("demand_value_usd", "unmet_reference_usd", "unmet_value_usd",
                   "unmet_share_pct"):
        out[column] = out["scenario"].map(values[column]).fillna(0.0).where(solved)
    out["full_cost_usd"] = out["total_cost_usd"] + out["unmet_value_usd"]
    by_name = out.set_index("scenario")
    other = out["scenario"].map(compare).fillna(out["scenario"])
    base_full = other.map(by_name["full_cost_usd"])
    out["full_cost_premium_usd"] = out["full_cost_usd"] - base_full
    out["full_cost_premium_pct"] = _pct(out["full_cost_premium_usd"], base_full)
    per_value = by_name["total_cost_usd"] / (by_name["demand_value_usd"]
                                             - by_name["unmet_reference_usd"])
    mine, theirs = out["scenario"].map(per_value), other.map(per_value)
    out["delivered_cost_premium_pct"] = _pct(mine - theirs, theirs)
    steady = steady_cost(costs, settings)
    mine, theirs = out["scenario"].map(steady), other.map(steady)
    out["steady_cost_premium_pct"] = _pct(mine - theirs, theirs).where(solved)
    paths = time_paths(value_met_by_year(priced), ["scenario"], settings)
    for column in ("worst_year", "worst_year_unmet_share_pct", "mostly_met_year"):
        found = dict(zip(paths.index.get_level_values(0), paths[column], strict=True))
        out[column] = [found.get(s) if ok else None
                       for s, ok in zip(out["scenario"], solved, strict=True)]
    out["compare_to"] = other
    return _typed(out[[*summary.columns, *SUMMARY_COLUMNS]].copy())


def steady_cost(costs: pd.DataFrame, settings: HeadlineSettings) -> pd.Series:
    """Undiscounted supply cost (no penalty) per scenario over the last
    ``steady_years`` years of the horizon."""
    first = max(settings.base_year, settings.end_year - settings.steady_years + 1)
    rows = costs[costs["category"].isin(COST_CATEGORIES_WITHOUT_PENALTY)
                 & (costs["year"] >= first)]
    return rows.groupby("scenario")["usd"].sum()


def add_to_kpis(kpi: pd.DataFrame, priced: pd.DataFrame, compare: dict[str, str],
                settings: HeadlineSettings) -> pd.DataFrame:
    """``kpi_by_commodity`` with the §8.1 columns that belong to a commodity; cost
    is not attributed to commodities, so the cost columns stay blank."""
    values = value_columns(priced, ["scenario", "commodity"])
    out = kpi.merge(values, on=["scenario", "commodity"], how="left")
    yearly = priced.groupby(["scenario", "commodity", "year"], as_index=False)[
        ["demand_value_year_usd", "unmet_reference_year_usd"]].sum().rename(columns={
            "demand_value_year_usd": "demand_value_usd",
            "unmet_reference_year_usd": "unmet_reference_usd"})
    paths = time_paths(yearly, ["scenario", "commodity"], settings)
    for column in ("full_cost_usd", "full_cost_premium_usd", "full_cost_premium_pct",
                   "delivered_cost_premium_pct", "steady_cost_premium_pct"):
        out[column] = np.nan
    for column in ("worst_year", "worst_year_unmet_share_pct", "mostly_met_year"):
        found = dict(zip(paths.index, paths[column], strict=True))
        out[column] = [found.get(key) for key in zip(out["scenario"], out["commodity"],
                                                      strict=True)]
    out["compare_to"] = out["scenario"].map(compare).fillna(out["scenario"])
    columns = [*kpi.columns, *SUMMARY_COLUMNS]
    return _typed(out[columns])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in YEAR_COLUMNS:
        frame[column] = pd.array([None if v is None or pd.isna(v) else int(v)
                                  for v in frame[column]], dtype="Int64")
    frame["worst_year_unmet_share_pct"] = frame["worst_year_unmet_share_pct"].astype(
        float)
    return frame


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole = whole.astype(float)
    return 100.0 * part.astype(float) / whole.where(whole != 0)


# ------------------------------------------------------------------ product groups


def kpi_by_group(priced: pd.DataFrame, commodities: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and product group (the commodity's ``kind``: magnet, oxide, ...):
    tonnes demanded and short, and the same by value at reference prices."""
    kind = commodities.set_index("commodity")["kind"].fillna("other")
    rows = priced.assign(group=priced["commodity"].map(kind).fillna("other"))
    tonnes = rows.groupby(["scenario", "group"], as_index=False, sort=False)[
        ["demand_t", "shortfall_t"]].sum()
    tonnes["shortfall_pct"] = (100.0 * tonnes["shortfall_t"]
                               / tonnes["demand_t"].where(tonnes["demand_t"] > 0)
                               ).fillna(0.0)
    values = value_columns(rows, ["scenario", "group"])
    return tonnes.merge(values, on=["scenario", "group"])[
        ["scenario", "group", "demand_t", "shortfall_t", "shortfall_pct",
         "demand_value_usd", "unmet_reference_usd", "unmet_share_pct"]]


# ------------------------------------------------------------------ element tonnes


def element_content(process_io: pd.DataFrame, processes: pd.DataFrame,
                    commodities: pd.DataFrame) -> pd.DataFrame:
    """Tonnes of each element's oxide that one tonne of each commodity takes along
    its primary route (commodity, element, oxide_t_per_t).

    An oxide contains one tonne of its own element's oxide. Any other commodity
    takes what the inputs of its primary process take, per tonne of it: the first
    process (table order) that makes it and is not a market purchase, a recycler or
    a collector. Losses on the way count (gross oxide needed); co-products such as
    swarf carry none. A commodity without such a route counts as its own element.
    """
    kinds = dict(zip(commodities["commodity"], commodities["kind"], strict=True))
    element = {c: (e if isinstance(e, str) and e.strip() else c)
               for c, e in zip(commodities["commodity"], commodities["element"],
                               strict=True)}
    stage = dict(zip(processes["process"], processes["stage"], strict=True))
    recipes = _recipes(process_io, stage)
    cache: dict[str, dict[str, float]] = {}

    def content(c: str, seen: frozenset[str]) -> dict[str, float]:
        if c in cache:
            return cache[c]
        recipe = recipes.get(c)
        if kinds.get(c) == "oxide" or recipe is None or c in seen:
            found = {element.get(c, c): 1.0}
        else:
            found = {}
            for source, amount in recipe:
                for e, t in content(source, seen | {c}).items():
                    found[e] = found.get(e, 0.0) + amount * t
        cache[c] = found
        return found

    rows = [(c, e, t) for c in commodities["commodity"]
            for e, t in content(str(c), frozenset()).items()]
    return pd.DataFrame(rows, columns=["commodity", "element", "oxide_t_per_t"])


def _recipes(process_io: pd.DataFrame, stage: dict[str, str]
             ) -> dict[str, list[tuple[str, float]]]:
    """Commodity → [(input, tonnes per tonne of it)] of its primary process."""
    out: dict[str, list[tuple[str, float]]] = {}
    for process, rows in process_io.groupby("process", sort=False):
        if stage.get(str(process)) in NO_CONTENT_STAGES:
            continue
        inputs = rows[rows["direction"] == "in"]
        if inputs.empty:
            continue
        for made, coefficient in zip(rows.loc[rows["direction"] == "out", "commodity"],
                                     rows.loc[rows["direction"] == "out",
                                              "coefficient"], strict=True):
            out.setdefault(str(made), [(str(c), float(k) / float(coefficient))
                                       for c, k in zip(inputs["commodity"],
                                                       inputs["coefficient"],
                                                       strict=True)])
    return out


def kpi_by_element(shortfall: pd.DataFrame, content: pd.DataFrame, scope: set[str]
                   ) -> pd.DataFrame:
    """Per scenario and element: demand and shortfall as oxide tonnes contained
    (``element_content``), over the scope and the horizon."""
    rows = shortfall[shortfall["region"].isin(scope)].merge(content, on="commodity")
    rows = rows.assign(demand_t=rows["demand_t"] * rows["oxide_t_per_t"],
                       shortfall_t=rows["shortfall_t"] * rows["oxide_t_per_t"])
    out = rows.groupby(["scenario", "element"], as_index=False, sort=False)[
        ["demand_t", "shortfall_t"]].sum()
    out["shortfall_pct"] = (100.0 * out["shortfall_t"]
                            / out["demand_t"].where(out["demand_t"] > 0)).fillna(0.0)
    return out.rename(columns={"demand_t": "demand_oxide_t",
                               "shortfall_t": "shortfall_oxide_t"})
