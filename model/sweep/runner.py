"""Running sample tasks: the executors of ``model.parallel.executors`` with the
sweep's task (``worker.run_sample``) and its Dask keys as defaults.

Every executor calls ``on_outcome`` in the driver as each sample finishes, so the
driver stores results as they arrive (a killed driver loses at most the samples in
flight). Tasks that die with their worker are retried; a task still failing after
``retries`` further attempts is reported through ``on_lost`` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from model.parallel import executors
from model.parallel.executors import Executor, KeyFn, OnLost, OnOutcome
from model.sweep.worker import SampleOutcome, SampleTask, SweepContext, run_sample

TaskFn = Callable[[SweepContext, SampleTask], SampleOutcome]
PRELOAD = ("model.sweep.worker",)


def task_key(context: SweepContext, task: SampleTask) -> str:
    """A key unique to this case, seed, sample and drawn values, so sweeps sharing
    a cluster never collide."""
    from dask.base import tokenize

    digest = tokenize(context.case.input_hash, task.values)[:12]
    return f"reroute-sample-{context.seed}-{task.sample}-{digest}"


@dataclass
class SerialExecutor(executors.SerialExecutor):
    """Every sample in this process, in order (the reference for the others)."""

    task_fn: TaskFn = run_sample


@dataclass
class PoolExecutor(executors.PoolExecutor):
    """A local pool of worker processes; the case is sent once per process."""

    task_fn: TaskFn = run_sample
    preload: tuple[str, ...] = PRELOAD


@dataclass
class DaskExecutor(executors.DaskExecutor):
    """Samples on a ``dask.distributed`` cluster: a new local one or ``address``."""

    task_fn: TaskFn = run_sample
    key_fn: KeyFn | None = task_key


def run_all(executor: Executor, context: SweepContext, tasks: Iterable[SampleTask],
            on_outcome: OnOutcome, on_lost: OnLost) -> None:
    """Run ``tasks`` with ``executor`` (nothing to do when there are none)."""
    tasks = list(tasks)
    if tasks:
        executor.run(context, tasks, on_outcome, on_lost)


__all__ = ["DaskExecutor", "Executor", "PoolExecutor", "SerialExecutor", "run_all"]
