"""Calibration (MODEL-SPEC §8.3): the baseline keeps each observed value within its
tolerance; calibration_fit reports observed, model and gap %; other scenarios are
free; bad rows are refused with their location."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from model.data.case import Case, load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.errors import InputError
from model.formulation.calibration import (
    CALIBRATION,
    KEYS,
    calibration_rows,
    measure_terms,
)
from model.formulation.declare import flatten
from tests.helpers import (
    assert_same_lp,
    loaded_index,
    mine,
    one_commodity,
    settings,
    write_case,
)


def _case(calibration: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Region a (alliance) needs 100 t of ox in 2025; its own mine costs 10 USD/t
    (100 t/yr), Chinese oxide costs 5 + 1 (route) USD/t (1000 t/yr). Scenario
    'free' is the same world without the baseline's calibration."""
    local, out = mine("mine", cost=10)
    china, china_out = mine("buy", cost=5)
    china["stage"] = "market"
    return {
        "settings": settings(2025, 2025),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [local, china], "process_io": [out, china_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100},
                     {"region": "cn", "process": "buy", "capacity_tpa": 1000}],
        "routes": [{"origin": "cn", "destination": "a", "cost_usd_per_t": 1}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 100}],
        "scenarios": [{"scenario": "baseline", "is_baseline": "true"},
                      {"scenario": "free", "is_baseline": "false"}],
        "calibration": calibration,
    }


def test_an_activity_bound_binds_and_shows_in_calibration_fit(solve) -> None:
    # Uncalibrated, China's oxide (6 USD/t delivered) serves all 100 t and the
    # local mine idles. Observed: the mine ran 80 t, tolerance 10 % → at least
    # 72 t. The bound binds: mine 72 t, China 28 t; cost 72 × 10 + 28 × 6 = 888
    # (against 600 free). calibration_fit: observed 80, model 72, gap −10 %.
    t = solve(_case([{"year": 2025, "quantity": "activity", "region": "a",
                      "process": "mine", "value": 80, "tolerance_pct": 10}]))
    cost = t["summary"].set_index("scenario")["total_cost_usd"]
    assert cost["baseline"] == pytest.approx(888, rel=1e-9)
    assert cost["free"] == pytest.approx(600, rel=1e-9)
    fit = t["calibration_fit"]
    assert fit["scenario"].tolist() == ["baseline"]
    row = fit.iloc[0]
    assert (row["observed"], row["model"]) == pytest.approx((80, 72))
    assert row["gap_pct"] == pytest.approx(-10, abs=1e-6)
    assert row["tolerance_pct"] == pytest.approx(10)


def test_a_china_share_bound_is_linear_in_the_supply(solve) -> None:
    # Observed: 50 % of a's ox supply came from China; tolerance 20 % → share
    # within [0.4, 0.6]. Free, China supplies 100 % (cheaper). Calibrated:
    # Chinese 60 t ≤ 0.6 × (60 + 40) binds: 60 t from China, 40 t mined;
    # cost 60 × 6 + 40 × 10 = 760. Fit: model 0.6, gap +20 %.
    t = solve(_case([{"year": 2025, "quantity": "china_share", "region": "a",
                      "commodity": "ox", "value": 0.5, "tolerance_pct": 20}]))
    assert t["summary"].set_index("scenario")["total_cost_usd"]["baseline"] == \
        pytest.approx(760, rel=1e-9)
    row = t["calibration_fit"].iloc[0]
    assert row["model"] == pytest.approx(0.6, abs=1e-9)
    assert row["gap_pct"] == pytest.approx(20, abs=1e-6)
    # the traced content agrees at this one stage
    content = t["china_content"].set_index("scenario")["china_share"]
    assert content["baseline"] == pytest.approx(0.6, abs=1e-6)
    assert content["free"] == pytest.approx(1.0, abs=1e-6)


def test_a_flow_bound_with_zero_tolerance_and_a_blank_tolerance(solve) -> None:
    # China's exports of ox = 30 t exactly (tolerance 0): the mine makes 70 t;
    # the second row (mine ≤ 75 × 1.1 = 82.5, ≥ 67.5 with the default 10 %) is
    # slack at 70. Cost 30 × 6 + 70 × 10 = 880.
    t = solve(_case([
        {"year": 2025, "quantity": "flow", "region": "china", "commodity": "ox",
         "value": 30, "tolerance_pct": 0},
        {"year": 2025, "quantity": "activity", "process": "mine", "value": 75}]))
    assert t["summary"].set_index("scenario")["total_cost_usd"]["baseline"] == \
        pytest.approx(880, rel=1e-9)
    fit = t["calibration_fit"].set_index("quantity")
    assert fit.loc["flow", "model"] == pytest.approx(30)
    assert fit.loc["activity", "model"] == pytest.approx(70)
    assert fit.loc["activity", "tolerance_pct"] == pytest.approx(10)
    assert fit.loc["activity", "gap_pct"] == pytest.approx(100 * (70 - 75) / 75)


def test_calibration_rows_build_the_same_lp_in_both_builders(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path / "c", _case([
        {"year": 2025, "quantity": "activity", "region": "a", "process": "mine",
         "value": 80},
        {"year": 2025, "quantity": "china_share", "commodity": "ox", "value": 0.5},
        {"year": 2025, "quantity": "flow", "region": "cn", "destination": "a",
         "value": 30}])))
    index = build_index(scenario_data(case, "baseline"))
    assert len(index.calibration) == 3
    assert_same_lp(index)
    assert build_index(scenario_data(case, "free")).calibration.empty


def _richer(calibration: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """``_case`` plus a partner region b with its own mine and routes a <-> b,
    cn -> b, and a stockpile in a whose draws are 25 % Chinese."""
    tables = _case(calibration)
    tables["regions"].append({"region": "b", "bloc": "partner"})
    tables["capacity"].append({"region": "b", "process": "mine", "capacity_tpa": 50})
    tables["routes"] += [{"origin": "a", "destination": "b", "cost_usd_per_t": 1},
                         {"origin": "b", "destination": "a", "cost_usd_per_t": 1},
                         {"origin": "cn", "destination": "b", "cost_usd_per_t": 1}]
    tables["stockpiles"] = [{"region": "a", "commodity": "ox", "initial_t": 10,
                             "china_share": 0.25}]
    return tables


def _calibration_lp(tables_of: Callable[[], dict]
                    ) -> tuple[list[tuple[str, float]], dict]:
    """(bound, rhs) per calibration row built and the terms by (row, variable),
    each variable named by its family and key, on the case ``tables_of()`` (its
    index loaded once per process)."""
    ix = loaded_index(tables_of)
    built = calibration_rows(ix)
    name = {"act": lambda k: ("act", ix.act["region"].iat[k],
                              ix.act["process"].iat[k]),
            "flow": lambda k: ("flow", ix.flow["origin"].iat[k],
                               ix.flow["destination"].iat[k],
                               ix.flow["commodity"].iat[k]),
            "release": lambda k: ("release", ix.stock["region"].iat[k])}
    (terms,) = built.terms
    family = np.broadcast_to(np.asarray(terms.family, dtype=object), terms.row.shape)
    got: dict = {}
    for f, r, k, v in zip(family, terms.row, terms.position, terms.coef, strict=True):
        got[(int(r), name[f](k))] = got.get((int(r), name[f](k)), 0.0) + v
    bounds = list(zip(built.keys["bound"], built.rhs.tolist(), strict=True))
    return bounds, got


def _share_by_origin() -> dict[str, list[dict[str, object]]]:
    return _richer([{"year": 2025, "quantity": "china_share", "commodity": "ox",
                     "value": 0.5, "tolerance_pct": 20}])


def test_a_china_share_row_counts_each_supply_by_its_origin() -> None:
    # Buyers blank = the alliance and partners {a, b}; value 0.5, tolerance 20 %:
    # L = 0.4, H = 0.6. The supplies of ox to a or b in 2025 (S): a's and b's
    # mines (chi = 0), cn -> a and cn -> b (chi = 1), a's stock draws (chi =
    # 0.25); a <-> b stays inside the buyers and is no supply. Rows, rhs 0:
    #   low  sum (L - chi) q <= 0: mines 0.4, cn flows -0.6, release 0.15
    #   high sum (chi - H) q <= 0: mines -0.6, cn flows 0.4, release -0.35
    bounds, got = _calibration_lp(_share_by_origin)
    assert bounds == [("low", 0.0), ("high", 0.0)]
    mines = [("act", "a", "mine"), ("act", "b", "mine")]
    china = [("flow", "cn", "a", "ox"), ("flow", "cn", "b", "ox")]
    want = {(0, m): 0.4 for m in mines} | {(1, m): -0.6 for m in mines}
    want |= {(0, f): -0.6 for f in china} | {(1, f): 0.4 for f in china}
    want |= {(0, ("release", "a")): 0.15, (1, ("release", "a")): -0.35}
    assert got == pytest.approx(want, rel=1e-12)


def _share_band_to_1() -> dict[str, list[dict[str, object]]]:
    return _richer([{"year": 2025, "quantity": "china_share", "region": "a",
                     "commodity": "ox", "value": 0.9, "tolerance_pct": 20}])


def test_a_share_band_reaching_1_leaves_the_chinese_terms_out() -> None:
    # Buyers a only (region a), value 0.9 ± 20 %: L = 0.72, H = min(1.08, 1) = 1.
    # Supplies to a: its mine (chi 0), cn -> a and b -> a (chi 1 and 0), its
    # stock (0.25). High row: (chi - 1) q: 0 for cn -> a (left out), -1 for the
    # mine and b -> a, -0.75 for the draws. Low row: (0.72 - chi) q: 0.72,
    # -0.28 for cn -> a, 0.72 for b -> a, 0.47 for the draws.
    bounds, got = _calibration_lp(_share_band_to_1)
    assert bounds == [("low", 0.0), ("high", 0.0)]
    assert got == pytest.approx({
        (0, ("act", "a", "mine")): 0.72, (0, ("flow", "cn", "a", "ox")): -0.28,
        (0, ("flow", "b", "a", "ox")): 0.72, (0, ("release", "a")): 0.47,
        (1, ("act", "a", "mine")): -1.0, (1, ("flow", "b", "a", "ox")): -1.0,
        (1, ("release", "a")): -0.75}, rel=1e-12)


def _chinese_buyer() -> dict[str, list[dict[str, object]]]:
    return _richer([{"year": 2025, "quantity": "china_share", "region": "china",
                     "commodity": "ox", "value": 0.9, "tolerance_pct": 0}])


def test_output_made_in_a_chinese_buyer_counts_as_chinese() -> None:
    # Buyers = bloc china (cn), value 0.9, tolerance 0: L = H = 0.9. The only
    # supply of ox to cn is its own "buy" output (chi = 1: made in China; no
    # route leads into cn, no stock there). Low: (0.9 - 1) q = -0.1 q; high:
    # (1 - 0.9) q = 0.1 q.
    bounds, got = _calibration_lp(_chinese_buyer)
    assert bounds == [("low", 0.0), ("high", 0.0)]
    assert got == pytest.approx({(0, ("act", "cn", "buy")): -0.1,
                                 (1, ("act", "cn", "buy")): 0.1}, rel=1e-12)


def _activity_and_flows() -> dict[str, list[dict[str, object]]]:
    return _richer([
        {"year": 2025, "quantity": "activity", "region": "alliance",
         "process": "mine", "value": 40, "tolerance_pct": 0},
        {"year": 2025, "quantity": "flow", "region": "partner", "value": 20,
         "tolerance_pct": 50},
        {"year": 2025, "quantity": "flow", "region": "china", "destination": "b",
         "value": 10, "tolerance_pct": 10}])


def test_activity_and_flow_rows_sum_their_variables() -> None:
    # Activity of mine in the alliance (a bloc: region a only; b's mine is
    # not in it) observed 40, tolerance 0: -act a <= -40 and act a <= 40.
    # Flows of every commodity (blank) from the partners (b) to every region
    # outside them (blank destination; b has a route to a only): 20 ± 50 %:
    # -flow b->a <= -10, flow b->a <= 30. Flows from China (bloc) to b only
    # (destination b; cn -> a is not counted) 10 ± 10 %: -flow cn->b <= -9,
    # flow cn->b <= 11. Rows: the three lows, then the three highs.
    bounds, got = _calibration_lp(_activity_and_flows)
    assert [b for b, _ in bounds] == ["low"] * 3 + ["high"] * 3
    assert [r for _, r in bounds] == pytest.approx([-40, -10, -9, 40, 30, 11])
    assert got == pytest.approx({
        (0, ("act", "a", "mine")): -1.0, (3, ("act", "a", "mine")): 1.0,
        (1, ("flow", "b", "a", "ox")): -1.0, (4, ("flow", "b", "a", "ox")): 1.0,
        (2, ("flow", "cn", "b", "ox")): -1.0, (5, ("flow", "cn", "b", "ox")): 1.0},
        rel=1e-12)


def _two_commodities() -> dict[str, list[dict[str, object]]]:
    """The richer case plus a second commodity dy, made in cn and needed in a;
    one calibration row: China's exports of ox, 60 t exactly."""
    row = {"year": 2025, "quantity": "flow", "region": "china", "commodity": "ox",
           "value": 60, "tolerance_pct": 0}
    tables = _richer([row])
    tables["commodities"].append({"commodity": "dy", "kind": "metal",
                                  "shortfall_penalty_usd_per_t": 1000})
    dy, dy_out = mine("buy_dy", cost=5, out="dy")
    tables["processes"].append(dy)
    tables["process_io"].append(dy_out)
    tables["capacity"].append({"region": "cn", "process": "buy_dy",
                               "capacity_tpa": 1000})
    tables["demand"].append({"region": "a", "commodity": "dy", "year": 2025,
                             "demand_t": 10})
    return tables


def test_a_flow_row_counts_its_commodity_only() -> None:
    # The richer case plus a second commodity dy, made in cn (1000 t/yr) and
    # needed in a (10 t): flows cn -> a of ox and of dy. One row, the only
    # calibration row: China's exports of ox (commodity ox), 60 t exactly:
    # -(flow cn->a ox + flow cn->b ox) <= -60, the same sum <= 60; no dy flow.
    bounds, got = _calibration_lp(_two_commodities)
    assert bounds == [("low", -60.0), ("high", 60.0)]
    flows = [("flow", "cn", "a", "ox"), ("flow", "cn", "b", "ox")]
    assert got == pytest.approx({(0, f): -1.0 for f in flows}
                                | {(1, f): 1.0 for f in flows}, rel=1e-12)


def test_calibration_rows_are_checked(tmp_path: Path) -> None:
    tables = _case([
        {"year": 2025, "quantity": "activity", "region": "a", "value": 80},
        {"year": 2025, "quantity": "china_share", "commodity": "ox", "value": 85},
        {"year": 2025, "quantity": "activity", "region": "cn", "process": "mine",
         "value": 10},
        {"year": 2031, "quantity": "flow", "region": "chna", "value": 1},
        {"year": 2025, "quantity": "stock", "region": "a", "value": 1},
    ])
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    where = "calibration.csv [calibration] row"
    assert f"{where} 2, column process: activity needs a process" in text
    assert f"{where} 3, column value: a share is at most 1, got 85" in text
    assert (f"{where} 4, column process: process 'mine' has no capacity or "
            "expansion in 'cn'") in text
    assert f"{where} 5, column region: unknown region or bloc 'chna'" in text
    assert f"{where} 5, column year: 2031 is outside the horizon 2025..2025" in text
    assert f"{where} 6, column quantity:" in text


def test_an_observed_flow_no_route_can_carry_is_an_input_error(tmp_path: Path
                                                                ) -> None:
    # a exports nothing: there is no route out of a, so 5 t observed cannot be met.
    case = load_case(write_case(tmp_path / "c", _case([
        {"year": 2025, "quantity": "flow", "region": "a", "value": 5}])))
    with pytest.raises(InputError) as err:
        build_index_and_rows(case)
    assert ("calibration.csv [calibration] row 2, column value: no flow variable "
            "matches this row in 2025") in str(err.value)


def build_index_and_rows(case: Case) -> None:
    calibration_rows(build_index(scenario_data(case, "baseline")))


def test_a_scenario_without_calibration_has_no_row() -> None:
    # Scenario free of the same case: the calibration binds the baseline only,
    # so nothing is measured and no row is built: no keys (the key columns
    # still named), no right-hand side, no term, an empty block for the builders.
    ix = loaded_index(_share_by_origin, "free")
    terms = measure_terms(ix)
    assert list(terms.columns) == ["row", "family", "position", "coef", "chinese"]
    assert len(terms) == 0
    rows = calibration_rows(ix)
    assert list(rows.keys.columns) == KEYS
    assert (len(rows.keys), rows.rhs.tolist()) == (0, [])
    block = flatten(CALIBRATION, rows, {"act": 0, "flow": 3, "release": 6})
    assert (block.row.tolist(), block.column.tolist(), block.coef.tolist()) == (
        [], [], [])


def _activity_alone() -> dict[str, list[dict[str, object]]]:
    return _case([{"year": 2025, "quantity": "activity", "region": "a",
                   "process": "mine", "value": 80, "tolerance_pct": 10}])


def test_activity_rows_alone_and_their_keys() -> None:
    # The only calibration row: a's mine ran 80 t, tolerance 10 %: L = 72,
    # H = 88. Rows: -act a mine <= -72 (low), act a mine <= 88 (high). Each
    # row is keyed by exactly the documented columns (KEYS, what an infeasibility
    # explanation shows of a row): row 0, its bound, 2025, activity, region a,
    # process mine, commodity blank.
    ix = loaded_index(_activity_alone)
    rows = calibration_rows(ix)
    assert rows.keys.to_dict("list") == {
        "row": [0, 0], "bound": ["low", "high"], "year": [2025, 2025],
        "quantity": ["activity"] * 2, "region": ["a"] * 2,
        "process": ["mine"] * 2, "commodity": [""] * 2}
    assert rows.rhs.tolist() == pytest.approx([-72, 88])
    _, got = _calibration_lp(_activity_alone)
    assert got == pytest.approx({(0, ("act", "a", "mine")): -1.0,
                                 (1, ("act", "a", "mine")): 1.0}, rel=1e-12)


def _unmeasured_first() -> dict[str, list[dict[str, object]]]:
    """``_case`` plus a partner region b that nothing supplies (no capacity, no
    route into it); two rows no variable measures, then a's mine."""
    tables = _case([
        {"year": 2025, "quantity": "flow", "region": "a", "value": 0},
        {"year": 2025, "quantity": "china_share", "region": "b", "commodity": "ox",
         "value": 0.5},
        {"year": 2025, "quantity": "activity", "region": "a", "process": "mine",
         "value": 80, "tolerance_pct": 10}])
    tables["regions"].append({"region": "b", "bloc": "partner"})
    return tables


def test_rows_no_variable_measures_that_hold_anyway_leave_no_row() -> None:
    # Row 0: a's exports observed at 0 t (band [0, 0]); no route leaves a, so
    # they are 0 and the row holds: no row, no error. Row 1: China's share of
    # b's ox, 0.5 ± 10 % = [0.45, 0.55]; nothing supplies b, a share of no
    # supply holds (Chinese 0 >= 0.45 x 0): no row, no error. Row 2 (a's mine,
    # 80 ± 10 %) alone gives rows, keyed by its own position 2: -act <= -72,
    # act <= 88.
    rows = calibration_rows(loaded_index(_unmeasured_first))
    assert rows.keys[["row", "bound"]].to_dict("list") == {
        "row": [2, 2], "bound": ["low", "high"]}
    assert rows.rhs.tolist() == pytest.approx([-72, 88])
    _, got = _calibration_lp(_unmeasured_first)
    assert got == pytest.approx({(0, ("act", "a", "mine")): -1.0,
                                 (1, ("act", "a", "mine")): 1.0}, rel=1e-12)


def test_an_observed_flow_of_1_t_no_route_can_carry_is_an_input_error(
        tmp_path: Path) -> None:
    # a exports nothing (no route out of a); observed 1 t with tolerance 0: the
    # band's low end is 1 t > 0, which no variable can reach. The whole error,
    # the only one: file, table, line 2 (the header is line 1), column, text.
    folder = write_case(tmp_path / "c", _case([
        {"year": 2025, "quantity": "flow", "region": "a", "value": 1,
         "tolerance_pct": 0}]))
    with pytest.raises(InputError) as err:
        build_index_and_rows(load_case(folder))
    assert str(err.value) == (
        f"error: {folder / 'calibration.csv'} [calibration] row 2, column value: "
        "no flow variable matches this row in 2025 (no capacity, expansion or "
        "route carries it), so the observed 1 t cannot be met")


def _mine_of_2_t() -> dict[str, list[dict[str, object]]]:
    """``_case`` with a's mine making 2 t of ox per t of activity; one row:
    China's share of a's ox, 0.5 ± 20 %."""
    tables = _case([{"year": 2025, "quantity": "china_share", "region": "a",
                     "commodity": "ox", "value": 0.5, "tolerance_pct": 20}])
    tables["process_io"][0] = {**tables["process_io"][0], "coefficient": 2}
    return tables


def test_a_china_share_row_weighs_each_supply_by_its_tonnes() -> None:
    # L = 0.4, H = 0.6. Supplies of ox to a: its mine, q = 2 act (chi 0), and
    # cn -> a, q = flow (chi 1). Low: (L - chi) q: 0.4 x 2 = 0.8 on act, -0.6 on
    # the flow; high: (chi - H) q: -0.6 x 2 = -1.2 on act, 0.4 on the flow.
    bounds, got = _calibration_lp(_mine_of_2_t)
    assert bounds == [("low", 0.0), ("high", 0.0)]
    assert got == pytest.approx({
        (0, ("act", "a", "mine")): 0.8, (0, ("flow", "cn", "a", "ox")): -0.6,
        (1, ("act", "a", "mine")): -1.2, (1, ("flow", "cn", "a", "ox")): 0.4},
        rel=1e-12)
