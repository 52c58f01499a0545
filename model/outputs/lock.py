"""The output lock and the signal handling around a write.

Writing an output folder holds ``.reroute-<name>.lock`` beside it, so two runs on
the same output never interleave: the second waits, then writes. On POSIX it is an
``flock`` whose file is removed by its holder before unlocking (a waiter that then
locks the removed file notices and retries); elsewhere ``filelock``, whose file
stays.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

from model.errors import OutputError
from model.interrupts import Interrupted

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 600.0
TERMINATIONS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


def lock_path(out_dir: Path) -> Path:
    """The lock file guarding ``out_dir``, beside it while a run writes."""
    return out_dir.parent / f".reroute-{out_dir.name}.lock"


@contextlib.contextmanager
def locked(out_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the output's lock; on POSIX the lock file is removed when done."""
    path = lock_path(out_dir)
    if fcntl is None:  # not POSIX: filelock's portable lock (its file stays)
        with _portable_lock(path, out_dir, timeout):
            yield
        return
    fd = _acquire(path, out_dir, timeout)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # while still holding it: a waiter then sees a new file
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _acquire(path: Path, out_dir: Path, timeout: float) -> int:
    """An open, exclusively locked descriptor of the lock file at ``path``."""
    deadline = time.monotonic() + timeout
    warned = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise _busy(out_dir) from None
            if not warned:
                log.warning("waiting for another run writing %s", out_dir)
                warned = True
            time.sleep(0.05)
            continue
        if _same_file(fd, path):
            return fd
        fcntl.flock(fd, fcntl.LOCK_UN)  # the holder removed it meanwhile: retry
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _busy(out_dir: Path) -> OutputError:
    return OutputError(f"error: another run is writing {out_dir} (lock "
                       f"{lock_path(out_dir)}); try again later")


@contextlib.contextmanager
def _portable_lock(path: Path, out_dir: Path, timeout: float) -> Iterator[None]:
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise _busy(out_dir) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def terminations_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt, as Ctrl-C
    does, so the cleanup runs. It is an ``Interrupted``: one raised where Python
    cannot raise (a weakref callback, a ``__del__``) is sent again by an armed
    ``SignalGuard`` rather than printed and lost."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(sig: int, _frame: object) -> None:
        raise Interrupted(sig)

    previous = {sig: signal.signal(sig, handler) for sig in TERMINATIONS}
    try:
        yield
    finally:
        for sig, action in previous.items():
            signal.signal(sig, action)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block is done (commit,
    cleanup); a signal that arrived meanwhile is acted on when the block ends.

    Python runs signal handlers in the main thread whichever thread the kernel
    delivered the signal to (a HiGHS or pool thread that does not block it), so the
    main thread's signal mask alone does not hold a signal back: the handlers are
    swapped for one that only records the signal, and the mask is set as well."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, *TERMINATIONS)
    arrived: list[int] = []
    previous = {sig: signal.signal(sig, lambda num, _frame: arrived.append(num))
                for sig in held}
    masked = hasattr(signal, "pthread_sigmask")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, held) if masked else None
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # pending ones land now
        for sig, action in previous.items():
            signal.signal(sig, action)
        if arrived:
            _act_on(arrived[0], previous[arrived[0]])


def _act_on(signum: int, action: object) -> None:
    """Do what the handler in force before the block would have done."""
    if callable(action):
        action(signum, None)
    elif action == signal.SIG_DFL:
        signal.raise_signal(signum)
