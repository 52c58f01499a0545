"""Catalogue B-K: input files that are not plain files, or are huge, are refused at
once with their name (exit 2), before a byte is read; and a corrupt sweep store.

Each run is a child process with a bounded address space (``AS_LIMIT``) and a
timeout, so a FIFO that would block or a device that would fill memory fails the
test instead of hanging it or exhausting the machine. The child reports the
seconds ``main`` took and its peak resident memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from model.cli import main
from tests.reliability.builders import csv_case, xlsx_case
from tests.sweep.cases import chain_case

ROOT = Path(__file__).resolve().parents[2]
AS_LIMIT = 1536 * 2**20
TIMEOUT = 60
CHILD = f"""
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({AS_LIMIT}, {AS_LIMIT}))
from model.cli import main
start = time.perf_counter()
code = main(["solve", sys.argv[1], "--out", sys.argv[2]])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"\\nMEASURED seconds={{time.perf_counter() - start:.3f}} "
                 f"peak_kb={{peak}}\\n")
sys.exit(code)
"""


@dataclass
class Child:
    code: int
    err: str
    seconds: float
    peak_mb: float


def run_child(case: Path, out: Path) -> Child:
    """``reroute solve case --out out`` in a bounded child process."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(case), str(out)],
                              cwd=ROOT, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run on {case} did not end within {TIMEOUT} s (it blocks)")
    seconds, peak = 0.0, 0.0
    for line in done.stderr.splitlines():
        if line.startswith("MEASURED"):
            fields = dict(f.split("=") for f in line.split()[1:])
            seconds, peak = float(fields["seconds"]), int(fields["peak_kb"]) / 1024
    return Child(done.returncode, done.stderr, seconds, peak)


def _fifo(folder: Path, name: str) -> Path:
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)
    return folder / name


def _dev_zero(folder: Path, name: str) -> Path:
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to("/dev/zero")
    return folder / name


def _sparse(folder: Path, name: str) -> Path:
    """1.2 GB of apparent size and no data blocks (truncate, as the issue's file)."""
    with open(folder / name, "wb") as handle:
        handle.truncate(1_200_000_000)
    return folder / name


MAKERS = {"fifo": _fifo, "dev-zero": _dev_zero, "sparse": _sparse}
EXPECT = {"fifo": "not a regular file (a FIFO (named pipe))",
          "dev-zero": "not a regular file (a character device)",
          "sparse": "file is 1,200,000,000 bytes, above the limit of 104,857,600"}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_csv_table_that_is_no_plain_file(kind: str, tmp_path: Path) -> None:
    """demand.csv as a FIFO, a symlink to /dev/zero or a sparse 1.2 GB file: refused
    with the file named, in well under a second of main() and without reading it
    (peak memory stays that of the imports, far below the 1.2 GB)."""
    case = csv_case(tmp_path / "case")
    file = MAKERS[kind](case, "demand.csv")
    child = run_child(case, tmp_path / "out")
    assert child.code == 2, child.err
    assert f"error: {file} [demand]: {EXPECT[kind]}" in child.err
    assert "Traceback" not in child.err
    assert child.seconds < 5 and child.peak_mb < 600, child


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_workbook_that_is_no_plain_file(kind: str, tmp_path: Path) -> None:
    """case.xlsx as a FIFO or /dev/zero: refused as what it is (not 'empty')."""
    tmp_path.mkdir(exist_ok=True)
    file = MAKERS[kind](tmp_path, "case.xlsx")
    child = run_child(file, tmp_path / "out")
    assert child.code == 2, child.err
    assert f"error: {file}: {EXPECT[kind]}" in child.err
    assert child.seconds < 5


def test_sparse_workbook_refused_from_its_size(tmp_path: Path) -> None:
    file = _sparse(tmp_path, "case.xlsx")
    child = run_child(file, tmp_path / "out")
    assert child.code == 2, child.err
    assert f"error: {file}: {EXPECT['sparse']}" in child.err
    assert child.seconds < 5 and child.peak_mb < 600, child


def test_regular_workbook_still_reads(tmp_path: Path) -> None:
    """The checks refuse only what is not a plain file: a valid workbook solves."""
    case = xlsx_case(tmp_path / "case.xlsx")
    assert main(["solve", str(case), "--out", str(tmp_path / "out")]) == 0


@pytest.mark.parametrize("content", [b"", b"{\"input_hash\": ", b"[1, 2]"])
def test_corrupt_sweep_store_identity(content: bytes, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """An empty, truncated or non-object store/meta.json: exit 2 naming the file,
    no traceback, and the store is left as it was."""
    case, out = chain_case(tmp_path / "chain"), tmp_path / "sweep"
    args = ["sweep", str(case), "--executor", "serial", "--samples", "1", "--out",
            str(out)]
    assert main(args) == 0
    meta = out / "store" / "meta.json"
    assert json.loads(meta.read_text())["sampler"]
    meta.write_bytes(content)
    capsys.readouterr()
    assert main([*args, "--resume"]) == 2
    err = capsys.readouterr().err
    assert f"error: {meta}: the sweep store's identity file is empty or corrupt" in err
    assert "Traceback" not in err
    assert meta.read_bytes() == content
