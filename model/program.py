"""The ``reroute`` program (console script and ``python -m model``).

Its signal guard is installed when this module is imported, before the command
line itself is: from then on Ctrl-C, SIGTERM and SIGHUP end the run with exit 130
and one line (``model.interrupts``). Only the program imports this module; callers
in-process use ``model.cli.main``.
"""

from __future__ import annotations

import sys

from model.interrupts import SignalGuard, exit_code
from model.streams import flush_standard_streams, open_standard_streams

GUARD = SignalGuard().install()
TYPE_CHECKING = False  # typing is not imported before the guard is in place
if TYPE_CHECKING:
    from typing import NoReturn


def run() -> NoReturn:
    """Run the command line for the whole process and exit with its code.

    Missing standard streams are opened on /dev/null first (so no file the run
    opens can take their descriptors); once the exit code is known the signals
    are held until the process ends, so a late one cannot turn a finished run
    into a traceback or a death by signal; a closed stdout costs only the
    messages, never the exit status.
    """
    code = exit_code(GUARD, _command_line)
    flush_standard_streams()
    GUARD.hold()
    sys.exit(code)


def _command_line() -> int:
    open_standard_streams()  # under the guard: a signal here is exit 130 too
    from model.cli import command_line

    return command_line(None, GUARD)
