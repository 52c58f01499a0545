"""A driver killed after k of n samples, then ``--resume``: only the n - k missing
samples are solved, the store ends with n unique records and the report equals
that of an uninterrupted run."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from model.cli import main
from model.sweep.command import SweepRequest, run_sweep
from model.sweep.worker import TIMING_COLUMNS

N, K, SEED = 5, 2, 9

KILL_AFTER_K_STORED = """
import os, signal, sys
from model.sweep import store
original = store.SweepStore.put
stored = []
def put(self, *args, **kwargs):
    result = original(self, *args, **kwargs)
    stored.append(args[1])
    if len(stored) == {k}:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
store.SweepStore.put = put
from model.cli import main
sys.exit(main(sys.argv[1:]))
"""


def sweep_args(case_dir: Path, out: Path, *extra: str) -> list[str]:
    return ["sweep", str(case_dir), "--samples", str(N), "--seed", str(SEED),
            "--executor", "serial", "--out", str(out), *extra]


def workbook_cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets
            if ws.title != "Run info"}


def test_driver_killed_then_resumed(case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "resumed"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_K_STORED.format(k=K),
         *sweep_args(case_dir, out)], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    records = sorted((out / "store" / "records").glob("*.parquet"))
    assert len(records) == K and not (out / "sweep.xlsx").exists()

    resumed = run_sweep(SweepRequest(case_dir, out, N, seed=SEED, resume=True))
    assert resumed.solved == list(range(K, N)) and resumed.reused == K
    assert len(list((out / "store" / "records").glob("*.parquet"))) == N

    clean = tmp_path / "clean"
    assert main(sweep_args(case_dir, clean)) == 0
    assert workbook_cells(out / "sweep.xlsx") == workbook_cells(clean / "sweep.xlsx")
    clean_records = pd.concat(pd.read_parquet(p) for p in sorted(
        (clean / "store" / "records").glob("*.parquet")))
    pd.testing.assert_frame_equal(
        resumed.records.drop(columns=list(TIMING_COLUMNS)),
        clean_records.drop(columns=list(TIMING_COLUMNS)).reset_index(drop=True))


def test_resume_with_nothing_missing_solves_nothing(case_dir: Path, tmp_path: Path
                                                    ) -> None:
    out = tmp_path / "out"
    first = run_sweep(SweepRequest(case_dir, out, 2, seed=1))
    again = run_sweep(SweepRequest(case_dir, out, 2, seed=1, resume=True))
    assert first.solved == [0, 1] and again.solved == [] and again.reused == 2


def test_a_lost_sample_is_reported_and_solved_by_resume(case_dir: Path,
                                                        tmp_path: Path) -> None:
    from model.sweep.runner import SerialExecutor
    from model.sweep.worker import run_sample

    def crash_on_one(context, task):  # noqa: ANN001, ANN202
        if task.sample == 1:
            raise MemoryError("worker ran out of memory")
        return run_sample(context, task)

    out = tmp_path / "out"
    first = run_sweep(SweepRequest(case_dir, out, 3, seed=4),
                      SerialExecutor(task_fn=crash_on_one))
    assert first.exit_code == 3
    assert first.failures[["sample", "scenario", "status"]].values.tolist() == [
        [1, "(all)", "lost"]]
    assert "MemoryError: worker ran out of memory" in first.failures["reason"][0]
    wb = load_workbook(out / "sweep.xlsx")
    assert [r[:3] for r in wb["Failures"].iter_rows(min_row=2, values_only=True)] == [
        (1, "(all)", "lost")]
    again = run_sweep(SweepRequest(case_dir, out, 3, seed=4, resume=True))
    assert again.solved == [1] and again.exit_code == 0
