"""The only module that talks to the solver: LP in matrix form → HiGHS → solution.

The LP comes either from ``model.formulation.matrix.assemble`` (numpy, the default)
or from the Pyomo model compiled with ``LinearStandardFormCompiler``; both give the
same arrays in the same order and are passed to HiGHS in one ``passModel`` call
(see docs/performance.md). Non-optimal outcomes become ``SolveError`` (exit 3).

The LP is checked where it enters HiGHS: its matrix has one entry per (row, column)
(``model.formulation.matrix.store_matrix`` sums repeats), the status of every HiGHS
call is checked (``require_ok``), and a model HiGHS does not hold in full is never
taken as solved (``check_held``).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from model.errors import SolveError
from model.formulation.matrix import MatrixLP, store_matrix
from model.timing import PhaseTimer

FAMILIES = ("act", "build", "flow", "short", "surplus", "release", "stock")
LIMIT_ROWS = ("capacity_limit", "expansion_total", "reserve_limit", "export_quota")
INF = highspy.kHighsInf
log = logging.getLogger(__name__)

_STATUS_TEXT = {
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "unbounded or infeasible",
    highspy.HighsModelStatus.kTimeLimit: "time limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kMemoryLimit: "memory limit",
    highspy.HighsModelStatus.kNotset: "not solved (HiGHS stopped before solving)",
}


@dataclass(frozen=True)
class SolveOptions:
    """Solver settings (recorded in run.json)."""

    method: str = "ipx"
    time_limit: float | None = None
    threads: int = 1
    presolve: str = "on"
    builder: str = "numpy"  # or "pyomo": the same LP, built through Pyomo

    def as_dict(self) -> dict[str, object]:
        return {"method": self.method, "time_limit": self.time_limit,
                "threads": self.threads, "presolve": self.presolve,
                "builder": self.builder}


@dataclass
class Solution:
    """Optimal values by variable family (row positions of the index frames)."""

    objective: float
    values: dict[str, np.ndarray]
    balance_duals: np.ndarray
    status: str = "optimal"
    seconds: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    row_duals: dict[str, np.ndarray] = field(default_factory=dict)
    col_duals: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class CompiledLP:
    """The LP in matrix form plus the map from model components to columns/rows."""

    lp: highspy.HighsLp | None
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
    store_matrix(lp, info.A.tocsc())
    column_of = _component_positions(columns, [getattr(m, f) for f in FAMILIES])
    limits = [c for c in LIMIT_ROWS if hasattr(m, c)]
    balance_rows, *limit_rows = _component_positions(
        [r.constraint for r in info.rows],
        [m.balance] + [getattr(m, c) for c in limits])
    return CompiledLP(lp, lp.offset_, dict(zip(FAMILIES, column_of, strict=True)),
                      balance_rows, dict(zip(limits, limit_rows, strict=True)))


def _bound(value: float | None, default: float) -> float:
    return default if value is None else float(value)


def _component_positions(items: list[object], components: list[object]
                         ) -> list[np.ndarray]:
    """For each indexed component, the position in ``items`` of each of its data
    objects (in index order), -1 where absent."""
    position = {id(obj): j for j, obj in enumerate(items)}
    return [np.fromiter((position.get(id(obj), -1) for obj in comp.values()),
                        dtype=np.int64, count=len(comp))  # type: ignore[attr-defined]
            for comp in components]


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance; the library's one-time banner is kept off stdout."""
    if sys.stdout is not None:  # None when Python started with stdout closed
        sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    set_option(h, "output_flag", False)
    return h


def make_highs(options: SolveOptions, scenario: str = "") -> highspy.Highs:
    """A quiet HiGHS instance with the chosen algorithm and limits; SolveError
    naming the option if HiGHS rejects one."""
    h = new_highs()
    set_option(h, "solver", options.method, scenario)
    set_option(h, "threads", options.threads, scenario)
    set_option(h, "presolve", options.presolve, scenario)
    set_option(h, "random_seed", 0, scenario)
    if options.time_limit is not None:
        set_option(h, "time_limit", float(options.time_limit), scenario)
    return h


def set_option(h: highspy.Highs, name: str, value: object, scenario: str = "") -> None:
    """``h.setOptionValue(name, value)``, checked."""
    require_ok(h.setOptionValue(name, value), f"setOptionValue({name!r}, {value!r})",
               scenario, "HiGHS does not accept that value")


def require_ok(status: highspy.HighsStatus, call: str, scenario: str,
               detail: str = "an internal error; please report it") -> None:
    """Raise SolveError naming ``call`` if HiGHS returned an error.

    ``kWarning`` means HiGHS did what was asked and said something about it (for
    ``passModel``: matrix values below 1e-9 dropped, bounds beyond 1e20 taken as
    infinite); it is logged. After ``run`` a warning means the optimum was not
    reached, which ``check_status`` explains from the model status.
    """
    if status == highspy.HighsStatus.kOk:
        return
    if status == highspy.HighsStatus.kWarning:
        log.debug("scenario '%s': HiGHS %s returned a warning", scenario, call)
        return
    raise SolveError(scenario, f"HiGHS rejected {call}", detail)


def check_held(h: highspy.Highs, size: dict[str, int], scenario: str) -> None:
    """Raise SolveError unless HiGHS holds every column and row that was passed:
    a rejected or truncated model is never solved as if it were the LP."""
    held = {"variables": h.getNumCol(), "constraints": h.getNumRow()}
    if any(held[k] != size[k] for k in held):
        raise SolveError(scenario, "HiGHS does not hold the model passed to it",
                         f"passed {size['variables']} columns and {size['constraints']}"
                         f" rows, it holds {held['variables']} and "
                         f"{held['constraints']}")


def solve_lp(lp: pyo.ConcreteModel | MatrixLP, scenario: str, options: SolveOptions,
             lexicographic: bool = False) -> Solution:
    """Solve the LP built by ``assemble`` (numpy) or ``build_model`` (Pyomo)."""
    if isinstance(lp, MatrixLP):
        return solve_compiled(lp, scenario, options, lexicographic=lexicographic)
    return solve_model(lp, scenario, options, lexicographic)


def solve_model(m: pyo.ConcreteModel, scenario: str, options: SolveOptions,
                lexicographic: bool = False) -> Solution:
    """Solve the Pyomo model ``m`` with HiGHS; raise SolveError unless optimal.

    Phases (seconds and peak memory in the returned Solution): ``translate``
    (standard form + passModel), ``solve`` (HiGHS run) and ``extract`` (solution
    arrays). The matrix copy is dropped once HiGHS holds the model.
    """
    clock = PhaseTimer()
    with clock.phase("translate"):
        try:
            compiled = compile_model(m)
        except InfeasibleConstraintException as exc:
            raise SolveError(scenario, "infeasible", str(exc)) from None
    return solve_compiled(compiled, scenario, options, clock, lexicographic)


def solve_compiled(compiled: CompiledLP | MatrixLP, scenario: str,
                   options: SolveOptions, clock: PhaseTimer | None = None,
                   lexicographic: bool = False) -> Solution:
    """Pass an LP in matrix form to HiGHS, solve it and read the solution arrays.

    ``lexicographic``: least shortfall first, then least cost (see
    ``run_lexicographic``).
    """
    clock = clock or PhaseTimer()
    with clock.phase("translate"):
        from model.diagnose import warn_scaling  # noqa: PLC0415  (diagnose imports solve)

        warn_scaling(compiled.lp, scenario)
        h = make_highs(options, scenario)
        require_ok(h.passModel(compiled.lp), "passModel", scenario)
        size = {"variables": compiled.lp.num_col_, "constraints": compiled.lp.num_row_,
                "nonzeros": len(compiled.lp.a_matrix_.value_)}
        check_held(h, size, scenario)
        compiled.lp = None  # HiGHS holds its own copy
    with clock.phase("solve"):
        if lexicographic:
            run_lexicographic(h, compiled.column_of["short"], scenario)
        else:
            run_highs(h, scenario)
    with clock.phase("extract"):
        solution = _read_solution(h, compiled, scenario)
    solution.seconds, solution.peak_mb, solution.size = (dict(clock.seconds),
                                                         dict(clock.peak_mb), size)
    solution.cpu_seconds = dict(clock.cpu_seconds)
    return solution


LEXICOGRAPHIC_SLACK = 1e-7  # stage 2 may exceed the least shortfall by this fraction


def run_lexicographic(h: highspy.Highs, short_columns: np.ndarray, scenario: str
                      ) -> None:
    r"""Two solves: least penalty-weighted shortfall, then least cost at that level.

    Stage 1 keeps only the shortfall columns' costs (df_y x penalty, so commodities
    are still weighed against each other) and minimises them: z_1^*. Stage 2 adds
    the row \sum_i w_i short_i \le z_1^* (1 + \epsilon) + \epsilon, restores every
    cost and solves again; the balance duals are those of stage 2.
    """
    lp = h.getLp()
    cost = np.asarray(lp.col_cost_, dtype=float)
    columns = short_columns[short_columns >= 0].astype(np.int32)
    weights = cost[columns]
    stage_one = np.zeros_like(cost)
    stage_one[columns] = weights
    everything = np.arange(len(cost), dtype=np.int32)
    require_ok(h.changeColsCost(len(cost), everything, stage_one), "changeColsCost",
               scenario)
    run_highs(h, scenario)
    least = float(weights @ np.asarray(h.getSolution().col_value)[columns])
    bound = least * (1 + LEXICOGRAPHIC_SLACK) + LEXICOGRAPHIC_SLACK
    require_ok(h.addRow(-INF, bound, len(columns), columns, weights), "addRow",
               scenario)
    require_ok(h.changeColsCost(len(cost), everything, cost), "changeColsCost",
               scenario)
    run_highs(h, scenario)


def run_highs(h: highspy.Highs, scenario: str) -> None:
    """``h.run()``; SolveError unless HiGHS reached the optimum. The model status
    says why first (infeasible, time limit, solver error ...), then an error of the
    call that HiGHS did not express as a model status."""
    status = h.run()
    check_status(h, scenario)
    require_ok(status, "run", scenario)


def check_status(h: highspy.Highs, scenario: str) -> None:
    """Raise SolveError with the reason when HiGHS did not reach the optimum.

    An empty LP (nothing to decide: no demand, no capacity) is optimal at its
    constant cost.
    """
    status = h.getModelStatus()
    done = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
    if status in done:
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


def _read_solution(h: highspy.Highs, compiled: CompiledLP | MatrixLP,
                   scenario: str) -> Solution:
    sol = h.getSolution()
    if h.getNumCol() and not (sol.value_valid and sol.dual_valid):
        raise SolveError(scenario, "HiGHS reported the optimum but no solution values")
    col_value = np.asarray(sol.col_value, dtype=float)
    row_dual = np.asarray(sol.row_dual, dtype=float)
    values = {f: _take(col_value, pos) for f, pos in compiled.column_of.items()}
    duals = _take(row_dual, compiled.balance_rows)
    objective = float(h.getInfo().objective_function_value)
    solution = Solution(objective, values, duals)
    solution.row_duals = {c: _take(row_dual, pos)
                          for c, pos in limit_rows(compiled).items()}
    col_dual = np.asarray(sol.col_dual, dtype=float)
    solution.col_duals = {"build": _take(col_dual, compiled.column_of["build"])}
    return solution


def limit_rows(compiled: CompiledLP | MatrixLP) -> dict[str, np.ndarray]:
    """Row positions of the capacity, expansion, reserve and quota constraints."""
    if isinstance(compiled, MatrixLP):
        return {c: np.arange(first, first + count) for c, (first, count)
                in compiled.row_ranges.items() if c in LIMIT_ROWS}
    return compiled.row_of


def _take(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    out = np.zeros(len(positions))
    present = positions >= 0
    out[present] = array[positions[present]]
    return out
