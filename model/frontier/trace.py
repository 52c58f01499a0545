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

The segments of one round are independent (each needs only its own two ends), so
``trace`` asks for one round's weighted solves at a time and any executor may run
them (``model.frontier.tasks``); which optimal vertex a solver returns for a tie
may depend on its warm start, so a point found on an edge of the frontier rather
than at its corner is dropped at the end (``corners``): the breakpoints are the
same whichever executor ran the solves.

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


LEAST_UNMET = "least_unmet"  # the end A: lexicographic, least U then least C
LEAST_COST = "least_cost"  # the end B: lexicographic, least C then least U


@dataclass(frozen=True)
class Request:
    """One solve of the trace: an end (``kind``) or ``min C + weight · U``."""

    kind: str = "weighted"
    weight: float = 0.0


SolveRound = Callable[[list[Request]], list[Point]]  # the points, in order


def solve_request(session: Session, obj: Objectives, request: Request) -> Point:
    """The point ``request`` asks for, solved in ``session``."""
    if request.kind == LEAST_UNMET:
        return point(obj, lexicographic(session, obj.unmet, obj.cost))
    if request.kind == LEAST_COST:
        return point(obj, lexicographic(session, obj.cost, obj.unmet))
    x = session.minimise(obj.cost + request.weight * obj.unmet)
    if x is None:
        raise RuntimeError("the scenario's LP is infeasible")
    return point(obj, x)


def trace(solve_round: SolveRound, on_point: Callable[[Point], None] | None = None
          ) -> list[Point]:
    """Every breakpoint of the frontier, in increasing unmet value;
    ``solve_round`` solves one round's requests, ``on_point`` is told of each
    point as it is found."""
    tell = on_point or (lambda _p: None)
    low, high = solve_round([Request(LEAST_UNMET), Request(LEAST_COST)])
    tell(low)
    tell(high)
    if high.unmet_usd - low.unmet_usd <= REL_GAP * max(high.unmet_usd, 1.0):
        return [low]
    found = [low, high]
    pending = [(low, high)]
    while pending:
        weights = [tie_weight(p, q) for p, q in pending]
        points = solve_round([Request(weight=w) for w in weights])
        later = []
        for (p, q), r in zip(pending, points, strict=True):
            if below_chord(p, q, r) and p.unmet_usd < r.unmet_usd < q.unmet_usd:
                found.append(r)
                tell(r)
                later += [(p, r), (r, q)]
        pending = later
    return corners(sorted(found, key=lambda pt: pt.unmet_usd))


def tie_weight(p: Point, q: Point) -> float:
    """The weight w at which C + w U is the same at ``p`` and ``q``."""
    return (p.cost_usd - q.cost_usd) / (q.unmet_usd - p.unmet_usd)


def below_chord(p: Point, q: Point, r: Point) -> bool:
    """Whether ``r`` lies below the line through ``p`` and ``q`` by more than the
    tolerance (at their tie weight)."""
    w = tie_weight(p, q)
    chord = p.cost_usd + w * p.unmet_usd
    return r.cost_usd + w * r.unmet_usd < chord - REL_GAP * max(abs(chord), 1.0)


def corners(points: list[Point]) -> list[Point]:
    """``points`` (by increasing U) without those that lie on the line through
    their neighbours: the corners of their lower convex hull."""
    out: list[Point] = []
    for r in points:
        while len(out) >= 2 and not below_chord(out[-2], r, out[-1]):
            out.pop()
        out.append(r)
    return out


def slopes(points: list[Point]) -> list[float | None]:
    """ΔC / ΔU of the segment ending at each point (None on the first)."""
    out: list[float | None] = [None]
    for a, b in zip(points, points[1:], strict=False):
        out.append((b.cost_usd - a.cost_usd) / (b.unmet_usd - a.unmet_usd))
    return out
