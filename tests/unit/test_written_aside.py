"""model/outputs/aside.py: one output written (or one value computed) by a forked
child while the body writes another; a failed child's output written again (its
value computed) here; an ended body kills the child before its folder is given
up."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

import model.outputs.aside as aside
from model.outputs.aside import computed_beside, written_aside

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork only")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine of two cores or more with no other thread (xdist and
    pytest may leave threads of their own)."""
    monkeypatch.setattr(aside, "may_fork", lambda: True)


def _writer(path: Path, delay: float = 0.0):  # noqa: ANN202
    def write() -> None:
        time.sleep(delay)
        path.write_text(str(os.getpid()))
    return write


def test_the_child_writes_while_the_body_runs(tmp_path: Path, forking: None) -> None:
    # The writer sleeps 0.5 s, the body 0.5 s: run one after the other they would
    # take 1 s; the file is written by another process (its pid, not ours).
    out = tmp_path / "tables.txt"
    start = time.perf_counter()
    with written_aside(_writer(out, 0.5), lambda: None):
        time.sleep(0.5)
    elapsed = time.perf_counter() - start
    assert int(out.read_text()) != os.getpid()
    assert elapsed < 0.95


def test_a_failed_child_is_undone_and_the_writer_run_here(tmp_path: Path,
                                                          forking: None) -> None:
    # The writer fails in every process but this one: the child's partial file is
    # removed by undo, and the file finally there was written by this process.
    parent = os.getpid()
    out, partial = tmp_path / "tables.txt", tmp_path / "partial.txt"
    undone: list[bool] = []

    def write() -> None:
        if os.getpid() != parent:
            partial.write_text("half")
            raise OSError(28, "No space left on device")
        out.write_text(str(os.getpid()))

    def undo() -> None:
        undone.append(partial.exists())
        partial.unlink()

    with written_aside(write, undo):
        pass
    assert undone == [True]
    assert not partial.exists()
    assert int(out.read_text()) == parent


def test_the_writers_error_is_raised_here(tmp_path: Path, forking: None) -> None:
    # A writer that fails everywhere: the child fails, the retry here raises the
    # writer's own exception with its message.
    def write() -> None:
        raise RuntimeError("broken writer")

    with pytest.raises(RuntimeError, match="broken writer"):
        with written_aside(write, lambda: None):
            pass


def test_an_ended_body_kills_the_child_first(tmp_path: Path, forking: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The body raises at once; the child would write after 1 s. The child is
    # killed and reaped before the exception leaves: 1.5 s later there is still no
    # file, and that child is no longer ours to wait for.
    out, children = tmp_path / "tables.txt", []
    real_fork = aside._fork
    monkeypatch.setattr(aside, "_fork",
                        lambda write: children.append(real_fork(write)) or children[-1])
    with pytest.raises(KeyboardInterrupt):
        with written_aside(_writer(out, 1.0), lambda: None):
            raise KeyboardInterrupt
    time.sleep(1.5)
    assert not out.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)


def test_with_another_thread_alive_the_writer_runs_here_first(tmp_path: Path
                                                              ) -> None:
    # A second Python thread: no fork; the writer runs in this process, before
    # the body (the order of the writes without the child).
    out = tmp_path / "tables.txt"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not aside.may_fork()
        with written_aside(_writer(out), lambda: None):
            assert int(out.read_text()) == os.getpid()
    finally:
        stop.set()
        other.join()


def test_a_solve_writes_the_same_files_with_and_without_the_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A small synthetic case solved once, its outputs written with the tables in a
    # forked child and then all here: every CSV byte for byte the same, and every
    # part of report.xlsx but docProps/core.xml (it holds the time of writing).
    from model.pipeline import run_case, write_outputs
    from model.solver.records import SolveOptions
    from model.synth import SynthSpec, write_synthetic
    from model.timing import PhaseTimer

    run = run_case(write_synthetic(tmp_path / "case", SynthSpec(3, 4)))
    written = {}
    for fork in (True, False):
        monkeypatch.setattr(aside, "may_fork", lambda fork=fork: fork)
        out = tmp_path / f"out_{fork}"
        write_outputs(run, out, SolveOptions(), PhaseTimer())
        written[fork] = {p.relative_to(out).as_posix(): p.read_bytes()
                         for p in sorted(out.rglob("*.csv"))}
        with zipfile.ZipFile(out / "report.xlsx") as book:
            written[fork].update({name: book.read(name) for name in book.namelist()
                                  if name != "docProps/core.xml"})
    assert len(written[True]) > 10
    assert written[True] == written[False]


def test_a_value_computed_by_the_child_while_the_body_runs(forking: None) -> None:
    # The child's pid and a large value come back through the temporary file; the
    # body ran here meanwhile (its pid is this process's).
    ran_in = []
    value = computed_beside(lambda: (os.getpid(), [b"x" * 1000] * 5000),
                            lambda: ran_in.append(os.getpid()))
    assert value[0] != os.getpid() and ran_in == [os.getpid()]
    assert value[1] == [b"x" * 1000] * 5000


def test_a_failed_computation_in_the_child_is_done_here(forking: None) -> None:
    # compute fails in any process but this one: the child ends with status 1 and
    # the value is computed here, after the body.
    parent, order = os.getpid(), []

    def compute() -> int:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        order.append("compute")
        return 7

    assert computed_beside(compute, lambda: order.append("body")) == 7
    assert order == ["body", "compute"]


def test_an_ended_body_kills_the_computing_child(forking: None,
                                                monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    # The child would compute for 30 s; the body raises at once: the child is
    # killed and reaped before the exception leaves.
    children: list[int] = []
    real_fork = aside._fork
    monkeypatch.setattr(aside, "_fork",
                        lambda write: children.append(real_fork(write)) or children[-1])

    def body() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        computed_beside(lambda: time.sleep(30), body)
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)


def test_without_a_fork_the_body_runs_first_then_the_value_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside, "may_fork", lambda: False)
    order: list[str] = []
    assert computed_beside(lambda: order.append("compute") or os.getpid(),
                           lambda: order.append("body")) == os.getpid()
    assert order == ["body", "compute"]


# A SIGTERM that lands while os.fork runs its at-fork hooks (logging's lock
# release): the script's hook sends it at that moment, every time.
_SIGNAL_DURING_FORK = """
import os, signal
import model.outputs.aside as aside
from model.outputs.aside import computed_beside, written_aside
from model.outputs.lock import terminations_as_interrupt
aside.may_fork = lambda: True
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGTERM))
with terminations_as_interrupt():
    try:
        {call}
    except KeyboardInterrupt:
        print("interrupted")
try:
    os.waitpid(-1, os.WNOHANG)
    print("a child is left")
except ChildProcessError:
    print("no child left")
"""


@pytest.mark.parametrize("call", [
    "computed_beside(lambda: 1, lambda: None)",
    "with written_aside(lambda: None, lambda: None): pass",
], ids=["computed_beside", "written_aside"])
def test_a_signal_during_the_fork_interrupts_and_leaves_no_child(call: str) -> None:
    # Python runs a signal's handler at the next bytecode, which may be inside an
    # at-fork hook; there an exception cannot propagate: it would be printed as
    # "Exception ignored" and the interrupt lost, the run going on. Held over the
    # fork, it is raised after it, once the child is known, and the child is
    # killed and reaped.
    script = _SIGNAL_DURING_FORK.format(call=call)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.stderr == ""
    assert done.stdout.split("\n")[:2] == ["interrupted", "no child left"]
