"""Every constraint and variable is documented and covered by a formulation test."""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation import build_model
from tests.helpers import mine, one_commodity, write_case

ROOT = Path(__file__).resolve().parents[2]


def test_every_component_is_documented_and_tested(tmp_path: Path) -> None:
    proc, out = mine(cost=1)
    case = load_case(write_case(tmp_path / "c", {
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(), "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 1}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 1}],
    }))
    m = build_model(build_index(scenario_data(case, "baseline")))
    doc = (ROOT / "docs" / "formulation.md").read_text(encoding="utf-8")
    components = list(m.component_objects((pyo.Var, pyo.Constraint, pyo.Objective)))
    # 7 variable families, 6 constraint families, 1 objective
    assert len(components) == 14
    for component in components:
        name = component.local_name
        assert component.doc, f"{name} has no doc"
        assert f"`{name}`" in doc or f"`m.{name}`" in doc, f"{name} not in the doc"
    # each constraint family and the objective: its test module exists and
    # exercises the input column the family is built from
    for name, (module, column) in COVERED_BY.items():
        assert hasattr(m, name), f"{name} is not built"
        text = (ROOT / "tests" / "formulation" / f"test_{module}.py").read_text()
        assert column in text, f"{name}: test_{module}.py never sets {column}"


COVERED_BY = {
    "balance": ("balance", "coefficient"),
    "capacity_limit": ("capacity", "capacity_tpa"),
    "expansion_total": ("expansion", "max_new_tpa"),
    "reserve_limit": ("resources", "reserve_t"),
    "stock_evolution": ("resources", "initial_t"),
    "export_quota": ("trade", "export_quota"),
    "total_cost": ("objective", "capex"),
}
