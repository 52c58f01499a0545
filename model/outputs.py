"""Atomic output: a run writes into a temporary sibling folder, swapped into place
only when everything succeeded; a failed run leaves earlier outputs untouched."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_output(out_dir: Path) -> Iterator[Path]:
    """Yield a fresh temporary folder next to ``out_dir``; on success replace
    ``out_dir`` with it, on any failure (or interrupt) delete it."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        yield staging
        _fsync_tree(staging)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out_dir: Path) -> None:
    """Move ``staging`` to ``out_dir``, keeping the old folder until the move is done."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
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
        if (previous / name).is_dir() and not (out_dir / name).exists():
            os.replace(previous / name, out_dir / name)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
