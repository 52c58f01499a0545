"""The peer: the same LP built straight from the index frames with numpy, no Pyomo.

``reference_lp(ix)`` writes MODEL-SPEC §3 once more, independently of
``model.formulation``: every row family as (row, column, value) triplets, sorted
into a column-wise matrix and handed to HiGHS with one ``passModel``. The benchmark
times it against the Pyomo path; tests/perf checks both give the same optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from model.data.indices import RCY, LPIndex
from model.formulation.objective import constant_cost, objective_coefficients

INF = highspy.kHighsInf
FAMILIES = ("act", "build", "flow", "short", "surplus", "release", "stock")


@dataclass
class Rows:
    """Row triplets and bounds, appended family by family."""

    rows: list[np.ndarray]
    cols: list[np.ndarray]
    vals: list[np.ndarray]
    lower: list[np.ndarray]
    upper: list[np.ndarray]
    count: int = 0

    def add(self, row: np.ndarray, col: np.ndarray, val: np.ndarray,
            lower: np.ndarray, upper: np.ndarray) -> None:
        self.rows.append(row + self.count)
        self.cols.append(col)
        self.vals.append(np.broadcast_to(np.asarray(val, float), row.shape))
        self.lower.append(lower)
        self.upper.append(upper)
        self.count += len(lower)


def column_starts(ix: LPIndex) -> dict[str, int]:
    sizes = {"act": len(ix.act), "build": len(ix.build), "flow": len(ix.flow),
             "short": len(ix.short), "surplus": len(ix.surplus),
             "release": len(ix.stock), "stock": len(ix.stock)}
    starts = np.concatenate([[0], np.cumsum([sizes[f] for f in FAMILIES])])
    return {f: int(s) for f, s in zip(FAMILIES + ("end",), starts, strict=True)}


def _upper(values: pd.Series) -> np.ndarray:
    out = values.to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(out), INF, out)


def _balance(ix: LPIndex, start: dict[str, int], rows: Rows) -> None:
    terms = ix.balance_terms
    codes = terms.groupby(RCY, sort=False).ngroup().to_numpy()
    keys = terms[RCY].drop_duplicates()  # first appearance = ngroup order
    rhs = keys.merge(ix.short[RCY + ["demand_t"]], on=RCY, how="left")["demand_t"]
    rhs = rhs.fillna(0.0).to_numpy(dtype=float)
    fam, names = pd.factorize(terms["family"])
    first = np.array([start[n] for n in names], dtype=np.int64)
    col = first[fam] + terms["position"].to_numpy()
    rows.add(codes, col, terms["coef"].to_numpy(), rhs, rhs)


def _capacity(ix: LPIndex, start: dict[str, int], rows: Rows) -> None:
    act = ix.act[["region", "process", "year"]].reset_index(names="i")
    build = ix.build[["region", "process", "year", "lifetime"]].reset_index(names="j")
    pairs = act.merge(build, on=["region", "process"], suffixes=("", "_b"))
    pairs = pairs[(pairs["year"] - pairs["lifetime"] < pairs["year_b"])
                  & (pairs["year_b"] <= pairs["year"])]
    alpha = ix.act["availability"].to_numpy(dtype=float)
    n = len(ix.act)
    i = pairs["i"].to_numpy()
    rows.add(np.concatenate([np.arange(n), i]),
             np.concatenate([start["act"] + np.arange(n),
                             start["build"] + pairs["j"].to_numpy()]),
             np.concatenate([np.ones(n), -alpha[i]]),
             np.full(n, -INF), alpha * ix.act["existing_tpa"].to_numpy(dtype=float))


def _group_sum(frame: pd.DataFrame, limits: pd.DataFrame, column: str,
               offset: int, rows: Rows) -> None:
    """One ``Σ family[i] ≤ limit`` row per (region, process) of ``limits``."""
    positions = frame[["region", "process"]].reset_index(names="i")
    lim = limits.reset_index(drop=True).reset_index(names="k")
    pairs = lim.merge(positions, on=["region", "process"])
    used = np.unique(pairs["k"].to_numpy())
    renumber = np.full(len(lim), -1)
    renumber[used] = np.arange(len(used))
    rows.add(renumber[pairs["k"].to_numpy()], offset + pairs["i"].to_numpy(), 1.0,
             np.full(len(used), -INF), lim[column].to_numpy(dtype=float)[used])


def _stock(ix: LPIndex, start: dict[str, int], rows: Rows) -> None:
    n = len(ix.stock)
    first = ix.stock["year"].to_numpy() == ix.years[0]
    later = np.flatnonzero(~first)
    rhs = np.where(first, ix.stock["initial_t"].to_numpy(dtype=float), 0.0)
    rows.add(np.concatenate([np.arange(n), np.arange(n), later]),
             np.concatenate([start["stock"] + np.arange(n),
                             start["release"] + np.arange(n),
                             start["stock"] + later - 1]),
             np.concatenate([np.ones(2 * n), -np.ones(len(later))]), rhs, rhs)


def _quotas(ix: LPIndex, start: dict[str, int], rows: Rows) -> None:
    if not ix.quotas:
        return
    sizes = [len(q.flow_positions) for q in ix.quotas]
    rows.add(np.repeat(np.arange(len(sizes)), sizes),
             start["flow"] + np.concatenate([q.flow_positions for q in ix.quotas]),
             1.0, np.full(len(sizes), -INF), np.array([q.value for q in ix.quotas]))


def _columns(ix: LPIndex) -> tuple[np.ndarray, np.ndarray]:
    coefs = objective_coefficients(ix)
    cost = np.concatenate([coefs.get(f, np.zeros(len(ix.surplus)))
                           if f != "stock" else np.zeros(len(ix.stock))
                           for f in FAMILIES])
    upper = np.concatenate([
        np.full(len(ix.act), INF), _upper(ix.build["max_per_year"]),
        np.full(len(ix.flow), INF), ix.short["demand_t"].to_numpy(dtype=float),
        np.full(len(ix.surplus), INF), _upper(ix.stock["max_release_tpa"]),
        np.full(len(ix.stock), INF)])
    return cost, upper


def reference_lp(ix: LPIndex) -> tuple[highspy.HighsLp, dict[str, int], np.ndarray]:
    """(HighsLp, first column of each family, balance row count) of ``ix``."""
    start = column_starts(ix)
    rows = Rows([], [], [], [], [])
    _balance(ix, start, rows)
    n_balance = rows.count
    _capacity(ix, start, rows)
    _group_sum(ix.build, ix.expansion_limits, "max_new_tpa", start["build"], rows)
    _group_sum(ix.act, ix.reserves, "reserve_t", start["act"], rows)
    _stock(ix, start, rows)
    _quotas(ix, start, rows)
    r, c, v = (np.concatenate(x) for x in (rows.rows, rows.cols, rows.vals))
    order = np.lexsort((r, c))
    n_col = start["end"]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, rows.count
    lp.col_cost_, lp.col_upper_ = _columns(ix)
    lp.col_lower_ = np.zeros(n_col)
    lp.offset_ = constant_cost(ix)
    lp.row_lower_ = np.concatenate(rows.lower)
    lp.row_upper_ = np.concatenate(rows.upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(c[order], np.arange(n_col + 1)).astype(np.int32)
    lp.a_matrix_.index_ = r[order].astype(np.int32)
    lp.a_matrix_.value_ = v[order]
    return lp, start, np.arange(n_balance)
