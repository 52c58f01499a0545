"""One sample solved in the worker: headline records checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.data.case import load_case
from model.solver.records import SolveOptions
from model.sweep.uncertainty import uncertain_inputs
from model.sweep.worker import SampleTask, SweepContext, run_sample
from tests.helpers import write_case
from tests.sweep.cases import DEFAULT_UNCERTAINTY, chain_tables


def context_for(tmp_path: Path, rows: list[dict[str, object]],
                max_new_tpa: float | None = 500) -> SweepContext:
    case = load_case(write_case(tmp_path / "c",
                                chain_tables(rows, max_new_tpa=max_new_tpa)))
    return SweepContext(case, tuple(uncertain_inputs(case)), ("baseline", "embargo"),
                        SolveOptions(), seed=3)


def test_sample_records_match_a_hand_calculation(tmp_path: Path) -> None:
    context = context_for(tmp_path, DEFAULT_UNCERTAINTY)
    # draws: demand x1.0, mining lead time +1.2 -> +1 year, capex x1.0
    outcome = run_sample(context, SampleTask(4, (1.0, 1.2, 1.0)))
    rec = outcome.records.set_index(["scenario", "commodity"])
    df = {y: 1.05 ** -(y - 2025) for y in range(2025, 2030)}
    # baseline: 100 t/yr from cn at 10 (mining) + 5 (route) USD/t
    baseline = sum(df[y] * 100 * 15 for y in df)
    # embargo: the us mine (lead 1 + 1 drawn) is online from 2027; 100 t/yr built at
    # 100 USD per t/yr, paid as an annuity over 10 years at 5 %, plus 40 USD/t
    crf = 0.05 * 1.05 ** 10 / (1.05 ** 10 - 1)
    embargo = sum(df[y] * (100 * 100 * crf + 100 * 40) for y in (2027, 2028, 2029))
    base, emb = rec.loc[("baseline", "")], rec.loc[("embargo", "")]
    assert base["total_cost_usd"] == pytest.approx(baseline, rel=1e-6)
    assert emb["total_cost_usd"] == pytest.approx(embargo, rel=1e-6)
    assert emb["cost_premium_usd"] == pytest.approx(embargo - baseline, rel=1e-6)
    assert emb["cost_premium_pct"] == pytest.approx(100 * (embargo / baseline - 1),
                                                    rel=1e-6)
    # 2025 and 2026 unmet: 200 of 500 t
    assert emb["shortfall_t"] == pytest.approx(200.0, abs=1e-6)
    assert emb["shortfall_pct"] == pytest.approx(40.0)
    assert emb["self_sufficient_year"] == 2027
    assert rec.loc[("embargo", "ox"), "self_sufficient_year"] == 2027
    assert base["self_sufficient_year"] == 2025 and base["shortfall_t"] == 0
    assert (outcome.records["sample"] == 4).all()
    assert (outcome.records["seed"] == 3).all()
    assert outcome.records["draw_r3"].iloc[0] == 1.2  # the drawn value, unrounded
    assert outcome.failures == []


def test_a_failing_scenario_is_recorded_failed_and_the_others_kept(tmp_path: Path
                                                                  ) -> None:
    # a negative capex multiplier on an expansion without a total limit makes
    # building profitable without limit: the embargo LP is unbounded
    rows = [{"scenario": "embargo", "field": "capex", "distribution": "normal",
             "low": -1, "high": 1}]
    outcome = run_sample(context_for(tmp_path, rows, max_new_tpa=None),
                         SampleTask(0, (-0.5,)))
    rec = outcome.records.set_index(["scenario", "commodity"])
    assert rec.loc[("baseline", ""), "status"] == "optimal"
    failed = rec.loc[("embargo", "")]
    assert failed["status"] == "failed"
    assert "unbounded" in failed["solver_status"]
    assert "embargo" in failed["reason"]
    assert [f[0] for f in outcome.failures] == ["embargo"]


def test_a_solution_failing_the_post_solve_checks_is_recorded_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from model.results.checks import InvariantError
    from model.sweep import worker

    solve = worker.solve_scenario

    def broken_embargo(case, name, options, timer,  # noqa: ANN001, ANN202
                       comparator=None, reuse=None, **kwargs):  # noqa: ANN001, ANN003
        if name == "embargo":
            raise InvariantError("balance of us/ox/2027 is off by -7 t")
        return solve(case, name, options, timer, comparator, **kwargs)

    monkeypatch.setattr(worker, "solve_scenario", broken_embargo)
    outcome = run_sample(context_for(tmp_path, DEFAULT_UNCERTAINTY),
                         SampleTask(0, (1.0, 0.0, 1.0)))
    rec = outcome.records.set_index(["scenario", "commodity"])
    assert rec.loc[("baseline", ""), "status"] == "optimal"
    assert rec.loc[("embargo", ""), "status"] == "failed"
    assert rec.loc[("embargo", ""), "solver_status"] == "invariant check failed"
    assert "off by -7 t" in rec.loc[("embargo", ""), "reason"]


def test_tasks_and_results_are_plain_picklable_data(tmp_path: Path) -> None:
    import pickle

    context = context_for(tmp_path, DEFAULT_UNCERTAINTY)
    task = SampleTask(1, (1.0, 0.0, 1.0))
    sent = pickle.dumps((context, task))
    assert b"pyomo" not in sent and b"highspy" not in sent  # no live model objects
    outcome = run_sample(*pickle.loads(sent))
    back = pickle.loads(pickle.dumps(outcome))
    assert back.records.equals(outcome.records)


def test_extract_seconds_include_the_tables_extraction(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    # Every scenario's extraction is made 0.3 s slower: its record's
    # extract_seconds must then be at least 0.3 (the solver's read-out of the
    # solution alone is a few milliseconds on this 2-region case).
    import time

    import model.scenario_run as scenario_run

    slow = scenario_run.extract_all

    def slower(*args: object, **kwargs: object) -> object:
        time.sleep(0.3)
        return slow(*args, **kwargs)

    monkeypatch.setattr(scenario_run, "extract_all", slower)
    context = context_for(tmp_path, DEFAULT_UNCERTAINTY)
    outcome = run_sample(context, SampleTask(0, (1.0, 0.0, 1.0)))
    totals = outcome.records[outcome.records["commodity"] == ""]
    assert len(totals) == 2
    assert (totals["extract_seconds"] >= 0.3).all(), totals["extract_seconds"]
