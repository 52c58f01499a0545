"""Build tiny cases in code: each table a list of dicts, written as CSV files."""

from __future__ import annotations

import csv
import functools
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_TABLES: dict[str, list[dict[str, object]]] = {
    "settings": [
        {"key": "base_year", "value": 2025},
        {"key": "end_year", "value": 2027},
        {"key": "discount_rate", "value": 0.0},
    ],
    "scenarios": [{"scenario": "baseline", "is_baseline": "true"}],
}


def write_case(folder: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    """Write ``tables`` (plus default settings/scenarios) as CSVs into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = {**DEFAULT_TABLES, **tables}
    for name, rows in merged.items():
        if not rows:
            continue  # an empty list means the optional table is absent
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def settings(base: int, end: int, rate: float = 0.0, **extra: object
             ) -> list[dict[str, object]]:
    rows = [{"key": "base_year", "value": base}, {"key": "end_year", "value": end},
            {"key": "discount_rate", "value": rate}]
    rows += [{"key": k, "value": v} for k, v in extra.items()]
    return rows


def one_commodity(penalty: float = 1000.0, price: float = 0.0
                  ) -> list[dict[str, object]]:
    return [{"commodity": "ox", "kind": "oxide", "reference_price_usd_per_t": price,
             "shortfall_penalty_usd_per_t": penalty}]


def mine(name: str = "mine", cost: float = 10.0, lead: int = 0, life: int = 30,
         capex: float = 0.0, fom: float = 0.0, out: str = "ox") -> tuple[dict, dict]:
    """A source process and its single output row."""
    proc = {"process": name, "stage": "mining", "lead_time_years": lead,
            "lifetime_years": life, "capex_usd_per_tpa": capex,
            "fixed_om_usd_per_tpa": fom, "variable_cost_usd_per_t": cost}
    return proc, {"process": name, "commodity": out, "direction": "out",
                  "coefficient": 1}


def china_and_local_mine(settings_rows: list[dict[str, object]]
                         ) -> dict[str, list[dict[str, object]]]:
    """Region a (alliance) and China (cn): China's mine 60 t/yr at 10 USD/t, free
    route to a; a local mine in a expandable at capex 300/tpa over 30 years,
    20 USD/t, lead 1; one commodity ``ox`` at a 1000 USD/t shortfall penalty. The
    caller adds demand, scenarios and rules."""
    china, china_out = mine("china_mine", cost=10, lead=0)
    local, local_out = mine("local_mine", cost=20, lead=1, capex=300, life=30)
    return {
        "settings": settings_rows,
        "regions": [{"region": "a", "bloc": "alliance"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": one_commodity(penalty=1000),
        "processes": [china, local], "process_io": [china_out, local_out],
        "capacity": [{"region": "cn", "process": "china_mine", "capacity_tpa": 60}],
        "expansion": [{"region": "a", "process": "local_mine"}],
        "routes": [{"origin": "cn", "destination": "a", "cost_usd_per_t": 0}],
    }


def write_workbook(path: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    """The same tables as ``write_case``, as one .xlsx sheet per table; numbers are
    stored as numeric cells, as a user's spreadsheet would hold them."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in {**DEFAULT_TABLES, **tables}.items():
        if not rows:
            continue
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        ws = wb.create_sheet(name)
        ws.append(columns)
        for row in rows:
            ws.append([_cell(row.get(c)) for c in columns])
    wb.save(path)
    return path


def _cell(value: object) -> object:
    if isinstance(value, str):
        try:
            return float(value) if value.strip() not in ("", "true", "false") else value
        except ValueError:
            return value
    return value


def shared_unless_mutating(scope: str) -> Callable[[str, object], str]:
    """A fixture scope: ``scope`` normally, per test while `make mutate` collects
    its statistics (MUTANT_UNDER_TEST=stats), where mutmut maps each test to the
    functions it calls and a shared fixture's work would count for the first test
    only. A mutant's own run shares the fixture again: it is built once under that
    mutant, so every test still sees the mutant, at the cost of one solve."""

    def pick(fixture_name: str, config: object) -> str:
        return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else scope

    return pick


def row_terms(rows: Any, keys: list[str], frames: dict[str, tuple[Any, list[str]]]
              ) -> dict[tuple, float]:
    """A constraint family's ``Rows`` as (row key..., variable family, variable
    key...) -> coefficient, summed over repeated terms; ``keys``: the row keys'
    columns; ``frames``: variable family -> (its index frame, its key columns)."""
    got: dict[tuple, float] = {}
    for t in rows.terms:
        n = len(t.row)
        family = np.broadcast_to(np.asarray(t.family, dtype=object), (n,))
        coef = np.broadcast_to(np.asarray(t.coef, dtype=float), (n,))
        for f, r, p, c in zip(family, t.row, t.position, coef, strict=True):
            frame, columns = frames[f]
            key = (*rows.keys[keys].iloc[r], f, *frame[columns].iloc[p])
            got[key] = got.get(key, 0.0) + float(c)
    return got


@functools.cache
def loaded_index(tables_of: Callable[[], dict[str, list[dict[str, object]]]],
                 scenario: str = "baseline") -> Any:
    """The ``LPIndex`` of scenario ``scenario`` of the case ``tables_of()`` (written
    by ``write_case`` into a temporary folder, loaded, indexed), built once per
    process. Loading and indexing are model/data code, never mutated by a
    formulation group of `make mutate`: a mutant's run (forked by mutmut from the
    process that ran the clean tests) reuses this index and pays only for the
    family rows it checks. The rows and costs read the index, never change it."""
    from model.data.case import load_case
    from model.data.indices import build_index
    from model.data.scenarios import scenario_data

    with tempfile.TemporaryDirectory(prefix="index_") as root:
        case = load_case(write_case(Path(root) / "case", tables_of()))
        return build_index(scenario_data(case, scenario))


def loaded_case(tables_of: Callable[[], dict[str, list[dict[str, object]]]]) -> Any:
    """A new ``Case`` object of the case ``tables_of()``, with copies of its tables:
    nothing a test or the model derives from it (``model.data.memo`` keeps values
    per ``Case`` object) reaches another test. The case is written, read and
    validated once per process and per mutant of `make mutate` (a mutant's run
    loads it again under that mutant, once for all its tests), and once per test
    while mutmut collects its statistics (``MUTANT_UNDER_TEST=stats``), so that
    every test is mapped to the loading functions it calls."""
    from dataclasses import replace

    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    test = os.environ.get("PYTEST_CURRENT_TEST", "") if mutant == "stats" else ""
    case = _loaded_case(tables_of, mutant, test.rsplit(" ", 1)[0])
    return replace(case, tables={name: frame.copy() for name, frame
                                 in case.tables.items()})


@functools.cache
def _loaded_case(tables_of: Callable[[], dict[str, list[dict[str, object]]]],
                 mutant: str, test: str) -> Any:
    from model.data.case import load_case

    with tempfile.TemporaryDirectory(prefix="case_") as root:
        return load_case(write_case(Path(root) / "case", tables_of()))


@contextmanager
def cpu_seconds_at_most(seconds: float) -> Iterator[None]:
    """Fail (TimeoutError) once the block has used ``seconds`` of CPU time: a
    loop that never ends is a failed test, not a hung run (under `make mutate` a
    mutant that never ends then dies in seconds instead of at mutmut's limit)."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} CPU s")

    previous = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def dense(lp: Any) -> np.ndarray:
    """The constraint matrix of a ``highspy.HighsLp`` (column-wise) as a dense
    array, rows x columns."""
    import scipy.sparse as sp

    a = lp.a_matrix_
    return sp.csc_matrix((np.asarray(a.value_), np.asarray(a.index_),
                          np.asarray(a.start_)),
                         shape=(lp.num_row_, lp.num_col_)).toarray()


def assert_same_lp(index: Any) -> None:
    """The numpy LP (``matrix.assemble``) of ``index`` equals the compiled Pyomo
    model exactly: same columns, rows, coefficients, bounds, costs, order, keys
    and right-hand sides; each constraint's rows where the standard-form compiler
    lays them out."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from model.formulation.matrix import assemble
    from model.formulation.pyomo_model import build_model, compile_program

    model = build_model(index)
    pyomo_lp = compile_program(model)
    numpy_lp = assemble(index)
    a, b = pyomo_lp.lp, numpy_lp.lp
    assert (a.num_col_, a.num_row_) == (b.num_col_, b.num_row_)
    for name in ("col_cost_", "col_lower_", "col_upper_", "row_lower_",
                 "row_upper_"):
        np.testing.assert_array_equal(np.asarray(getattr(a, name)),
                                      np.asarray(getattr(b, name)), err_msg=name)
    for name in ("start_", "index_", "value_"):
        np.testing.assert_array_equal(np.asarray(getattr(a.a_matrix_, name)),
                                      np.asarray(getattr(b.a_matrix_, name)),
                                      err_msg=name)
    assert a.offset_ == b.offset_
    assert pyomo_lp.column_of.keys() == numpy_lp.column_of.keys()
    for family, columns in pyomo_lp.column_of.items():
        np.testing.assert_array_equal(columns, numpy_lp.column_of[family])
        assert pyomo_lp.column_keys[family].equals(numpy_lp.column_keys[family])
    assert list(pyomo_lp.rows) == list(numpy_lp.rows)
    for name, block in numpy_lp.rows.items():
        assert model.row_keys[name][0].equals(block.keys)
        assert pyomo_lp.rows[name].keys.equals(block.keys)
        np.testing.assert_array_equal(pyomo_lp.rows[name].rhs, block.rhs)
        assert pyomo_lp.rows[name].first == block.first
    # rows of each constraint, as the standard-form compiler lays them out
    info = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=None)
    names = [row.constraint.parent_component().name for row in info.rows]
    for name, block in numpy_lp.rows.items():
        first, count = block.first, block.count
        assert names[first:first + count] == [name] * count
        assert len(getattr(model, name)) == count
