"""Expansion: how much new capacity may be built in total."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.data.keys import pairs
from model.formulation.declare import ConstraintFamily, Rows, Terms


def group_limit(frame: pd.DataFrame, limits: pd.DataFrame, column: str, family: str
                ) -> Rows:
    """One ``Σ family[i] ≤ limit`` row per (region, process) of ``limits`` that has
    at least one variable in ``frame``, in ``limits`` order (keys without blanks:
    the pairs of an inner merge, matched as integer codes)."""
    k, i = pairs(limits, frame, ["region", "process"])  # by limit, then variable
    used = np.unique(k)
    renumber = np.full(len(limits), -1)
    renumber[used] = np.arange(len(used))
    keys = limits[["region", "process"]].iloc[used].reset_index(drop=True)
    return Rows(keys, limits[column].to_numpy(dtype=float)[used], (
        Terms(family, renumber[k], i, 1.0),))


def expansion_rows(ix: LPIndex) -> Rows:
    r"""Total new capacity of a (region, process) stays within its limit.

    Math:
        \sum_{y \ge Y^0_{r,p}} \mathbf{build}_{r,p,y} \le \bar{B}_{r,p}
        \qquad \forall (r,p) \in \mathrm{EXP}

    Builds exist only for listed (r, p) and online years y >= Y^0 (the earliest
    online year: ``expansion.earliest_online_year``, default base_year + lead time,
    plus ``lead_time_add``); the per-year limit is a bound on ``build``.
    Symbols: \bar{B} = ``expansion.max_new_tpa`` (rows with a limit only).
    Keys: (region, process). Spec: MODEL-SPEC §3 "Expansion".
    Tests: tests/formulation/test_expansion.py.
    """
    return group_limit(ix.build, ix.expansion_limits, "max_new_tpa", "build")


EXPANSION = ConstraintFamily("expansion_total", "<=", expansion_rows,
                             "total new capacity <= max_new_tpa")
