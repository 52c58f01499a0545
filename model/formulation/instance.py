"""The declared LP of one scenario: every family's arrays, ready for a builder.

Columns are numbered family by family in ``VARIABLES`` order, each family in the
order of its index frame (the *uncompressed* numbering; a builder drops columns
that appear nowhere). Rows are numbered family by family in ``CONSTRAINTS`` order.
Column bounds are the variable families' (0 and ``upper``), then the ``BOUNDS``
families' fixings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import Block, VariableFamily, fixed_columns, flatten
from model.formulation.objective import constant_cost
from model.formulation.registry import BOUNDS, CONSTRAINTS, VARIABLES


@dataclass
class Instance:
    """Arrays of every declared family for one scenario's index."""

    variables: tuple[VariableFamily, ...]
    first: dict[str, int]  # first uncompressed column of each variable family
    size: dict[str, int]
    column_keys: dict[str, pd.DataFrame]  # the index frame of each family
    upper: np.ndarray  # per uncompressed column, inf = no limit
    lower: np.ndarray  # per uncompressed column, 0 unless a bound family fixes it
    cost: np.ndarray  # per uncompressed column
    offset: float
    blocks: list[Block]

    @property
    def n_columns(self) -> int:
        return int(sum(self.size.values()))


def instantiate(ix: LPIndex) -> Instance:
    """Evaluate every declaration on ``ix``."""
    frames = {v.name: v.frame(ix) for v in VARIABLES}
    size = {name: len(frame) for name, frame in frames.items()}
    starts = np.concatenate([[0], np.cumsum(list(size.values()))])
    first = {v.name: int(s) for v, s in zip(VARIABLES, starts, strict=False)}
    upper = np.concatenate([v.upper_bounds(ix) for v in VARIABLES])
    cost = np.concatenate([np.zeros(size[v.name]) if v.cost is None
                           else np.asarray(v.cost(ix), dtype=float)
                           for v in VARIABLES])
    lower = np.zeros(len(upper))
    for family in BOUNDS:
        fixed = family.fixed(ix)
        columns = fixed_columns(fixed, first)
        value = np.clip(np.asarray(fixed.value, dtype=float), lower[columns],
                        upper[columns])
        lower[columns] = upper[columns] = value
    blocks = [flatten(c, c.rows(ix), first) for c in CONSTRAINTS]
    return Instance(VARIABLES, first, size, frames, upper, lower, cost,
                    constant_cost(ix), blocks)
