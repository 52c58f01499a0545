"""Headline results (MODEL-SPEC §4) computed from the tidy tables.

Works on extracted frames only, so every KPI can be unit-tested with hand-built
tables. The scope is the regions of bloc ``alliance`` or ``partner``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COST_CATEGORIES_WITHOUT_PENALTY = ("capex", "fixed_om", "variable", "transport",
                                   "tariff", "stock")
SLACK = 1e-6  # tonnes: absorbs solver round-off in the tolerance test
NEVER = -1  # first_year_met's year where the last year is not met


def self_sufficient_year(yearly: pd.DataFrame, tolerance: float,
                         years: list[int]) -> int | None:
    """First year from which, in every later year, shortfall <= tolerance x demand.

    ``yearly`` has columns year, demand_t, shortfall_t (scope totals of one
    commodity). Years without demand count as met. None when the last year is short.
    """
    by_year = yearly.set_index("year")[["demand_t", "shortfall_t"]].reindex(
        years, fill_value=0.0)  # numbers only: a text column takes no 0.0 fill
    ok = (by_year["shortfall_t"] <= tolerance * by_year["demand_t"] + SLACK).to_numpy()
    year = int(first_year_met(ok[np.newaxis, :], years)[0])
    return None if year == NEVER else year


def first_year_met(ok: np.ndarray, years: list[int]) -> np.ndarray:
    """Per row of ``ok`` (groups x ``years``, True where a year is met): the first
    year from which every later year is met, NEVER where the last year is not."""
    if ok.shape[1] == 0:
        return np.full(ok.shape[0], NEVER)
    bad = ~ok
    last_bad = np.where(bad.any(axis=1),
                        ok.shape[1] - 1 - np.argmax(bad[:, ::-1], axis=1), -1)
    first = np.asarray(years, dtype=np.int64)[np.minimum(last_bad + 1,
                                                         ok.shape[1] - 1)]
    return np.where(ok[:, -1], first, NEVER)


def year_matrix(codes: np.ndarray, groups: int, years: list[int],
                year: np.ndarray, values: np.ndarray) -> np.ndarray:
    """groups x ``years`` sums of ``values`` by (group code, year); 0 where a
    group has no row in a year, rows of other years left out."""
    out = np.zeros((groups, len(years)))
    column = pd.Index(years).get_indexer(np.asarray(year))
    inside = column >= 0
    np.add.at(out, (codes[inside], column[inside]), np.asarray(values)[inside])
    return out


def kpi_by_commodity(shortfall: pd.DataFrame, scope: set[str], tolerance: float,
                     years: list[int]) -> pd.DataFrame:
    """Per scenario and commodity: scope demand, shortfall, % and the year."""
    scoped = shortfall[shortfall["region"].isin(scope)]
    yearly = scoped.groupby(["scenario", "commodity", "year"], as_index=False,
                            sort=False)[["demand_t", "shortfall_t"]].sum()
    codes, keys = pd.MultiIndex.from_frame(yearly[["scenario", "commodity"]]
                                           ).factorize()
    demand, short = (yearly[c].to_numpy(dtype=float) for c in ("demand_t",
                                                                 "shortfall_t"))
    matrix = {name: year_matrix(codes, len(keys), years,
                                yearly["year"].to_numpy(), values)
              for name, values in (("demand", demand), ("short", short))}
    ok = matrix["short"] <= tolerance * matrix["demand"] + SLACK
    first = first_year_met(ok, years)
    order = np.argsort(codes, kind="stable")  # each group's rows, in their order
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    rows = []
    for g, (scenario, commodity) in enumerate(keys):
        rows_of = order[bounds[g]:bounds[g + 1]]
        total, missed = demand[rows_of].sum(), short[rows_of].sum()
        rows.append({
            "scenario": scenario, "commodity": commodity, "demand_t": total,
            "shortfall_t": missed, "shortfall_pct": _pct(missed, total),
            "self_sufficient_year": None if first[g] == NEVER else int(first[g]),
        })
    frame = pd.DataFrame(rows, columns=["scenario", "commodity", "demand_t",
                                        "shortfall_t", "shortfall_pct",
                                        "self_sufficient_year"])
    frame["self_sufficient_year"] = frame["self_sufficient_year"].astype("Int64")
    return frame


def overall_year(years: pd.Series) -> int | None:
    """The latest commodity year; None if any commodity never becomes sufficient."""
    if years.empty or years.isna().any():
        return None
    return int(years.max())


def summary(scenarios: list[tuple[str, bool, str]], costs: pd.DataFrame,
            kpis: pd.DataFrame, compare: dict[str, str] | None = None
            ) -> pd.DataFrame:
    """One row per scenario: cost, premium against its comparator (``compare``,
    MODEL-SPEC §8.1; default the baseline), shortfall, year.

    ``scenarios`` lists (name, is_baseline, status) in order.
    """
    supply = costs[costs["category"].isin(COST_CATEGORIES_WITHOUT_PENALTY)]
    total = supply.groupby("scenario")["discounted_usd"].sum()
    solved = {n: float(total.get(n, 0.0)) for n, _, status in scenarios
              if status == "optimal"}
    baseline = next((n for n, is_base, _ in scenarios if is_base), None)
    compare = compare or {}
    rows = []
    for name, is_base, status in scenarios:
        k = kpis[kpis["scenario"] == name]
        cost = solved.get(name, np.nan)
        base_cost = solved.get(compare.get(name, baseline or ""), np.nan)
        demand, short = k["demand_t"].sum(), k["shortfall_t"].sum()
        premium = cost - base_cost
        rows.append({
            "scenario": name, "is_baseline": is_base, "status": status,
            "total_cost_usd": cost, "cost_premium_usd": premium,
            "cost_premium_pct": _pct(premium, base_cost),
            "demand_t": demand, "shortfall_t": short,
            "shortfall_pct": _pct(short, demand),
            "self_sufficient_year": overall_year(k["self_sufficient_year"])
            if status == "optimal" else None,
        })
    frame = pd.DataFrame(rows)
    frame["self_sufficient_year"] = frame["self_sufficient_year"].astype("Int64")
    return frame


def _pct(part: float, whole: float) -> float:
    if not np.isfinite(whole) or whole == 0:
        return np.nan if part else 0.0
    return 100.0 * part / whole
