"""Catalogue B-M and B-O: solver failures (exit 3, explained) and output faults
(exit 1 or 130; earlier outputs always kept, no temporary files left)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import model.data.case as case_module
import model.outputs.commit as commit
import model.pipeline as pipeline
import model.scenario_run as scenario_run
from model.results.checks import InvariantError
from tests.reliability.builders import Tables, csv_case
from tests.reliability.catalogue import Entry, check_entry, params


def _skip_validation(mp: pytest.MonkeyPatch) -> None:
    """Let contradictory data reach the solver, as if validation had missed it."""
    mp.setattr(case_module, "validate_tables", lambda tables, years: [])


def _negative_expansion(t: Tables) -> None:
    # sum of builds <= -5 with builds >= 0: infeasible whatever else holds
    t["expansion"] = [{"region": "US", "process": "mine", "max_new_tpa": -5}]


def _negative_cycle(t: Tables) -> None:
    # shipping round US -> JP -> US earns 2 USD/t with no limit: unbounded
    t["routes"] += [{"origin": "JP", "destination": "US", "cost_usd_per_t": -7}]
    t["routes"][1]["cost_usd_per_t"] = 5


def _explained(out: Path, err: str) -> None:
    path = out.parent / f"{out.name}.infeasibility.txt"
    assert str(path) in err
    text = path.read_text(encoding="utf-8")
    assert "expansion_total" in text
    assert "expansion.csv [expansion] row 2 (region=US, process=mine)" in text


def _raise_in(target: str, exc: BaseException, module: object = pipeline):  # noqa: ANN202
    def patch(mp: pytest.MonkeyPatch) -> None:
        def fail(*_a: object, **_k: object) -> None:
            raise exc
        mp.setattr(module, target, fail)
    return patch


def _swap_denied(mp: pytest.MonkeyPatch) -> None:
    """Moving the first staged entry into the output folder is refused."""
    def fail(_src: Path, _dst: Path, _retired: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied (report open?)")
    mp.setattr(commit, "_move_into", fail)


def _full_disk_midway(mp: pytest.MonkeyPatch) -> None:
    """The CSV tables are written, then the disk fills while writing the report."""
    def fail(_tables: object, _inputs: object, _info: object, path: Path) -> None:
        path.write_bytes(b"PK partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    mp.setattr(pipeline, "write_report", fail)


def _csv(edit=None):  # noqa: ANN001, ANN202
    return lambda tmp: csv_case(tmp / "case", edit)


ENTRIES = [
    Entry("M01-infeasible-explained", _csv(_negative_expansion), 3,
          ("scenario 'baseline': solver stopped: infeasible",
           "the rows involved are listed in"), patch=_skip_validation,
          after=_explained),
    Entry("M03-unbounded", _csv(_negative_cycle), 3,
          ("scenario 'baseline': solver stopped: unbounded",), patch=_skip_validation),
    Entry("M04-time-limit", _csv(), 3, ("solver stopped: time limit",),
          args=("--time-limit", "0")),
    Entry("O01-replace-denied", _csv(), 1, ("Permission denied",),
          patch=_swap_denied),
    Entry("O03-disk-full", _csv(), 1, ("No space left on device",),
          patch=_full_disk_midway),
    Entry("O04-exception-mid-report", _csv(), 1, ("ValueError",),
          patch=_raise_in("write_report", ValueError("illegal character"))),
    Entry("O04-exception-in-tables", _csv(), 1, ("RuntimeError",),
          patch=_raise_in("write_tables", RuntimeError("broken writer"))),
    Entry("E04-interrupt-while-writing", _csv(), 130, ("interrupted",),
          patch=_raise_in("write_report", KeyboardInterrupt())),
    Entry("internal-invariant-fails", _csv(), 1, ("InvariantError: balance off",),
          patch=_raise_in("check_scenario", InvariantError("balance off"),
                         scenario_run)),
]


@pytest.mark.parametrize("entry", params(ENTRIES))
def test_solver_output_entry(entry: Entry, run_cli, tmp_path: Path,  # noqa: ANN001
                             monkeypatch: pytest.MonkeyPatch) -> None:
    check_entry(entry, run_cli, tmp_path, monkeypatch)


def test_R12_out_over_input_is_refused(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    case = csv_case(tmp_path / "case")
    outcome = run_cli(case, "--out", str(case))
    assert outcome.code == 2
    assert "refusing to write outputs" in outcome.err


def test_O02_output_path_is_a_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from model.cli import main
    case = csv_case(tmp_path / "case")
    target = tmp_path / "out"
    target.write_bytes(b"keep me")
    assert main(["solve", str(case), "--out", str(target)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"]


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_bad_time_limit_is_bad_usage(value: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """HiGHS would silently ignore such a limit and solve without one."""
    from model.cli import main
    code = main(["solve", str(csv_case(tmp_path / "case")), "--out",
                 str(tmp_path / "out"), "--time-limit", value])
    assert code == 2
    assert "is not a number of seconds >= 0" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
