"""Running independent tasks: in this process, in a local process pool, or on Dask.

A command hands an executor a *context* (what every task shares; sent once to
each worker process) and a list of *tasks*; context, tasks and outcomes are plain
picklable data, so no model or solver object crosses a process boundary. Every
executor calls ``on_outcome`` in the driver as each task finishes, in the order
they finish. Tasks that die with their worker are retried; a task still failing
after ``retries`` further attempts, or one that raises, is reported through
``on_lost`` with the reason.

``open(context)`` keeps the workers, and the context they hold, for several rounds
of tasks: a command whose later tasks depend on earlier outcomes (the bisection of
``reroute frontier``, the fixed plans of ``reroute hedge``) starts its workers once,
and each worker keeps what it built (a worker-level cache of the task function)
from one round to the next. ``run`` is one round.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

TaskFn = Callable[[Any, Any], Any]  # (context, task) -> outcome
KeyFn = Callable[[Any, Any], str]  # (context, task) -> a Dask key unique to it
OnOutcome = Callable[[Any], None]
OnLost = Callable[[Any, str], None]  # (task, reason)
RETRIES = 2


class Workers(Protocol):
    """Open workers that hold one context: run rounds of tasks on them."""

    def run(self, tasks: Sequence[Any], on_outcome: OnOutcome, on_lost: OnLost
            ) -> None: ...


class Executor(Protocol):
    """Runs tasks and reports each outcome in the driver."""

    name: str

    def open(self, context: Any) -> Any: ...  # a context manager giving Workers

    def run(self, context: Any, tasks: Sequence[Any], on_outcome: OnOutcome,
            on_lost: OnLost) -> None: ...


class _OneRound:
    """``run``: open, run one round of tasks, close."""

    def run(self, context: Any, tasks: Sequence[Any], on_outcome: OnOutcome,
            on_lost: OnLost) -> None:
        with self.open(context) as workers:  # type: ignore[attr-defined]
            workers.run(tasks, on_outcome, on_lost)


@dataclass
class SerialExecutor(_OneRound):
    """Every task in this process, in order (the reference for the others)."""

    task_fn: TaskFn
    name: str = "serial"

    @contextmanager
    def open(self, context: Any) -> Iterator[Workers]:
        yield _SerialWorkers(self.task_fn, context)


@dataclass
class _SerialWorkers:
    task_fn: TaskFn
    context: Any

    def run(self, tasks: Sequence[Any], on_outcome: OnOutcome, on_lost: OnLost
            ) -> None:
        for k, task in enumerate(tasks):
            try:
                outcome = self.task_fn(self.context, task)
            except Exception as exc:  # a crash of one task must not end the run
                log.debug("task %d failed", k, exc_info=True)
                on_lost(task, reason(exc))
                continue
            on_outcome(outcome)


_WORKER_CONTEXT: Any = None
_WORKER_FN: TaskFn | None = None


def _init_pool_worker(context: Any, task_fn: TaskFn) -> None:
    global _WORKER_CONTEXT, _WORKER_FN
    _WORKER_CONTEXT, _WORKER_FN = context, task_fn


def _pool_task(task: Any) -> Any:
    assert _WORKER_FN is not None
    return _WORKER_FN(_WORKER_CONTEXT, task)


def _pool_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """Fork server with the model preloaded: fresh, thread-free workers that start
    fast (plain ``fork`` would copy the driver's threads; ``spawn`` re-imports
    everything in every worker)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *preload])
    return context


@dataclass
class PoolExecutor(_OneRound):
    """A local pool of worker processes; the context is sent once per process.

    A worker that dies breaks the pool: the pool is rebuilt and the unfinished
    tasks are submitted again, each at most ``1 + retries`` times. ``preload``:
    modules the fork server imports once, so that workers start with them.
    """

    workers: int
    task_fn: TaskFn
    retries: int = RETRIES
    preload: tuple[str, ...] = ()
    name: str = "pool"

    @contextmanager
    def open(self, context: Any) -> Iterator[Workers]:
        workers = _PoolWorkers(self, context)
        try:
            yield workers
        finally:
            workers.close()


class _PoolWorkers:
    def __init__(self, spec: PoolExecutor, context: Any) -> None:
        self.spec, self.context = spec, context
        self.pool: cf.ProcessPoolExecutor | None = None

    def _pool(self) -> cf.ProcessPoolExecutor:
        if self.pool is None:
            self.pool = cf.ProcessPoolExecutor(
                self.spec.workers, mp_context=_pool_context(self.spec.preload),
                initializer=_init_pool_worker,
                initargs=(self.context, self.spec.task_fn))
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def run(self, tasks: Sequence[Any], on_outcome: OnOutcome, on_lost: OnLost
            ) -> None:
        attempts = [0] * len(tasks)
        pending = list(range(len(tasks)))
        while pending:
            for k in pending:
                attempts[k] += 1
            pending = self._round(tasks, pending, on_outcome, on_lost)
            for k in [k for k in pending if attempts[k] > self.spec.retries]:
                on_lost(tasks[k], f"worker process died {attempts[k]} times")
            pending = [k for k in pending if attempts[k] <= self.spec.retries]

    def _round(self, tasks: Sequence[Any], pending: list[int], on_outcome: OnOutcome,
               on_lost: OnLost) -> list[int]:
        """Run ``tasks[pending]``; return those lost when the pool broke (the
        broken pool is closed, and the next round starts a new one)."""
        pool = self._pool()
        futures = {pool.submit(_pool_task, tasks[k]): k for k in pending}
        lost = []
        for future in cf.as_completed(futures):
            try:
                outcome = future.result()
            except cf.process.BrokenProcessPool:
                lost.append(futures[future])
                continue
            except Exception as exc:  # raised inside the task: not retried
                on_lost(tasks[futures[future]], reason(exc))
                continue
            on_outcome(outcome)
        if lost:
            log.warning("a worker process died; retrying %d tasks", len(lost))
            self.close()
        return sorted(lost)


@dataclass
class DaskExecutor(_OneRound):
    """Tasks on a ``dask.distributed`` cluster: a new local one or ``address``.

    The context is scattered once to every worker; tasks are submitted impure
    (``pure=False``) with ``retries``, keyed by ``key_fn`` when given (else Dask
    makes a unique key); a task whose workers keep dying ends as ``KilledWorker``
    and is reported lost.
    """

    task_fn: TaskFn
    workers: int | None = None
    address: str | None = None
    retries: int = RETRIES
    key_fn: KeyFn | None = None
    name: str = "dask"

    @contextmanager
    def open(self, context: Any) -> Iterator[Workers]:
        with self._client() as client:
            if self.address:  # a cluster set up elsewhere: same libraries?
                client.get_versions(check=True)
            shared = client.scatter(context, broadcast=True, hash=False)
            yield _DaskWorkers(self, client, shared, context)

    def _client(self) -> Any:
        from distributed import Client, LocalCluster

        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            logging.getLogger("distributed").setLevel(logging.ERROR)
        if self.address:
            return Client(self.address, set_as_default=False)
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                               processes=True, dashboard_address=None,
                               host="127.0.0.1", silence_logs=logging.ERROR)
        return _OwnedClient(Client(cluster, set_as_default=False), cluster)


@dataclass
class _DaskWorkers:
    spec: DaskExecutor
    client: Any
    shared: Any  # the scattered context
    context: Any

    def run(self, tasks: Sequence[Any], on_outcome: OnOutcome, on_lost: OnLost
            ) -> None:
        from distributed import as_completed

        spec = self.spec
        futures = {}
        for task in tasks:
            key = spec.key_fn(self.context, task) if spec.key_fn else None
            futures[self.client.submit(spec.task_fn, self.shared, task, pure=False,
                                       retries=spec.retries, key=key)] = task
        for future in as_completed(list(futures), loop=self.client.loop):
            task = futures[future]
            if future.status == "error":
                on_lost(task, reason(future.exception()))
            else:
                on_outcome(future.result())
            future.release()


class _OwnedClient:
    """A client that also closes the local cluster it was made for."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()


def reason(exc: BaseException | None) -> str:
    """What a lost task's report says about ``exc``."""
    name = type(exc).__name__ if exc is not None else "unknown error"
    if name == "KilledWorker":
        return "the workers running this task kept dying (KilledWorker)"
    return f"{name}: {exc}"


def make_executor(where: Any, task_fn: TaskFn, preload: tuple[str, ...] = (),
                  key_fn: KeyFn | None = None) -> Executor:
    """The executor a ``model.parallel.options.Placement`` asks for, running
    ``task_fn`` (``preload``: modules a pool's workers import at start)."""
    if where.scheduler:
        return DaskExecutor(task_fn, address=where.scheduler, key_fn=key_fn)
    if where.executor == "serial":
        return SerialExecutor(task_fn)
    if where.executor == "pool":
        return PoolExecutor(where.workers, task_fn, preload=preload)
    return DaskExecutor(task_fn, workers=where.workers, key_fn=key_fn)
