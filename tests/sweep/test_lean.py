"""A sweep sample computes only what its records read, and records what the full
run of the same scenarios gives.

The independent method is the path of ``reroute solve``: every scenario solved by
``solve_scenario`` with every table (bottlenecks, china_content, ...), then all
five headline tables with the summary's money columns. The sample's records must
hold, column for column, the numbers of that summary (the scenario totals) and of
that kpi_by_commodity (the commodity rows). The samples run cold, so both paths
solve the same LPs with the same solver and must agree exactly.

The case: the ``chain`` case (tests/sweep/cases.py) under foresight none with the
embargo from 2027, and a third scenario ``late`` (the embargo from 2028) compared
with ``embargo``: ``late`` takes the early decisions of ``embargo``, so the lean
path must keep what pins them for a comparator that is not the baseline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import model.results.extract as extract
from model.data.case import load_case
from model.results.checks import CHECKED_TABLES
from model.scenario_run import (
    PINNED_TABLES,
    comparator_of,
    headline_tables,
    solve_scenario,
    solving_order,
)
from model.solver.records import SolveOptions
from model.sweep import worker
from model.sweep.uncertainty import apply_draws, uncertain_inputs
from model.sweep.worker import SampleTask, SweepContext, run_sample
from model.timing import PhaseTimer
from tests.helpers import settings, write_case
from tests.sweep.cases import DEFAULT_UNCERTAINTY, chain_tables

NAMES = ("baseline", "embargo", "late")
DRAWS = [(1.0, 0.0, 1.0), (1.15, 2.4, 0.8), (0.85, -0.3, 1.4)]


def lean_context(tmp_path: Path) -> SweepContext:
    tables = chain_tables(DEFAULT_UNCERTAINTY)
    tables["settings"] = settings(2025, 2029, 0.05, foresight="none")
    tables["scenarios"].append({"scenario": "late", "is_baseline": "false",
                                "compare_to": "embargo"})
    tables["scenario_rules"] = [
        {"scenario": "embargo", "rule": "embargo", "target": "china",
         "from_year": 2027},
        {"scenario": "late", "rule": "embargo", "target": "china",
         "from_year": 2028}]
    case = load_case(write_case(tmp_path / "c", tables))
    return SweepContext(case, tuple(uncertain_inputs(case)), NAMES, SolveOptions(),
                        seed=2, warm=False)


def full_tables(context: SweepContext, values: tuple[float, ...]
                ) -> dict[str, pd.DataFrame]:
    """The five headline tables of the sample, every table of every scenario."""
    case = apply_draws(context.case, list(context.inputs), list(values))
    solved = {}
    for name in solving_order(case, list(NAMES)):
        solved[name] = solve_scenario(case, name, SolveOptions(), PhaseTimer(),
                                      solved.get(comparator_of(case, name)))
    results = [solved[n] for n in NAMES]
    assert "china_content" in results[0].tables  # the full path: every table
    return headline_tables(case, results, [(r.name, r.is_baseline, r.status)
                                           for r in results])


def assert_same(records: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Every column of ``records`` that ``expected`` has, equal (NaN = NaN)."""
    shared = [c for c in records.columns if c in expected.columns]
    assert len(shared) > 10
    for column in shared:
        mine, theirs = records[column], expected[column]
        if pd.api.types.is_numeric_dtype(theirs) or theirs.dtype == bool:
            np.testing.assert_array_equal(mine.to_numpy(dtype=float),
                                          theirs.to_numpy(dtype=float), column)
        else:
            assert list(mine.astype(str)) == list(theirs.astype(str)), column


@pytest.mark.parametrize("sample", range(len(DRAWS)))
def test_lean_records_equal_the_full_runs_tables(tmp_path: Path, sample: int) -> None:
    context = lean_context(tmp_path)
    values = DRAWS[sample]
    records = run_sample(context, SampleTask(sample, values)).records
    full = full_tables(context, values)
    totals = records[records["commodity"] == worker.ALL].reset_index(drop=True)
    assert list(totals["scenario"]) == list(NAMES)
    assert_same(totals, full["summary"])
    by_commodity = records[records["commodity"] != worker.ALL].reset_index(drop=True)
    assert_same(by_commodity, full["kpi_by_commodity"])
    # the summary's money columns are in the full summary but not in the records
    assert "buyers_pay_usd" in full["summary"] and "buyers_pay_usd" not in records


def test_a_sample_extracts_only_what_its_records_and_checks_read(tmp_path: Path
                                                                 ) -> None:
    context = lean_context(tmp_path)
    case = apply_draws(context.case, list(context.inputs), list(DRAWS[1]))
    results, _, failures, _ = worker.solve_all(case, context, None)
    assert failures == []
    # the records read shortfall and costs; the checks also read production,
    # flows, stock, surplus and offtake_sales; baseline and embargo are compared
    # with (by embargo and late), so they also keep builds and build_options
    checked = {"shortfall", "costs", *CHECKED_TABLES}
    kept = {r.name: set(r.tables) for r in results}
    assert kept["late"] == checked
    assert kept["baseline"] == kept["embargo"] == checked | set(PINNED_TABLES)
    assert checked == {"shortfall", "costs", "production", "flows", "stock",
                       "surplus", "offtake_sales"}


def test_the_lean_path_still_runs_the_post_solve_checks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # flows read back empty: in the baseline cn's 100 t/yr of exports (its whole
    # output) and us's imports (all of its supply) go missing, +100 and -100 t in
    # every year; the real check refuses that solution, naming the first largest
    # residual, cn/ox/2025 (+100 t: mined, not shipped). embargo and late take
    # the baseline's early decisions and are then not solved either ("no
    # comparator solution"): all three recorded failed
    empty = extract.flows

    def no_flows(ix, sol, scenario):  # noqa: ANN001, ANN202
        return empty(ix, sol, scenario).iloc[0:0]

    monkeypatch.setitem(extract.EXTRACTORS, "flows", no_flows)
    outcome = run_sample(lean_context(tmp_path), SampleTask(0, DRAWS[0]))
    failed = {name: (status, text) for name, status, text in outcome.failures}
    assert failed["baseline"][0] == "invariant check failed"
    assert failed["baseline"][1] == "balance of cn/ox/2025 is off by 100 t"
    assert set(failed) == set(NAMES)
    totals = outcome.records[outcome.records["commodity"] == worker.ALL]
    assert (totals["status"] == "failed").all()
