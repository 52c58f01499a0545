"""The registry of output tables (model/results/tables.py) is what a run writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import run_case
from model.results.tables import (
    INTERNAL_TABLES,
    OUTPUT_TABLES,
    TABLE_ORDER,
    UnregisteredTable,
    checked,
)
from tests.helpers import mine, one_commodity, write_case


def _case(tmp_path: Path) -> Path:
    proc, out = mine(cost=1)
    return write_case(tmp_path / "c", {
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(), "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 1}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 1}],
    })


def test_a_run_gives_exactly_the_registered_tables_in_order(tmp_path: Path) -> None:
    run = run_case(_case(tmp_path), tmp_path / "out")
    assert tuple(run.tables) == TABLE_ORDER
    # the solve's tables (hedge and frontier tables: tests/hedge/test_cli.py)
    for spec in (s for s in OUTPUT_TABLES if s.command == "solve"):
        assert tuple(run.tables[spec.name].columns) == spec.columns, spec.name
        # per-scenario tables are what one scenario's run produces
        assert (spec.name in run.scenarios[0].tables) == spec.per_scenario, spec.name
        assert (tmp_path / "out" / "tables" / f"{spec.name}.csv").exists()
    written = sorted(p.stem for p in (tmp_path / "out" / "tables").iterdir())
    assert written == sorted(TABLE_ORDER)
    assert not set(INTERNAL_TABLES) & set(written)


def test_an_unregistered_table_is_an_error() -> None:
    with pytest.raises(UnregisteredTable, match="'extra' is not registered"):
        checked({"extra": pd.DataFrame({"x": [1]})})


def test_a_table_with_other_columns_is_an_error() -> None:
    frame = pd.DataFrame(columns=["scenario", "year", "category", "usd"])
    with pytest.raises(UnregisteredTable, match="'costs' has columns"):
        checked({"costs": frame})
