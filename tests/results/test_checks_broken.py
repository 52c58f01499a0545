"""The post-solve checker (model/results/checks.py) given broken tables.

A solved case whose tables use every term of the balance (production with inputs
and a co-product, flows, a stockpile release, shortfall, surplus) passes the check;
each table made wrong by 5 t in either direction, and the cost table made wrong by
10 USD either way, must be refused, naming what does not add up.

The case (2025-2026, rate 0): region b mines ore (1 USD/t, 100 tpa) and ships it to
a (1 USD/t); a separates 1 t ore into 0.5 t ox and 0.5 t by (40 tpa, 2 USD/t).
a needs 25 t ox a year and holds a 5 t ox stockpile (release at most 5 t a year,
3 USD/t). In 2025: 40 t ore -> 20 t ox + 5 t released = 25 t; 20 t by disposed
(surplus). In 2026 the stock is gone: 20 t ox, 5 t short.
"""

from __future__ import annotations

import pandas as pd
import pytest

from model.pipeline import RunResult, run_case
from model.results.checks import CHECKED_TABLES, InvariantError, check_scenario
from tests.helpers import settings, shared_unless_mutating, write_case

Tables = dict[str, pd.DataFrame]


def _case() -> dict[str, list[dict[str, object]]]:
    return {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "b", "bloc": "partner"}],
        "commodities": [{"commodity": c, "shortfall_penalty_usd_per_t": 1000}
                        for c in ("ore", "ox", "by")],
        "processes": [
            {"process": "mine", "stage": "mining", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": 1},
            {"process": "sep", "stage": "separation", "lead_time_years": 0,
             "lifetime_years": 30, "variable_cost_usd_per_t": 2}],
        "process_io": [
            {"process": "mine", "commodity": "ore", "direction": "out",
             "coefficient": 1},
            {"process": "sep", "commodity": "ore", "direction": "in",
             "coefficient": 1},
            {"process": "sep", "commodity": "ox", "direction": "out",
             "coefficient": 0.5},
            {"process": "sep", "commodity": "by", "direction": "out",
             "coefficient": 0.5}],
        "capacity": [{"region": "b", "process": "mine", "capacity_tpa": 100},
                     {"region": "a", "process": "sep", "capacity_tpa": 40}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 25}],
        "routes": [{"origin": "b", "destination": "a", "cost_usd_per_t": 1}],
        "stockpiles": [{"region": "a", "commodity": "ox", "initial_t": 5,
                        "max_release_tpa": 5, "release_cost_usd_per_t": 3}],
    }


@pytest.fixture(scope=shared_unless_mutating("module"))
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return run_case(write_case(tmp_path_factory.mktemp("checks") / "case", _case()))


def _tables(run: RunResult) -> Tables:
    return {name: frame.copy() for name, frame in run.scenarios[0].tables.items()}


def _check(run: RunResult, tables: Tables) -> None:
    check_scenario(tables, run.case.table("process_io"), run.scenarios[0].objective)


def test_the_case_uses_every_balance_term(run: RunResult) -> None:
    # the hand solution of the module docstring, so each broken table below
    # breaks a balance row that has that term
    t = _tables(run)
    assert t["stock"].set_index("year")["release_t"].to_dict() == pytest.approx(
        {2025: 5, 2026: 0})
    assert t["surplus"].set_index("year")["surplus_t"].to_dict() == pytest.approx(
        {2025: 20, 2026: 20})
    assert t["shortfall"].set_index("year")["shortfall_t"].to_dict() == \
        pytest.approx({2025: 0, 2026: 5})
    assert t["flows"]["quantity_t"].tolist() == pytest.approx([40, 40])
    # cost: 40 x (1 + 1 + 2) a year + 5 x 3 release; penalty 5 x 1000
    assert run.scenarios[0].objective == pytest.approx(2 * 160 + 15 + 5000)
    _check(run, t)  # intact tables pass


BROKEN = [  # (table, column, rows it is changed on)
    ("production", "activity_t", "process == 'sep'"),
    ("production", "activity_t", "process == 'mine'"),
    ("flows", "quantity_t", "year == 2025"),
    ("stock", "release_t", "year == 2025"),
    ("shortfall", "shortfall_t", "year == 2026"),
    ("shortfall", "demand_t", "year == 2025"),
    ("surplus", "surplus_t", "year == 2026"),
]


@pytest.mark.parametrize("delta", [5.0, -5.0], ids=["plus5", "minus5"])
@pytest.mark.parametrize(("table", "column", "where"), BROKEN,
                         ids=[f"{t}.{c}" for t, c, _ in BROKEN])
def test_a_table_off_by_5_t_either_way_is_refused(run: RunResult, table: str,
                                                  column: str, where: str,
                                                  delta: float) -> None:
    # 5 t is far above the tolerance (1e-3 t + 1e-6 x the largest activity, 40 t)
    t = _tables(run)
    rows = t[table].eval(where).to_numpy()
    assert rows.sum() >= 1
    t[table].loc[rows, column] += delta
    with pytest.raises(InvariantError, match=r"balance of .* is off by"):
        _check(run, t)


@pytest.mark.parametrize("delta", [10.0, -10.0], ids=["plus10", "minus10"])
def test_a_cost_table_off_by_10_usd_either_way_is_refused(run: RunResult,
                                                          delta: float) -> None:
    # tolerance: 1 USD + 1e-6 x |objective| (5335 USD) = 1.005 USD
    t = _tables(run)
    t["costs"].loc[t["costs"].index[0], "discounted_usd"] += delta
    with pytest.raises(InvariantError, match="cost table sums to"):
        _check(run, t)


def test_round_off_within_tolerance_passes(run: RunResult) -> None:
    # 1e-4 t on a flow and 0.5 USD on the cost are solver round-off, not errors
    t = _tables(run)
    t["flows"].loc[t["flows"].index[0], "quantity_t"] += 1e-4
    t["costs"].loc[t["costs"].index[0], "discounted_usd"] -= 0.5
    _check(run, t)


def test_the_message_names_the_worst_row(run: RunResult) -> None:
    # ox of region a in 2026 is 5 t short of what its terms say
    t = _tables(run)
    t["shortfall"].loc[t["shortfall"]["year"] == 2026, "shortfall_t"] -= 5
    with pytest.raises(InvariantError, match=r"balance of a/ox/2026 is off by -5 t"):
        _check(run, t)


# Tolerances (checks.py): a balance may be off by 1e-3 t + 1e-6 x the largest
# activity (here 40 t: 1.04e-3 t); the cost table by 1 USD + 1e-6 x |objective|
# (here 5335 USD: 1.005335 USD). Just inside passes, just outside is refused.


@pytest.mark.parametrize(("off_t", "refused"), [(1.02e-3, False), (1.06e-3, True)])
def test_balance_tolerance_grows_with_the_largest_activity(run: RunResult,
                                                           off_t: float,
                                                           refused: bool) -> None:
    t = _tables(run)
    t["flows"].loc[t["flows"].index[0], "quantity_t"] += off_t
    if refused:
        with pytest.raises(InvariantError, match="balance of"):
            _check(run, t)
    else:
        _check(run, t)


@pytest.mark.parametrize(("off_usd", "refused"), [(1.003, False), (1.01, True)])
def test_cost_tolerance_grows_with_the_objective(run: RunResult, off_usd: float,
                                                 refused: bool) -> None:
    t = _tables(run)
    t["costs"].loc[t["costs"].index[0], "discounted_usd"] += off_usd
    if refused:
        with pytest.raises(InvariantError, match="cost table sums to"):
            _check(run, t)
    else:
        _check(run, t)


def _frames(release_t: float) -> Tables:
    """Hand-built tables without production: region a needs 10 t of ox in 2025,
    6 t come from a stockpile and 4 t are short (balanced when release_t = 6)."""
    rcy = {"region": ["a"], "commodity": ["ox"], "year": [2025]}
    return {
        "production": pd.DataFrame({"region": [], "process": [], "year": [],
                                    "activity_t": []}),
        "flows": pd.DataFrame({"origin": [], "destination": [], "commodity": [],
                               "year": [], "quantity_t": []}),
        "stock": pd.DataFrame({**rcy, "release_t": [release_t]}),
        "shortfall": pd.DataFrame({**rcy, "demand_t": [10.0], "shortfall_t": [4.0]}),
        "surplus": pd.DataFrame({"region": [], "commodity": [], "year": [],
                                 "surplus_t": []}),
        "costs": pd.DataFrame({"discounted_usd": [100.0]}),
    }


IO = pd.DataFrame({"process": ["mine"], "commodity": ["ox"], "direction": ["out"],
                   "coefficient": [1.0]})


def test_without_production_the_tolerance_is_absolute() -> None:
    # no activity: the tolerance is 1e-3 t + 1e-6 x 1 t = 1.001e-3 t
    check_scenario(_frames(6.0), IO, 100.0)
    check_scenario(_frames(6.0 + 1.0005e-3), IO, 100.0)
    with pytest.raises(InvariantError, match=r"balance of a/ox/2025"):
        check_scenario(_frames(6.0 + 1.0015e-3), IO, 100.0)


def test_nothing_to_check_passes() -> None:
    # a scenario without any balance row (every table empty) has nothing to refuse
    frames = _frames(6.0)
    for name in ("stock", "shortfall"):
        frames[name] = frames[name].iloc[0:0]
    frames["costs"] = pd.DataFrame({"discounted_usd": []})
    check_scenario(frames, IO, 0.0)


def test_the_checks_read_exactly_the_checked_tables() -> None:
    # A sweep sample extracts only CHECKED_TABLES for the checks. With an offtake
    # sale of 2 t from region a (and 2 t more released to balance it), the tables
    # cut down to CHECKED_TABLES still pass; without offtake_sales the balance of
    # a/ox/2025 is off by the 2 t sold; without any other one a KeyError.
    frames = _frames(8.0)
    frames["offtake_sales"] = pd.DataFrame({
        "seller": ["a"], "commodity": ["ox"], "year": [2025], "quantity_t": [2.0]})
    frames["prices"] = pd.DataFrame({"never": ["read"]})  # not a checked table
    check_scenario({name: frames[name] for name in CHECKED_TABLES}, IO, 100.0)
    assert set(CHECKED_TABLES) == set(frames) - {"prices"}
    for name in CHECKED_TABLES:
        fewer = {k: v for k, v in frames.items() if k != name}
        expected = ((InvariantError, r"balance of a/ox/2025(\.0)? is off by 2 t")
                    if name == "offtake_sales" else (KeyError, name))
        with pytest.raises(expected[0], match=expected[1]):
            check_scenario(fewer, IO, 100.0)
