"""Loading: defaults, interpolation, CSV = xlsx, basic errors name table/row/column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.data.case import interpolate_demand, load_case
from model.errors import InputError
from tests.helpers import mine, one_commodity, settings, write_case, write_workbook


def test_demand_interpolation_by_hand() -> None:
    # Given 2026: 10, 2028: 30, 2030: 30 → 2025 (before first) 10, 2027 = 20
    # (midway), 2029 = 30, 2031 (after last) 30.
    demand = pd.DataFrame({"region": "a", "commodity": "ox", "year": [2026, 2028, 2030],
                           "demand_t": [10.0, 30.0, 30.0]})
    out = interpolate_demand(demand, range(2025, 2032)).set_index("year")["demand_t"]
    assert out.to_dict() == {2025: 10, 2026: 10, 2027: 20, 2028: 30, 2029: 30,
                             2030: 30, 2031: 30}


def _tables() -> dict:
    proc, out = mine(cost=10, lead=1, capex=50)
    return {
        "settings": settings(2025, 2028, 0.05),
        "regions": [{"region": "a", "bloc": "alliance", "name": "A-land"},
                    {"region": "NA", "bloc": "partner", "name": "Namibia"}],
        "commodities": one_commodity(penalty=500, price=20),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "NA", "process": "mine", "capacity_tpa": 40}],
        "expansion": [{"region": "a", "process": "mine", "max_new_tpa": 30}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 50},
                   {"region": "a", "commodity": "ox", "year": 2028, "demand_t": 80}],
        "routes": [{"origin": "NA", "destination": "a", "cost_usd_per_t": 3,
                    "source": "[E] test route"}],
    }


def test_defaults_fill_blank_cells(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path / "c", _tables()))
    regions = case.table("regions").set_index("region")
    assert regions.loc["a", "capex_index"] == 1.0  # default
    procs = case.table("processes").set_index("process")
    assert procs.loc["mine", "availability"] == 1.0
    assert case.settings.shortfall_tolerance == 0.001
    # 'NA' is Namibia, not a missing value
    assert "NA" in set(regions.index)
    assert case.table("routes")["source"].tolist() == ["[E] test route"]


def test_csv_and_xlsx_give_identical_data_and_results(tmp_path: Path) -> None:
    from model.pipeline import run_case

    csv_case = write_case(tmp_path / "c", _tables())
    xlsx_case = write_workbook(tmp_path / "c.xlsx", _tables())
    a, b = load_case(csv_case), load_case(xlsx_case)
    assert a.input_hash == b.input_hash
    ta, tb = run_case(csv_case).tables, run_case(xlsx_case).tables
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_exact=True)


def test_errors_name_file_table_row_and_column(tmp_path: Path) -> None:
    tables = _tables()
    tables["capacity"] = [{"region": "NA", "process": "mien", "capacity_tpa": "1,000"}]
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    text = str(err.value)
    assert "capacity.csv [capacity] row 2, column capacity_tpa: '1,000' is not a " \
           "number" in text


def test_reference_errors_suggest_the_near_miss(tmp_path: Path) -> None:
    tables = _tables()
    tables["capacity"] = [{"region": "NA", "process": "mien", "capacity_tpa": 10}]
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    assert "[capacity] row 2, column process: unknown process 'mien'; did you mean " \
           "'mine'?" in str(err.value)


def test_all_problems_in_one_pass(tmp_path: Path) -> None:
    tables = _tables()
    tables["demand"][0]["demand_t"] = -5
    tables["routes"][0]["cost_usd_per_t"] = "cheap"
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    assert len(err.value.problems) == 2
    assert {p.table for p in err.value.problems} == {"demand", "routes"}


def test_exactly_one_baseline(tmp_path: Path) -> None:
    tables = _tables()
    tables["scenarios"] = [{"scenario": "x", "is_baseline": "false"}]
    with pytest.raises(InputError, match="exactly one scenario must have is_baseline"):
        load_case(write_case(tmp_path / "c", tables))


def test_hurdle_rate_out_of_range_is_located(tmp_path: Path) -> None:
    tables = _tables()
    tables["processes"][0]["hurdle_rate"] = 1.5
    with pytest.raises(InputError) as err:
        load_case(write_case(tmp_path / "c", tables))
    assert "processes.csv [processes] row 2, column hurdle_rate: 1.5 is out of " \
           "range (expected a number >= 0 and <= 1)" in str(err.value)
