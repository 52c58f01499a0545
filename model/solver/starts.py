"""Warm starts from another scenario's optimum of the same sample.

A sample moves every scenario the same way (the same draws act on each), so a
scenario that differs little from one solved before it in the sample is nearer
that scenario's new optimum than its own reference optimum: on the default case,
``high_demand_china`` (the baseline with demand +30 %) re-solved from the
baseline's optimum of the same sample took 1,100-2,300 simplex iterations against
2,300-6,900 from its own reference basis, ``high_demand`` from ``decoupling``'s
330-1,600 against 1,900-2,600 (docs/performance.md, "Starts from a sibling's
optimum").

The two LPs need not have the same columns and rows: ``StartMap`` matches them by
key (a variable family and its key columns, a constraint family and its keys), a
column or row of the target that the source lacks starts nonbasic at a bound
(column) or basic (row), and HiGHS is told the basis is *alien*, so it makes a
valid basis of it (``HighsBasis.alien``) before it iterates.

Which scenario starts from which is chosen once per worker, when it is primed
(``Probe``): one probe sample, every uncertain input at its ``PROBE_QUANTILE``, is
solved as a sample is; each scenario is then solved again from the optimum of each
scenario solved before it, and it starts from the one that needed the fewest
simplex iterations, if that is at most ``AT_MOST`` of those from its own
reference basis (a smaller gain on one probe did not hold on other samples). The choice
depends on the case only, so a sample's answer still depends on nothing but its
own draws: a resumed sweep gives the same records as an uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd

from model.solver.records import LinearProgram

PROBE_QUANTILE = 0.75  # every input of the probe sample at this quantile
# a start is taken only if the probe needed at most this share of the iterations
# from the scenario's own reference basis: on the default case the starts chosen
# at 0.88 and 0.98 of them (delays, members_only) took 1.4x and 1.5x the
# iterations in later samples, those at 0.11 and 0.28 a third of them
AT_MOST = 0.5
Status = highspy.HighsBasisStatus
_STATUSES = sorted(Status.__members__.values(), key=int)  # by HiGHS's code
LOWER, BASIC, UPPER, ZERO = (int(s) for s in (Status.kLower, Status.kBasic,
                                              Status.kUpper, Status.kZero))


@dataclass(frozen=True)
class LpKeys:
    """What keys each column and row of a scenario's LP, kept from its reference
    program (the sample LPs of a sweep have the reference's structure)."""

    columns: dict[str, tuple[pd.DataFrame, np.ndarray]]  # family: (keys, column)
    rows: dict[str, tuple[pd.DataFrame, np.ndarray]]  # family: (keys, row)
    sizes: tuple[int, int]  # (columns, rows)

    @classmethod
    def of(cls, program: LinearProgram, columns: int, rows: int) -> LpKeys:
        cols = {family: (program.column_keys[family], np.asarray(position))
                for family, position in program.column_of.items()
                if family in program.column_keys}
        blocks = {name: (block.keys, block.rows) for name, block in
                  program.rows.items()}
        return cls(cols, blocks, (columns, rows))


@dataclass(frozen=True)
class StartMap:
    """Per column and row of the target LP, its column and row in the source LP
    (-1: the source has none)."""

    columns: np.ndarray
    rows: np.ndarray

    @classmethod
    def between(cls, target: LpKeys, source: LpKeys) -> StartMap:
        return cls(_matched(target.columns, source.columns, target.sizes[0], True),
                   _matched(target.rows, source.rows, target.sizes[1], False))

    def basis(self, source: highspy.HighsBasis, col_lower: np.ndarray,
              col_upper: np.ndarray, row_lower: np.ndarray,
              row_upper: np.ndarray) -> highspy.HighsBasis:
        """The target's start from the source's optimal basis: matched columns and
        rows keep the source's status (moved off an infinite bound of the
        target), the others start nonbasic at a finite bound (a column) or basic
        (a row); marked alien for HiGHS to complete."""
        columns = _moved(self.columns, _codes(source.col_status), LOWER,
                         col_lower, col_upper)
        rows = _moved(self.rows, _codes(source.row_status), BASIC, row_lower,
                      row_upper)
        basis = highspy.HighsBasis()
        basis.col_status = [_STATUSES[c] for c in columns.tolist()]
        basis.row_status = [_STATUSES[c] for c in rows.tolist()]
        basis.valid, basis.alien = True, True
        return basis


def _codes(statuses: list[highspy.HighsBasisStatus]) -> np.ndarray:
    """HiGHS's code of each status (``int``: 2.4x faster than a dict lookup)."""
    return np.fromiter(map(int, statuses), dtype=np.int8, count=len(statuses))


def _moved(where: np.ndarray, codes: np.ndarray, missing: int, lower: np.ndarray,
           upper: np.ndarray) -> np.ndarray:
    """The source's status codes at ``where`` (``missing`` where -1), every
    nonbasic one put at a finite bound of the target: the source's upper bound if
    it was there and it is finite, else the lower bound, else the upper, else zero
    (a free column or row)."""
    out = np.where(where >= 0, codes[np.maximum(where, 0)], missing)
    finite_lower, finite_upper = np.isfinite(lower), np.isfinite(upper)
    nonbasic = np.where(finite_lower, LOWER, np.where(finite_upper, UPPER, ZERO))
    nonbasic = np.where((out == UPPER) & finite_upper, UPPER, nonbasic)
    return np.where(out == BASIC, BASIC, nonbasic).astype(np.int8)


def _matched(target: dict[str, tuple[pd.DataFrame, np.ndarray]],
             source: dict[str, tuple[pd.DataFrame, np.ndarray]], size: int,
             identifying_only: bool) -> np.ndarray:
    """Per target position, the source position with the same family and key
    (-1 if none). A variable's key is its frame's text columns and ``year`` (the
    numbers beside them are data, which a scenario may change); a row's key is
    its whole key frame. A family whose keys are not unique on either side is
    left unmatched."""
    out = np.full(size, -1, dtype=np.int64)
    for family, (keys, positions) in target.items():
        if family not in source or not len(keys):
            continue
        theirs, their_positions = source[family]
        on = [c for c in keys.columns if c in theirs.columns
              and (not identifying_only or c == "year"
                   or not pd.api.types.is_numeric_dtype(keys[c]))]
        if not on or keys.duplicated(on).any() or theirs.duplicated(on).any():
            continue
        mine = keys[on].assign(_target=positions).reset_index(drop=True)
        other = theirs[on].assign(_source=their_positions).reset_index(drop=True)
        pairs = mine.merge(other, on=on, how="inner")
        pairs = pairs[(pairs["_target"] >= 0) & (pairs["_source"] >= 0)]
        out[pairs["_target"].to_numpy()] = pairs["_source"].to_numpy()
    return out


@dataclass
class Probe:
    """Simplex iterations of the probe sample per (scenario, start): the start
    ``""`` is the scenario's own reference basis, another name that scenario's
    optimum of the probe sample."""

    iterations: dict[tuple[str, str], int] = field(default_factory=dict)

    def chosen(self) -> dict[str, str]:
        """Per scenario, the scenario whose optimum it starts from (absent: its
        own reference basis): the fewest iterations, if at most ``AT_MOST`` of
        its own."""
        starts: dict[str, str] = {}
        for scenario in {s for s, _ in self.iterations}:
            own = self.iterations.get((scenario, ""))
            others = {start: n for (s, start), n in self.iterations.items()
                      if s == scenario and start}
            if own is None or not others:
                continue
            best = min(others, key=lambda start: (others[start], start))
            if others[best] <= AT_MOST * own:
                starts[scenario] = best
        return starts


__all__ = ["PROBE_QUANTILE", "LpKeys", "Probe", "StartMap"]
