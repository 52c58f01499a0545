"""The scenario tree and the mean-value scenario, read from the data alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.hedge.mean_value import NAME, mean_value_case
from model.hedge.tree import Link, first_parting, parting_year, tree_links
from tests.hedge.cases import early_build_case


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> object:
    """baseline 0.5; embargo from 2026 0.2; embargo_late (same rule from 2027) 0.3,
    over 2025-2026 plus a demand scale ×1.5 from 2026 in embargo_late."""
    folder = early_build_case(tmp_path_factory.mktemp("tree") / "case")
    scenarios = pd.read_csv(folder / "scenarios.csv")
    scenarios["probability"] = [0.5, 0.2]
    late = pd.DataFrame([{"scenario": "embargo_late", "is_baseline": False,
                          "probability": 0.3}])
    pd.concat([scenarios, late]).to_csv(folder / "scenarios.csv", index=False)
    rules = pd.read_csv(folder / "scenario_rules.csv")
    extra = pd.DataFrame([
        {"scenario": "embargo_late", "rule": "embargo", "target": "china",
         "from_year": 2027},
        {"scenario": "embargo_late", "rule": "scale", "field": "demand",
         "value": 1.5, "from_year": 2026}])
    pd.concat([rules, extra]).to_csv(folder / "scenario_rules.csv", index=False)
    settings = pd.read_csv(folder / "settings.csv")
    settings.loc[settings["key"] == "end_year", "value"] = 2028
    settings.to_csv(folder / "settings.csv", index=False)
    return load_case(folder)


def test_parting_years(three) -> None:
    # baseline vs embargo: the embargo's from_year 2026; baseline vs embargo_late:
    # its earliest rule, the demand scale of 2026; embargo vs embargo_late: the
    # embargo rows differ in from_year (2026 vs 2027), the scale is 2026: 2026.
    assert parting_year(three, "baseline", "embargo") == 2026
    assert parting_year(three, "baseline", "embargo_late") == 2026
    assert parting_year(three, "embargo", "embargo_late") == 2026
    # a scenario never parts from itself: end_year + 1
    assert parting_year(three, "embargo", "embargo") == 2029
    assert first_parting(three, ["baseline", "embargo", "embargo_late"]) == 2026


def test_links_follow_the_latest_parting(tmp_path: Path) -> None:
    # Embargoes from 2026 and 2027 on the same target: each scenario is linked to
    # the earlier one it shares most years with (baseline–late until 2027, then
    # early with the first of equals, the baseline, until 2026).
    folder = early_build_case(tmp_path / "case")
    scenarios = pd.read_csv(folder / "scenarios.csv")
    scenarios["probability"] = [0.5, 0.2]
    late = pd.DataFrame([{"scenario": "late", "is_baseline": False,
                          "probability": 0.3}])
    pd.concat([scenarios.iloc[[0]], late, scenarios.iloc[[1]]]).to_csv(
        folder / "scenarios.csv", index=False)
    rules = pd.read_csv(folder / "scenario_rules.csv")
    extra = pd.DataFrame([{"scenario": "late", "rule": "embargo", "target": "china",
                           "from_year": 2027}])
    pd.concat([rules, extra]).to_csv(folder / "scenario_rules.csv", index=False)
    settings = pd.read_csv(folder / "settings.csv")
    settings.loc[settings["key"] == "end_year", "value"] = 2028
    settings.to_csv(folder / "settings.csv", index=False)
    case = load_case(folder)
    assert tree_links(case, ["baseline", "late", "embargo"]) == [
        Link("baseline", "late", 2027), Link("baseline", "embargo", 2026)]


def test_mean_value_rules(three) -> None:
    case = mean_value_case(three, {"baseline": 0.5, "embargo": 0.2,
                                   "embargo_late": 0.3})
    rules = case.table("scenario_rules")
    mine = rules[rules["scenario"] == NAME].set_index(["rule", "field", "from_year"])
    # demand ×1.5 with probability 0.3: expected multiplier 1 + 0.3 × 0.5 = 1.15
    assert mine.loc[("scale", "demand", 2026), "value"] == pytest.approx(1.15)
    # China embargoed from 2026 with probability 0.2, from 2027 with 0.5 in all:
    # capacity × 0.8 from 2026, then × 0.5 / 0.8 = 0.625 from 2027 (product 0.5).
    assert mine.loc[("scale", "capacity", 2026), "value"] == pytest.approx(0.8)
    assert mine.loc[("scale", "capacity", 2027), "value"] == pytest.approx(0.625)
    assert set(mine.reset_index()["rule"]) == {"scale"}
