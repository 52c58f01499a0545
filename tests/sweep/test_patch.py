"""A sample's LP written into the kept HiGHS instance equals the LP ``assemble``
gives for the sample (model/sweep/patch.py).

The independent method: the sample's index is built from scratch (the case with
the draws applied as rules, its scenario data indexed from the widest build window
as the worker does, and under foresight none the comparator solved cold and its
early decisions fixed), ``assemble`` makes its LP, and every array of it is
compared with what the worker's HiGHS instance holds after the sample (``getLp``).
The numbers may differ only by rounding: the map multiplies the builder's product
by the drawn value, the builder multiplies the drawn value into an index number
first (RTOL = 1e-12 relative).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation.matrix import assemble
from model.results import bottlenecks
from model.results.extract import ScenarioResult, extract_all
from model.scenario_run import pin_early_decisions, solve_scenario
from model.solver.records import SolveOptions
from model.solver.warm import LpArrays
from model.sweep import worker
from model.sweep.patch import RTOL, arrays_differ
from model.sweep.reuse import SampleReuse
from model.sweep.uncertainty import apply_draws
from model.sweep.worker import SampleTask, run_sample
from model.timing import PhaseTimer
from tests.helpers import write_case
from tests.sweep.cases import chain_tables
from tests.sweep.test_kept import ROWS, primed
from tests.sweep.test_warm import KINDS, context


def assembled(reuse: SampleReuse, values: tuple[float, ...], name: str,
              foresight: bool) -> LpArrays:
    """The sample's LP of scenario ``name``, built from scratch."""
    case = apply_draws(reuse.case, list(reuse.inputs), list(values))
    data = scenario_data(case, name)
    reuse.prepare(data)
    index = build_index(data)
    if foresight and not data.is_baseline:
        comparator = solve_scenario(case, "baseline", SolveOptions(), PhaseTimer())
        pin_early_decisions(case, data, index, comparator)
    program = assemble(index)
    assert program.lp is not None
    return LpArrays.of(program.lp)


def held(reuse: SampleReuse, name: str) -> LpArrays:
    return LpArrays.of(reuse.warm._held[name].highs.getLp())


CASES = [(kind, "perfect") for kind in KINDS] + [("lead_time", "none")]


@pytest.mark.parametrize(("kind", "foresight"), CASES)
def test_the_patched_instance_holds_the_assembled_lp(tmp_path: Path, kind: str,
                                                     foresight: str) -> None:
    row, draws = KINDS[kind]
    worker._KEPT.clear()  # a fresh worker: counts from this test only
    warm = context(tmp_path, row, True, foresight=foresight)
    for sample, value in enumerate(draws):
        run_sample(warm, SampleTask(sample, (value,)))
        reuse = worker.worker_reuse(warm)
        assert reuse is not None
        for name in ("baseline", "embargo"):
            want = assembled(reuse, (value,), name, foresight == "none")
            assert arrays_differ(held(reuse, name), want, RTOL) == [], (
                kind, value, name)
    # every sample's LP was written from the map, none assembled, and under
    # foresight none the embargo's fixings read from the baseline's solution
    assert reuse.lp_counts == {"patched": 2 * len(draws), "assembled": 0}
    read = len(draws) if foresight == "none" else 0
    assert reuse.pin_counts == {"read": read, "joined": 0}
    # and the map moves something: every kind acts on the baseline's LP (the
    # embargo has no route from cn to move)
    patch = reuse.patch("baseline")
    assert patch is not None and patch.mappable, patch and patch.reason
    assert patch.scales or patch.leads


def test_a_sample_the_map_cannot_express_is_assembled(tmp_path: Path) -> None:
    # a demand scale of 0 removes the demand rows' numbers the map multiplies
    # (kept.py refuses values <= 0): the sample is indexed and assembled again,
    # and the instance still holds the assembled LP
    row = {"field": "demand", "target": "alliance", "distribution": "uniform",
           "low": 0.0, "high": 2.0}
    worker._KEPT.clear()  # a fresh worker: counts from this test only
    warm = context(tmp_path, row, True)
    run_sample(warm, SampleTask(0, (0.0,)))
    reuse = worker.worker_reuse(warm)
    assert reuse is not None
    assert reuse.lp_counts == {"patched": 0, "assembled": 2}
    run_sample(warm, SampleTask(1, (1.5,)))
    assert reuse.lp_counts == {"patched": 2, "assembled": 2}
    for name in ("baseline", "embargo"):
        want = assembled(reuse, (1.5,), name, False)
        assert arrays_differ(held(reuse, name), want, RTOL) == [], name


def test_several_inputs_at_once_give_the_assembled_lp(tmp_path: Path) -> None:
    # every kind of input of tests/sweep/test_kept.py at once, with values other
    # than the probes the map was found with: two demand inputs on the same rows
    # multiply (1.37 x 0.8), the lead time 2.4 moves the mine's builds 2 years
    case = load_case(write_case(tmp_path / "c", chain_tables(ROWS)))
    reuse = primed(case)
    values = (1.37, 0.8, 0.61, 3.3, 0.25, 7.5, 0.4, 2.4)
    for name in ("baseline", "embargo"):
        patch, kept = reuse.patch(name), reuse.kept(name)
        assert patch is not None and kept is not None
        assert patch.fits(values), patch.reason
        _, mapped = patch.sample(values, kept.patched(values))
        want = assembled(reuse, values, name, False)
        assert arrays_differ(mapped, want, RTOL) == [], name
    # every input but the embargo's penalty moves the baseline's LP
    assert sorted(reuse.patch("baseline").scales) == [0, 1, 2, 3, 4, 5]
    assert reuse.patch("baseline").leads == ("build",)


def test_fixings_read_from_the_solution_are_the_joined_ones(tmp_path: Path) -> None:
    # the embargo's fixings under foresight none, read from the baseline's
    # solution (model/sweep/pins.py), equal those pin_to_comparator joins through
    # the baseline's tidy tables made from the same solution (the cold path)
    row, draws = KINDS["lead_time"]
    worker._KEPT.clear()  # a fresh worker: counts from this test only
    warm = context(tmp_path, row, True, foresight="none")
    for sample, value in enumerate(draws):
        run_sample(warm, SampleTask(sample, (value,)))
        reuse = worker.worker_reuse(warm)
        assert reuse is not None
        theirs, solution = reuse.sample.solved["baseline"]
        tables = extract_all(theirs, solution, "baseline")
        tables["build_options"] = bottlenecks.build_options(theirs, "baseline")
        comparator = ScenarioResult("baseline", True, "optimal", solution.objective,
                                    tables, {}, {})
        kept = reuse.kept("embargo")
        assert kept is not None
        joined = kept.patched((value,))
        pin_early_decisions(warm.case, kept.data, joined, comparator)
        read = reuse._plans["embargo"].pinned(kept.patched((value,)), theirs,
                                              solution)
        assert read is not None and len(read) == len(joined.pinned) > 0
        pd.testing.assert_frame_equal(read, joined.pinned, check_dtype=False)
    assert reuse.pin_counts == {"read": len(draws), "joined": 0}
