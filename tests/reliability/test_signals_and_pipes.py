"""Signals and pipes (issue 10, item 5), on the installed ``reroute`` program.

Ctrl-C, SIGTERM and SIGHUP at any moment of a run, start-up included, end it with
exit 130 and one line on stderr, no traceback, earlier outputs complete. Before,
a signal in the first second (while pandas, Pyomo and HiGHS were imported at the
import of ``model.cli``) printed a KeyboardInterrupt traceback, and SIGHUP was not
handled at all. A closed stdout no longer turns a finished run into exit 1.

"Any moment" starts where Reroute's first line runs: ``model.program`` installs
the guard as the program starts (about 50 ms in, on a loaded machine); a signal
before that meets Python's own start-up, which no package can change. The test
sees the guard in place in /proc/<pid>/status (SigCgt: SIGHUP caught, the last
of the three handlers installed) and sends each signal at a random moment from
then on.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.interrupts import INTERRUPTED_MESSAGE
from tests.reliability.builders import csv_case
from tests.reliability.conftest import snapshot

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="/proc and signals")

REROUTE = Path(sys.executable).with_name("reroute")
OUTPUTS = ("report.xlsx", "run.json", "tables/summary.csv")
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _caught(pid: int) -> int:
    """The mask of signals the process has handlers for (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    line = next(x for x in status.splitlines() if x.startswith("SigCgt:"))
    return int(line.split()[1], 16)


def _wait_for_guard(proc: subprocess.Popen, timeout: float = 30.0) -> float:
    """Seconds waited until the process handles SIGHUP; fails if it never does."""
    start = time.perf_counter()
    while not _caught(proc.pid) & (1 << (signal.SIGHUP - 1)):
        assert proc.poll() is None, "the run ended before it handled SIGHUP"
        assert time.perf_counter() - start < timeout, "SIGHUP is never handled"
        time.sleep(0.001)
    return time.perf_counter() - start


def _complete(out: Path) -> bool:
    return all((out / name).is_file() for name in OUTPUTS)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """The base case, one complete output folder of it, and a run's seconds."""
    root = tmp_path_factory.mktemp("signals")
    case = csv_case(root / "case")
    out = root / "out"
    start = time.perf_counter()
    done = subprocess.run([str(REROUTE), "solve", str(case), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return case, out, time.perf_counter() - start


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_at_a_random_moment_ends_with_130_and_one_line(
        solved: tuple[Path, Path, float], signum: int) -> None:
    case, out, seconds = solved
    rng = random.Random(1000 + signum)
    # three moments in the start-up half second, one anywhere in a whole run, one
    # about its end (the interpreter's shutdown included: a signal there once
    # killed the finished run, exit -2)
    moments = [rng.uniform(0, 0.5) for _ in range(3)]
    moments += [rng.uniform(0.5, max(0.6, seconds)),
                rng.uniform(0.9 * seconds, 1.05 * seconds)]
    for moment in moments:
        proc = subprocess.Popen([str(REROUTE), "solve", str(case), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        waited = _wait_for_guard(proc)
        time.sleep(max(0.0, moment - waited))
        proc.send_signal(signum)
        err = proc.communicate(timeout=120)[1]
        assert "Traceback" not in err and "Exception ignored" not in err, err
        if proc.returncode == 0:  # the run had finished: its outputs stand
            assert err == ""
        else:
            assert proc.returncode == 130, (moment, err)
            assert err.splitlines() == [INTERRUPTED_MESSAGE]
        assert _complete(out), moment  # the old outputs or the new ones, whole
        # (that the staging folder is removed is model.outputs' promise, tested in
        # tests/reliability/test_outputs.py)


def test_a_closed_pipe_on_stdout_keeps_exit_0(solved: tuple[Path, Path, float],
                                              tmp_path: Path) -> None:
    """``reroute solve ... | head -0``: the reader is gone before the summary is
    printed; the outputs are complete, so the status is still 0."""
    case, _, _ = solved
    out = tmp_path / "out"
    proc = subprocess.Popen([str(REROUTE), "solve", str(case), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
    assert _complete(out)


def test_a_closed_stdout_keeps_exit_0_and_no_file_takes_its_place(
        solved: tuple[Path, Path, float], tmp_path: Path) -> None:
    """``reroute solve ... >&-``: descriptor 1 closed at start. The run succeeds
    and writes the same tables as a run with a stdout (no output file got
    descriptor 1 and with it whatever is written to "stdout")."""
    case, reference, _ = solved
    out = tmp_path / "out"
    done = subprocess.run([str(REROUTE), "solve", str(case), "--out", str(out)],
                          stderr=subprocess.PIPE, text=True, check=False,
                          preexec_fn=lambda: os.close(1))  # noqa: PLW1509
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert _complete(out)
    assert snapshot(out / "tables") == snapshot(reference / "tables")


def test_help_on_a_closed_pipe_exits_0() -> None:
    proc = subprocess.Popen([str(REROUTE), "--help"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.wait(timeout=60) == 0
    assert err == ""


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    """What makes start-up interruptible and ``reroute --help`` quick: neither
    ``import model`` nor the command line's modules import the heavy libraries."""
    code = ("import sys, model, model.cli, model.program; "
            "print(sorted(m for m in ('pandas', 'numpy', 'pyomo', 'highspy', "
            "'openpyxl', 'xlsxwriter', 'scipy', 'dask') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
