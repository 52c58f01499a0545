"""How the LP is declared: variable, constraint and bound families as arrays.

Each family is declared once, in its own module, and both builders are generated
from the declarations: ``matrix.assemble`` (numpy triplets, the default) and
``pyomo_model.build_model`` (the Pyomo model). As in linopy, a constraint family
is a block of rows in long form: for every term its row, the variable (family and
position in that family's index frame) and the coefficient, plus one sense for the
family and a right-hand side and a key (an index row) per row. A bound family fixes
variables (lower = upper bound) without rows.

A constraint family's ``rows`` function carries the family's math in its
docstring (docs/formulation.md repeats it; tests/unit/test_registry.py checks the
two agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from model.data.indices import LPIndex

SENSES = ("==", "<=", ">=")


@dataclass(frozen=True)
class Terms:
    """Terms in a block of rows: ``coef · family[position]`` added to row ``row``
    (rows numbered from 0 within the block). ``family`` names one variable family
    for all the terms, or one per term (an array of names, numpy or pandas)."""

    family: str | np.ndarray | ExtensionArray
    row: np.ndarray
    position: np.ndarray
    coef: np.ndarray | float


@dataclass(frozen=True)
class Rows:
    """The rows of a constraint family for one scenario: a key per row (the frame's
    row ``k`` keys row ``k``), the right-hand side per row, the terms."""

    keys: pd.DataFrame
    rhs: np.ndarray
    terms: tuple[Terms, ...]


@dataclass(frozen=True)
class ConstraintFamily:
    """A constraint family: ``Σ terms (sense) rhs`` for every row of ``rows(ix)``.
    ``friction``: the friction of a real build-out (MODEL-SPEC §8.2) the family
    states, named when its rows bind before a self-sufficient year (the report's
    "friction that sets the date", model/results/frictions.py); its keys then carry
    ``year`` and ``stage`` or ``process`` (the row's place in a supply chain). None
    for the other families."""

    name: str
    sense: str
    rows: Callable[[LPIndex], Rows]
    doc: str
    friction: str | None = None

    def __post_init__(self) -> None:
        if self.sense not in SENSES:
            raise ValueError(f"{self.name}: sense {self.sense!r} not in {SENSES}")

    @property
    def math(self) -> str:
        """The family's math (the ``rows`` function's docstring)."""
        return self.rows.__doc__ or ""


@dataclass(frozen=True)
class VariableFamily:
    """A variable family: one non-negative variable per row of ``frame(ix)``, at
    most ``upper(ix)`` (NaN or inf: no limit; ``bound`` names the input column it
    comes from), with objective cost ``cost(ix)`` (None: no cost). ``inputs``: the
    input tables that define or limit it (named by an infeasibility explanation)."""

    name: str
    frame: Callable[[LPIndex], pd.DataFrame]
    doc: str
    upper: Callable[[LPIndex], np.ndarray] | None = None
    bound: str = ""
    cost: Callable[[LPIndex], np.ndarray] | None = None
    inputs: tuple[str, ...] = ()

    def upper_bounds(self, ix: LPIndex) -> np.ndarray:
        """Upper bound of every variable, inf where unlimited."""
        n = len(self.frame(ix))
        if self.upper is None:
            return np.full(n, np.inf)
        upper = np.asarray(self.upper(ix), dtype=float)
        return np.where(np.isnan(upper), np.inf, upper)


@dataclass(frozen=True)
class Fixed:
    """Variables fixed at a value: ``family[position]`` has lower bound = upper
    bound = ``value``. ``family`` names one variable family for all, or one per
    variable (an array of names)."""

    family: str | np.ndarray
    position: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class BoundFamily:
    """A family of column bounds: every variable ``fixed(ix)`` names is fixed at
    its value (both bounds; a value outside the variable's declared bounds, a
    solver's tolerance away, is taken to the nearer bound). It adds no rows, so
    which variables are fixed never changes the LP's structure. Its math is the
    ``fixed`` function's docstring."""

    name: str
    fixed: Callable[[LPIndex], Fixed]
    doc: str

    @property
    def math(self) -> str:
        return self.fixed.__doc__ or ""


def limit_of(values: pd.Series) -> np.ndarray:
    """A nullable limit column as floats, NaN where blank."""
    return values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


@dataclass(frozen=True)
class Block:
    """The rows of a family flattened for the builders: terms sorted by row (each
    row's terms in the order declared), columns numbered across all families."""

    name: str
    sense: str
    doc: str
    keys: pd.DataFrame
    rhs: np.ndarray
    row: np.ndarray
    column: np.ndarray
    coef: np.ndarray

    @property
    def starts(self) -> np.ndarray:
        """``row`` boundaries: the terms of row k are ``starts[k]:starts[k+1]``."""
        return np.searchsorted(self.row, np.arange(len(self.keys) + 1))

    @property
    def lower(self) -> np.ndarray:
        return self.rhs if self.sense in ("==", ">=") else np.full(len(self.rhs),
                                                                   -np.inf)

    @property
    def upper(self) -> np.ndarray:
        return self.rhs if self.sense in ("==", "<=") else np.full(len(self.rhs),
                                                                   np.inf)


def flatten(family: ConstraintFamily, rows: Rows, first: dict[str, int]) -> Block:
    """``rows`` of ``family`` with columns ``first[variable family] + position``."""
    row = np.concatenate([np.asarray(t.row, dtype=np.int64) for t in rows.terms]
                         or [np.zeros(0, dtype=np.int64)])
    column = np.concatenate([_columns(t, first) for t in rows.terms]
                            or [np.zeros(0, dtype=np.int64)])
    coef = np.concatenate(
        [np.broadcast_to(np.asarray(t.coef, dtype=float), np.shape(t.row))
         for t in rows.terms] or [np.zeros(0)])
    order = (slice(None) if np.all(row[1:] >= row[:-1])
             else np.argsort(row, kind="stable"))
    rhs = np.asarray(rows.rhs, dtype=float)
    if len(rhs) != len(rows.keys):
        raise ValueError(f"{family.name}: {len(rhs)} right-hand sides for "
                         f"{len(rows.keys)} keys")
    return Block(family.name, family.sense, family.doc, rows.keys, rhs, row[order],
                 column[order], coef[order])


def fixed_columns(fixed: Fixed, first: dict[str, int]) -> np.ndarray:
    """Uncompressed column of every fixed variable."""
    return _columns(fixed, first)


def _columns(terms: Terms | Fixed, first: dict[str, int]) -> np.ndarray:
    """Uncompressed column of every term."""
    position = np.asarray(terms.position, dtype=np.int64)
    if isinstance(terms.family, str):
        return first[terms.family] + position
    codes, names = pd.factorize(terms.family)
    return np.array([first[n] for n in names], dtype=np.int64)[codes] + position
