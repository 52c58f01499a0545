"""Balance: co-production follows the basket; surplus is free disposal (§3)."""

from __future__ import annotations

import pytest

from model.data.indices import RCY
from model.formulation.balance import balance_rows
from tests.helpers import loaded_index, mine, one_commodity, row_terms, settings


def test_coproduction_surplus(solve) -> None:
    # One tonne mined gives 0.8 t Ce and 0.2 t Nd. 20 t Nd demanded, no Ce demand:
    # the mine runs 100 t, 80 t Ce is surplus (reported, not forced to zero).
    t = solve({
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": 1000}
                        for c in ("ce", "nd")],
        "processes": [{"process": "mine", "stage": "mining", "lead_time_years": 0,
                       "lifetime_years": 30, "variable_cost_usd_per_t": 1}],
        "process_io": [{"process": "mine", "commodity": "ce", "direction": "out",
                        "coefficient": 0.8},
                       {"process": "mine", "commodity": "nd", "direction": "out",
                        "coefficient": 0.2}],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 1000}],
        "demand": [{"region": "a", "commodity": "nd", "year": 2025, "demand_t": 20}],
    })
    assert t["production"]["activity_t"].iat[0] == pytest.approx(100)
    surplus = t["surplus"].set_index("commodity")["surplus_t"]
    assert surplus.to_dict() == pytest.approx({"ce": 80})
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(100)
    # Nd's marginal cost: 1 t of Nd needs 5 t mined at 1 USD → 5 USD/t; Ce is free.
    prices = t["prices"].set_index("commodity")["marginal_cost_usd_per_t"]
    assert prices.to_dict() == pytest.approx({"ce": 0, "nd": 5})


def test_process_chain_input_output(solve) -> None:
    # Separation turns 1 t concentrate into 0.9 t oxide; 9 t oxide demanded →
    # 10 t separated, 10 t concentrate mined. Cost 10 x 2 (mine) + 10 x 3 = 50.
    t = solve({
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": 1000}
                        for c in ("conc", "ox")],
        "processes": [
            {"process": "mine", "stage": "mining", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": 2},
            {"process": "sep", "stage": "separation", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": 3}],
        "process_io": [
            {"process": "mine", "commodity": "conc", "direction": "out",
             "coefficient": 1},
            {"process": "sep", "commodity": "conc", "direction": "in", "coefficient": 1},
            {"process": "sep", "commodity": "ox", "direction": "out",
             "coefficient": 0.9}],
        "capacity": [{"region": "a", "process": p, "capacity_tpa": 100}
                     for p in ("mine", "sep")],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 9}],
    })
    act = t["production"].set_index("process")["activity_t"]
    assert act.to_dict() == pytest.approx({"mine": 10, "sep": 10})
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(50)


def _balance_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine")
    tables = {
        "settings": settings(2025, 2026),
        "regions": [{"region": r, "bloc": "alliance"} for r in ("a", "b")],
        "commodities": one_commodity(),
        "processes": [m], "process_io": [m_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "routes": [{"origin": "a", "destination": "b", "commodity": "ox",
                    "cost_usd_per_t": 1}],
        "stockpiles": [{"region": "b", "commodity": "ox", "initial_t": 30,
                        "max_release_tpa": 10}],
        "demand": [{"region": "b", "commodity": "ox", "year": 2025,
                    "demand_t": 20}],
    }
    return tables


def test_balance_rows_by_hand() -> None:
    # 2025-26. Region a mines ox (100 t) and ships it to b (route a -> b); b
    # demands 20 t of ox a year and holds a stockpile (30 t, 10 t/yr). One row
    # per (region, commodity, year) with a term, sorted by key; the rows of
    # 2025 differ from each other in the region only:
    #   (a, ox, y): act_mine - flow_ab - surplus_a = 0      (no demand, no short)
    #   (b, ox, y): flow_ab + release_b + short_b - surplus_b = 20
    ix = loaded_index(_balance_tables)
    rows = balance_rows(ix)
    assert list(rows.keys.columns) == RCY
    keys = [("a", "ox", 2025), ("a", "ox", 2026), ("b", "ox", 2025),
            ("b", "ox", 2026)]
    assert list(rows.keys.itertuples(index=False, name=None)) == keys
    assert rows.rhs.tolist() == [0.0, 0.0, 20.0, 20.0]
    want = {}
    for y in (2025, 2026):
        want |= {("a", "ox", y, "act", "a", "mine", y): 1.0,
                 ("a", "ox", y, "flow", "a", "b", "ox", y): -1.0,
                 ("a", "ox", y, "surplus", "a", "ox", y): -1.0,
                 ("b", "ox", y, "flow", "a", "b", "ox", y): 1.0,
                 ("b", "ox", y, "release", "b", "ox", y): 1.0,
                 ("b", "ox", y, "short", "b", "ox", y): 1.0,
                 ("b", "ox", y, "surplus", "b", "ox", y): -1.0}
    flow = ["origin", "destination", "commodity", "year"]
    frames = {"act": (ix.act, ["region", "process", "year"]),
              "flow": (ix.flow, flow), "release": (ix.stock, RCY),
              "short": (ix.short, RCY), "surplus": (ix.surplus, RCY)}
    assert row_terms(rows, RCY, frames) == want


def _one_year_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine")
    m2, m2_out = mine("mine2", out="mx")
    return {
        "settings": settings(2025, 2025),
        "regions": [{"region": r, "bloc": "alliance"} for r in ("a", "b")],
        "commodities": one_commodity() + [
            {"commodity": "mx", "shortfall_penalty_usd_per_t": 1000}],
        "processes": [m, m2], "process_io": [m_out, m2_out],
        "capacity": [{"region": "a", "process": p, "capacity_tpa": 100}
                     for p in ("mine", "mine2")],
        "routes": [{"origin": "a", "destination": "b", "commodity": "ox",
                    "cost_usd_per_t": 1}],
        "demand": [{"region": "b", "commodity": "ox", "year": 2025, "demand_t": 5}],
    }


def test_balance_rows_of_one_year_differ_in_region_or_commodity() -> None:
    # 2025 only. a mines ox (mine) and mx (mine2) and ships ox to b, which
    # demands 5 t. Surplus wherever a term brings the commodity in. Rows sorted
    # by key, each next to one that differs in the commodity or the region only
    # (never in the year):
    #   (a, mx): act_mine2 - surplus = 0
    #   (a, ox): act_mine - flow_ab - surplus = 0
    #   (b, ox): flow_ab + short - surplus = 5
    ix = loaded_index(_one_year_tables)
    rows = balance_rows(ix)
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        ("a", "mx", 2025), ("a", "ox", 2025), ("b", "ox", 2025)]
    assert rows.rhs.tolist() == [0.0, 0.0, 5.0]
    flow = ("flow", "a", "b", "ox", 2025)
    want = {("a", "mx", 2025, "act", "a", "mine2", 2025): 1.0,
            ("a", "mx", 2025, "surplus", "a", "mx", 2025): -1.0,
            ("a", "ox", 2025, "act", "a", "mine", 2025): 1.0,
            ("a", "ox", 2025, *flow): -1.0,
            ("a", "ox", 2025, "surplus", "a", "ox", 2025): -1.0,
            ("b", "ox", 2025, *flow): 1.0,
            ("b", "ox", 2025, "short", "b", "ox", 2025): 1.0,
            ("b", "ox", 2025, "surplus", "b", "ox", 2025): -1.0}
    frames = {"act": (ix.act, ["region", "process", "year"]),
              "flow": (ix.flow, ["origin", "destination", "commodity", "year"]),
              "short": (ix.short, RCY), "surplus": (ix.surplus, RCY)}
    assert row_terms(rows, RCY, frames) == want
