"""``--executor serial|pool|dask``, ``--workers K`` and ``--scheduler ADDRESS``: where
a command's independent solves run, the same options for every command that has
them (``reroute sweep``, ``hedge``, ``frontier``).

Standard library only, so that the parsers are built before anything heavy is
imported; ``executors.make_executor`` turns the choice into an executor.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from model.arguments import positive_integer

EXECUTORS = ("dask", "pool", "serial")


def add_executor_options(p: argparse.ArgumentParser, what: str) -> None:
    """The three options; ``what`` names the tasks in the help text."""
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_integer, metavar="K",
                       help="local worker processes, >= 1 (default: one per CPU)")
    where.add_argument("--scheduler", metavar="ADDRESS", help=f"run the {what} on "
                       "an existing dask.distributed cluster, e.g. tcp://host:8786")
    p.add_argument("--executor", choices=EXECUTORS, default="dask",
                   help=f"where the {what} run locally: a Dask LocalCluster "
                   "(default), a process pool, or this process")


@dataclass(frozen=True)
class Placement:
    """Where the tasks run: ``executor`` (serial, pool or dask), the local worker
    count, or the address of a Dask scheduler."""

    executor: str
    workers: int
    scheduler: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"executor": self.executor, "workers": self.workers,
                "scheduler": self.scheduler}


IN_PROCESS = Placement("serial", 1)


def placement(args: argparse.Namespace, serial_when_single: bool = False
              ) -> Placement:
    """The options' choice. A scheduler means Dask there; else ``--executor`` with
    ``--workers`` (default one per CPU). With ``serial_when_single``, one local
    worker means this process (a pool of one only adds the start of a process)."""
    if getattr(args, "scheduler", None):
        return Placement("dask", 0, args.scheduler)
    workers = getattr(args, "workers", None) or os.cpu_count() or 1
    executor = getattr(args, "executor", "serial")
    if serial_when_single and workers == 1:
        executor = "serial"
    return Placement(executor, 1 if executor == "serial" else workers)
