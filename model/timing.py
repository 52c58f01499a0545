"""Wall seconds, CPU seconds and peak resident memory per named phase.

The CPU seconds of a phase are those of the thread that ran it (``reroute solve``
runs HiGHS in threads of its own while the next scenario is built,
model/scenario_schedule.py; with ``--threads`` above 1, HiGHS's own helper
threads are not in the ``solve`` phase's CPU, its wall seconds are). Phases may
overlap in time across threads (the ``solve`` wall seconds of two scenarios
solved at the same time are both counted): the resident-memory peak is reset only when a
phase starts while no other phase is open, so a phase's peak is that of the
process since the earliest start among the phases open with it (the true peak of
the phase or more, never less).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from model.memory import peak_mb, reset_peak

_OPEN = [0]  # phases open in this process, over every thread and timer
_OPEN_LOCK = threading.Lock()


@contextmanager
def peak_window() -> Iterator[None]:
    """A window of the resident-memory peak: the peak is reset on entry only if no
    other window is open (a reset would cut short the open one's)."""
    with _OPEN_LOCK:
        if _OPEN[0] == 0:
            reset_peak()
        _OPEN[0] += 1
    try:
        yield
    finally:
        with _OPEN_LOCK:
            _OPEN[0] -= 1


class PhaseRecord(Protocol):
    seconds: dict[str, float]
    cpu_seconds: dict[str, float]
    peak_mb: dict[str, float]


class PhaseTimer:
    """Accumulates wall and CPU seconds and the peak memory (MiB) of each phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu_seconds: dict[str, float] = defaultdict(float)
        self.peak_mb: dict[str, float] = defaultdict(float)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        with peak_window():
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                yield
            finally:
                self.seconds[name] += time.perf_counter() - start
                self.cpu_seconds[name] += time.thread_time() - cpu
                self.peak_mb[name] = max(self.peak_mb[name], peak_mb())

    def add(self, other: PhaseRecord) -> None:
        """Merge phases timed elsewhere (the solver's translate, solve, extract)."""
        for name, value in other.seconds.items():
            self.seconds[name] += value
            self.cpu_seconds[name] += other.cpu_seconds.get(name, 0.0)
        for name, value in other.peak_mb.items():
            self.peak_mb[name] = max(self.peak_mb[name], value)
