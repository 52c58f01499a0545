"""The independent solves of ``reroute hedge`` as plain-data tasks.

Round 1 needs only the case: each scenario's own solve (wait-and-see), the
stochastic solution (RP), the mean-value problem (EV), the stochastic solution at
each CVaR weight, and the baseline alone when it has no probability. Round 2 fixes
plans that round 1 found: the mean-value plan and the baseline's plan in the
stochastic LP (EEV, BPE), and each scenario's plan in every other scenario (the
regret table). The tasks of a round are independent, so any executor of
``model.parallel.executors`` may run them, in any order.

A task names what to solve; a plan travels as its decisions before the first
parting (``Plan``); an outcome is a ``ScenarioResult``, a ``StochasticResult`` or a
regret row: DataFrames and numbers, never a solver object. Each worker builds the
members of the hedging set once per context and keeps them for its later tasks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from model.data.case import Case
from model.errors import SolveError
from model.hedge.mean_value import NAME as MEAN_VALUE
from model.hedge.mean_value import mean_value_case
from model.hedge.problem import (
    Member,
    Plan,
    Risk,
    fixed_to_plan,
    lead_times,
    members,
    plan_of,
    solve_alone,
    solve_stochastic,
)
from model.hedge.tree import Link
from model.solver.records import SolveOptions

ALONE = "alone"  # one scenario's own LP
STOCHASTIC = "stochastic"  # the stochastic LP (with ``risk``)
FIXED_STOCHASTIC = "fixed_stochastic"  # the stochastic LP with ``plan`` fixed
FIXED_ALONE = "fixed_alone"  # one scenario's LP with ``plan`` fixed: a regret row


@dataclass(frozen=True)
class HedgeContext:
    """What every task of one hedge shares."""

    case: Case  # as ``value.deterministic`` makes it
    weights: dict[str, float]
    links: tuple[Link, ...]
    commit: int  # decisions before this year are the plan to commit now
    options: SolveOptions


@dataclass(frozen=True)
class HedgeTask:
    """One solve: ``key`` files its outcome, ``label`` says what it is."""

    key: str
    label: str
    kind: str
    scenario: str = ""  # ALONE, FIXED_ALONE: the scenario solved
    plan: Plan | None = None  # FIXED_*: the decisions kept
    plan_name: str = ""  # FIXED_ALONE: whose plan (the regret row's ``plan``)
    risk: Risk = field(default_factory=Risk)


@dataclass
class TaskOutcome:
    """What a task gives back: ``value`` (see the module docstring), for ALONE
    the scenario's ``plan``, or the ``failure`` (scenario, condition, detail) of a
    solve that stopped without an optimum."""

    key: str
    value: object = None
    plan: Plan | None = None
    failure: tuple[str, str, str] | None = None
    seconds: float = 0.0


_KEPT: dict[tuple[object, ...], dict[str, Member]] = {}


def kept_members(context: HedgeContext) -> dict[str, Member]:
    """This process's members of the hedging set (built on first use)."""
    key = (context.case.input_hash, tuple(context.weights.items()))
    if key not in _KEPT:
        _KEPT.clear()  # one hedge at a time
        _KEPT[key] = {m.name: m for m in members(context.case, context.weights)}
    return _KEPT[key]


def forget() -> None:
    """Let this process's kept members go."""
    _KEPT.clear()


def member_of(context: HedgeContext, name: str) -> Member:
    """A member of the set, the mean-value scenario, or (the baseline without a
    probability) a scenario on its own."""
    kept = kept_members(context)
    if name in kept:
        return kept[name]
    if name == MEAN_VALUE:
        return members(mean_value_case(context.case, context.weights),
                       {MEAN_VALUE: 1.0})[0]
    return members(context.case, {name: 1.0})[0]


def run_task(context: HedgeContext, task: HedgeTask) -> TaskOutcome:
    """Solve ``task``; a solve without an optimum is returned as a failure."""
    start = time.perf_counter()
    try:
        value, plan = _solve(context, task)
    except SolveError as exc:
        return TaskOutcome(task.key, failure=(exc.scenario, exc.condition, exc.detail))
    return TaskOutcome(task.key, value, plan, seconds=time.perf_counter() - start)


def _solve(context: HedgeContext, task: HedgeTask) -> tuple[object, Plan | None]:
    case, options, commit = context.case, context.options, context.commit
    group = list(kept_members(context).values())
    if task.kind == ALONE:
        m = member_of(context, task.scenario)
        result = solve_alone(case, m, options)
        return result, plan_of(result, lead_times(m), commit)
    if task.kind == STOCHASTIC:
        return solve_stochastic(case, group, list(context.links), options,
                                task.risk), None
    assert task.plan is not None
    if task.kind == FIXED_STOCHASTIC:
        fixed = [fixed_to_plan(m, task.plan, commit) for m in group]
        return solve_stochastic(case, fixed, list(context.links), options,
                                label=task.key), None
    m = member_of(context, task.scenario)
    result = solve_alone(case, fixed_to_plan(m, task.plan, commit), options)
    return regret_row(case, task.plan_name, m.name, m.probability, result), None


def regret_row(case: Case, plan: str, name: str, probability: float,
               result: object) -> dict[str, object]:
    """plan, scenario, probability, cost_usd, shortfall_t, unmet_reference_usd of
    ``result`` (a ScenarioResult): the scope's shortfall, also at reference
    prices, discounted."""
    short = result.tables["shortfall"]  # type: ignore[attr-defined]
    mine = short[short["region"].isin(case.scope_regions())]
    commodities = case.table("commodities").set_index("commodity")
    price = mine["commodity"].map(commodities["reference_price_usd_per_t"]).fillna(0)
    rate, base = case.settings.discount_rate, case.settings.base_year
    df = (1 + rate) ** -(mine["year"] - base)
    return {"plan": plan, "scenario": name, "probability": probability,
            "cost_usd": result.objective,  # type: ignore[attr-defined]
            "shortfall_t": float(mine["shortfall_t"].sum()),
            "unmet_reference_usd": float((mine["shortfall_t"] * price * df).sum())}


def failed(task: HedgeTask, reason: str) -> SolveError:
    """The error of a task lost by its executor (it raised, or its worker died)."""
    return SolveError(task.label, "lost", reason)
