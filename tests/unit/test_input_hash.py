"""The input hash (run.json, the sweep store's key) reads every table and column.

A hash that ignored a table would let ``sweep --resume`` mix samples drawn from
different inputs. The case below holds every table and every column of the schema,
and rows 0 and 1 of each table differ in every column, so swapping the two rows'
values in one column only is a valid case whose content differs in exactly that
table and column: its hash must differ. A property test then edits random cells:
two loadable cases have the same hash exactly when their loaded tables are equal
(so "1" and "1.0", or a cell padded with blanks, do not change it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.data.case import Case, load_case, table_hash
from model.data.schema import TABLES
from model.errors import InputError
from tests.helpers import write_case

Tables = dict[str, list[dict[str, object]]]


def _process(name: str, stage: str, lead: int, life: int, capex: float, fom: float,
             var: float, availability: float | str, hurdle: float
             ) -> dict[str, object]:
    return {"process": name, "name": name.title(), "stage": stage,
            "lead_time_years": lead, "lifetime_years": life,
            "capex_usd_per_tpa": capex, "fixed_om_usd_per_tpa": fom,
            "variable_cost_usd_per_t": var, "availability": availability,
            "hurdle_rate": hurdle, "source": f"[E] {name}"}


def full_case() -> Tables:
    """Every table and column; rows 0 and 1 differ in every column."""
    return {
        "settings": [
            {"key": "discount_rate", "value": 0.05, "source": "[E] rate"},
            {"key": "shortfall_tolerance", "value": 0.01, "source": "[E] tol"},
            {"key": "base_year", "value": 2025, "source": "[E] base"},
            {"key": "end_year", "value": 2027, "source": "[E] end"},
            {"key": "objective", "value": "penalty", "source": "[E] obj"},
            # the §8.1 headline settings (MODEL-SPEC §8.1)
            {"key": "steady_years", "value": 2, "source": "[E] steady"},
            {"key": "mostly_met_tolerance", "value": 0.02, "source": "[E] mostly"},
            {"key": "weakest_numbers", "value": "the demand", "source": "[E] weak"},
            # foresight (MODEL-SPEC §8.2); 'none' keeps the case valid
            {"key": "foresight", "value": "none", "source": "[E] foresight"}],
        "regions": [
            {"region": "ra", "name": "Alpha", "bloc": "alliance", "capex_index": 1.1,
             "opex_index": 1.2, "source": "[E] ra"},
            {"region": "rb", "name": "Beta", "bloc": "china", "capex_index": 0.9,
             "opex_index": 0.8, "source": "[E] rb"}],
        "commodities": [
            {"commodity": "ox", "name": "Oxide", "kind": "oxide", "element": "NdPr",
             "reference_price_usd_per_t": 100, "shortfall_penalty_usd_per_t": 1000,
             "source": "[E] ox"},
            {"commodity": "mt", "name": "Metal", "kind": "metal", "element": "Dy",
             "reference_price_usd_per_t": 200, "shortfall_penalty_usd_per_t": 2000,
             "source": "[E] mt"},
            {"commodity": "sc", "kind": "scrap", "shortfall_penalty_usd_per_t": 10,
             "source": "[E] sc"},
            {"commodity": "sd", "kind": "scrap", "shortfall_penalty_usd_per_t": 10,
             "source": "[E] sd"}],
        "processes": [
            _process("mine", "mining", 1, 20, 50, 2, 10, 0.9, 0.12),
            _process("smelt", "metal", 2, 25, 60, 3, 12, 0.8, 0.15),
            # recipes (issue 14 item 3) of mine and smelt
            _process("mine_lean", "mining", 1, 20, 50, 2, 11, 0.9, 0.12),
            _process("smelt_lean", "metal", 2, 25, 60, 3, 13, 0.8, 0.15)],
        "process_io": [
            {"process": "smelt", "commodity": "sc", "direction": "in",
             "coefficient": 1.2, "source": "[E] io1"},
            {"process": "mine", "commodity": "mt", "direction": "out",
             "coefficient": 0.5, "source": "[E] io2"},
            {"process": "mine", "commodity": "ox", "direction": "out",
             "coefficient": 1, "source": "[E] io3"},
            {"process": "smelt", "commodity": "ox", "direction": "out",
             "coefficient": 1, "source": "[E] io4"},
            {"process": "mine_lean", "commodity": "ox", "direction": "out",
             "coefficient": 1, "source": "[E] io5"},
            {"process": "smelt_lean", "commodity": "sc", "direction": "in",
             "coefficient": 1.1, "source": "[E] io6"},
            {"process": "smelt_lean", "commodity": "ox", "direction": "out",
             "coefficient": 1, "source": "[E] io7"}],
        "capacity": [
            {"region": "ra", "process": "mine", "capacity_tpa": 100,
             "online_year": 2020, "retire_year": 2040, "source": "[E] c1"},
            {"region": "rb", "process": "smelt", "capacity_tpa": 80,
             "online_year": 2021, "retire_year": 2041, "source": "[E] c2"}],
        "expansion": [
            {"region": "ra", "process": "smelt", "max_new_tpa": 50,
             "max_new_tpa_per_year": 20, "earliest_online_year": 2027,
             "capex_usd_per_tpa": 70, "source": "[E] e1"},
            {"region": "rb", "process": "mine", "max_new_tpa": 60,
             "max_new_tpa_per_year": 25, "earliest_online_year": 2026,
             "capex_usd_per_tpa": 80, "source": "[E] e2"}],
        "reserves": [
            {"region": "ra", "process": "mine", "reserve_t": 500, "source": "[E] r1"},
            {"region": "rb", "process": "smelt", "reserve_t": 600,
             "source": "[E] r2"}],
        "demand": [
            {"region": "ra", "commodity": "ox", "year": 2025, "demand_t": 10,
             "source": "[E] d1"},
            {"region": "rb", "commodity": "mt", "year": 2027, "demand_t": 20,
             "source": "[E] d2"}],
        "routes": [
            {"origin": "ra", "destination": "rb", "commodity": "ox",
             "cost_usd_per_t": 5, "tariff_pct": 10, "transit_days": 30,
             "source": "[E] t1"},
            {"origin": "rb", "destination": "ra", "commodity": "",
             "cost_usd_per_t": 6, "tariff_pct": 12, "transit_days": 35,
             "source": "[E] t2"}],
        "stockpiles": [
            {"region": "ra", "commodity": "ox", "initial_t": 5, "max_release_tpa": 2,
             "release_cost_usd_per_t": 50, "china_share": 0.2, "source": "[E] s1"},
            {"region": "rb", "commodity": "mt", "initial_t": 6, "max_release_tpa": 3,
             "release_cost_usd_per_t": 60, "china_share": 0.4, "source": "[E] s2"}],
        # calibration (MODEL-SPEC §8.3): valid whichever column two rows swap
        "calibration": [
            {"year": 2025, "quantity": "activity", "region": "ra", "process": "mine",
             "commodity": "ox", "destination": "rb", "value": 5, "tolerance_pct": 10,
             "source": "[E] cal1"},
            {"year": 2026, "quantity": "flow", "region": "rb", "process": "smelt",
             "commodity": "mt", "destination": "ra", "value": 3, "tolerance_pct": 20,
             "source": "[E] cal2"}],
        "scenarios": [
            # compare_to: blank on the baseline (valid only there), 'base' on cut
            # based_on: 'cut' inherits the baseline's rules (a valid chain);
            # probability: 0.4 + 0.6 = 1 (MODEL-SPEC §8.4); hedge_only differs
            {"scenario": "base", "description": "China supplies", "is_baseline": "true",
             "compare_to": "", "based_on": "", "probability": 0.4,
             "hedge_only": "false", "source": "[E] sc1"},
            {"scenario": "cut", "description": "China stops", "is_baseline": "false",
             "compare_to": "base", "based_on": "base", "probability": 0.6,
             "hedge_only": "true", "source": "[E] sc2"}],
        "scenario_rules": [
            {"scenario": "cut", "rule": "scale", "target": "alliance",
             "commodity": "ox", "field": "demand", "value": 1.1, "from_year": 2026,
             "source": "[E] sr1"},
            {"scenario": "base", "rule": "lead_time_add", "target": "ra",
             "commodity": "mt", "field": "mining", "value": 1, "from_year": 2025,
             "source": "[E] sr2"}],
        # the §8.2 frictions: a stage curve and a process's own curve, limits for
        # two stages and targets
        "ramp_up": [
            {"stage": "mining", "process": "", "year_in_service": 1,
             "fraction": 0.5, "source": "[E] ru1"},
            {"stage": "", "process": "smelt", "year_in_service": 2,
             "fraction": 0.8, "source": "[E] ru2"}],
        "build_limits": [
            {"stage": "mining", "target": "alliance", "max_new_tpa_per_year": 40,
             "from_year": 2025, "source": "[E] bl1"},
            {"stage": "metal", "target": "rb", "max_new_tpa_per_year": 30,
             "from_year": 2026, "source": "[E] bl2"}],
        # the §8.3 contracts: an offtake from one region with take-or-pay, one from
        # any region; a floor with its payer and one paid by its region
        "offtakes": [
            {"offtake": "o1", "buyer": "rb", "seller": "ra", "commodity": "ox",
             "price_usd_per_t": 90, "min_tpa": 1, "max_tpa": 4, "from_year": 2025,
             "to_year": 2026, "source": "[E] o1"},
            {"offtake": "o2", "buyer": "ra", "seller": "", "commodity": "mt",
             "price_usd_per_t": 80, "min_tpa": 0, "max_tpa": 3, "from_year": 2026,
             "to_year": 2027, "source": "[E] o2"}],
        "price_floors": [
            {"floor": "f1", "region": "ra", "commodity": "ox", "floor_usd_per_t": 100,
             "max_tpa": 5, "payer": "treasury", "from_year": 2025, "to_year": 2026,
             "source": "[E] f1"},
            {"floor": "f2", "region": "rb", "commodity": "mt", "floor_usd_per_t": 120,
             "max_tpa": 6, "payer": "", "from_year": 2026, "to_year": 2027,
             "source": "[E] f2"}],
        # recycling from the stock in use and recipes (issue 14 items 2 and 3)
        "eol_lifetimes": [
            {"product": "ox", "scrap": "sc", "years_after": 1, "share": 0.3,
             "source": "[E] el1"},
            {"product": "mt", "scrap": "sd", "years_after": 2, "share": 0.4,
             "source": "[E] el2"}],
        "eol_history": [
            {"region": "ra", "product": "ox", "year": 2020, "delivered_t": 10,
             "source": "[E] eh1"},
            {"region": "rb", "product": "mt", "year": 2021, "delivered_t": 20,
             "source": "[E] eh2"}],
        "eol_collection": [
            {"scrap": "sc", "target": "ra", "max_rate": 0.5, "start_rate": 0.1,
             "start_year": 2025, "growth_per_year": 0.05, "source": "[E] ec1"},
            {"scrap": "sd", "target": "alliance", "max_rate": 0.6, "start_rate": 0.2,
             "start_year": 2026, "growth_per_year": 0.1, "source": "[E] ec2"}],
        "recipes": [
            {"recipe": "mine_lean", "process": "mine", "ready_year": 2025,
             "max_share": 0.5, "adoption_per_year": 0.1, "source": "[E] rc1"},
            {"recipe": "smelt_lean", "process": "smelt", "ready_year": 2026,
             "max_share": 0.6, "adoption_per_year": 0.2, "source": "[E] rc2"}],
        "uncertainty": [
            {"scenario": "cut", "field": "demand", "target": "alliance",
             "commodity": "ox", "stage": "", "distribution": "triangular",
             "low": 0.9, "mode": 1.0, "high": 1.2, "from_year": 2026,
             "source": "[E] u1"},
            {"scenario": "", "field": "lead_time", "target": "ra", "commodity": "",
             "stage": "mining", "distribution": "uniform", "low": 0, "mode": "",
             "high": 2, "from_year": "", "source": "[E] u2"}],
    }


def _columns() -> list[tuple[str, str]]:
    """Every (table, column) of the schema, the free-text ``source`` included."""
    return [(t.name, c) for t in TABLES for c in (*t.column_names, *t.extra_columns)]


def _hash(tmp: Path, tables: Tables) -> str:
    return load_case(write_case(tmp, tables)).input_hash


def test_the_full_case_covers_every_table_and_column() -> None:
    case = full_case()
    assert set(case) == {t.name for t in TABLES}
    for table, column in _columns():
        first, second = case[table][0], case[table][1]
        assert first[column] != second[column], (table, column)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return load_case(write_case(tmp_path_factory.mktemp("full"), full_case()))


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_every_table_is_in_the_hash(table: str, loaded: Case, tmp_path: Path
                                    ) -> None:
    # through load_case: one source text edited in one table only (always valid)
    tables = full_case()
    tables[table][0]["source"] = "[E] edited"
    assert _hash(tmp_path / "edited", tables) != loaded.input_hash


def test_the_hash_is_of_the_loaded_tables(loaded: Case) -> None:
    assert table_hash(loaded.tables) == loaded.input_hash


@pytest.mark.parametrize(("table", "column"), _columns(),
                         ids=[f"{t}.{c}" for t, c in _columns()])
def test_every_column_is_in_the_hash(table: str, column: str, loaded: Case) -> None:
    # rows 0 and 1 swap their values in this column only: the loaded content of
    # exactly this table and column changes (the two rows differ in every column)
    frames = {name: frame.copy() for name, frame in loaded.tables.items()}
    frame = frames[table]
    at = frame.columns.get_loc(column)
    first, second = frame.iat[0, at], frame.iat[1, at]
    frame.iat[0, at], frame.iat[1, at] = second, first
    assert table_hash(frames) != loaded.input_hash


def test_row_order_and_number_spelling_do_not_change_the_hash(loaded: Case,
                                                              tmp_path: Path) -> None:
    # the hash is of the loaded content: rows in another order, 10 written as
    # "10.0" and a padded cell load to the same tables
    tables = full_case()
    for rows in tables.values():
        rows.reverse()
    tables["demand"][1]["demand_t"] = "10.0"
    tables["regions"][1]["name"] = " Alpha "
    assert _hash(tmp_path / "same", tables) == loaded.input_hash


def _loaded(tmp: Path, tables: Tables) -> tuple[dict[str, pd.DataFrame], str] | None:
    try:
        case = load_case(write_case(tmp, tables))
    except InputError:
        return None
    return {name: _plain(frame) for name, frame in case.tables.items()}, case.input_hash


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The loaded table without its bookkeeping columns (the source row number)."""
    return frame.drop(columns=[c for c in frame.columns if c.startswith("_")])


def _canonical(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    columns = sorted(frame.columns)
    return sorted(tuple(repr(v) for v in row)
                  for row in frame[columns].itertuples(index=False, name=None))


EDITS = st.sampled_from(["10", "10.0", "1e1", "0.5", "2026", "", " ox ", "mt", "ra",
                         "true", "false", "oxide", "mining", "x"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.too_slow],
          deadline=None)
@given(where=st.sampled_from(_columns()), row=st.integers(0, 1), value=EDITS)
def test_same_hash_exactly_when_the_loaded_tables_are_equal(
        loaded: Case, tmp_path_factory: pytest.TempPathFactory, where: tuple[str, str],
        row: int, value: str) -> None:
    table, column = where
    edited = full_case()
    edited[table][row][column] = value
    other = _loaded(tmp_path_factory.mktemp("edited"), edited)
    assume(other is not None)  # an invalid edit has no hash
    assert other is not None
    same = all(_canonical(_plain(frame)) == _canonical(other[0][name])
               for name, frame in loaded.tables.items())
    assert (loaded.input_hash == other[1]) == same
