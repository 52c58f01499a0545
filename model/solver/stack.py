"""Several LPs as one: a block-diagonal stack with weighted objectives, plus rows
(and columns) that tie the blocks together.

A stochastic LP (``reroute hedge``) is every scenario's LP side by side, each
objective weighted by the scenario's probability, with equality rows that make the
scenarios' copies of a decision equal (non-anticipativity) and, for a risk
measure, a few columns and rows of its own. Nothing here knows the formulation:
blocks arrive as ``LinearProgram`` records and the solution leaves split back into
one ``Solution`` per block, keyed by the block's own families.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from model.solver.records import LinearProgram, RowBlock, Solution, column_wise_lp

SEPARATOR = "/"  # a family of block ``b`` is ``b/family`` in the stack


@dataclass(frozen=True)
class ExtraRows:
    """Rows over the stack's columns: ``lower ≤ Σ coef · x[column] ≤ upper`` with
    the terms of row k where ``row == k``; ``keys`` names the rows."""

    name: str
    lower: np.ndarray
    upper: np.ndarray
    row: np.ndarray
    column: np.ndarray
    coef: np.ndarray


@dataclass
class Stack:
    """The stacked LP and where each block sits in it."""

    program: LinearProgram
    names: list[str]
    first_column: dict[str, int]
    costs: dict[str, np.ndarray]  # each block's own (unweighted) objective
    offsets: dict[str, float]
    weights: dict[str, float]
    first_extra: int = 0  # the first column after the blocks'
    extra_rows: dict[str, RowBlock] = field(default_factory=dict)

    def column(self, name: str, family: str, positions: np.ndarray) -> np.ndarray:
        """Stack columns of ``family[positions]`` of block ``name`` (-1: absent)."""
        local = self.program.column_of[f"{name}{SEPARATOR}{family}"][positions]
        return np.where(local >= 0, local, -1)


def block_arrays(program: LinearProgram) -> tuple[sp.csc_matrix, np.ndarray,
                                                   np.ndarray, np.ndarray, np.ndarray,
                                                   float, np.ndarray]:
    """(matrix, cost, column upper, row lower, row upper, offset, column lower) of
    ``program``."""
    lp = program.lp
    matrix = lp.a_matrix_
    a = sp.csc_matrix((np.asarray(matrix.value_, dtype=float),
                       np.asarray(matrix.index_), np.asarray(matrix.start_)),
                      shape=(lp.num_row_, lp.num_col_))
    return (a, np.asarray(lp.col_cost_, dtype=float),
            np.asarray(lp.col_upper_, dtype=float),
            np.asarray(lp.row_lower_, dtype=float),
            np.asarray(lp.row_upper_, dtype=float), float(lp.offset_),
            np.asarray(lp.col_lower_, dtype=float))


def stack(blocks: dict[str, LinearProgram], weights: dict[str, float],
          rows: list[ExtraRows] = (), extra_cost: np.ndarray | None = None,
          extra_upper: np.ndarray | None = None) -> Stack:
    """One LP: ``blocks`` side by side (objective Σ weight · block objective), then
    ``extra_cost``'s columns (numbered after every block's), then ``rows``.

    ``rows`` refer to columns of the stack: a block's column ``j`` is
    ``first_column[name] + j``. Building the rows needs the offsets first:
    ``column_offsets(blocks)`` gives them.
    """
    names = list(blocks)
    arrays = {n: block_arrays(blocks[n]) for n in names}
    first = column_offsets(blocks)
    n_extra = 0 if extra_cost is None else len(extra_cost)
    matrices = [arrays[n][0] for n in names]
    n_block_cols = sum(m.shape[1] for m in matrices)
    a = sp.block_diag(matrices, format="csc") if matrices else sp.csc_matrix((0, 0))
    a = sp.hstack([a, sp.csc_matrix((a.shape[0], n_extra))], format="csc")
    lower = [arrays[n][3] for n in names]
    upper = [arrays[n][4] for n in names]
    row_first, extra_blocks = a.shape[0], {}
    extra = []
    for r in rows:
        extra.append(sp.csc_matrix((r.coef, (r.row, r.column)),
                                   shape=(len(r.lower), n_block_cols + n_extra)))
        lower.append(r.lower)
        upper.append(r.upper)
        extra_blocks[r.name] = RowBlock(row_first, _row_keys(len(r.lower)), r.lower)
        row_first += len(r.lower)
    a = sp.vstack([a, *extra], format="csc")
    cost = np.concatenate([weights[n] * arrays[n][1] for n in names]
                          + [np.zeros(0) if extra_cost is None else extra_cost])
    col_upper = np.concatenate([arrays[n][2] for n in names] + [
        np.full(n_extra, np.inf) if extra_upper is None else extra_upper])
    col_lower = np.concatenate([arrays[n][6] for n in names] + [np.zeros(n_extra)])
    offset = sum(weights[n] * arrays[n][5] for n in names)
    lp = column_wise_lp(cost, col_upper, offset, np.concatenate(lower),
                        np.concatenate(upper), a.indptr, a.indices, a.data,
                        col_lower)
    program = LinearProgram(lp, _columns(blocks, first), {
        **_rows(blocks, arrays), **extra_blocks})
    return Stack(program, names, first, {n: arrays[n][1] for n in names},
                 {n: arrays[n][5] for n in names}, dict(weights), n_block_cols,
                 extra_blocks)


def column_offsets(blocks: dict[str, LinearProgram]) -> dict[str, int]:
    """The first stack column of every block."""
    sizes = [blocks[n].lp.num_col_ for n in blocks]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    return {n: int(s) for n, s in zip(blocks, starts, strict=False)}


def _columns(blocks: dict[str, LinearProgram], first: dict[str, int]
             ) -> dict[str, np.ndarray]:
    out = {}
    for name, program in blocks.items():
        for family, cols in program.column_of.items():
            out[f"{name}{SEPARATOR}{family}"] = np.where(cols >= 0, cols + first[name],
                                                         -1)
    return out


def _rows(blocks: dict[str, LinearProgram], arrays: dict[str, tuple]
          ) -> dict[str, RowBlock]:
    out, first = {}, 0
    for name, program in blocks.items():
        for family, block in program.rows.items():
            out[f"{name}{SEPARATOR}{family}"] = RowBlock(first + block.first,
                                                         block.keys, block.rhs)
        first += arrays[name][0].shape[0]
    return out


def _row_keys(n: int) -> object:
    import pandas as pd  # noqa: PLC0415  (keys only name the rows)

    return pd.DataFrame({"row": np.arange(n)})


def split(stacked: Stack, solution: Solution, values: np.ndarray
          ) -> dict[str, Solution]:
    """One ``Solution`` per block: its values, its duals divided by its weight (so
    a balance row's dual is again that scenario's price), and its own objective
    (its unweighted cost at the stack's optimum). ``values``: every column's
    value in the stack."""
    out = {}
    for name in stacked.names:
        prefix = f"{name}{SEPARATOR}"
        weight = stacked.weights[name]
        scale = 1.0 / weight if weight > 0 else 0.0
        first = stacked.first_column[name]
        cost = stacked.costs[name]
        objective = float(cost @ values[first:first + len(cost)]
                          + stacked.offsets[name])
        out[name] = Solution(
            objective=objective,
            values={f[len(prefix):]: v for f, v in solution.values.items()
                    if f.startswith(prefix)},
            row_duals={f[len(prefix):]: v * scale
                       for f, v in solution.row_duals.items() if f.startswith(prefix)},
            col_duals={f[len(prefix):]: v * scale
                       for f, v in solution.col_duals.items() if f.startswith(prefix)},
            rows={f[len(prefix):]: b for f, b in solution.rows.items()
                  if f.startswith(prefix)},
            seconds=dict(solution.seconds), size=dict(solution.size))
    return out
