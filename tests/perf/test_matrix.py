"""The numpy LP (model.formulation.matrix) equals the compiled Pyomo model exactly
on the synthetic cases (same columns, rows, coefficients, bounds, costs and
order; ``tests.helpers.assert_same_lp``). The small hand-made and loaded cases of
both builders are in tests/formulation/test_builders.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data, scenario_names
from model.synth import SynthSpec, write_synthetic
from tests.helpers import assert_same_lp


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_scenarios_give_identical_lps(tmp_path: Path, seed: int) -> None:
    """Every rule kind (embargo, quota, scale, lead_time_add), stockpiles, reserves,
    retirements and per-year build limits occur in these cases."""
    case = load_case(write_synthetic(tmp_path / "c", SynthSpec(5, 5, seed=seed)))
    for name in scenario_names(case):
        assert_same_lp(build_index(scenario_data(case, name)))


def _with_contracts(folder: Path) -> Path:
    """The synthetic case with offtakes — China buying NdPr oxide from the
    alliance (cut by the embargo scenarios), a take-or-pay offtake from any
    region and one from a partner to an alliance buyer (an export out of the
    partner bloc, counted by export quotas) — and a price floor."""
    pd.DataFrame([
        {"offtake": "cn_ndpr", "buyer": "CN", "seller": "alliance",
         "commodity": "ox_NdPr", "price_usd_per_t": 90_000, "max_tpa": 500},
        {"offtake": "any_dy", "buyer": "R001", "seller": "",
         "commodity": "ox_Dy", "price_usd_per_t": 300_000, "min_tpa": 2,
         "max_tpa": 10, "from_year": 2026},
        {"offtake": "partner_nd", "buyer": "R001", "seller": "partner",
         "commodity": "ox_NdPr", "price_usd_per_t": 70_000, "max_tpa": 100,
         "to_year": 2027},
    ]).to_csv(folder / "offtakes.csv", index=False)
    pd.DataFrame([{"floor": "f", "region": "R001", "commodity": "ox_NdPr",
                   "floor_usd_per_t": 110_000, "max_tpa": 1000}]).to_csv(
        folder / "price_floors.csv", index=False)
    rules = pd.read_csv(folder / "scenario_rules.csv")
    quota = pd.DataFrame([{"scenario": "quota", "rule": "export_quota",
                           "target": "partner", "value": 20, "from_year": 2026}])
    pd.concat([rules, quota]).to_csv(folder / "scenario_rules.csv", index=False)
    return folder


@pytest.mark.parametrize("seed", [1, 2])
def test_offtakes_give_identical_lps(tmp_path: Path, seed: int) -> None:
    """Offtake deliveries, take-or-pay shortfall and their two constraint
    families, under embargoes and export quotas, in both builders."""
    folder = _with_contracts(write_synthetic(tmp_path / "c", SynthSpec(5, 5,
                                                                        seed=seed)))
    case = load_case(folder)
    sizes = []
    for name in scenario_names(case):
        index = build_index(scenario_data(case, name))
        sizes.append((len(index.sale), len(index.sale_short)))
        assert_same_lp(index)
    # the families are really there: deliveries in every scenario, and fewer
    # where the embargo cuts China's offtake; take-or-pay rows for 2026-2029
    assert all(n > 0 for n, _ in sizes) and {s for _, s in sizes} == {4}
    assert len({n for n, _ in sizes}) > 1
