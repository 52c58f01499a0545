"""The output commit holds signals back even when the kernel delivers them to
another thread (a HiGHS or pool thread that does not block them): Python runs the
handler in the main thread whichever thread received the signal, so a signal mask
on the main thread alone let an interrupt land in the middle of the commit."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from model.outputs.lock import signals_deferred


class Late(Exception):
    pass


def _raise_late(_signum: int, _frame: object) -> None:
    raise Late


def test_a_signal_delivered_to_another_thread_waits_for_the_block() -> None:
    go = threading.Event()

    def worker() -> None:  # started before the block: it does not block SIGTERM
        go.wait(5)
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, _raise_late)
    thread = threading.Thread(target=worker)
    thread.start()
    steps: list[str] = []
    try:
        with pytest.raises(Late):
            with signals_deferred():
                go.set()
                thread.join(5)
                time.sleep(0.2)  # the main thread would run the handler here
                steps.append("block finished")
        # the handler in force before the block ran once, after the block
        assert steps == ["block finished"]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_no_signal_no_action() -> None:
    previous = signal.signal(signal.SIGTERM, _raise_late)
    try:
        with signals_deferred():
            pass
        assert signal.getsignal(signal.SIGTERM) is _raise_late  # handler restored
    finally:
        signal.signal(signal.SIGTERM, previous)
