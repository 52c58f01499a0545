"""Every constraint and variable is documented and covered by a formulation test."""

from __future__ import annotations

import re
from pathlib import Path

import pyomo.environ as pyo

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation import build_model
from model.formulation.registry import BOUNDS, CONSTRAINTS, VARIABLES
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
    # 9 variable families, 12 constraint families, 1 objective (a bound family,
    # foresight, fixes variables' bounds and adds no component)
    assert len(components) == 22
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
    for family in BOUNDS:
        module, column = BOUNDS_COVERED_BY[family.name]
        assert f"`{family.name}`" in doc, f"{family.name} not in the doc"
        text = (ROOT / "tests" / "formulation" / f"test_{module}.py").read_text()
        assert column in text, f"{family.name}: test_{module}.py never sets {column}"


COVERED_BY = {
    "balance": ("balance", "coefficient"),
    "capacity_limit": ("capacity", "capacity_tpa"),
    "expansion_total": ("expansion", "max_new_tpa"),
    "reserve_limit": ("resources", "reserve_t"),
    "stock_evolution": ("resources", "initial_t"),
    "export_quota": ("trade", "export_quota"),
    "build_rate": ("build_rate", "max_new_tpa_per_year"),
    "offtake_max": ("offtakes", "max_tpa"),
    "offtake_min": ("offtakes", "min_tpa"),
    "collection": ("collection", "growth_per_year"),
    "adoption": ("adoption", "adoption_per_year"),
    "calibration": ("calibration", "tolerance_pct"),
    "total_cost": ("objective", "capex"),
}
BOUNDS_COVERED_BY = {"foresight": ("foresight", "foresight")}


SENSE_IN_DOC = {"==": "=", "<=": "≤", ">=": "≥"}
SENSE_IN_MATH = {"==": "=", "<=": r"\le", ">=": r"\ge"}


def _sections(doc: str) -> list[tuple[str, str]]:
    """(heading, body) of every '## ' section of the doc, in order."""
    parts = re.split(r"^## (.*)$", doc, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_the_formulation_doc_matches_the_declarations() -> None:
    """docs/formulation.md has a section per constraint family, in row order, whose
    equation has the declared sense (as has the family's docstring math), one per
    bound family, and
    states every variable's upper bound with its input column."""
    doc = (ROOT / "docs" / "formulation.md").read_text(encoding="utf-8")
    sections = _sections(doc)
    found = []
    for family in CONSTRAINTS:
        tag = f"`{family.rows.__name__}` (constraint `{family.name}`)"
        (heading, body), = [(h, b) for h, b in sections if tag in h]
        found.append(heading)
        equation = next(line for line in body.splitlines() if line.strip())
        assert SENSE_IN_DOC[family.sense] in equation, (family.name, equation)
        assert "Math:" in family.math and SENSE_IN_MATH[family.sense] in family.math
        assert family.doc, family.name
    headings = [h for h, _ in sections]
    assert found == sorted(found, key=headings.index), "sections not in row order"
    for bounds in BOUNDS:  # fixings: an equation "=" in the doc and the math
        tag = f"`{bounds.fixed.__name__}` (bounds `{bounds.name}`)"
        (heading, body), = [(h, b) for h, b in sections if tag in h]
        equation = next(line for line in body.splitlines() if line.strip())
        assert "=" in equation and "Math:" in bounds.math and "=" in bounds.math
        assert bounds.doc, bounds.name
    (variables,) = [b for h, b in sections if h.startswith("1. Variables")]
    flat = " ".join(variables.split())
    for var in VARIABLES:
        assert f"`m.{var.name}`" in variables, var.name
        if var.upper is not None:
            assert var.bound, f"{var.name} has an upper bound without its column"
            stated = rf"\*\*{var.name}\*\*\S* ≤ [^()]*\(`{re.escape(var.bound)}`"
            assert re.search(stated, flat), f"the bound of {var.name} is not documented"
