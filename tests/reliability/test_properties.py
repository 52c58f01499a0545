"""Relations every LP supply model must satisfy (RELIABILITY.md (c)), checked with
Hypothesis on small random cases through the production path: CSV or xlsx files
-> load_case -> scenario rules -> index -> Pyomo model -> HiGHS -> tidy tables.

Random cases: 2-3 regions; ore is mined and refined 1:1 into oxide; region A
always has a mine, a refinery and routes (all commodities) to every other region,
so every demand is reachable, and demands oxide; other routes are drawn (at most
one per ordered pair); discount rate 0; penalty 1000 USD/t, above every path
cost (at most 30 + 30 + 2 * 20 = 100 USD/t).
"""

from __future__ import annotations

import copy
import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation import build_model
from model.formulation.pyomo_model import compile_program
from model.pipeline import run_case
from model.solver.highs import make_highs
from model.solver.records import SolveOptions
from tests.helpers import write_case
from tests.reliability.builders import Tables, workbook

RTOL, ATOL = 1e-6, 1e-6
PENALTY = 1000


def close(a: float, b: float) -> bool:
    return abs(a - b) <= ATOL + RTOL * max(abs(a), abs(b))


@st.composite
def cases(draw: st.DrawFn) -> Tables:
    """A small random valid case (see the module docstring)."""
    regions = ["A", "B", "C"][: draw(st.integers(2, 3))]
    qty = st.integers(0, 100)
    cost = st.integers(1, 30)
    capacity = [{"region": "A", "process": "mine", "capacity_tpa": draw(st.integers(1,
                                                                               100))},
                {"region": "A", "process": "refine",
                 "capacity_tpa": draw(st.integers(1, 100))}]
    for region in regions[1:]:
        for process in ("mine", "refine"):
            q = draw(qty)
            if q:
                capacity.append({"region": region, "process": process,
                                 "capacity_tpa": q})
    routes = [{"origin": "A", "destination": r, "commodity": "",
               "cost_usd_per_t": draw(st.integers(1, 20))} for r in regions[1:]]
    for o in regions[1:]:
        for d in regions:
            if o != d and draw(st.booleans()):
                routes.append({"origin": o, "destination": d,
                               "commodity": draw(st.sampled_from(["", "ore", "ox"])),
                               "cost_usd_per_t": draw(st.integers(1, 20))})
    # region A always demands something: a model with no demand and no capacity
    # has no variables, which HiGHS reports as an empty model (solver error)
    demand = [{"region": r, "commodity": "ox", "year": 2025,
               "demand_t": draw(st.integers(1 if r == "A" else 0, 80))}
              for r in regions]
    return {
        "settings": [{"key": "base_year", "value": 2025},
                     {"key": "end_year", "value": 2026},
                     {"key": "discount_rate", "value": 0}],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"}],
        "regions": [{"region": r, "bloc": "alliance"} for r in regions],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": PENALTY}
                        for c in ("ore", "ox")],
        "processes": [{"process": p, "stage": s, "lead_time_years": 0,
                       "lifetime_years": 30, "variable_cost_usd_per_t": draw(cost)}
                      for p, s in (("mine", "mining"), ("refine", "separation"))],
        "process_io": [{"process": "mine", "commodity": "ore", "direction": "out",
                        "coefficient": 1},
                       {"process": "refine", "commodity": "ore", "direction": "in",
                        "coefficient": 1},
                       {"process": "refine", "commodity": "ox", "direction": "out",
                        "coefficient": 1}],
        "capacity": capacity,
        "routes": routes,
        "demand": demand,
    }


class Solver:
    """Solve table sets through the production path, each in a fresh folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def folder(self, tables: Tables) -> Path:
        self.count += 1
        return write_case(self.root / f"case{self.count}", tables)

    def run(self, tables: Tables, xlsx: bool = False):  # noqa: ANN201
        if xlsx:
            self.count += 1
            path = self.root / f"case{self.count}.xlsx"
            workbook(tables).save(path)
            return run_case(path)
        return run_case(self.folder(tables))

    def z(self, tables: Tables, xlsx: bool = False) -> float:
        result = self.run(tables, xlsx).scenarios[0]
        assert result.status == "optimal"  # P1: the priced shortfall keeps it feasible
        return result.objective


@pytest.fixture
def solver(tmp_path_factory: pytest.TempPathFactory) -> Solver:
    return Solver(tmp_path_factory.mktemp("prop"))


def _changed(tables: Tables, table: str, column: str, f) -> Tables:  # noqa: ANN001
    out = copy.deepcopy(tables)
    for row in out[table]:
        if column in row:
            row[column] = f(row[column])
    return out


@given(case=cases(), delta=st.integers(1, 40), new_route=st.integers(0, 5))
def test_P1_to_P5_more_never_hurts(solver: Solver, case: Tables, delta: int,
                                   new_route: int) -> None:
    z = solver.z(case)
    # P1/P2 more capacity: still feasible, never dearer
    assert solver.z(_changed(case, "capacity", "capacity_tpa",
                             lambda q: q + delta)) <= z + ATOL
    # P3 more demand: never cheaper
    more = _changed(case, "demand", "demand_t", lambda q: q + delta)
    assert solver.z(more) >= z - ATOL
    # P4 dearer processing: never cheaper
    assert solver.z(_changed(case, "processes", "variable_cost_usd_per_t",
                             lambda c: c + delta)) >= z - ATOL
    # P5 one more route (between regions that have none yet): never dearer
    regions = [r["region"] for r in case["regions"]]
    pairs = [(o, d) for o in regions for d in regions if o != d and not any(
        r["origin"] == o and r["destination"] == d for r in case["routes"])]
    if pairs:
        o, d = pairs[new_route % len(pairs)]
        more = copy.deepcopy(case)
        more["routes"].append({"origin": o, "destination": d, "commodity": "",
                               "cost_usd_per_t": delta % 20 + 1})
        assert solver.z(more) <= z + ATOL


@given(case=cases(), k=st.sampled_from([2, 3, 10]), seed=st.integers(0, 10**6))
def test_P8_P9_P10_scaling_and_relabelling(solver: Solver, case: Tables, k: int,
                                           seed: int) -> None:
    z = solver.z(case)
    # P8 every cost times k (variable, route, penalty) -> z times k
    costly = _changed(case, "processes", "variable_cost_usd_per_t", lambda c: c * k)
    costly = _changed(costly, "routes", "cost_usd_per_t", lambda c: c * k)
    costly = _changed(costly, "commodities", "shortfall_penalty_usd_per_t",
                      lambda c: c * k)
    assert close(solver.z(costly), k * z)
    # P9 every quantity times k -> z times k
    big = _changed(case, "capacity", "capacity_tpa", lambda q: q * k)
    big = _changed(big, "demand", "demand_t", lambda q: q * k)
    assert close(solver.z(big), k * z)
    # P10 rows shuffled, regions renamed, read from xlsx instead of CSV -> same z
    rng = random.Random(seed)
    names = {"A": "ZA", "B": "0805", "C": "NA"}
    moved = copy.deepcopy(case)
    for rows in moved.values():
        rng.shuffle(rows)
        for row in rows:
            for key in ("region", "origin", "destination"):
                if key in row:
                    row[key] = names[row[key]]
    assert close(solver.z(moved, xlsx=True), z)


@given(case=cases())
def test_P6_P7_disruption_and_lead_time(solver: Solver, case: Tables) -> None:
    # P6 cutting region A's capacity by s = 0, 0.5, 1: cost non-decreasing in s
    cut = copy.deepcopy(case)
    cut["scenarios"] += [{"scenario": "cut50", "is_baseline": "false"},
                         {"scenario": "cut100", "is_baseline": "false"}]
    cut["scenario_rules"] = [
        {"scenario": s, "rule": "scale", "target": "A", "field": "capacity",
         "value": v} for s, v in (("cut50", 0.5), ("cut100", 0))]
    z = [r.objective for r in solver.run(cut).scenarios]
    assert z[0] <= z[1] + ATOL and z[1] <= z[2] + ATOL
    # P7 a longer lead time for new refineries never lowers the cost
    built = copy.deepcopy(case)
    built["expansion"] = [{"region": "A", "process": "refine", "max_new_tpa": 60}]
    for row in built["processes"]:
        row["capex_usd_per_tpa"] = 50
    slow = _changed(built, "processes", "lead_time_years", lambda lead: lead + 1)
    assert solver.z(slow) >= solver.z(built) - ATOL


def _max_deliverable(case: Tables) -> int:
    """Max flow source -> mines -> refineries -> routes -> demand (networkx-free:
    scipy's integer maximum_flow on the same network, per year)."""
    regions = [r["region"] for r in case["regions"]]
    node = {(r, c): i + 2 for i, (r, c) in enumerate(
        (r, c) for r in regions for c in ("ore", "ox"))}
    big = 10**6
    arcs: dict[tuple[int, int], int] = {}
    for row in case["capacity"]:
        r = row["region"]
        arc = (0, node[(r, "ore")]) if row["process"] == "mine" else (
            node[(r, "ore")], node[(r, "ox")])
        arcs[arc] = arcs.get(arc, 0) + int(row["capacity_tpa"])
    for row in case["routes"]:
        for c in (("ore", "ox") if row["commodity"] == "" else (row["commodity"],)):
            arcs[(node[(row["origin"], c)], node[(row["destination"], c)])] = big
    for row in case["demand"]:
        arcs[(node[(row["region"], "ox")], 1)] = int(row["demand_t"])
    n = 2 + len(node)
    heads, tails = zip(*arcs, strict=True)
    graph = csr_matrix((list(arcs.values()), (heads, tails)), shape=(n, n),
                       dtype=np.int32)
    return int(maximum_flow(graph, 0, 1).flow_value)


def _dual_objective(case_path: Path) -> tuple[float, float]:
    """(primal, dual) objective of the production LP solved by HiGHS directly."""
    case = load_case(case_path)
    index = build_index(scenario_data(case, "baseline"))
    compiled = compile_program(build_model(index))
    h = make_highs(SolveOptions())
    h.passModel(compiled.lp)
    h.run()
    sol = h.getSolution()
    lp = compiled.lp
    dual = lp.offset_ + _bound_terms(sol.row_dual, lp.row_lower_, lp.row_upper_)
    dual += _bound_terms(sol.col_dual, lp.col_lower_, lp.col_upper_)
    _check_slackness(sol.row_value, sol.row_dual, lp.row_lower_, lp.row_upper_)
    balance = np.asarray(sol.row_dual)[compiled.rows_of("balance")]
    assert (balance >= -1e-7).all()  # prices are never negative (free disposal)
    return h.getInfo().objective_function_value, dual


def _bound_terms(duals: object, lower: object, upper: object) -> float:
    y, lo, up = (np.asarray(v, dtype=float) for v in (duals, lower, upper))
    bound = np.where(y > 0, lo, np.where(y < 0, up, 0.0))
    return float(np.sum(np.where(np.abs(y) > 1e-12, y * bound, 0.0)))


def _check_slackness(values: object, duals: object, lower: object, upper: object
                     ) -> None:
    v, y, lo, up = (np.asarray(a, dtype=float) for a in (values, duals, lower, upper))
    active = np.where(y > 1e-7, lo, np.where(y < -1e-7, up, v))
    assert np.allclose(v, active, atol=1e-6)


@given(case=cases())
def test_P15_P17_P18_P19_consistent_solution(solver: Solver, case: Tables) -> None:
    folder = solver.folder(case)
    run = run_case(folder)
    tables, z = run.tables, run.scenarios[0].objective
    # P15 strong duality and complementary slackness on the production LP
    primal, dual = _dual_objective(folder)
    assert close(primal, z) and close(dual, z)
    # P17 elastic mode is exact: shortfall = demand - max deliverable (2 years)
    demand = sum(int(r["demand_t"]) for r in case["demand"])
    short = float(tables["shortfall"]["shortfall_t"].sum())
    assert close(short, 2 * (demand - _max_deliverable(case)))
    # P18 flows, shortfall >= 0; activity within capacity
    assert (tables["flows"]["quantity_t"] >= -1e-9).all()
    assert (tables["shortfall"]["shortfall_t"] >= -1e-9).all()
    prod = tables["production"]
    assert (prod["activity_t"] <= prod["capacity_tpa"] + 1e-6).all()
    # P19 the cost recomputed from the report's own tables equals the objective
    assert close(_recomputed_cost(case, tables), z)


def _recomputed_cost(case: Tables, tables: dict) -> float:
    variable = {p["process"]: p["variable_cost_usd_per_t"] for p in case["processes"]}
    route = {(r["origin"], r["destination"]): r["cost_usd_per_t"]
             for r in case["routes"]}
    prod = tables["production"]
    flows = tables["flows"]
    cost = float((prod["activity_t"] * prod["process"].map(variable)).sum())
    cost += float(sum(q * route[(o, d)] for o, d, q in zip(
        flows["origin"], flows["destination"], flows["quantity_t"], strict=True)))
    return cost + PENALTY * float(tables["shortfall"]["shortfall_t"].sum())


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
               min_size=1, max_size=12).filter(lambda s: s == s.strip())


@settings(max_examples=12)
@given(case=cases(), names=st.lists(TEXT, min_size=3, max_size=3))
def test_P20_round_trip_csv_and_xlsx(tmp_path_factory: pytest.TempPathFactory,
                                     case: Tables, names: list[str]) -> None:
    """The same tables written as CSV and as xlsx load to identical typed tables
    (same canonical hash), and every string, formula-like or not, is read back
    exactly."""
    root = tmp_path_factory.mktemp("rt")
    for row, name in zip(case["regions"], names, strict=False):
        row["name"] = name
    from_csv = load_case(write_case(root / "case", case))
    path = root / "case.xlsx"
    workbook(case).save(path)
    from_xlsx = load_case(path)
    assert from_csv.input_hash == from_xlsx.input_hash
    read_names = list(from_xlsx.table("regions")["name"])
    assert read_names == [r["name"] for r in case["regions"]]
    assert not math.isnan(from_csv.settings.discount_rate)
