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

The solves run in two rounds of independent tasks (``tasks``), each on the
executor given (in this process by default): first WS, RP, EV and the CVaR
weights, then the plans they found fixed (EEV, BPE, the regret cells).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import pandas as pd

from model.data.case import Case
from model.data.scenarios import baseline_name
from model.errors import SolveError
from model.hedge.mean_value import NAME as MEAN_VALUE
from model.hedge.problem import Plan, Risk, StochasticResult
from model.hedge.tree import Link, first_parting, tree_links
from model.hedge.tasks import (
    ALONE,
    FIXED_ALONE,
    FIXED_STOCHASTIC,
    STOCHASTIC,
    HedgeContext,
    HedgeTask,
    TaskOutcome,
    failed,
    forget,
    regret_row,
    run_task,
)
from model.parallel.executors import Executor, SerialExecutor, Workers
from model.parallel.progress import NO_STEPS, Steps
from model.results.extract import ScenarioResult
from model.solver.records import SolveOptions

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
          risks: list[Risk] = (), executor: Executor | None = None,
          progress: Steps = NO_STEPS) -> HedgeOutcome:
    """Solve the hedging set ``weights`` and its value of information; the
    independent solves run on ``executor`` (default: this process), and
    ``progress`` is told of each round and of each task as it finishes."""
    case = deterministic(case)
    names = list(weights)
    links = tree_links(case, names)
    commit = first_parting(case, names)
    context = HedgeContext(case, dict(weights), tuple(links), commit, options)
    base = baseline_name(case)
    first = first_round(names, base, list(risks))
    executor = executor or SerialExecutor(run_task)
    seconds: dict[str, float] = {}
    try:
        with executor.open(context) as workers:
            start = time.perf_counter()
            done = run_round(workers, first, progress)
            seconds["round_1"] = time.perf_counter() - start
            plans = {k: out.plan for k, out in done.items() if out.plan is not None}
            second = second_round(names, base, plans)
            start = time.perf_counter()
            done.update(run_round(workers, second, progress))
            seconds["round_2"] = time.perf_counter() - start
    finally:
        forget()  # what this process kept for the tasks it ran
    for task in [*first, *second]:
        kind = task.key.split(":")[0]
        seconds[f"{kind}_task_sum"] = seconds.get(f"{kind}_task_sum", 0.0) + done[
            task.key].seconds
    return outcome_of(context, done, names, list(risks), seconds)


def first_round(names: list[str], base: str, risks: list[Risk]) -> list[HedgeTask]:
    """Tasks that need only the case: WS, RP, EV, the CVaR weights (and the
    baseline alone when it has no probability)."""
    tasks = [HedgeTask(f"ws:{n}", f"wait-and-see {n}", ALONE, n) for n in names]
    if base not in names:
        tasks.append(HedgeTask(f"ws:{base}", f"baseline {base}", ALONE, base))
    tasks.append(HedgeTask("rp", "stochastic solution", STOCHASTIC))
    tasks.append(HedgeTask("ev", "mean-value problem", ALONE, MEAN_VALUE))
    tasks += [HedgeTask(f"risk:{k}", f"CVaR weight {r.weight:g}", STOCHASTIC,
                        risk=r) for k, r in enumerate(risks)]
    return tasks


def second_round(names: list[str], base: str, plans: dict[str, Plan]
                 ) -> list[HedgeTask]:
    """Tasks that fix a plan of the first round: EEV, BPE and the regret cells
    (each scenario's plan in every other scenario)."""
    tasks = [HedgeTask("eev", "mean-value plan", FIXED_STOCHASTIC, plan=plans["ev"]),
             HedgeTask("bpe", "baseline plan", FIXED_STOCHASTIC,
                       plan=plans[f"ws:{base}"])]
    for plan in names:
        tasks += [HedgeTask(f"regret:{plan}:{n}", f"plan of {plan} in {n}",
                            FIXED_ALONE, n, plans[f"ws:{plan}"], plan)
                  for n in names if n != plan]
    return tasks


def run_round(workers: Workers, tasks: list[HedgeTask], progress: Steps
              ) -> dict[str, TaskOutcome]:
    """Every task's outcome by key; the first failure or lost task raised."""
    progress.grow(len(tasks))
    labels = {t.key: t.label for t in tasks}
    done: dict[str, TaskOutcome] = {}
    lost: list[Exception] = []

    def on_outcome(outcome: TaskOutcome) -> None:
        done[outcome.key] = outcome
        progress.advance(labels[outcome.key])

    workers.run(tasks, on_outcome, lambda t, reason: lost.append(failed(t, reason)))
    if lost:
        raise lost[0]
    for task in tasks:  # in the order of the tasks, not of their finishing
        if done[task.key].failure is not None:
            raise SolveError(*done[task.key].failure)
    return done


def outcome_of(context: HedgeContext, done: dict[str, TaskOutcome],
               names: list[str], risks: list[Risk], seconds: dict[str, float]
               ) -> HedgeOutcome:
    """The ``HedgeOutcome`` of the two rounds' outcomes."""
    value = {key: out.value for key, out in done.items()}
    rp = value["rp"]
    rows = []
    for plan in names:
        for n in names:
            rows.append(regret_row(context.case, plan, n, context.weights[n],
                                   value[f"ws:{n}"]) if n == plan else
                        value[f"regret:{plan}:{n}"])
    for label, outcome in ((HEDGE_PLAN, rp), (MEAN_VALUE, value["eev"])):
        rows += [regret_row(context.case, label, n, context.weights[n],
                            outcome.results[n]) for n in names]
    return HedgeOutcome(context.weights, context.commit, list(context.links), rp,
                        {n: value[f"ws:{n}"] for n in names}, value["ev"],
                        value["eev"], value["bpe"],
                        pd.DataFrame(rows, columns=REGRET_COLUMNS),
                        [(r, value[f"risk:{k}"]) for k, r in enumerate(risks)],
                        seconds)


def deterministic(case: Case) -> Case:
    """The case as the hedge solves it: the penalty objective (all costs here
    include the shortfall penalty) and no foresight pins of its own."""
    settings = dataclasses.replace(case.settings, objective="penalty",
                                   foresight="perfect")
    return dataclasses.replace(case, settings=settings)


REGRET_COLUMNS = ["plan", "scenario", "probability", "cost_usd", "shortfall_t",
                  "unmet_reference_usd"]


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
