"""What an output folder holds, and whether a command may write into it.

An output folder carries the marker ``.reroute-output.json``: per command, the
entries (files and folders) that command writes there. A command writes into a
folder only if it does not exist, is empty, holds nothing but Reroute output
folders (``outputs/<case>`` holding the ``sweep/`` of an earlier sweep), or
carries the marker; and then only the names of its own manifest, never a name that
another command or the user owns.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from model.errors import InputError, OutputError, Problem

MARKER = ".reroute-output.json"
MARKER_FORMAT = 1
MANIFESTS: dict[str, tuple[str, ...]] = {
    "solve": ("report.xlsx", "run.json", "tables"),
    "sweep": ("run.json", "store", "sweep.xlsx"),
    "compare": ("compare.xlsx", "run.json"),
    "hedge": ("report.xlsx", "run.json", "tables"),
    "frontier": ("report.xlsx", "run.json", "tables"),
}
SWEEP_SUBFOLDER = "sweep"  # the default sweep folder, inside the solve's
HEDGE_SUBFOLDER = "hedge"  # the default hedge folder, inside the solve's
FRONTIER_SUBFOLDER = "frontier"  # holds one folder per scenario
SUBSET_PREFIX = "scenario-"  # a --scenario run's default folder, inside the solve's
SHOWN_ENTRIES = 4


def case_name(case: str | Path) -> str:
    """A case's name: its folder's name, or a workbook's file name without
    ``.xlsx`` (``study.v1`` and ``study.v1.xlsx`` are both ``study.v1``)."""
    path = Path(case)
    name = path.name or Path(os.path.abspath(path)).name
    if name.lower().endswith(".xlsx") and not path.is_dir():
        return name[: -len(".xlsx")]
    return name


def default_out_dir(case: str | Path, scenarios: list[str] | None = None,
                    baseline: str | None = None) -> Path:
    """Where ``reroute solve CASE`` writes without ``--out``: ``outputs/<case>``;
    a run of some scenarios only (``--scenario``) writes its own folder inside it,
    ``scenario-<first requested scenario that is not baseline>`` (the first
    requested if all are ``baseline``), with ``+<n>`` when n more are requested,
    so it never replaces the full run's report."""
    folder = Path("outputs") / case_name(case)
    if not scenarios:
        return folder
    named = list(dict.fromkeys(scenarios))
    others = [s for s in named if s != (baseline or "baseline")] or named
    more = f"+{len(named) - 1}" if len(named) > 1 else ""
    return folder / f"{SUBSET_PREFIX}{_folder_safe(others[0])}{more}"


def _folder_safe(name: str) -> str:
    """A scenario name as a folder name: characters other than letters, digits,
    '.', '_' and '-' become '_'."""
    return re.sub(r"[^0-9A-Za-z._-]", "_", name).lstrip(".") or "_"


def hedge_out_dir(case: str | Path) -> Path:
    """Where ``reroute hedge CASE`` writes without ``--out``."""
    return default_out_dir(case) / HEDGE_SUBFOLDER


def frontier_out_dir(case: str | Path, scenario: str) -> Path:
    """Where ``reroute frontier CASE --scenario NAME`` writes without ``--out``."""
    return default_out_dir(case) / FRONTIER_SUBFOLDER / scenario


@dataclass
class Marker:
    """The content of an output folder's marker: command -> its entries."""

    commands: dict[str, list[str]] = field(default_factory=dict)

    def owner(self, entry: str) -> str | None:
        return next((c for c, names in self.commands.items() if entry in names), None)

    def with_entries(self, command: str, entries: list[str]) -> Marker:
        return Marker({**self.commands, command: sorted(entries)})

    def to_json(self) -> str:
        return json.dumps({"reroute_output": MARKER_FORMAT,
                           "commands": dict(sorted(self.commands.items()))},
                          indent=2) + "\n"


def read_marker(folder: Path) -> Marker | None:
    """The folder's marker, None without one; InputError if it is unreadable."""
    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        commands = {str(c): [str(e) for e in entries]
                    for c, entries in data["commands"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(Problem(
            f"the output marker is unreadable ({type(exc).__name__}); if the folder "
            "holds nothing but Reroute outputs, delete the marker's folder or choose "
            "another --out", str(path))) from None
    return Marker(commands)


def write_marker(folder: Path, marker: Marker) -> None:
    """Write the marker atomically (temporary sibling, fsync, replace)."""
    path = folder / MARKER
    tmp = folder / f"{MARKER}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(marker.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def is_output_folder(path: Path) -> bool:
    """A real folder (not a link) carrying Reroute's marker, or holding nothing but
    such folders (``frontier/`` with one output folder per scenario)."""
    if not path.is_dir() or path.is_symlink():
        return False
    if (path / MARKER).is_file():
        return True
    names = os.listdir(path)
    return bool(names) and all(is_output_folder(path / n) for n in names)


def check_writable(out_dir: Path, command: str) -> Marker:
    """The marker ``command`` may extend in ``out_dir``; InputError (exit 2) when the
    folder is not Reroute's or holds a name of the manifest that is not this
    command's."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"error: output path {out_dir} is a file, not a folder")
    if not out_dir.exists():
        return Marker()
    names = sorted(n for n in os.listdir(out_dir) if n != MARKER)
    marker = read_marker(out_dir)
    if marker is None:
        foreign = [n for n in names if not is_output_folder(out_dir / n)]
        marker = _legacy(out_dir, names) if foreign else Marker()
        if marker is None:
            raise InputError(Problem(
                f"refusing to write outputs to {out_dir}: it is not a Reroute output "
                f"folder (no {MARKER}) and holds {_listing(out_dir, foreign)}; "
                "choose a new or empty folder with --out"))
    _refuse_foreign_names(out_dir, command, marker, set(names))
    return marker


def _refuse_foreign_names(out_dir: Path, command: str, marker: Marker,
                          present: set[str]) -> None:
    for entry in MANIFESTS[command]:
        owner = marker.owner(entry)
        if owner not in (None, command):
            raise InputError(Problem(
                f"refusing to write outputs to {out_dir}: it holds the results of a "
                f"{owner} (its {', '.join(marker.commands[owner])}), and a {command} "
                f"would replace its {entry}; choose another --out (a sweep's default "
                f"folder is <solve output>/{SWEEP_SUBFOLDER})"))
        if owner is None and entry in present:
            raise InputError(Problem(
                f"refusing to write outputs to {out_dir}: its {entry} was not written "
                f"by Reroute (the marker {MARKER} does not list it); move it away or "
                "choose another --out"))


def _legacy(out_dir: Path, names: list[str]) -> Marker | None:
    """The output of a version before the marker: nothing but one command's
    entries (a solve's may hold a sweep folder) with a Reroute run record."""
    for command, entries in MANIFESTS.items():
        allowed = ({*entries, SWEEP_SUBFOLDER, HEDGE_SUBFOLDER, FRONTIER_SUBFOLDER}
                   if command == "solve" else set(entries))
        if set(names) <= allowed and "run.json" in names and _is_run_record(
                out_dir / "run.json"):
            return Marker({command: sorted(set(names) & set(entries))})
    return None


def _is_run_record(path: Path) -> bool:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and {"input_hash", "versions"} <= set(record)


def _listing(folder: Path, names: list[str]) -> str:
    shown = [f"{n}/" if (folder / n).is_dir() else n for n in names[:SHOWN_ENTRIES]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
