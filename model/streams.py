"""Messages on stdout and stderr that a closed or broken stream cannot turn into a
failure: when ``reroute solve ... | head -0`` closes the pipe, the run's outputs
are complete on disk and only the messages are lost, so the exit status stays the
run's. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import sys

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import TextIO


def say(text: str, err: bool = False, flush: bool = False) -> None:
    """``print(text)`` to stdout (or stderr), flushed if ``flush``; a broken pipe
    silences the stream."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # Python started with that descriptor closed
        return
    try:
        print(text, file=stream, flush=flush)
    except BrokenPipeError:
        _silence(stream)


def flush_standard_streams() -> None:
    """Flush stdout and stderr now, silencing a broken one, so that the flush at
    interpreter shutdown has nothing left to fail on (it would print "Exception
    ignored ... BrokenPipeError" and exit 120)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            _silence(stream)


def _silence(stream: TextIO) -> None:
    """Point the stream's descriptor at /dev/null: what is still buffered, and
    anything written later, goes nowhere instead of failing."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def open_standard_streams() -> None:
    """Open /dev/null on descriptors 0, 1 and 2 if they are closed (``reroute
    solve >&-``): otherwise the next file the run opens takes the descriptor, and
    whatever writes to "stdout" (HiGHS included) writes into that file."""
    for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY),
                           (2, "stderr", os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, mode)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w",  # noqa: SIM115
                                        encoding="utf-8", closefd=False))
