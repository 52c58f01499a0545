"""Statistics of a sweep's records: percentiles, histograms and the tornado.

Pure functions on the store's records (one row per scenario, commodity and sample;
commodity ``""`` is the scenario total). Failed scenarios of a sample are left out
of its statistics and counted apart.

* P10/P50/P90 of the premiums, shortfall and unmet value use linear interpolation
  between order statistics (numpy's default); the self-sufficient and mostly-met
  years use ``inverted_cdf`` so
  that every percentile is a year that occurred. A sample that never becomes
  self-sufficient ranks after every year; a percentile that falls on such samples
  is blank and ``never_pct`` gives their share.
* The tornado is each uncertain input's swing of each headline, in the headline's
  unit (median over the top third of the input's draws minus over the bottom
  third), with Spearman's rank correlation beside it, over the optimal samples of a
  scenario (total rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from model.sweep.worker import ALL, HEADLINES

PERCENTILES = (10, 50, 90)
METRICS = ("cost_premium_usd", "cost_premium_pct", "full_cost_premium_usd",
           "full_cost_premium_pct", "delivered_cost_premium_pct",
           "steady_cost_premium_pct", "shortfall_t", "shortfall_pct",
           "unmet_reference_usd", "unmet_share_pct", "unmet_value_usd",
           "worst_year_unmet_share_pct", "mostly_met_year", "self_sufficient_year")
COMMODITY_METRICS = ("shortfall_t", "shortfall_pct", "unmet_share_pct",
                     "mostly_met_year", "self_sufficient_year")
YEAR_METRICS = ("self_sufficient_year", "mostly_met_year")
NEVER = np.inf
# metric → (what a person reads, unit); the unit picks number format and bin text
METRIC_LABELS = {
    "cost_premium_usd": ("Supply-cost premium", "usd"),
    "cost_premium_pct": ("Supply-cost premium", "pct"),
    "full_cost_premium_usd": ("Full-cost premium", "usd"),
    "full_cost_premium_pct": ("Full-cost premium", "pct"),
    "delivered_cost_premium_pct": ("Delivered-cost premium", "pct"),
    "steady_cost_premium_pct": ("Steady-state premium (last years)", "pct"),
    "shortfall_t": ("Shortfall", "t"),
    "shortfall_pct": ("Shortfall, % of tonnes", "pct"),
    "unmet_reference_usd": ("Unmet demand at reference prices", "usd"),
    "unmet_share_pct": ("Demand value unmet", "pct"),
    "unmet_value_usd": ("Unmet demand at the penalty", "usd"),
    "worst_year_unmet_share_pct": ("Worst year, % of value unmet", "pct"),
    "mostly_met_year": ("Mostly met from", "year"),
    "self_sufficient_year": ("All demand met (strict) from", "year"),
}


def metric_label(metric: str) -> str:
    """'Full-cost premium (%)', 'Shortfall (t)', 'Supply-cost premium (USD bn)'."""
    label, unit = METRIC_LABELS.get(metric, (metric, ""))
    suffix = {"usd": " (USD bn)", "pct": " (%)", "t": " (t)"}.get(unit, "")
    return label + ("" if label.endswith("%") or "% of" in label else suffix)


def percentiles(records: pd.DataFrame) -> pd.DataFrame:
    """Per scenario, commodity (``all`` for the total) and metric: P10/P50/P90."""
    rows = []
    ok = records[records["status"] == "optimal"]
    for (scenario, commodity), group in records.groupby(["scenario", "commodity"],
                                                        sort=False):
        good = ok[(ok["scenario"] == scenario) & (ok["commodity"] == commodity)]
        metrics = METRICS if commodity == ALL else COMMODITY_METRICS
        for metric in (m for m in metrics if m in records.columns):
            rows.append({"scenario": scenario, "commodity": commodity or "all",
                         "metric": metric, **_summary(good[metric], metric),
                         "samples": len(good), "failed": len(group) - len(good),
                         "label": metric_label(metric)})
    return pd.DataFrame(rows, columns=["scenario", "commodity", "metric", "p10", "p50",
                                       "p90", "mean", "never_pct", "samples",
                                       "failed", "label"])


def _summary(values: pd.Series, metric: str) -> dict[str, float]:
    x = values.to_numpy(dtype=float)
    if metric in YEAR_METRICS:
        x = np.where(np.isnan(x), NEVER, x)
    else:  # a premium is blank in a sample whose baseline failed
        x = x[~np.isnan(x)]
    if len(x) == 0:
        return {f"p{p}": np.nan for p in PERCENTILES} | {"mean": np.nan,
                                                         "never_pct": np.nan}
    if metric in YEAR_METRICS:
        q = np.percentile(x, PERCENTILES, method="inverted_cdf")
        q = np.where(np.isinf(q), np.nan, q)
        finite = x[np.isfinite(x)]
        mean = float(finite.mean()) if len(finite) else np.nan
        never = 100.0 * float(np.isinf(x).mean())
    else:
        q = np.percentile(x, PERCENTILES)
        mean, never = float(x.mean()), np.nan
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, q, strict=True)} | {
        "mean": mean, "never_pct": never}


def tornado(records: pd.DataFrame, draws: dict[str, str]) -> pd.DataFrame:
    """Per scenario, headline and input (``draws``: column → label): the swing, in
    the headline's own unit, and Spearman's rank correlation; sorted by the size of
    the swing, then of the correlation.

    swing = median of the headline over the samples whose draw of the input is in
    its top third minus the median over those in its bottom third (years: over the
    samples that reach a year)."""
    rows = []
    totals = records[(records["commodity"] == ALL) & (records["status"] == "optimal")]
    for scenario, group in totals.groupby("scenario", sort=False):
        for headline in (h for h in HEADLINES if h in group.columns):
            y = group[headline].to_numpy(dtype=float)
            if headline in YEAR_METRICS:
                y = np.where(np.isnan(y), NEVER, y)
            for column, label in draws.items():
                x = group[column].to_numpy(dtype=float)
                rows.append({"scenario": scenario, "headline": headline,
                             "input": label, "spearman_rho": _spearman(x, y),
                             "swing": swing(x, y)})
    frame = pd.DataFrame(rows, columns=["scenario", "headline", "input",
                                        "spearman_rho", "swing"])
    frame["strength"] = list(zip(frame["swing"].abs().fillna(0),
                                 frame["spearman_rho"].abs(), strict=True))
    frame = frame.sort_values(["scenario", "headline", "strength"],
                              ascending=[True, True, False], kind="stable",
                              key=_scenario_key(records))
    return frame.drop(columns="strength").reset_index(drop=True)


def _scenario_key(records: pd.DataFrame):  # noqa: ANN202
    order = {s: i for i, s in enumerate(dict.fromkeys(records["scenario"]))}

    def key(column: pd.Series) -> pd.Series:
        if column.name == "scenario":
            return column.map(order)
        if column.name == "headline":
            return column.map({h: i for i, h in enumerate(HEADLINES)})
        return column

    return key


def swing(x: np.ndarray, y: np.ndarray) -> float:
    """Median y over the top third of x minus over its bottom third (finite y
    only); 0 when x does not vary, NaN when a third has no finite y."""
    known = ~np.isnan(x)
    x, y = x[known], y[known]
    if len(x) < 3 or np.ptp(x) == 0:
        return 0.0
    low, high = np.quantile(x, [1 / 3, 2 / 3])
    bottom, top = y[(x <= low) & np.isfinite(y)], y[(x >= high) & np.isfinite(y)]
    if len(bottom) == 0 or len(top) == 0:
        return float("nan")
    return float(np.median(top) - np.median(bottom))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Rank correlation over the samples where both are known; 0 when either
    side is constant (no information)."""
    known = ~(np.isnan(x) | np.isnan(y))
    x, y = x[known], y[known]
    if len(x) < 3 or np.ptp(x) == 0 or np.unique(y).size < 2:
        return 0.0
    return float(stats.spearmanr(x, y).statistic)


def histogram(records: pd.DataFrame, scenario: str, metric: str, bins: int = 12
              ) -> pd.DataFrame:
    """Counts of a scenario's total-row metric in equal-width bins."""
    group = records[(records["scenario"] == scenario) & (records["commodity"] == ALL)
                    & (records["status"] == "optimal")]
    x = group[metric].to_numpy(dtype=float)
    never = int(np.isnan(x).sum()) if metric in YEAR_METRICS else 0
    labels, counts = _bins(x[~np.isnan(x)], metric, bins)
    if never:
        labels.append("never")
        counts = np.append(counts, never)
    return pd.DataFrame({"bin": labels, "samples": counts.astype(int)})


def _bins(x: np.ndarray, metric: str, bins: int) -> tuple[list[str], np.ndarray]:
    """Bin labels and counts: one bin per year for years; one bin for a value that
    every sample shares; else ``bins`` equal-width bins."""
    if len(x) == 0:
        return [], np.array([], dtype=int)
    if metric in YEAR_METRICS:
        edges = np.arange(x.min() - 0.5, x.max() + 1.5)
    elif np.ptp(x) <= 1e-9 * max(1.0, float(np.abs(x).max())):
        return [_bin_label(x[0], x[0], metric)], np.array([len(x)])
    else:
        edges = np.histogram_bin_edges(x, bins=bins)
    counts, edges = np.histogram(x, bins=edges)
    return [_bin_label(lo, hi, metric) for lo, hi in zip(edges[:-1], edges[1:],
                                                         strict=True)], counts


def _bin_label(lo: float, hi: float, metric: str) -> str:
    """A bin in the metric's unit: '2031', '+4.1 to +6.3 %', '-1.2 to -0.9 bn',
    '12,000 to 14,000 t'."""
    unit = METRIC_LABELS.get(metric, ("", ""))[1]
    if unit == "year":
        return str(int(round((lo + hi) / 2)))
    if lo == hi:  # one value
        return {"pct": f"{lo:+.1f} %", "usd": f"{lo / 1e9:+,.2f} bn",
                "t": f"{lo:,.0f} t"}.get(unit, f"{lo:,.3g}")
    if unit == "pct":
        return f"{lo:+.1f} to {hi:+.1f} %"
    if unit == "usd":
        return f"{lo / 1e9:+,.2f} to {hi / 1e9:+,.2f} bn"
    if unit == "t":
        return f"{lo:,.0f} to {hi:,.0f} t"
    return f"{lo:,.3g} to {hi:,.3g}"
