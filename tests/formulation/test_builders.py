"""Both builders and the instance they read (model/formulation/instance.py,
matrix.py, pyomo_model.py), no solve.

A hand-made ``Instance`` (every sense, an empty family, a column that appears
nowhere, a column with a cost only, a fixed column) goes through both builders
and each LP is compared, array by array, with the LP written down by hand. Small
loaded cases (``tests.helpers.loaded_index``: loaded once per process) give the
instance and the numpy LP derived by hand, and the two builders' LPs compared
with each other (``tests.helpers.assert_same_lp``: the other builder is the
independent method). The large synthetic cases are compared in
tests/perf/test_matrix.py.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest

from model.errors import SolveError
from model.formulation import pyomo_model
from model.formulation.declare import Block, VariableFamily
from model.formulation.instance import Instance, instantiate
from model.formulation.matrix import assemble, to_program, used_columns
from model.formulation.objective import DOC as OBJECTIVE_DOC
from model.formulation.objective import NAME as OBJECTIVE
from model.formulation.registry import CONSTRAINTS, VARIABLES
from model.solver.records import LinearProgram
from tests.helpers import assert_same_lp, dense, loaded_index, mine, one_commodity
from tests.helpers import settings

INF = np.inf

# ---------------------------------------------------------------- hand-made
# Variables (uncompressed columns): x = [x0, x1] (no upper bound), y = [y0, y1]
# (upper 5 and none), z = [z0] (fixed at 1.5 by a bound family). Costs: x0 2,
# z0 3, the others 0; objective constant 7.5. Rows:
#   eq (==):  x0 + 2 y0        = 4
#   le (<=):  y0 - y1          <= 1
#             x0 + y1          <= 6
#   none (<=): no row
#   ge (>=):  y0 + 3 x0        >= 2   (terms declared y0 first)
# x1 appears in no row and costs nothing: dropped. z0 appears in no row but
# costs 3: kept. LP columns: x0 -> 0, y0 -> 1, y1 -> 2, z0 -> 3; rows: eq 0,
# le 1-2, none (none, first 3), ge 3.
HAND_COST = [2.0, 0.0, 0.0, 3.0]
HAND_LOWER = [0.0, 0.0, 0.0, 1.5]
HAND_UPPER = [INF, 5.0, INF, 1.5]
HAND_ROW_LOWER = [4.0, -INF, -INF, 2.0]
HAND_ROW_UPPER = [4.0, 1.0, 6.0, INF]
HAND_MATRIX = [[1.0, 2.0, 0.0, 0.0],   # eq: x0 + 2 y0
               [0.0, 1.0, -1.0, 0.0],  # le 1: y0 - y1
               [1.0, 0.0, 1.0, 0.0],   # le 2: x0 + y1
               [3.0, 1.0, 0.0, 0.0]]   # ge: 3 x0 + y0
HAND_COLUMN_OF = {"x": [0, -1], "y": [1, 2], "z": [3]}
HAND_FIRST_ROW = {"eq": 0, "le": 1, "none": 3, "ge": 3}
HAND_DOCS = {"x": "x doc [t]", "y": "y doc [t]", "z": "z doc [t]"}


def _keys(*names: str) -> pd.DataFrame:
    return pd.DataFrame({"k": list(names)}, dtype=object)


def _block(name: str, sense: str, keys: pd.DataFrame, rhs: list[float],
           row: list[int], column: list[int], coef: list[float]) -> Block:
    return Block(name, sense, f"{name} doc", keys, np.asarray(rhs, dtype=float),
                 np.asarray(row, dtype=np.int64), np.asarray(column, dtype=np.int64),
                 np.asarray(coef, dtype=float))


def _hand_instance(*extra: Block) -> Instance:
    frames = {"x": _keys("x0", "x1"), "y": _keys("y0", "y1"), "z": _keys("z0")}
    variables = (
        VariableFamily("x", lambda ix: frames["x"], HAND_DOCS["x"]),
        VariableFamily("y", lambda ix: frames["y"], HAND_DOCS["y"],
                       upper=lambda ix: np.array([5.0, np.nan])),
        VariableFamily("z", lambda ix: frames["z"], HAND_DOCS["z"]))
    blocks = [
        _block("eq", "==", _keys("e1"), [4.0], [0, 0], [0, 2], [1.0, 2.0]),
        _block("le", "<=", _keys("l1", "l2"), [1.0, 6.0], [0, 0, 1, 1],
               [2, 3, 0, 3], [1.0, -1.0, 1.0, 1.0]),
        _block("none", "<=", _keys(), [], [], [], []),
        _block("ge", ">=", _keys("g1"), [2.0], [0, 0], [2, 0], [1.0, 3.0]),
        *extra]
    return Instance(variables, {"x": 0, "y": 2, "z": 4}, {"x": 2, "y": 2, "z": 1},
                    frames, upper=np.array([INF, INF, 5.0, INF, 1.5]),
                    lower=np.array([0.0, 0.0, 0.0, 0.0, 1.5]),
                    cost=np.array([2.0, 0.0, 0.0, 0.0, 3.0]), offset=7.5,
                    blocks=blocks)


def _pyomo_of(inst: Instance, monkeypatch: pytest.MonkeyPatch,
              name: str = "hand") -> pyo.ConcreteModel:
    """The Pyomo model ``build_model`` makes of ``inst`` (in place of the
    instance of an index)."""
    monkeypatch.setattr(pyomo_model, "instantiate", lambda ix: inst)
    return pyomo_model.build_model(None, name)  # type: ignore[arg-type]


def _assert_hand_lp(got: LinearProgram, inst: Instance) -> None:
    lp = got.lp
    assert (lp.num_col_, lp.num_row_) == (4, 4)
    np.testing.assert_array_equal(lp.col_cost_, HAND_COST)
    np.testing.assert_array_equal(lp.col_lower_, HAND_LOWER)
    np.testing.assert_array_equal(lp.col_upper_, HAND_UPPER)
    np.testing.assert_array_equal(lp.row_lower_, HAND_ROW_LOWER)
    np.testing.assert_array_equal(lp.row_upper_, HAND_ROW_UPPER)
    np.testing.assert_array_equal(dense(lp), HAND_MATRIX)
    assert lp.offset_ == 7.5
    assert {f: c.tolist() for f, c in got.column_of.items()} == HAND_COLUMN_OF
    assert {n: b.first for n, b in got.rows.items()} == HAND_FIRST_ROW
    for block in inst.blocks:
        assert got.rows[block.name].keys.equals(block.keys)
        np.testing.assert_array_equal(got.rows[block.name].rhs, block.rhs)
    assert set(got.column_keys) == {"x", "y", "z"}
    for family, frame in inst.column_keys.items():
        assert got.column_keys[family].equals(frame)


def test_numpy_lp_of_a_hand_made_instance() -> None:
    inst = _hand_instance()
    assert inst.n_columns == 5  # 2 + 2 + 1
    # x1 (uncompressed column 1) is dropped; the others keep their order
    assert used_columns(inst).tolist() == [0, -1, 1, 2, 3]
    _assert_hand_lp(to_program(inst), inst)


def test_pyomo_lp_of_a_hand_made_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = _hand_instance()
    m = _pyomo_of(inst, monkeypatch)
    _assert_hand_lp(pyomo_model.compile_program(m), inst)


def test_pyomo_model_of_a_hand_made_instance(monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    # What the Pyomo model holds beyond the compiled LP: one Var per variable
    # family (all of its variables, also x1 that no row uses, in order), one
    # Constraint per block, each with its declaration's doc; the objective; the
    # keys of every row and column; the scenario's name.
    inst = _hand_instance()
    m = _pyomo_of(inst, monkeypatch, "scenario a")
    assert m.name == "scenario a"
    variables = list(m.component_objects(pyo.Var, descend_into=False))
    assert [(v.local_name, len(v), v.doc) for v in variables] == [
        ("x", 2, "x doc [t]"), ("y", 2, "y doc [t]"), ("z", 1, "z doc [t]")]
    # bounds as declared: x none (non-negative), y0 <= 5, z0 fixed at 1.5
    assert [(v.lb, v.ub) for v in m.x.values()] == [(0, None), (0, None)]
    assert [(v.lb, v.ub) for v in m.y.values()] == [(0.0, 5.0), (0.0, None)]
    assert (m.z[0].lb, m.z[0].ub) == (1.5, 1.5)
    # every variable non-negative by its domain, also those given bounds
    assert all(v.domain is pyo.NonNegativeReals
               for family in variables for v in family.values())
    constraints = list(m.component_objects(pyo.Constraint, descend_into=False))
    assert [(c.local_name, len(c), c.doc) for c in constraints] == [
        ("eq", 1, "eq doc"), ("le", 2, "le doc"), ("none", 0, "none doc"),
        ("ge", 1, "ge doc")]
    objective = getattr(m, OBJECTIVE)
    assert objective.doc == OBJECTIVE_DOC and objective.sense == pyo.minimize
    # at x0 = 1, y0 = 2, z0 = 1.5: 2 x 1 + 3 x 1.5 + 7.5 = 14
    m.x[0].set_value(1.0)
    m.y[0].set_value(2.0)
    m.z[0].set_value(1.5)
    assert pyo.value(objective) == 14.0
    # row bodies at y1 = 0.5: eq 1 + 4 = 5, le 2 - 0.5 = 1.5 and 1 + 0.5 = 1.5,
    # ge 2 + 3 = 5
    m.y[1].set_value(0.5)
    assert [pyo.value(c.body) for c in (m.eq[0], m.le[0], m.le[1], m.ge[0])] == [
        5.0, 1.5, 1.5, 5.0]
    for block in inst.blocks:
        keys, rhs = m.row_keys[block.name]
        assert keys.equals(block.keys)
        np.testing.assert_array_equal(rhs, block.rhs)
    assert m.column_keys is inst.column_keys


def test_a_row_no_variable_can_satisfy_is_an_infeasible_scenario(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A row without terms and right-hand side -1 (0 <= -1): the standard-form
    # compiler finds it infeasible; the Pyomo builder reports the scenario
    # infeasible by its name, the detail naming the row (bad[0]). The numpy
    # builder passes it on as an empty row with bounds (-inf, -1), for HiGHS to
    # find infeasible.
    bad = _block("bad", "<=", _keys("b1"), [-1.0], [], [], [])
    inst = _hand_instance(bad)
    with pytest.raises(SolveError) as error:
        pyomo_model.compile_program(_pyomo_of(inst, monkeypatch, "embargo"))
    assert (error.value.scenario, error.value.condition) == ("embargo", "infeasible")
    assert "'bad[0]'" in error.value.detail
    lp = to_program(inst).lp
    assert (lp.num_row_, lp.row_lower_[4], lp.row_upper_[4]) == (5, -INF, -1.0)
    assert not dense(lp)[4].any()


# ------------------------------------------------------------- small cases
def _small_tables() -> dict[str, list[dict[str, object]]]:
    m, out = mine("mine", cost=10, fom=5)
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [m], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 3}],
        "expansion": [{"region": "a", "process": "mine",
                       "max_new_tpa_per_year": 2}],
        "routes": [{"origin": "a", "destination": "b", "cost_usd_per_t": 1}],
        "stockpiles": [{"region": "b", "commodity": "ox", "initial_t": 1,
                        "max_release_tpa": 0.5, "release_cost_usd_per_t": 2}],
        "demand": [{"region": "b", "commodity": "ox", "year": 2025, "demand_t": 4},
                   {"region": "b", "commodity": "ox", "year": 2026,
                    "demand_t": 6}],
    }


# The small case, 2025-26 at a 0 % rate: a mine in a (10 USD/t, fixed O&M 5
# USD/tpa, 3 tpa existing, up to 2 tpa built a year), a route a -> b (1 USD/t),
# in b a stockpile (1 t, released at 2 USD/t, at most 0.5 t a year) and demand
# 4 t, 6 t (penalty 1000). One variable per year of each family (surplus: a, b
# in each year; no offtakes): columns act 0-1, build 2-3, flow 4-5, release
# 6-7, short 8-9, surplus 10-13 (a25, a26, b25, b26), stock 14-15.
SMALL_FIRST = {"act": 0, "build": 2, "flow": 4, "release": 6, "short": 8,
               "surplus": 10, "stock": 14, "sale": 16, "sale_short": 16}
SMALL_SIZE = {"act": 2, "build": 2, "flow": 2, "release": 2, "short": 2,
              "surplus": 4, "stock": 2, "sale": 0, "sale_short": 0}
# upper: builds 2 a year, releases 0.5, shortfall at most the demand
SMALL_UPPER = [INF, INF, 2, 2, INF, INF, 0.5, 0.5, 4, 6, *[INF] * 6]
# cost: act 10, build = fixed O&M x years in service (2025: 2 x 5, 2026: 5; no
# capex), flow 1, release 2, short 1000, surplus and stock nothing
SMALL_COST = [10, 10, 10, 5, 1, 1, 2, 2, 1000, 1000, *[0] * 6]
# constant: fixed O&M of the existing 3 tpa in both years: 3 x 5 x 2 = 30
SMALL_OFFSET = 30.0
# rows: balance (a25, a26, b25, b26), capacity_limit (a mine 25, 26),
# stock_evolution (b 25, 26); no other family has a row
#   a_y:  act_y - flow_y - surplus_a_y = 0
#   b_y:  flow_y + release_y + short_y - surplus_b_y = demand_y
#   cap 2025: act_25 - build_25 <= 3; 2026: act_26 - build_25 - build_26 <= 3
#   stock 2025: stock_25 + release_25 = 1 (initial); 2026: stock_26 - stock_25
#   + release_26 = 0
SMALL_ROWS = {"balance": 4, "capacity_limit": 2, "stock_evolution": 2}
SMALL_ROW_LOWER = [0, 0, 4, 6, -INF, -INF, 1, 0]
SMALL_ROW_UPPER = [0, 0, 4, 6, 3, 3, 1, 0]


def _small_matrix() -> np.ndarray:
    a = np.zeros((8, 16))
    for year in (0, 1):
        a[year, [year, 4 + year, 10 + year]] = [1, -1, -1]
        a[2 + year, [4 + year, 6 + year, 8 + year, 12 + year]] = [1, 1, 1, -1]
    a[4, [0, 2]] = [1, -1]
    a[5, [1, 2, 3]] = [1, -1, -1]
    a[6, [14, 6]] = [1, 1]
    a[7, [15, 14, 7]] = [1, -1, 1]
    return a


def test_instance_of_a_small_case_by_hand() -> None:
    ix = loaded_index(_small_tables)
    inst = instantiate(ix)
    assert [v.name for v in inst.variables] == [v.name for v in VARIABLES]
    assert inst.first == SMALL_FIRST and inst.size == SMALL_SIZE
    assert inst.n_columns == 16
    for name, frame in inst.column_keys.items():
        assert len(frame) == SMALL_SIZE[name]
    assert inst.column_keys["surplus"][["region", "year"]].values.tolist() == [
        ["a", 2025], ["a", 2026], ["b", 2025], ["b", 2026]]
    np.testing.assert_array_equal(inst.upper, SMALL_UPPER)
    np.testing.assert_array_equal(inst.lower, np.zeros(16))
    np.testing.assert_array_equal(inst.cost, SMALL_COST)
    assert inst.offset == SMALL_OFFSET
    assert [b.name for b in inst.blocks] == [c.name for c in CONSTRAINTS]
    assert {b.name: len(b.keys) for b in inst.blocks if len(b.keys)} == SMALL_ROWS


def test_numpy_lp_of_a_small_case_by_hand() -> None:
    # every column appears in a row: none is dropped
    got = assemble(loaded_index(_small_tables))
    lp = got.lp
    assert (lp.num_col_, lp.num_row_) == (16, 8)
    np.testing.assert_array_equal(lp.col_cost_, SMALL_COST)
    np.testing.assert_array_equal(lp.col_lower_, np.zeros(16))
    np.testing.assert_array_equal(lp.col_upper_, SMALL_UPPER)
    np.testing.assert_array_equal(lp.row_lower_, SMALL_ROW_LOWER)
    np.testing.assert_array_equal(lp.row_upper_, SMALL_ROW_UPPER)
    np.testing.assert_array_equal(dense(lp), _small_matrix())
    assert lp.offset_ == SMALL_OFFSET
    for name, first in SMALL_FIRST.items():
        np.testing.assert_array_equal(got.column_of[name],
                                      np.arange(first, first + SMALL_SIZE[name]))
    assert {n: (b.first, b.count) for n, b in got.rows.items() if b.count} == {
        "balance": (0, 4), "capacity_limit": (4, 2), "stock_evolution": (6, 2)}


def _pinned_small() -> object:
    """The small case with act 2025 pinned at 1, build 2026 at 2.5 (above its
    upper bound 2), flow 2026 at 0.7 and release 2025 at -1e-9 (below 0, as a
    solver's tolerance may leave it): on a copy of the index loaded once."""
    ix = copy.copy(loaded_index(_small_tables))
    ix.pinned = pd.DataFrame({"variable": ["act", "build", "flow", "release"],
                              "position": [0, 1, 1, 0],
                              "value": [1.0, 2.5, 0.7, -1e-9]})
    return ix


def test_instance_fixes_pinned_variables_within_their_bounds() -> None:
    # act_25 (column 0) at 1; build_26 (column 3) at its upper bound 2, not 2.5;
    # flow_26 (column 5) at 0.7; release_25 (column 6) at 0, not -1e-9. Nothing
    # else moves, and the rows stay as they are (fixings are bounds).
    inst = instantiate(_pinned_small())
    lower, upper = np.zeros(16), np.array(SMALL_UPPER, dtype=float)
    lower[[0, 3, 5, 6]] = upper[[0, 3, 5, 6]] = [1.0, 2.0, 0.7, 0.0]
    np.testing.assert_array_equal(inst.lower, lower)
    np.testing.assert_array_equal(inst.upper, upper)
    lp = assemble(_pinned_small()).lp
    np.testing.assert_array_equal(lp.col_lower_, lower)
    np.testing.assert_array_equal(lp.col_upper_, upper)
    np.testing.assert_array_equal(dense(lp), _small_matrix())


def _unused_tables() -> dict[str, list[dict[str, object]]]:
    """A stockpile of a commodity nobody uses and a zero-cost mine, at 5 %."""
    proc, io = mine(cost=0.0, fom=5.0)
    return {
        "settings": settings(2025, 2027, 0.05),
        "regions": [{"region": "A", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [io],
        "capacity": [{"region": "A", "process": "mine", "capacity_tpa": 3}],
        "demand": [{"region": "A", "commodity": "ox", "year": 2025, "demand_t": 2}],
        "stockpiles": [{"region": "A", "commodity": "ox", "initial_t": 1}],
    }


def _frictions_tables() -> dict[str, list[dict[str, object]]]:
    """Hurdle rate, ramp-up of builds and of later capacity, and build-rate
    limits (a bloc, all regions, a schedule)."""
    proc, io = mine(cost=1.0, capex=100.0, lead=1, life=5)
    proc["hurdle_rate"] = 0.15
    return {
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
    }


def _recycling_tables() -> dict[str, list[dict[str, object]]]:
    """Collection from the stock in use (lifetimes, history, a growing rate
    ceiling, shortfall terms) and two recipes of one base process that can be
    built (builds in the recipes' capacity rows, siblings in the adoption rows)."""
    proc, io = mine(cost=5.0, capex=10.0, lead=1, life=5)
    collect, cio = mine("collect", cost=1.0, out="scr")
    recycle = {"process": "recycle", "stage": "recycling", "lead_time_years": 0,
               "lifetime_years": 30, "variable_cost_usd_per_t": 1}
    lean = {**proc, "process": "lean", "variable_cost_usd_per_t": 6.0}
    free = {**proc, "process": "free", "variable_cost_usd_per_t": 7.0}
    return {
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
    }


def test_both_builders_fix_the_same_pinned_variables() -> None:
    assert_same_lp(_pinned_small())


@pytest.mark.parametrize("tables_of", [_small_tables, _unused_tables,
                                       _frictions_tables, _recycling_tables])
def test_both_builders_give_the_same_lp(tables_of) -> None:  # noqa: ANN001
    ix = loaded_index(tables_of)
    if tables_of is _recycling_tables:  # the families are really there
        assert len(ix.recipe_act) and len(ix.collection)
    assert_same_lp(ix)
