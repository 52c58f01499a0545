"""`reroute solve`: load → every scenario (``model.scenario_schedule``, HiGHS in
threads of its own, up to ``scenarios_at_once`` scenarios at the same time) →
KPIs → write.

Every phase is timed into the run record; outputs are written atomically.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from model.data.case import Case, load_case, recheck_case
from model.data.scenarios import all_scenario_names, baseline_name, scenario_names
from model.errors import InputError, Problem, SolveError
from model.outputs import refuse_unwritable, staged_output
from model.outputs.aside import written_aside
from model.report.csv_tables import write_tables
from model.report.excel import write_report
from model.report.run_record import versions, write_run_record
from model.results import bottlenecks, frictions, sources
from model.results.extract import ScenarioResult
from model.results.headline import comparators, with_comparators
from model.results.tables import checked
from model.scenario_run import headline_tables
from model.scenario_schedule import default_at_once, solve_scenarios
from model.solver.records import SolveOptions
from model.timing import PhaseTimer

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run produced: tidy tables, per-scenario records and timings."""

    case: Case
    tables: dict[str, pd.DataFrame]
    scenarios: list[ScenarioResult]
    seconds: dict[str, float] = field(default_factory=dict)
    out_dir: Path | None = None
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    scenarios_at_once: int = 1  # scenarios HiGHS solved at the same time, at most

    @property
    def summary(self) -> pd.DataFrame:
        return self.tables["summary"]


def select_scenarios(case: Case, requested: list[str] | None) -> list[str]:
    """The scenarios to solve, in case order; the baseline and the scenarios the
    requested ones are compared with (``compare_to``) are always included."""
    if not requested:
        return scenario_names(case)
    known = all_scenario_names(case)
    unknown = [s for s in requested if s not in known]
    if unknown:
        raise InputError([Problem(f"unknown scenario '{s}' (known: {', '.join(known)})",
                                  table="scenarios", column="scenario")
                          for s in unknown])
    wanted = with_comparators([*requested, baseline_name(case)],
                              comparators(case.table("scenarios")))
    return [s for s in known if s in wanted]


def combine(case: Case, results: list[ScenarioResult]) -> dict[str, pd.DataFrame]:
    """Stack per-scenario tables and add the headline tables (MODEL-SPEC §4, §8.1)
    and lead times, checked against the registry of output tables."""
    stacked = {name: pd.concat([r.tables[name] for r in results], ignore_index=True)
               for name in results[0].tables}
    stacked.update(headline_tables(
        case, results, [(r.name, r.is_baseline, r.status) for r in results]))
    kpi = stacked["kpi_by_commodity"]
    if "build_options" in stacked:
        lead = bottlenecks.lead_time_stages(
            kpi, stacked["builds"], stacked["build_options"], case.table("process_io"),
            case.table("processes"), case.table("commodities"), case.settings.end_year)
        stacked["lead_times"] = frictions.attribute(
            lead, stacked["friction_rows"], case.table("process_io"),
            case.table("processes"), case.settings.base_year, case.settings.end_year)
    stacked.update(supply_tables(case, stacked))
    return checked(stacked)


def supply_tables(case: Case, tables: dict[str, pd.DataFrame]
                  ) -> dict[str, pd.DataFrame]:
    """Where the scope's supply of the key products comes from, and its builds."""
    io, processes = case.table("process_io"), case.table("processes")
    kpi = tables["kpi_by_commodity"]
    demand = kpi[kpi["scenario"] == kpi["scenario"].iat[0]].groupby(
        "commodity", sort=False)["demand_t"].sum() if len(kpi) else pd.Series()
    demanded = list(demand[demand > 0].sort_values(ascending=False,
                                                   kind="stable").index)
    products = sources.key_products(io, case.table("commodities"), demanded)
    return {"supply_by_origin": sources.supply_by_origin(
                tables, io, processes, products, case.scope_regions()),
            "new_capacity_by_stage": sources.new_capacity_by_stage(
                tables["builds"], processes)}


def run_case(case: str | Path | Case, out_dir: str | Path | None = None,
             scenarios: list[str] | None = None,
             options: SolveOptions | None = None,
             on_solved: Callable[[str, str, float], None] | None = None,
             timer: PhaseTimer | None = None,
             scenarios_at_once: int | None = None) -> RunResult:
    """Solve the case's scenarios and (if ``out_dir``) write the outputs atomically.

    ``case`` is a path (loaded here) or a ``Case`` already loaded, perhaps edited
    in memory (its tables are validated again, see ``model.api.checked_case``).
    ``on_solved(name, status, seconds)`` is told of each scenario as it ends;
    ``timer`` receives the phase times (a caller that loaded the case itself
    passes the timer that timed the load); ``scenarios_at_once``: how many
    scenarios HiGHS may solve at the same time (None: ``default_at_once``, one per
    core for ``options.threads`` threads each). The outputs do not depend on it."""
    options = options or SolveOptions()
    timer = timer or PhaseTimer()
    if out_dir is not None:
        source = case.path if isinstance(case, Case) else case
        refuse_unwritable(Path(source), Path(out_dir), "solve")
    with timer.phase("load"):
        case = recheck_case(case) if isinstance(case, Case) else load_case(case)
    names = select_scenarios(case, scenarios)
    at_once = min(len(names), scenarios_at_once or default_at_once(options.threads))
    solved, failures = solve_scenarios(case, names, options, timer, on_solved, at_once)
    results = [solved[n] for n in names if n in solved]
    if failures:
        from model.diagnose import explain_failures  # noqa: PLC0415  (on failure)

        failures = explain_failures(failures, out_dir)
        raise failures[0] if len(failures) == 1 else SolveError(
            ", ".join(f.scenario for f in failures), "several scenarios failed",
            "; ".join(f"{f.scenario}: {f.condition}" for f in failures))
    with timer.phase("combine"):
        tables = combine(case, results)
    run = RunResult(case, tables, results, dict(timer.seconds),
                    scenarios_at_once=at_once)
    if out_dir is not None:
        with timer.phase("report"):
            write_outputs(run, Path(out_dir), options, timer)
        run.out_dir = Path(out_dir)
    run.seconds = dict(timer.seconds)
    run.cpu_seconds, run.peak_mb = dict(timer.cpu_seconds), dict(timer.peak_mb)
    return run


def run_info(run: RunResult, options: SolveOptions, seconds: dict[str, float],
             peak: dict[str, float] | None = None) -> dict[str, object]:
    """The content of run.json."""
    return {
        "case": run.case.name,
        "case_path": run.case.path,
        "input_hash": run.case.input_hash,
        "horizon": {"base_year": run.case.settings.base_year,
                    "end_year": run.case.settings.end_year,
                    "discount_rate": run.case.settings.discount_rate},
        "versions": versions(),
        "options": {"scenarios": [r.name for r in run.scenarios], **options.as_dict(),
                    "scenarios_at_once": run.scenarios_at_once},
        "scenarios": {r.name: {"status": r.status, "is_baseline": r.is_baseline,
                               "objective_usd": r.objective, "seconds": r.seconds,
                               "size": r.size} for r in run.scenarios},
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "peak_rss_mb": {k: round(v, 1) for k, v in (peak or {}).items()},
    }


def write_outputs(run: RunResult, out_dir: Path, options: SolveOptions,
                  timer: PhaseTimer) -> None:
    """report.xlsx, tables/*.csv and run.json, staged and moved into place together
    (only these: everything else in the folder stays). The CSV tables are written
    by a child process while this one writes the workbook, where it may fork
    (model/outputs/aside.py)."""
    start = time.perf_counter()
    with staged_output(out_dir, "solve") as staging:
        tables = staging / "tables"
        with written_aside(lambda: write_tables(run.tables, tables),
                           lambda: shutil.rmtree(tables, ignore_errors=True)):
            info = run_info(run, options, dict(timer.seconds), dict(timer.peak_mb))
            write_report(run.tables, run.case, _flat(info), staging / "report.xlsx")
        info["seconds"]["report"] = round(  # type: ignore[index]
            time.perf_counter() - start, 4)
        write_run_record(info, staging / "run.json")


def _flat(info: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in info.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
