"""One LP held by HiGHS and solved many times with other costs or row bounds.

The cost–shortfall frontier (``reroute frontier``) solves the same scenario LP
for many weightings of its two objectives and under added rows; HiGHS keeps the
model and its last basis between the solves, so each one starts warm.
"""

from __future__ import annotations

import highspy
import numpy as np

from model.errors import SolveError
from model.solver.highs import check_status, make_highs, read_solution, require_ok
from model.solver.records import INF, LinearProgram, Solution, SolveOptions

NOT_FEASIBLE = (highspy.HighsModelStatus.kInfeasible,)


class Session:
    """A ``LinearProgram`` passed once to HiGHS; ``minimise`` many times."""

    def __init__(self, program: LinearProgram, scenario: str,
                 options: SolveOptions) -> None:
        self.program, self.scenario, self.options = program, scenario, options
        self.h = make_highs(options, scenario, program.lp.num_col_)
        require_ok(self.h.passModel(program.lp), "passModel", scenario)
        self.n_col = program.lp.num_col_
        self.n_row = program.lp.num_row_
        self.solves = 0

    def add_rows(self, lower: np.ndarray, upper: np.ndarray, row: np.ndarray,
                 column: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """Append rows ``lower ≤ Σ coef · x[column] ≤ upper`` (the terms of row k
        where ``row == k``); return their positions."""
        order = np.argsort(row, kind="stable")
        starts = np.searchsorted(row[order], np.arange(len(lower)))
        require_ok(self.h.addRows(len(lower), np.clip(lower, -INF, INF),
                                  np.clip(upper, -INF, INF), len(order),
                                  starts.astype(np.int32),
                                  column[order].astype(np.int32),
                                  coef[order].astype(float)), "addRows",
                   self.scenario)
        first = self.n_row
        self.n_row += len(lower)
        return np.arange(first, self.n_row)

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray,
                       upper: np.ndarray) -> None:
        require_ok(self.h.changeRowsBounds(len(rows), rows.astype(np.int32),
                                           np.clip(lower, -INF, INF),
                                           np.clip(upper, -INF, INF)),
                   "changeRowsBounds", self.scenario)

    def minimise(self, cost: np.ndarray) -> np.ndarray | None:
        """Column values of an optimum of ``cost · x`` (the LP's offset aside), or
        None if the rows cannot all hold; SolveError for any other failure."""
        everything = np.arange(self.n_col, dtype=np.int32)
        require_ok(self.h.changeColsCost(self.n_col, everything,
                                         np.asarray(cost, dtype=float)),
                   "changeColsCost", self.scenario)
        self.h.run()
        self.solves += 1
        if self.h.getModelStatus() in NOT_FEASIBLE:
            return None
        check_status(self.h, self.scenario, self.options)
        values = np.asarray(self.h.getSolution().col_value, dtype=float)
        if len(values) != self.n_col:
            raise SolveError(self.scenario, "HiGHS reported the optimum but no "
                             "solution values")
        return values

    def solution(self) -> Solution:
        """The last optimum as a ``Solution`` keyed by family."""
        return read_solution(self.h, self.program, self.scenario)
