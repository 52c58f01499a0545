"""The LP of ``build_model`` assembled straight from the index frames with numpy.

Same rows, columns, coefficients, bounds and order as compiling the Pyomo model with
``LinearStandardFormCompiler`` (tests/perf/test_matrix.py checks it array by array),
at a fraction of the cost: every constraint family becomes (row, column, value)
triplets, rows keep the order of ``build_model``, and columns are numbered as the
compiler numbers them (variable families in the order first met, objective first,
then row by row; each family in index order), dropping columns that appear
nowhere. The math of each family is in its ``add_*`` docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

from model.data.indices import RCY, LPIndex
from model.formulation.objective import constant_cost, objective_coefficients

INF = highspy.kHighsInf
FAMILIES = ("act", "build", "flow", "short", "surplus", "release", "stock")


@dataclass
class Triplets:
    """Row entries in expression order, appended constraint family by family."""

    rows: list[np.ndarray] = field(default_factory=list)
    cols: list[np.ndarray] = field(default_factory=list)
    vals: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    count: int = 0

    def add(self, row: np.ndarray, col: np.ndarray, val: np.ndarray | float,
            lower: np.ndarray, upper: np.ndarray) -> None:
        """Rows ``0..len(lower)-1`` of a family; entries of a row in body order."""
        order = np.argsort(row, kind="stable")
        self.rows.append(np.asarray(row)[order] + self.count)
        self.cols.append(np.asarray(col, dtype=np.int64)[order])
        self.vals.append(np.broadcast_to(np.asarray(val, float), np.shape(row))[order])
        self.lower.append(np.asarray(lower, dtype=float))
        self.upper.append(np.asarray(upper, dtype=float))
        self.count += len(lower)


@dataclass
class MatrixLP:
    """HiGHS-ready LP plus where each variable family's columns ended up.

    ``column_of[family][i]`` is the column of variable ``family[i]`` (-1: not in
    the LP); ``row_ranges[constraint]`` = (first row, number of rows) of the
    constraint of that name in ``build_model``, whose index ``k`` is row
    ``first + k``.
    """

    lp: highspy.HighsLp | None
    column_of: dict[str, np.ndarray]
    balance_rows: np.ndarray
    balance_keys: pd.DataFrame
    row_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)


def family_starts(ix: LPIndex) -> dict[str, int]:
    """First (uncompressed) column of each family; ``end`` = total."""
    sizes = [len(ix.act), len(ix.build), len(ix.flow), len(ix.short), len(ix.surplus),
             len(ix.stock), len(ix.stock)]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    return {f: int(s) for f, s in zip(FAMILIES + ("end",), starts, strict=True)}


def _upper(values: pd.Series) -> np.ndarray:
    out = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isnan(out), INF, out)


def _balance(ix: LPIndex, start: dict[str, int], out: Triplets) -> pd.DataFrame:
    terms = ix.balance_terms
    codes = terms.groupby(RCY, sort=False).ngroup().to_numpy()
    keys = terms[RCY].drop_duplicates().reset_index(drop=True)
    rhs = keys.merge(ix.short[RCY + ["demand_t"]], on=RCY, how="left")["demand_t"]
    rhs = rhs.fillna(0.0).to_numpy(dtype=float)
    fam, names = pd.factorize(terms["family"])
    first = np.array([start[n] for n in names], dtype=np.int64)
    out.add(codes, first[fam] + terms["position"].to_numpy(), terms["coef"].to_numpy(),
            rhs, rhs)
    return keys


def _capacity(ix: LPIndex, start: dict[str, int], out: Triplets) -> None:
    n = len(ix.act)
    alpha = ix.act["availability"].to_numpy(dtype=float)
    i = ix.build_window["act"].to_numpy()
    j = ix.build_window["build"].to_numpy()
    out.add(np.concatenate([np.arange(n), i]),
            np.concatenate([start["act"] + np.arange(n), start["build"] + j]),
            np.concatenate([np.ones(n), -alpha[i]]),
            np.full(n, -INF), alpha * ix.act["existing_tpa"].to_numpy(dtype=float))


def _group_sum(frame: pd.DataFrame, limits: pd.DataFrame, column: str, first: int,
               out: Triplets) -> None:
    """One ``Σ family[i] ≤ limit`` row per (region, process) of ``limits`` that has
    at least one variable, in ``limits`` order."""
    positions = frame[["region", "process"]].reset_index(names="i")
    lim = limits.reset_index(drop=True).reset_index(names="k")
    pairs = lim.merge(positions, on=["region", "process"]).sort_values(["k", "i"])
    used = np.unique(pairs["k"].to_numpy())
    renumber = np.full(len(lim), -1)
    renumber[used] = np.arange(len(used))
    out.add(renumber[pairs["k"].to_numpy()], first + pairs["i"].to_numpy(), 1.0,
            np.full(len(used), -INF), lim[column].to_numpy(dtype=float)[used])


def _stock(ix: LPIndex, start: dict[str, int], out: Triplets) -> None:
    n = len(ix.stock)
    first = ix.stock["year"].to_numpy() == ix.years[0]
    later = np.flatnonzero(~first)
    rhs = np.where(first, ix.stock["initial_t"].to_numpy(dtype=float), 0.0)
    out.add(np.concatenate([np.arange(n), later, np.arange(n)]),
            np.concatenate([start["stock"] + np.arange(n), start["stock"] + later - 1,
                            start["release"] + np.arange(n)]),
            np.concatenate([np.ones(n), -np.ones(len(later)), np.ones(n)]), rhs, rhs)


def _quotas(ix: LPIndex, start: dict[str, int], out: Triplets) -> None:
    if not ix.quotas:
        return
    sizes = [len(q.flow_positions) for q in ix.quotas]
    out.add(np.repeat(np.arange(len(sizes)), sizes),
            start["flow"] + np.concatenate([q.flow_positions for q in ix.quotas]),
            1.0, np.full(len(sizes), -INF),
            np.array([float(q.value) for q in ix.quotas]))


def _objective(ix: LPIndex, start: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(columns, costs) of the objective's nonzero terms, in expression order."""
    coefs = objective_coefficients(ix)
    cols, costs = [], []
    for family, values in coefs.items():
        nonzero = np.flatnonzero(values)
        cols.append(start[family] + nonzero)
        costs.append(values[nonzero])
    return np.concatenate(cols), np.concatenate(costs)


def _column_upper(ix: LPIndex) -> np.ndarray:
    return np.concatenate([
        np.full(len(ix.act), INF), _upper(ix.build["max_per_year"]),
        np.full(len(ix.flow), INF), ix.short["demand_t"].to_numpy(dtype=float),
        np.full(len(ix.surplus), INF), _upper(ix.stock["max_release_tpa"]),
        np.full(len(ix.stock), INF)])


CONSTRAINTS = ("balance", "capacity_limit", "expansion_total", "reserve_limit",
               "stock_evolution", "export_quota")


def _rows(ix: LPIndex, start: dict[str, int]
          ) -> tuple[Triplets, pd.DataFrame, dict[str, tuple[int, int]]]:
    """Row triplets in ``build_model`` order, balance keys, rows per constraint."""
    out = Triplets()
    keys = _balance(ix, start, out)
    counts = [out.count]
    _capacity(ix, start, out)
    counts.append(out.count)
    _group_sum(ix.build, ix.expansion_limits, "max_new_tpa", start["build"], out)
    counts.append(out.count)
    _group_sum(ix.act, ix.reserves, "reserve_t", start["act"], out)
    counts.append(out.count)
    _stock(ix, start, out)
    counts.append(out.count)
    _quotas(ix, start, out)
    counts.append(out.count)
    firsts = [0] + counts[:-1]
    ranges = {name: (first, end - first)
              for name, first, end in zip(CONSTRAINTS, firsts, counts, strict=True)}
    return out, keys, ranges


def _column_numbers(obj_cols: np.ndarray, row_cols: np.ndarray,
                    start: dict[str, int]) -> np.ndarray:
    """New number of every uncompressed column, -1 where it appears nowhere.

    As Pyomo's compiler does: families in the order their first variable is met
    (objective, then rows in order), each family's columns in index order, then
    columns that appear in neither the objective nor a row are dropped.
    """
    seen = np.concatenate([obj_cols, row_cols])
    bounds = np.array([start[f] for f in FAMILIES] + [start["end"]])
    family = np.searchsorted(bounds, seen, side="right") - 1
    uniq, first = np.unique(family, return_index=True)
    blocks = [np.arange(bounds[f], bounds[f + 1])
              for f in uniq[np.argsort(first, kind="stable")]]
    order = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
    present = np.zeros(start["end"], dtype=bool)
    present[seen] = True
    order = order[present[order]]
    renumber = np.full(start["end"], -1, dtype=np.int64)
    renumber[order] = np.arange(len(order))
    return renumber


def store_matrix(lp: highspy.HighsLp, a: sp.csc_matrix) -> None:
    """Put ``a`` into ``lp`` column-wise with one entry per (row, column).

    Repeated (row, column) entries are summed into one (column j holding (row i,
    -1.0) and (row i, 0.95) becomes (row i, -0.05)): HiGHS's ``passModel`` rejects
    repeats. The model families emit one entry per pair already (a process that
    takes in and gives out the same commodity has its net coefficient,
    ``model.data.indices.net_process_io``); a matrix in canonical form is stored
    as it is.
    """
    a.sum_duplicates()  # also sorts each column's rows; a no-op when canonical
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32, copy=False)
    lp.a_matrix_.index_ = a.indices.astype(np.int32, copy=False)
    lp.a_matrix_.value_ = a.data


def assemble(ix: LPIndex) -> MatrixLP:
    """The scenario's LP in column-wise form, ready for ``Highs.passModel``."""
    start = family_starts(ix)
    rows, keys, ranges = _rows(ix, start)
    r, c, v = (np.concatenate(x) for x in (rows.rows, rows.cols, rows.vals))
    obj_cols, obj_costs = _objective(ix, start)
    renumber = _column_numbers(obj_cols, c, start)
    kept = np.flatnonzero(renumber >= 0)
    n_col = len(kept)
    c = renumber[c]
    order = np.lexsort((r, c))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, rows.count
    cost = np.zeros(n_col)
    cost[renumber[obj_cols]] = obj_costs
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_col)
    upper = np.empty(n_col)
    upper[renumber[kept]] = _column_upper(ix)[kept]
    lp.col_upper_ = upper
    lp.offset_ = constant_cost(ix)
    lp.row_lower_ = np.concatenate(rows.lower)
    lp.row_upper_ = np.concatenate(rows.upper)
    starts = np.searchsorted(c[order], np.arange(n_col + 1))
    store_matrix(lp, sp.csc_matrix((v[order], r[order], starts),
                                   shape=(rows.count, n_col)))
    column_of = {f: renumber[start[f]:start[g]]
                 for f, g in zip(FAMILIES, FAMILIES[1:] + ("end",), strict=True)}
    return MatrixLP(lp, column_of, np.arange(len(keys)), keys, ranges)
