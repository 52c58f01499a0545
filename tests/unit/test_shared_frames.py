"""Frames no scenario rule changes are derived once per case (model/data/memo.py)
and shared by the scenarios, without one scenario's rules reaching another's data
and without an edited case seeing the frames of the case it was copied from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.api import with_table
from model.data.case import Case, load_case, recheck_case
from model.data.memo import per_case
from model.data.scenarios import scenario_data
from tests.helpers import write_case
from tests.unit.test_scenario_data import TABLES


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return load_case(write_case(tmp_path / "c", TABLES))


def test_per_case_computes_once_per_case_and_key(case: Case) -> None:
    calls: list[str] = []

    def make(label: str) -> str:
        calls.append(label)
        return label

    # three asks of "a", one of "b": make runs once for each key
    assert [per_case(case, "a", lambda: make("a")) for _ in range(3)] == ["a"] * 3
    assert per_case(case, "b", lambda: make("b")) == "b"
    assert calls == ["a", "b"]


def test_replacing_a_table_drops_the_kept_values(case: Case) -> None:
    calls: list[int] = []
    per_case(case, "k", lambda: calls.append(1))
    case.tables["routes"] = case.tables["routes"].copy()  # a new table object
    per_case(case, "k", lambda: calls.append(2))
    per_case(case, "k", lambda: calls.append(3))
    assert calls == [1, 2]  # computed again once after the replacement, then kept


def test_scenarios_share_the_rule_free_frames(case: Case) -> None:
    shock, base = scenario_data(case, "shock"), scenario_data(case, "base")
    for name in ("ramp", "build_limits", "stockpiles", "offtakes", "eol_history",
                 "collection", "recipes", "lifetimes", "price_floors"):
        assert getattr(shock, name) is getattr(base, name), name


def test_one_scenarios_scaling_stays_its_own(case: Case) -> None:
    # shock doubles a's demand from 2026 and zeroes b's; asked first, it must not
    # change the shared interpolated demand: base is a 10, 20, 30, 40 (linear
    # 2025 -> 2028) and b 20 a year, 100 + 80 = 180 t
    assert scenario_data(case, "shock").demand["demand_t"].sum() == 10 + 40 + 60 + 80
    assert scenario_data(case, "base").demand["demand_t"].sum() == 180
    assert scenario_data(case, "shock").demand["demand_t"].sum() == 190


def test_an_edited_case_gets_its_own_frames(case: Case) -> None:
    assert scenario_data(case, "base").ramp["fraction"].tolist() == [0.5]
    edited = recheck_case(with_table(case, "ramp_up", pd.DataFrame(
        [{"stage": "separation", "year_in_service": 1, "fraction": 0.25}])))
    # the copy's own curve (sep's first year at 0.25), the original's unchanged
    assert scenario_data(edited, "base").ramp["fraction"].tolist() == [0.25]
    assert scenario_data(case, "base").ramp["fraction"].tolist() == [0.5]
