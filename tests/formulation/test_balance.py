"""Balance: co-production follows the basket; surplus is free disposal (§3)."""

from __future__ import annotations

import pytest

from tests.helpers import settings


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
