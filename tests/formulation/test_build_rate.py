"""Build-rate limits (MODEL-SPEC §8.2): new capacity of a stage per year, summed
over the regions of a target."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.data.case import load_case
from model.errors import InputError
from model.formulation.build_rate import BUILD_RATE, build_rate_rows
from model.formulation.declare import flatten
from model.formulation.expansion import expansion_rows
from tests.helpers import (
    loaded_index,
    mine,
    one_commodity,
    row_terms,
    settings,
    write_case,
)


def _bloc_case(limits: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    proc, out = mine(cost=10, lead=0, capex=1, life=30)
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "alliance"},
                    {"region": "c", "bloc": "partner"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [proc], "process_io": [out],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 40},
                      {"region": "b", "process": "mine"},
                      {"region": "c", "process": "mine"}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 1},
                   {"origin": "c", "destination": "a", "cost_usd_per_t": 50}],
        "build_limits": limits,
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
    }


def test_build_rate_limit_binds_across_two_regions_of_a_bloc(solve) -> None:
    # Demand 100 t/yr in a, 2025-26, rate 0; mines everywhere at 10 USD/t, lead 0,
    # capex 1/tpa over 30 years (1/30 per tpa and year in service). a may build
    # 40 in total; b ships to a at 1 USD/t, c (partner) at 50.
    # Without a limit: a 40 + b 60 in 2025, nothing from c.
    # With "mining in the alliance <= 60 t/yr online per year" a and b share 60 in
    # 2025: a 40 (cheapest), b 20, and c fills 40 at 60 USD/t. In 2026 the limit
    # allows 60 more: b builds 40 (11 USD/t + 1/30 beats c's 60), c idles.
    # Cost: 2025 40x10 + 20x11 + 40x60 = 3020; 2026 40x10 + 60x11 = 1060;
    # capex (40+20+40) x 2/30 + 40 x 1/30 = 8; total 4088.
    t = solve(_bloc_case([{"stage": "mining", "target": "alliance",
                           "max_new_tpa_per_year": 60}]))
    builds = t["builds"].set_index(["region", "online_year"])["capacity_tpa"]
    assert builds.to_dict() == pytest.approx({
        ("a", 2025): 40, ("b", 2025): 20, ("c", 2025): 40, ("b", 2026): 40})
    assert t["summary"]["shortfall_t"].iat[0] == pytest.approx(0, abs=1e-6)
    assert t["summary"]["total_cost_usd"].iat[0] == pytest.approx(4088, rel=1e-9)


def test_build_rate_schedule_and_blank_target(solve) -> None:
    # A blank target covers every region: <= 30 t/yr from 2025, then <= 70 from
    # 2026 (the second row ends the first). 2025: 30 built (a, the cheapest
    # place) → 70 short; 2026: 70 more (a's remaining 10, b 60) → 100 in service,
    # nothing short. Shortfall 70 in total.
    t = solve(_bloc_case([
        {"stage": "mining", "max_new_tpa_per_year": 30, "from_year": 2025},
        {"stage": "mining", "max_new_tpa_per_year": 70, "from_year": 2026}]))
    builds = t["builds"].groupby("online_year")["capacity_tpa"].sum()
    assert builds.to_dict() == pytest.approx({2025: 30, 2026: 70})
    short = t["shortfall"].set_index("year")["shortfall_t"].to_dict()
    assert short == pytest.approx({2025: 70, 2026: 0}, abs=1e-6)


def test_build_limit_rows_are_checked(tmp_path: Path) -> None:
    tables = _bloc_case([
        {"stage": "minig", "target": "alliance", "max_new_tpa_per_year": 1},
        {"stage": "mining", "target": "aliance", "max_new_tpa_per_year": 1},
        {"stage": "mining", "max_new_tpa_per_year": -1},
    ])
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    assert "build_limits.csv [build_limits] row 2, column stage: unknown stage " \
           "'minig'" in text
    assert "build_limits.csv [build_limits] row 3, column target: unknown region " \
           "or bloc 'aliance'" in text
    assert "build_limits.csv [build_limits] row 4, column max_new_tpa_per_year: -1 " \
           "is out of range (expected a number >= 0)" in text


def _limits_tables() -> dict[str, list[dict[str, object]]]:
    """2025-27; a, b alliance, c partner. Expansion (in this order): c mine (no
    total), a sep (20 t), b mine (30 t, from 2026), a mine (50 t); lead 0, so
    builds online from 2025 unless said. Build limits of mining: 40 t/yr in the
    alliance from 2026; 100 t/yr anywhere from 2025, 60 from 2027."""
    m, m_out = mine("mine", lead=0)
    sep = {"process": "sep", "stage": "separation", "lead_time_years": 0,
           "lifetime_years": 30}
    tables = {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "alliance"},
                    {"region": "c", "bloc": "partner"}],
        "commodities": one_commodity(),
        "processes": [m, sep],
        "process_io": [m_out, {**m_out, "process": "sep"}],
        "expansion": [{"region": "c", "process": "mine"},
                      {"region": "a", "process": "sep", "max_new_tpa": 20},
                      {"region": "b", "process": "mine", "max_new_tpa": 30,
                       "earliest_online_year": 2026},
                      {"region": "a", "process": "mine", "max_new_tpa": 50}],
        "build_limits": [
            {"stage": "mining", "target": "alliance", "max_new_tpa_per_year": 40,
             "from_year": 2026},
            {"stage": "mining", "max_new_tpa_per_year": 100},
            {"stage": "mining", "max_new_tpa_per_year": 60, "from_year": 2027}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025,
                    "demand_t": 100}],
    }
    return tables


def test_expansion_rows_by_hand() -> None:
    # One row per pair with a total, in the table's order (c mine has none):
    #   a sep:  b(a,sep,25) + b(a,sep,26) + b(a,sep,27) <= 20
    #   b mine: b(b,mine,26) + b(b,mine,27) <= 30          (from 2026)
    #   a mine: b(a,mine,25) + b(a,mine,26) + b(a,mine,27) <= 50
    ix = loaded_index(_limits_tables)
    rows = expansion_rows(ix)
    keys = ["region", "process"]
    assert list(rows.keys.columns) == keys
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        ("a", "sep"), ("b", "mine"), ("a", "mine")]
    assert rows.rhs.tolist() == [20.0, 30.0, 50.0]
    years = {("a", "sep"): (2025, 2026, 2027), ("b", "mine"): (2026, 2027),
             ("a", "mine"): (2025, 2026, 2027)}
    want = {(r, p, "build", r, p, y): 1.0 for (r, p), ys in years.items()
            for y in ys}
    frames = {"build": (ix.build, ["region", "process", "year"])}
    assert row_terms(rows, keys, frames) == want


def test_build_rate_rows_by_hand() -> None:
    # Mining builds only (sep is another stage), a row per limit and year:
    #   limit 0 (alliance: a, b), 2026 and 2027 (no later row of its target):
    #     b(a,y) + b(b,y) <= 40
    #   limit 1 (all regions), 2025 until 2027 (limit 2 takes over):
    #     2025: b(c) + b(a) <= 100 (b builds from 2026); 2026: c, a, b <= 100
    #   limit 2 (all), 2027: b(c) + b(a) + b(b) <= 60
    ix = loaded_index(_limits_tables)
    rows = build_rate_rows(ix)
    keys = ["limit", "stage", "target", "year"]
    assert list(rows.keys.columns) == keys
    assert list(rows.keys.itertuples(index=False, name=None)) == [
        (0, "mining", "alliance", 2026), (0, "mining", "alliance", 2027),
        (1, "mining", "", 2025), (1, "mining", "", 2026), (2, "mining", "", 2027)]
    assert rows.rhs.tolist() == [40.0, 40.0, 100.0, 100.0, 60.0]
    regions = {(0, 2026): "ab", (0, 2027): "ab", (1, 2025): "ca", (1, 2026): "cab",
               (2, 2027): "cab"}
    target = {0: "alliance", 1: "", 2: ""}
    want = {(k, "mining", target[k], y, "build", r, "mine", y): 1.0
            for (k, y), rs in regions.items() for r in rs}
    frames = {"build": (ix.build, ["region", "process", "year"])}
    assert row_terms(rows, keys, frames) == want


def _no_build_tables() -> dict[str, list[dict[str, object]]]:
    m, m_out = mine("mine")
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [m], "process_io": [m_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "build_limits": [{"stage": "mining", "max_new_tpa_per_year": 10}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 5}],
    }


def test_build_rate_rows_without_builds() -> None:
    # A mine in a with existing capacity and no expansion row: nothing can be
    # built, so the mining limit has no row: no keys, no right-hand side, no
    # term, and the builders' view of it (flatten) is empty too.
    ix = loaded_index(_no_build_tables)
    rows = build_rate_rows(ix)
    assert list(rows.keys.columns) == ["limit", "stage", "target", "year"]
    assert (len(rows.keys), rows.rhs.tolist()) == (0, [])
    assert row_terms(rows, ["limit"], {}) == {}
    block = flatten(BUILD_RATE, rows, {"build": 0})
    assert (block.row.tolist(), block.column.tolist()) == ([], [])
