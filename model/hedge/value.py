r"""The value of information of a hedging set (MODEL-SPEC §8.4).

With p_s the probabilities, z_s(x) scenario s's cost (penalty included) and
\bar{x} the decisions every scenario shares (those before the first year any two
differ):

    RP   = \min_{x \text{ non-anticipative}} \sum_s p_s z_s(x)
    WS   = \sum_s p_s \min_x z_s(x)                 (perfect information)
    EV   = \min_x z_{\bar{s}}(x)                     (the mean-value scenario)
    EEV  = RP with \bar{x} fixed to the mean-value plan
    BPE  = RP with \bar{x} fixed to the baseline's plan
    VSS  = EEV − RP \ge 0, \quad EVPI = RP − WS \ge 0

WS ≤ RP because the stochastic LP only adds rows to the scenarios' own LPs; RP
≤ EEV and RP ≤ BPE because fixing \bar{x} only adds rows to the stochastic LP.
Every fixed plan stays feasible in every scenario (shortfall is priced), so every
figure is finite.

The regret table evaluates each scenario's own plan (its \bar{x}) in every other
scenario (\bar{x} fixed, the rest chosen knowing the scenario), the hedging plan
and the mean-value plan as the stochastic solves left them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from model.data.case import Case
from model.data.scenarios import baseline_name
from model.hedge.mean_value import NAME as MEAN_VALUE
from model.hedge.mean_value import mean_value_case
from model.hedge.problem import (
    Member,
    Risk,
    StochasticResult,
    fixed_to_plan,
    lead_times,
    members,
    solve_alone,
    solve_stochastic,
)
from model.hedge.tree import Link, first_parting, tree_links
from model.results.extract import ScenarioResult
from model.solver.records import SolveOptions
from model.timing import PhaseTimer

METRICS = ("RP", "WS", "EV", "EEV", "VSS", "EVPI", "BPE")
HEDGE_PLAN = "hedge"


@dataclass
class HedgeOutcome:
    """Everything ``reroute hedge`` reports."""

    weights: dict[str, float]
    commit_before: int  # decisions before this year are shared by every scenario
    links: list[Link]
    rp: StochasticResult
    ws: dict[str, ScenarioResult]
    ev: ScenarioResult
    eev: StochasticResult
    bpe: StochasticResult
    regret: pd.DataFrame
    risk: list[tuple[Risk, StochasticResult]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def metrics(self) -> dict[str, float]:
        rp, eev = self.rp.expected_cost, self.eev.expected_cost
        ws = sum(p * self.ws[n].objective for n, p in self.weights.items())
        return {"RP": rp, "WS": ws, "EV": self.ev.objective, "EEV": eev,
                "VSS": eev - rp, "EVPI": rp - ws, "BPE": self.bpe.expected_cost}


def hedge(case: Case, weights: dict[str, float], options: SolveOptions,
          risks: list[Risk] = (), on_step: Callable[[str], None] | None = None
          ) -> HedgeOutcome:
    """Solve the hedging set ``weights`` and its value of information."""
    case = deterministic(case)
    names = list(weights)
    links = tree_links(case, names)
    commit = first_parting(case, names)
    clock = PhaseTimer()
    step = on_step or (lambda _label: None)
    with clock.phase("build"):
        group = members(case, weights)
    ws = {}
    with clock.phase("wait_and_see"):
        for m in group:
            ws[m.name] = solve_alone(case, m, options)
            step(f"wait-and-see {m.name}")
    with clock.phase("stochastic"):
        rp = solve_stochastic(case, group, links, options)
    step("stochastic solution")
    with clock.phase("mean_value"):
        ev_member = members(mean_value_case(case, weights), {MEAN_VALUE: 1.0})[0]
        ev = solve_alone(case, ev_member, options)
        step("mean-value problem")
        eev = fixed_plan(case, group, links, ev, lead_times(ev_member), commit,
                         options, "eev")
    step("mean-value plan")
    with clock.phase("baseline_plan"):
        base = baseline_name(case)
        base_member = next((m for m in group if m.name == base), None) or members(
            case, {base: 1.0})[0]
        base_result = ws.get(base) or solve_alone(case, base_member, options)
        bpe = fixed_plan(case, group, links, base_result, lead_times(base_member),
                         commit, options, "bpe")
    step("baseline plan")
    with clock.phase("regret"):
        regret = regret_table(case, group, ws, commit, options, rp, eev, step)
    with clock.phase("risk"):
        risk = [(r, solve_stochastic(case, group, links, options, r)) for r in risks]
    return HedgeOutcome(weights, commit, links, rp, ws, ev, eev, bpe, regret, risk,
                        dict(clock.seconds))


def deterministic(case: Case) -> Case:
    """The case as the hedge solves it: the penalty objective (all costs here
    include the shortfall penalty) and no foresight pins of its own."""
    settings = dataclasses.replace(case.settings, objective="penalty",
                                   foresight="perfect")
    return dataclasses.replace(case, settings=settings)


def fixed_plan(case: Case, group: list[Member], links: list[Link],
               plan: ScenarioResult, plan_lead: pd.DataFrame, commit: int,
               options: SolveOptions, label: str) -> StochasticResult:
    """The stochastic LP with every scenario's decisions before ``commit`` fixed
    to ``plan``'s."""
    fixed = [fixed_to_plan(m, plan, plan_lead, commit) for m in group]
    return solve_stochastic(case, fixed, links, options, label=label)


REGRET_COLUMNS = ["plan", "scenario", "probability", "cost_usd", "shortfall_t",
                  "unmet_reference_usd"]


def regret_table(case: Case, group: list[Member], ws: dict[str, ScenarioResult],
                 commit: int, options: SolveOptions, rp: StochasticResult,
                 eev: StochasticResult, step: Callable[[str], None]
                 ) -> pd.DataFrame:
    """plan, scenario, probability, cost_usd, shortfall_t, unmet_reference_usd:
    each plan's commitments (decisions before ``commit``) kept in each scenario."""
    rows = []
    for plan in group:
        for m in group:
            result = ws[m.name] if m.name == plan.name else solve_alone(
                case, fixed_to_plan(m, ws[plan.name], lead_times(plan), commit),
                options)
            rows.append(_regret_row(case, plan.name, m.name, m.probability, result))
        step(f"plan of {plan.name} everywhere")
    for label, outcome in ((HEDGE_PLAN, rp), (MEAN_VALUE, eev)):
        for m in group:
            rows.append(_regret_row(case, label, m.name, m.probability,
                                    outcome.results[m.name]))
    return pd.DataFrame(rows, columns=REGRET_COLUMNS)


def _regret_row(case: Case, plan: str, name: str, probability: float,
                result: ScenarioResult) -> dict[str, object]:
    short = result.tables["shortfall"]
    scope = case.scope_regions()
    mine = short[short["region"].isin(scope)]
    commodities = case.table("commodities").set_index("commodity")
    price = mine["commodity"].map(commodities["reference_price_usd_per_t"]).fillna(0)
    rate, base = case.settings.discount_rate, case.settings.base_year
    df = (1 + rate) ** -(mine["year"] - base)
    return {"plan": plan, "scenario": name, "probability": probability,
            "cost_usd": result.objective,
            "shortfall_t": float(mine["shortfall_t"].sum()),
            "unmet_reference_usd": float((mine["shortfall_t"] * price * df).sum())}


def value_table(outcome: HedgeOutcome) -> pd.DataFrame:
    """metric, usd: the rows of MODEL-SPEC §8.4 in order."""
    values = outcome.metrics()
    return pd.DataFrame({"metric": list(METRICS),
                         "usd": [float(values[m]) for m in METRICS]})


def hedge_plan(outcome: HedgeOutcome, lead: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """region, process, online_year, capacity_tpa, decided_year: the builds of the
    stochastic solution decided before the first parting (the first scenario's
    copy; every scenario has the same)."""
    first = next(iter(outcome.weights))
    builds = outcome.rp.results[first].tables["builds"].merge(
        lead[first], on=["region", "process"])
    builds = builds.assign(decided_year=builds["online_year"] - builds["lead_time"])
    builds = builds[builds["decided_year"] < outcome.commit_before]
    return builds[["region", "process", "online_year", "capacity_tpa",
                   "decided_year"]].reset_index(drop=True)
