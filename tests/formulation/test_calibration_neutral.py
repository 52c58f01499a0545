"""Property (MODEL-SPEC §8.3, issue 15): calibration changes nothing unless its
bands bind. A case without a calibration table builds the same LP as before (the
family adds no rows), and the same case with bands that every plan meets (an
activity within [0, 2 × 10⁸] t, a China share within [0, 1]) solves to the same
objective (1e-9 relative) through both builders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data, scenario_names
from model.pipeline import run_case
from model.solver.records import SolveOptions
from model.synth import SynthSpec, write_synthetic
from tests.formulation.test_frictions_neutral import _objectives


def _loose_bands(folder: Path) -> Path:
    """A calibration table whose bands no plan can leave: base-year activity of
    the first process (all regions) observed at 10⁸ t ± 100 %, and the China
    share of every commodity's supply to the alliance at 0.5 ± 100 %."""
    settings = pd.read_csv(folder / "settings.csv").set_index("key")["value"]
    year = int(settings["base_year"])
    process = pd.read_csv(folder / "processes.csv")["process"].iat[0]
    commodities = pd.read_csv(folder / "commodities.csv")["commodity"]
    rows = [{"year": year, "quantity": "activity", "process": process,
             "value": 1e8, "tolerance_pct": 100}]
    rows += [{"year": year, "quantity": "china_share", "commodity": c,
              "value": 0.5, "tolerance_pct": 100} for c in commodities]
    pd.DataFrame(rows).to_csv(folder / "calibration.csv", index=False)
    return folder


def test_no_calibration_table_adds_no_rows(tmp_path: Path) -> None:
    case = load_case(write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=1)))
    for name in scenario_names(case):
        assert build_index(scenario_data(case, name)).calibration.empty


@pytest.mark.parametrize("builder", ["numpy", "pyomo"])
def test_loose_calibration_solves_to_the_same_objective(tmp_path: Path,
                                                        builder: str) -> None:
    plain = write_synthetic(tmp_path / "plain", SynthSpec(4, 4, seed=1))
    loose = _loose_bands(write_synthetic(tmp_path / "loose",
                                         SynthSpec(4, 4, seed=1)))
    a, b = _objectives(plain, builder), _objectives(loose, builder)
    assert a.keys() == b.keys() and len(a) > 1
    for name, objective in a.items():
        assert b[name] == pytest.approx(objective, rel=1e-9), name
    fit = run_case(loose, None, None, SolveOptions(builder=builder)).tables[
        "calibration_fit"]
    # one fit row per calibration row, all in the baseline, all inside the band
    n_rows = len(pd.read_csv(loose / "calibration.csv"))
    assert len(fit) == n_rows and set(fit["scenario"]) == {"baseline"}
    assert (fit["gap_pct"].abs() <= 100 + 1e-6).all()
