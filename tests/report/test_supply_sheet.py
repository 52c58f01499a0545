"""The Sources-of-supply sheet read back, on the hand case of
tests/results/test_sources.py (its docstring derives every number).

no_china's oxide chart stacks us recycling (1, 3), au separation (5, 5) and the us
stockpile (1, 1) over 2025-2026; the baseline's adds cn separation (6, 6). The
new-capacity table shows 2 tpa of recycling in us.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from model.pipeline import run_case
from model.report.excel.supply import SUPPLY_PALETTE, colours
from tests.helpers import write_case
from tests.results.test_sources import EXPECTED, source_case


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    root = tmp_path_factory.mktemp("supply_sheet")
    run_case(write_case(root / "case", source_case()), root / "out")
    return openpyxl.load_workbook(root / "out" / "report.xlsx")


def _values(book: openpyxl.Workbook, ref: str) -> list[object]:
    sheet, cells = ref.rsplit("!", 1)
    found = book[sheet.strip("'")][cells.replace("$", "")]
    if not isinstance(found, tuple):
        return [found.value]
    return [c.value for row in found for c in (row if isinstance(row, tuple)
                                               else (row,))]


def test_one_chart_per_product_and_scenario(book: openpyxl.Workbook) -> None:
    titles = [c.title.tx.rich.p[0].r[0].t for c in book["Sources of supply"]._charts]
    assert titles == [f"{p}: supply by origin and stage (t), {s}"
                      for s in ("baseline", "no_china") for p in ("mag", "ox")]


@pytest.mark.parametrize(("index", "scenario"), [(1, "baseline"), (3, "no_china")])
def test_oxide_chart_stacks_each_origin(book: openpyxl.Workbook, index: int,
                                        scenario: str) -> None:
    chart = book["Sources of supply"]._charts[index]
    assert chart.grouping == "stacked"
    got = {}
    for s in chart.series:
        label = _values(book, s.tx.strRef.f)[0]
        assert _values(book, s.cat.numRef.f) == [2025, 2026]
        got[label] = _values(book, s.val.numRef.f)
    expected: dict[str, list[float]] = {}
    for (sc, commodity, origin, stage, year), tonnes in EXPECTED.items():
        if sc == scenario and commodity == "ox":
            row = expected.setdefault(f"{origin} · {stage}", [0.0, 0.0])
            row[year - 2025] = tonnes
    assert set(got) == set(expected)
    for label, values in expected.items():
        assert got[label] == pytest.approx(values, abs=1e-6), label


def test_new_capacity_table(book: openpyxl.Workbook) -> None:
    rows = [[c.value for c in row] for row in book["Sources of supply"].iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "Scenario 'no_china'")
    assert rows[start + 1][0].startswith("New capacity by region and stage")
    assert rows[start + 2][:2] == ["region", "recycling"]
    assert rows[start + 3][:2] == ["us", pytest.approx(2.0)]


def test_colours_differ_within_a_chart() -> None:
    # labels 0 and 20 of the order share a palette colour (20 colours); in one
    # chart the second takes the next free one, 'other' is grey
    order = [f"r{i} · s" for i in range(25)]
    got = colours(order, ["r0 · s", "r20 · s", "r1 · s", "other"])
    assert got == [SUPPLY_PALETTE[0], SUPPLY_PALETTE[1], SUPPLY_PALETTE[2],
                   "7F7F7F"]
    assert colours(order, ["r20 · s"]) == [SUPPLY_PALETTE[0]]  # alone: its own
