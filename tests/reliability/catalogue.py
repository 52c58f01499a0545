"""Entries of RELIABILITY.md catalogue (b): how to build the input, and what a run
on it must give. ``check_entry`` asserts I1 (exit code) and I2 (message content:
file, table, row and column where they apply); the ``run_cli`` fixture asserts
I3-I6.

Where the entries are: container and format faults (B-F) in
``test_catalogue_container.py``; sheet structure, values and references (B-S,
B-V, B-R) in ``test_catalogue_tables.py``; look-alike rule targets (B-L), gain
cycles (B-G), unknown or misspelled tables (B-U) and located messages (B-M) in
``test_catalogue_input_faults.py``; files that are not plain or are huge, and a
corrupt sweep store (B-K), in ``test_catalogue_files.py`` (child processes with a
timeout and a memory bound); solver and output faults in
``test_catalogue_solver_output.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

Builder = Callable[[Path], Path]


@dataclass(frozen=True)
class Entry:
    """One catalogue entry."""

    id: str
    build: Builder
    exit: int
    expect: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    after: Callable[[Path, str], None] | None = None
    absent: tuple[str, ...] = field(default=())


def params(entries: list[Entry]) -> list[object]:
    return [pytest.param(e, id=e.id) for e in entries]


def check_entry(entry: Entry, run_cli: Callable, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch, measure: bool = False) -> None:
    """Build, run, and assert the entry's expectations (``measure``: also bound the
    peak Python memory, for hostile files)."""
    case = entry.build(tmp_path / "in")
    if entry.patch:
        entry.patch(monkeypatch)
    outcome = run_cli(case, *entry.args, measure=measure and entry.exit != 0)
    assert outcome.code == entry.exit, outcome.err  # I1
    for text in entry.expect:  # I2
        assert text in outcome.err, f"{text!r} not in {outcome.err!r}"
    for text in entry.absent:
        assert text not in outcome.err + outcome.out
    if entry.exit == 2:
        assert outcome.err.startswith("error: "), outcome.err
    if entry.after:
        entry.after(outcome.out_dir, outcome.err)
