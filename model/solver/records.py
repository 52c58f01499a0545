"""The records that cross the door to HiGHS: options, the LP, the solution.

``LinearProgram`` carries, besides the HiGHS arrays, where each variable family's
columns and each constraint family's rows are, with the keys of every row and
column, so that duals, bottlenecks and infeasibility explanations map a row or a
column to (family, key) without the model that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd

TYPE_CHECKING = False
if TYPE_CHECKING:  # scipy is imported only where a matrix needs its repeats summed
    import scipy.sparse as sp

INF = highspy.kHighsInf


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings (recorded in run.json)."""

    method: str = "auto"  # by the LP's size: model/solver/method.py
    time_limit: float | None = None
    threads: int = 1
    presolve: str = "on"
    builder: str = "numpy"  # or "pyomo": the same LP, built through Pyomo

    def as_dict(self) -> dict[str, object]:
        return {"method": self.method, "time_limit": self.time_limit,
                "threads": self.threads, "presolve": self.presolve,
                "builder": self.builder}


@dataclass
class RowBlock:
    """The rows of one constraint family: rows ``first .. first + count - 1``,
    row ``first + k`` with key ``keys.iloc[k]`` and right-hand side ``rhs[k]``."""

    first: int
    keys: pd.DataFrame
    rhs: np.ndarray

    @property
    def count(self) -> int:
        return len(self.keys)

    @property
    def rows(self) -> np.ndarray:
        return np.arange(self.first, self.first + self.count)


@dataclass
class LinearProgram:
    """An LP for HiGHS with the map from families and keys to columns and rows.

    ``column_of[family][i]`` is the column of variable ``family[i]`` (-1: the
    variable appears nowhere and is not in the LP); ``column_keys[family]`` is the
    frame whose row ``i`` keys that variable. ``rows[name]`` is the block of the
    constraint family ``name`` (in row order).
    """

    lp: highspy.HighsLp | None
    column_of: dict[str, np.ndarray]
    rows: dict[str, RowBlock]
    column_keys: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rows_of(self, name: str) -> np.ndarray:
        """Row positions of the constraint family ``name`` (empty if absent)."""
        block = self.rows.get(name)
        return block.rows if block is not None else np.zeros(0, dtype=np.int64)

    def row_name(self, row: int) -> tuple[str, dict[str, object]]:
        """(family, key) of row ``row``."""
        for name, block in self.rows.items():
            if block.first <= row < block.first + block.count:
                return name, block.keys.iloc[row - block.first].to_dict()
        raise IndexError(f"row {row} is in no constraint family")

    def column_name(self, column: int) -> tuple[str, int]:
        """(variable family, position in its frame) of column ``column``."""
        for family, columns in self.column_of.items():
            found = np.flatnonzero(columns == column)
            if len(found):
                return family, int(found[0])
        raise IndexError(f"column {column} is in no variable family")


def column_wise_lp(cost: np.ndarray, upper: np.ndarray, offset: float,
                   row_lower: np.ndarray, row_upper: np.ndarray, start: np.ndarray,
                   index: np.ndarray, value: np.ndarray,
                   lower: np.ndarray | None = None) -> highspy.HighsLp:
    """A HiGHS LP from column-wise (CSC) arrays, columns from ``lower`` (None: 0,
    non-negative) to ``upper``; ±inf bounds become HiGHS's infinity, repeated
    (row, column) entries are summed."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(cost)) if lower is None else np.clip(
        lower, -INF, INF)
    lp.col_upper_ = np.clip(upper, -INF, INF)
    lp.offset_ = offset
    lp.row_lower_ = np.clip(row_lower, -INF, INF)
    lp.row_upper_ = np.clip(row_upper, -INF, INF)
    if is_canonical(start, index):
        store_arrays(lp, start, index, value)
    else:
        import scipy.sparse as sp  # noqa: PLC0415

        store_matrix(lp, sp.csc_matrix((value, index, start),
                                       shape=(len(row_lower), len(cost))))
    return lp


def is_canonical(start: np.ndarray, index: np.ndarray) -> bool:
    """Every column's rows strictly increasing (sorted, no (row, column) twice):
    the column-wise arrays are already what ``store_matrix`` would make of them."""
    if len(index) < 2:
        return True
    step = np.diff(index)
    first = np.asarray(start[1:-1])  # each later column's first entry
    first = first[(first > 0) & (first < len(index))]
    ordered = step > 0
    ordered[first - 1] = True  # a new column may start at any row
    return bool(ordered.all())


def store_arrays(lp: highspy.HighsLp, start: np.ndarray, index: np.ndarray,
                 value: np.ndarray) -> None:
    """Put canonical column-wise arrays (``is_canonical``) into ``lp`` as they are."""
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(start).astype(np.int32, copy=False)
    lp.a_matrix_.index_ = np.asarray(index).astype(np.int32, copy=False)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)


def store_matrix(lp: highspy.HighsLp, a: sp.csc_matrix) -> None:
    """Put ``a`` into ``lp`` column-wise with one entry per (row, column).

    Repeated (row, column) entries are summed into one (column j holding (row i,
    -1.0) and (row i, 0.95) becomes (row i, -0.05)): HiGHS's ``passModel`` rejects
    repeats. The constraint families emit one entry per pair already (a process
    that takes in and gives out the same commodity has its net coefficient,
    ``model.data.indices.net_process_io``); a matrix in canonical form is stored
    as it is.
    """
    a.sum_duplicates()  # also sorts each column's rows; a no-op when canonical
    store_arrays(lp, a.indptr, a.indices, a.data)


@dataclass
class Solution:
    """Optimal values by variable family (row positions of the index frames) and
    duals by constraint family (row ``k`` of a family is ``rows[family]``'s row k)."""

    objective: float
    values: dict[str, np.ndarray]
    row_duals: dict[str, np.ndarray]
    col_duals: dict[str, np.ndarray]
    rows: dict[str, RowBlock] = field(default_factory=dict)
    status: str = "optimal"
    seconds: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    column_values: np.ndarray | None = None  # every LP column, in LP order


@dataclass
class Infeasibility:
    """An irreducible infeasible subset: rows and column bounds of the LP, and for
    each row the columns it involves."""

    rows: list[int]
    columns: list[int]
    row_columns: list[np.ndarray]
