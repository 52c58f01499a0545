"""The notebook API (model.api, docs/api.md): the worked example runs on a small
case, ``run_case`` takes an edited ``Case``, and queries return tidy rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import model.api as rr
from model.data.case import load_case
from model.errors import InputError
from model.pipeline import run_case
from tests.helpers import mine, one_commodity, settings, write_case

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "notebook.py"
PNG = b"\x89PNG\r\n\x1a\n"


def _case(tmp_path: Path) -> Path:
    # a: alliance, 40 t/yr at 10 $/t; c: china, 100 t/yr at 1 $/t, route c -> a
    # free; a demands 60 t/yr of ox (reference price 100 $/t); scenario cut
    # embargoes c from 2026
    proc, out = mine(cost=10)
    china, china_out = mine("mine_c", cost=1)
    return write_case(tmp_path / "small", {
        "settings": settings(2025, 2027),
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "c", "bloc": "china"}],
        "commodities": one_commodity(penalty=1000, price=100),
        "processes": [proc, china], "process_io": [out, china_out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 40},
                     {"region": "c", "process": "mine_c", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 60}],
        "routes": [{"origin": "c", "destination": "a", "cost_usd_per_t": 0}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "cut", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "cut", "rule": "embargo", "target": "c",
                            "from_year": 2026}],
    })


def _example() -> object:
    spec = importlib.util.spec_from_file_location("notebook_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_worked_example_runs(tmp_path: Path, capsys) -> None:
    run = _example().main(str(_case(tmp_path)), str(tmp_path / "figures"))
    # more_demand = cut (embargo on c from 2026) + demand x1.1 = 66 t/yr: 2025 all
    # from c; 2026 and 2027 a's 40 t/yr, 26 t short. base is solved with it.
    assert [r.name for r in run.scenarios] == ["base", "more_demand"]
    short = rr.query(run, "shortfall", scenario="more_demand").groupby("year")[
        ["demand_t", "shortfall_t"]].sum()
    assert short["demand_t"].tolist() == pytest.approx([66, 66, 66])
    assert short["shortfall_t"].tolist() == pytest.approx([0, 26, 26], abs=1e-6)
    # % of demand value met (one commodity, one price): 100, then 40/66
    met = rr.value_met(run)["more_demand"]
    assert met.tolist() == pytest.approx([100, 4000 / 66, 4000 / 66], rel=1e-6)
    for name in ("value_met.png", "headline.png"):
        assert (tmp_path / "figures" / name).read_bytes()[:8] == PNG
    assert "more_demand" in capsys.readouterr().out


def test_run_case_takes_a_case_and_its_edits(tmp_path: Path) -> None:
    folder = _case(tmp_path)
    case = load_case(folder)
    # unchanged, the Case solves as its path does: same input hash and tables
    from_path = run_case(folder)
    from_case = run_case(case)
    assert from_case.case.input_hash == from_path.case.input_hash
    pd.testing.assert_frame_equal(from_case.tables["summary"],
                                  from_path.tables["summary"])
    # an edit in memory: a's demand doubled (120 t/yr) -> cut goes 80 t short in
    # 2026 and 2027 (40 from a); the original Case is left as it was
    demand = case.tables["demand"].copy()
    demand["demand_t"] = demand["demand_t"] * 2
    edited = rr.with_table(case, "demand", demand)
    run = run_case(edited, scenarios=["cut"])
    assert run.case.input_hash != case.input_hash
    short = rr.query(run, "shortfall", scenario="cut", year=[2026, 2027])
    assert short["shortfall_t"].tolist() == pytest.approx([80, 80])
    assert case.tables["demand"]["demand_t"].tolist() == [60]


def test_a_bad_edit_is_located_like_a_bad_file(tmp_path: Path) -> None:
    case = load_case(_case(tmp_path))
    case = rr.add_rule(case, "cut", "scale", field="demand", value=-1)
    regions = case.tables["regions"].copy()
    regions.loc[1, "bloc"] = "chna"
    case = rr.with_table(case, "regions", regions)
    with pytest.raises(InputError) as caught:
        rr.check(case)
    text = str(caught.value)
    # the region row keeps its file row (3); the added rule is numbered after
    # the file's last row (2) -> 3
    assert (f"{tmp_path / 'small' / 'regions.csv'} [regions] row 3, column bloc: "
            "'chna' is not allowed") in text
    assert "[scenario_rules] row 3, column value" in text


def test_add_scenario_builds_on_a_parent(tmp_path: Path) -> None:
    case = rr.add_scenario(load_case(_case(tmp_path)), "late", based_on="cut")
    case = rr.add_rule(case, "late", "scale", field="demand", value=0.5)
    checked = rr.check(case)
    from model.data.scenarios import rules_of

    assert rules_of(checked, "late")["rule"].tolist() == ["embargo", "scale"]


def test_query_names_unknown_tables_and_columns(tmp_path: Path) -> None:
    run = run_case(_case(tmp_path), scenarios=["base"])
    assert set(rr.query(run, "summary", scenario=["base", "x"])["scenario"]) == {
        "base"}
    with pytest.raises(KeyError, match="no table 'shortfalls'"):
        rr.query(run, "shortfalls")
    with pytest.raises(KeyError, match="has no column 'regio'"):
        rr.query(run, "shortfall", regio="a")
    assert rr.headline(run).columns[0] == "scenario"
