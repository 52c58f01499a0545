"""One output written (or one value computed) by a child process while this
process writes another.

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

``computed_beside`` is the same for a value: a pure ``compute()`` (it writes
nothing) run by the child while this process runs ``body()``; the child pickles the
value into an unlinked temporary file (nothing is left behind, even on a kill), and
this process reads it back. A child that did not succeed leaves nothing to undo:
the value is computed here.
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

from model.interrupts import SIGNALS
from model.outputs.lock import signals_deferred

T = TypeVar("T")


def may_fork() -> bool:
    """Whether ``written_aside`` and ``computed_beside`` fork: ``os.fork`` exists,
    this process may run on two cores or more, and this is its only Python
    thread."""
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
    with _child(write) as pid:
        yield
        succeeded = _succeeded(pid)
    if not succeeded:
        undo()
        write()


def computed_beside(compute: Callable[[], T], body: Callable[[], None]) -> T:
    """``compute()``'s value, computed while ``body()`` runs: in a forked child when
    ``may_fork()``, else here after the body, as it is when the child did not
    succeed. Whatever ends the body early kills the child first."""
    if not may_fork():
        body()
        return compute()
    with tempfile.TemporaryFile() as file:
        with _child(lambda: _pickled(compute(), file)) as pid:
            body()
            succeeded = _succeeded(pid)
        if succeeded:
            file.seek(0)
            return pickle.load(file)  # noqa: S301  (written by this process's child)
    return compute()


def _pickled(value: object, file: IO[bytes]) -> None:
    pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    file.flush()


@contextmanager
def _child(run: Callable[[], None]) -> Iterator[int]:
    """A forked child running ``run`` (its pid): whatever ends the block early, or
    a signal that came during the fork, kills the child and reaps it first.

    ``os.fork`` runs Python at-fork hooks (logging's lock, ``random``'s reseed); a
    signal handler that raised there would be printed as "Exception ignored" and
    its interrupt lost. The signals are held over the fork and acted on after it,
    once the child's pid is known."""
    pid: int | None = None
    try:
        with signals_deferred():
            pid = _fork(run)
        yield pid
    except BaseException:
        if pid is not None:
            _kill(pid)
        raise


def _fork(run: Callable[[], None]) -> int:
    """The child's pid; the child runs ``run`` and ends with its status. Called
    with the signals held: the child takes them as their default, then lets them
    in."""
    with warnings.catch_warnings():  # Python 3.12+ warns of any OS thread (BLAS)
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        run()
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
