"""The scenarios of a run, with HiGHS kept busy: while one scenario's LP is solved
in the solver thread, the main thread reads the tables of the one solved before
and builds the LP of the one after.

HiGHS releases the interpreter lock while it solves (``Highs.run``), so on a
machine with two cores or more the build and the extraction cost no wall time
beyond the solves', except where a scenario needs its comparator's extracted
solution to be built (foresight ``none`` pins its early decisions,
``pin_early_decisions``): then its comparator's tables are read first, and a
scenario that does not wait goes before it if there is one. The scenarios are
solved one at a time and every LP, solution and table is the same as solved one
after the other in one thread; only the order of the solves and how the main
thread's work interleaves with them differ.

Every call to HiGHS that solves a scenario (and explains an infeasible one) runs
in one solver thread that lives as long as the run. An interrupted run (Ctrl-C,
SIGTERM, model/interrupts.py) unwinds in the main thread at once, removing its
temporary files; the process exits once the solve in progress returns (a daemon
thread inside HiGHS at exit aborts the process, and HiGHS's interrupt callback
would take the interpreter lock at every iteration).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from model.data.case import Case
from model.data.indices import LPIndex
from model.data.scenarios import ScenarioData
from model.errors import SolveError
from model.results.extract import ScenarioResult
from model.scenario_run import (
    PreparedScenario,
    comparator_of,
    finish_scenario,
    index_scenario,
    prepare_scenario,
    solve_prepared,
    solving_order,
)
from model.solver.records import Solution, SolveOptions
from model.timing import PhaseTimer

T = TypeVar("T")
OnSolved = Callable[[str, str, float], None]


class SolverThread:
    """One thread that runs the calls given to ``submit`` in turn, until ``close``."""

    def __init__(self) -> None:
        self._tasks: queue.SimpleQueue[tuple[Callable[[], object], Future] | None] = (
            queue.SimpleQueue())
        self._thread = threading.Thread(target=self._serve, name="reroute-highs")
        self._thread.start()

    def _serve(self) -> None:
        while (task := self._tasks.get()) is not None:
            call, future = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:  # noqa: BLE001  (handed to the waiter)
                future.set_exception(exc)

    def submit(self, call: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._tasks.put((call, future))
        return future

    def close(self) -> None:
        """Let the thread end after the calls already given (not waited for here: the
        interpreter waits for it at exit)."""
        self._tasks.put(None)


@dataclass
class Solved:
    """A scenario HiGHS has solved whose tables are not read yet."""

    prepared: PreparedScenario
    solution: Solution


class Schedule:
    """The state of one run's scenarios: built ahead (or failed to build),
    solved but not yet read, read (``results``) and failed (``failures``, in
    solving order); ``busy`` holds each scenario's wall seconds of building and
    solving."""

    def __init__(self, case: Case, options: SolveOptions, timer: PhaseTimer,
                 on_solved: OnSolved | None) -> None:
        self.case, self.options, self.timer = case, options, timer
        self.on_solved = on_solved
        self.results: dict[str, ScenarioResult] = {}
        self.failures: list[SolveError] = []
        self.failed: set[str] = set()
        self.ahead: dict[str, PreparedScenario | SolveError] = {}
        self.indexed: dict[str, tuple[ScenarioData, LPIndex]] = {}
        self.unread: Solved | None = None
        self.busy: dict[str, float] = {}

    def buildable(self, name: str) -> bool:
        """Whether ``name``'s LP can be built now: its comparator (if it takes one's
        early decisions) is read or has failed."""
        target = comparator_of(self.case, name)
        return (self.case.settings.foresight != "none" or target == name
                or target in self.results or target in self.failed)

    def prepare(self, name: str) -> PreparedScenario | SolveError:
        """``name``'s LP, or the SolveError that building it raised."""
        start = time.perf_counter()
        comparator = self.results.get(comparator_of(self.case, name))
        try:
            return prepare_scenario(self.case, name, self.options, self.timer,
                                    comparator, indexed=self.indexed.pop(name, None))
        except SolveError as exc:
            return exc
        finally:
            self.busy[name] = self.busy.get(name, 0.0) + time.perf_counter() - start

    def index(self, name: str) -> None:
        """Make ``name``'s data and index ahead (they need no comparator)."""
        start = time.perf_counter()
        self.indexed[name] = index_scenario(self.case, name, self.timer)
        self.busy[name] = time.perf_counter() - start

    def solve(self, name: str, prepared: PreparedScenario) -> Solution:
        """``solve_prepared`` (called in the solver thread), its wall seconds
        added to ``busy``."""
        start = time.perf_counter()
        try:
            return solve_prepared(self.case, name, prepared, self.options)
        finally:
            self.busy[name] += time.perf_counter() - start

    def read_unread(self) -> None:
        """Read the tables of the scenario solved last, if not read yet."""
        if self.unread is not None:
            solved, self.unread = self.unread, None
            result = finish_scenario(self.case, solved.prepared, solved.solution,
                                     self.timer)
            self.results[result.name] = result

    def done(self, name: str, outcome: Solved | SolveError) -> None:
        """Record ``name``'s outcome (solved, to be read; or failed) and tell
        ``on_solved``."""
        if isinstance(outcome, SolveError):
            self.failures.append(outcome)
            self.failed.add(name)
        else:
            self.unread = outcome
        if self.on_solved is not None:
            status = outcome.condition if isinstance(outcome, SolveError) else "optimal"
            self.on_solved(name, status, self.busy[name])


def solve_scenarios(case: Case, names: list[str], options: SolveOptions,
                    timer: PhaseTimer, on_solved: OnSolved | None = None
                    ) -> tuple[dict[str, ScenarioResult], list[SolveError]]:
    """Every scenario of ``names`` solved and read, HiGHS in the solver thread; the
    results by name and the failures (SolveError) in the order solved.
    ``on_solved(name, status, seconds)`` is told of each scenario when HiGHS is
    done with it (the wall seconds of its build and solve).

    The order is ``solving_order`` (every comparator before the scenarios that take
    its early decisions), except that a scenario waiting for its comparator's
    tables lets the next one that is not waiting go first, so that HiGHS is not
    left idle while those tables are read."""
    remaining = solving_order(case, names)
    run = Schedule(case, options, timer, on_solved)
    solver = SolverThread()
    try:
        while remaining:
            name = _next(run, remaining)
            remaining.remove(name)
            _solve_one(run, solver, name, remaining)
        run.read_unread()
    finally:
        solver.close()
    return run.results, run.failures


def _next(run: Schedule, remaining: list[str]) -> str:
    """The scenario to solve next: the one built ahead, else the first that can be
    built, else (its comparator solved just before, not read) the first once the
    last solved scenario is read."""
    for name in remaining:
        if name in run.ahead:
            return name
    for name in remaining:
        if run.buildable(name):
            return name
    run.read_unread()
    return next(name for name in remaining if run.buildable(name))


def _solve_one(run: Schedule, solver: SolverThread, name: str,
               remaining: list[str]) -> None:
    """Solve ``name`` in the solver thread; meanwhile read the scenario solved
    before it and build the next of ``remaining`` that can be built."""
    prepared = run.ahead.pop(name, None) or run.prepare(name)
    if isinstance(prepared, SolveError):
        run.done(name, prepared)
        return
    solving = solver.submit(lambda: run.solve(name, prepared))
    run.read_unread()
    following = next((n for n in remaining if run.buildable(n)), None)
    if following is not None:
        run.ahead[following] = run.prepare(following)
    elif remaining and remaining[0] not in run.indexed:
        run.index(remaining[0])  # its comparator is being solved: index it now
    try:
        solution = solving.result()
    except SolveError as exc:
        run.done(name, exc)
        return
    run.done(name, Solved(prepared, solution))
