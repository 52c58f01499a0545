"""Wall seconds, CPU seconds and peak resident memory per named phase."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from model.memory import peak_mb, reset_peak


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
        reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start
            self.cpu_seconds[name] += time.process_time() - cpu
            self.peak_mb[name] = max(self.peak_mb[name], peak_mb())

    def add(self, other: PhaseRecord) -> None:
        """Merge phases timed elsewhere (the solver's translate, solve, extract)."""
        for name, value in other.seconds.items():
            self.seconds[name] += value
            self.cpu_seconds[name] += other.cpu_seconds.get(name, 0.0)
        for name, value in other.peak_mb.items():
            self.peak_mb[name] = max(self.peak_mb[name], value)
