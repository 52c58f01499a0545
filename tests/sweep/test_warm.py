"""Warm re-solves give the cold answer, for every kind of uncertain field.

Each test draws a few values of one uncertain field on the ``chain`` case
(tests/sweep/cases.py) and solves every sample twice: warm (the worker keeps each
scenario's LP in HiGHS, changes its numbers in place and restarts from the
reference basis) and cold (a new LP and a new HiGHS run per sample). The cold run
is the independent method: both must give the same objective to 1e-7 and the same
headline figures. The warm counter proves the warm path was taken, so the
comparison is not cold against cold, the mapped counter proves no sample's data
and index were rebuilt (model/sweep/kept.py) and the patched counter that no
sample's LP was assembled: its numbers were written from the kept reference LP
(model/sweep/patch.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pytest

from model.data.case import load_case
from model.errors import SolveError
from model.solver.records import SolveOptions
from model.sweep import worker
from model.sweep.uncertainty import uncertain_inputs
from model.sweep.worker import SampleTask, SweepContext, run_sample
from tests.helpers import settings, write_case
from tests.sweep.cases import chain_tables

HEADLINE = ["total_cost_usd", "full_cost_usd", "cost_premium_usd", "shortfall_t",
            "unmet_share_pct"]

KINDS: dict[str, tuple[dict[str, object], tuple[float, ...]]] = {
    "demand": ({"field": "demand", "target": "alliance", "distribution": "uniform",
                "low": 0.5, "high": 2.0}, (0.6, 1.7)),
    "capex": ({"field": "capex", "distribution": "uniform", "low": 0.2, "high": 30},
              (0.3, 25.0)),
    "variable_cost": ({"field": "variable_cost", "target": "china",
                       "distribution": "uniform", "low": 0.5, "high": 20},
                      (0.6, 15.0)),
    # china's mine at 0.05 of 1000 t/yr cannot serve the 100 t/yr demand alone
    "capacity": ({"field": "capacity", "target": "china", "distribution": "uniform",
                  "low": 0.05, "high": 1.0}, (0.05, 0.5)),
    "route_cost": ({"field": "route_cost", "distribution": "uniform", "low": 0.5,
                    "high": 40}, (0.6, 30.0)),
    # a penalty below the mine's cost leaves the embargoed demand unmet
    "penalty": ({"field": "penalty", "distribution": "uniform", "low": 0.01,
                 "high": 2}, (0.02, 1.5)),
    "lead_time": ({"field": "lead_time", "stage": "mining", "target": "alliance",
                   "distribution": "uniform", "low": -1, "high": 3},
                  (2.6, -0.9)),
}


def context(tmp_path: Path, row: dict[str, object], warm: bool,
            foresight: str = "perfect") -> SweepContext:
    tables = chain_tables([row])
    if foresight == "none":  # the embargo from 2027: 2025-26 are the baseline's
        tables["settings"] = settings(2025, 2029, 0.05, foresight="none")
        tables["scenario_rules"][0]["from_year"] = 2027
    case = load_case(write_case(tmp_path / ("warm" if warm else "cold"), tables))
    return SweepContext(case, tuple(uncertain_inputs(case)), ("baseline", "embargo"),
                        SolveOptions(), seed=1, warm=warm)


def assert_same_records(hot: pd.DataFrame, ref: pd.DataFrame, label: object) -> None:
    assert list(hot["scenario"]) == list(ref["scenario"])
    for column in HEADLINE:
        assert hot[column].to_numpy() == pytest.approx(
            ref[column].to_numpy(), rel=1e-7, abs=1e-6, nan_ok=True), (label, column)
    assert hot["self_sufficient_year"].equals(ref["self_sufficient_year"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_warm_solves_give_the_cold_answer(tmp_path: Path, kind: str) -> None:
    row, draws = KINDS[kind]
    warm, cold = context(tmp_path, row, True), context(tmp_path, row, False)
    for sample, value in enumerate(draws):
        hot = run_sample(warm, SampleTask(sample, (value,))).records
        ref = run_sample(cold, SampleTask(sample, (value,))).records
        assert_same_records(hot, ref, (kind, value))
    reuse = worker.worker_reuse(warm)
    assert reuse is not None
    # every sample of both scenarios re-solved warm: the structure never changed
    assert reuse.warm.counts == {"warm": 2 * len(draws), "cold": 0,
                                 "cold after warm": 0}
    # and its index was mapped from the kept reference, never rebuilt
    assert reuse.counts == {"mapped": 2 * len(draws), "rebuilt": 0}
    # and its LP written from the kept reference LP, never assembled
    assert reuse.lp_counts == {"patched": 2 * len(draws), "assembled": 0}


def test_lead_time_draws_under_foresight_none_stay_warm(tmp_path: Path) -> None:
    # Foresight none fixes the embargo's builds decided before 2027 at the
    # baseline's (which builds nothing: China's ore at 10 + 5 USD/t beats the us
    # mine's 40). A lead of 1 + 3 = 4 years fixes every build online by 2030 (all
    # of them, to 0: the embargoed demand goes unmet); 1 - 1 = 0 years fixes those
    # online by 2026 only. Which builds are fixed changes with the draw, but as
    # bounds, not rows: every sample re-solves warm and equals the cold solve.
    row, draws = KINDS["lead_time"]
    warm = context(tmp_path, row, True, foresight="none")
    cold = context(tmp_path, row, False, foresight="none")
    unmet = []
    for sample, value in enumerate(draws):
        hot = run_sample(warm, SampleTask(sample, (value,))).records
        ref = run_sample(cold, SampleTask(sample, (value,))).records
        assert_same_records(hot, ref, value)
        unmet.append(float(ref.loc[(ref["scenario"] == "embargo")
                                   & (ref["commodity"] == ""), "shortfall_t"].iat[0]))
    # +3 years: the embargoed 2027-29 go unmet (3 x 100 t); -1: none of them do
    assert unmet == pytest.approx([300.0, 0.0], abs=1e-6)
    reuse = worker.worker_reuse(warm)
    assert reuse is not None
    # the embargo's fixings were read from the baseline's solution every sample
    assert reuse.pin_counts == {"read": len(draws), "joined": 0}
    assert reuse.warm.counts == {"warm": 2 * len(draws), "cold": 0,
                                 "cold after warm": 0}
    assert reuse.counts == {"mapped": 2 * len(draws), "rebuilt": 0}
    # and its LP written from the kept reference LP, never assembled
    assert reuse.lp_counts == {"patched": 2 * len(draws), "assembled": 0}


def test_a_warm_result_does_not_depend_on_the_samples_before_it(tmp_path: Path
                                                                ) -> None:
    # each re-solve starts from the reference basis, so sample 7 gives the same
    # numbers whether the worker solved other samples before it or not
    row = {"field": "demand", "target": "alliance", "distribution": "uniform",
           "low": 0.5, "high": 2.0}
    first = context(tmp_path, row, True)
    run_sample(first, SampleTask(0, (1.9,)))
    after = run_sample(first, SampleTask(7, (0.7,))).records
    worker._KEPT.clear()  # a fresh worker
    alone = run_sample(replace(first), SampleTask(7, (0.7,))).records
    timing = [c for c in after.columns if c.endswith("_seconds") or c == "worker"]
    assert after.drop(columns=timing).equals(alone.drop(columns=timing))


class UnsettledOnce:
    """A kept HiGHS instance whose next run ends with model status Unknown, as
    HiGHS reports when it cannot settle an LP from the basis it was given (seen
    once in 56 re-solves of the default case's scenarios by
    bench/warm_methods.py); every other call is the instance's own."""

    def __init__(self, highs: highspy.Highs) -> None:
        self._highs = highs
        self.armed, self.unknown = True, False

    def __getattr__(self, name: str) -> object:
        return getattr(self._highs, name)

    def run(self) -> highspy.HighsStatus:
        status = self._highs.run()
        self.unknown, self.armed = self.armed, False
        return highspy.HighsStatus.kWarning if self.unknown else status

    def getModelStatus(self) -> highspy.HighsModelStatus:  # noqa: N802 (HiGHS)
        return (highspy.HighsModelStatus.kUnknown if self.unknown
                else self._highs.getModelStatus())


def test_a_warm_run_highs_leaves_unsettled_is_solved_cold(tmp_path: Path) -> None:
    # the baseline's kept instance ends sample 1 "Unknown": the scenario is solved
    # again cold (a new instance, as the cold sweep solves it), so the sample has
    # no failure and the cold sweep's numbers; sample 2 is warm again
    row, _ = KINDS["demand"]
    warm, cold = context(tmp_path, row, True), context(tmp_path, row, False)
    worker._KEPT.clear()  # a fresh worker
    run_sample(warm, SampleTask(0, (1.2,)))
    reuse = worker.worker_reuse(warm)
    assert reuse is not None
    held = reuse.warm._held["baseline"]
    held.highs = UnsettledOnce(held.highs)  # type: ignore[assignment]
    for sample, value in ((1, 0.6), (2, 1.7)):
        outcome = run_sample(warm, SampleTask(sample, (value,)))
        assert outcome.failures == []
        assert_same_records(outcome.records,
                            run_sample(cold, SampleTask(sample, (value,))).records,
                            value)
    # 3 samples x 2 scenarios warm; one of them solved again cold
    assert reuse.warm.counts == {"warm": 6, "cold": 0, "cold after warm": 1}


def test_a_failed_lexicographic_run_leaves_the_kept_lp_as_it_was_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the lexicographic objective solves twice: stage 1 on the shortfall costs
    # alone, stage 2 with every cost and an added row. A stage-2 failure used to
    # leave that row and, a stage-1 failure, the stage-1 costs in the kept
    # instance, under the next sample's numbers. Now the instance is the LP it
    # was given either way: its costs, row count and row bounds equal the held
    # arrays.
    from model.solver import highs as highs_module
    from model.solver import warm as warm_module

    row, _ = KINDS["demand"]
    warm = context(tmp_path, row, True)
    worker._KEPT.clear()  # a fresh worker
    run_sample(warm, SampleTask(0, (1.2,)))
    reuse = worker.worker_reuse(warm)
    assert reuse is not None
    held = reuse.warm._held["baseline"]
    real = highs_module.run_highs
    for failing_stage in (1, 2):
        calls: list[str] = []

        def run_highs(h: highspy.Highs, scenario: str, options: object = None,
                      _stage: int = failing_stage, _calls: list = calls) -> None:
            _calls.append(scenario)
            if len(_calls) == _stage:
                raise SolveError(scenario, "stopped in the test")
            real(h, scenario, options)

        monkeypatch.setattr(highs_module, "run_highs", run_highs)
        shortfall = np.flatnonzero(held.arrays.cost > 0)[:3]
        with pytest.raises(SolveError, match="stopped in the test"):
            warm_module._run(held.highs, "baseline", SolveOptions(),
                             shortfall.astype(np.int32))
        lp = held.highs.getLp()
        assert lp.num_row_ == len(held.arrays.row_lower), failing_stage
        assert np.array_equal(np.asarray(lp.col_cost_), held.arrays.cost)
        assert np.array_equal(np.asarray(lp.row_upper_), held.arrays.row_upper)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_start_from_the_baselines_optimum_gives_the_cold_answer(
        tmp_path: Path, kind: str) -> None:
    # The embargo scenario lacks the baseline's flows from China, so its LP has
    # fewer columns: started from the baseline's optimum of the same sample
    # (model/solver/starts.py: matched by key, the rest completed by HiGHS as an
    # alien basis) it must still reach the cold solve's objective and headline
    # figures, for every kind of draw. start_counts proves the start was used.
    row, draws = KINDS[kind]
    warm, cold = context(tmp_path, row, True), context(tmp_path, row, False)
    worker._KEPT.clear()  # a fresh worker, and none with these starts after
    try:
        reuse = worker.worker_reuse(warm)
        assert reuse is not None
        reuse.warm.starts = {"embargo": "baseline"}
        for sample, value in enumerate(draws):
            hot = run_sample(warm, SampleTask(sample, (value,))).records
            ref = run_sample(cold, SampleTask(sample, (value,))).records
            assert_same_records(hot, ref, (kind, value))
        assert reuse.warm.start_counts == {"reference": len(draws),
                                           "another scenario": len(draws)}
        assert reuse.warm.counts == {"warm": 2 * len(draws), "cold": 0,
                                     "cold after warm": 0}
    finally:
        worker._KEPT.clear()
