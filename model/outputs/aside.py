"""One output written by a child process while this process writes another.

``reroute solve`` writes ``tables/*.csv`` and ``report.xlsx`` one after the other,
both in Python, after the last solve: the serial end of the job. Where the process
may fork (POSIX), may run on more than one core and has no other Python thread
alive (a fork copies only the forking thread: a lock another thread held would
stay held in the child), ``written_aside`` forks a child that runs the first
writer while the body runs the second, on the same data (the child's memory is a
copy-on-write image of this one's; nothing is pickled).

What stays as it was without the child:

* **The files.** The child runs the same function on the same objects, into the
  same (staging) folder; it writes nothing else and ends with ``os._exit``, so no
  buffered stdout, ``atexit`` handler or ``finally`` of this process runs twice.
* **Errors.** A child that fails (an exception, a signal, killed for memory) only
  says so by its exit status; its partial output is removed (``undo``) and the
  writer is run again here, so the error raised is the one the writer raises in
  this process, with its type, message and exit code.
* **Interrupts.** The child takes SIGINT, SIGTERM and SIGHUP as their default (it
  ends at once and prints nothing); whatever ends the body (an exception, an
  interrupt of this process) first kills the child and waits for it, so nothing
  is written into the staging folder after its owner gives it up.
"""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from model.interrupts import SIGNALS


def may_fork() -> bool:
    """Whether ``written_aside`` forks: ``os.fork`` exists, this process may run on
    two cores or more, and this is its only Python thread."""
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)
    return hasattr(os, "fork") and cores > 1 and threading.active_count() == 1


@contextmanager
def written_aside(write: Callable[[], None], undo: Callable[[], None]
                  ) -> Iterator[None]:
    """Run ``write()`` while the body runs: in a forked child when ``may_fork()``,
    else here, before the body. When the child did not succeed, ``undo()`` removes
    what it may have written and ``write()`` is run here after the body (its error,
    if any, raised). Whatever ends the body early kills the child first."""
    if not may_fork():
        write()
        yield
        return
    child = _fork(write)
    try:
        yield
        succeeded = _succeeded(child)
    except BaseException:
        _kill(child)
        raise
    if not succeeded:
        undo()
        write()


def _fork(write: Callable[[], None]) -> int:
    """The child's pid; the child runs ``write`` and ends with its status."""
    with warnings.catch_warnings():  # Python 3.12+ warns of any OS thread (BLAS)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        write()
        status = 0
    finally:
        os._exit(status)  # noqa: B012  (the child never leaves this function)


def _succeeded(pid: int) -> bool:
    """Wait for child ``pid``: did it end with status 0?"""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _kill(pid: int) -> None:
    """End child ``pid`` and wait for it (it may have ended already)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
