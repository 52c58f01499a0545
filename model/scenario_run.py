"""One scenario run, shared by ``solve`` (model/pipeline.py) and the sweep worker:
scenario data → index → LP → HiGHS → tidy tables → post-solve checks, and the
headline tables of a set of scenario results (summary and kpi_by_commodity with the
MODEL-SPEC §8.1 columns; the views by product group, by element and by year).

``solve`` computes every table. A sweep sample asks for only what its records read
(``wanted``: the headline tables named and the tidy tables they read, from
``HEADLINE_INPUTS``); the post-solve checks' tables (``CHECKED_TABLES``) and, under
foresight ``none``, what a comparator's dependents are pinned to (``PINNED_TABLES``)
are always made.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from model.data.case import Case
from model.data.indices import LPIndex, build_index
from model.data.memo import per_case
from model.data.scenarios import ScenarioData, baseline_name, scenario_data
from model.diagnose import explain_infeasibility
from model.errors import SolveError
from model.formulation.foresight import pin_to_comparator
from model.formulation.matrix import assemble
from model.formulation.registry import CONSTRAINTS, variable_inputs
from model.results import bottlenecks, frictions, headline, kpis, money
from model.results.calibration_fit import calibration_fit
from model.results.china_content import china_content
from model.results.headline import comparators
from model.results.checks import CHECKED_TABLES, check_scenario
from model.results.extract import ScenarioResult, extract_all
from model.solver.highs import solve
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.timing import PhaseTimer

SHORTFALL_COLUMNS = ["scenario", "region", "commodity", "year", "demand_t",
                     "shortfall_t"]
COST_COLUMNS = ["scenario", "year", "category", "usd", "discounted_usd"]
SCENARIO_TOTALS = ["demand_t", "shortfall_t", "shortfall_pct", "cost_premium_usd",
                   "cost_premium_pct"]
HEADLINE_TABLES = ("summary", "kpi_by_commodity", "kpi_by_group", "kpi_by_element",
                   "value_met_by_year")
HEADLINE_INPUTS: dict[str, tuple[str, ...]] = {  # the tidy tables each one reads
    "summary": ("shortfall", "costs"), "kpi_by_commodity": ("shortfall",),
    "kpi_by_group": ("shortfall",), "kpi_by_element": ("shortfall",),
    "value_met_by_year": ("shortfall",)}
MONEY_INPUTS = ("shortfall", "costs", "transfers", "prices")  # the summary's money
PINNED_TABLES = ("builds", "build_options", "production", "flows", "stock")


class Reuse(Protocol):
    """What a sweep worker keeps between samples (model/sweep/reuse.py): a
    scenario's data and index for the sample (widest build window, mapped from
    the kept reference), its foresight fixings (read from the comparator's
    solution), its LP (written from the kept reference LP) and warm solves."""

    def index(self, case: Case, name: str) -> tuple[ScenarioData, LPIndex]: ...

    def pin(self, case: Case, data: ScenarioData, index: LPIndex,
            comparator: ScenarioResult | None) -> None: ...

    def program(self, index: LPIndex, name: str, options: SolveOptions,
                timer: PhaseTimer, clock: PhaseTimer) -> LinearProgram: ...

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer, lexicographic: np.ndarray | None) -> Solution: ...


def build_program(index: LPIndex, name: str, options: SolveOptions,
                  timer: PhaseTimer, clock: PhaseTimer) -> LinearProgram:
    """The scenario's LP record from the chosen builder (numpy by default; the
    Pyomo model is built in ``build`` and compiled in ``translate``)."""
    if options.builder != "pyomo":
        with timer.phase("build"):
            return assemble(index)
    from model.formulation.pyomo_model import (  # noqa: PLC0415  (Pyomo on demand)
        build_model,
        compile_program,
    )

    with timer.phase("build"):
        m = build_model(index, name)
    with clock.phase("translate"):
        return compile_program(m)


def solving_order(case: Case, names: list[str]) -> list[str]:
    """``names`` in the order they are solved: with foresight ``none`` every
    comparator (``compare_to``, default the baseline) before the scenarios compared
    with it, since they take its early decisions (MODEL-SPEC §8.2); chains are
    followed, otherwise case order. Validation refuses cycles; one here is a
    ``ValueError``."""
    if case.settings.foresight != "none":
        return list(names)
    compare = comparators(case.table("scenarios"))
    wanted, order, open_ = set(names), [], set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in open_:
            raise ValueError(f"compare_to comes back to '{name}'")
        open_.add(name)
        target = compare.get(name, name)
        if target != name and target in wanted:
            visit(target)
        order.append(name)

    for name in names:
        visit(name)
    return order


def comparator_of(case: Case, name: str) -> str:
    """The scenario whose early decisions ``name`` takes under foresight ``none``
    (its ``compare_to``, default the baseline; the baseline's own is itself)."""
    return comparators(case.table("scenarios")).get(name, name)


def pin_early_decisions(case: Case, data: ScenarioData, index: LPIndex,
                        comparator: ScenarioResult | None) -> None:
    """With foresight ``none``, fix a non-baseline scenario's decisions before its
    shock year to its comparator's (MODEL-SPEC §8.2: ``compare_to``, default the
    baseline), with the lead times the comparator was solved with."""
    if case.settings.foresight != "none" or data.is_baseline:
        return
    if comparator is None:
        raise SolveError(data.name, "no comparator solution", "foresight none fixes "
                         "the decisions before the shock year to those of "
                         f"'{comparator_of(case, data.name)}', which was not solved")
    tables = comparator.tables
    lead = tables["build_options"][["region", "process", "lead_time"]]
    index.pinned = pin_to_comparator(
        index, tables["builds"].merge(lead, on=["region", "process"]),
        tables["production"], tables["flows"], tables["stock"])


@dataclass
class PreparedScenario:
    """A scenario ready for HiGHS: its data, index, LP record and the solver's
    clock (``translate``, ``solve`` and the solution's reading are timed on it)."""

    data: ScenarioData
    index: LPIndex
    program: LinearProgram | None
    shortfall_first: np.ndarray | None
    clock: PhaseTimer


def solve_scenario(case: Case, name: str, options: SolveOptions, timer: PhaseTimer,
                   comparator: ScenarioResult | None = None,
                   reuse: Reuse | None = None,
                   wanted: Collection[str] | None = None) -> ScenarioResult:
    """Build, solve and extract one scenario; checks the invariants.
    ``comparator``: the solved comparator (``comparator_of``), needed with
    foresight ``none``; ``reuse``: a sweep worker's kept state (warm solves);
    ``wanted``: the tables the result must hold (None: every table), to which
    ``needed_tables`` adds those of the checks and of the pinning."""
    prepared = prepare_scenario(case, name, options, timer, comparator, reuse)
    solution = solve_prepared(case, name, prepared, options, reuse)
    return finish_scenario(case, prepared, solution, timer, wanted)


def prepare_scenario(case: Case, name: str, options: SolveOptions, timer: PhaseTimer,
                     comparator: ScenarioResult | None = None,
                     reuse: Reuse | None = None,
                     indexed: tuple[ScenarioData, LPIndex] | None = None
                     ) -> PreparedScenario:
    """The scenario's data, index (``indexed`` if made already by
    ``index_scenario``), pinned to ``comparator`` under foresight ``none``, and
    its LP record."""
    data, index = indexed or index_scenario(case, name, timer, reuse)
    with timer.phase("build"):
        pin = reuse.pin if reuse is not None else pin_early_decisions
        pin(case, data, index, comparator)
    clock = PhaseTimer()
    program = (reuse.program(index, name, options, timer, clock) if reuse is not None
               else build_program(index, name, options, timer, clock))
    shortfall_first = (program.column_of["short"]
                       if case.settings.objective == "lexicographic" else None)
    return PreparedScenario(data, index, program, shortfall_first, clock)


def index_scenario(case: Case, name: str, timer: PhaseTimer,
                   reuse: Reuse | None = None) -> tuple[ScenarioData, LPIndex]:
    """The scenario's data and LP index, not yet pinned to a comparator."""
    with timer.phase("build"):
        if reuse is not None:
            return reuse.index(case, name)
        data = scenario_data(case, name)
        return data, build_index(data)


def solve_prepared(case: Case, name: str, prepared: PreparedScenario,
                   options: SolveOptions, reuse: Reuse | None = None) -> Solution:
    """HiGHS's solution of the prepared LP (which is dropped once solved); a
    SolveError of an infeasible LP carries the explanation of its IIS."""
    program = prepared.program
    assert program is not None, f"scenario '{name}' was solved already"
    try:
        solver = reuse.solve if reuse is not None else solve
        return solver(program, name, options, prepared.clock, prepared.shortfall_first)
    except SolveError as exc:
        found = getattr(exc, "infeasibility", None)
        if found is not None:
            exc.explanation = explain_infeasibility(program, found, case, name,
                                                    variable_inputs(),
                                                    prepared.index.pinned)
        raise
    finally:
        prepared.program = None


def finish_scenario(case: Case, prepared: PreparedScenario, solution: Solution,
                    timer: PhaseTimer, wanted: Collection[str] | None = None
                    ) -> ScenarioResult:
    """The scenario's tidy tables from its solution, checked, with the analyses
    (``wanted``: as in ``solve_scenario``); the solver's phases join ``timer``."""
    data, index, name = prepared.data, prepared.index, prepared.data.name
    timer.add(solution)
    needed = needed_tables(case, name, wanted)
    with timer.phase("extract"):
        tables = extract_all(index, solution, name, needed)
        check_scenario(tables, case.table("process_io"), solution.objective)
        for table, make in _analyses(case, data, index, solution).items():
            if needed is None or table in needed:
                tables[table] = make()
    return ScenarioResult(name, data.is_baseline, "optimal", solution.objective, tables,
                          {**solution.seconds}, solution.size)


def needed_tables(case: Case, name: str, wanted: Collection[str] | None
                  ) -> frozenset[str] | None:
    """``wanted`` with the tables the post-solve checks read and, if another
    scenario takes ``name``'s early decisions (foresight ``none``), those it is
    pinned to; None (every table) stays None."""
    if wanted is None:
        return None
    needed = {*wanted, *CHECKED_TABLES}
    if is_a_comparator(case, name):
        needed.update(PINNED_TABLES)
    return frozenset(needed)


def is_a_comparator(case: Case, name: str) -> bool:
    """Whether, under foresight ``none``, another scenario takes ``name``'s early
    decisions (``pin_early_decisions``)."""
    if case.settings.foresight != "none":
        return False
    return any(target == name != other for other, target in
               comparators(case.table("scenarios")).items())


def _analyses(case: Case, data: ScenarioData, index: LPIndex, solution: Solution
              ) -> dict[str, Callable[[], pd.DataFrame]]:
    """The tables made after the checks, each made only when needed."""
    name = data.name
    return {
        "bottlenecks": lambda: bottlenecks.binding_limits(index, solution, name),
        "build_options": lambda: bottlenecks.build_options(index, name),
        "friction_rows": lambda: frictions.friction_rows(index, solution, name,
                                                         CONSTRAINTS),
        "china_content": lambda: traced_china_content(case, data, index, solution),
        "calibration_fit": lambda: calibration_fit(index, solution, name),  # baseline
    }


def traced_china_content(case: Case, data: ScenarioData, index: LPIndex,
                         solution: Solution) -> pd.DataFrame:
    """The scenario's ``china_content`` table (model/results/china_content.py)."""
    share = index.stock_china
    return china_content(index, solution, data.regions, element_content(case), share,
                         data.name)


def element_content(case: Case) -> pd.DataFrame:
    """``headline.element_content`` of the case, derived once per case."""
    return per_case(case, "element_content", lambda: headline.element_content(
        case.table("process_io"), case.table("processes"), case.table("commodities")))


def headline_inputs(names: Collection[str], with_money: bool = True
                    ) -> frozenset[str]:
    """The tidy tables the headline tables ``names`` read (with the summary's
    money columns if ``with_money``)."""
    needed = {table for name in names for table in HEADLINE_INPUTS[name]}
    if with_money and "summary" in names:
        needed.update(MONEY_INPUTS)
    return frozenset(needed)


def headline_tables(case: Case, results: list[ScenarioResult],
                    statuses: list[tuple[str, bool, str]],
                    names: Collection[str] = HEADLINE_TABLES,
                    with_money: bool = True) -> dict[str, pd.DataFrame]:
    """The HEADLINE_TABLES of ``results`` (those in ``names``; the summary with its
    money columns if ``with_money``); ``statuses`` lists every scenario as
    (name, is_baseline, status) in case order, failed ones with blank totals."""
    shortfall = (pd.concat([r.tables["shortfall"] for r in results], ignore_index=True)
                 if results else pd.DataFrame(columns=SHORTFALL_COLUMNS))
    settings = headline_settings(case)
    scope, commodities = case.scope_regions(), case.table("commodities")
    compare = headline.comparators(case.table("scenarios"))
    priced = headline.priced_shortfall(shortfall, commodities, scope, settings)
    kpi = kpis.kpi_by_commodity(shortfall, scope, case.settings.shortfall_tolerance,
                                list(case.years))

    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "summary": lambda: _summary(case, results, statuses, kpi, priced,
                                    with_money),
        "kpi_by_commodity": lambda: headline.add_to_kpis(kpi, priced, compare,
                                                         settings),
        "kpi_by_group": lambda: headline.kpi_by_group(priced, commodities),
        "kpi_by_element": lambda: headline.kpi_by_element(
            shortfall, element_content(case), scope),
        "value_met_by_year": lambda: headline.value_met_by_year(priced),
    }
    return {name: makers[name]() for name in HEADLINE_TABLES if name in names}


def _summary(case: Case, results: list[ScenarioResult],
             statuses: list[tuple[str, bool, str]], kpi: pd.DataFrame,
             priced: pd.DataFrame, with_money: bool) -> pd.DataFrame:
    """The summary table: one row per scenario in ``statuses``."""
    costs = (pd.concat([r.tables["costs"] for r in results], ignore_index=True)
             if results else pd.DataFrame(columns=COST_COLUMNS))
    settings, scope = headline_settings(case), case.scope_regions()
    compare = headline.comparators(case.table("scenarios"))
    summary = kpis.summary(statuses, costs, kpi, compare)
    failed = (summary["status"] != "optimal").to_numpy()
    if failed.any():
        summary.loc[failed, SCENARIO_TOTALS] = np.nan
    summary = headline.add_to_summary(summary, priced, costs, compare, settings)
    if not with_money:
        return summary
    stacked = {name: pd.concat([r.tables[name] for r in results], ignore_index=True)
               for name in MONEY_INPUTS if results}
    return _with_money(summary, stacked, scope, settings, compare)


def _with_money(summary: pd.DataFrame, stacked: dict[str, pd.DataFrame],
                scope: set[str], settings: headline.HeadlineSettings,
                compare: dict[str, str]) -> pd.DataFrame:
    """``summary`` with the money apart from cost (model/results/money.py)."""
    if not stacked:
        return summary.assign(**dict.fromkeys(money.MONEY_COLUMNS, np.nan))
    return money.money_columns(summary, stacked, scope, settings.discount, compare)


def headline_settings(case: Case) -> headline.HeadlineSettings:
    """What the §8.1 metrics take from the case's settings."""
    s = case.settings
    return headline.HeadlineSettings(s.base_year, s.end_year, s.discount_rate,
                                     s.steady_years, s.mostly_met_tolerance)
