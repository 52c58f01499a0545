"""report.xlsx of ``reroute hedge``: a Hedge sheet (what to commit now, what the
insurance costs, what each plan leaves short where), native charts, the tables.
docs/hedging.md explains how to read it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.hedge.value import HEDGE_PLAN
from model.report.excel.study_book import write_study_book
from model.report.excel.cells import FMT_T, FMT_USD_M, HEADING, Rows
from model.report.excel.charts import XYBook, clustered_columns

READING = {
    "RP": "expected cost of the hedging plan (the stochastic solution)",
    "WS": "expected cost if the future were known before anything is decided",
    "EV": "cost of the mean-value scenario (each uncertain input at its mean)",
    "EEV": "expected cost of committing to the mean-value scenario's plan",
    "VSS": "EEV − RP: what hedging saves over planning for the average future",
    "EVPI": "RP − WS: the most that knowing the future in advance is worth",
    "BPE": "expected cost of committing to the baseline's (no-risk) plan",
}


def write_hedge_report(case_name: str, commit_before: int,
                       weights: dict[str, float], tables: dict[str, pd.DataFrame],
                       path: Path) -> None:
    write_study_book(path, "Hedge", lambda rows: _first(rows, case_name, commit_before,
                                                  weights, tables),
               lambda book: _charts(book, tables), tables)


def _first(rows: Rows, case_name: str, commit_before: int,
           weights: dict[str, float], tables: dict[str, pd.DataFrame]) -> None:
    rows.text(f"Hedging plan of {case_name}", HEADING)
    rows.paragraph(
        "The scenarios below, each with its probability, are solved as one plan: "
        f"every decision taken before {commit_before} (builds by decision "
        "year, activity, flows, stock releases) is the same in all of them, and "
        "scenarios that part later share their decisions until they part. All "
        "costs include the shortfall penalty. See docs/hedging.md.")
    rows.append()
    frame = pd.DataFrame({"scenario": list(weights),
                          "probability": list(weights.values())})
    rows.block("Hedging set", frame, {"probability": "0.00"})
    rows.append()
    value = tables["value_of_information"].assign(
        reading=lambda f: f["metric"].map(READING))
    rows.block("Value of information (USD m, discounted)", value,
               {"usd": FMT_USD_M})
    rows.append()
    plan = tables["hedge_plan"]
    if plan.empty:
        rows.text(f"Commit now: nothing (no build decided before "
                  f"{commit_before} pays in expectation).")
    else:
        rows.block(f"Commit now: builds decided before {commit_before}",
                   plan, {"capacity_tpa": FMT_T, "online_year": "0",
                          "decided_year": "0"})
    rows.append()
    regret = tables["regret"]
    for column, title, fmt in (("cost_usd", "Cost of each plan in each scenario "
                                "(USD m, penalty included)", FMT_USD_M),
                               ("shortfall_t", "Shortfall each plan leaves in each "
                                "scenario (t, alliance scope)", FMT_T)):
        wide = regret.pivot(index="plan", columns="scenario", values=column)
        wide = wide.reindex(list(dict.fromkeys(regret["plan"]))).reset_index()
        rows.block(title, wide, dict.fromkeys(map(str, wide.columns[1:]), fmt))
        rows.append()
    rows.paragraph(f"A row is a plan: a scenario's own plan, '{HEDGE_PLAN}' (the "
                   "stochastic solution) or 'mean_value'; its commitments are kept "
                   "and the rest chosen knowing the scenario (the hedge and mean-value"
                   " rows keep the links of the stochastic solution).")
    if "hedge_risk" in tables:
        rows.append()
        rows.block("Risk aversion: CVaR weight, expected cost and CVaR (USD m)",
                   tables["hedge_risk"], {"expected_cost_usd": FMT_USD_M,
                                              "var_usd": FMT_USD_M,
                                              "cvar_usd": FMT_USD_M,
                                              "weight": "0.00", "alpha": "0.00"})


def _charts(book: XYBook, tables: dict[str, pd.DataFrame]) -> None:
    regret = tables["regret"]
    wide = regret.pivot(index="scenario", columns="plan", values="shortfall_t")
    wide = wide.reindex(list(dict.fromkeys(regret["scenario"])))[
        list(dict.fromkeys(regret["plan"]))].reset_index()
    book.add(clustered_columns("Shortfall each plan leaves, by scenario", "scenario",
                               "t", FMT_T), "Shortfall by plan", wide, FMT_T)
    if "hedge_plan_by_weight" in tables:
        plan = tables["hedge_plan_by_weight"]
        if not plan.empty:
            option = plan["region"] + " " + plan["process"]
            totals = plan.assign(option=option).pivot_table(
                index="weight", columns="option", values="capacity_tpa",
                aggfunc="sum", fill_value=0.0).reset_index()
            totals["weight"] = totals["weight"].astype(str)
            book.add(clustered_columns("Builds committed now by CVaR weight",
                                       "CVaR weight", "tpa", FMT_T),
                     "Commitments by weight", totals, FMT_T)
