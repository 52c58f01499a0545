"""A signal handled where Python cannot raise (model/interrupts.py)."""

from __future__ import annotations

import signal
import sys
import time
import weakref
from collections.abc import Callable

import pytest

from model.interrupts import Interrupted, SignalGuard
from model.outputs.lock import terminations_as_interrupt


class _Thing:
    pass


def _sigterm_from_a_weakref_callback(handler: Callable[[int, object], None]) -> None:
    """``handler`` called for SIGTERM inside a weakref callback, where its
    Interrupted is not raised; it must then land in the main thread's own code
    (the sleep loop after the callback), as Interrupted for SIGTERM, within 5 s."""
    thing = _Thing()
    ref = weakref.ref(thing, lambda _: handler(signal.SIGTERM, None))
    with pytest.raises(Interrupted) as raised:
        del thing  # the callback runs here
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.01)
    assert raised.value.signum == signal.SIGTERM
    assert ref() is None


def test_an_interrupt_raised_in_a_weakref_callback_is_delivered_again(
        capsys: pytest.CaptureFixture) -> None:
    # The guard's handler raising inside a weakref callback (as when SIGTERM
    # arrives during the import system's module-lock cleanup): Python cannot
    # raise there and would print "Exception ignored" and go on. The guard's
    # unraisable hook sends the signal again; it is handled in the main thread's
    # own code (here the sleep loop), as Interrupted for SIGTERM, within 5 s.
    # Nothing is printed, and restore() puts back the hook found before.
    before = sys.unraisablehook
    guard = SignalGuard().install()
    try:
        _sigterm_from_a_weakref_callback(guard._handle)
    finally:
        guard.restore()
    assert sys.unraisablehook is before
    assert "Exception ignored" not in capsys.readouterr().err


def test_other_unraisable_errors_go_to_the_hook_found_before() -> None:
    # A ValueError in a weakref callback is not the guard's: the hook that was in
    # place when the guard was installed receives it.
    seen: list[type[BaseException]] = []
    before = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(u.exc_type)
    guard = SignalGuard().install()
    try:
        thing = _Thing()

        def fail(_: object) -> None:
            raise ValueError("not an interrupt")

        ref = weakref.ref(thing, fail)
        del thing
        assert ref() is None
    finally:
        guard.restore()
        sys.unraisablehook = before
    assert seen == [ValueError]


def test_a_termination_in_a_weakref_callback_while_outputs_are_written_is_not_lost(
        capsys: pytest.CaptureFixture) -> None:
    # While outputs are written, SIGTERM's handler is model/outputs/lock.py's (the
    # cleanup runs). Raised inside a weakref callback (or an at-fork hook), its
    # interrupt is an Interrupted, so the guard sends it again and it lands in the
    # main thread's own code within 5 s; a plain KeyboardInterrupt there was
    # printed as "Exception ignored" and the run went on.
    guard = SignalGuard().install()
    try:
        with terminations_as_interrupt():
            _sigterm_from_a_weakref_callback(signal.getsignal(signal.SIGTERM))
    finally:
        guard.restore()
    assert "Exception ignored" not in capsys.readouterr().err
