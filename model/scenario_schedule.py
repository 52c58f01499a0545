"""The scenarios of a run, with HiGHS kept busy: up to ``at_once`` scenarios' LPs
are solved at the same time, each in a solver thread of its own, while the main
thread reads the tables of the scenarios solved before and builds the LP of the
next one.

HiGHS releases the interpreter lock while it solves (``Highs.run``), so on a
machine with two cores or more the build and the extraction cost no wall time
beyond the solves', and with ``at_once`` above one the solves themselves share
the cores, except where a scenario needs its comparator's extracted solution to
be built (foresight ``none`` pins its early decisions, ``pin_early_decisions``):
then its comparator's tables are read first, and a scenario that does not wait
goes before it if there is one. Every LP, solution and table is the same as
solved one after the other in one thread; only the order of the solves and how
the main thread's work interleaves with them differ. Each HiGHS instance is used
by one thread only, and HiGHS keeps a task scheduler per calling thread.

Every call to HiGHS that solves a scenario (and explains an infeasible one) runs
in a solver thread that lives as long as the run. An interrupted run (Ctrl-C,
SIGTERM, model/interrupts.py) unwinds in the main thread at once, removing its
temporary files; the process exits once the solves in progress return (a daemon
thread inside HiGHS at exit aborts the process, and HiGHS's interrupt callback
would take the interpreter lock at every iteration).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
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
THREAD_NAME = "reroute-highs"


class SolverThreads:
    """``count`` threads that run the calls given to ``submit``, each thread one
    call at a time, until ``close``."""

    def __init__(self, count: int = 1) -> None:
        self._tasks: queue.SimpleQueue[tuple[Callable[[], object], Future] | None] = (
            queue.SimpleQueue())
        self._threads = [
            threading.Thread(target=self._serve, name=THREAD_NAME if count == 1
                             else f"{THREAD_NAME}-{k + 1}") for k in range(count)]
        for thread in self._threads:
            thread.start()

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

    def close(self, wait: bool = False) -> None:
        """Let the threads end after the calls already given; ``wait``: until they
        have (only when none is running: a solve cannot be stopped; else the
        interpreter waits for them at exit). With them gone, the outputs may be
        written by a forked child (model/outputs/aside.py)."""
        for _ in self._threads:
            self._tasks.put(None)
        if wait:
            for thread in self._threads:
                thread.join()


def default_at_once(threads: int) -> int:
    """Scenarios solved at the same time by default: one per core this process may
    run on, each HiGHS solve using ``threads`` of them; at least one."""
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)
    return max(1, cores // threads)


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
        self.unread: list[Solved] = []
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
        """``solve_prepared`` (called in a solver thread), its wall seconds
        added to ``busy``."""
        start = time.perf_counter()
        try:
            return solve_prepared(self.case, name, prepared, self.options)
        finally:
            self.busy[name] += time.perf_counter() - start

    def read_unread(self) -> None:
        """Read the tables of the scenarios solved and not read yet."""
        while self.unread:
            solved = self.unread.pop(0)
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
            self.unread.append(outcome)
        if self.on_solved is not None:
            status = outcome.condition if isinstance(outcome, SolveError) else "optimal"
            self.on_solved(name, status, self.busy[name])


def solve_scenarios(case: Case, names: list[str], options: SolveOptions,
                    timer: PhaseTimer, on_solved: OnSolved | None = None,
                    at_once: int = 1
                    ) -> tuple[dict[str, ScenarioResult], list[SolveError]]:
    """Every scenario of ``names`` solved and read, HiGHS in ``at_once`` solver
    threads (up to that many scenarios solved at the same time); the results by
    name and the failures (SolveError) in the order they happened.
    ``on_solved(name, status, seconds)`` is told of each scenario when HiGHS is
    done with it (the wall seconds of its build and solve).

    The order is ``solving_order`` (every comparator before the scenarios that take
    its early decisions), except that a scenario waiting for its comparator's
    tables lets the next one that is not waiting go first, so that HiGHS is not
    left idle while those tables are read."""
    remaining = solving_order(case, names)
    run = Schedule(case, options, timer, on_solved)
    solvers = SolverThreads(at_once)
    solving: dict[str, tuple[PreparedScenario, Future[Solution]]] = {}
    try:
        while remaining or solving:
            _hand_over(run, solvers, remaining, solving, at_once)
            if not solving:  # what remains waits for tables solved and not read
                _read_for(run, remaining)
                continue
            run.read_unread()
            _work_ahead(run, remaining, at_once)
            _collect(run, solving)
        run.read_unread()
    finally:
        solvers.close(wait=not solving)
    return run.results, run.failures


def _ready(run: Schedule, remaining: list[str]) -> str | None:
    """The scenario to hand to HiGHS next: the one built ahead, else the first that
    can be built, else None."""
    for name in remaining:
        if name in run.ahead:
            return name
    return next((name for name in remaining if run.buildable(name)), None)


def _hand_over(run: Schedule, solvers: SolverThreads, remaining: list[str],
               solving: dict[str, tuple[PreparedScenario, Future[Solution]]],
               at_once: int) -> None:
    """Give the solver threads scenarios to solve until ``at_once`` are solving or
    none of ``remaining`` can be built; a build's SolveError is its outcome."""
    while len(solving) < at_once and (name := _ready(run, remaining)) is not None:
        remaining.remove(name)
        prepared = run.ahead.pop(name, None) or run.prepare(name)
        if isinstance(prepared, SolveError):
            run.done(name, prepared)
            continue
        solving[name] = (prepared, solvers.submit(
            lambda name=name, prepared=prepared: run.solve(name, prepared)))


def _read_for(run: Schedule, remaining: list[str]) -> None:
    """Read what is solved so that one of ``remaining`` can be built (every
    comparator is solved before the scenarios that wait for it)."""
    run.read_unread()
    if remaining and _ready(run, remaining) is None:
        raise RuntimeError(f"no scenario of {remaining} can be built: a comparator "
                           "is missing from the run")


def _work_ahead(run: Schedule, remaining: list[str], at_once: int) -> None:
    """While HiGHS solves: build the next scenario that can be built, or (all wait
    for a comparator being solved) make the data and index of the next few."""
    if run.ahead:
        return
    following = next((n for n in remaining if run.buildable(n)), None)
    if following is not None:
        run.ahead[following] = run.prepare(following)
        return
    for name in remaining[:at_once]:
        if name not in run.indexed:
            run.index(name)


def _collect(run: Schedule,
             solving: dict[str, tuple[PreparedScenario, Future[Solution]]]) -> None:
    """Wait until HiGHS is done with one of ``solving`` at least; record each done."""
    finished, _ = wait([future for _, future in solving.values()],
                       return_when=FIRST_COMPLETED)
    for name in [n for n, (_, future) in solving.items() if future in finished]:
        prepared, future = solving.pop(name)
        try:
            solution = future.result()
        except SolveError as exc:
            run.done(name, exc)
            continue
        run.done(name, Solved(prepared, solution))
