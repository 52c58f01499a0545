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

The kept LP is mapped the same way (model/sweep/patch.py): a sample whose index is
mapped has its LP's numbers written from the reference LP's, not assembled from
its index, and HiGHS takes only the numbers that moved. A scenario or sample the
LP map cannot express is assembled as before (``lp_counts``). Under foresight
``none`` a mapped sample's fixings are read from its comparator's solution of the
same sample (model/sweep/pins.py), not joined through its tidy tables
(``pin_counts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from model.data.case import Case
from model.data.indices import LPIndex, build_index
from model.data.scenarios import ScenarioData, scenario_data
from model.results.extract import ScenarioResult
from model.scenario_run import build_program, pin_early_decisions
from model.solver.records import LinearProgram, Solution, SolveOptions
from model.solver.warm import LpArrays, WarmStarts
from model.sweep.kept import KeptIndex
from model.sweep.patch import LpPatch, kept_patch
from model.sweep.pins import PinPlan
from model.sweep.uncertainty import UncertainInput, apply_draws
from model.timing import PhaseTimer


@dataclass
class ThisSample:
    """What a worker knows of the sample being solved; begun afresh for each."""

    values: tuple[float, ...] = ()  # its drawn values, one per uncertain input
    mapped: set[str] = field(default_factory=set)  # scenarios whose index is mapped
    indices: dict[str, LPIndex] = field(default_factory=dict)  # their indices
    arrays: dict[str, LpArrays] = field(default_factory=dict)  # patched LP numbers
    solved: dict[str, tuple[LPIndex, Solution]] = field(default_factory=dict)


@dataclass
class SampleReuse:
    """The kept state of one worker for one sweep (case, inputs, options): what
    priming found for every scenario, the counters, and ``sample``, the state of
    the sample being solved (``begin``)."""

    case: Case
    inputs: tuple[UncertainInput, ...]
    warm: WarmStarts = field(default_factory=WarmStarts)
    priming: bool = False  # solving the reference (undrawn) case now
    sample: ThisSample = field(default_factory=ThisSample)
    counts: dict[str, int] = field(default_factory=lambda: {"mapped": 0,
                                                            "rebuilt": 0})
    lp_counts: dict[str, int] = field(default_factory=lambda: {"patched": 0,
                                                               "assembled": 0})
    pin_counts: dict[str, int] = field(default_factory=lambda: {"read": 0,
                                                                "joined": 0})
    _widest: dict[str, np.ndarray] = field(default_factory=dict)
    _kept: dict[str, KeptIndex] = field(default_factory=dict)
    _patch: dict[str, LpPatch] = field(default_factory=dict)
    _plans: dict[str, PinPlan] = field(default_factory=dict)

    def begin(self, values: tuple[float, ...]) -> None:
        """Start the sample drawn at ``values``: nothing of the last one is kept."""
        self.sample = ThisSample(tuple(values))
        self.warm.begin_sample()

    def prepare(self, data: ScenarioData) -> None:
        """Index the scenario's build columns from the widest window."""
        widest = self._widest_for(data.name)
        if len(widest) == len(data.expansion):
            data.expansion["index_from_year"] = widest

    def index(self, case: Case, name: str) -> tuple[ScenarioData, LPIndex]:
        """The data and index of scenario ``name`` for the sample being solved
        (``case``: the case with its draws applied): mapped from the kept
        reference where it can be, else built."""
        kept, sample = self._kept.get(name), self.sample
        sample.mapped.discard(name)
        sample.solved.pop(name, None)
        if self.priming or kept is None or not kept.fits(sample.values):
            data, index = self._built(case, name)
            if self.priming:
                self._keep(data, index)
            else:
                self.counts["rebuilt"] += 1
        else:
            data, index = kept.data, kept.patched(sample.values)
            self.counts["mapped"] += 1
            sample.mapped.add(name)
            sample.indices[name] = index
        return data, replace(index)  # the caller may pin it; the kept one stays

    def kept(self, name: str) -> KeptIndex | None:
        return self._kept.get(name)

    def patch(self, name: str) -> LpPatch | None:
        return self._patch.get(name)

    def pin(self, case: Case, data: ScenarioData, index: LPIndex,
            comparator: ScenarioResult | None) -> None:
        """``pin_early_decisions``, read from the comparator's solution of this
        sample where both scenarios were mapped (``_pins_readable``)."""
        pinned = None
        if self._pins_readable(case, data, comparator):
            assert comparator is not None
            theirs, solution = self.sample.solved[comparator.name]
            plan = self._plans.get(data.name)
            if plan is None:
                plan = self._plans[data.name] = PinPlan.of(index, theirs)
            pinned = plan.pinned(index, theirs, solution)
        if pinned is not None:
            index.pinned = pinned
            self.pin_counts["read"] += 1
            return
        if self._pinned_here(case, data):
            self.pin_counts["joined"] += 1
        pin_early_decisions(case, data, index, comparator)

    def _pinned_here(self, case: Case, data: ScenarioData) -> bool:
        """Whether a sample (not priming) fixes scenario ``data``'s early decisions:
        foresight none and not the baseline."""
        return (not self.priming and case.settings.foresight == "none"
                and not data.is_baseline)

    def _pins_readable(self, case: Case, data: ScenarioData,
                       comparator: ScenarioResult | None) -> bool:
        """Whether the fixings can be read from the comparator's solution of this
        sample: they are needed, and both the scenario's and the comparator's
        indices were mapped this sample (so the comparator's solution is kept)."""
        return (self._pinned_here(case, data) and comparator is not None
                and data.name in self.sample.mapped
                and comparator.name in self.sample.solved)

    def program(self, index: LPIndex, name: str, options: SolveOptions,
                timer: PhaseTimer, clock: PhaseTimer) -> LinearProgram:
        """The LP of scenario ``name`` for the sample being solved (``index``: its
        index, foresight fixings in): its numbers written from the kept reference
        LP where the map expresses the sample (``_patchable``), else assembled."""
        patch = self._patch.get(name)
        if patch is None or not self._patchable(patch, name, options):
            if not self.priming:
                self.lp_counts["assembled"] += 1
            return build_program(index, name, options, timer, clock)
        with timer.phase("build"):
            program, self.sample.arrays[name] = patch.sample(self.sample.values,
                                                             index)
        self.lp_counts["patched"] += 1
        return program

    def _patchable(self, patch: LpPatch, name: str, options: SolveOptions) -> bool:
        """Whether scenario ``name``'s LP can be written from ``patch``: a sample
        (not priming) whose index was mapped, the numpy builder, and drawn values
        the map expresses."""
        return (not self.priming and name in self.sample.mapped
                and options.builder != "pyomo" and patch.fits(self.sample.values))

    def _built(self, case: Case, name: str) -> tuple[ScenarioData, LPIndex]:
        data = scenario_data(case, name)
        self.prepare(data)
        return data, build_index(data)

    def _keep(self, data: ScenarioData, index: LPIndex) -> None:
        name = data.name

        probes: dict[tuple[tuple[int, float], ...], LPIndex] = {}

        def by_number(numbers: list[int], values: list[float]) -> LPIndex:
            mine = tuple((n, v) for n, v in zip(numbers, values, strict=True)
                         if not self.inputs[n].scenario
                         or self.inputs[n].scenario == name)
            if not mine:
                return index
            if mine not in probes:
                case = apply_draws(self.case, [self.inputs[n] for n, _ in mine],
                                   [v for _, v in mine])
                probes[mine] = self._built(case, name)[1]
            return probes[mine]

        def built(inputs: list[UncertainInput], values: list[float]) -> LPIndex:
            numbers = [next(n for n, x in enumerate(self.inputs) if x is item)
                       for item in inputs]
            return by_number(numbers, values)

        kept = KeptIndex(data, index, self.inputs)
        kept.map_inputs(built)
        self._kept[name] = kept
        self._patch[name] = kept_patch(kept, by_number)

    def solve(self, program: LinearProgram, scenario: str, options: SolveOptions,
              clock: PhaseTimer, lexicographic: np.ndarray | None) -> Solution:
        if self.priming:
            return self.warm.keep_reference(program, scenario, options, clock,
                                            lexicographic)
        sample = self.sample
        solution = self.warm.solve(program, scenario, options, clock, lexicographic,
                                   sample.arrays.pop(scenario, None))
        if scenario in sample.mapped:
            sample.solved[scenario] = (sample.indices[scenario], solution)
        return solution

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


__all__ = ["SampleReuse", "ThisSample", "earliest_possible"]
