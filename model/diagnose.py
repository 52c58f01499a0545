"""Explaining what the solver cannot: infeasible scenarios and badly scaled LPs.

*Infeasibility.* With the priced shortfall the LP is feasible by design, so an
infeasible scenario means contradictory data that validation did not catch. HiGHS
computes an irreducible infeasible subset (IIS: ``iis_strategy`` 2, from the whole
LP); each of its constraints and variable bounds is mapped back to the index keys
of the variables it involves (region, process, commodity, year ...) and from there
to the input rows (file, table, row) that define them. The explanation is written
beside the output folder as ``<out>.infeasibility.txt``, never inside it, so the
previous outputs stay untouched.

*Scaling.* Before the solve, the ranges of the LP's coefficients are checked; a
warning names the range when the nonzero magnitudes span more than ``MAX_SPAN``
orders of magnitude or leave the window HiGHS handles reliably.
"""

from __future__ import annotations

import logging
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_variables
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from model.data.case import Case
from model.data.coerce import ROW
from model.data.indices import LPIndex
from model.errors import SolveError
from model.formulation.matrix import store_matrix
from model.solve import SolveOptions, make_highs

log = logging.getLogger(__name__)
MAX_SPAN = 1e10
SMALLEST = 1e-7
LARGEST = 1e12
IIS_STRATEGY = 2
KEY_COLUMNS = ("region", "origin", "destination", "process", "commodity", "year")
FAMILY_FRAME = {"act": "act", "build": "build", "flow": "flow", "short": "short",
                "surplus": "surplus", "release": "stock", "stock": "stock"}
INPUT_KEYS = {  # input table -> columns matched against the involved keys
    "capacity": ("region", "process"), "expansion": ("region", "process"),
    "reserves": ("region", "process"), "demand": ("region", "commodity"),
    "stockpiles": ("region", "commodity"), "routes": ("origin", "destination"),
}
FAMILY_TABLES = {  # variable family -> input tables that define or limit it
    "act": ("capacity", "expansion", "reserves"), "build": ("expansion",),
    "flow": ("routes",), "short": ("demand",), "release": ("stockpiles",),
    "stock": ("stockpiles",),
}


# --- scaling -----------------------------------------------------------------

def coefficient_ranges(lp: highspy.HighsLp) -> dict[str, tuple[float, float]]:
    """(smallest, largest) nonzero magnitude of matrix, cost, bounds and rhs."""
    parts = {
        "matrix": np.asarray(lp.a_matrix_.value_, dtype=float),
        "cost": np.asarray(lp.col_cost_, dtype=float),
        "bound": np.concatenate([np.asarray(lp.col_lower_, dtype=float),
                                 np.asarray(lp.col_upper_, dtype=float)]),
        "rhs": np.concatenate([np.asarray(lp.row_lower_, dtype=float),
                               np.asarray(lp.row_upper_, dtype=float)]),
    }
    out = {}
    for name, values in parts.items():
        finite = np.isfinite(values) & (np.abs(values) < highspy.kHighsInf)
        mags = np.abs(values[finite])
        mags = mags[mags > 0]
        if len(mags):
            out[name] = (float(mags.min()), float(mags.max()))
    return out


def scaling_warnings(lp: highspy.HighsLp) -> list[str]:
    """Human warnings about coefficient ranges HiGHS may mishandle."""
    warnings = []
    for name, (low, high) in coefficient_ranges(lp).items():
        if high / low > MAX_SPAN:
            warnings.append(f"{name} coefficients span [{low:.3g}, {high:.3g}], more "
                            f"than {math.log10(MAX_SPAN):.0f} orders of magnitude")
        elif low < SMALLEST or high > LARGEST:
            warnings.append(f"{name} coefficients reach [{low:.3g}, {high:.3g}], "
                            f"outside [{SMALLEST:g}, {LARGEST:g}]")
    return warnings


def warn_scaling(lp: highspy.HighsLp, scenario: str) -> None:
    """Log a warning per badly scaled coefficient range (before the solve)."""
    for text in scaling_warnings(lp):
        log.warning("scenario '%s': %s; results may be inaccurate (check units: "
                    "t not kg, USD not thousands)", scenario, text)


# --- infeasibility -----------------------------------------------------------

@dataclass
class Member:
    """One IIS member: a constraint row or a variable bound, with its keys."""

    kind: str
    name: str
    keys: list[dict[str, object]]


def explain_infeasibility(m: pyo.ConcreteModel, ix: LPIndex, case: Case,
                          scenario: str, options: SolveOptions | None = None) -> str:
    """Text naming the constraints and input rows that make ``m`` infeasible."""
    members = iis_members(m, ix, options or SolveOptions())
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
    lines += [f"  - {row}" for row in input_rows(case, keys)] or ["  (none found)"]
    return "\n".join(lines) + "\n"


def iis_members(m: pyo.ConcreteModel, ix: LPIndex, options: SolveOptions
                ) -> list[Member]:
    """The IIS of ``m`` as constraint rows and variable bounds with their keys."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    found = highs_iis(to_lp(info), options)
    if found is None:
        return []
    rows = [info.rows[i].constraint for i in found[0]]
    cols = [info.columns[j] for j in found[1]]
    members = [Member("constraint", c.name, _var_keys(identify_variables(c.body), ix))
               for c in rows]
    members += [Member("bound of", v.name, _var_keys([v], ix)) for v in cols]
    return members


def highs_iis(lp: highspy.HighsLp, options: SolveOptions | None = None
              ) -> tuple[list[int], list[int]] | None:
    """(row positions, column positions) of an IIS of ``lp``, or None.

    The instance gets the run's options (threads above all: HiGHS's scheduler is
    set once per process, and a different thread count makes a solve fail)."""
    h = make_highs(options or SolveOptions())
    if highspy.HighsStatus.kError in (h.setOptionValue("iis_strategy", IIS_STRATEGY),
                                      h.passModel(lp)):
        return None
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        return None
    return list(iis.row_index_), list(iis.col_index_)


def to_lp(info: object) -> highspy.HighsLp:
    """The HiGHS LP of a standard-form compilation (rows and columns in its order)."""
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    columns, rows = info.columns, info.rows  # type: ignore[attr-defined]
    lp.num_col_, lp.num_row_ = len(columns), len(rows)
    cost = info.c.toarray()  # type: ignore[attr-defined]
    lp.col_cost_ = cost[0].astype(float) if cost.shape[0] else np.zeros(len(columns))
    lp.col_lower_ = np.array([-inf if v.lb is None else v.lb for v in columns], float)
    lp.col_upper_ = np.array([inf if v.ub is None else v.ub for v in columns], float)
    sense = np.array([r.bound_type for r in rows], dtype=int)
    rhs = np.asarray(info.rhs, dtype=float)  # type: ignore[attr-defined]
    lp.row_lower_ = np.where(sense == 1, -inf, rhs)
    lp.row_upper_ = np.where(sense == -1, inf, rhs)
    store_matrix(lp, info.A.tocsc())  # type: ignore[attr-defined]
    return lp


def _var_keys(variables: object, ix: LPIndex) -> list[dict[str, object]]:
    keys = []
    for var in variables:  # type: ignore[attr-defined]
        family, pos = _family_position(var.name)
        frame = getattr(ix, FAMILY_FRAME.get(family, ""), None)
        if frame is None or pos is None or pos >= len(frame):
            continue
        row = frame.iloc[pos]
        keys.append({"variable": family, **{c: row[c] for c in KEY_COLUMNS
                                            if c in frame.columns}})
    return keys


def _family_position(name: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    return (match.group(1), int(match.group(2))) if match else (name, None)


def _key_text(key: dict[str, object]) -> str:
    parts = ", ".join(f"{k}={v}" for k, v in key.items() if k != "variable")
    return f"{key.get('variable')}[{parts}]"


def input_rows(case: Case, keys: list[dict[str, object]]) -> list[str]:
    """'file [table] row N (...)' for every input row matching an involved key."""
    found: dict[tuple[str, int], str] = {}
    for table, columns in INPUT_KEYS.items():
        frame = case.tables[table]
        if frame.empty:
            continue
        wanted = {tuple(k.get(c) for c in columns) for k in keys
                  if all(c in k for c in columns)
                  and table in FAMILY_TABLES.get(str(k.get("variable")), ())}
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


__all__ = ["explain_failures", "explain_infeasibility", "warn_scaling",
           "write_explanation"]


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
