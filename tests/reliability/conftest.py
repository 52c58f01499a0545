"""The harness that checks invariants I1-I6 of RELIABILITY.md on every run of the
command line (the Hypothesis profiles are in tests/conftest.py)."""

from __future__ import annotations

import json
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest

import model.pipeline  # noqa: F401  (imported once, outside the measured runs)
from model.cli import main
from model.outputs import MARKER

MAX_SECONDS = 30.0
MAX_PEAK_BYTES = 2**30
OLD_REPORT = b"PK previous report bytes"


def snapshot(path: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file under ``path`` (or of the file)."""
    if path.is_file():
        return {"": path.read_bytes()}
    if not path.exists():
        return {}
    return {str(p.relative_to(path)): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


@dataclass
class Outcome:
    """What one command-line run did."""

    code: int
    out: str
    err: str
    seconds: float
    peak_bytes: int
    out_dir: Path


def previous_output(root: Path) -> Path:
    """An output folder holding an earlier run's files, and its marker."""
    out = root / "outputs" / "case"
    (out / "tables").mkdir(parents=True)
    (out / "report.xlsx").write_bytes(OLD_REPORT)
    (out / "tables" / "summary.csv").write_text("scenario\nold\n")
    (out / MARKER).write_text(json.dumps(
        {"reroute_output": 1, "commands": {"solve": ["report.xlsx", "tables"]}}))
    return out


@pytest.fixture
def run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],  # noqa: ANN201
            caplog: pytest.LogCaptureFixture):
    """run_cli(case, *args) -> Outcome; asserts I3 (on failure), I4, I5 and I6."""

    def run(case: Path, *args: str, measure: bool = True) -> Outcome:
        out = previous_output(tmp_path / "o")
        before_out = snapshot(out.parent)
        before_in = snapshot(case)
        if measure:
            tracemalloc.start()
        start = time.perf_counter()
        try:
            code = main(["solve", str(case), "--out", str(out), *args])
        finally:
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] if measure else 0
            if measure:
                tracemalloc.stop()
        captured = capsys.readouterr()
        assert snapshot(case) == before_in, "I4: the input was modified"
        assert seconds < MAX_SECONDS and peak < MAX_PEAK_BYTES, "I5: unbounded run"
        assert "Traceback" not in captured.err + caplog.text, "I6: traceback"
        if code != 0:
            after = {k: v for k, v in snapshot(out.parent).items()
                     if not k.startswith(".reroute-case.lock") and not k.endswith(
                         ".infeasibility.txt")}
            assert after == before_out, "I3: earlier output changed or temp left"
            leftovers = [p.name for p in out.parent.iterdir()
                         if p.name.startswith(".case.")]
            assert leftovers == [], f"I3: temporary files left: {leftovers}"
        err = captured.err + caplog.text  # warnings are logged
        caplog.clear()
        return Outcome(code, captured.out, err, seconds, peak, out)

    return run
