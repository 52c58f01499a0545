r"""The exact piecewise-linear frontier "least cost such that unmet ≤ ε".

With C(x) = total_cost_usd (the LP's objective without the shortfall penalty)
and U(x) = unmet_reference_usd (the scope's shortfall at reference prices,
discounted), the frontier F(ε) = min { C(x) : U(x) ≤ ε } of an LP is convex and
piecewise linear; its breakpoints are vertices of the LP's image in the (U, C)
plane, and every one of them minimises C + w U for some w ≥ 0.

Non-inferior set estimation (Cohon, Church and Sheer 1979; the dichotomic
method): start from the two ends, A = the least U (lexicographic: least U, then
least C at that U) and B = the least C (then least U at that C: the plan that
buys nothing it does not have to). For a segment P–Q (U_P < U_Q, C_P > C_Q) take
w = (C_P − C_Q) / (U_Q − U_P), the weight at which P and Q tie, and minimise
C + w U. If the optimum lies below the line through P and Q it is a new
breakpoint R: trace P–R and R–Q; otherwise P–Q is a segment of the frontier.
Each solve either finds a new breakpoint or closes a segment, so the method
ends after 2k − 3 weighted solves for k breakpoints, every one exact (up to the
solver's tolerance), none missed, with no grid.

The slope of the segment ending at a breakpoint is ΔC / ΔU (≤ 0: US$ of cost
per US$ of unmet demand; −slope is what avoiding one more US$ of unmet demand
costs there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.solver.session import Session

REL_GAP = 1e-7  # a weighted optimum this far below the chord is a new breakpoint
LEX_SLACK = 1e-9  # the second stage of a lexicographic end may exceed the first


@dataclass(frozen=True)
class Objectives:
    """Per LP column: its total cost (penalty excluded), its unmet value at
    reference prices and its shortfall tonnes (scope); ``offset`` the constant."""

    cost: np.ndarray
    unmet: np.ndarray
    tonnes: np.ndarray
    offset: float


@dataclass(frozen=True)
class Point:
    """A plan on the frontier."""

    unmet_usd: float
    cost_usd: float
    shortfall_t: float


ZERO = 1e-6  # US$ or tonnes below this are reported as zero


def point(obj: Objectives, x: np.ndarray) -> Point:
    values = (float(obj.unmet @ x), float(obj.cost @ x + obj.offset),
              float(obj.tonnes @ x))
    return Point(*(0.0 if abs(v) < ZERO else v for v in values))


def lexicographic(session: Session, first: np.ndarray, second: np.ndarray,
                  ) -> np.ndarray:
    """Least ``second · x`` among the plans of least ``first · x``."""
    x = session.minimise(first)
    if x is None:
        raise RuntimeError("the scenario's LP is infeasible")
    least = float(first @ x)
    nz = np.flatnonzero(first)
    rows = session.add_rows(np.array([-np.inf]), np.array(
        [least + LEX_SLACK * max(abs(least), 1.0)]), np.zeros(len(nz), dtype=np.int64),
        nz, first[nz])
    y = session.minimise(second)
    session.set_row_bounds(rows, np.array([-np.inf]), np.array([np.inf]))
    return x if y is None else y


def trace(session: Session, obj: Objectives,
          on_point: Callable[[Point], None] | None = None) -> list[Point]:
    """Every breakpoint of the frontier, in increasing unmet value;
    ``on_point`` is told of each one as it is found."""
    tell = on_point or (lambda _p: None)
    low = point(obj, lexicographic(session, obj.unmet, obj.cost))
    tell(low)
    high = point(obj, lexicographic(session, obj.cost, obj.unmet))
    tell(high)
    if high.unmet_usd - low.unmet_usd <= REL_GAP * max(high.unmet_usd, 1.0):
        return [low]
    found = [low, high]
    pending = [(low, high)]
    while pending:
        p, q = pending.pop()
        w = (p.cost_usd - q.cost_usd) / (q.unmet_usd - p.unmet_usd)
        x = session.minimise(obj.cost + w * obj.unmet)
        r = point(obj, x)
        chord = p.cost_usd + w * p.unmet_usd
        value = r.cost_usd + w * r.unmet_usd
        if value < chord - REL_GAP * max(abs(chord), 1.0) and \
                p.unmet_usd < r.unmet_usd < q.unmet_usd:
            found.append(r)
            tell(r)
            pending += [(p, r), (r, q)]
    return sorted(found, key=lambda pt: pt.unmet_usd)


def slopes(points: list[Point]) -> list[float | None]:
    """ΔC / ΔU of the segment ending at each point (None on the first)."""
    out: list[float | None] = [None]
    for a, b in zip(points, points[1:], strict=False):
        out.append((b.cost_usd - a.cost_usd) / (b.unmet_usd - a.unmet_usd))
    return out
