"""Peak resident memory per phase (Linux: VmHWM, reset through clear_refs).

``reset_peak()`` starts a new measurement window; ``peak_mb()`` is the highest
resident set size since then, in MiB; ``rss_mb()`` the resident set size now.
Where /proc is unavailable the reset is a no-op and both fall back to the
process's lifetime peak (or 0).
"""

from __future__ import annotations

import contextlib
import resource
import sys
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR = Path("/proc/self/clear_refs")


def reset_peak() -> None:
    """Start a new peak window (writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        _CLEAR.write_text("5")


def _status_mb(field: str) -> float | None:
    """A ``/proc/self/status`` memory line (``VmRSS``, ``VmHWM``) in MiB, or None
    where there is none (not Linux)."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def rss_mb() -> float:
    """Resident memory now in MiB (Linux VmRSS; elsewhere the lifetime peak)."""
    now = _status_mb("VmRSS")
    return peak_mb() if now is None else now


def peak_mb() -> float:
    """Peak resident memory since the last ``reset_peak()`` in MiB."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    most = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return most / (1024.0 * 1024.0) if sys.platform == "darwin" else most / 1024.0
