"""Property: whatever sequence of solves, sweeps and interrupted solves runs on
whatever folders holding whatever user files, no user file is ever changed or
removed; a refused or interrupted run changes nothing at all; a run that is
accepted leaves its complete entries and no temporary folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import model.pipeline as pipeline
from model.errors import InputError
from model.outputs import MANIFESTS, MARKER, stale_folders
from model.pipeline import PhaseTimer, RunResult, run_case, write_outputs
from model.solver.records import SolveOptions
from model.sweep.command import SweepRequest, run_sweep
from tests.reliability.builders import csv_case
from tests.reliability.conftest import snapshot
from tests.sweep.cases import chain_case

FOLDERS = ["A", "A/sweep", "B", "C"]
# names a user may give files anywhere (initial files may also take the names of
# Reroute's entries: such a folder is not Reroute's and must be refused)
USER_NAMES = ["notes.txt", ".hidden", "data/raw.csv", "deep/er/plan.md", "Report.XLSX"]
CLASHING = ["report.xlsx", "run.json", "tables", "sweep.xlsx", "store/meta.json",
            MARKER + ".bak"]
contents = st.binary(max_size=16)
placements = st.tuples(st.sampled_from(FOLDERS),
                       st.sampled_from(USER_NAMES + CLASHING), contents)
steps = st.lists(st.one_of(
    st.tuples(st.sampled_from(["solve", "sweep", "interrupted"]),
              st.sampled_from(FOLDERS)),
    st.tuples(st.just("add"), st.sampled_from(FOLDERS), st.sampled_from(USER_NAMES),
              contents)), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return run_case(csv_case(tmp_path_factory.mktemp("case") / "case"))


@pytest.fixture(scope="module")
def sweep_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chain_case(tmp_path_factory.mktemp("chain") / "chain")


def _place(root: Path, folder: str, name: str, data: bytes,
           user: dict[Path, bytes]) -> None:
    path = root / folder / name
    if any(p.is_file() for p in [path, *path.parents] if root in p.parents):
        return  # a file already stands where a folder would be needed
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    user[path] = data


def _interrupting(real: object):  # noqa: ANN202
    def write_then_interrupt(tables: object, inputs: object, info: object,
                             path: Path) -> None:
        real(tables, inputs, info, path)  # type: ignore[operator]
        raise KeyboardInterrupt
    return write_then_interrupt


def _run(op: str, out: Path, solved: RunResult, sweep_case: Path) -> str:
    """Run one command on ``out``: 'ok', 'refused' or 'interrupted'."""
    try:
        if op == "sweep":
            run_sweep(SweepRequest(sweep_case, out, 1))
        elif op == "solve":
            write_outputs(solved, out, SolveOptions(), PhaseTimer())
        else:
            with mock.patch.object(pipeline, "write_report",
                                   _interrupting(pipeline.write_report)):
                write_outputs(solved, out, SolveOptions(), PhaseTimer())
    except InputError:
        return "refused"
    except KeyboardInterrupt:
        return "interrupted"
    return "ok"


@given(initial=st.lists(placements, max_size=4), program=steps)
@example(initial=[("B", "notes.txt", b"n")],  # solve, sweep inside, interrupt
         program=[("solve", "A"), ("add", "A", "notes.txt", b"x"),
                  ("sweep", "A/sweep"), ("interrupted", "A")])
@example(initial=[("C", "report.xlsx", b"r")],  # a user folder; sweep then solve
         program=[("solve", "C"), ("sweep", "B"), ("solve", "B"),
                  ("interrupted", "B")])
@example(initial=[], program=[("interrupted", "A"), ("solve", "A"),  # user files
                              ("add", "A", "deep/er/plan.md", b"p"), ("solve", "A")])
def test_no_user_file_is_ever_changed_or_removed(
        initial: list[tuple[str, str, bytes]], program: list[tuple],
        solved: RunResult, sweep_case: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        user: dict[Path, bytes] = {}
        for folder, name, data in initial:
            _place(root, folder, name, data, user)
        for step in program:
            if step[0] == "add":
                _place(root, *step[1:], user)
                continue
            op, out = step[0], root / step[1]
            before = snapshot(root)
            outcome = _run(op, out, solved, sweep_case)
            assert outcome != "interrupted" or op == "interrupted"
            if outcome in ("refused", "interrupted"):
                assert snapshot(root) == before, (op, step[1], outcome)
            else:
                entries = MANIFESTS["sweep" if op == "sweep" else "solve"]
                assert all((out / e).exists() for e in entries) and (
                    out / MARKER).is_file()
            assert stale_folders(out) == []
            for path, data in user.items():
                assert path.is_file() and path.read_bytes() == data, (step, path)
