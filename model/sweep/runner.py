"""Running sample tasks: in this process, in a local process pool, or on Dask.

Every executor calls ``on_outcome`` in the driver as each sample finishes, so the
driver stores results as they arrive (a killed driver loses at most the samples in
flight). Tasks that die with their worker are retried; a task still failing after
``retries`` further attempts is reported through ``on_lost`` with the reason.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from model.sweep.worker import SampleOutcome, SampleTask, SweepContext, run_sample

log = logging.getLogger(__name__)

TaskFn = Callable[[SweepContext, SampleTask], SampleOutcome]
OnOutcome = Callable[[SampleOutcome], None]
OnLost = Callable[[SampleTask, str], None]
RETRIES = 2


class Executor(Protocol):
    """Runs tasks and reports each outcome in the driver."""

    name: str

    def run(self, context: SweepContext, tasks: list[SampleTask], on_outcome: OnOutcome,
            on_lost: OnLost) -> None: ...


@dataclass
class SerialExecutor:
    """Every task in this process, in order (the reference for the others)."""

    task_fn: TaskFn = run_sample
    name: str = "serial"

    def run(self, context: SweepContext, tasks: list[SampleTask], on_outcome: OnOutcome,
            on_lost: OnLost) -> None:
        for task in tasks:
            try:
                outcome = self.task_fn(context, task)
            except Exception as exc:  # a crash of one sample must not end the sweep
                log.debug("sample %d failed", task.sample, exc_info=True)
                on_lost(task, _reason(exc))
                continue
            on_outcome(outcome)


_WORKER_CONTEXT: SweepContext | None = None
_WORKER_FN: TaskFn | None = None


def _init_pool_worker(context: SweepContext, task_fn: TaskFn) -> None:
    global _WORKER_CONTEXT, _WORKER_FN
    _WORKER_CONTEXT, _WORKER_FN = context, task_fn


def _pool_task(task: SampleTask) -> SampleOutcome:
    assert _WORKER_CONTEXT is not None and _WORKER_FN is not None
    return _WORKER_FN(_WORKER_CONTEXT, task)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork server with the model preloaded: fresh, thread-free workers that start
    fast (plain ``fork`` would copy the driver's threads; ``spawn`` re-imports
    everything in every worker)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["model.sweep.worker"])
    return context


@dataclass
class PoolExecutor:
    """A local pool of worker processes; the case is sent once per process.

    A worker that dies breaks the pool: the pool is rebuilt and the unfinished
    tasks are submitted again, each at most ``1 + retries`` times.
    """

    workers: int
    task_fn: TaskFn = run_sample
    retries: int = RETRIES
    name: str = "pool"

    def run(self, context: SweepContext, tasks: list[SampleTask], on_outcome: OnOutcome,
            on_lost: OnLost) -> None:
        attempts = {t.sample: 0 for t in tasks}
        pending = list(tasks)
        while pending:
            for t in pending:
                attempts[t.sample] += 1
            pending = self._round(context, pending, on_outcome, on_lost)
            for t in [t for t in pending if attempts[t.sample] > self.retries]:
                on_lost(t, f"worker process died {attempts[t.sample]} times")
            pending = [t for t in pending if attempts[t.sample] <= self.retries]

    def _round(self, context: SweepContext, tasks: list[SampleTask],
               on_outcome: OnOutcome, on_lost: OnLost) -> list[SampleTask]:
        """Run ``tasks`` in one pool; return those lost when the pool broke."""
        with cf.ProcessPoolExecutor(self.workers, mp_context=_pool_context(),
                                    initializer=_init_pool_worker,
                                    initargs=(context, self.task_fn)) as pool:
            futures = {pool.submit(_pool_task, t): t for t in tasks}
            lost = []
            for future in cf.as_completed(futures):
                try:
                    outcome = future.result()
                except cf.process.BrokenProcessPool:
                    lost.append(futures[future])
                    continue
                except Exception as exc:  # raised inside the task: not retried
                    on_lost(futures[future], _reason(exc))
                    continue
                on_outcome(outcome)
        if lost:
            log.warning("a worker process died; retrying %d samples", len(lost))
        return sorted(lost, key=lambda t: t.sample)


@dataclass
class DaskExecutor:
    """Tasks on a ``dask.distributed`` cluster: a new local one or ``address``.

    The context is scattered once to every worker; tasks are submitted impure
    (``pure=False``) with ``retries``; a task whose workers keep dying ends as
    ``KilledWorker`` and is reported lost.
    """

    workers: int | None = None
    address: str | None = None
    task_fn: TaskFn = run_sample
    retries: int = RETRIES
    name: str = "dask"

    def run(self, context: SweepContext, tasks: list[SampleTask], on_outcome: OnOutcome,
            on_lost: OnLost) -> None:
        from distributed import as_completed

        with self._client() as client:
            if self.address:  # a cluster set up elsewhere: same libraries?
                client.get_versions(check=True)
            shared = client.scatter(context, broadcast=True, hash=False)
            futures = {client.submit(self.task_fn, shared, t, pure=False,
                                     retries=self.retries, key=_task_key(context, t)): t
                       for t in tasks}
            for future in as_completed(list(futures), loop=client.loop):
                task = futures[future]
                if future.status == "error":
                    on_lost(task, _reason(future.exception()))
                else:
                    on_outcome(future.result())
                future.release()

    def _client(self) -> object:
        from distributed import Client, LocalCluster

        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            logging.getLogger("distributed").setLevel(logging.ERROR)
        if self.address:
            return Client(self.address, set_as_default=False)
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                               processes=True, dashboard_address=None,
                               host="127.0.0.1", silence_logs=logging.ERROR)
        return _OwnedClient(Client(cluster, set_as_default=False), cluster)


class _OwnedClient:
    """A client that also closes the local cluster it was made for."""

    def __init__(self, client: object, cluster: object) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> object:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()  # type: ignore[attr-defined]
        self.cluster.close()  # type: ignore[attr-defined]


def _task_key(context: SweepContext, task: SampleTask) -> str:
    """A key unique to this case, seed, sample and drawn values, so sweeps sharing
    a cluster never collide."""
    from dask.base import tokenize

    digest = tokenize(context.case.input_hash, task.values)[:12]
    return f"reroute-sample-{context.seed}-{task.sample}-{digest}"


def _reason(exc: BaseException | None) -> str:
    name = type(exc).__name__ if exc is not None else "unknown error"
    if name == "KilledWorker":
        return "the workers running this sample kept dying (KilledWorker)"
    return f"{name}: {exc}"


def run_all(executor: Executor, context: SweepContext, tasks: Iterable[SampleTask],
            on_outcome: OnOutcome, on_lost: OnLost) -> None:
    """Run ``tasks`` with ``executor`` (nothing to do when there are none)."""
    tasks = list(tasks)
    if tasks:
        executor.run(context, tasks, on_outcome, on_lost)
