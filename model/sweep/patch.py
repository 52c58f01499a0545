"""A sample's LP written from the kept reference LP, without assembling it.

A sweep worker keeps, per scenario, the reference LP (the case with no draws, the
widest build window, no foresight fixings) as numpy arrays, and finds once, while
priming, which of its numbers each uncertain input moves, the way
model/sweep/kept.py finds which index numbers it moves:

- a ``scale`` input: the LP assembled from the index with that one input at PROBE
  (2) is compared with the reference; the structure (columns, rows, matrix
  pattern) must not move. A number that moved to exactly twice the reference's is
  proportional: a sample's is the reference's times the product P of its inputs'
  drawn values. Another moved number is affine, a fixed part and a part that
  scales (the collection ceiling's scrap arising: the history plus the scaled
  demand): a sample's is the reference's plus (P - 1) times the probe's move.
  Every input moving one number must move it alike (the same move at the probe),
  else the scenario is not mapped.
- a ``lead_time`` input: it may move only column upper bounds (the per-year limit
  of a build is 0 before the option's earliest online year). The variable
  families whose columns moved are noted; a sample's bounds of those columns are
  their declared upper bounds (model/formulation/variables.py) on the sample's
  index.
- the foresight fixings (``BOUNDS`` families, ``ix.pinned``): every sample's are
  written as in ``instance.instantiate`` (value taken into the column's bounds,
  lower = upper = value), on top of the mapped bounds.

Before the map is used, it is checked against an independent build, at two
points: the LP assembled from the index built with every input at its probe at
once (scales at 2, lead times a year later), then with the scales at 1/2, must
equal the mapped one (to rounding, ``RTOL``). A scenario whose map fails a check has
``reason`` set and its samples are assembled as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np

from model.data.indices import LPIndex
from model.formulation.matrix import assemble
from model.formulation.registry import BOUNDS, VARIABLES
from model.solver.records import INF, LinearProgram, RowBlock
from model.solver.warm import LpArrays
from model.sweep.kept import LEAD_PROBE, PROBE, KeptIndex, Unmappable

RTOL = 1e-12  # products taken in another order than the builder's
SECOND = 0.5  # the scales of the second check (a power of two)
NUMBERS = ("cost", "col_lower", "col_upper", "row_lower", "row_upper", "value")
SHAPE = ("start", "index")

Built = Callable[[list[int], list[float]], LPIndex]  # inputs by number, values


@dataclass
class Numbers:
    """The numbers of one LP that a sample may move, with the rows' right-hand
    sides (block by block) and the objective offset as arrays of their own."""

    arrays: LpArrays
    rhs: np.ndarray

    def get(self, name: str) -> np.ndarray:
        if name == "rhs":
            return self.rhs
        if name == "offset":
            return np.array([self.arrays.offset])
        return getattr(self.arrays, name)

    @classmethod
    def of(cls, program: LinearProgram) -> Numbers:
        assert program.lp is not None
        rhs = [block.rhs for block in program.rows.values()]
        return cls(LpArrays.of(program.lp), np.concatenate(rhs) if rhs
                   else np.zeros(0))


MOVABLE = (*NUMBERS, "rhs", "offset")


@dataclass
class LpPatch:
    """One scenario's reference LP and where each input moves it."""

    kept: KeptIndex
    reference: LinearProgram  # ``lp`` None: the rows, columns and their keys
    numbers: Numbers
    scales: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    moves: dict[str, np.ndarray] = field(default_factory=dict)  # at PROBE; nan: none
    leads: tuple[str, ...] = ()  # variable families whose upper bounds move
    reason: str = ""  # why the LP cannot be mapped ("" = it can)

    @property
    def mappable(self) -> bool:
        return not self.reason

    def fits(self, values: tuple[float, ...]) -> bool:
        """Whether the map expresses the sample with ``values``."""
        return self.mappable and self.kept.fits(values)

    def sample(self, values: tuple[float, ...], ix: LPIndex
               ) -> tuple[LinearProgram, LpArrays]:
        """The sample's LP record (``lp`` None) and numbers; ``ix``: its index
        (``kept.patched(values)``, foresight fixings in ``ix.pinned``)."""
        moved = self._scaled(values)
        arrays = self.numbers.arrays
        cost, lower, upper, row_lower, row_upper, value = (
            moved.get(name, getattr(arrays, name)) for name in NUMBERS)
        lower, upper = lower.copy(), upper.copy()
        self._lead_bounds(ix, upper)
        self._fix(ix, lower, upper)
        offset = float(moved["offset"][0]) if "offset" in moved else arrays.offset
        numbers = LpArrays(cost, np.clip(lower, -INF, INF), np.clip(upper, -INF, INF),
                           row_lower, row_upper, arrays.start, arrays.index, value,
                           offset)
        return self._program(ix, moved.get("rhs", self.numbers.rhs)), numbers

    def _scaled(self, values: tuple[float, ...]) -> dict[str, np.ndarray]:
        factors: dict[str, np.ndarray] = {}
        for i, entries in self.scales.items():
            for name, mask in entries.items():
                factor = factors.setdefault(name, np.ones(len(mask)))
                factor[mask] *= values[i]
        out = {}
        for name, factor in factors.items():
            base, move = self.numbers.get(name), self.moves[name]
            affine = ~np.isnan(move) & (move != base)
            scaled = base * factor
            scaled[affine] = base[affine] + move[affine] * (factor[affine] - 1.0)
            out[name] = scaled
        return out

    def _lead_bounds(self, ix: LPIndex, upper: np.ndarray) -> None:
        """The declared upper bounds of the families a lead time moves."""
        for family in VARIABLES:
            if family.name in self.leads:
                columns = self.reference.column_of[family.name]
                used = columns >= 0
                upper[columns[used]] = family.upper_bounds(ix)[used]

    def _fix(self, ix: LPIndex, lower: np.ndarray, upper: np.ndarray) -> None:
        """Every ``BOUNDS`` family's fixings, as ``instantiate`` writes them."""
        for family in BOUNDS:
            fixed = family.fixed(ix)
            columns = fixed_lp_columns(fixed.family, fixed.position,
                                       self.reference.column_of)
            used = columns >= 0
            columns = columns[used]
            value = np.clip(np.asarray(fixed.value, dtype=float)[used],
                            lower[columns], upper[columns])
            lower[columns] = upper[columns] = value

    def _program(self, ix: LPIndex, rhs: np.ndarray) -> LinearProgram:
        ref = self.reference
        rows = {name: RowBlock(block.first, block.keys,
                               rhs[block.first:block.first + block.count])
                for name, block in ref.rows.items()}
        keys = {family.name: family.frame(ix) for family in VARIABLES}
        return LinearProgram(None, ref.column_of, rows, keys)

    def map_inputs(self, built: Built) -> None:
        """Find every mapped input's LP entries and check the map (``built``:
        the scenario's index with those inputs at those values)."""
        try:
            for i in self.kept.scales:
                self.scales[i] = self._scale_entries(built([i], [PROBE]))
            leads: set[str] = set()
            for i in self.kept.leads:
                leads |= self._lead_families(built([i], [LEAD_PROBE]))
            self.leads = tuple(sorted(leads))
            self.scales = {i: e for i, e in self.scales.items() if e}
            self._check(built)
        except Unmappable as exc:
            self.reason = str(exc)

    def _probe(self, ix: LPIndex) -> Numbers:
        program = assemble(ix)
        numbers = Numbers.of(program)
        if not (self.numbers.arrays.same_structure(numbers.arrays)
                and _same_columns(self.reference, program)):
            raise Unmappable("a draw changes the LP's structure")
        return numbers

    def _scale_entries(self, probe: LPIndex) -> dict[str, np.ndarray]:
        """The numbers one scale input moves (by array), their moves noted."""
        new = self._probe(probe)
        out = {}
        for name in MOVABLE:
            before, after = self.numbers.get(name), new.get(name)
            moved = ~_same(before, after)
            if not moved.any():
                continue
            move = after[moved] - before[moved]  # = before[moved]: proportional
            if not np.all(np.isfinite(move)):
                raise Unmappable(f"a scale draw moves the LP's {name} to or from "
                                 "infinity")
            moves = self.moves.setdefault(name, np.full(len(before), np.nan))
            known = moves[moved]
            if not np.all(np.isnan(known) | (known == move)):
                raise Unmappable(f"two scale draws move the LP's {name} apart")
            moves[moved] = move
            out[name] = moved
        return out

    def _lead_families(self, probe: LPIndex) -> set[str]:
        new = self._probe(probe)
        for name in MOVABLE:
            if name != "col_upper" and not np.array_equal(
                    self.numbers.get(name), new.get(name)):
                raise Unmappable(f"a lead-time draw moves the LP's {name}")
        moved = np.flatnonzero(self.numbers.arrays.col_upper
                               != new.arrays.col_upper)
        return {name for name, columns in self.reference.column_of.items()
                if np.isin(columns, moved).any()}

    def _check(self, built: Built) -> None:
        """The map at every input's probe, then with the scales at SECOND, = the
        LP of the index built so."""
        chosen = sorted({*self.kept.scales, *self.kept.leads})
        if not chosen:
            return
        probes = self.kept.probe_values()
        second = tuple(SECOND if i in self.kept.scales else v
                       for i, v in enumerate(probes))
        for values in (probes, second):
            _, mapped = self.sample(values, self.kept.patched(values))
            program = assemble(built(chosen, [values[i] for i in chosen]))
            assert program.lp is not None
            left = arrays_differ(mapped, LpArrays.of(program.lp), RTOL)
            if left:
                raise Unmappable(f"several inputs at once move the LP's {left[0]}")


def fixed_lp_columns(family: str | np.ndarray, position: np.ndarray,
                     column_of: dict[str, np.ndarray]) -> np.ndarray:
    """The LP column of every fixed variable (-1: not in the LP)."""
    position = np.asarray(position, dtype=np.int64)
    if isinstance(family, str):
        return column_of[family][position]
    out = np.full(len(position), -1, dtype=np.int64)
    names = np.asarray(family, dtype=object)
    for name in dict.fromkeys(names.tolist()):
        mine = names == name
        out[mine] = column_of[name][position[mine]]
    return out


def arrays_differ(a: LpArrays, b: LpArrays, rtol: float = 0.0) -> list[str]:
    """The fields of two LPs' arrays that differ beyond ``rtol`` (empty: same)."""
    out = []
    for f in fields(LpArrays):
        x, y = np.atleast_1d(getattr(a, f.name)), np.atleast_1d(getattr(b, f.name))
        if x.shape != y.shape or not np.allclose(x, y, rtol=rtol, atol=0.0,
                                                 equal_nan=True):
            out.append(f.name)
    return out


def _same_columns(a: LinearProgram, b: LinearProgram) -> bool:
    return (a.column_of.keys() == b.column_of.keys()
            and all(np.array_equal(a.column_of[k], b.column_of[k])
                    for k in a.column_of)
            and [(k, r.first, r.count) for k, r in a.rows.items()]
            == [(k, r.first, r.count) for k, r in b.rows.items()])


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


def kept_patch(kept: KeptIndex, built: Built) -> LpPatch:
    """The LP map of a kept scenario (its index without foresight fixings)."""
    program = assemble(kept.index)
    numbers = Numbers.of(program)
    program.lp = None
    patch = LpPatch(kept, program, numbers)
    if not kept.mappable:
        patch.reason = kept.reason
        return patch
    patch.map_inputs(built)
    return patch


__all__ = ["LpPatch", "arrays_differ", "kept_patch"]
