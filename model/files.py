"""Writing a file atomically: a temporary sibling, flushed to disk, then renamed
over the target, so a reader (or a crash) sees the whole old file or the whole new
one, never a part. The one helper for every single-file write except the staged
output folder (``model/outputs/``). ``new_file`` and ``new_folder`` never replace
anything: the temporary sibling is put in place only if nothing is there (a hard
link for a file, a rename onto nothing or an empty folder for a folder)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path, suffix: str = "") -> Iterator[Path]:
    """A temporary sibling of ``path`` to write; it replaces ``path`` when the block
    ends normally and is removed when it raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix,
                                    dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary open() would create it
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


class AlreadyThere(FileExistsError):
    """``new_file``/``new_folder``: the target exists (nothing was replaced)."""


@contextmanager
def new_file(path: Path, suffix: str = "") -> Iterator[Path]:
    """A temporary sibling of ``path`` to write; it becomes ``path`` when the block
    ends normally, only if ``path`` does not exist then (else AlreadyThere)."""
    path = Path(path)
    path.absolute().parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix,
                                    dir=path.absolute().parent)
    os.close(handle)
    temp = Path(name)
    try:
        os.chmod(temp, 0o666 & ~_umask())
        yield temp
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        _link_new(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _link_new(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise AlreadyThere(str(path)) from None
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(path):
            raise AlreadyThere(str(path)) from None
        os.replace(temp, path)


@contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """A temporary sibling folder of ``path`` to fill; it becomes ``path`` when the
    block ends normally, only if ``path`` does not exist or is an empty folder
    (else AlreadyThere); removed with its content otherwise."""
    path = Path(path)
    parent = path.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        if path.is_symlink():
            raise AlreadyThere(str(path))
        try:
            os.rename(staging, path)  # fails onto a file or a non-empty folder
        except OSError:
            raise AlreadyThere(str(path)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` (UTF-8) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
