"""Ctrl-C, SIGTERM and SIGHUP end a command with exit 130 and one line on stderr.

``SignalGuard`` is installed before the command line is imported (``model.program``
for the ``reroute`` program, ``model.cli.main`` in-process). While it is armed, the
first of these signals raises ``Interrupted`` (a KeyboardInterrupt) in the main
thread, so every ``finally`` runs: staged outputs are removed and earlier ones stay
as they were. Later signals are ignored while that unwinds, and once the command
has its exit code a signal changes nothing: the run's outputs are complete and its
status stands (``exit_code``).

A signal that arrives while Python runs code that cannot raise (a weakref
callback such as the import system's module-lock cleanup, a ``__del__``) would
have its ``Interrupted`` printed as "Exception ignored" and lost: the guard's
``sys.unraisablehook`` takes it instead and delivers the signal again from another
thread, so that it lands in the main thread's own code.

SIGHUP (the terminal went away) is handled like SIGTERM, with the same exit code:
130 means "interrupted" whichever of the three signals asked for it (MODEL-SPEC
§6). Standard library only.
"""

from __future__ import annotations

import _thread
import signal
import sys
from collections.abc import Callable
from types import FrameType

from model.streams import say

INTERRUPTED = 130
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """A signal asked the command to stop."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


INTERRUPTED_MESSAGE = "error: interrupted; earlier outputs are untouched"


class SignalGuard:
    """SIGINT, SIGTERM and SIGHUP as one interrupt while armed; ignored after."""

    def __init__(self) -> None:
        self.armed = False
        self.fired: int | None = None  # the first signal received
        self._previous: dict[int, object] = {}
        self._hook: Callable[..., object] | None = None  # sys.unraisablehook before

    def install(self) -> SignalGuard:
        """Handle the signals from now on and arm (main thread only: elsewhere
        Python cannot set handlers, and the caller's stay)."""
        try:
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        except ValueError:  # not the main thread
            self.restore()
            return self
        self._hook, sys.unraisablehook = sys.unraisablehook, self._unraisable
        self.armed = True
        return self

    def _unraisable(self, unraisable: sys.UnraisableHookArgs) -> None:
        """An ``Interrupted`` raised where Python cannot raise (module docstring):
        armed again and the signal sent again from a new thread, to be handled in
        the main thread once this callback has returned; anything else goes to
        the hook found by ``install``."""
        error = unraisable.exc_value
        if not isinstance(error, Interrupted):
            (self._hook or sys.__unraisablehook__)(unraisable)
            return
        self.armed = True
        _thread.start_new_thread(_thread.interrupt_main, (error.signum,))

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.fired is None:
            self.fired = signum
        if not self.armed:
            return  # unwinding already, or the command is done
        self.armed = False
        raise Interrupted(signum)

    def check(self) -> None:
        """Raise ``Interrupted`` if a signal has arrived: for the error a library
        made of the interrupt (numpy, half imported, reports an ImportError)."""
        if self.fired is not None:
            raise Interrupted(self.fired)

    def hold(self) -> None:
        """Ignore the signals for the rest of the process. The interpreter's
        shutdown puts the default action back on a signal that has a Python
        handler (not on an ignored one), and a signal arriving then would kill a
        run that has finished (exit -2 instead of its own status)."""
        self.armed = False
        for signum in self._previous:
            signal.signal(signum, signal.SIG_IGN)

    def restore(self) -> None:
        """Put back the handlers found by ``install``."""
        self.armed = False
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()
        if self._hook is not None:
            sys.unraisablehook, self._hook = self._hook, None  # type: ignore[assignment]


def exit_code(guard: SignalGuard, command: Callable[[], int]) -> int:
    """``command()``'s exit code, or 130 and one line on stderr if a signal
    stopped it. The guard is disarmed as soon as the code is known."""
    try:
        code = command()
        guard.armed = False  # an assignment: no signal is handled before it
    except KeyboardInterrupt:
        guard.armed = False
        say(INTERRUPTED_MESSAGE, err=True)
        code = INTERRUPTED
    return code
