"""Open an input file safely: a regular file, of bounded size, read with a bound.

The file is opened without blocking (a FIFO opens at once instead of waiting for a
writer), then ``fstat`` on the open descriptor decides: anything but a regular
file (a FIFO, a device such as ``/dev/zero``, a socket, a folder) is refused with
its kind, and a size above the limit is refused from the size ``fstat`` reports,
before a byte is read (a sparse file of 1 TB costs nothing). The read itself stops
at the limit, so a file that grows or reports a false size cannot exhaust memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from model.errors import InputError, Problem

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """'a FIFO (named pipe)', 'a character device', ... for a non-regular mode."""
    return next((text for test, text in KINDS if test(mode)), "not a regular file")


def check_regular(path: Path, size: int, mode: int, limit: int, table: str = ""
                  ) -> None:
    """Refuse a non-regular file or one above ``limit`` bytes (from its stat)."""
    if not stat.S_ISREG(mode):
        raise InputError(Problem(f"not a regular file ({file_kind(mode)}); an input "
                                 "must be a plain file", str(path), table))
    if size > limit:
        raise InputError(Problem(f"file is {size:,} bytes, above the limit of "
                                 f"{limit:,}", str(path), table))


def read_bounded(path: Path, limit: int, table: str = "") -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), or InputError."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(Problem(f"cannot open the file: {exc.strerror}",
                                 str(Path(path).absolute()), table)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        check_regular(path, info.st_size, info.st_mode, limit, table)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(Problem(f"file is more than {limit:,} bytes, the limit",
                                 str(path), table))
    return data
