"""Trade: routes, export quotas and embargoes (MODEL-SPEC §2 rules, §3 balance)."""

from __future__ import annotations

import pytest

from model.data.indices import RCY
from model.formulation.declare import flatten
from model.formulation.resources import reserve_rows, stock_rows
from model.formulation.trade import EXPORT_QUOTA, quota_rows
from tests.helpers import loaded_index, mine, one_commodity, row_terms, settings


def _transport_case() -> dict:
    """Classic transportation problem: 2 sources (30 + 50 t), 3 sinks (70 t)."""
    proc, out = mine(cost=0.0)
    cost = {("s1", "d1"): 2, ("s1", "d2"): 4, ("s1", "d3"): 5,
            ("s2", "d1"): 3, ("s2", "d2"): 1, ("s2", "d3"): 7}
    return {
        "settings": settings(2025, 2025),
        "regions": [{"region": r, "bloc": "partner" if r[0] == "s" else "alliance"}
                    for r in ("s1", "s2", "d1", "d2", "d3")],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "s1", "process": "mine", "capacity_tpa": 30},
                     {"region": "s2", "process": "mine", "capacity_tpa": 50}],
        "demand": [{"region": d, "commodity": "ox", "year": 2025, "demand_t": t}
                   for d, t in (("d1", 20), ("d2", 30), ("d3", 20))],
        "routes": [{"origin": o, "destination": d, "cost_usd_per_t": c}
                   for (o, d), c in cost.items()],
    }


def test_transportation_problem(solve) -> None:
    # By hand: s2 has 10 t spare, so its price is its mine cost, 0. Sinks are priced
    # at the cheapest landed cost: d2 = 0 + 1 = 1, d1 = 0 + 3 = 3. s1 is fully used;
    # its price p1 makes s1→d1 break even: p1 + 2 = 3 → p1 = 1, so d3 = 1 + 5 = 6.
    # Reduced costs of the unused routes: s1→d2: 1 + 4 - 1 = 4 > 0,
    # s2→d3: 0 + 7 - 6 = 1 > 0, so the optimum is unique:
    # s1→d1 10, s1→d3 20, s2→d1 10, s2→d2 30; cost 20 + 100 + 30 + 30 = 180.
    t = solve(_transport_case())
    flows = {(r.origin, r.destination): r.quantity_t
             for r in t["flows"].itertuples()}
    assert flows == pytest.approx({("s1", "d1"): 10, ("s1", "d3"): 20,
                                   ("s2", "d1"): 10, ("s2", "d2"): 30})
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(180)
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(0)
    # Marginal costs (balance duals) are the sink prices derived above.
    prices = t["prices"].set_index("region")["marginal_cost_usd_per_t"]
    assert prices[["d1", "d2", "d3", "s1", "s2"]].tolist() == pytest.approx(
        [3, 1, 6, 1, 0])


def _two_region_case(years: tuple[int, int] = (2025, 2027)) -> dict:
    proc, out = mine(cost=10)
    return {
        "settings": settings(*years),
        "regions": [{"region": "a", "bloc": "alliance"}, {"region": "b", "bloc": "china"},
                    {"region": "c", "bloc": "partner"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "b", "process": "mine", "capacity_tpa": 100},
                     {"region": "c", "process": "mine", "capacity_tpa": 30}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 5},
                   {"origin": "c", "destination": "a", "cost_usd_per_t": 50}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "cut", "is_baseline": "false"}],
    }


def test_export_quota_caps_exports_from_its_year(solve) -> None:
    # b may export only 60 t from 2026: 2025 all 100 t from b (cost 15/t beats
    # c's 60/t); 2026-27 b sends 60 t, c its 30 t, and 10 t stay short
    # (penalty 1000 > any supply cost).
    case = _two_region_case()
    case["scenario_rules"] = [{"scenario": "cut", "rule": "export_quota", "target": "b",
                               "commodity": "ox", "value": 60, "from_year": 2026}]
    t = solve(case)
    f = t["flows"][t["flows"]["scenario"] == "cut"]
    from_b = f[f["origin"] == "b"].set_index("year")["quantity_t"]
    assert from_b.to_dict() == pytest.approx({2025: 100, 2026: 60, 2027: 60})
    s = t["shortfall"][t["shortfall"]["scenario"] == "cut"].set_index("year")
    assert s["shortfall_t"].to_dict() == pytest.approx({2025: 0, 2026: 10, 2027: 10})


def test_embargo_from_a_year_cuts_exports_of_its_target(solve) -> None:
    # (Flows into the target: test_mutation_classes.py::test_embargo_blocks_flows_
    # into_and_out_of_its_target; this case only has routes out of China.)
    # Embargo on bloc china (region b) from 2026: b supplies 2025 only; from 2026
    # c's 30 t at 60/t and 70 t short. Self-sufficiency of 'cut' never comes.
    case = _two_region_case()
    case["scenario_rules"] = [{"scenario": "cut", "rule": "embargo", "target": "china",
                               "from_year": 2026}]
    t = solve(case)
    f = t["flows"][t["flows"]["scenario"] == "cut"]
    assert set(f.loc[f["origin"] == "b", "year"]) == {2025}
    assert f.loc[f["origin"] == "c", "quantity_t"].sum() == pytest.approx(60)
    s = t["summary"].set_index("scenario")
    assert s.loc["cut", "shortfall_t"] == pytest.approx(140)
    assert s.loc["base", "self_sufficient_year"] == 2025
    assert s.loc["cut", "self_sufficient_year"] is None or \
        str(s.loc["cut", "self_sufficient_year"]) == "<NA>"
    # premium = cut cost - base cost, both without penalty:
    # base 3 x 100 x 15 = 4500; cut 100 x 15 + 2 x 30 x 60 = 5100 → +600 (+13.3 %)
    assert s.loc["cut", "cost_premium_usd"] == pytest.approx(600)
    assert s.loc["cut", "cost_premium_pct"] == pytest.approx(600 / 4500 * 100)


def test_embargo_on_one_commodity_keeps_others(solve) -> None:
    # Two commodities from b; embargo only on 'ox' → 'mx' still flows.
    case = _two_region_case((2025, 2025))
    case["commodities"] = one_commodity() + [
        {"commodity": "mx", "shortfall_penalty_usd_per_t": 1000}]
    case["process_io"].append({"process": "mine", "commodity": "mx",
                               "direction": "out", "coefficient": 1})
    case["demand"].append({"region": "a", "commodity": "mx", "year": 2025,
                           "demand_t": 10})
    case["scenario_rules"] = [{"scenario": "cut", "rule": "embargo", "target": "b",
                               "commodity": "ox"}]
    t = solve(case)
    f = t["flows"][(t["flows"]["scenario"] == "cut") & (t["flows"]["origin"] == "b")]
    assert set(f["commodity"]) == {"mx"}
    assert f["quantity_t"].sum() == pytest.approx(10)


FLOW = ["origin", "destination", "commodity", "year"]


def _rules_tables() -> dict[str, list[dict[str, object]]]:
    """2025-27; a1, a2 alliance, x other. a1 mines ox (mine) and mx (mine2), x
    mines ox; routes a1 -> a2 and a1 -> x for both, x -> a1 for ox; offtake k:
    x buys ox from a1. Quotas: the alliance's ox exports <= 5 from 2026; a1's
    exports of everything <= 7. Reserves: x mine 150 t, a1 mine 250 t.
    Stockpiles: a2 ox 30 t (10 t/yr), x mx 20 t."""
    m, m_out = mine("mine", lead=0)
    m2, m2_out = mine("mine2", lead=0, out="mx")
    routes = [("a1", d, c) for d in ("a2", "x") for c in ("ox", "mx")]
    tables = {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a1", "bloc": "alliance"},
                    {"region": "a2", "bloc": "alliance"},
                    {"region": "x", "bloc": "other"}],
        "commodities": one_commodity() + [
            {"commodity": "mx", "shortfall_penalty_usd_per_t": 1000}],
        "processes": [m, m2], "process_io": [m_out, m2_out],
        "capacity": [{"region": r, "process": p, "capacity_tpa": 100}
                     for r, p in (("a1", "mine"), ("a1", "mine2"), ("x", "mine"))],
        "reserves": [{"region": "x", "process": "mine", "reserve_t": 150},
                     {"region": "a1", "process": "mine", "reserve_t": 250}],
        "stockpiles": [{"region": "a2", "commodity": "ox", "initial_t": 30,
                        "max_release_tpa": 10},
                       {"region": "x", "commodity": "mx", "initial_t": 20}],
        "routes": [{"origin": o, "destination": d, "commodity": c,
                    "cost_usd_per_t": 1} for o, d, c in routes + [("x", "a1", "ox")]],
        "offtakes": [{"offtake": "k", "buyer": "x", "seller": "a1",
                      "commodity": "ox", "price_usd_per_t": 40, "max_tpa": 30}],
        "scenario_rules": [
            {"scenario": "baseline", "rule": "export_quota", "target": "alliance",
             "commodity": "ox", "value": 5, "from_year": 2026},
            {"scenario": "baseline", "rule": "export_quota", "target": "a1",
             "value": 7}],
        "demand": [{"region": r, "commodity": c, "year": 2025, "demand_t": 10}
                   for r in ("a2", "x") for c in ("ox", "mx")],
    }
    return tables


def test_quota_rows_by_hand() -> None:
    # Rule labels are target:commodity:from_year.
    # alliance, ox, from 2026: only what leaves the bloc counts (a1 -> x, and
    #   k's deliveries a1 -> x), not a1 -> a2 nor x -> a1; one commodity, so the
    #   row's commodity is ox: flow(a1,x,ox,y) + sale(k,a1,y) <= 5, y = 2026, 27.
    # a1, every commodity, from 2025: everything leaving a1, both commodities
    #   ("all"): flow a1->a2 mx, ox + flow a1->x mx, ox + sale(k,a1,y) <= 7.
    ix = loaded_index(_rules_tables)
    rows = quota_rows(ix)
    keys = ["rule", "year", "commodity"]
    assert list(rows.keys.columns) == keys
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        ("alliance:ox:2026", 2026, "ox"), ("alliance:ox:2026", 2027, "ox"),
        ("a1:all:2025", 2025, "all"), ("a1:all:2025", 2026, "all"),
        ("a1:all:2025", 2027, "all")]
    assert rows.rhs.tolist() == [5.0, 5.0, 7.0, 7.0, 7.0]
    want = {}
    for y in (2026, 2027):
        row = ("alliance:ox:2026", y, "ox")
        want |= {(*row, "flow", "a1", "x", "ox", y): 1.0,
                 (*row, "sale", "k", "a1", y): 1.0}
    for y in (2025, 2026, 2027):
        row = ("a1:all:2025", y, "all")
        want |= {(*row, "flow", "a1", d, c, y): 1.0
                 for d in ("a2", "x") for c in ("mx", "ox")}
        want[(*row, "sale", "k", "a1", y)] = 1.0
    frames = {"flow": (ix.flow, FLOW),
              "sale": (ix.sale, ["offtake", "seller", "year"])}
    assert row_terms(rows, keys, frames) == want


def test_reserve_and_stock_rows_by_hand() -> None:
    # Reserves, in table order: x mine: act(x,mine,25..27) <= 150; a1 mine:
    # act(a1,mine,25..27) <= 250 (mine2 has no reserve).
    # Stocks: stock_y - stock_{y-1} + release_y = 0, and in 2025
    # stock + release = the initial stock (30 t in a2, 20 t in x).
    ix = loaded_index(_rules_tables)
    reserves = reserve_rows(ix)
    assert list(reserves.keys.itertuples(index=False, name=None)) == [
        ("x", "mine"), ("a1", "mine")]
    assert reserves.rhs.tolist() == [150.0, 250.0]
    act = {"act": (ix.act, ["region", "process", "year"])}
    assert row_terms(reserves, ["region", "process"], act) == {
        (r, "mine", "act", r, "mine", y): 1.0
        for r in ("x", "a1") for y in (2025, 2026, 2027)}
    stocks = stock_rows(ix)
    pairs = (("a2", "ox"), ("x", "mx"))
    assert list(stocks.keys.itertuples(index=False, name=None)) == [
        (r, c, y) for r, c in pairs for y in (2025, 2026, 2027)]
    assert stocks.rhs.tolist() == [30.0, 0.0, 0.0, 20.0, 0.0, 0.0]
    want = {}
    for r, c in pairs:
        for y in (2025, 2026, 2027):
            want |= {(r, c, y, "stock", r, c, y): 1.0,
                     (r, c, y, "release", r, c, y): 1.0}
            if y > 2025:
                want[(r, c, y, "stock", r, c, y - 1)] = -1.0
    frames = {"stock": (ix.stock, RCY), "release": (ix.stock, RCY)}
    assert row_terms(stocks, RCY, frames) == want


def _one_route_tables() -> dict[str, list[dict[str, object]]]:
    """2025-26; a (alliance) mines ox and ships it to b (other), which demands
    10 t. Scenario baseline: a quota on b, which exports nothing; cap: a's ox
    exports <= 4 from 2026 (no offtake anywhere)."""
    m, m_out = mine("mine", lead=0)
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "other"}],
        "commodities": one_commodity(),
        "processes": [m], "process_io": [m_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "routes": [{"origin": "a", "destination": "b", "commodity": "ox",
                    "cost_usd_per_t": 1}],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"},
                      {"scenario": "cap", "is_baseline": "false"}],
        "scenario_rules": [
            {"scenario": "baseline", "rule": "export_quota", "target": "b",
             "value": 3},
            {"scenario": "cap", "rule": "export_quota", "target": "a",
             "commodity": "ox", "value": 4, "from_year": 2026}],
        "demand": [{"region": "b", "commodity": "ox", "year": 2025, "demand_t": 10}],
    }


def test_quota_rows_without_exports_and_of_flows_only() -> None:
    # baseline: nothing leaves b, so no row: no keys, no right-hand side, no
    # term, and the builders' view of it (flatten) is empty too.
    ix = loaded_index(_one_route_tables)
    rows = quota_rows(ix)
    assert list(rows.keys.columns) == ["rule", "year", "commodity"]
    assert (len(rows.keys), rows.rhs.tolist()) == (0, [])
    assert row_terms(rows, ["rule"], {}) == {}
    block = flatten(EXPORT_QUOTA, rows, {"flow": 0, "sale": 2})
    assert (block.row.tolist(), block.column.tolist()) == ([], [])
    # cap: one row, 2026 (from_year), of the flow a -> b alone:
    #   flow(a, b, ox, 2026) <= 4
    ix = loaded_index(_one_route_tables, "cap")
    rows = quota_rows(ix)
    keys = ["rule", "year", "commodity"]
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        ("a:ox:2026", 2026, "ox")]
    assert rows.rhs.tolist() == [4.0]
    assert row_terms(rows, keys, {"flow": (ix.flow, FLOW)}) == {
        ("a:ox:2026", 2026, "ox", "flow", "a", "b", "ox", 2026): 1.0}
