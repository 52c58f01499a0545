"""The uncertainty table: checks that name file, table, row and column, and draws
applied exactly like the scenario rules they stand for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import load_case
from model.data.scenarios import scenario_data
from model.errors import InputError
from model.sweep.uncertainty import apply_draws, uncertain_inputs
from tests.helpers import write_case
from tests.sweep.cases import chain_tables


def load_with(tmp_path: Path, rows: list[dict[str, object]]) -> object:
    return load_case(write_case(tmp_path / "c", chain_tables(rows)))


def problems(tmp_path: Path, rows: list[dict[str, object]]) -> list[str]:
    case = load_with(tmp_path, rows)
    with pytest.raises(InputError) as caught:
        uncertain_inputs(case)
    return [str(p) for p in caught.value.problems]


def test_unknown_stage_is_reported_with_file_row_and_column(tmp_path: Path) -> None:
    found = problems(tmp_path, [{"field": "lead_time", "stage": "minnig",
                                 "distribution": "uniform", "low": 0, "high": 2}])
    assert len(found) == 1
    assert "uncertainty.csv [uncertainty] row 2, column stage" in found[0]
    assert "unknown stage 'minnig'; did you mean 'mining'?" in found[0]


@pytest.mark.parametrize("row,column,text", [
    ({"field": "demand", "distribution": "lognormal", "low": 0, "high": 2},
     "low", "a lognormal needs low > 0"),
    ({"field": "demand", "distribution": "triangular", "low": 0.5, "high": 2},
     "mode", "needs a mode"),
    ({"field": "demand", "distribution": "triangular", "low": 0.5, "mode": 3,
      "high": 2}, "mode", "not between low and high"),
    ({"field": "demand", "distribution": "normal", "low": 1, "high": 1},
     "high", "must be above low"),
    ({"field": "capex", "distribution": "uniform", "low": -0.5, "high": 2},
     "low", "a multiplier is >= 0"),
    ({"field": "capex", "target": "mars", "distribution": "uniform", "low": 1,
      "high": 2}, "target", "unknown region or bloc 'mars'"),
    ({"scenario": "embrago", "field": "capex", "distribution": "uniform", "low": 1,
      "high": 2}, "scenario", "did you mean 'embargo'?"),
    ({"field": "lead_time", "commodity": "ox", "distribution": "uniform", "low": 0,
      "high": 2}, "commodity", "takes no commodity"),
])
def test_bad_rows_are_reported(tmp_path: Path, row: dict[str, object], column: str,
                               text: str) -> None:
    found = problems(tmp_path, [row])
    assert any(f"row 2, column {column}" in p and text in p for p in found), found


def test_bad_field_and_distribution_are_schema_errors(tmp_path: Path) -> None:
    rows = [{"field": "price", "distribution": "beta", "low": 1, "high": 2}]
    with pytest.raises(InputError) as caught:
        load_with(tmp_path, rows)
    text = str(caught.value)
    assert "[uncertainty] row 2, column field: 'price' is not allowed" in text
    assert "[uncertainty] row 2, column distribution: 'beta' is not allowed" in text


def test_every_problem_is_listed_in_one_pass(tmp_path: Path) -> None:
    rows = [{"field": "demand", "distribution": "lognormal", "low": -1, "high": 2},
            {"field": "lead_time", "stage": "x", "distribution": "uniform", "low": 0,
             "high": 1}]
    found = problems(tmp_path, rows)
    assert any("row 2, column low" in p for p in found)
    assert any("row 3, column stage" in p for p in found)


def test_a_demand_draw_scales_demand_like_a_scale_rule(tmp_path: Path) -> None:
    rows = [{"field": "demand", "target": "us", "distribution": "uniform", "low": 0.5,
             "high": 1.5}]
    case = load_with(tmp_path, rows)
    drawn = apply_draws(case, uncertain_inputs(case), [1.1])
    for name in ("baseline", "embargo"):
        demand = scenario_data(drawn, name).demand
        # 100 t/yr in every year, times 1.1
        assert demand["demand_t"].tolist() == pytest.approx([110.0] * 5)
    assert len(case.table("scenario_rules")) == 1  # the loaded case is untouched


def test_a_scenario_row_applies_to_that_scenario_only(tmp_path: Path) -> None:
    rows = [{"scenario": "embargo", "field": "demand", "distribution": "uniform",
             "low": 0.5, "high": 1.5}]
    case = load_with(tmp_path, rows)
    drawn = apply_draws(case, uncertain_inputs(case), [0.5])
    assert scenario_data(drawn, "baseline").demand["demand_t"].iloc[0] == 100.0
    assert scenario_data(drawn, "embargo").demand["demand_t"].iloc[0] == 50.0


def test_a_lead_time_draw_delays_builds_of_that_stage(tmp_path: Path) -> None:
    rows = [{"field": "lead_time", "stage": "mining", "target": "alliance",
             "distribution": "uniform", "low": 0, "high": 3}]
    case = load_with(tmp_path, rows)
    drawn = apply_draws(case, uncertain_inputs(case), [1.6])
    expansion = scenario_data(drawn, "baseline").expansion
    # base year 2025 + lead time 1 + round(1.6) = 2 extra years
    assert expansion["earliest_online_year"].tolist() == [2028]


def test_the_undrawn_values_leave_every_scenario_as_the_case_has_it(tmp_path: Path
                                                                    ) -> None:
    # x1 on demand and +0 years on mining: the scenario rules they become change
    # nothing, so demand and earliest online years are those of the case itself
    rows = [{"field": "demand", "distribution": "uniform", "low": 0.5, "high": 1.5},
            {"field": "lead_time", "stage": "mining", "target": "alliance",
             "distribution": "uniform", "low": -2, "high": 3}]
    case = load_with(tmp_path, rows)
    inputs = uncertain_inputs(case)
    assert [i.undrawn for i in inputs] == [1.0, 0.0]
    drawn = apply_draws(case, inputs, [i.undrawn for i in inputs])
    for name in ("baseline", "embargo"):
        own, undrawn = scenario_data(case, name), scenario_data(drawn, name)
        pd.testing.assert_frame_equal(undrawn.demand, own.demand)
        pd.testing.assert_frame_equal(undrawn.expansion, own.expansion)


def test_draws_act_on_top_of_the_scenarios_own_rules(tmp_path: Path) -> None:
    tables = chain_tables([{"field": "demand", "distribution": "uniform", "low": 0.5,
                            "high": 1.5}])
    tables["scenario_rules"].append({"scenario": "embargo", "rule": "scale",
                                     "field": "demand", "value": 2.0})
    case = load_case(write_case(tmp_path / "c", tables))
    drawn = apply_draws(case, uncertain_inputs(case), [0.75])
    # the scenario's own x2 and the drawn x0.75: 100 * 2 * 0.75 = 150
    assert scenario_data(drawn, "embargo").demand["demand_t"].iloc[0] == 150.0
    assert isinstance(drawn.table("scenario_rules"), pd.DataFrame)


def test_the_uncertainty_sheet_of_a_workbook_reads_like_the_csv(tmp_path: Path
                                                                ) -> None:
    import csv

    from openpyxl import Workbook

    folder = write_case(tmp_path / "c", chain_tables([
        {"field": "lead_time", "stage": "mining", "distribution": "triangular",
         "low": -1, "mode": 0, "high": 2, "source": "observed timelines"}]))
    wb = Workbook()
    wb.remove(wb.active)
    for file in sorted(folder.glob("*.csv")):
        ws = wb.create_sheet(file.stem)
        with open(file, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                ws.append([_number_or_text(v) for v in row])
    wb.save(tmp_path / "case.xlsx")
    from_csv, from_xlsx = load_case(folder), load_case(tmp_path / "case.xlsx")
    assert uncertain_inputs(from_xlsx) == uncertain_inputs(from_csv)
    assert from_xlsx.input_hash == from_csv.input_hash


def _number_or_text(value: str) -> object:
    try:
        return float(value)
    except ValueError:
        return value or None


def test_a_draw_with_a_from_year_scales_only_from_that_year(tmp_path: Path) -> None:
    rows = [{"field": "capacity", "target": "cn", "distribution": "uniform",
             "low": 0.2, "high": 1.0, "from_year": 2027}]
    case = load_with(tmp_path, rows)
    drawn = apply_draws(case, uncertain_inputs(case), [0.5])
    existing = scenario_data(drawn, "baseline").existing
    by_year = dict(zip(existing["year"], existing["capacity_tpa"], strict=True))
    # cn's 1000 t/yr mine, halved from 2027 on, untouched in 2025 and 2026
    assert by_year == {2025: 1000.0, 2026: 1000.0, 2027: 500.0, 2028: 500.0,
                       2029: 500.0}


def test_a_lead_time_row_takes_no_from_year(tmp_path: Path) -> None:
    found = problems(tmp_path, [{"field": "lead_time", "stage": "mining",
                                 "distribution": "uniform", "low": 0, "high": 2,
                                 "from_year": 2027}])
    assert len(found) == 1
    assert "row 2, column from_year" in found[0]
    assert "takes no from_year" in found[0]


def test_the_default_cases_scenario_draws_act_from_the_scenarios_shock() -> None:
    # Under foresight "none" a scenario's years before its shock repeat its
    # comparator's decisions. A capacity draw of that scenario alone acting in those
    # years leaves the comparator's activity above the drawn capacity: the sample
    # has no feasible point (heavy_controls' 0.26-1 export-capacity draw from 2025
    # failed in almost every sample). So each scenario-only multiplier of the
    # bundled case starts at or after its scenario's first embargo year.
    from model.data.scenarios import shock_year

    case = load_case(Path(__file__).resolve().parents[2] / "inputs" / "default")
    assert case.settings.foresight == "none"
    own = [i for i in uncertain_inputs(case)
           if i.scenario and i.field != "lead_time"]
    assert own  # heavy_controls' capacity draw
    for item in own:
        first = item.from_year or case.settings.base_year
        assert first >= shock_year(case, item.scenario), item.label
