"""Outputs only ever replace Reroute's own files (model/outputs): refused folders,
kept user files, solve and sweep side by side, case names, folder modes, SIGHUP,
a kill in the middle of the commit."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import stat
import sys
from pathlib import Path

import pytest

import model.outputs.commit as commit
import model.pipeline as pipeline
from model.cli import main
from model.outputs import MARKER, case_name, lock_path, recover_stale, stale_folders
from model.pipeline import PhaseTimer, run_case, write_outputs
from model.solver.records import SolveOptions
from tests.reliability.builders import csv_case, xlsx_case
from tests.reliability.conftest import snapshot
from tests.sweep.cases import chain_case

SOLVE_ENTRIES = {"report.xlsx", "run.json", "tables"}


def solve(case: Path, out: Path | str) -> int:
    return main(["solve", str(case), "--out", str(out)])


def sweep(case: Path, out: Path | str, *extra: str) -> int:
    return main(["sweep", str(case), "--executor", "serial", "--samples", "1",
                 "--out", str(out), *extra])


def user_folder(folder: Path) -> Path:
    """A folder of the user's: notes, a spreadsheet, a sub-folder."""
    (folder / "data").mkdir(parents=True)
    (folder / "notes.txt").write_text("my notes\n")
    (folder / "budget.xlsx").write_bytes(b"PK not Reroute's")
    (folder / "data" / "raw.csv").write_text("a,b\n1,2\n")
    return folder


def test_outputs_over_a_user_folder_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Today's main replaces the whole folder and deletes the user's files."""
    out = user_folder(tmp_path / "mine")
    before = snapshot(out)
    assert solve(csv_case(tmp_path / "case"), out) == 2
    err = capsys.readouterr().err
    assert f"refusing to write outputs to {out}" in err
    assert "budget.xlsx, data/, notes.txt" in err  # the entries, sorted
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "mine"]


def test_outputs_over_another_case_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``solve cases/a --out cases/b`` used to delete case b, inputs and all."""
    a = csv_case(tmp_path / "cases" / "a")
    b = csv_case(tmp_path / "cases" / "b")
    before = snapshot(b)
    assert solve(a, b) == 2
    assert "demand.csv" in capsys.readouterr().err
    assert snapshot(b) == before


def test_out_dot_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    case = csv_case(tmp_path / "case")
    work = user_folder(tmp_path / "work")
    before = snapshot(work)
    monkeypatch.chdir(work)
    assert solve(case, ".") == 2
    assert f"refusing to write outputs to {work}" in capsys.readouterr().err
    assert snapshot(work) == before


def test_an_empty_folder_is_taken(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert solve(csv_case(tmp_path / "case"), out) == 0
    assert {p.name for p in out.iterdir()} == SOLVE_ENTRIES | {MARKER}


def test_an_output_folder_from_before_the_marker_is_recognised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reroute's entries and a run.json with Reroute's keys: taken (and marked);
    the same names with a run.json of someone else's: refused, untouched."""
    case = csv_case(tmp_path / "case")
    old = tmp_path / "old"
    assert solve(case, old) == 0
    (old / MARKER).unlink()
    assert solve(case, old) == 0 and (old / MARKER).is_file()
    other = tmp_path / "other"
    (other / "tables").mkdir(parents=True)
    (other / "run.json").write_text('{"case": "mine"}')
    before = snapshot(other)
    assert solve(case, other) == 2
    assert "holds run.json, tables/" in capsys.readouterr().err
    assert snapshot(other) == before


def test_an_unreadable_marker_is_bad_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("{not json")
    assert solve(csv_case(tmp_path / "case"), out) == 2
    assert f"{out / MARKER}: the output marker is unreadable" in capsys.readouterr(
        ).err
    assert [p.name for p in out.iterdir()] == [MARKER]


def test_user_files_in_an_output_folder_survive_reruns(tmp_path: Path) -> None:
    """Notes and a sub-folder put into a Reroute output folder stay byte for byte
    while Reroute's own entries are replaced (today's main deletes them)."""
    case = csv_case(tmp_path / "case")
    out = tmp_path / "out"
    assert solve(case, out) == 0
    user_folder(out)
    mine = {k: v for k, v in snapshot(out).items()
            if k.split("/")[0] in {"notes.txt", "budget.xlsx", "data"}}
    record = (out / "run.json").read_bytes()
    for _ in range(2):
        assert solve(case, out) == 0
        after = snapshot(out)
        assert {k: after[k] for k in mine} == mine
    assert (out / "run.json").read_bytes() != record  # replaced (written_at, timings)
    assert json.loads((out / MARKER).read_text())["commands"] == {
        "solve": sorted(SOLVE_ENTRIES)}


def test_a_users_file_with_a_manifest_name_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sweep folder is Reroute's, but a report.xlsx the user put there is not: a
    solve would replace it, so it is refused (the first name of its manifest that
    is not its own is named)."""
    out = tmp_path / "sweep"
    assert sweep(chain_case(tmp_path / "chain"), out) == 0
    (out / "report.xlsx").write_bytes(b"the user's report")
    before = snapshot(out)
    assert solve(chain_case(tmp_path / "chain2"), out) == 2
    assert "its report.xlsx was not written by Reroute" in capsys.readouterr().err
    assert snapshot(out) == before


def test_solve_and_sweep_keep_each_others_results(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Default layout: the sweep in <out>/sweep, the solve in <out>. Each command
    replaces only its own entries, in either order; in one folder they would share
    run.json, so the second command is refused and the first one's files stay."""
    case = chain_case(tmp_path / "chain")
    out = tmp_path / "outputs" / "chain"
    assert sweep(case, out / "sweep") == 0
    swept = snapshot(out / "sweep")
    assert solve(case, out) == 0
    assert solve(case, out) == 0
    assert snapshot(out / "sweep") == swept
    solved = {k: v for k, v in snapshot(out).items() if not k.startswith("sweep/")}
    assert sweep(case, out / "sweep", "--seed", "1") == 0
    assert {k: v for k, v in snapshot(out).items() if not k.startswith("sweep/")
            } == solved
    assert len(list((out / "sweep" / "store" / "records").glob("*.parquet"))) == 2
    capsys.readouterr()
    # one folder for both: refused either way, nothing changed
    for first, second, owner in ((sweep, solve, "sweep"), (solve, sweep, "solve")):
        shared = tmp_path / f"shared-{owner}"
        assert first(case, shared) == 0
        before = snapshot(shared)
        assert second(case, shared) == 2
        assert f"holds the results of a {owner}" in capsys.readouterr().err
        assert snapshot(shared) == before


def test_sweep_into_its_case_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``sweep CASE --out CASE`` used to write the store into the input folder."""
    case = chain_case(tmp_path / "chain")
    before = snapshot(case)
    for out in (case, case / "results", tmp_path):
        assert sweep(case, out) == 2
        assert "refusing to write outputs" in capsys.readouterr().err
    assert snapshot(case) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain"]


def test_dotted_case_names_get_their_own_folders(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    """``study.v1`` and ``study.v2`` used to both write ``outputs/study``."""
    monkeypatch.chdir(tmp_path)
    for version in ("v1", "v2"):
        assert main(["solve", str(csv_case(tmp_path / f"study.{version}"))]) == 0
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == [
        "study.v1", "study.v2"]
    for version in ("v1", "v2"):
        record = json.loads((tmp_path / "outputs" / f"study.{version}" / "run.json"
                             ).read_text())
        assert record["case"] == f"study.{version}"
    book = xlsx_case(tmp_path / "books" / "study.v3.xlsx")
    assert case_name(book) == "study.v3" == case_name(Path("study.v3.XLSX"))
    assert main(["solve", str(book)]) == 0
    assert json.loads((tmp_path / "outputs" / "study.v3" / "run.json").read_text()
                      )["case"] == "study.v3"


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
            for p in [folder, *folder.rglob("*")]}


def test_new_folders_follow_the_umask(tmp_path: Path) -> None:
    """umask 022: folders 0755, files 0644 (tempfile.mkdtemp made them 0700)."""
    previous = os.umask(0o022)
    try:
        assert solve(csv_case(tmp_path / "case"), tmp_path / "out") == 0
        assert solve(csv_case(tmp_path / "case"), tmp_path / "out") == 0
    finally:
        os.umask(previous)
    modes = _modes(tmp_path / "out")
    assert modes["."] == 0o755 and modes["tables"] == 0o755
    assert {m for k, m in modes.items() if k not in (".", "tables")} == {0o644}


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another group needs root")
def test_a_group_shared_folder_keeps_its_mode_and_group(tmp_path: Path) -> None:
    """A 2775 folder of group 4242 stays 2775 and 4242 across re-runs (it was
    replaced by a 0700 folder of root's group), and what Reroute writes there gets
    group 4242, as anything made in a set-group-ID folder does."""
    out = tmp_path / "shared"
    out.mkdir()
    os.chown(out, -1, 4242)
    os.chmod(out, 0o2775)
    case = csv_case(tmp_path / "case")
    for _ in range(2):
        assert solve(case, out) == 0
        info = out.stat()
        assert stat.S_IMODE(info.st_mode) == 0o2775 and info.st_gid == 4242
        assert {p.stat().st_gid for p in out.rglob("*")} == {4242}
        assert (out / "tables").stat().st_mode & stat.S_ISGID


def _hangup_child(run: object, out: Path) -> None:
    """Write the outputs; a SIGHUP arrives while the report is being written."""
    real = pipeline.write_report

    def hangup_midway(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGHUP)
        real(*args)  # type: ignore[arg-type]

    pipeline.write_report = hangup_midway  # type: ignore[assignment]
    try:
        write_outputs(run, out, SolveOptions(), PhaseTimer())  # type: ignore[arg-type]
    except KeyboardInterrupt:
        os._exit(130)
    os._exit(0)


@pytest.mark.skipif(sys.platform != "linux", reason="fork and SIGHUP")
def test_sighup_while_writing_cleans_up(tmp_path: Path) -> None:
    """SIGHUP is handled like SIGTERM: the staging folder and the lock are removed,
    the earlier outputs stay byte for byte (today's main dies, leaving both)."""
    run = run_case(csv_case(tmp_path / "case"))
    out = tmp_path / "out"
    write_outputs(run, out, SolveOptions(), PhaseTimer())
    before = snapshot(out)
    child = multiprocessing.get_context("fork").Process(target=_hangup_child,
                                                        args=(run, out))
    child.start()
    child.join()
    assert child.exitcode == 130
    assert snapshot(out) == before
    assert stale_folders(out) == [] and not lock_path(out).exists()


def _killed_mid_commit(run: object, out: Path) -> None:
    """Write the outputs; SIGKILL right after the first entry is moved in."""
    real = commit._move_into

    def move_then_die(*args: Path) -> None:
        real(*args)
        os.kill(os.getpid(), signal.SIGKILL)

    commit._move_into = move_then_die  # type: ignore[assignment]
    write_outputs(run, out, SolveOptions(), PhaseTimer())  # type: ignore[arg-type]
    os._exit(0)


@pytest.mark.skipif(sys.platform != "linux", reason="fork and SIGKILL")
def test_a_kill_in_the_middle_of_the_commit_is_completed(tmp_path: Path) -> None:
    """The killed run moved report.xlsx (the first entry, sorted) and left run.json
    and tables/ in its commit folder; the user's notes were never touched. The next
    run completes the move: the folder then holds exactly the killed run's files."""
    run = run_case(csv_case(tmp_path / "case"))
    out = tmp_path / "out"
    write_outputs(run, out, SolveOptions(), PhaseTimer())
    (out / "notes.txt").write_text("mine\n")
    child = multiprocessing.get_context("fork").Process(target=_killed_mid_commit,
                                                        args=(run, out))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL
    [left] = stale_folders(out)
    assert ".commit-" in left.name
    staged = {k: v for k, v in snapshot(left).items()
              if k.split("/")[0] in SOLVE_ENTRIES | {MARKER}}
    staged["report.xlsx"] = (out / "report.xlsx").read_bytes()  # already moved
    assert (out / "notes.txt").read_text() == "mine\n"
    recover_stale(out)
    assert stale_folders(out) == []
    assert {k: v for k, v in snapshot(out).items() if k != "notes.txt"} == staged
    assert (out / "notes.txt").read_text() == "mine\n"


NAMESPACE_SCRIPT = """
import json, subprocess, sys
from pathlib import Path
from model.cli import main
root = Path(sys.argv[1])
data, alias, mnt = root / "data", root / "alias", root / "mnt"
subprocess.run(["mount", "--bind", str(data), str(alias)], check=True)
subprocess.run(["mount", "-t", "tmpfs", "none", str(mnt)], check=True)
case, chain = data / "cases" / "a", data / "cases" / "chain"
runs = {
    "parent": ["solve", str(case), "--out", str(alias / "cases")],
    "same": ["solve", str(case), "--out", str(alias / "cases" / "a")],
    "inside": ["solve", str(case), "--out", str(alias / "cases" / "a" / "results")],
    "sweep-inside": ["sweep", str(chain), "--samples", "1", "--executor", "serial",
                     "--out", str(alias / "cases" / "chain" / "sweep")],
    "mount-point": ["solve", str(case), "--out", str(mnt)],
    "in-mount": ["solve", str(case), "--out", str(mnt / "results")],
}
codes = {name: main(argv) for name, argv in runs.items()}
listing = sorted(p.name for p in (mnt / "results").iterdir())
print(json.dumps({"codes": codes, "listing": listing}))
"""


def _private_mounts_work() -> str:
    """'' when this process may mount inside a private mount namespace, else why
    not."""
    import shutil
    import subprocess

    if os.geteuid() != 0:
        return "bind mounts need root"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare or mount is not installed"
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True)
    return "" if probe.returncode == 0 else "unshare -m is not permitted here"


@pytest.mark.skipif(sys.platform != "linux" or bool(_private_mounts_work()),
                    reason=_private_mounts_work() or "Linux mount namespaces")
def test_alias_paths_and_mount_points(tmp_path: Path) -> None:
    """In a private mount namespace ``alias`` is a bind mount of ``data``: the
    same folders by other paths. ``--out alias/cases`` used to replace the folder
    holding the case being solved (the old guard compared path strings); the case,
    the case itself and a folder inside it are refused by (device, inode), for the
    sweep too. ``--out`` at a tmpfs mount point is refused with one line (it was a
    raw ``OSError: Device or resource busy``); a folder inside it works."""
    import subprocess

    case = csv_case(tmp_path / "data" / "cases" / "a")
    chain_case(tmp_path / "data" / "cases" / "chain")
    (tmp_path / "alias").mkdir()
    (tmp_path / "mnt").mkdir()
    before = snapshot(tmp_path / "data")
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-c",
         NAMESPACE_SCRIPT, str(tmp_path)], capture_output=True, text=True,
        cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == {"parent": 2, "same": 2, "inside": 2,
                               "sweep-inside": 2, "mount-point": 2, "in-mount": 0}
    assert done.stderr.count("the input case") == 4
    assert "it is a mount point" in done.stderr and "Traceback" not in done.stderr
    assert result["listing"] == sorted(SOLVE_ENTRIES | {MARKER})
    assert snapshot(tmp_path / "data") == before
    assert case.is_dir()
