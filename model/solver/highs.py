"""HiGHS set-up and runs: a ``LinearProgram`` in, a ``Solution`` out.

One ``passModel`` per scenario (see docs/performance.md); a non-optimal outcome
becomes ``SolveError`` (exit 3), and an infeasible one carries an irreducible
infeasible subset (IIS) of the LP for the explanation (``model.diagnose``).

The LP is checked where it enters HiGHS: its matrix has one entry per (row, column)
(``records.store_matrix`` sums repeats), the status of every HiGHS call is checked
(``require_ok``), and a model HiGHS does not hold in full is never taken as solved
(``check_held``).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import highspy
import numpy as np

from model.errors import SolveError
from model.solver.method import method_for
from model.solver.records import (
    INF,
    Infeasibility,
    LinearProgram,
    Solution,
    SolveOptions,
)
from model.solver.scaling import warn_scaling
from model.timing import PhaseTimer

log = logging.getLogger(__name__)
T = TypeVar("T")
_BANNER_LOCK = threading.Lock()
_banner_shown = False  # True once the process's first instance is made
IIS_STRATEGY = 2  # HiGHS: IIS from the whole LP
LEXICOGRAPHIC_SLACK = 1e-7  # stage 2 may exceed the least shortfall by this fraction

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


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance; the library's banner, printed by the first instance
    of the process only, is kept off stdout. Only that first construction redirects
    file descriptor 1 (under a lock): a later one from a solver thread
    (model/scenario_schedule.py) must not swallow a line the main thread prints."""
    global _banner_shown  # noqa: PLW0603  (one flag for the process)
    with _BANNER_LOCK:
        h = highspy.Highs() if _banner_shown else _without_stdout(highspy.Highs)
        _banner_shown = True
    set_option(h, "output_flag", False)
    return h


def _without_stdout(make: Callable[[], T]) -> T:
    """``make()`` with file descriptor 1 pointed at /dev/null."""
    if sys.stdout is not None:  # None when Python started with stdout closed
        sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def make_highs(options: SolveOptions, scenario: str = "", columns: int = 0
               ) -> highspy.Highs:
    """A quiet HiGHS instance with the chosen algorithm (``auto``: by the LP's
    ``columns``, ``model.solver.method``) and limits; SolveError naming the
    option if HiGHS rejects one."""
    h = new_highs()
    set_option(h, "solver", method_for(options.method, columns), scenario)
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


def solve(program: LinearProgram, scenario: str, options: SolveOptions,
          clock: PhaseTimer | None = None,
          lexicographic: np.ndarray | None = None) -> Solution:
    """Pass ``program`` to HiGHS, solve it and read the solution arrays.

    Phases timed on ``clock``: ``translate`` (scaling check + passModel), ``solve``
    and ``extract``. The LP arrays are dropped once HiGHS holds its copy.
    ``lexicographic``: columns whose cost is minimised first (see
    ``run_lexicographic``).
    """
    clock = clock or PhaseTimer()
    with clock.phase("translate"):
        warn_scaling(program.lp, scenario)
        h = make_highs(options, scenario, program.lp.num_col_)
        require_ok(h.passModel(program.lp), "passModel", scenario)
        size = {"variables": program.lp.num_col_, "constraints": program.lp.num_row_,
                "nonzeros": len(program.lp.a_matrix_.value_)}
        check_held(h, size, scenario)
        program.lp = None  # HiGHS holds its own copy
    with clock.phase("solve"):
        if lexicographic is not None:
            run_lexicographic(h, lexicographic, scenario, options)
        else:
            run_highs(h, scenario, options)
    with clock.phase("extract"):
        solution = read_solution(h, program, scenario)
    solution.seconds, solution.peak_mb, solution.size = (dict(clock.seconds),
                                                         dict(clock.peak_mb), size)
    solution.cpu_seconds = dict(clock.cpu_seconds)
    return solution


def run_lexicographic(h: highspy.Highs, columns: np.ndarray, scenario: str,
                      options: SolveOptions | None = None) -> None:
    r"""Two solves: least cost of ``columns`` first, then least cost at that level.

    Stage 1 keeps only the costs of ``columns`` (the shortfall: df_y x penalty, so
    commodities are still weighed against each other) and minimises them: z_1^*.
    Stage 2 adds the row \sum_i w_i x_i \le z_1^* (1 + \epsilon) + \epsilon,
    restores every cost and solves again; the duals are those of stage 2.
    """
    lp = h.getLp()
    cost = np.asarray(lp.col_cost_, dtype=float)
    columns = columns[columns >= 0].astype(np.int32)
    weights = cost[columns]
    stage_one = np.zeros_like(cost)
    stage_one[columns] = weights
    everything = np.arange(len(cost), dtype=np.int32)
    require_ok(h.changeColsCost(len(cost), everything, stage_one), "changeColsCost",
               scenario)
    run_highs(h, scenario, options)
    least = float(weights @ np.asarray(h.getSolution().col_value)[columns])
    bound = least * (1 + LEXICOGRAPHIC_SLACK) + LEXICOGRAPHIC_SLACK
    require_ok(h.addRow(-INF, bound, len(columns), columns, weights), "addRow",
               scenario)
    require_ok(h.changeColsCost(len(cost), everything, cost), "changeColsCost",
               scenario)
    run_highs(h, scenario, options)


def run_highs(h: highspy.Highs, scenario: str,
              options: SolveOptions | None = None) -> None:
    """``h.run()``; SolveError unless HiGHS reached the optimum. The model status
    says why first (infeasible, time limit, solver error ...), then an error of the
    call that HiGHS did not express as a model status."""
    status = h.run()
    check_status(h, scenario, options)
    require_ok(status, "run", scenario)


def check_status(h: highspy.Highs, scenario: str,
                 options: SolveOptions | None = None) -> None:
    """Raise SolveError with the reason when HiGHS did not reach the optimum.

    An empty LP (nothing to decide: no demand, no capacity) is optimal at its
    constant cost. An infeasible LP's error carries an IIS (``infeasibility``).
    """
    status = h.getModelStatus()
    done = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty)
    if status in done:
        return
    text = _STATUS_TEXT.get(status)
    if text is None:
        text = f"numerical trouble or solver error ({h.modelStatusToString(status)})"
    error = SolveError(scenario, text, _status_detail(status))
    if status == highspy.HighsModelStatus.kInfeasible:
        error.infeasibility = infeasible_subset(h.getLp(), options)
    raise error


def _status_detail(status: object) -> str:
    if status == highspy.HighsModelStatus.kTimeLimit:
        return "raise --time-limit or simplify the case"
    if status == highspy.HighsModelStatus.kInfeasible:
        return "some constraints contradict each other"
    if status in (highspy.HighsModelStatus.kUnbounded,
                  highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "a cost is negative or a quantity has no limit"
    return ""


def read_solution(h: highspy.Highs, program: LinearProgram, scenario: str = ""
                  ) -> Solution:
    """Values and reduced costs per variable family, duals per constraint family."""
    sol = h.getSolution()
    if h.getNumCol() and not (sol.value_valid and sol.dual_valid):
        raise SolveError(scenario, "HiGHS reported the optimum but no solution values")
    col_value = np.asarray(sol.col_value, dtype=float)
    col_dual = np.asarray(sol.col_dual, dtype=float)
    row_dual = np.asarray(sol.row_dual, dtype=float)
    return Solution(
        objective=float(h.getInfo().objective_function_value),
        values={f: _take(col_value, c) for f, c in program.column_of.items()},
        row_duals={name: row_dual[block.rows] for name, block in program.rows.items()},
        col_duals={f: _take(col_dual, c) for f, c in program.column_of.items()},
        rows=dict(program.rows),
        column_values=col_value,
    )


def _take(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    out = np.zeros(len(positions))
    present = positions >= 0
    out[present] = array[positions[present]]
    return out


def highs_iis(lp: highspy.HighsLp, options: SolveOptions | None = None
              ) -> tuple[list[int], list[int]] | None:
    """(row positions, column positions) of an IIS of ``lp``, or None.

    The instance gets the run's options (threads above all: HiGHS's scheduler is
    set once per process, and a different thread count makes a solve fail)."""
    h = make_highs(options or SolveOptions())
    if highspy.HighsStatus.kError in (h.setOptionValue("iis_strategy", IIS_STRATEGY),
                                      h.passModel(lp)):
        return None
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        return None
    return list(iis.row_index_), list(iis.col_index_)


def infeasible_subset(lp: highspy.HighsLp, options: SolveOptions | None = None
                      ) -> Infeasibility:
    """The IIS of ``lp`` with the columns of each of its rows (empty if none)."""
    found = highs_iis(lp, options)
    if found is None:
        return Infeasibility([], [], [])
    rows, columns = found
    start = np.asarray(lp.a_matrix_.start_)
    index = np.asarray(lp.a_matrix_.index_)
    column_of_entry = np.repeat(np.arange(lp.num_col_), np.diff(start))
    row_columns = [column_of_entry[index == r] for r in rows]
    return Infeasibility(rows, columns, row_columns)


def solve_apart(lp: highspy.HighsLp) -> np.ndarray | None:
    """Column values of an optimum of a small LP solved apart from any scenario
    (input validation), or None if HiGHS finds none.

    HiGHS sizes one thread scheduler per process at its first run and a later
    solve asking for another thread count fails: this leaves none behind."""
    h = new_highs()
    h.setOptionValue("threads", 0)  # use the scheduler as it is, whatever its size
    try:
        if (h.passModel(lp) != highspy.HighsStatus.kOk
                or h.run() == highspy.HighsStatus.kError
                or h.getModelStatus() != highspy.HighsModelStatus.kOptimal):
            return None
        return np.asarray(h.getSolution().col_value, dtype=float)
    finally:
        highspy.Highs.resetGlobalScheduler(True)


def highs_version() -> str:
    """The HiGHS library's version and git hash."""
    h = new_highs()
    return f"{h.version()} ({h.githash()})"
