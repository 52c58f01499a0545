"""China content (MODEL-SPEC §8.3): proportional tracing through stages and trade,
checked against hand arithmetic on small chains."""

from __future__ import annotations

import pytest

from model.results.china_content import alliance_share


def _proc(name: str, stage: str, cost: float) -> dict[str, object]:
    return {"process": name, "stage": stage, "lead_time_years": 0,
            "lifetime_years": 30, "variable_cost_usd_per_t": cost}


def _io(process: str, commodity: str, direction: str, k: float = 1.0
        ) -> dict[str, object]:
    return {"process": process, "commodity": commodity, "direction": direction,
            "coefficient": k}


def _chain(stock: list[dict[str, object]] | None = None
           ) -> dict[str, list[dict[str, object]]]:
    """au mine (40 t, 10 USD/t) and Chinese oxide (20 USD/t) → oxide in jp; jp
    makes metal (at most 50 t); Chinese metal (30 USD/t) and jp's metal → kr makes
    alloy → 100 t of alloy demand in us. Every route costs 1 USD/t."""
    commodities = [{"commodity": c, "kind": k, "element": "NdPr",
                    "shortfall_penalty_usd_per_t": 1000}
                   for c, k in (("ox", "oxide"), ("metal", "metal"),
                                ("alloy", "alloy"))]
    routes = [{"origin": o, "destination": d, "commodity": c, "cost_usd_per_t": 1}
              for o, d, c in (("au", "jp", "ox"), ("cn", "jp", "ox"),
                              ("jp", "kr", "metal"), ("cn", "kr", "metal"),
                              ("kr", "us", "alloy"))]
    return {
        "settings": [{"key": "base_year", "value": 2025},
                     {"key": "end_year", "value": 2025},
                     {"key": "discount_rate", "value": 0.0}],
        "regions": [{"region": "cn", "bloc": "china"},
                    {"region": "au", "bloc": "alliance"},
                    {"region": "jp", "bloc": "alliance"},
                    {"region": "kr", "bloc": "partner"},
                    {"region": "us", "bloc": "alliance"}],
        "commodities": commodities,
        "processes": [_proc("mine", "mining", 10), _proc("buy_ox", "market", 20),
                      _proc("buy_metal", "market", 30), _proc("reduce", "metal", 1),
                      _proc("cast", "alloy", 1)],
        "process_io": [_io("mine", "ox", "out"), _io("buy_ox", "ox", "out"),
                       _io("buy_metal", "metal", "out"), _io("reduce", "ox", "in"),
                       _io("reduce", "metal", "out"), _io("cast", "metal", "in"),
                       _io("cast", "alloy", "out")],
        "capacity": [{"region": "au", "process": "mine", "capacity_tpa": 40},
                     {"region": "cn", "process": "buy_ox", "capacity_tpa": 1000},
                     {"region": "cn", "process": "buy_metal", "capacity_tpa": 1000},
                     {"region": "jp", "process": "reduce", "capacity_tpa": 50},
                     {"region": "kr", "process": "cast", "capacity_tpa": 1000}],
        "routes": routes,
        "stockpiles": stock or [],
        "demand": [{"region": "us", "commodity": "alloy", "year": 2025,
                    "demand_t": 100}],
    }


def test_three_stage_chain_with_mixed_origins(solve) -> None:
    # jp's metal costs 10 + 1 (au oxide) + 1 (reduce) + 1 (ship) = 13 < Chinese
    # metal 31, so jp makes its 50 t cap; its 50 t of oxide are au's 40 t (cheaper
    # than Chinese oxide at 21) and 10 t Chinese: oxide in jp is 10/50 = 20 %
    # Chinese, and so is jp's metal. kr mixes jp's 50 t (20 %) with 50 t of Chinese
    # metal (100 %) 1:1 → 60 %; its alloy, shipped to us, carries 60 %:
    # 100 t of NdPr (1 t per t along ox → metal → alloy), 60 % Chinese.
    t = solve(_chain())
    flows = t["flows"].set_index(["origin", "destination"])["quantity_t"]
    assert flows[("cn", "jp")] == pytest.approx(10)
    assert flows[("cn", "kr")] == pytest.approx(50)
    row = t["china_content"].set_index(["region", "commodity", "element"]).loc[
        ("us", "alloy", "NdPr")]
    assert row["year"] == 2025
    assert row["element_t"] == pytest.approx(100)
    assert row["china_share"] == pytest.approx(0.6, abs=1e-6)
    share = alliance_share(t["china_content"], {"us", "jp", "kr", "au"})
    assert share["china_share"].tolist() == pytest.approx([0.6], abs=1e-6)


def test_stock_draws_carry_their_stated_origin(solve) -> None:
    # A 20 t stock of metal in kr, 40 % of Chinese origin, released at 0 USD/t
    # (cheaper than any metal): kr's 100 t are 20 t stock (40 %), 50 t from jp
    # (20 %, as above) and 30 t Chinese metal (100 %):
    # (20 × 0.4 + 50 × 0.2 + 30 × 1) / 100 = 0.48.
    stock = [{"region": "kr", "commodity": "metal", "initial_t": 20,
              "release_cost_usd_per_t": 0, "china_share": 0.4}]
    t = solve(_chain(stock))
    row = t["china_content"].set_index(["region", "commodity"]).loc[("us", "alloy")]
    assert row["china_share"] == pytest.approx(0.48, abs=1e-6)
