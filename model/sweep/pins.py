"""A sweep sample's foresight fixings (MODEL-SPEC §8.2) read from its comparator's
solution, without joining the comparator's tidy tables.

``formulation.foresight.pin_to_comparator`` matches a scenario's variables to its
comparator's by key, through the comparator's tidy tables (model/results/extract.py:
values below ``ZERO`` in magnitude reported as 0, builds and flows kept where
positive, activity where positive or capacity is in service). In a sweep both
indices keep the rows of their kept references, so which comparator variable each
variable takes is found once (``PinPlan``); a sample then reads the values
straight from the comparator's solution, with the tables' rules: a build or flow
at its value where that is ``ZERO`` or more, else 0; a release at its value
unless below ``ZERO`` in magnitude. A build decided in year d takes the
comparator's build of the same option decided in d (online d + the comparator's
lead time), as ``_pinned_builds`` does. A sample in which the comparator's
activity is negative beyond ``ZERO`` (kept by the table only where capacity is in
service) is pinned through the tables instead (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.foresight import FLOW, RCY, RPY
from model.results.extract import ZERO
from model.solver.records import Solution

OPTION = ["region", "process"]
SPAN = 10_000  # years: an option's code times SPAN plus a year is unique


@dataclass
class PinPlan:
    """Per pinned family of one scenario, its positions and the comparator's
    positions of the same keys (-1: none); per build row, the comparator's option
    (-1: none)."""

    positions: dict[str, np.ndarray]
    theirs: dict[str, np.ndarray]
    option: np.ndarray  # per build row of the scenario
    codes: np.ndarray  # the comparator's build rows: option * SPAN + year, sorted
    rows: np.ndarray  # the comparator's build row of each code
    option_row: np.ndarray  # per comparator option: its first build row

    @classmethod
    def of(cls, ix: LPIndex, comparator: LPIndex) -> PinPlan:
        positions, theirs = {}, {}
        for variable, frame, other, keys in (
                ("act", ix.act, comparator.act, RPY),
                ("flow", ix.flow, comparator.flow, FLOW),
                ("release", ix.stock, comparator.stock, RCY)):
            before = np.flatnonzero(frame["year"].to_numpy() < ix.shock_year)
            positions[variable] = before
            theirs[variable] = matches(frame.iloc[before], other, keys)
        options = comparator.build[OPTION].drop_duplicates().reset_index(drop=True)
        option_of = matches(comparator.build, options, OPTION)
        codes = option_of * SPAN + comparator.build["year"].to_numpy(dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        first = np.full(len(options), -1, dtype=np.int64)
        first[option_of[::-1]] = np.arange(len(option_of))[::-1]
        return cls(positions, theirs, matches(ix.build, options, OPTION),
                   codes[order], order, first)

    def pinned(self, ix: LPIndex, comparator: LPIndex, solution: Solution
               ) -> pd.DataFrame | None:
        """``ix.pinned`` for this sample (``comparator``: the comparator's index
        and ``solution`` its solution this sample); None: use the tables."""
        parts = []
        for variable in ("act", "flow", "release"):
            values = _clean(solution.values[variable])
            if variable == "act" and np.any(values < 0):
                return None
            if variable == "flow":
                values = np.maximum(values, 0.0)
            mine, theirs = self.positions[variable], self.theirs[variable]
            taken = np.where(theirs >= 0, values[np.maximum(theirs, 0)], 0.0)
            parts.append(pd.DataFrame({"variable": variable, "position": mine,
                                       "value": taken}))
        parts.append(self._builds(ix, comparator, solution))
        return pd.concat(parts, ignore_index=True)

    def _builds(self, ix: LPIndex, comparator: LPIndex, solution: Solution
                ) -> pd.DataFrame:
        build = ix.build
        decided = (build["year"].to_numpy(dtype=np.int64)
                   - build["lead_time"].to_numpy(dtype=np.int64))
        mine = np.flatnonzero(decided < ix.shock_year)
        option = self.option[mine]
        lead = comparator.build["lead_time"].to_numpy(dtype=np.int64)[
            self.option_row[np.maximum(option, 0)]]
        code = option * SPAN + decided[mine] + lead
        at = np.minimum(np.searchsorted(self.codes, code), len(self.codes) - 1)
        found = (option >= 0) & (len(self.codes) > 0) & (self.codes[at] == code)
        values = np.maximum(_clean(solution.values["build"]), 0.0)
        taken = np.where(found, values[self.rows[at]], 0.0) if len(values) else (
            np.zeros(len(mine)))
        return pd.DataFrame({"variable": "build", "position": mine, "value": taken})


def matches(mine: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]
            ) -> np.ndarray:
    """Per row of ``mine``, the row of ``theirs`` with the same ``keys`` (-1:
    none); ``theirs`` has one row per key."""
    found = mine[keys].merge(theirs[keys].reset_index(names="_row"), on=keys,
                             how="left")
    if len(found) != len(mine):
        raise ValueError("the comparator has repeated keys")
    return found["_row"].fillna(-1).to_numpy(dtype=np.int64)


def _clean(values: np.ndarray) -> np.ndarray:
    return np.where(np.abs(values) < ZERO, 0.0, values)


__all__ = ["PinPlan"]
