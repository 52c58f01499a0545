"""A scenario's index kept by a sweep worker, and a sample's index made from it
without rebuilding the scenario's data and index.

A ``scale`` draw multiplies a field (MODEL-SPEC §7) and, through it, some numbers of
the index frames (a cost, a capacity, a demand). Which ones is found once, when the
worker primes: the scenario's index is built again with that one input at 2 and
compared with the reference (no draws): the numbers that moved are the input's
entries, and each must have exactly doubled (a number that moves otherwise, or any
change of rows, text or integers, means the input cannot be mapped). A sample's
index is then the reference with each entry multiplied by the product of its
inputs' drawn values, which is what ``rules.scale_factor`` gives when the draws are
applied as rules. A ``lead_time`` draw moves the earliest online year of the build
options it matches: the entries are the build rows whose lead time moves with the
input; the sample's ``open_from``, ``max_per_year`` and ``lead_time`` follow from the
option's earliest year as in ``indices._build_frame`` (the build rows stay the
widest window's, model/sweep/reuse.py).

Before the mapping is used, the worker checks it: one more index built with every
input at once (scales at 2, lead times +1 year) must equal the mapped index. A
scenario whose inputs fail any check is rebuilt for every sample (``reason`` says
why), and so is a sample the mapping cannot express: a scale of 0 or below (it
removes demand rows or existing capacity) or a lead time earlier than the widest
window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from model.data.indices import LPIndex, build_options
from model.data.scenarios import ScenarioData
from model.sweep.uncertainty import UncertainInput

PROBE = 2.0  # a power of two: the probe's products are exact
LEAD_PROBE = 1.0  # years
LEAD_COLUMNS = ("open_from", "max_per_year", "lead_time")

Built = Callable[[list[UncertainInput], list[float]], LPIndex]


class Unmappable(Exception):
    """An input whose effect on the index is not a product of its draw."""


@dataclass
class KeptIndex:
    """One scenario's reference data and index, and where each input acts."""

    data: ScenarioData
    index: LPIndex
    inputs: tuple[UncertainInput, ...]
    scales: dict[int, dict[tuple[str, str], np.ndarray]] = field(default_factory=dict)
    leads: dict[int, np.ndarray] = field(default_factory=dict)  # per build row
    reason: str = ""  # why the scenario cannot be mapped ("" = it can)
    _options: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def mappable(self) -> bool:
        return not self.reason

    def fits(self, values: tuple[float, ...]) -> bool:
        """Whether the mapping expresses a sample with these drawn values."""
        if not self.mappable:
            return False
        if any(values[i] <= 0 for i in self.scales):
            return False
        if not self.leads:
            return True
        return bool(np.all(self._open_from(values) >= self._options["first"]))

    def patched(self, values: tuple[float, ...]) -> LPIndex:
        """The index of the sample with ``values`` (``fits`` must hold)."""
        factors: dict[tuple[str, str], np.ndarray] = {}
        for i, entries in self.scales.items():
            for key, mask in entries.items():
                factor = factors.setdefault(key, np.ones(len(mask)))
                factor[mask] *= values[i]
        frames: dict[str, pd.DataFrame] = {}
        for (name, column), factor in factors.items():
            frame = frames.setdefault(name, getattr(self.index, name).copy())
            frame[column] = frame[column].to_numpy(dtype=float) * factor
        if self.leads:
            build = frames.setdefault("build", self.index.build.copy())
            self._move_builds(build, values)
        return replace(self.index, **frames)

    def _lead_add(self, values: tuple[float, ...]) -> np.ndarray:
        add = np.zeros(len(self.index.build), dtype=np.int64)
        for i, mask in self.leads.items():
            add[mask] += int(self.inputs[i].applied_value(values[i]))
        return add

    def _open_from(self, values: tuple[float, ...]) -> np.ndarray:
        earliest = self._options["earliest"] + self._lead_add(values)
        return np.maximum(earliest, self.data.years[0])

    def _move_builds(self, build: pd.DataFrame, values: tuple[float, ...]) -> None:
        open_from = self._open_from(values)
        closed = build["year"].to_numpy() < open_from
        build["open_from"] = open_from.astype(build["open_from"].dtype)
        build["max_per_year"] = np.where(closed, 0.0, self._options["per_year"])
        build["lead_time"] = (self._options["lead"] + self._lead_add(values)).astype(
            build["lead_time"].dtype)

    def map_inputs(self, built: Built) -> None:
        """Find every input's entries and check the mapping (``built(inputs,
        values)``: the scenario's index with those draws applied)."""
        try:
            self._options = option_rows(self.data, self.index)
            for i, item in enumerate(self.inputs):
                if item.field == "lead_time":
                    self.leads[i] = self._lead_entries(built([item], [LEAD_PROBE]))
                else:
                    self.scales[i] = scale_entries(self.index, built([item], [PROBE]))
            self._drop_idle()
            if self.scales or self.leads:
                values = self.probe_values()
                chosen = [self.inputs[i] for i in sorted({*self.scales, *self.leads})]
                given = [values[i] for i in sorted({*self.scales, *self.leads})]
                left = differences(self.patched(values), built(chosen, given))
                if left:
                    raise Unmappable(f"several inputs at once move {left[0]}")
        except Unmappable as exc:
            self.reason = str(exc)

    def probe_values(self) -> tuple[float, ...]:
        """Every scale at PROBE, every lead time LEAD_PROBE later, the rest neutral."""
        return tuple(LEAD_PROBE if item.field == "lead_time" else
                     PROBE if i in self.scales else 1.0
                     for i, item in enumerate(self.inputs))

    def _lead_entries(self, probe: LPIndex) -> np.ndarray:
        ref, new = self.index.build, probe.build
        if len(ref) != len(new):
            raise Unmappable("a lead-time draw changes the build rows")
        moved = (new["lead_time"].to_numpy() - ref["lead_time"].to_numpy())
        if not np.all(np.isin(moved, (0, int(LEAD_PROBE)))):
            raise Unmappable("a lead-time draw moves lead times by other amounts")
        return moved != 0

    def _drop_idle(self) -> None:
        """Forget inputs that touch nothing in this scenario."""
        self.scales = {i: e for i, e in self.scales.items() if e}
        self.leads = {i: m for i, m in self.leads.items() if m.any()}


def option_rows(data: ScenarioData, index: LPIndex) -> dict[str, np.ndarray]:
    """Per build row of ``index``: its option's earliest online year, lead time
    and per-year limit (before any closing), and the first year of its columns."""
    options, first = build_options(data.expansion, data.years)
    counts = np.maximum(data.years[-1] - first + 1, 0)
    rows = np.repeat(np.arange(len(options)), counts)
    if len(rows) != len(index.build):
        raise Unmappable("the build rows are not the expansion options' years")
    per_year = options["max_new_tpa_per_year"].astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    return {
        "earliest": options["earliest_online_year"].to_numpy(dtype=np.int64)[rows],
        "lead": options["lead_time"].to_numpy(dtype=np.int64)[rows],
        "per_year": per_year[rows],
        "first": np.repeat(first, counts),
    }


def scale_entries(ref: LPIndex, probe: LPIndex) -> dict[tuple[str, str], np.ndarray]:
    """Per (index field, column): the rows a scale input at PROBE moved; each must
    be exactly PROBE times the reference."""
    out: dict[tuple[str, str], np.ndarray] = {}
    for name, column, before, after in _float_changes(ref, probe):
        moved = ~_same(before, after)
        if not np.array_equal(after[moved], before[moved] * PROBE):
            raise Unmappable(f"a scale draw moves {name}.{column} other than "
                             "in proportion")
        out[(name, column)] = moved
    return out


def differences(a: LPIndex, b: LPIndex, rtol: float = 1e-12) -> list[str]:
    """What differs between two indices beyond ``rtol`` (empty: the same)."""
    try:
        changed = _float_changes(a, b)
    except Unmappable as exc:
        return [str(exc)]
    return [f"{name}.{column}" for name, column, x, y in changed
            if not np.allclose(x, y, rtol=rtol, atol=0.0, equal_nan=True)]


def _float_changes(a: LPIndex, b: LPIndex
                   ) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """(field, column, a's values, b's values) of every float column that differs;
    Unmappable when anything else does."""
    out = []
    for f in fields(LPIndex):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            out += _frame_changes(f.name, x, y)
        elif isinstance(x, np.ndarray):
            if not np.array_equal(x, y, equal_nan=True):
                raise Unmappable(f"a draw changes {f.name}")
        elif x != y:
            raise Unmappable(f"a draw changes {f.name}")
    return out


def _frame_changes(name: str, x: pd.DataFrame, y: pd.DataFrame
                   ) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    if x.shape != y.shape or list(x.columns) != list(y.columns) or not (
            x.index.equals(y.index)):
        raise Unmappable(f"a draw changes the rows of {name}")
    out = []
    for column in x.columns:
        if x[column].equals(y[column]):
            continue
        if not (pd.api.types.is_float_dtype(x[column])
                and pd.api.types.is_float_dtype(y[column])):
            raise Unmappable(f"a draw changes {name}.{column}")
        out.append((name, str(column), x[column].to_numpy(dtype=float),
                    y[column].to_numpy(dtype=float)))
    return out


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


__all__ = ["KeptIndex", "Unmappable", "differences"]
