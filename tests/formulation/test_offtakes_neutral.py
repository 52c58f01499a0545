"""Property (MODEL-SPEC §8.3): offtakes and price floors change nothing unless an
offtake can deliver. A case with price floors (any values) and with offtakes
that no seller can reach builds the same LP, array for array, as the case
without either table, and solves to the same objective through both builders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import run_case
from model.solver.records import SolveOptions
from model.synth import SynthSpec, write_synthetic
from tests.formulation.test_frictions_neutral import assert_same_lps


def _neutral_contracts(folder: Path, out: Path) -> Path:
    """``folder`` copied to ``out`` with a price floor on every alliance region's
    NdPr oxide (a floor never enters the LP) and an offtake whose only seller,
    a region of bloc ``other``, has no route to the buyer for that commodity."""
    shutil.copytree(folder, out)
    regions = pd.read_csv(out / "regions.csv")
    routes = pd.read_csv(out / "routes.csv")
    alliance = regions.loc[regions["bloc"] == "alliance", "region"]
    pd.DataFrame({"floor": [f"floor_{r}" for r in alliance], "region": alliance,
                  "commodity": "ox_NdPr", "floor_usd_per_t": 110_000,
                  "max_tpa": 500}).to_csv(out / "price_floors.csv", index=False)
    seller = regions.loc[regions["bloc"] == "other", "region"].iloc[0]
    linked = set(routes.loc[routes["origin"] == seller, "destination"])
    buyer = next(r for r in regions["region"] if r != seller and r not in linked)
    pd.DataFrame([{"offtake": "unreachable", "buyer": buyer, "seller": seller,
                   "commodity": "ox_NdPr", "price_usd_per_t": 1e6,
                   "max_tpa": 100}]).to_csv(out / "offtakes.csv", index=False)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_neutral_contracts_build_the_same_lp(tmp_path: Path, seed: int) -> None:
    plain = write_synthetic(tmp_path / "plain", SynthSpec(6, 4, seed=seed))
    neutral = _neutral_contracts(plain, tmp_path / "neutral")
    assert_same_lps(plain, neutral)


@pytest.mark.parametrize("builder", ["numpy", "pyomo"])
def test_neutral_contracts_solve_to_the_same_objective(tmp_path: Path,
                                                       builder: str) -> None:
    plain = write_synthetic(tmp_path / "plain", SynthSpec(6, 4, seed=1))
    neutral = _neutral_contracts(plain, tmp_path / "neutral")
    options = SolveOptions(builder=builder)
    a = {r.name: r for r in run_case(plain, None, None, options).scenarios}
    b = {r.name: r for r in run_case(neutral, None, None, options).scenarios}
    assert a.keys() == b.keys() and len(a) > 1
    for name, result in a.items():
        assert b[name].objective == pytest.approx(result.objective, rel=1e-9), name
        assert b[name].tables["offtake_sales"].empty
