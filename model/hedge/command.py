"""``reroute hedge CASE``: the hedging set's stochastic solution, its value of
information and (optionally) its plans under CVaR weights; writes
``outputs/<case>/hedge/`` (or ``--out``): ``report.xlsx``, ``tables/*.csv`` and
``run.json``, staged and committed like a solve's (``model.outputs``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.data.case import Case, load_case
from model.data.scenarios import probabilities, scenario_data
from model.errors import InputError, Problem
from model.hedge.problem import Risk
from model.hedge.tasks import run_task
from model.hedge.value import HedgeOutcome, hedge, hedge_plan, value_table
from model.outputs import refuse_unwritable, staged_output
from model.parallel.executors import make_executor
from model.parallel.options import IN_PROCESS, Placement
from model.parallel.progress import NO_STEPS, Steps
from model.pipeline import combine
from model.report.csv_tables import write_tables
from model.report.run_record import versions, write_run_record
from model.results.tables import checked
from model.solver.records import SolveOptions

PRELOAD = ("model.hedge.tasks",)  # what a pool's workers import at start


@dataclass
class HedgeRun:
    """A finished hedge: the case, the outcome and its tables."""

    case: Case
    outcome: HedgeOutcome
    tables: dict[str, pd.DataFrame]
    seconds: float
    where: Placement = IN_PROCESS


def hedging_set(case: Case) -> dict[str, float]:
    """The scenarios with a probability; InputError unless there are two or more."""
    weights = probabilities(case)
    if len(weights) < 2:
        raise InputError(Problem(
            f"reroute hedge needs two or more scenarios with a probability (found "
            f"{len(weights)}); give them in the scenarios table's probability column",
            table="scenarios", column="probability"))
    return weights


def hedge_tables(case: Case, outcome: HedgeOutcome) -> dict[str, pd.DataFrame]:
    """The §5 tables of the stochastic solution and the hedge's own tables."""
    results = [outcome.rp.results[n] for n in outcome.weights]
    tables = combine(case, results)
    leads = {n: scenario_data(case, n).expansion[["region", "process", "lead_time"]]
             for n in outcome.weights}
    tables["hedge_plan"] = hedge_plan(outcome, leads)
    tables["value_of_information"] = value_table(outcome)
    tables["regret"] = outcome.regret
    if outcome.risk:
        tables.update(risk_tables(outcome, leads))
    return checked(tables)


def risk_tables(outcome: HedgeOutcome, leads: dict[str, pd.DataFrame]
                ) -> dict[str, pd.DataFrame]:
    """hedge_risk (one row per CVaR weight) and hedge_plan_by_weight."""
    rows, plans = [], []
    for risk, result in outcome.risk:
        rows.append({"weight": risk.weight, "alpha": risk.alpha, "loss": risk.loss,
                     "expected_cost_usd": result.expected_cost,
                     "var_usd": result.var_usd, "cvar_usd": result.cvar_usd})
        shadow = HedgeOutcome(outcome.weights, outcome.commit_before, outcome.links,
                              result, outcome.ws, outcome.ev, outcome.eev,
                              outcome.bpe, outcome.regret)
        plans.append(hedge_plan(shadow, leads).assign(weight=risk.weight))
    plan = pd.concat(plans, ignore_index=True)
    return {"hedge_risk": pd.DataFrame(rows),
            "hedge_plan_by_weight": plan[["weight", "region", "process",
                                          "online_year", "capacity_tpa",
                                          "decided_year"]]}


def run_hedge(case_path: Path, out_dir: Path | None, options: SolveOptions,
              risks: list[Risk] = (), where: Placement = IN_PROCESS,
              progress: Steps = NO_STEPS) -> HedgeRun:
    """Load, hedge and (if ``out_dir``) write the outputs atomically; the
    independent solves run where ``where`` says (default: this process)."""
    start = time.perf_counter()
    if out_dir is not None:
        refuse_unwritable(Path(case_path), out_dir, "hedge")
    case = load_case(case_path)
    weights = hedging_set(case)
    executor = make_executor(where, run_task, PRELOAD)
    outcome = hedge(case, weights, options, list(risks), executor, progress)
    tables = hedge_tables(case, outcome)
    run = HedgeRun(case, outcome, tables, time.perf_counter() - start, where)
    if out_dir is not None:
        from model.hedge.report import write_hedge_report  # noqa: PLC0415

        with staged_output(out_dir, "hedge") as staging:
            write_tables(tables, staging / "tables")
            write_hedge_report(case.name, outcome.commit_before, weights, tables,
                               staging / "report.xlsx")
            write_run_record(run_info(run, options), staging / "run.json")
    return run


def run_info(run: HedgeRun, options: SolveOptions) -> dict[str, object]:
    outcome = run.outcome
    return {"case": run.case.name, "case_path": run.case.path,
            "input_hash": run.case.input_hash, "versions": versions(),
            "command": "hedge", "options": options.as_dict(),
            "executor": run.where.as_dict(),
            "probabilities": outcome.weights,
            "commit_before_year": outcome.commit_before,
            "links": [{"earlier": k.earlier, "later": k.later, "shared_until": k.until}
                      for k in outcome.links],
            "value_of_information": outcome.metrics(),
            "risk": [{"weight": r.weight, "alpha": r.alpha, "loss": r.loss}
                     for r, _ in outcome.risk],
            "seconds": {"total": round(run.seconds, 3),
                        **{k: round(v, 3) for k, v in outcome.seconds.items()}}}
