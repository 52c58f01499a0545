"""What a sweep worker keeps between samples: the widest build window of every
scenario and one warm HiGHS instance per scenario (model/solver/warm.py).

A drawn lead time moves a build option's earliest online year, which would change
which build columns the LP has. Here every build column exists from the earliest
online year any sample of the sweep may give (each lead-time row at its lowest
value), and a sample's later earliest year fixes the earlier columns at 0: the LP
keeps one structure, so a lead-time sample is a bound change, solved warm. Before
its first sample, a worker solves the case with no draws applied, cold, in the
solving order; each scenario's optimal basis is the start of all its later solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.data.case import Case
from model.data.scenarios import ScenarioData, scenario_data
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.solver.warm import WarmStarts
from model.sweep.uncertainty import UncertainInput, apply_draws
from model.timing import PhaseTimer


@dataclass
class SampleReuse:
    """The kept state of one worker for one sweep (case, inputs, options)."""

    case: Case
    inputs: tuple[UncertainInput, ...]
    warm: WarmStarts = field(default_factory=WarmStarts)
    priming: bool = False  # solving the reference (undrawn) case now
    _widest: dict[str, np.ndarray] = field(default_factory=dict)

    def prepare(self, data: ScenarioData) -> None:
        """Index the scenario's build columns from the widest window."""
        widest = self._widest_for(data.name)
        if len(widest) == len(data.expansion):
            data.expansion["index_from_year"] = widest

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
