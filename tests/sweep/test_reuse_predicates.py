"""The reuse predicates of a sweep worker (model/sweep/reuse.py) against the inline
conditions they replaced.

``SampleReuse.pin`` and ``SampleReuse.program`` decide with ``_pinned_here``,
``_pins_readable`` and ``_patchable`` whether a sample's foresight fixings are read
from the comparator's solution and whether its LP is written from the kept one.
The independent method is the code before those predicates (commit da42878),
copied below as ``old_*``: over every combination of the states they read, the
predicates must give what the old conditions gave. The old ``pin`` also asked that
the comparator's index was mapped this sample; the new one relies on ``solve``
keeping a solution only for a mapped scenario, which is tested here too.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from model.sweep.reuse import SampleReuse, ThisSample

BASE = "baseline"  # the comparator's name
MINE = "shock"  # the pinned scenario's name


def old_reads_pins(priming: bool, foresight: str, is_baseline: bool,
                   comparator: str | None, mapped: set[str],
                   solved: set[str]) -> bool:
    """Old ``pin``: True where it did not take the joining branch at once."""
    mine = (comparator in solved) if comparator is not None else False
    return not (priming or not mine or MINE not in mapped
                or comparator is None or comparator not in mapped
                or foresight != "none" or is_baseline)


def old_counts_joined(priming: bool, foresight: str, is_baseline: bool) -> bool:
    """Old ``pin``'s condition for counting a join."""
    return not priming and foresight == "none" and not is_baseline


def old_patches(priming: bool, has_patch: bool, mapped: set[str], builder: str,
                fits: bool) -> bool:
    """Old ``program``: True where it wrote the LP from the patch."""
    return not (priming or not has_patch or MINE not in mapped
                or builder == "pyomo" or not fits)


def worker_state(priming: bool, mapped: set[str], solved: set[str]) -> SampleReuse:
    reuse = SampleReuse(SimpleNamespace(), ())  # type: ignore[arg-type]
    reuse.priming = priming
    reuse.sample = ThisSample((1.0,), set(mapped), {},
                              {}, {n: (None, None) for n in solved})  # type: ignore
    return reuse


# the comparator not mapped, mapped but not (yet) solved, mapped and solved: a
# solution is kept only for a mapped scenario (test below)
COMPARATOR_STATES = [(set(), set()), ({BASE}, set()), ({BASE}, {BASE})]


def test_pin_predicates_equal_the_old_conditions() -> None:
    seen = {True: 0, False: 0}
    for priming, foresight, is_baseline, comparator, mine_mapped, (theirs, solved) in (
            itertools.product([False, True], ["none", "perfect"], [False, True],
                              [None, BASE], [False, True], COMPARATOR_STATES)):
        mapped = theirs | ({MINE} if mine_mapped else set())
        reuse = worker_state(priming, mapped, solved)
        case: Any = SimpleNamespace(settings=SimpleNamespace(foresight=foresight))
        data: Any = SimpleNamespace(name=MINE, is_baseline=is_baseline)
        result: Any = None if comparator is None else SimpleNamespace(name=comparator)
        readable = reuse._pins_readable(case, data, result)
        expected = old_reads_pins(priming, foresight, is_baseline, comparator,
                                  mapped, solved)
        assert readable == expected
        assert reuse._pinned_here(case, data) == old_counts_joined(
            priming, foresight, is_baseline)
        seen[readable] += 1
    # by hand: readable only when not priming, foresight none, not the baseline,
    # a comparator, this scenario mapped and the comparator solved: 1 of 96
    assert seen == {True: 1, False: 95}


def test_patchable_equals_the_old_condition() -> None:
    patched = 0
    for priming, mine_mapped, builder, fits in itertools.product(
            [False, True], [False, True], ["numpy", "pyomo"], [False, True]):
        reuse = worker_state(priming, {MINE} if mine_mapped else set(), set())
        patch: Any = SimpleNamespace(fits=lambda values, ok=fits: ok)
        options: Any = SimpleNamespace(builder=builder)
        assert reuse._patchable(patch, MINE, options) == old_patches(
            priming, True, reuse.sample.mapped, builder, fits)
        patched += reuse._patchable(patch, MINE, options)
    # by hand: not priming, mapped, numpy and fitting values: 1 of 16
    assert patched == 1


class FakeWarm:
    """Stands for WarmStarts: each solve returns a new token."""

    def begin_sample(self) -> None:
        pass

    def solve(self, *args: object) -> object:
        return object()


def test_a_solution_is_kept_only_for_a_mapped_scenario() -> None:
    reuse = SampleReuse(SimpleNamespace(), (), warm=FakeWarm())  # type: ignore
    reuse.begin((1.0,))
    index: Any = object()
    reuse.sample.mapped.add(BASE)
    reuse.sample.indices[BASE] = index
    kept = reuse.solve(None, BASE, None, None, None)  # type: ignore[arg-type]
    reuse.solve(None, MINE, None, None, None)  # type: ignore[arg-type]
    assert reuse.sample.solved == {BASE: (index, kept)}
    reuse.begin((2.0,))  # a new sample keeps nothing of the last
    assert reuse.sample == ThisSample((2.0,))
