"""Nothing lost, safe output, reproducible: the output lock, SIGKILL at random
moments while writing, inert formula text in every output, identical reruns."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from model.errors import OutputError
from model.outputs import lock_path, staged_output, stale_folders
from model.pipeline import PhaseTimer, run_case, write_outputs
from model.report.safe_text import is_dangerous
from model.results.tables import TABLE_ORDER
from model.solver.records import SolveOptions
from tests.reliability.builders import Tables, csv_case
from tests.reliability.conftest import snapshot

INJECTIONS = ['=HYPERLINK("http://127.0.0.1","x")', "+cmd|' /C calc'!A0", "@SUM(1)",
              "-2+3", "\t=1", "\r=1", "\uff1d1"]


def _rename_us(name: str):  # noqa: ANN202
    def edit(t: Tables) -> None:
        for rows in t.values():
            for row in rows:
                for key in ("region", "origin", "destination"):
                    if row.get(key) == "US":
                        row[key] = name
    return edit


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", INJECTIONS, ids=[f"V20-O07-{i}" for i in range(7)])
def test_injected_text_is_inert_everywhere(name: str, tmp_path: Path) -> None:
    """A region named like a formula is data: every CSV cell holding it starts with
    an apostrophe, every report cell is a string cell with quotePrefix, and no cell
    of the report is a formula."""
    stored = name.strip()  # identifiers are trimmed on input
    out = tmp_path / "out"
    run_case(csv_case(tmp_path / "case", _rename_us(name)), out)
    seen_csv = 0
    for table in (out / "tables").glob("*.csv"):
        with open(table, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert _is_number(cell) or not is_dangerous(cell), (table, cell)
                    seen_csv += cell == "'" + stored
    assert seen_csv > 0
    wb = openpyxl.load_workbook(out / "report.xlsx")
    seen_xlsx = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if cell.value == stored:
                    assert cell.data_type == "s" and cell.quotePrefix
                    seen_xlsx += 1
    assert seen_xlsx > 0


def _tables_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "tables").glob("*.csv"))}


WRITTEN_AT = re.compile(r"run \d{4}-\d\d-\d\d \d\d:\d\d UTC")


def _report_values(out: Path) -> dict[str, list[tuple]]:
    """Every cell value but the run's clock time (the Summary's "run <minute>" and the
    Run info sheet), which two runs a minute apart legitimately differ in."""
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    try:
        return {ws.title: [tuple(WRITTEN_AT.sub("run <time>", v)
                                 if isinstance(v, str) else v for v in row)
                           for row in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets if ws.title != "Run info"}
    finally:
        wb.close()


def _record(out: Path) -> dict[str, object]:
    """run.json without what measures the machine rather than the run: when it was
    written, seconds spent and peak memory (the process's resident set grows with
    whatever ran before it, so two identical runs need not report the same peak)."""
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    record.pop("written_at")
    record.pop("seconds")
    record.pop("peak_rss_mb")
    for scenario in record["scenarios"].values():
        scenario.pop("seconds")
    return record


def test_P22_O10_same_inputs_same_outputs(tmp_path: Path) -> None:
    """Two runs on the same inputs and options: byte-identical tables, identical
    report values and run record (timings, peak memory and timestamps aside)."""
    case = csv_case(tmp_path / "case")
    run_case(case, tmp_path / "a")
    run_case(case, tmp_path / "b")
    assert _tables_of(tmp_path / "a") == _tables_of(tmp_path / "b")
    assert _report_values(tmp_path / "a") == _report_values(tmp_path / "b")
    record_a, record_b = _record(tmp_path / "a"), _record(tmp_path / "b")
    assert record_a == record_b
    assert record_a["input_hash"] == run_case(case).case.input_hash


HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1]); lock.acquire()
print("held", flush=True); time.sleep(float(sys.argv[2]))
"""


def _hold_lock(out: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_path(out)),
                             str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_O09_second_writer_waits_for_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = _hold_lock(out, 1.0)
    start = time.perf_counter()
    with staged_output(out) as staging:
        (staging / "report.xlsx").write_bytes(b"new")
    waited = time.perf_counter() - start
    holder.wait(timeout=10)
    assert waited > 0.5  # the holder kept the lock for 1 s after saying "held"
    assert (out / "report.xlsx").read_bytes() == b"new"
    assert not lock_path(out).exists()  # removed by the run that held it last


def test_O09_gives_up_after_the_lock_timeout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.xlsx").write_bytes(b"old")
    holder = _hold_lock(out, 5.0)
    try:
        with pytest.raises(OutputError, match="another run is writing"), \
                staged_output(out, lock_timeout=0.2) as staging:
            (staging / "report.xlsx").write_bytes(b"new")
    finally:
        holder.kill()
        holder.wait()
    assert (out / "report.xlsx").read_bytes() == b"old"
    assert stale_folders(out) == []


def _write_child(run: object, out: Path) -> None:
    write_outputs(run, out, SolveOptions(), PhaseTimer())  # type: ignore[arg-type]
    os._exit(0)


def _complete(out: Path) -> bool:
    """The folder holds a whole report: workbook opens, record parses, and every
    CSV table of the spec (MODEL-SPEC §5) is there and parses."""
    openpyxl.load_workbook(out / "report.xlsx", read_only=True).close()
    json.loads((out / "run.json").read_text(encoding="utf-8"))
    for name in TABLE_ORDER:
        with open(out / "tables" / f"{name}.csv", encoding="utf-8") as handle:
            next(csv.reader(handle))
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="fork and SIGKILL")
def test_O05_sigkill_while_writing_keeps_old_or_new(tmp_path: Path) -> None:
    """20 writes killed at random moments: the output is always the previous folder
    byte for byte or a complete new one; the next run cleans up the leftovers."""
    run = run_case(csv_case(tmp_path / "case"))
    out = tmp_path / "out"
    fork = multiprocessing.get_context("fork")
    start = time.perf_counter()
    child = fork.Process(target=_write_child, args=(run, out))
    child.start()
    child.join()
    duration = time.perf_counter() - start  # one whole write, fork included
    rng = random.Random(20261129)
    outcomes = set()
    for _ in range(20):
        before = snapshot(out)
        child = fork.Process(target=_write_child, args=(run, out))
        child.start()
        time.sleep(rng.uniform(0.0, 1.6 * duration))  # about 60% land mid-write
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert _complete(out)
        outcomes.add("old" if snapshot(out) == before else "new")
    write_outputs(run, out, SolveOptions(), PhaseTimer())
    assert _complete(out) and stale_folders(out) == []
    assert not lock_path(out).exists()
    assert outcomes == {"old", "new"}  # kills landed both before and after the swap


def _terminated_child(run: object, out: Path) -> None:
    try:
        write_outputs(run, out, SolveOptions(), PhaseTimer())  # type: ignore[arg-type]
    except KeyboardInterrupt:
        os._exit(130)
    os._exit(0)


@pytest.mark.skipif(sys.platform != "linux", reason="fork and signals")
def test_E04_sigterm_while_writing_cleans_up(tmp_path: Path) -> None:
    """SIGTERM at random moments of a write: the old or the new folder, and, unlike
    SIGKILL, never a temporary folder left behind (before the staging folder exists
    the default action ends the process; from then on the signal becomes an
    interrupt, and it is held back while the swap and the cleanup run)."""
    run = run_case(csv_case(tmp_path / "case"))
    out = tmp_path / "out"
    write_outputs(run, out, SolveOptions(), PhaseTimer())
    fork = multiprocessing.get_context("fork")
    rng = random.Random(7)
    for _ in range(6):
        child = fork.Process(target=_terminated_child, args=(run, out))
        child.start()
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(child.pid, signal.SIGTERM)
        child.join()
        assert child.exitcode in (0, 130, -signal.SIGTERM)
        assert _complete(out)
        assert stale_folders(out) == []
