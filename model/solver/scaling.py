"""The scaling check: coefficient ranges of an LP, and warnings before the solve.

A warning names the range when the nonzero magnitudes span more than ``MAX_SPAN``
orders of magnitude or leave the window [``SMALLEST``, ``LARGEST``] that HiGHS
handles reliably.
"""

from __future__ import annotations

import logging
import math

import highspy
import numpy as np

log = logging.getLogger(__name__)
MAX_SPAN = 1e10
SMALLEST = 1e-7
LARGEST = 1e12


def lp_parts(lp: highspy.HighsLp) -> dict[str, np.ndarray]:
    """The numbers of ``lp`` by kind: matrix, cost, bound, rhs."""
    return {
        "matrix": np.asarray(lp.a_matrix_.value_, dtype=float),
        "cost": np.asarray(lp.col_cost_, dtype=float),
        "bound": np.concatenate([np.asarray(lp.col_lower_, dtype=float),
                                 np.asarray(lp.col_upper_, dtype=float)]),
        "rhs": np.concatenate([np.asarray(lp.row_lower_, dtype=float),
                               np.asarray(lp.row_upper_, dtype=float)]),
    }


def coefficient_ranges(lp: highspy.HighsLp) -> dict[str, tuple[float, float]]:
    """(smallest, largest) nonzero magnitude of matrix, cost, bounds and rhs."""
    return part_ranges(lp_parts(lp))


def part_ranges(parts: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """(smallest, largest) nonzero magnitude of each kind of number."""
    out = {}
    for name, values in parts.items():
        finite = np.isfinite(values) & (np.abs(values) < highspy.kHighsInf)
        mags = np.abs(values[finite])
        mags = mags[mags > 0]
        if len(mags):
            out[name] = (float(mags.min()), float(mags.max()))
    return out


def scaling_warnings(lp: highspy.HighsLp) -> list[str]:
    """Human warnings about coefficient ranges HiGHS may mishandle."""
    return part_warnings(lp_parts(lp))


def part_warnings(parts: dict[str, np.ndarray]) -> list[str]:
    """``scaling_warnings`` of numbers by kind (``lp_parts``)."""
    warnings = []
    for name, (low, high) in part_ranges(parts).items():
        if high / low > MAX_SPAN:
            warnings.append(f"{name} coefficients span [{low:.3g}, {high:.3g}], more "
                            f"than {math.log10(MAX_SPAN):.0f} orders of magnitude")
        elif low < SMALLEST or high > LARGEST:
            warnings.append(f"{name} coefficients reach [{low:.3g}, {high:.3g}], "
                            f"outside [{SMALLEST:g}, {LARGEST:g}]")
    return warnings


def warn_scaling(lp: highspy.HighsLp, scenario: str) -> None:
    """Log a warning per badly scaled coefficient range (before the solve)."""
    warn_parts(lp_parts(lp), scenario)


def warn_parts(parts: dict[str, np.ndarray], scenario: str) -> None:
    """``warn_scaling`` of numbers by kind (``lp_parts``)."""
    for text in part_warnings(parts):
        log.warning("scenario '%s': %s; results may be inaccurate (check units: "
                    "t not kg, USD not thousands)", scenario, text)
