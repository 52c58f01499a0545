"""Phase records (model/timing.py) when phases overlap across threads."""

from __future__ import annotations

import threading
import time

import pytest

from model import timing
from model.timing import PhaseTimer


def test_peak_is_reset_only_when_no_phase_is_open(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A reset while another phase is open would cut that phase's peak window
    # short; so of the four phase starts below (A, B inside A, C inside B after A
    # closed, then D alone) only A's and D's reset the peak.
    resets: list[int] = []
    monkeypatch.setattr(timing, "reset_peak", lambda: resets.append(1))
    timer = PhaseTimer()
    a = timer.phase("a")
    a.__enter__()
    with timer.phase("b"):
        a.__exit__(None, None, None)
        with timer.phase("c"):
            pass
    with timer.phase("d"):
        pass
    assert len(resets) == 2
    assert timing._OPEN == [0]


def test_a_phase_counts_its_own_thread_cpu_only() -> None:
    # While the main thread sleeps 0.3 s in a phase another thread burns CPU; the
    # phase's CPU is the main thread's own (the sleep: close to 0), not the
    # process's (which the other thread's work would raise to about 0.3 s).
    stop = threading.Event()

    def burn() -> None:
        while not stop.is_set():
            sum(range(1000))

    other = threading.Thread(target=burn)
    other.start()
    timer = PhaseTimer()
    process_start = time.process_time()
    try:
        with timer.phase("sleep"):
            time.sleep(0.3)
    finally:
        stop.set()
        other.join()
    assert timer.seconds["sleep"] >= 0.3
    assert timer.cpu_seconds["sleep"] < 0.05
    assert time.process_time() - process_start > timer.cpu_seconds["sleep"]
