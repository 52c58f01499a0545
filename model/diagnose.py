"""Explaining an infeasible scenario from the LP record, without rebuilding a model.

With the priced shortfall the LP is feasible by design, so an infeasible scenario
means contradictory data that validation did not catch. HiGHS computes an
irreducible infeasible subset (IIS, ``model.solver.highs.infeasible_subset``);
each of its rows and column bounds is named by the LP record (constraint family
and row key, variable family and index key) and from the keys of the variables
involved traced to the input rows (file, table, row) that define them. The
explanation is written beside the output folder as ``<out>.infeasibility.txt``,
never inside it, so the previous outputs stay untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.data.case import Case
from model.data.coerce import ROW
from model.errors import SolveError
from model.files import atomic_write_text
from model.solver.records import Infeasibility, LinearProgram

KEY_COLUMNS = ("region", "origin", "destination", "process", "commodity", "year")
INPUT_KEYS = {  # input table -> columns matched against the involved keys
    "capacity": ("region", "process"), "expansion": ("region", "process"),
    "reserves": ("region", "process"), "demand": ("region", "commodity"),
    "stockpiles": ("region", "commodity"), "routes": ("origin", "destination"),
}


# --- infeasibility -----------------------------------------------------------

@dataclass
class Member:
    """One IIS member: a constraint row or a variable bound, with its keys."""

    kind: str
    name: str
    keys: list[dict[str, object]]


def explain_infeasibility(program: LinearProgram, found: Infeasibility, case: Case,
                          scenario: str, tables: dict[str, tuple[str, ...]],
                          pinned: pd.DataFrame | None = None) -> str:
    """Text naming the constraints and input rows that make the LP infeasible.

    ``tables[variable family]``: the input tables that define or limit it;
    ``pinned``: the scenario's foresight fixings (``LPIndex.pinned``: variable,
    position, value), named as such rather than as bounds."""
    members = iis_members(program, found, pinned)
    lines = [f"Scenario '{scenario}' of case '{case.name}' is infeasible.", ""]
    if not members:
        lines.append("HiGHS found no irreducible infeasible subset; check "
                     "contradictory limits (negative capacity, quotas, stocks).")
        return "\n".join(lines) + "\n"
    lines.append("These constraints and bounds cannot hold together (an irreducible "
                 "infeasible subset, from HiGHS):")
    keys: list[dict[str, object]] = []
    for member in members:
        shown = "; ".join(_key_text(k) for k in member.keys[:4])
        more = f" (+{len(member.keys) - 4} more)" if len(member.keys) > 4 else ""
        lines.append(f"  - {member.kind} {member.name}: {shown}{more}")
        keys += member.keys
    lines += ["", "Input rows involved:"]
    lines += [f"  - {row}" for row in input_rows(case, keys, tables)] or [
        "  (none found)"]
    return "\n".join(lines) + "\n"


def iis_members(program: LinearProgram, found: Infeasibility,
                pinned: pd.DataFrame | None = None) -> list[Member]:
    """The IIS as constraint rows and variable bounds, named by family and key; a
    bound that is a foresight fixing (``pinned``) is named as one, with its value."""
    fixings = _fixings(pinned)
    members = []
    for row, columns in zip(found.rows, found.row_columns, strict=True):
        family, key = program.row_name(int(row))
        members.append(Member("constraint", f"{family}[{_values(key)}]",
                              [_column_key(program, int(j)) for j in columns]))
    for column in found.columns:
        family, position = program.column_name(int(column))
        key = _column_key(program, int(column))
        name = f"{key['variable']}[{_values(key)}]"
        if (family, position) in fixings:
            members.append(Member(
                "foresight fixing of", f"{name} = {fixings[family, position]:g} "
                "(the comparator's decision before the shock year)", [key]))
        else:
            members.append(Member("bound of", name, [key]))
    return members


def _fixings(pinned: pd.DataFrame | None) -> dict[tuple[str, int], float]:
    """(variable family, position) -> fixed value of each foresight fixing."""
    if pinned is None or not len(pinned):
        return {}
    return {(str(v), int(p)): float(x) for v, p, x in zip(
        pinned["variable"], pinned["position"], pinned["value"], strict=True)}


def _column_key(program: LinearProgram, column: int) -> dict[str, object]:
    family, position = program.column_name(column)
    frame = program.column_keys[family]
    row = frame.iloc[position]
    return {"variable": family, **{c: row[c] for c in KEY_COLUMNS
                                   if c in frame.columns}}


def _values(key: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in key.items() if k != "variable")


def _key_text(key: dict[str, object]) -> str:
    return f"{key.get('variable')}[{_values(key)}]"


def input_rows(case: Case, keys: list[dict[str, object]],
               tables: dict[str, tuple[str, ...]]) -> list[str]:
    """'file [table] row N (...)' for every input row matching an involved key."""
    found: dict[tuple[str, int], str] = {}
    for table, columns in INPUT_KEYS.items():
        frame = case.tables[table]
        if frame.empty:
            continue
        wanted = {tuple(k.get(c) for c in columns) for k in keys
                  if all(c in k for c in columns)
                  and table in tables.get(str(k.get("variable")), ())}
        for pos, values in enumerate(frame[list(columns)].itertuples(index=False,
                                                                      name=None)):
            if values in wanted:
                row = int(frame[ROW].iloc[pos])
                shown = ", ".join(f"{c}={v}" for c, v in zip(columns, values,
                                                             strict=True))
                found[(table, row)] = (f"{frame.attrs.get('file', '')} [{table}] row "
                                       f"{row} ({shown})")
    return [found[k] for k in sorted(found)]


def explanation_path(out_dir: Path) -> Path:
    """Where the explanation of an infeasible run on ``out_dir`` goes."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f"{out_dir.name}.infeasibility.txt"


def write_explanation(text: str, out_dir: Path) -> Path:
    """Write ``text`` atomically beside ``out_dir``; return its path."""
    path = explanation_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text)
    return path


__all__ = ["explain_failures", "explain_infeasibility", "write_explanation"]


def explain_failures(failures: list[SolveError], out_dir: str | Path | None
                     ) -> list[SolveError]:
    """Write the explanations of infeasible scenarios beside ``out_dir`` and point
    each failure's message at the file."""
    texts = [getattr(f, "explanation", "") for f in failures]
    if out_dir is None or not any(texts):
        return failures
    path = write_explanation("\n".join(t for t in texts if t), Path(out_dir))
    return [SolveError(f.scenario, f.condition, f"{f.detail}; the rows involved are "
                       f"listed in {path}") if t else f
            for f, t in zip(failures, texts, strict=True)]
