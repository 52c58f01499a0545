"""The solves of ``reroute frontier`` as plain-data tasks.

Every task of a round asks for one point (``trace.Request``: an end of the
frontier or a weighted solve); the context is the case, the scenario and the
solve options. Each process builds the scenario's LP once per context, passes it
to HiGHS once (``model.solver.session.Session``) and keeps it, so its later solves,
in this round and the next, start from the last basis (warm where the method
allows it: the simplex methods). Outcomes are ``Point``s: three numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.data.case import Case
from model.data.indices import LPIndex, build_index
from model.data.scenarios import scenario_data
from model.formulation.matrix import assemble
from model.frontier.trace import Objectives, Point, Request, solve_request
from model.solver.records import LinearProgram, SolveOptions
from model.solver.session import Session



def objectives(case: Case, ix: LPIndex, program: LinearProgram) -> Objectives:
    """C, U and shortfall tonnes per column of ``program`` (MODEL-SPEC §8.1)."""
    lp = program.lp
    cost = np.asarray(lp.col_cost_, dtype=float).copy()
    short_cols = program.column_of["short"]
    present = short_cols >= 0
    cost[short_cols[present]] = 0.0
    short = ix.short
    scope = short["region"].isin(case.scope_regions()).to_numpy()
    price = short["commodity"].map(case.table("commodities").set_index("commodity")[
        "reference_price_usd_per_t"]).fillna(0.0).to_numpy(dtype=float)
    df = short["year"].map(ix.discount).to_numpy(dtype=float)
    unmet, tonnes = np.zeros(len(cost)), np.zeros(len(cost))
    unmet[short_cols[present]] = (price * df * scope)[present]
    tonnes[short_cols[present]] = scope[present].astype(float)
    return Objectives(cost, unmet, tonnes, float(lp.offset_))


@dataclass(frozen=True)
class FrontierContext:
    """What every task of one frontier shares."""

    case: Case
    scenario: str
    options: SolveOptions


@dataclass(frozen=True)
class PointTask:
    """Request ``request``; ``key`` is its place in the round."""

    key: int
    request: Request


@dataclass(frozen=True)
class PointOutcome:
    key: int
    point: Point
    solves: int  # HiGHS runs it took


@dataclass
class Kept:
    """One process's scenario LP, its objectives and its HiGHS session."""

    index: LPIndex
    program: LinearProgram
    objectives: Objectives
    full: np.ndarray  # the LP's own costs (the penalty objective)
    session: Session


_KEPT: dict[tuple[object, ...], Kept] = {}


def kept(context: FrontierContext) -> Kept:
    """This process's LP of the context's scenario (built on first use)."""
    key = (context.case.input_hash, context.scenario, context.options)
    if key not in _KEPT:
        _KEPT.clear()  # one frontier at a time
        case = context.case
        ix = build_index(scenario_data(case, context.scenario))
        program = assemble(ix)
        full = np.asarray(program.lp.col_cost_, dtype=float).copy()
        _KEPT[key] = Kept(ix, program, objectives(case, ix, program), full,
                          Session(program, context.scenario, context.options))
    return _KEPT[key]


def forget(context: FrontierContext) -> None:
    """Let this process's kept LP of ``context`` go."""
    _KEPT.pop((context.case.input_hash, context.scenario, context.options), None)


def run_task(context: FrontierContext, task: PointTask) -> PointOutcome:
    """Solve one request in this process's kept session."""
    mine = kept(context)
    before = mine.session.solves
    found = solve_request(mine.session, mine.objectives, task.request)
    return PointOutcome(task.key, found, mine.session.solves - before)
