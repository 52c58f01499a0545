"""Executors: serial, local process pool and Dask give identical records; a worker
killed mid-sweep still leaves every sample stored exactly once."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.solver.records import SolveOptions
from model.sweep.command import SweepRequest, SweepResult, run_sweep
from model.sweep.runner import DaskExecutor, Executor, PoolExecutor, SerialExecutor
from model.sweep.worker import TIMING_COLUMNS, SampleTask, SweepContext
from tests.sweep.cases import chain_case
from tests.sweep.faults import die_once

SAMPLES = 4


def sweep(case_dir: Path, out: Path, executor: Executor) -> SweepResult:
    return run_sweep(SweepRequest(case_dir, out, SAMPLES, seed=11), executor)


def comparable(result: SweepResult) -> pd.DataFrame:
    return result.records.drop(columns=list(TIMING_COLUMNS))


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory) -> SweepResult:
    root = tmp_path_factory.mktemp("serial")
    return sweep(chain_case(root / "chain"), root / "out", SerialExecutor())


def stored_files(out: Path) -> list[Path]:
    return sorted((out / "store" / "records").glob("*.parquet"))


def test_serial_run_stores_one_record_per_scenario_and_sample(serial_run: SweepResult
                                                              ) -> None:
    totals = serial_run.records[serial_run.records["commodity"] == ""]
    assert len(totals) == SAMPLES * 2  # two scenarios
    assert not totals.duplicated(["input_hash", "seed", "sample", "scenario"]).any()
    assert serial_run.exit_code == 0
    assert len(stored_files(serial_run.out_dir)) == SAMPLES


def test_process_pool_gives_the_serial_records(serial_run: SweepResult, case_dir: Path,
                                               tmp_path: Path) -> None:
    result = sweep(case_dir, tmp_path / "out", PoolExecutor(2))
    pd.testing.assert_frame_equal(comparable(result), comparable(serial_run))


def test_dask_gives_the_serial_records(serial_run: SweepResult, case_dir: Path,
                                       tmp_path: Path, dask_address: str) -> None:
    result = sweep(case_dir, tmp_path / "out", DaskExecutor(address=dask_address))
    pd.testing.assert_frame_equal(comparable(result), comparable(serial_run))


def test_dask_worker_killed_mid_sweep(serial_run: SweepResult, case_dir: Path,
                                      tmp_path: Path, dask_address: str) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    task = partial(die_once, str(markers), 1)
    result = sweep(case_dir, tmp_path / "out", DaskExecutor(address=dask_address,
                                                            task_fn=task))
    assert len(list(markers.glob("1-*"))) >= 2  # sample 1 ran again after the kill
    assert [p.name[-15:] for p in stored_files(tmp_path / "out")] == [
        f"{i:07d}.parquet" for i in range(SAMPLES)]
    assert result.exit_code == 0
    pd.testing.assert_frame_equal(comparable(result), comparable(serial_run))


def test_pool_worker_killed_mid_sweep(serial_run: SweepResult, case_dir: Path,
                                      tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    task = partial(die_once, str(markers), 2)
    result = sweep(case_dir, tmp_path / "out", PoolExecutor(2, task_fn=task))
    assert len(list(markers.glob("2-*"))) == 2
    assert len(stored_files(tmp_path / "out")) == SAMPLES
    pd.testing.assert_frame_equal(comparable(result), comparable(serial_run))


def test_a_sample_whose_worker_always_dies_is_reported_lost(case_dir: Path,
                                                            tmp_path: Path) -> None:
    lost: list[tuple[int, str]] = []
    executor = PoolExecutor(1, task_fn=_always_die, retries=1)
    context = SweepContext(load_case(case_dir), (), ("baseline",), SolveOptions(), 0)
    executor.run(context, [SampleTask(0, ())], lambda o: None,
                 lambda t, reason: lost.append((t.sample, reason)))
    assert lost == [(0, "worker process died 2 times")]


def _always_die(context: object, task: object) -> object:
    os._exit(1)


def _raise(context: object, task: object) -> object:
    raise RuntimeError("broken sample")


@pytest.mark.parametrize("executor", [SerialExecutor(task_fn=_raise),
                                      PoolExecutor(1, task_fn=_raise)])
def test_an_exception_in_a_task_is_reported_not_raised(case_dir: Path,
                                                       executor: Executor) -> None:
    lost: list[tuple[int, str]] = []
    context = SweepContext(load_case(case_dir), (), ("baseline",), SolveOptions(), 0)
    executor.run(context, [SampleTask(0, ()), SampleTask(1, ())], lambda o: None,
                 lambda t, reason: lost.append((t.sample, reason)))
    assert sorted(lost) == [(0, "RuntimeError: broken sample"),
                            (1, "RuntimeError: broken sample")]
