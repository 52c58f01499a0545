"""Warm re-solves: one HiGHS instance per scenario, kept between sweep samples.

A sweep solves the same scenario's LP again and again with other numbers. The
first LP of a scenario (the *reference*, the case with no draws applied) is solved
cold and its HiGHS instance kept with its optimal basis. A later LP with the same
structure (same columns, rows and matrix pattern) is not passed again: its changed
costs, bounds, right-hand sides and coefficients are written into the kept
instance in place (``changeColsCost``, ``changeColsBounds``, ``changeRowsBounds``,
``changeCoeff``), the reference basis is set, and HiGHS re-solves with
``warm_method`` (dual simplex by default). A re-solve starts from the scenario's
reference basis, or, where ``starts`` says so, from another scenario's optimum of
the same sample (model/solver/starts.py, chosen once per worker by a probe
sample); never from the previous sample's, so a sample's result does not depend
on which samples the worker solved before it. An LP of another structure is
solved cold, as ``highs.solve`` does.

A warm run that ends without an answer for a reason of HiGHS's own (model status
``Unknown`` or a solver error: numerical trouble from the kept basis, how often in
docs/sweeps.md) is solved again cold, as a cold sweep would solve it; the count is
``counts["cold after warm"]``. An infeasible or unbounded LP, or a time or
iteration limit, is the LP's answer or the user's limit, and is not retried. A
failed run leaves the kept instance holding the sample's LP (the lexicographic
stage's row and costs undone), so the next sample's numbers are written into the
LP they were diffed against.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import highspy
import numpy as np

from model.errors import SolveError
from model.solver.highs import (
    check_held,
    make_highs,
    read_solution,
    require_ok,
    run_highs,
    run_lexicographic,
    set_option,
    solve,
)
from model.solver.records import LinearProgram, Solution, SolveOptions, column_wise_lp
from model.solver.scaling import warn_parts
from model.solver.starts import LpKeys, Probe, StartMap
from model.timing import PhaseTimer

log = logging.getLogger(__name__)

WARM_METHOD = "simplex"  # HiGHS restarts the simplex from a basis; IPX cannot
# the HiGHS options of a warm re-solve: dual simplex won over primal (12x the CPU)
# and the previous sample's basis; presolve makes no difference from a basis
# (bench/warm_methods.py; docs/performance.md has the table)
WARM_OPTIONS: dict[str, object] = {"simplex_strategy": 1, "presolve": "on"}
# model statuses of a warm run that a cold solve of the same LP settles
UNSETTLED = frozenset({highspy.HighsModelStatus.kUnknown,
                       highspy.HighsModelStatus.kSolveError})


@dataclass
class LpArrays:
    """The numbers of a ``HighsLp`` as numpy arrays (column-wise matrix)."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    offset: float

    @classmethod
    def of(cls, lp: highspy.HighsLp) -> LpArrays:
        matrix = lp.a_matrix_
        return cls(*(np.array(a, dtype=float) for a in (
            lp.col_cost_, lp.col_lower_, lp.col_upper_, lp.row_lower_,
            lp.row_upper_)), np.array(matrix.start_, dtype=np.int64),
            np.array(matrix.index_, dtype=np.int64),
            np.array(matrix.value_, dtype=float), float(lp.offset_))

    def lp(self) -> highspy.HighsLp:
        """A ``HighsLp`` holding these numbers."""
        return column_wise_lp(self.cost, self.col_upper, self.offset, self.row_lower,
                              self.row_upper, self.start, self.index, self.value,
                              self.col_lower)

    def parts(self) -> dict[str, np.ndarray]:
        """The numbers by kind, as ``scaling.coefficient_ranges`` reads them."""
        return {"matrix": self.value, "cost": self.cost,
                "bound": np.concatenate([self.col_lower, self.col_upper]),
                "rhs": np.concatenate([self.row_lower, self.row_upper])}

    def same_structure(self, other: LpArrays) -> bool:
        """Same columns, rows and matrix pattern: ``other`` can replace ``self``
        in place."""
        return (len(self.cost) == len(other.cost)
                and len(self.row_lower) == len(other.row_lower)
                and np.array_equal(self.start, other.start)
                and np.array_equal(self.index, other.index))


@dataclass
class _Held:
    highs: highspy.Highs
    arrays: LpArrays  # the LP the instance holds now
    basis: highspy.HighsBasis  # the reference optimum's basis


@dataclass
class WarmStarts:
    """The kept HiGHS instances of one worker, by scenario."""

    warm_method: str = WARM_METHOD
    counts: dict[str, int] = field(default_factory=lambda: {
        "warm": 0, "cold": 0, "cold after warm": 0})
    # scenario: the scenario whose optimum of the same sample it starts from
    starts: dict[str, str] = field(default_factory=dict)
    # warm re-solves by start: its own reference basis, another scenario's optimum
    start_counts: dict[str, int] = field(default_factory=lambda: {
        "reference": 0, "another scenario": 0})
    probe: Probe | None = None  # set while a probe sample is solved
    _held: dict[str, _Held] = field(default_factory=dict)
    _keys: dict[str, LpKeys] = field(default_factory=dict)
    _maps: dict[tuple[str, str], StartMap] = field(default_factory=dict)
    _optima: dict[str, highspy.HighsBasis] = field(default_factory=dict)

    def holds(self, scenario: str) -> bool:
        return scenario in self._held

    def begin_sample(self) -> None:
        """Forget the optima of the sample before: a start is taken only from the
        same sample's."""
        self._optima.clear()

    def keep_reference(self, program: LinearProgram, scenario: str,
                       options: SolveOptions, clock: PhaseTimer | None = None,
                       lexicographic: np.ndarray | None = None) -> Solution:
        """Solve ``program`` cold and keep its instance and optimal basis as the
        start of the scenario's later solves."""
        assert program.lp is not None
        arrays = LpArrays.of(program.lp)
        h = _passed(program, scenario, options)
        program.lp = None
        _run(h, scenario, options, lexicographic)
        self._held[scenario] = _Held(h, arrays, h.getBasis())
        self._keys[scenario] = LpKeys.of(program, len(arrays.cost),
                                         len(arrays.row_lower))
        return read_solution(h, program, scenario)

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer | None = None,
              lexicographic: np.ndarray | None = None,
              arrays: LpArrays | None = None) -> Solution:
        """``highs.solve`` of ``program``, warm when the scenario's kept instance
        has the same structure. ``arrays``: the LP's numbers when ``program.lp``
        is None (a sample written from the kept reference, model/sweep/patch.py)."""
        clock = clock or PhaseTimer()
        held = self._held.get(scenario)
        if arrays is None:
            assert program.lp is not None
            arrays = LpArrays.of(program.lp)
        if held is None or not held.arrays.same_structure(arrays):
            self.counts["cold"] += 1
            if program.lp is None:
                program.lp = arrays.lp()
            return solve(program, scenario, options, clock, lexicographic)
        self.counts["warm"] += 1
        with clock.phase("translate"):
            warn_parts(arrays.parts(), scenario)
            _change(held.highs, held.arrays, arrays, scenario)
            held.arrays = arrays
            size = {"variables": len(arrays.cost), "constraints": len(arrays.row_lower),
                    "nonzeros": len(arrays.value)}
            program.lp = None
            require_ok(held.highs.setBasis(self._start(scenario, arrays)), "setBasis",
                       scenario)
            set_option(held.highs, "solver", self.warm_method, scenario)
            for key, value in WARM_OPTIONS.items():
                set_option(held.highs, key, value, scenario)
        try:
            with clock.phase("solve"):
                _run(held.highs, scenario, options, lexicographic)
        except Unsettled as unsettled:
            log.info("scenario '%s': the warm re-solve stopped (%s); solved again "
                     "cold", scenario, unsettled.condition)
            self.counts["cold after warm"] += 1
            program.lp = arrays.lp()
            return solve(program, scenario, options, clock, lexicographic)
        with clock.phase("extract"):
            solution = read_solution(held.highs, program, scenario)
        optimum = (held.highs.getBasis() if self.probe is not None
                   or scenario in self.starts.values() else None)
        if self.probe is not None and lexicographic is None:
            self._try_starts(scenario, arrays)  # before its own optimum is kept
        if optimum is not None:
            self._optima[scenario] = optimum
        solution.seconds, solution.peak_mb = dict(clock.seconds), dict(clock.peak_mb)
        solution.size, solution.cpu_seconds = size, dict(clock.cpu_seconds)
        return solution

    def _start(self, scenario: str, arrays: LpArrays) -> highspy.HighsBasis:
        """The basis a warm re-solve of ``scenario`` starts from: its ``starts``
        scenario's optimum of this sample, mapped onto its LP, if that scenario
        was solved warm in this sample; else its reference basis."""
        source = self.starts.get(scenario)
        if source is None or source not in self._optima:
            self.start_counts["reference"] += 1
            return self._held[scenario].basis
        self.start_counts["another scenario"] += 1
        return self._from(source, scenario, arrays)

    def _from(self, source: str, scenario: str, arrays: LpArrays
              ) -> highspy.HighsBasis:
        """``source``'s optimum of this sample as a start of ``scenario``'s LP."""
        key = (scenario, source)
        if key not in self._maps:
            self._maps[key] = StartMap.between(self._keys[scenario], self._keys[source])
        return self._maps[key].basis(self._optima[source], arrays.col_lower,
                                     arrays.col_upper, arrays.row_lower,
                                     arrays.row_upper)

    def _try_starts(self, scenario: str, arrays: LpArrays) -> None:
        """For the probe: the simplex iterations of ``scenario``'s LP, solved just
        now from its reference basis, and again from the optimum of each scenario
        solved before it in this sample (each try stopped once it needs more
        iterations than the first)."""
        assert self.probe is not None
        h = self._held[scenario].highs
        own = int(h.getInfo().simplex_iteration_count)
        self.probe.iterations[(scenario, "")] = own
        set_option(h, "simplex_iteration_limit", own, scenario)
        try:
            for source in sorted(self._optima):
                self.probe.iterations[(scenario, source)] = own + 1
                require_ok(h.setBasis(self._from(source, scenario, arrays)),
                           "setBasis", scenario)
                h.run()
                if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                    self.probe.iterations[(scenario, source)] = int(
                        h.getInfo().simplex_iteration_count)
        finally:  # HiGHS's default: no limit (a run sets none)
            set_option(h, "simplex_iteration_limit", highspy.kHighsIInf, scenario)


def _passed(program: LinearProgram, scenario: str, options: SolveOptions
            ) -> highspy.Highs:
    lp = program.lp
    assert lp is not None
    h = make_highs(options, scenario, lp.num_col_)
    require_ok(h.passModel(lp), "passModel", scenario)
    check_held(h, {"variables": lp.num_col_, "constraints": lp.num_row_}, scenario)
    return h


class Unsettled(SolveError):
    """A run HiGHS ended unsettled (``UNSETTLED``), which a cold solve settles."""


def _run(h: highspy.Highs, scenario: str, options: SolveOptions,
         lexicographic: np.ndarray | None) -> None:
    """Solve; SolveError without an optimum (``Unsettled`` for ``UNSETTLED``).

    The lexicographic stage's extra row is removed afterwards, and when a stage
    fails its costs are restored too, so the instance holds the LP it was given."""
    rows = h.getNumRow()
    cost = (None if lexicographic is None
            else np.array(h.getLp().col_cost_, dtype=float))
    try:
        if lexicographic is None:
            run_highs(h, scenario, options)
        else:
            run_lexicographic(h, lexicographic, scenario, options)
    except SolveError as error:
        unsettled = h.getModelStatus() in UNSETTLED
        if cost is not None:  # a stage failed: its row and costs undone
            _drop_added_row(h, rows, scenario)
            require_ok(h.changeColsCost(len(cost), np.arange(len(cost),
                                                             dtype=np.int32),
                                        cost), "changeColsCost", scenario)
        if unsettled:
            raise Unsettled(error.scenario, error.condition, error.detail) from None
        raise
    _drop_added_row(h, rows, scenario)


def _drop_added_row(h: highspy.Highs, rows: int, scenario: str) -> None:
    """Delete the row the lexicographic stage added after the first ``rows``."""
    if h.getNumRow() > rows:
        require_ok(h.deleteRows(1, np.array([rows], dtype=np.int32)), "deleteRows",
                   scenario)


def _change(h: highspy.Highs, held: LpArrays, new: LpArrays, scenario: str) -> None:
    """Write into ``h`` (holding ``held``) the numbers of ``new``, same structure."""
    cols = np.flatnonzero(new.cost != held.cost).astype(np.int32)
    if len(cols):
        require_ok(h.changeColsCost(len(cols), cols, new.cost[cols]),
                   "changeColsCost", scenario)
    cols = np.flatnonzero((new.col_lower != held.col_lower)
                          | (new.col_upper != held.col_upper)).astype(np.int32)
    if len(cols):
        require_ok(h.changeColsBounds(len(cols), cols, new.col_lower[cols],
                                      new.col_upper[cols]), "changeColsBounds",
                   scenario)
    rows = np.flatnonzero((new.row_lower != held.row_lower)
                          | (new.row_upper != held.row_upper)).astype(np.int32)
    if len(rows):
        require_ok(h.changeRowsBounds(len(rows), rows, new.row_lower[rows],
                                      new.row_upper[rows]), "changeRowsBounds",
                   scenario)
    entries = np.flatnonzero(new.value != held.value)
    if len(entries):
        column = np.repeat(np.arange(len(new.start) - 1), np.diff(new.start))
        for e in entries:
            require_ok(h.changeCoeff(int(new.index[e]), int(column[e]),
                                     float(new.value[e])), "changeCoeff", scenario)
    if new.offset != held.offset:
        require_ok(h.changeObjectiveOffset(new.offset), "changeObjectiveOffset",
                   scenario)


__all__ = ["UNSETTLED", "WARM_METHOD", "WARM_OPTIONS", "LpArrays", "Unsettled",
           "WarmStarts"]
