"""The Summary and Compare sheets of report.xlsx read back cell by cell against
values derived by hand for a tiny two-element case.

The case: the US mines NdPr oxide itself (50 t a year, 10 USD/t) and imports Dy
oxide (10 t a year) from China (10 USD/t + 0.5 transport = 10.5 landed); a US Dy
mine could be built (capex 30 USD/tpa over 30 years = 1 USD/tpa a year at rate 0,
10 USD/t variable: 11 USD/t, dearer than importing) with a lead time of 2 years.
Horizon 2025-2027, rate 0, penalty 1000 USD/t.

- base: no shortfall; cost = 3 x (50 x 10) + 3 x 10 x (10 + 0.5)
  = 1500 + 300 variable + 15 transport = 1815.
- cut (embargo on China): Dy is short 10 t in 2025 and 2026; 10 tpa of Dy mine
  come online in 2027 (11 USD/t beats the penalty). Cost = 1500 + 100 variable
  + 10 capex (annuity, 2027 only) = 1610; premium 1610 - 1815 = -205
  (-205 / 1815 = -11.29 %), penalty 20 x 1000 = 20000 (not in the cost).
  Scope demand 3 x (50 + 10) = 180 t; shortfall 20 t = 11.11 %.
  NdPr met from 2025, Dy from 2027, overall 2027.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from model.pipeline import run_case
from tests.helpers import settings, shared_unless_mutating, write_case

Row = tuple[object, ...]


def _case() -> dict[str, list[dict[str, object]]]:
    def source(name: str, out: str, **extra: object) -> dict[str, object]:
        return {"process": name, "stage": "mining", "lead_time_years": 2,
                "lifetime_years": 30, "variable_cost_usd_per_t": 10, **extra}

    return {
        "settings": settings(2025, 2027),
        "regions": [{"region": "us", "bloc": "alliance"},
                    {"region": "cn", "bloc": "china"}],
        "commodities": [
            {"commodity": "ndpr", "kind": "oxide", "element": "NdPr",
             "shortfall_penalty_usd_per_t": 1000},
            {"commodity": "dy", "kind": "oxide", "element": "Dy",
             "shortfall_penalty_usd_per_t": 1000}],
        "processes": [source("ndpr_mine", "ndpr"),
                      source("dy_mine", "dy", capex_usd_per_tpa=30)],
        "process_io": [
            {"process": "ndpr_mine", "commodity": "ndpr", "direction": "out",
             "coefficient": 1},
            {"process": "dy_mine", "commodity": "dy", "direction": "out",
             "coefficient": 1}],
        "capacity": [{"region": "us", "process": "ndpr_mine", "capacity_tpa": 100},
                     {"region": "cn", "process": "dy_mine", "capacity_tpa": 100}],
        "expansion": [{"region": "us", "process": "dy_mine"}],
        "demand": [{"region": "us", "commodity": "ndpr", "year": 2025,
                    "demand_t": 50},
                   {"region": "us", "commodity": "dy", "year": 2025, "demand_t": 10}],
        "routes": [{"origin": "cn", "destination": "us", "cost_usd_per_t": 0.5}],
        "scenarios": [{"scenario": "base", "is_baseline": "true"},
                      {"scenario": "cut", "is_baseline": "false"}],
        "scenario_rules": [{"scenario": "cut", "rule": "embargo", "target": "china"}],
    }


@pytest.fixture(scope=shared_unless_mutating("module"))
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("summary_compare")
    run_case(write_case(root / "case", _case()), root / "out")
    return root / "out" / "report.xlsx"


@pytest.fixture
def book(report: Path) -> dict[str, list[Row]]:
    wb = openpyxl.load_workbook(report, read_only=True)
    try:
        return {name: [tuple(r) for r in wb[name].iter_rows(values_only=True)]
                for name in ("Summary", "Compare")}
    finally:
        wb.close()


def test_summary_head_lines(report: Path) -> None:
    # title (bold, 16 pt), the run's identity, the solver status (bold)
    ws = openpyxl.load_workbook(report)["Summary"]
    title, identity, status = ws["A1"], ws["A2"].value, ws["A3"]
    assert title.value == "Reroute report: case"
    assert title.font.b and title.font.sz == 16
    assert re.fullmatch(r"Case case · input hash [0-9a-f]{64} · run "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", identity)
    assert status.value == "Solver status: base (optimal), cut (optimal)."
    assert status.font.b and status.fill.fgColor.rgb in (None, "00000000")
    # columns: the first 26 wide, each other one its title's length + 2, kept
    # between 12 and 22; printed landscape, one page wide
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, 12)]
    titles = ["Status", "Total cost (USD m)", "Cost premium (USD m)",
              "Cost premium (%)", "Demand (kt)", "Shortfall (t)", "Shortfall (%)",
              "Self-sufficient (all)", "NdPr self-sufficient", "Dy self-sufficient"]
    assert widths == [26] + [max(12, min(len(t) + 2, 22)) for t in titles]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def _table_after(rows: list[Row], first_cell: str) -> list[Row]:
    """The header row whose first cell is ``first_cell`` and the rows under it, up
    to the next blank row; trailing empty cells dropped."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_cell)
    table = []
    for row in rows[start:]:
        if not row or all(v is None for v in row):
            break
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        table.append(tuple(values))
    return table


def _block(rows: list[Row], title: str) -> list[Row]:
    """The table under the heading row ``title``."""
    at = next(i for i, r in enumerate(rows) if r and r[0] == title)
    return _table_after(rows[at + 1:], rows[at + 1][0])  # type: ignore[arg-type]


def _approx(rows: list[Row]) -> list[Row]:
    return [tuple(pytest.approx(v) if isinstance(v, int | float) else v for v in r)
            for r in rows]


PCT_CUT = -205 / 1815 * 100
SHORT_PCT_CUT = 20 / 180 * 100


def test_summary_headline_rows(book: dict[str, list[Row]]) -> None:
    table = _table_after(book["Summary"], "Scenario")
    assert table[0] == ("Scenario", "Status", "Total cost (USD m)",
                        "Cost premium (USD m)", "Cost premium (%)", "Demand (kt)",
                        "Shortfall (t)", "Shortfall (%)", "Self-sufficient (all)",
                        "NdPr self-sufficient", "Dy self-sufficient")
    # each scenario's own key-element years: NdPr (150 t) before Dy (30 t)
    assert table[1:] == _approx([
        ("base", "optimal", 1815, 0, 0, 180, 0, 0, 2025, 2025, 2025),
        ("cut", "optimal", 1610, -205, PCT_CUT, 180, 20, SHORT_PCT_CUT, 2027,
         2025, 2027),
    ])


def test_summary_notes_under_the_table(book: dict[str, list[Row]]) -> None:
    rows = book["Summary"]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Scenario")
    notes = [r[0] for r in rows[header + 4:] if r and r[0]]  # header, 2 rows, blank
    assert notes == [
        "Costs: supply cost without the shortfall penalty, discounted to 2025; "
        "premium against the baseline.",
        "Self-sufficient year: first year from which, in every later year, the "
        "alliance's shortfall is within the tolerance; blank = never in the horizon.",
        "Key elements (largest demand first): NdPr, Dy. Per commodity: sheet "
        "data_kpi_by_commodity; what limits the answer: sheet Bottlenecks.",
    ]


def test_summary_sentences_are_each_scenarios_own(book: dict[str, list[Row]]
                                                  ) -> None:
    # "In brief": two sentences per scenario, the second indented; from the
    # numbers of the module docstring (205 / 1815 = 11.3 %, 20 / 180 = 11.1 %)
    rows = [r[0] if r else None for r in book["Summary"]]
    start = rows.index("In brief")
    assert rows[start + 1:start + 5] == [
        "Baseline 'base': NdPr and Dy demand is met from the start (2025); overall "
        "self-sufficient from 2025.",
        "    Shortfall 0 t (0.0 % of demand); supply costs USD 1,815.",
        "Scenario 'cut': NdPr demand is met from the start (2025); Dy demand is met "
        "from 2027; overall self-sufficient from 2027.",
        "    Shortfall 20 t (11.1 % of demand); supply costs USD 1,610, USD 205 less "
        "than the baseline (-11.3 %), cheaper only because demand goes unmet.",
    ]


def test_compare_headline_block(book: dict[str, list[Row]]) -> None:
    assert _block(book["Compare"], "Headline") == _approx([
        ("metric", "base", "cut"),
        ("Total cost (USD m)", 1815, 1610),
        ("Cost premium (USD m)", 0, -205),
        ("Cost premium (%)", 0, PCT_CUT),
        ("Shortfall (t)", 0, 20),
        ("Shortfall (%)", 0, SHORT_PCT_CUT),
        ("Self-sufficient year", 2025, 2027),
    ])


def test_compare_deltas_are_scenario_minus_baseline(book: dict[str, list[Row]]
                                                    ) -> None:
    compare = book["Compare"]
    # discounted cost by category (rate 0): see the module docstring
    assert _block(compare, "Discounted cost by category (USD m)") == _approx([
        ("category", "base", "cut", "Δ cut"),
        ("capex", 0, 10, 10),
        ("penalty", 0, 20000, 20000),
        ("transport", 15, 0, -15),
        ("variable", 1800, 1600, -200),
    ])
    assert _block(compare, "Shortfall by commodity over the horizon (t)") == _approx([
        ("commodity", "base", "cut", "Δ cut"),
        ("dy", 0, 20, 20),
        ("ndpr", 0, 0, 0),
    ])
    assert _block(compare, "New capacity by region and stage (tpa, all online "
                           "years)") == _approx([
        ("region", "stage", "base", "cut", "Δ cut"),
        ("us", "mining", 0, 10, 10),
    ])
