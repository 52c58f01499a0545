"""Staged writes into an output folder and their recovery after a kill (the design
is described in the package docstring)."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from model.errors import InputError, OutputError, Problem
from model.outputs.folder import (MANIFESTS, MARKER, Marker, check_writable,
                                  write_marker)
from model.outputs.lock import (LOCK_TIMEOUT_S, locked, signals_deferred,
                                terminations_as_interrupt)
from model.outputs.overlap import refuse_input_overlap

log = logging.getLogger(__name__)
STAGING = "tmp"
COMMIT = "commit"
JOURNAL = ".reroute-commit.json"
RETIRED = ".retired"
CROSS_DEVICE = (errno.EXDEV, errno.EBUSY)


@contextlib.contextmanager
def staged_output(out_dir: Path, command: str = "solve",
                  lock_timeout: float = LOCK_TIMEOUT_S) -> Iterator[Path]:
    """Yield a fresh staging folder beside ``out_dir`` for ``command``'s entries; on
    success move them into ``out_dir`` (nothing else there is touched), on any
    failure or interrupt delete the staging folder."""
    out_dir = _prepare(out_dir)
    with locked(out_dir, lock_timeout), terminations_as_interrupt():
        recover_stale(out_dir)
        marker = check_writable(out_dir, command)
        staging: Path | None = None
        try:
            with signals_deferred():  # no interrupt between mkdir and assignment
                staging = _new_staging(out_dir)
            yield staging
            _fsync_tree(staging)
            with signals_deferred():
                _commit(staging, out_dir, command, marker)
        finally:
            with signals_deferred():
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)


def claim_folder(out_dir: Path, command: str,
                 lock_timeout: float = LOCK_TIMEOUT_S) -> Path:
    """Make ``out_dir`` a Reroute output folder listing ``command``'s entries, for a
    command that writes them in place (the sweep's store grows sample by sample);
    InputError if the folder is not Reroute's to write."""
    out_dir = _prepare(out_dir)
    with locked(out_dir, lock_timeout):
        recover_stale(out_dir)
        marker = check_writable(out_dir, command)
        wanted = sorted(MANIFESTS[command])
        if marker.commands.get(command) != wanted or not (out_dir / MARKER).exists():
            out_dir.mkdir(exist_ok=True)
            write_marker(out_dir, marker.with_entries(command, wanted))
    return out_dir


def refuse_unwritable(case: Path, out_dir: Path, command: str) -> None:
    """Fail fast, before any solve, if ``command`` may not write ``out_dir`` (the
    folder is checked again, under the lock, when the outputs are written)."""
    refuse_input_overlap(case, out_dir)
    out_dir = Path(out_dir).resolve()
    if out_dir.is_dir() and os.path.ismount(out_dir):
        raise _mount_point(out_dir)
    check_writable(out_dir, command)


def stale_folders(out_dir: Path) -> list[Path]:
    """Leftovers of killed runs on ``out_dir`` (only meaningful under the lock)."""
    parent = out_dir.parent
    if not parent.is_dir():
        return []
    prefixes = tuple(_prefix(out_dir, kind) for kind in (STAGING, COMMIT))
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


def recover_stale(out_dir: Path) -> None:
    """Finish a write killed after its commit point; delete unfinished staging."""
    for folder in stale_folders(out_dir):
        if folder.name.startswith(_prefix(out_dir, COMMIT)):
            roll_forward(folder, out_dir)
            log.warning("completed the write of %s that an interrupted run left "
                        "half done", out_dir)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def roll_forward(commit: Path, out_dir: Path) -> None:
    """Move every entry of the committed folder into ``out_dir`` (replacing the
    command's earlier entry of that name), retire the command's entries it no
    longer writes, then the marker. Idempotent: a kill at any step leaves a state
    from which it completes."""
    out_dir.mkdir(exist_ok=True)
    retired = commit / RETIRED
    for name in sorted(os.listdir(commit)):
        if name not in (MARKER, JOURNAL, RETIRED):
            _move_into(commit / name, out_dir / name, retired)
    for name in _journal(commit).get("retire", []):
        if os.path.lexists(out_dir / name):
            _retire(out_dir / name, retired)
    if (commit / MARKER).exists():
        os.replace(commit / MARKER, out_dir / MARKER)
    _fsync_dir(out_dir)
    shutil.rmtree(commit, ignore_errors=True)


def _prepare(out_dir: Path) -> Path:
    out_dir = Path(out_dir).resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"error: cannot create {out_dir.parent}: {exc.strerror}"
                          ) from None
    if out_dir.is_dir() and os.path.ismount(out_dir):
        raise _mount_point(out_dir)
    return out_dir


def _mount_point(out_dir: Path) -> InputError:
    return InputError(Problem(
        f"refusing to write outputs to {out_dir}: it is a mount point, and outputs "
        "are staged beside the folder and moved into it, which cannot cross file "
        f"systems; choose a folder inside it, e.g. --out {out_dir / 'results'}"))


def _prefix(out_dir: Path, kind: str) -> str:
    return f".{out_dir.name}.{kind}-"


def _new_staging(out_dir: Path) -> Path:
    """A new folder beside ``out_dir``: mode from the umask, and, when ``out_dir``
    is a set-group-ID folder, its group and set-group-ID bit, so that what is
    staged gets the group it would get inside ``out_dir``."""
    while True:
        path = out_dir.parent / f"{_prefix(out_dir, STAGING)}{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
            break
    target = os.stat(out_dir) if out_dir.is_dir() else None
    if target is not None and target.st_mode & stat.S_ISGID:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, target.st_gid)
        os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | stat.S_ISGID)
    return path


def _commit(staging: Path, out_dir: Path, command: str, marker: Marker) -> None:
    entries = sorted(os.listdir(staging))
    unexpected = set(entries) - set(MANIFESTS[command])
    if unexpected:
        raise ValueError(f"{command} staged {sorted(unexpected)}, outside its manifest")
    write_marker(staging, marker.with_entries(command, entries))
    if not out_dir.exists():
        os.rename(staging, out_dir)  # a whole new folder in one step
        _fsync_dir(out_dir.parent)
        return
    retire = sorted(set(marker.commands.get(command, [])) - set(entries))
    _write_journal(staging, {"command": command, "retire": retire})
    commit = out_dir.parent / staging.name.replace(
        _prefix(out_dir, STAGING), _prefix(out_dir, COMMIT), 1)
    os.rename(staging, commit)  # the commit point
    try:
        roll_forward(commit, out_dir)
    except OSError as exc:
        if not _untouched(commit, entries):
            raise OutputError(
                f"error: writing {out_dir} stopped half way ({exc.strerror or exc}); "
                "the next run on it completes the write") from None
        os.rename(commit, staging)  # the first move failed: back before the commit
        if exc.errno in CROSS_DEVICE:
            raise OutputError(f"error: cannot move the outputs into {out_dir}: "
                              f"{exc.strerror} (a mount point?); choose a folder "
                              "inside it with --out") from None
        raise


def _untouched(commit: Path, entries: list[str]) -> bool:
    """Nothing of ``commit`` has been moved into the output folder yet."""
    return all(os.path.lexists(commit / e) for e in entries) and not os.path.lexists(
        commit / RETIRED)


def _write_journal(staging: Path, content: dict[str, object]) -> None:
    with open(staging / JOURNAL, "w", encoding="utf-8") as handle:
        json.dump(content, handle)
        handle.flush()
        os.fsync(handle.fileno())


def _journal(commit: Path) -> dict[str, list[str]]:
    try:
        return json.loads((commit / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable: retire nothing, keep what is there
        return {}


def _move_into(src: Path, dst: Path, retired: Path) -> None:
    if dst.is_dir() and not dst.is_symlink():
        _retire(dst, retired)
    os.replace(src, dst)


def _retire(path: Path, retired: Path) -> None:
    retired.mkdir(exist_ok=True)
    os.rename(path, retired / path.name)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
