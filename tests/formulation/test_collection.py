"""Recycling from the stock in use (issue 14 item 2): end-of-life scrap is what was
delivered to demand before, spread over a lifetime distribution, and a region
collects at most a rate ceiling of it, the ceiling growing by a given number of
points a year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.indices import RCY
from model.data.recycling import collection_ceilings
from model.errors import InputError
from model.formulation.collection import KEYS, collection_rows
from tests.helpers import loaded_index, mine, row_terms, settings, write_case


def _case(mine_tpa: float, lifetimes: list[dict[str, object]],
          collection: list[dict[str, object]], end: int,
          history: list[dict[str, object]] | None = None
          ) -> dict[str, list[dict[str, object]]]:
    """Region a demands 100 t/yr of ox. A mine makes ox at 100 USD/t (capacity
    ``mine_tpa``); a collection process (a source of scrap ``scr``, 1 USD/t) and a
    recycler (1 t scr -> 1 t ox, 1 USD/t) are ample, so recycling (2 USD/t) is
    always cheaper than mining and every tonne the ceiling allows is collected."""
    proc, out = mine(cost=100)
    collect, cout = mine("collect", cost=1, out="scr")
    collect["stage"] = "collection"
    recycle = {"process": "recycle", "stage": "recycling", "lead_time_years": 0,
               "lifetime_years": 30, "variable_cost_usd_per_t": 1}
    return {
        "settings": settings(2025, end),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": [
            {"commodity": "ox", "kind": "oxide", "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "scr", "kind": "scrap",
             "shortfall_penalty_usd_per_t": 1000}],
        "processes": [proc, collect, recycle],
        "process_io": [out, cout,
                       {"process": "recycle", "commodity": "scr", "direction": "in",
                        "coefficient": 1},
                       {"process": "recycle", "commodity": "ox", "direction": "out",
                        "coefficient": 1}],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": mine_tpa},
                     {"region": "a", "process": "collect", "capacity_tpa": 1000},
                     {"region": "a", "process": "recycle", "capacity_tpa": 1000}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "eol_lifetimes": lifetimes,
        "eol_history": history or [],
        "eol_collection": collection,
    }


LIFETIMES = [{"product": "ox", "scrap": "scr", "years_after": 1, "share": 0.2},
             {"product": "ox", "scrap": "scr", "years_after": 3, "share": 0.5}]
HISTORY = [{"region": "a", "product": "ox", "year": 2023, "delivered_t": 40}]


def _collected(tables: dict[str, pd.DataFrame]) -> dict[int, float]:
    prod = tables["production"]
    rows = prod[prod["process"] == "collect"]
    return dict(zip(rows["year"], rows["activity_t"], strict=True))


def test_a_cohort_releases_scrap_in_the_years_its_lifetimes_say(solve) -> None:
    # Every year's 100 t is delivered (mine 1000 t/yr). 20 % of a cohort reaches
    # end of life 1 year after delivery, 50 % 3 years after; 40 t delivered in
    # 2023 (history) release 0.5 x 40 = 20 t in 2026 (their 1-year share fell in
    # 2024, before the horizon). End-of-life scrap arising E:
    #   2025: 0;  2026: 0.2x100 (2025) + 20 (history) = 40;  2027: 0.2x100 = 20;
    #   2028: 0.2x100 + 0.5x100 (2025) = 70;  2029: 70.
    # Rate ceiling c = min(0.6, 0.1 + 0.2 (y - 2025)): .1, .3, .5, .6 (.7 capped),
    # .6. Collected = c x E: 0, 12, 10, 42, 42 — the growth limit binds in 2026
    # and 2027 (0.6 x E would be 24 and 12).
    t = solve(_case(1000, LIFETIMES, [{"scrap": "scr", "max_rate": 0.6,
                                        "start_rate": 0.1, "growth_per_year": 0.2}],
                    2029, HISTORY))
    assert _collected(t) == pytest.approx({2025: 0, 2026: 12, 2027: 10, 2028: 42,
                                           2029: 42}, abs=1e-6)


def test_without_a_growth_limit_the_rate_is_max_rate(solve) -> None:
    # The same stock with growth_per_year blank: c = 0.6 in every year, so
    # collected = 0.6 x E = 0, 24, 12, 42, 42.
    t = solve(_case(1000, LIFETIMES, [{"scrap": "scr", "max_rate": 0.6}], 2029,
                    HISTORY))
    assert _collected(t) == pytest.approx({2025: 0, 2026: 24, 2027: 12, 2028: 42,
                                           2029: 42}, abs=1e-6)


def test_only_what_was_delivered_enters_the_stock(solve) -> None:
    # Mine 60 t/yr, demand 100: half of a cohort comes back a year later and all
    # of it can be collected (max_rate 1).
    # 2025: nothing to collect, delivered 60, short 40.
    # 2026: E = 0.5 x 60 = 30, all recycled: delivered 90, short 10.
    # 2027: E = 0.5 x 90 = 45 (the 90 delivered, not the 100 demanded): 45
    #   recycled + 55 mined = 100, nothing short.
    t = solve(_case(60, [{"product": "ox", "scrap": "scr", "years_after": 1,
                          "share": 0.5}], [{"scrap": "scr", "max_rate": 1}], 2027))
    assert _collected(t) == pytest.approx({2025: 0, 2026: 30, 2027: 45}, abs=1e-6)
    short = t["shortfall"].set_index("year")["shortfall_t"].to_dict()
    assert short == pytest.approx({2025: 40, 2026: 10, 2027: 0}, abs=1e-6)


def test_the_most_specific_collection_row_wins() -> None:
    # a and b are alliance, c partner. Blank row: 0.5 everywhere; bloc alliance:
    # 0.3; region b: 0.1 growing 0.05 from 2026 (start 0): so a 0.3, b 0 in 2025
    # and 2026 then 0.05 in 2027, c 0.5.
    regions = pd.DataFrame({"region": ["a", "b", "c"],
                            "bloc": ["alliance", "alliance", "partner"]})
    table = pd.DataFrame({
        "scrap": ["s", "s", "s"], "target": ["", "alliance", "region:b"],
        "max_rate": [0.5, 0.3, 0.1], "start_rate": [0.0, 0.0, 0.0],
        "start_year": [None, None, 2026], "growth_per_year": [None, None, 0.05]})
    ceilings = collection_ceilings(regions, table, [2025, 2026, 2027])
    got = ceilings.set_index(["region", "year"])["ceiling"].to_dict()
    assert got == pytest.approx({
        ("a", 2025): 0.3, ("a", 2026): 0.3, ("a", 2027): 0.3,
        ("b", 2025): 0.0, ("b", 2026): 0.0, ("b", 2027): 0.05,
        ("c", 2025): 0.5, ("c", 2026): 0.5, ("c", 2027): 0.5})


def test_recycling_tables_are_checked(tmp_path: Path) -> None:
    tables = _case(
        1000,
        [{"product": "ox", "scrap": "scr", "years_after": 1, "share": 0.7},
         {"product": "ox", "scrap": "scr", "years_after": 2, "share": 0.4},
         {"product": "ox", "scrap": "scr", "years_after": 0, "share": 0.1}],
        [{"scrap": "ox", "max_rate": 0.5},
         {"scrap": "scr", "target": "aliance", "max_rate": 0.5},
         {"scrap": "scr", "max_rate": 0.2, "start_rate": 0.3,
          "growth_per_year": 0.1}],
        2027, [{"region": "a", "product": "ox", "year": 2025, "delivered_t": 1}])
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    assert "eol_lifetimes.csv [eol_lifetimes] row 3, column share: the shares of " \
           "product 'ox' and scrap 'scr' add up to 1.1 by this row" in text
    assert "eol_lifetimes.csv [eol_lifetimes] row 4, column years_after: 0 is out " \
           "of range" in text
    assert "eol_history.csv [eol_history] row 2, column year: 2025 is not before " \
           "base_year 2025" in text
    assert "eol_collection.csv [eol_collection] row 2, column scrap: scrap 'ox' " \
           "has no eol_lifetimes rows" in text
    assert "eol_collection.csv [eol_collection] row 3, column target: unknown " \
           "region or bloc 'aliance'" in text
    assert "eol_collection.csv [eol_collection] row 4, column start_rate: " \
           "start_rate 0.3 > max_rate 0.2" in text


def _rows(tables_of: Callable[[], dict]
          ) -> tuple[list[tuple], list[float], dict[tuple, float]]:
    """The collection rows of the case ``tables_of()`` (its index loaded once per
    process): their keys, right-hand sides and terms by (row key, variable)."""
    ix = loaded_index(tables_of)
    rows = collection_rows(ix)
    assert list(rows.keys.columns) == KEYS
    frames = {"act": (ix.act, ["region", "process", "year"]),
              "short": (ix.short, RCY)}
    keys = [tuple(k) for k in rows.keys.itertuples(index=False)]
    return keys, rows.rhs.tolist(), row_terms(rows, KEYS, frames)


def _cohorts() -> dict[str, list[dict[str, object]]]:
    return _case(1000, LIFETIMES, [{"scrap": "scr", "max_rate": 0.6,
                                    "start_rate": 0.1, "growth_per_year": 0.2}],
                 2029, HISTORY)


def test_collection_rows_by_hand() -> None:
    # The case of test_a_cohort_releases_scrap_in_the_years_its_lifetimes_say,
    # as rows (no solve). Ceilings c = .1, .3, .5, .6, .6 (2025..2029); shares
    # 0.2 one year after delivery, 0.5 three years after; history: 40 t in 2023
    # release 0.5 x 40 = 20 t in 2026. Row y: act collect y + c_y Σ λ short(y')
    # <= c_y (Σ λ 100 + history):
    #   2025: act <= 0
    #   2026: act + .3 x .2 short25 <= .3 (20 + 20) = 12
    #   2027: act + .5 x .2 short26 <= .5 x 20 = 10
    #   2028: act + .6 (.2 short27 + .5 short25) <= .6 x 70 = 42
    #   2029: act + .6 (.2 short28 + .5 short26) <= 42
    keys, rhs, got = _rows(_cohorts)
    years = [2025, 2026, 2027, 2028, 2029]
    assert keys == [("a", "scr", y) for y in years]
    assert rhs == pytest.approx([0, 12, 10, 42, 42], abs=1e-12)
    want = {("a", "scr", y, "act", "a", "collect", y): 1.0 for y in years}
    for y, y0, coef in [(2026, 2025, 0.06), (2027, 2026, 0.1), (2028, 2027, 0.12),
                        (2028, 2025, 0.3), (2029, 2028, 0.12), (2029, 2026, 0.3)]:
        want[("a", "scr", y, "short", "a", "ox", y0)] = coef
    assert got == pytest.approx(want, rel=1e-12)


def _three_regions() -> dict[str, list[dict[str, object]]]:
    """``_case`` over 2025..2028 with regions a, b (alliance) and c (partner),
    each demanding 100 t/yr of ox from its own mine; one ``eol_collection`` row
    for the alliance. a collects scr with two processes (collect: 1 t a t,
    collect2: 0.5 t); b has no collector; c collects but is not covered.
    Deliveries before 2025: a 40 t (2023) and 50 t (2024), b 30 t (2024), c 10 t
    (2022)."""
    tables = _case(1000, LIFETIMES, [{"scrap": "scr", "target": "alliance",
                                      "max_rate": 0.6, "start_rate": 0.1,
                                      "growth_per_year": 0.2}], 2028,
                   HISTORY + [{"region": "a", "product": "ox", "year": 2024,
                               "delivered_t": 50},
                              {"region": "b", "product": "ox", "year": 2024,
                               "delivered_t": 30},
                              {"region": "c", "product": "ox", "year": 2022,
                               "delivered_t": 10}])
    tables["regions"] += [{"region": "b", "bloc": "alliance"},
                          {"region": "c", "bloc": "partner"}]
    collect2, out2 = mine("collect2", cost=1, out="scr")
    collect2["stage"] = "collection"
    tables["processes"].append(collect2)
    tables["process_io"].append({**out2, "coefficient": 0.5})
    tables["capacity"] += [
        {"region": "a", "process": "collect2", "capacity_tpa": 1000},
        {"region": "b", "process": "mine", "capacity_tpa": 1000},
        {"region": "c", "process": "mine", "capacity_tpa": 1000},
        {"region": "c", "process": "collect", "capacity_tpa": 1000}]
    tables["demand"] += [{"region": r, "commodity": "ox", "year": 2025,
                          "demand_t": 100} for r in ("b", "c")]
    return tables


def test_collection_rows_only_where_a_covered_region_collects() -> None:
    # Rows only for (a, scr, y): the alliance row covers b too, but nothing
    # makes scr in b; c collects, but no eol_collection row covers c. So b's and
    # c's deliveries, history and collectors are in no row. Ceilings .1, .3,
    # .5, .6 (2025..2028). a's history releases: 2023's 40 t, 0.5 x 40 = 20 in
    # 2026; 2024's 50 t, 0.2 x 50 = 10 in 2025 (the first row) and 0.5 x 50 = 25
    # in 2027. Rows, both collectors: act collect + 0.5 act collect2
    # + c_y Σ λ short_a(y') <= c_y (Σ λ 100 + a's history):
    #   2025: <= .1 x 10 = 1;  2026: + .06 short25 <= .3 (20 + 20) = 12;
    #   2027: + .1 short26 <= .5 (20 + 25) = 22.5;
    #   2028: + .12 short27 + .3 short25 <= .6 (20 + 50) = 42.
    keys, rhs, got = _rows(_three_regions)
    years = [2025, 2026, 2027, 2028]
    assert keys == [("a", "scr", y) for y in years]
    assert rhs == pytest.approx([1, 12, 22.5, 42], abs=1e-12)
    want = {("a", "scr", y, "act", "a", p, y): c for y in years
            for p, c in (("collect", 1.0), ("collect2", 0.5))}
    for y, y0, coef in [(2026, 2025, 0.06), (2027, 2026, 0.1), (2028, 2027, 0.12),
                        (2028, 2025, 0.3)]:
        want[("a", "scr", y, "short", "a", "ox", y0)] = coef
    assert got == pytest.approx(want, rel=1e-12)


def _collector_from_2027() -> dict[str, list[dict[str, object]]]:
    """``_cohorts`` with the collector usable from 2027 only."""
    tables = _cohorts()
    collect = tables["capacity"][1]
    assert collect["process"] == "collect"
    tables["capacity"][1] = {**collect, "online_year": 2027}
    return tables


def test_collection_rows_start_with_the_collector() -> None:
    # The cohort case, but nothing collects in 2025 and 2026: rows for 2027..2029
    # only, so the first row (2027) already receives scrap from an earlier
    # delivery, and the history's 20 t of 2026 fall in no row. Ceilings .5, .6,
    # .6:
    #   2027: act + .5 x .2 short26 <= .5 x .2 x 100 = 10
    #   2028: act + .6 (.2 short27 + .5 short25) <= .6 x 70 = 42
    #   2029: act + .6 (.2 short28 + .5 short26) <= 42
    keys, rhs, got = _rows(_collector_from_2027)
    years = [2027, 2028, 2029]
    assert keys == [("a", "scr", y) for y in years]
    assert rhs == pytest.approx([10, 42, 42], abs=1e-12)
    want = {("a", "scr", y, "act", "a", "collect", y): 1.0 for y in years}
    for y, y0, coef in [(2027, 2026, 0.1), (2028, 2027, 0.12), (2028, 2025, 0.3),
                        (2029, 2028, 0.12), (2029, 2026, 0.3)]:
        want[("a", "scr", y, "short", "a", "ox", y0)] = coef
    assert got == pytest.approx(want, rel=1e-12)
