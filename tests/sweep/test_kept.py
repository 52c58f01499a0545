"""A sample's index mapped from the kept reference equals the index built from
the case with the draws applied as rules (model/sweep/kept.py).

The built index is the independent method: ``scenario_data`` and ``build_index``
run on the drawn case exactly as a cold sweep sample does. The mapping is checked
with values other than the probes it was found with, several inputs at once.
"""

from __future__ import annotations

from pathlib import Path

from model.data.case import Case, load_case
from model.sweep.kept import differences
from model.sweep.reuse import SampleReuse
from model.sweep.uncertainty import apply_draws, uncertain_inputs
from tests.helpers import write_case
from tests.sweep.cases import chain_tables

ROWS = [
    {"field": "demand", "target": "alliance", "distribution": "uniform",
     "low": 0.5, "high": 2.0},
    {"field": "demand", "distribution": "uniform", "low": 0.5, "high": 2.0},
    {"field": "capex", "distribution": "uniform", "low": 0.2, "high": 30},
    {"field": "variable_cost", "target": "china", "distribution": "uniform",
     "low": 0.5, "high": 20},
    {"field": "capacity", "target": "china", "distribution": "uniform",
     "low": 0.05, "high": 1.0},
    {"field": "route_cost", "distribution": "uniform", "low": 0.5, "high": 40},
    {"field": "penalty", "scenario": "embargo", "distribution": "uniform",
     "low": 0.01, "high": 2},
    {"field": "lead_time", "stage": "mining", "target": "alliance",
     "distribution": "uniform", "low": -1, "high": 3},
]


def primed(case: Case, names: tuple[str, ...] = ("baseline", "embargo")
           ) -> SampleReuse:
    """A worker's kept state for every input of ``case``, primed on ``names``
    (each scenario's reference index kept and its inputs mapped)."""
    reuse = SampleReuse(case, tuple(uncertain_inputs(case)))
    reuse.priming = True
    for name in names:
        reuse.index(case, name)
    reuse.priming = False
    return reuse


def test_a_mapped_index_is_the_built_one(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path / "c", chain_tables(ROWS)))
    reuse = primed(case)
    inputs = reuse.inputs
    # two demand rows on the same rows multiply (1.37 x 0.8); lead 2.4 -> +2 years
    values = (1.37, 0.8, 0.61, 3.3, 0.25, 7.5, 0.4, 2.4)
    drawn = apply_draws(case, list(inputs), list(values))
    for name in ("baseline", "embargo"):
        kept = reuse.kept(name)
        assert kept is not None and kept.mappable, kept and kept.reason
        assert kept.fits(values)
        mapped = kept.patched(values)
        built = reuse._built(drawn, name)[1]
        assert differences(mapped, built, rtol=1e-12) == []
    # the penalty row is the embargo's only: the baseline keeps no entries of it
    assert 6 not in reuse.kept("baseline").scales
    assert 6 in reuse.kept("embargo").scales


def test_a_sample_outside_the_mapping_is_rebuilt(tmp_path: Path) -> None:
    # a demand scale of 0 removes the demand rows (short exists where demand > 0)
    case = load_case(write_case(tmp_path / "c", chain_tables(ROWS[:1])))
    reuse = primed(case, ("baseline",))
    kept = reuse.kept("baseline")
    assert kept is not None and kept.mappable
    assert not kept.fits((0.0,))
    reuse.begin((0.0,))
    reuse.index(apply_draws(case, list(reuse.inputs), [0.0]), "baseline")
    assert reuse.counts == {"mapped": 0, "rebuilt": 1}
