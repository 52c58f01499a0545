"""``reroute frontier CASE --scenario NAME``: trace, self-sufficient-by, write.

Writes ``outputs/<case>/frontier/<NAME>/`` (or ``--out``): ``report.xlsx``,
``tables/frontier.csv``, ``tables/self_sufficient_by.csv`` and ``run.json``,
staged and committed like a solve's outputs (``model.outputs``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.case import Case, load_case
from model.data.indices import LPIndex, build_index
from model.data.scenarios import all_scenario_names, scenario_data
from model.errors import InputError, Problem
from model.formulation.matrix import assemble
from model.frontier.trace import Objectives, Point, point, slopes, trace
from model.outputs import refuse_unwritable, staged_output
from model.report.csv_tables import write_tables
from model.report.run_record import versions, write_run_record
from model.results.tables import checked
from model.solver.records import LinearProgram, SolveOptions
from model.solver.session import Session

SCOPE_BLOCS = ("alliance", "partner")


@dataclass
class FrontierResult:
    """The frontier's breakpoints, the penalty solve and the self-sufficient-by
    curve of one scenario."""

    case: Case
    scenario: str
    tables: dict[str, pd.DataFrame]
    penalty_point: Point
    solves: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


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


def frontier(case: Case, scenario: str, options: SolveOptions,
             on_point: Callable[[Point], None] | None = None) -> FrontierResult:
    """Trace the frontier and the self-sufficient-by curve of ``scenario``."""
    if scenario not in all_scenario_names(case):
        raise InputError(Problem(f"unknown scenario '{scenario}' (known: "
                                 f"{', '.join(all_scenario_names(case))})",
                                 table="scenarios", column="scenario"))
    start = time.perf_counter()
    ix = build_index(scenario_data(case, scenario))
    program = assemble(ix)
    obj = objectives(case, ix, program)
    full = np.asarray(program.lp.col_cost_, dtype=float).copy()
    session = Session(program, scenario, options)
    points = trace(session, obj, on_point)
    x = session.minimise(full)
    penalty = point(obj, x)
    ssb = self_sufficient_by(case, ix, program, session, obj, full)
    table = pd.DataFrame({
        "scenario": scenario,
        "unmet_reference_usd": [p.unmet_usd for p in points],
        "shortfall_t": [p.shortfall_t for p in points],
        "total_cost_usd": [p.cost_usd for p in points],
        "slope": slopes(points),
    })
    table["slope"] = table["slope"].astype(float)
    tables = checked({"frontier": table, "self_sufficient_by": ssb.assign(
        scenario=scenario)[["scenario", *ssb.columns]]})
    return FrontierResult(case, scenario, tables, penalty, session.solves,
                          {"frontier": round(time.perf_counter() - start, 4)})


def self_sufficient_by(case: Case, ix: LPIndex, program: LinearProgram,
                       session: Session, obj: Objectives, full: np.ndarray
                       ) -> pd.DataFrame:
    r"""Per year Y: least full cost with, for every commodity c and year y ≥ Y,
    Σ_{r ∈ scope} short_{r,c,y} ≤ tolerance · Σ_{r ∈ scope} demand_{r,c,y};
    blank where no plan achieves it. Y runs from end_year down: once no plan
    achieves Y, none achieves an earlier year (its rows include Y's)."""
    short = ix.short.assign(column=program.column_of["short"])
    short = short[short["region"].isin(case.scope_regions())
                  & (short["column"] >= 0)]
    groups = short.groupby(["commodity", "year"], sort=True)
    keys = pd.DataFrame(list(groups.groups), columns=["commodity", "year"])
    demand = groups["demand_t"].sum().to_numpy(dtype=float)
    row = groups.ngroup().to_numpy()
    rows = session.add_rows(np.full(len(keys), -np.inf), np.full(len(keys), np.inf),
                            row, short["column"].to_numpy(dtype=np.int64),
                            np.ones(len(short)))
    limit = case.settings.shortfall_tolerance * demand
    out, possible = [], True
    for year in reversed(list(case.years)):
        x = None
        if possible:
            upper = np.where(keys["year"].to_numpy() >= year, limit, np.inf)
            session.set_row_bounds(rows, np.full(len(rows), -np.inf), upper)
            x = session.minimise(full)
            possible = x is not None
        p = point(obj, x) if x is not None else None
        out.append({"year": year,
                    "total_cost_usd": p.cost_usd if p else np.nan,
                    "shortfall_t": p.shortfall_t if p else np.nan,
                    "full_cost_usd": float(full @ x + obj.offset) if p else np.nan})
    session.set_row_bounds(rows, np.full(len(rows), -np.inf), np.full(len(rows),
                                                                      np.inf))
    return pd.DataFrame(out[::-1])


def run_frontier(case_path: Path, scenario: str, out_dir: Path,
                 options: SolveOptions,
                 on_point: Callable[[Point], None] | None = None) -> FrontierResult:
    """Load, trace and write the frontier outputs atomically."""
    refuse_unwritable(Path(case_path), out_dir, "frontier")
    case = load_case(case_path)
    result = frontier(case, scenario, options, on_point)
    from model.frontier.report import write_frontier_report  # noqa: PLC0415

    with staged_output(out_dir, "frontier") as staging:
        write_tables(result.tables, staging / "tables")
        write_frontier_report(case.name, scenario, result.penalty_point,
                              result.tables, staging / "report.xlsx")
        write_run_record(run_info(result, options), staging / "run.json")
    return result


def run_info(result: FrontierResult, options: SolveOptions) -> dict[str, object]:
    return {"case": result.case.name, "case_path": result.case.path,
            "input_hash": result.case.input_hash, "versions": versions(),
            "command": "frontier", "scenario": result.scenario,
            "options": options.as_dict(), "solves": result.solves,
            "breakpoints": len(result.tables["frontier"]),
            "penalty_solve": {"unmet_reference_usd": result.penalty_point.unmet_usd,
                              "total_cost_usd": result.penalty_point.cost_usd,
                              "shortfall_t": result.penalty_point.shortfall_t},
            "seconds": result.seconds}
