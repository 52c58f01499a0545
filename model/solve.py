"""The only module that talks to the solver: Pyomo model → HiGHS → solution arrays.

The model is compiled to matrix form with Pyomo's ``LinearStandardFormCompiler`` and
passed to HiGHS in one ``passModel`` call (the fastest Pyomo route measured, see
docs/performance.md). Non-optimal outcomes become ``SolveError`` (exit 3).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from model.errors import SolveError

FAMILIES = ("act", "build", "flow", "short", "surplus", "release", "stock")
LIMIT_ROWS = ("capacity_limit", "expansion_total", "reserve_limit", "export_quota")
INF = highspy.kHighsInf

_STATUS_TEXT = {
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "unbounded or infeasible",
    highspy.HighsModelStatus.kTimeLimit: "time limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kMemoryLimit: "memory limit",
}


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings (recorded in run.json)."""

    method: str = "ipx"
    time_limit: float | None = None
    threads: int = 1
    presolve: str = "on"

    def as_dict(self) -> dict[str, object]:
        return {"method": self.method, "time_limit": self.time_limit,
                "threads": self.threads, "presolve": self.presolve}


@dataclass
class Solution:
    """Optimal values by variable family (row positions of the index frames)."""

    objective: float
    values: dict[str, np.ndarray]
    balance_duals: np.ndarray
    status: str = "optimal"
    seconds: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    row_duals: dict[str, np.ndarray] = field(default_factory=dict)
    col_duals: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class CompiledLP:
    """The LP in matrix form plus the map from model components to columns/rows."""

    lp: highspy.HighsLp
    offset: float
    column_of: dict[str, np.ndarray]
    balance_rows: np.ndarray
    row_of: dict[str, np.ndarray] = field(default_factory=dict)


def compile_model(m: pyo.ConcreteModel) -> CompiledLP:
    """Matrix form of ``m`` ready for HiGHS."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    columns = info.columns
    n_cols = len(columns)
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(info.rows)
    lp.col_cost_ = np.asarray(info.c.toarray()[0] if info.c.shape[0] else
                              np.zeros(n_cols), dtype=float)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    lp.col_lower_ = np.array([_bound(v.lb, -INF) for v in columns], dtype=float)
    lp.col_upper_ = np.array([_bound(v.ub, INF) for v in columns], dtype=float)
    sense = np.array([r.bound_type for r in info.rows], dtype=int)
    rhs = np.asarray(info.rhs, dtype=float)
    lp.row_lower_ = np.where(sense == 1, -INF, rhs)
    lp.row_upper_ = np.where(sense == -1, INF, rhs)
    a = info.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    col_pos = {id(v): j for j, v in enumerate(columns)}
    column_of = {f: _positions(getattr(m, f), col_pos) for f in FAMILIES}
    row_pos = {id(r.constraint): i for i, r in enumerate(info.rows)}
    balance_rows = _positions(m.balance, row_pos)
    row_of = {c: _positions(getattr(m, c), row_pos)
              for c in LIMIT_ROWS if hasattr(m, c)}
    return CompiledLP(lp, lp.offset_, column_of, balance_rows, row_of)


def _bound(value: float | None, default: float) -> float:
    return default if value is None else float(value)


def _positions(component: object, position: dict[int, int]) -> np.ndarray:
    return np.fromiter((position.get(id(component[i]), -1)  # type: ignore[index]
                        for i in range(len(component))),  # type: ignore[arg-type]
                       dtype=np.int64, count=len(component))  # type: ignore[arg-type]


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance; the library's one-time banner is kept off stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def make_highs(options: SolveOptions) -> highspy.Highs:
    """A quiet HiGHS instance with the chosen algorithm and limits."""
    h = new_highs()
    h.setOptionValue("solver", options.method)
    h.setOptionValue("threads", options.threads)
    h.setOptionValue("presolve", options.presolve)
    h.setOptionValue("random_seed", 0)
    if options.time_limit is not None:
        h.setOptionValue("time_limit", float(options.time_limit))
    return h


def solve_model(m: pyo.ConcreteModel, scenario: str, options: SolveOptions) -> Solution:
    """Solve ``m`` with HiGHS; raise SolveError unless the optimum is found."""
    t0 = time.perf_counter()
    try:
        compiled = compile_model(m)
    except InfeasibleConstraintException as exc:
        raise SolveError(scenario, "infeasible", str(exc)) from None
    t1 = time.perf_counter()
    from model.diagnose import warn_scaling  # noqa: PLC0415  (diagnose imports solve)

    warn_scaling(compiled.lp, scenario)
    h = make_highs(options)
    h.passModel(compiled.lp)
    h.run()
    t2 = time.perf_counter()
    check_status(h, scenario)
    solution = _read_solution(h, compiled)
    solution.seconds = {"translate": t1 - t0, "solve": t2 - t1,
                        "extract": time.perf_counter() - t2}
    solution.size = {"variables": compiled.lp.num_col_,
                     "constraints": compiled.lp.num_row_,
                     "nonzeros": len(compiled.lp.a_matrix_.value_)}
    return solution


def check_status(h: highspy.Highs, scenario: str) -> None:
    """Raise SolveError with the reason when HiGHS did not reach the optimum."""
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return
    text = _STATUS_TEXT.get(status)
    if text is None:
        text = f"numerical trouble or solver error ({h.modelStatusToString(status)})"
    raise SolveError(scenario, text, _status_detail(status))


def _status_detail(status: object) -> str:
    if status == highspy.HighsModelStatus.kTimeLimit:
        return "raise --time-limit or simplify the case"
    if status == highspy.HighsModelStatus.kInfeasible:
        return "some constraints contradict each other"
    if status in (highspy.HighsModelStatus.kUnbounded,
                  highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "a cost is negative or a quantity has no limit"
    return ""


def _read_solution(h: highspy.Highs, compiled: CompiledLP) -> Solution:
    sol = h.getSolution()
    col_value = np.asarray(sol.col_value, dtype=float)
    row_dual = np.asarray(sol.row_dual, dtype=float)
    values = {f: _take(col_value, pos) for f, pos in compiled.column_of.items()}
    duals = _take(row_dual, compiled.balance_rows)
    objective = float(h.getInfo().objective_function_value)
    solution = Solution(objective, values, duals)
    solution.row_duals = {c: _take(row_dual, pos) for c, pos in compiled.row_of.items()}
    col_dual = np.asarray(sol.col_dual, dtype=float)
    solution.col_duals = {"build": _take(col_dual, compiled.column_of["build"])}
    return solution


def _take(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    out = np.zeros(len(positions))
    present = positions >= 0
    out[present] = array[positions[present]]
    return out
