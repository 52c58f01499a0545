"""A Pyomo model in standard form, as the ``LinearProgram`` HiGHS receives.

``LinearStandardFormCompiler`` lays out the columns in the order the model declares
its variables (``column_order``: family by family, each in index order, unused
columns dropped) and the rows in the order it declares its constraints, which is
how the numpy builder numbers them too: the two agree by construction.
"""

from __future__ import annotations

from collections.abc import Mapping

import highspy
import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from model.solver.records import INF, LinearProgram, RowBlock, store_matrix


def standard_form(m: pyo.ConcreteModel) -> object:
    """The compiler's output (``info.rows``, ``info.columns``, ``A``, ``c`` ...),
    columns in the order ``m`` declares its variable components."""
    families = list(m.component_objects(pyo.Var, descend_into=False))
    return LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None,
                                              column_order=families)


def to_lp(info: object) -> highspy.HighsLp:
    """The HiGHS LP of a standard-form compilation (rows and columns in its order)."""
    columns, rows = info.columns, info.rows  # type: ignore[attr-defined]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(columns), len(rows)
    cost = info.c.toarray()  # type: ignore[attr-defined]
    lp.col_cost_ = cost[0].astype(float) if cost.shape[0] else np.zeros(len(columns))
    offset = info.c_offset  # type: ignore[attr-defined]
    lp.offset_ = float(offset[0]) if len(offset) else 0.0
    lp.col_lower_ = np.array([_bound(v.lb, -INF) for v in columns], dtype=float)
    lp.col_upper_ = np.array([_bound(v.ub, INF) for v in columns], dtype=float)
    sense = np.array([r.bound_type for r in rows], dtype=int)
    rhs = np.asarray(info.rhs, dtype=float)  # type: ignore[attr-defined]
    lp.row_lower_ = np.where(sense == 1, -INF, rhs)
    lp.row_upper_ = np.where(sense == -1, INF, rhs)
    store_matrix(lp, info.A.tocsc())  # type: ignore[attr-defined]
    return lp


def compile_model(m: pyo.ConcreteModel,
                  row_keys: Mapping[str, tuple[pd.DataFrame, np.ndarray]],
                  column_keys: Mapping[str, pd.DataFrame]) -> LinearProgram:
    """``m`` as a ``LinearProgram``; ``row_keys[name]`` keys the rows of the
    constraint ``name`` with their right-hand sides (every constraint of ``m``, in
    declaration order) and
    ``column_keys[family]`` the variables of ``family``."""
    info = standard_form(m)
    lp = to_lp(info)
    families = list(m.component_objects(pyo.Var, descend_into=False))
    positions = _positions(info.columns, families)  # type: ignore[attr-defined]
    column_of = {v.local_name: p for v, p in zip(families, positions, strict=True)}
    rows, first = {}, 0
    for con in m.component_objects(pyo.Constraint, descend_into=False):
        rows[con.local_name] = RowBlock(first, *row_keys[con.local_name])
        first += len(con)
    if first != lp.num_row_:
        raise RuntimeError(f"{m.name}: {lp.num_row_} rows compiled for {first} "
                           "constraints (a constraint without variables?)")
    return LinearProgram(lp, column_of, rows, dict(column_keys))


def _bound(value: float | None, default: float) -> float:
    return default if value is None else float(value)


def _positions(items: list[object], components: list[object]) -> list[np.ndarray]:
    """For each indexed component, the position in ``items`` of each of its data
    objects (in index order), -1 where absent."""
    position = {id(obj): j for j, obj in enumerate(items)}
    return [np.fromiter((position.get(id(obj), -1) for obj in comp.values()),
                        dtype=np.int64, count=len(comp))  # type: ignore[attr-defined]
            for comp in components]
