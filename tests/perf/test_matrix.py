"""The numpy LP (model.formulation.matrix) equals the compiled Pyomo model exactly:
same columns, rows, coefficients, bounds, costs and order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data, scenario_names
from model.formulation import build_model
from model.formulation.matrix import assemble
from model.formulation.pyomo_model import compile_program
from model.synth import SynthSpec, write_synthetic
from tests.helpers import mine, one_commodity, settings, write_case

ARRAYS = ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_")
MATRIX = ("start_", "index_", "value_")


def assert_same_lp(index) -> None:  # noqa: ANN001
    model = build_model(index)
    pyomo_lp = compile_program(model)
    numpy_lp = assemble(index)
    a, b = pyomo_lp.lp, numpy_lp.lp
    assert (a.num_col_, a.num_row_) == (b.num_col_, b.num_row_)
    for name in ARRAYS:
        np.testing.assert_array_equal(np.asarray(getattr(a, name)),
                                      np.asarray(getattr(b, name)), err_msg=name)
    for name in MATRIX:
        np.testing.assert_array_equal(np.asarray(getattr(a.a_matrix_, name)),
                                      np.asarray(getattr(b.a_matrix_, name)),
                                      err_msg=name)
    assert a.offset_ == b.offset_
    for family, columns in pyomo_lp.column_of.items():
        np.testing.assert_array_equal(columns, numpy_lp.column_of[family])
    np.testing.assert_array_equal(pyomo_lp.rows_of("balance"),
                                  numpy_lp.rows_of("balance"))
    for name, block in numpy_lp.rows.items():
        assert model.row_keys[name][0].equals(block.keys)
        assert pyomo_lp.rows[name].first == block.first
    # rows of each constraint, as the standard-form compiler lays them out
    info = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=None)
    names = [row.constraint.parent_component().name for row in info.rows]
    for name, block in numpy_lp.rows.items():
        first, count = block.first, block.count
        assert names[first:first + count] == [name] * count
        assert len(getattr(model, name)) == count


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_scenarios_give_identical_lps(tmp_path: Path, seed: int) -> None:
    """Every rule kind (embargo, quota, scale, lead_time_add), stockpiles, reserves,
    retirements and per-year build limits occur in these cases."""
    case = load_case(write_synthetic(tmp_path / "c", SynthSpec(5, 5, seed=seed)))
    for name in scenario_names(case):
        assert_same_lp(build_index(scenario_data(case, name)))


def test_tiny_case_with_unused_columns(tmp_path: Path) -> None:
    """A stockpile of a commodity nobody uses and a zero-cost mine: columns that
    appear nowhere are dropped the same way, and the objective constant is kept."""
    proc, io = mine(cost=0.0, fom=5.0)
    folder = write_case(tmp_path / "t", {
        "settings": settings(2025, 2027, 0.05),
        "regions": [{"region": "A", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 3}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 2}],
        "stockpiles": [{"region": "A", "commodity": "ox", "initial_t": 1}],
    })
    assert_same_lp(build_index(scenario_data(load_case(folder), "baseline")))


def test_tiny_case_with_frictions(tmp_path: Path) -> None:
    """Hurdle rate, ramp-up of builds and of later capacity, and build-rate limits
    (a bloc, all regions, a schedule) give the same LP from both builders."""
    proc, io = mine(cost=1.0, capex=100.0, lead=1, life=5)
    proc["hurdle_rate"] = 0.15
    folder = write_case(tmp_path / "t", {
        "settings": settings(2025, 2029, 0.05),
        "regions": [{"region": "A", "bloc": "alliance"},
                    {"region": "B", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 3,
                      "online_year": 2027}],
        "expansion": [{"region": "A", "process": "mine"},
                      {"region": "B", "process": "mine"}],
        "routes": [{"origin": "B", "destination": "A", "cost_usd_per_t": 1}],
        "ramp_up": [{"stage": "mining", "year_in_service": 1, "fraction": 0.4},
                    {"stage": "mining", "year_in_service": 2, "fraction": 0.7}],
        "build_limits": [
            {"stage": "mining", "target": "alliance", "max_new_tpa_per_year": 2},
            {"stage": "mining", "max_new_tpa_per_year": 1, "from_year": 2028}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 5}],
    })
    assert_same_lp(build_index(scenario_data(load_case(folder), "baseline")))


def test_pinned_variables_of_foresight(tmp_path: Path) -> None:
    """Foresight fixes variables of several families (act, flow, build): the
    same LP from both builders."""
    proc, io = mine(cost=1.0, capex=10.0, lead=1)
    folder = write_case(tmp_path / "t", {
        "settings": settings(2025, 2027),
        "regions": [{"region": "A", "bloc": "alliance"},
                    {"region": "B", "bloc": "partner"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [io],
        "capacity": [{"region": "B", "process": "mine", "capacity_tpa": 3}],
        "expansion": [{"region": "A", "process": "mine"}],
        "routes": [{"origin": "B", "destination": "A", "cost_usd_per_t": 1}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 5}],
    })
    index = build_index(scenario_data(load_case(folder), "baseline"))
    free = assemble(index)
    index.pinned = pd.DataFrame({"variable": ["flow", "act", "build", "act"],
                                 "position": [0, 1, 0, 0],
                                 "value": [2.0, 3.0, 1.5, 0.0]})
    assert_same_lp(index)
    # the fixings are bounds (lower = upper = the given value), not rows: the
    # pinned LP has the free LP's rows and matrix, and only those 4 bounds differ
    pinned = assemble(index)
    assert pinned.lp.num_row_ == free.lp.num_row_
    for name in MATRIX:
        np.testing.assert_array_equal(np.asarray(getattr(pinned.lp.a_matrix_, name)),
                                      np.asarray(getattr(free.lp.a_matrix_, name)))
    columns = [pinned.column_of[f][p] for f, p in
               (("flow", 0), ("act", 1), ("build", 0), ("act", 0))]
    lower, upper = np.asarray(pinned.lp.col_lower_), np.asarray(pinned.lp.col_upper_)
    np.testing.assert_array_equal(lower[columns], [2.0, 3.0, 1.5, 0.0])
    np.testing.assert_array_equal(upper[columns], [2.0, 3.0, 1.5, 0.0])
    others = np.setdiff1d(np.arange(len(lower)), columns)
    np.testing.assert_array_equal(lower[others], 0.0)
    np.testing.assert_array_equal(upper[others],
                                  np.asarray(free.lp.col_upper_)[others])


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
def test_tiny_case_with_recycling_and_recipes(tmp_path: Path) -> None:
    """Collection from the stock in use (lifetimes, history, a growing rate
    ceiling, shortfall terms) and two recipes of one base process that can be
    built (builds in the recipes' capacity rows, siblings in the adoption rows):
    the same LP from both builders."""
    proc, io = mine(cost=5.0, capex=10.0, lead=1, life=5)
    collect, cio = mine("collect", cost=1.0, out="scr")
    recycle = {"process": "recycle", "stage": "recycling", "lead_time_years": 0,
               "lifetime_years": 30, "variable_cost_usd_per_t": 1}
    lean = {**proc, "process": "lean", "variable_cost_usd_per_t": 6.0}
    free = {**proc, "process": "free", "variable_cost_usd_per_t": 7.0}
    folder = write_case(tmp_path / "t", {
        "settings": settings(2025, 2029, 0.05),
        "regions": [{"region": "A", "bloc": "alliance"},
                    {"region": "B", "bloc": "alliance"}],
        "commodities": [*one_commodity(),
                        {"commodity": "scr", "kind": "scrap",
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [proc, collect, recycle, lean, free],
        "process_io": [io, cio,
                       {"process": "recycle", "commodity": "scr", "direction": "in",
                        "coefficient": 1},
                       {"process": "recycle", "commodity": "ox", "direction": "out",
                        "coefficient": 0.9},
                       {**io, "process": "lean"}, {**io, "process": "free"},
                       {"process": "free", "commodity": "scr", "direction": "in",
                        "coefficient": 0.1}],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 3},
                     {"region": "A", "process": "collect", "capacity_tpa": 9},
                     {"region": "B", "process": "collect", "capacity_tpa": 9},
                     {"region": "A", "process": "recycle", "capacity_tpa": 9}],
        "expansion": [{"region": "A", "process": "mine"},
                      {"region": "B", "process": "mine"}],
        "routes": [{"origin": "B", "destination": "A", "cost_usd_per_t": 1}],
        "ramp_up": [{"stage": "mining", "year_in_service": 1, "fraction": 0.5}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 5},
                   {"region": "B", "commodity": "ox", "year": 2025, "demand_t": 2}],
        "eol_lifetimes": [
            {"product": "ox", "scrap": "scr", "years_after": 1, "share": 0.1},
            {"product": "ox", "scrap": "scr", "years_after": 2, "share": 0.3}],
        "eol_history": [{"region": "A", "product": "ox", "year": 2024,
                         "delivered_t": 4}],
        "eol_collection": [
            {"scrap": "scr", "max_rate": 0.5, "start_rate": 0.1,
             "growth_per_year": 0.15},
            {"scrap": "scr", "target": "B", "max_rate": 0.2}],
        "recipes": [{"recipe": "lean", "process": "mine", "ready_year": 2026,
                     "adoption_per_year": 0.2, "max_share": 0.5},
                    {"recipe": "free", "process": "mine", "max_share": 0.3}],
    })
    index = build_index(scenario_data(load_case(folder), "baseline"))
    assert len(index.recipe_act) and len(index.collection)
    assert_same_lp(index)
