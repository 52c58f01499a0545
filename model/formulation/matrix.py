"""The declared LP assembled with numpy: the default builder.

Every constraint family's declared terms become (row, column, value) triplets,
rows family by family in ``CONSTRAINTS`` order, columns family by family in
``VARIABLES`` order with the columns that appear nowhere dropped — the layout the
Pyomo builder gets from the standard-form compiler (tests/perf/test_matrix.py
checks it array by array).
"""

from __future__ import annotations

import numpy as np

from model.data.indices import LPIndex
from model.formulation.instance import Instance, instantiate
from model.solver.records import LinearProgram, RowBlock, column_wise_lp


def assemble(ix: LPIndex) -> LinearProgram:
    """The scenario's LP in column-wise form, ready for ``Highs.passModel``."""
    return to_program(instantiate(ix))


def used_columns(inst: Instance) -> np.ndarray:
    """New number of every uncompressed column, -1 where it appears nowhere
    (neither in a row nor with a nonzero cost)."""
    present = np.zeros(inst.n_columns, dtype=bool)
    present[np.flatnonzero(inst.cost)] = True
    for block in inst.blocks:
        present[block.column] = True
    renumber = np.full(inst.n_columns, -1, dtype=np.int64)
    renumber[present] = np.arange(int(present.sum()))
    return renumber


def to_program(inst: Instance) -> LinearProgram:
    """The ``LinearProgram`` of the declared arrays."""
    renumber = used_columns(inst)
    kept = renumber >= 0
    n_col = int(kept.sum())
    offsets = np.cumsum([0] + [len(b.keys) for b in inst.blocks])
    r = np.concatenate([b.row + o for b, o in zip(inst.blocks, offsets, strict=False)])
    c = renumber[np.concatenate([b.column for b in inst.blocks])]
    v = np.concatenate([b.coef for b in inst.blocks])
    order = np.lexsort((r, c))
    lp = column_wise_lp(
        inst.cost[kept], inst.upper[kept], inst.offset,
        np.concatenate([b.lower for b in inst.blocks]),
        np.concatenate([b.upper for b in inst.blocks]),
        np.searchsorted(c[order], np.arange(n_col + 1)), r[order], v[order],
        inst.lower[kept])
    column_of = {name: renumber[first:first + inst.size[name]]
                 for name, first in inst.first.items()}
    rows = {b.name: RowBlock(int(o), b.keys, b.rhs)
            for b, o in zip(inst.blocks, offsets, strict=False)}
    return LinearProgram(lp, column_of, rows, inst.column_keys)
