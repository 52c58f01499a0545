"""Atomic output: a run writes into a temporary sibling folder, swapped into place
only when everything succeeded; a failed run leaves earlier outputs untouched.

* **Lock.** Writing an output folder holds ``.reroute-<name>.lock`` beside it, so
  two runs on the same output never interleave: the second waits, then swaps in its
  own complete folder. On POSIX it is an ``flock`` whose file is removed by its
  holder before unlocking (a waiter that then locks the removed file notices and
  retries); elsewhere ``filelock``, whose file stays.
* **Swap.** On Linux the staged folder and the old one are exchanged in one atomic
  ``renameat2(RENAME_EXCHANGE)``; elsewhere the old folder is first moved aside and
  restored if the move of the new one fails. Either way, at every instant the
  output path holds a complete folder (or, before the first run, nothing).
* **Interrupts.** Ctrl-C and SIGTERM remove the staging folder. A SIGKILL cannot be
  caught: it may leave a ``.<name>.tmp-*`` or ``.<name>.old-*`` folder, which the
  next run on the same output removes (restoring the old folder first if a kill
  fell between the two moves of the fallback swap).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

from model.errors import InputError, OutputError, Problem

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 600.0
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextlib.contextmanager
def staged_output(out_dir: Path, lock_timeout: float = LOCK_TIMEOUT_S
                  ) -> Iterator[Path]:
    """Yield a fresh temporary folder next to ``out_dir``; on success replace
    ``out_dir`` with it, on any failure (or interrupt) delete it."""
    out_dir = Path(out_dir).resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"error: cannot create {out_dir.parent}: {exc.strerror}"
                          ) from None
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"error: output path {out_dir} is a file, not a folder")
    with _locked(out_dir, lock_timeout), _sigterm_as_interrupt():
        recover_stale(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-",
                                        dir=out_dir.parent))
        try:
            yield staging
            _fsync_tree(staging)
            with _signals_deferred():
                _swap(staging, out_dir)
        finally:
            with _signals_deferred():
                shutil.rmtree(staging, ignore_errors=True)


def refuse_input_overlap(case: Path, out_dir: Path) -> None:
    """Raise InputError if writing ``out_dir`` would replace or sit inside the
    input case (the swap would otherwise delete it)."""
    case, out_dir = Path(case).resolve(), Path(out_dir).resolve()
    if out_dir == case or out_dir in case.parents or case in out_dir.parents:
        raise InputError(Problem(f"refusing to write outputs to {out_dir}: it holds "
                                 f"or is the input case {case}; choose another --out"))


def lock_path(out_dir: Path) -> Path:
    """The lock file guarding ``out_dir``, beside it while a run writes."""
    return out_dir.parent / f".reroute-{out_dir.name}.lock"


@contextlib.contextmanager
def _locked(out_dir: Path, timeout: float) -> Iterator[None]:
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
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt so cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt("terminated")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block is done (swap, cleanup)."""
    if not hasattr(signal, "pthread_sigmask") or (
            threading.current_thread() is not threading.main_thread()):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stale_folders(out_dir: Path) -> list[Path]:
    """Leftovers of killed runs on ``out_dir`` (only meaningful under the lock)."""
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    prefixes = (f".{out_dir.name}.tmp-", f".{out_dir.name}.old-")
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


def recover_stale(out_dir: Path) -> None:
    """Restore an output folder orphaned by a kill mid-swap; remove leftovers."""
    for folder in stale_folders(out_dir):
        previous = folder / "previous"
        if not out_dir.exists() and previous.is_dir():
            os.replace(previous, out_dir)
            log.warning("restored %s, left aside by an interrupted run", out_dir)
        for old in (folder, previous):  # a kill between swap and carry-over
            if old.is_dir():
                _keep_subfolders(old, out_dir)
        shutil.rmtree(folder, ignore_errors=True)


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` at ``out_dir``; afterwards ``staging`` holds the old folder
    (or nothing)."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        _keep_subfolders(staging, out_dir)  # staging now holds the old folder
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.replace(out_dir, retired / "previous")
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(retired / "previous", out_dir)
        raise
    else:
        _keep_subfolders(retired / "previous", out_dir)
    finally:
        shutil.rmtree(retired, ignore_errors=True)


KEPT_SUBFOLDERS = ("sweep",)  # written by other commands (reroute sweep)


def _keep_subfolders(previous: Path, out_dir: Path) -> None:
    """Carry over what another command keeps inside the output folder."""
    for name in KEPT_SUBFOLDERS:
        if (previous / name).is_dir() and out_dir.is_dir() and not (
                out_dir / name).exists():
            os.replace(previous / name, out_dir / name)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False if unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                       _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _libc() -> object:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
