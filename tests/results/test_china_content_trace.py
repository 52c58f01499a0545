"""China content traced on a hand-built network (model/results/china_content.py).

No solve: the balance terms, the solver's values and the stocks' China shares are
written here; every share is worked out by hand in the comments (the module
docstring's rule: a node's share is the supply-weighted mean of its supplies').
``make mutate`` runs these first for the china_content group, so a mutant dies
without solving a case (tests/results/test_china_content.py keeps the solved
chains).

The network, one year (2025). Regions cn (bloc china), au, jp. Nodes:

* (au, ox): au's mine a0 makes 40 t (a source outside China: share 0); 30 t are
  shipped to jp (f0), 10 t meet au's demand.
* (cn, ox): Chinese oxide a1 makes 20 t (share 1); 15 t go to jp (f1).
* (jp, ox): 30 t from au, 15 t from cn and a 5 t stock draw (half Chinese):
  T = 50, Chinese 15 + 2.5 = 17.5, share 0.35. All 50 t go into reduce (a2).
* (jp, flux): a source a3 in jp makes 10 t (share 0), all into reduce.
* (jp, metal): reduce makes 40 t from 1.25 t ox and 0.25 t flux per t (50 t ox,
  10 t flux); demand 50, 10 t short (not supply).

Contents: ox 0.8 t NdPr per t, metal 1 t NdPr and 0.05 t Dy per t; flux none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.indices import RCY, LPIndex
from model.results.china_content import COLUMNS, alliance_share, china_content
from model.solver.records import Solution

TERMS = ["region", "commodity", "year", "family", "position", "coef"]
REGIONS = pd.DataFrame({"region": ["cn", "au", "jp"],
                        "bloc": ["china", "alliance", "alliance"]})
CONTENT = pd.DataFrame({"commodity": ["ox", "metal", "metal"],
                        "element": ["NdPr", "NdPr", "Dy"],
                        "oxide_t_per_t": [0.8, 1.0, 0.05]})


def _index() -> LPIndex:
    terms = pd.DataFrame([
        ("au", "ox", 2025, "act", 0, 1.0), ("au", "ox", 2025, "flow", 0, -1.0),
        ("au", "ox", 2025, "short", 0, 1.0),
        ("cn", "ox", 2025, "act", 1, 1.0), ("cn", "ox", 2025, "flow", 1, -1.0),
        ("cn", "ox", 2025, "short", 2, 1.0),
        ("jp", "ox", 2025, "flow", 0, 1.0), ("jp", "ox", 2025, "flow", 1, 1.0),
        ("jp", "ox", 2025, "release", 0, 1.0), ("jp", "ox", 2025, "act", 2, -1.25),
        ("jp", "flux", 2025, "act", 3, 1.0), ("jp", "flux", 2025, "act", 2, -0.25),
        ("jp", "metal", 2025, "act", 2, 1.0), ("jp", "metal", 2025, "short", 1, 1.0),
    ], columns=TERMS)
    # cn's demand of 5 t is all short (5.001: a solver's hair above it)
    short = pd.DataFrame([("au", "ox", 2025, 10.0), ("jp", "metal", 2025, 50.0),
                          ("cn", "ox", 2025, 5.0)], columns=[*RCY, "demand_t"])
    empty = pd.DataFrame()
    return LPIndex(years=[2025], discount={2025: 1.0}, act=empty, build=empty,
                   flow=empty, short=short, surplus=empty, stock=empty,
                   balance_terms=terms, build_window=empty, expansion_limits=empty,
                   reserves=empty)


def _solution() -> Solution:
    values = {"act": np.array([40.0, 20.0, 40.0, 10.0]),
              "flow": np.array([30.0, 15.0]), "release": np.array([5.0]),
              "short": np.array([0.0, 10.0, 5.001])}
    return Solution(objective=0.0, values=values, row_duals={}, col_duals={})


STOCK_SHARE = np.array([0.5])


def _table(ix: LPIndex | None = None, sol: Solution | None = None) -> pd.DataFrame:
    return china_content(ix or _index(), sol or _solution(), REGIONS, CONTENT,
                         STOCK_SHARE, "S")


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def _check(frame: pd.DataFrame, rows: list[tuple]) -> None:
    assert list(frame.columns) == COLUMNS
    assert list(frame.index) == list(range(len(rows)))
    got = _rows(frame)
    assert len(got) == len(rows)
    for have, want in zip(got, rows, strict=True):
        assert have == ("S", *(pytest.approx(v, abs=1e-7) if isinstance(v, float)
                               else v for v in want))


def test_shares_follow_trade_stock_draws_and_the_inputs_that_carry_the_element(
) -> None:
    # NdPr: au's ox 10 t supplied x 0.8 = 8 t, share 0 (its own source).
    # jp's metal: 40 t supplied (50 - 10 short) x 1 = 40 t. reduce's inputs are
    # weighted by tonnes x NdPr content: ox 50 x 0.8 = 40, flux 10 x 0 = 0, so the
    # metal carries jp ox's share, 0.35 (flux left out; by tonnes alone it would
    # be (50 x 0.35 + 10 x 0) / 60).
    # Dy: only metal holds it (0.05 t/t: 40 x 0.05 = 2 t); no input of reduce
    # carries Dy, so the inputs are weighted by tonnes alone: (50 x 0.35 + 10 x 0)
    # / 60 = 0.291666...
    # cn's ox: nothing supplied (all short): no row. Rows sorted by region,
    # commodity, element, year.
    _check(_table(), [("au", "ox", "NdPr", 2025, 8.0, 0.0),
                      ("jp", "metal", "Dy", 2025, 2.0, 17.5 / 60),
                      ("jp", "metal", "NdPr", 2025, 40.0, 0.35)])


def test_output_made_in_china_counts_whole_and_draws_their_share() -> None:
    # The stock drawn in jp wholly Chinese: jp ox = (15 + 5) / 50 = 0.4, the
    # metal's NdPr 0.4, its Dy (50 x 0.4 + 0) / 60 = 1/3. With reduce in cn
    # instead (the jp-metal terms, its output and the shortfall, moved to cn):
    # made in China, share 1.
    frame = china_content(_index(), _solution(), REGIONS, CONTENT, np.array([1.0]),
                          "S")
    assert frame["china_share"].tolist() == pytest.approx([0.0, 1 / 3, 0.4],
                                                          abs=1e-7)
    ix = _index()
    metal = ix.balance_terms["commodity"] == "metal"
    ix.balance_terms.loc[metal, "region"] = "cn"
    ix.short.loc[ix.short["commodity"] == "metal", "region"] = "cn"
    frame = _table(ix)
    assert _rows(frame[["region", "commodity", "element"]]) == [
        ("au", "ox", "NdPr"), ("cn", "metal", "Dy"), ("cn", "metal", "NdPr")]
    assert frame["china_share"].tolist() == pytest.approx([0.0, 1.0, 1.0], abs=1e-7)


def test_a_node_of_two_years_and_a_negative_value_are_kept_apart() -> None:
    # The same network in 2026 too (positions after 2025's), where jp gets no
    # Chinese oxide and draws nothing: jp ox is the 30 t from au, share 0; reduce
    # makes 24 t (30 / 1.25) with 6 t flux; demand 50, 26 short. A solver's
    # -1e-9 t on the cn -> jp flow counts as 0 (no negative supply).
    ix, sol = _index(), _solution()
    later = ix.balance_terms.copy()
    later["year"] = 2026
    shift = {"act": 4, "flow": 2, "release": 1, "short": 3}
    later["position"] = later["position"] + later["family"].map(shift)
    ix.balance_terms = pd.concat([ix.balance_terms, later], ignore_index=True)
    ix.short = pd.concat([ix.short, ix.short.assign(year=2026)], ignore_index=True)
    sol.values["act"] = np.array([40.0, 20.0, 40.0, 10.0, 40.0, 0.0, 24.0, 6.0])
    sol.values["flow"] = np.array([30.0, 15.0, 30.0, -1e-9])
    sol.values["release"] = np.array([5.0, 0.0])
    # 2026 shorts: au ox 0, jp metal 26, cn ox 5 (of 5)
    sol.values["short"] = np.array([0.0, 10.0, 5.001, 0.0, 26.0, 5.0])
    frame = china_content(ix, sol, REGIONS, CONTENT, np.array([0.5, 0.5]), "S")
    # 2026: au ox 0 short -> 10 x 0.8 = 8 t at share 0; jp metal 24 t NdPr and
    # 24 x 0.05 = 1.2 t Dy, both share 0
    _check(frame, [("au", "ox", "NdPr", 2025, 8.0, 0.0),
                   ("au", "ox", "NdPr", 2026, 8.0, 0.0),
                   ("jp", "metal", "Dy", 2025, 2.0, 17.5 / 60),
                   ("jp", "metal", "Dy", 2026, 1.2, 0.0),
                   ("jp", "metal", "NdPr", 2025, 40.0, 0.35),
                   ("jp", "metal", "NdPr", 2026, 24.0, 0.0)])


def test_no_element_content_gives_an_empty_table() -> None:
    none = CONTENT.assign(oxide_t_per_t=0.0)
    frame = china_content(_index(), _solution(), REGIONS, none, STOCK_SHARE, "S")
    assert frame.empty and list(frame.columns) == COLUMNS


def test_alliance_share_weighs_each_region_by_its_element_tonnes() -> None:
    # scope {au, jp}: NdPr 2025 = au 8 t at 0 + jp 40 t at 0.35 -> 14 / 48;
    # Dy 2025 = jp 2 t at 17.5/60; a region outside the scope (cn) and an
    # element outside the list (Ce) are left out; 0 t gives a share of 0; Dy 2026
    # is half a tonne at 0.4 (a share of under a tonne is still a share).
    table = pd.DataFrame(
        [("S", "au", "ox", "NdPr", 2025, 8.0, 0.0),
         ("S", "jp", "metal", "Dy", 2025, 2.0, 17.5 / 60),
         ("S", "jp", "metal", "NdPr", 2025, 40.0, 0.35),
         ("S", "cn", "metal", "NdPr", 2025, 99.0, 1.0),
         ("S", "jp", "metal", "Ce", 2025, 5.0, 1.0),
         ("S", "jp", "metal", "Tb", 2025, 0.0, 0.5),
         ("S", "jp", "metal", "Dy", 2026, 0.5, 0.4)], columns=COLUMNS)
    share = alliance_share(table, {"au", "jp"})
    assert list(share.columns) == ["scenario", "element", "year", "element_t",
                                   "china_share"]
    assert [tuple(r) for r in share[["scenario", "element", "year"]].itertuples(
        index=False)] == [("S", "NdPr", 2025), ("S", "Dy", 2025), ("S", "Tb", 2025),
                      ("S", "Dy", 2026)]
    assert share["element_t"].tolist() == pytest.approx([48.0, 2.0, 0.0, 0.5])
    assert share["china_share"].tolist() == pytest.approx(
        [14 / 48, 17.5 / 60, 0.0, 0.4])


def test_shares_do_not_depend_on_the_scale_of_the_tonnes() -> None:
    # Every tonne a hundredth of the first test's: each share is a ratio of
    # tonnes, so the same (0, 0.35 and 17.5/60 again; ox's NdPr weight in reduce
    # is now 0.5 x 0.8 = 0.4 t, flux's Dy 0.1 t), element_t a hundredth.
    sol = _solution()
    sol.values = {name: v / 100 for name, v in sol.values.items()}
    ix = _index()
    ix.short["demand_t"] = ix.short["demand_t"] / 100
    _check(_table(ix, sol), [("au", "ox", "NdPr", 2025, 0.08, 0.0),
                             ("jp", "metal", "Dy", 2025, 0.02, 17.5 / 60),
                             ("jp", "metal", "NdPr", 2025, 0.4, 0.35)])


def test_the_margin_on_supply_damps_only_a_large_recirculation() -> None:
    # One node (jp, ox): a 1 t draw, half Chinese, and 1e5 t shipped from jp to
    # jp (a self-loop: A = 1e5, T = 1e5 + 1). The docstring's system with its
    # margin m = 1e-9 on T: (T (1 + m) - A) phi = 0.5, so phi = 0.5 / (1 + m T)
    # = 0.5 / 1.000100001: the 1 t demand (0.8 t NdPr) carries it.
    terms = pd.DataFrame([("jp", "ox", 2025, "release", 0, 1.0),
                          ("jp", "ox", 2025, "flow", 0, 1.0),
                          ("jp", "ox", 2025, "flow", 0, -1.0),
                          ("jp", "ox", 2025, "short", 0, 1.0)], columns=TERMS)
    ix = _index()
    ix.balance_terms = terms
    ix.short = pd.DataFrame([("jp", "ox", 2025, 1.0)], columns=[*RCY, "demand_t"])
    sol = Solution(objective=0.0, values={
        "act": np.zeros(0), "flow": np.array([1e5]), "release": np.array([1.0]),
        "short": np.array([0.0])}, row_duals={}, col_duals={})
    frame = china_content(ix, sol, REGIONS, CONTENT, STOCK_SHARE, "S")
    assert frame["element_t"].tolist() == pytest.approx([0.8])
    assert frame["china_share"].tolist() == pytest.approx(
        [0.5 / (1 + 1e-9 * (1e5 + 1))], rel=1e-9)


def test_a_demand_node_with_no_supply_listed_last() -> None:
    # A node (us, ox) with only its shortfall term, numbered last: all 5 t short,
    # nothing supplied, no row; the other rows are the first test's.
    ix, sol = _index(), _solution()
    ix.balance_terms = pd.concat([ix.balance_terms, pd.DataFrame(
        [("us", "ox", 2025, "short", 3, 1.0)], columns=TERMS)], ignore_index=True)
    ix.short = pd.concat([ix.short, pd.DataFrame(
        [("us", "ox", 2025, 5.0)], columns=[*RCY, "demand_t"])], ignore_index=True)
    sol.values["short"] = np.array([0.0, 10.0, 5.001, 5.0])
    _check(_table(ix, sol), [("au", "ox", "NdPr", 2025, 8.0, 0.0),
                             ("jp", "metal", "Dy", 2025, 2.0, 17.5 / 60),
                             ("jp", "metal", "NdPr", 2025, 40.0, 0.35)])


def test_a_network_without_trade() -> None:
    # One node (jp, ox), no flow at all: a 4 t draw, half Chinese, meets 4 t of
    # demand: 4 x 0.8 = 3.2 t NdPr at 0.5 / (1 + 1e-9 x 4).
    ix = _index()
    ix.balance_terms = pd.DataFrame([("jp", "ox", 2025, "release", 0, 1.0),
                                     ("jp", "ox", 2025, "short", 0, 1.0)],
                                    columns=TERMS)
    ix.short = pd.DataFrame([("jp", "ox", 2025, 4.0)], columns=[*RCY, "demand_t"])
    sol = Solution(objective=0.0, values={
        "act": np.zeros(0), "flow": np.zeros(0), "release": np.array([4.0]),
        "short": np.array([0.0])}, row_duals={}, col_duals={})
    frame = china_content(ix, sol, REGIONS, CONTENT, STOCK_SHARE, "S")
    _check(frame, [("jp", "ox", "NdPr", 2025, 3.2, 0.5 / (1 + 4e-9))])
