"""What a sweep worker keeps between samples: the widest build window of every
scenario and one warm HiGHS instance per scenario (model/solver/warm.py).

A drawn lead time moves a build option's earliest online year, which would change
which build columns the LP has. Here every build column exists from the earliest
online year any sample of the sweep may give (each lead-time row at its lowest
value), and a sample's later earliest year fixes the earlier columns at 0: the LP
keeps one structure, so a lead-time sample is a bound change, solved warm. Before
its first sample, a worker solves the case with no draws applied, cold, in the
solving order; each scenario's optimal basis is the start of all its later solves.

While priming, the worker also keeps each scenario's data and index and finds where
every uncertain input acts on it (model/sweep/kept.py): a sample's index is then
the reference index with the drawn numbers written in, not a rebuild of the
scenario's data and index. A scenario or sample the mapping cannot express is
rebuilt as before (``counts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from model.data.case import Case
from model.data.indices import LPIndex, build_index
from model.data.scenarios import ScenarioData, scenario_data
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.solver.warm import WarmStarts
from model.sweep.kept import KeptIndex
from model.sweep.uncertainty import UncertainInput, apply_draws
from model.timing import PhaseTimer


@dataclass
class SampleReuse:
    """The kept state of one worker for one sweep (case, inputs, options)."""

    case: Case
    inputs: tuple[UncertainInput, ...]
    warm: WarmStarts = field(default_factory=WarmStarts)
    priming: bool = False  # solving the reference (undrawn) case now
    values: tuple[float, ...] = ()  # the drawn values of the sample being solved
    counts: dict[str, int] = field(default_factory=lambda: {"mapped": 0,
                                                            "rebuilt": 0})
    _widest: dict[str, np.ndarray] = field(default_factory=dict)
    _kept: dict[str, KeptIndex] = field(default_factory=dict)

    def prepare(self, data: ScenarioData) -> None:
        """Index the scenario's build columns from the widest window."""
        widest = self._widest_for(data.name)
        if len(widest) == len(data.expansion):
            data.expansion["index_from_year"] = widest

    def index(self, case: Case, name: str) -> tuple[ScenarioData, LPIndex]:
        """The data and index of scenario ``name`` for the sample being solved
        (``case``: the case with its draws applied): mapped from the kept
        reference where it can be, else built."""
        kept = self._kept.get(name)
        if self.priming or kept is None or not kept.fits(self.values):
            data, index = self._built(case, name)
            if self.priming:
                self._keep(data, index)
            else:
                self.counts["rebuilt"] += 1
        else:
            data, index = kept.data, kept.patched(self.values)
            self.counts["mapped"] += 1
        return data, replace(index)  # the caller may pin it; the kept one stays

    def kept(self, name: str) -> KeptIndex | None:
        return self._kept.get(name)

    def _built(self, case: Case, name: str) -> tuple[ScenarioData, LPIndex]:
        data = scenario_data(case, name)
        self.prepare(data)
        return data, build_index(data)

    def _keep(self, data: ScenarioData, index: LPIndex) -> None:
        name = data.name

        def built(inputs: list[UncertainInput], values: list[float]) -> LPIndex:
            mine = [(i, v) for i, v in zip(inputs, values, strict=True)
                    if not i.scenario or i.scenario == name]
            if not mine:
                return index
            case = apply_draws(self.case, [i for i, _ in mine], [v for _, v in mine])
            return self._built(case, name)[1]

        kept = KeptIndex(data, index, self.inputs)
        kept.map_inputs(built)
        self._kept[name] = kept

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer, lexicographic: np.ndarray | None) -> Solution:
        if self.priming:
            return self.warm.keep_reference(program, scenario, options, clock,
                                            lexicographic)
        return self.warm.solve(program, scenario, options, clock, lexicographic)

    def _widest_for(self, name: str) -> np.ndarray:
        if name not in self._widest:
            self._widest[name] = earliest_possible(self.case, self.inputs, name)
        return self._widest[name]


def earliest_possible(case: Case, inputs: tuple[UncertainInput, ...], name: str
                      ) -> np.ndarray:
    """Per expansion row of scenario ``name``, its earliest online year with every
    lead-time input at its lowest applied value (the others play no part)."""
    lead = [item for item in inputs if item.field == "lead_time"]
    lowest = [min(item.applied_value(item.low), 0.0) for item in lead]
    widest = apply_draws(case, lead, lowest)
    return scenario_data(widest, name).expansion["earliest_online_year"].to_numpy(
        dtype=np.int64)


__all__ = ["SampleReuse", "earliest_possible"]
