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

Headline metrics (MODEL-SPEC §8.1), reference price 100 USD/t for both oxides:
- demand value 3 x 60 x 100 = 18000 in each scenario; cut leaves 20 t x 100 =
  2000 unmet at reference prices (11.11 %), 20 x 1000 = 20000 at the penalty.
- full cost: base 1815, cut 1610 + 20000 = 21610; premium 19795 (+1090.63 %).
- delivered-cost premium: (1610 / (18000 - 2000)) / (1815 / 18000) - 1 = -0.2066 %.
- steady-state premium: the last 5 years cover the whole 3-year horizon, so
  (1610 - 1815) / 1815 = -11.29 %.
- value met per year in cut: 2025 and 2026 (60 - 10) / 60 = 83.33 %, 2027 100 %;
  horizon 16000 / 18000 = 88.89 %. Worst year 2025 (16.67 % unmet, the earliest of
  the equal 2025 and 2026); mostly met (1 %) from 2027.

Money apart from cost (MODEL-SPEC §8.3): no floors and no offtakes, so no
transfers and no revenue, and the net cost (and its premium) is the supply cost.
The alliance's buyers pay the marginal cost of what is delivered: base NdPr
150 t x 10 (spare US mine) + Dy 30 t x 10.5 (China landed)
= 1815; cut NdPr 1500 + Dy 10 t in 2027 x 11 (the build's variable cost + its
1 USD/tpa annuity, the dearest tonne) = 1610 (nothing delivered in 2025-26).
"""

from __future__ import annotations

import copy
import functools
import re
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from model.data.case import Case, load_case
from model.data.coerce import ROW
from model.pipeline import run_case
from model.report.excel.book import write_book
from model.report.excel.data import ReportData
from model.report.excel.summary import write_summary
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
             "shortfall_penalty_usd_per_t": 1000, "reference_price_usd_per_t": 100},
            {"commodity": "dy", "kind": "oxide", "element": "Dy",
             "shortfall_penalty_usd_per_t": 1000, "reference_price_usd_per_t": 100}],
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


# The same Summary written from hand-made tables (no solve): each number below
# is the module docstring's, so the checks read the same cells back. Under
# `make mutate` these run first and a Summary mutant dies without a solve.
PCT_CUT = -205 / 1815 * 100
SHORT_PCT_CUT = 20 / 180 * 100
FULL_PCT_CUT = (21610 - 1815) / 1815 * 100
DELIVERED_PCT_CUT = (1610 / 16000 / (1815 / 18000) - 1) * 100
MET_CUT = 100 * 50 / 60


def _hand_tables() -> dict[str, pd.DataFrame]:
    summary = pd.DataFrame({
        "scenario": ["base", "cut"], "is_baseline": [True, False],
        "status": ["optimal", "optimal"], "compare_to": ["base", "base"],
        "total_cost_usd": [1815.0, 1610.0], "cost_premium_usd": [0.0, -205.0],
        "cost_premium_pct": [0.0, PCT_CUT], "demand_t": [180.0, 180.0],
        "shortfall_t": [0.0, 20.0], "shortfall_pct": [0.0, SHORT_PCT_CUT],
        "self_sufficient_year": [2025, 2027],
        "unmet_share_pct": [0.0, 2000 / 18000 * 100],
        "full_cost_premium_pct": [0.0, FULL_PCT_CUT],
        "delivered_cost_premium_pct": [0.0, DELIVERED_PCT_CUT],
        "worst_year": pd.array([None, 2025], dtype="Int64"),
        "worst_year_unmet_share_pct": [0.0, 1000 / 6000 * 100],
        "mostly_met_year": [2025, 2027],
        # money apart from cost: no floors or offtakes; buyers pay 1815 and 1610
        "transfers_usd": [0.0, 0.0], "offtake_revenue_usd": [0.0, 0.0],
        "offtake_penalty_usd": [0.0, 0.0], "net_cost_usd": [1815.0, 1610.0],
        "buyers_pay_usd": [1815.0, 1610.0]})
    # per commodity over the horizon: 150 t NdPr, 30 t Dy; cut's Dy met from 2027
    kpi = pd.DataFrame({"scenario": ["base", "base", "cut", "cut"],
                        "commodity": ["dy", "ndpr", "dy", "ndpr"],
                        "demand_t": [30.0, 150.0, 30.0, 150.0],
                        "self_sufficient_year": [2025, 2025, 2027, 2025]})
    group = pd.DataFrame({"scenario": ["base", "cut"], "group": ["oxide", "oxide"],
                          "demand_t": [180.0, 180.0], "shortfall_t": [0.0, 20.0],
                          "shortfall_pct": [0.0, SHORT_PCT_CUT],
                          "demand_value_usd": [18000.0, 18000.0]})
    met = pd.DataFrame({"scenario": ["base"] * 3 + ["cut"] * 3,
                        "year": [2025, 2026, 2027] * 2,
                        "met_pct": [100.0, 100.0, 100.0, MET_CUT, MET_CUT, 100.0]})
    return {"summary": summary, "kpi_by_commodity": kpi, "kpi_by_group": group,
            "value_met_by_year": met}


@functools.cache
def _loaded() -> tuple[Case, dict[str, pd.DataFrame]]:
    """The case, loaded once per process, and its input tables. ``load_case`` is
    most of a hand-made Summary's time and is not mutated by the summary group;
    a mutant's run (forked by mutmut after its clean run) reuses this load. The
    Summary reads the loaded frames only (never the case's folder)."""
    with tempfile.TemporaryDirectory(prefix="summary_case_") as root:
        case = load_case(write_case(Path(root) / "case", _case()))
    return case, {n: f.drop(columns=[ROW]) for n, f in case.tables.items()}


def _hand_data(tables: dict[str, pd.DataFrame], input_hash: str) -> ReportData:
    """The report's data from ``tables`` and fresh copies of the loaded inputs."""
    case, inputs = _loaded()
    return ReportData(tables, {n: f.copy() for n, f in inputs.items()},
                      {"case": "case", "input_hash": input_hash}, copy.deepcopy(case))


@pytest.fixture(scope=shared_unless_mutating("module"))
def hand_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Summary sheet alone, from the case's inputs and the hand-made tables."""
    root = tmp_path_factory.mktemp("summary_hand")
    data = _hand_data(_hand_tables(), "0123456789abcdef" * 4)
    path = root / "summary.xlsx"
    write_book(path, lambda sheets: write_summary(sheets, data))
    return path


@pytest.fixture
def hand_summary(hand_report: Path) -> list[Row]:
    wb = openpyxl.load_workbook(hand_report, read_only=True)
    try:
        return [tuple(r) for r in wb["Summary"].iter_rows(values_only=True)]
    finally:
        wb.close()


def _style(cell: object) -> tuple[object, ...]:
    """(value, number format, size, bold, colour, horizontal alignment)."""
    font = cell.font  # type: ignore[attr-defined]
    rgb = getattr(font.color, "rgb", None)  # none, a theme colour or an RGB
    return (cell.value, cell.number_format, font.sz, bool(font.b),  # type: ignore
            rgb[-6:] if isinstance(rgb, str) else None,
            cell.alignment.horizontal)  # type: ignore[attr-defined]


def test_headline_cells_formats_on_hand_data(tmp_path: Path,
                                             hand_report: Path) -> None:
    # Headline rows 8 (base) and 9 (cut); each metric's value in the right cell
    # of its pair: D, F, H (premiums), J (worst year), L (mostly met), N (strict),
    # P (oxides unmet). 9 pt body text; premiums signed to one decimal, years as
    # whole numbers, the group's % to one decimal; text cells right-aligned.
    ws = openpyxl.load_workbook(hand_report)["Summary"]
    signed, red = "+0.0;-0.0;0.0", "9C0006"
    assert [_style(ws[c]) for c in ("D8", "J8", "L8", "P8")] == [
        ("—", "General", 9, False, None, "right"),   # the baseline: no premium
        ("none", "General", 9, False, None, "right"),  # no year short
        (2025, "0", 9, False, None, None),
        (0, "0.0", 9, False, None, None)]
    cut = [_style(ws[c]) for c in ("D9", "H9", "J9", "N9", "P9")]
    assert cut == [
        (pytest.approx(FULL_PCT_CUT), signed, 9, False, None, None),
        (pytest.approx(PCT_CUT), signed, 9, False, None, None),
        ("2025 (17 %)", "General", 9, False, None, "right"),
        (2027, "0", 9, False, None, None),
        (pytest.approx(SHORT_PCT_CUT), "0.0", 9, False, None, None)]
    # the time path (header row 12, base 13, cut 14): bold header cells on the
    # header fill, the years as whole numbers; the horizon's share to one
    # decimal, each year's as a whole number, in body text
    fill = "D9E1F2"
    assert [_style(ws[c]) for c in ("A12", "B12", "C12")] == [
        ("Scenario", "General", 9, True, None, None),
        ("2025–2027", "General", 9, True, None, "right"),
        (2025, "0", 9, True, None, None)]
    assert [ws[c].fill.fgColor.rgb[-6:] for c in ("A12", "B12")] == [fill, fill]
    assert [_style(ws[c]) for c in ("A14", "B14", "C14")] == [
        ("cut", "General", 9, True, None, None),
        (pytest.approx(100 * 16000 / 18000), "0.0", 9, False, None, None),
        (pytest.approx(MET_CUT), "0", 9, False, None, None)]
    # cut never self-sufficient (blank strict year): "never (by 2027)", the
    # horizon's end, in red; a scenario that did not solve: "not solved".
    # cut's value met 49 %, 50 % and 99.5 %: deep red below 50 %, light red
    # from 50 % to below 99.5 %, none from 99.5 %; base has no 2027 figure: blank
    tables = _hand_tables()
    tables["summary"]["self_sufficient_year"] = pd.array([2025, None], dtype="Int64")
    tables["summary"].loc[0, "status"] = "time limit"
    met = tables["value_met_by_year"]
    met.loc[3:5, "met_pct"] = [49.0, 50.0, 99.5]
    tables["value_met_by_year"] = met.drop(index=2)
    data = _hand_data(tables, "0" * 64)
    write_book(tmp_path / "s.xlsx", lambda sheets: write_summary(sheets, data))
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Summary"]
    assert _style(ws["N9"]) == ("never (by 2027)", "General", 9, False, red, "right")
    assert _style(ws["D8"]) == ("not solved", "General", 9, False, None, "right")
    fills = {c: ws[c].fill.fgColor.rgb[-6:] if ws[c].fill.fill_type else None
             for c in ("C14", "D14", "E14")}
    assert fills == {"C14": "E06666", "D14": "F8CBAD", "E14": None}
    assert ws["E13"].value is None and ws["D13"].value == 100


def test_summary_head_lines(report: Path) -> None:
    _check_head_lines(report)


def test_summary_head_lines_on_hand_data(hand_report: Path) -> None:
    _check_head_lines(hand_report)


def _check_head_lines(report: Path) -> None:
    # the first screen: title (bold, 14 pt), then hash, run time and status on
    # one line; one landscape page at 100 %, the print area exactly the block
    ws = openpyxl.load_workbook(report)["Summary"]
    title, identity = ws["A1"], ws["A2"].value
    assert title.value == ("Reroute: what losing China costs, how long, how much "
                           "goes short — case case")
    assert title.font.b and title.font.sz == 14
    assert re.fullmatch(r"Input hash [0-9a-f]{12} · run \d{4}-\d\d-\d\d "
                        r"\d\d:\d\d UTC · all 2 scenarios solved to optimality",
                        identity)
    # columns: scenario 15.5, comparator 9, then a grid of at least 16 cells of
    # 5.5 (the horizon has only 3 years); widths are stored in whole pixels (1/7
    # of a character), and equal neighbours as one <col> range
    widths = [_width(ws, i) for i in range(1, 19)]
    assert widths == pytest.approx([15.5, 9.0] + [5.5] * 16, abs=1 / 7)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.scale in (None, 100)  # absent = 100 % (ECMA-376)
    # the page geometry test_summary_is_one_pdf_page (LibreOffice, too slow to
    # run per mutant) fits on one page: A4 (paper size 9), margins 0.3 in left and
    # right, 0.35 top and bottom, 0.2 header and footer, centred; 9 pt rows of
    # 11.5 pt set as the sheet's own height, the 14 pt title's row 20 pt
    assert int(ws.page_setup.paperSize) == 9
    m = ws.page_margins
    assert (m.left, m.right, m.top, m.bottom, m.header, m.footer) == (
        0.3, 0.3, 0.35, 0.35, 0.2, 0.2)
    assert ws.print_options.horizontalCentered
    # heights are stored in whole pixels of 0.75 pt: 11.5 pt is written 11.25
    default = ws.sheet_format.defaultRowHeight
    assert default == pytest.approx(11.5, abs=0.75)
    assert ws.sheet_format.customHeight
    assert ws.row_dimensions[1].height == pytest.approx(20, abs=0.75)
    assert ws.row_dimensions[2].height in (None, default)  # no height of its own
    # the last line of the first screen is the 5th assumption (row 35: 2 head
    # lines, blank, heading + 3 header rows + 2 scenarios, blank, time path of 4
    # rows, blank, caveats, chart rows, assumptions of 6 lines)
    assert ws.print_area == "'Summary'!$A$1:$R$35"


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


def test_summary_headline_rows(book: dict[str, list[Row]]) -> None:
    _check_headline_rows(book["Summary"])


def test_summary_headline_rows_on_hand_data(hand_summary: list[Row]) -> None:
    _check_headline_rows(hand_summary)


def _check_headline_rows(rows: list[Row]) -> None:
    table = _table_after(rows, "Cost, time and shortfall per scenario (premiums "
                         "against the scenario under 'Compared with')")[1:]
    # three header lines; every metric's header sits in the right of its two cells
    assert [r[3::2] for r in table[:3]] == [
        ("Full-cost", "Delivered-", "Supply-cost", "Worst year", "Mostly met",
         "All demand", "Oxides"),
        ("premium", "cost premium", "premium", "(% of value", "(1 % of",
         "met (strict)", "unmet"),
        ("(%)", "(%)", "(%)", "unmet)", "value) from", "from", "(% of t)")]
    assert table[2][:2] == ("Scenario", "Compared with")
    # the baseline has no premiums ('—'); cut against base, from the docstring;
    # the last column is the oxides' tonnes unmet (20 of 180 t)
    assert [r[:2] + r[3::2] for r in table[3:]] == _approx([
        ("base", "—", "—", "—", "—", "none", 2025, 2025, 0),
        ("cut", "base", FULL_PCT_CUT, DELIVERED_PCT_CUT, PCT_CUT, "2025 (17 %)", 2027,
         2027, SHORT_PCT_CUT),
    ])
    # the time path: whole horizon, then each year
    path = _block(rows, "Share of demand value met each year (%, at reference "
                  "prices; shaded below 99.5 %)")
    assert path == _approx([("Scenario", "2025–2027", 2025, 2026, 2027),
                            ("base", 100, 100, 100, 100),
                            ("cut", 100 * 16000 / 18000, MET_CUT, MET_CUT, 100)])


def test_summary_notes_under_the_table(book: dict[str, list[Row]]) -> None:
    _check_notes(book["Summary"])


def test_summary_notes_under_the_table_on_hand_data(hand_summary: list[Row]
                                                   ) -> None:
    _check_notes(hand_summary)


def _check_notes(summary: list[Row]) -> None:
    # the caveat of the scenario that goes short (2000 / 18000 = 11.1 % of value;
    # 20 t = 0 kt), and the footnotes under the sentences (then the money block)
    rows = [r[0] if r else None for r in summary]
    caveat = rows.index("Read with care")
    assert rows[caveat + 1:caveat + 3] == [
        "cut: 11.1 % of demand value unmet (0 kt of oxides); its supply-cost "
        "premium -11.3 %", "   leaves that out."]
    brief = rows.index("In brief (every scenario, in words)")
    money = next(i for i, r in enumerate(rows) if r and r.startswith("Money apart"))
    notes = [r for r in rows[brief + 5:money] if r]  # heading, 4 sentence lines
    assert notes == [
        "Costs: supply cost without the shortfall penalty, discounted at 0.0% to "
        "2025; premium against the baseline.",
        "Self-sufficient year: first year from which, in every later year, the "
        "alliance's shortfall is within the tolerance; blank = never in the horizon.",
        "Key elements (largest demand first): NdPr, Dy. Per commodity: sheet "
        "data_kpi_by_commodity; what limits the answer: sheet Bottlenecks.",
    ]


def test_summary_sentences_are_each_scenarios_own(book: dict[str, list[Row]]
                                                  ) -> None:
    _check_sentences(book["Summary"])


def test_summary_sentences_on_hand_data(hand_summary: list[Row]) -> None:
    _check_sentences(hand_summary)


def _check_sentences(summary: list[Row]) -> None:
    # "In brief": two sentences per scenario, the second indented; from the
    # numbers of the module docstring (205 / 1815 = 11.3 %, 20 / 180 = 11.1 %);
    # each scenario's own key-element years: NdPr (150 t) before Dy (30 t)
    rows = [r[0] if r else None for r in summary]
    start = rows.index("In brief (every scenario, in words)")
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
    # every value from the module docstring; the baseline's worst year is blank
    # (no year short)
    assert _block(book["Compare"], "Headline") == _approx([
        ("metric", "base", "cut"),
        ("Compared with", "base", "base"),
        ("Supply cost (USD m)", 1815, 1610),
        ("Supply-cost premium (USD m)", 0, -205),
        ("Supply-cost premium (%)", 0, PCT_CUT),
        ("Net-cost premium (%, offtake revenue netted)", 0, PCT_CUT),
        ("Unmet demand at the penalty (USD m)", 0, 20000),
        ("Full cost (USD m)", 1815, 21610),
        ("Full-cost premium (USD m)", 0, 21610 - 1815),
        ("Full-cost premium (%)", 0, FULL_PCT_CUT),
        ("Delivered-cost premium (%)", 0, DELIVERED_PCT_CUT),
        ("Steady-state premium (%)", 0, PCT_CUT),
        ("Demand value (USD m)", 18000, 18000),
        ("Unmet at reference prices (USD m)", 0, 2000),
        ("Demand value unmet (%)", 0, 2000 / 18000 * 100),
        ("Shortfall (t)", 0, 20),
        ("Shortfall (% of t)", 0, SHORT_PCT_CUT),
        ("Worst year", None, 2025),
        ("Worst year, value unmet (%)", 0, 1000 / 6000 * 100),
        ("Mostly met from", 2025, 2027),
        ("Self-sufficient (strict) from", 2025, 2027),
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


MONEY_ROWS = [("metric", "base", "cut"),
              ("Resource cost (supply cost)", 1815, 1610),
              ("Transfers between members (price floors)", 0, 0),
              ("Offtake revenue (what offtake buyers pay)", 0, 0),
              ("Take-or-pay penalty (offtakes short)", 0, 0),
              ("Net cost (resource cost - offtake revenue + penalty)", 1815, 1610),
              ("What the alliance's buyers pay (at marginal cost)", 1815, 1610)]


SUMMARY_MONEY = ("Money apart from cost (discounted USD m): a price floor moves "
                 "money between members and leaves the resource cost unchanged")


def test_money_apart_from_cost_on_summary_and_compare(book: dict[str, list[Row]]
                                                      ) -> None:
    assert _block(book["Summary"], SUMMARY_MONEY) == _approx(MONEY_ROWS)
    compare = _block(book["Compare"], "Money apart from cost (discounted USD m): "
                     "transfers and revenue are not in the resource cost")
    assert compare == _approx([(*MONEY_ROWS[0], "Δ cut"),
                               *[(*r, r[2] - r[1]) for r in MONEY_ROWS[1:]]])


def _width(ws: object, column: int) -> float | None:
    """The width of 1-based ``column``: the <col> range holding it."""
    for dimension in ws.column_dimensions.values():  # type: ignore[attr-defined]
        if dimension.min is not None and dimension.min <= column <= dimension.max:
            return dimension.width
    return None


def test_money_apart_from_cost_on_hand_data(hand_summary: list[Row]) -> None:
    assert _block(hand_summary, SUMMARY_MONEY) == _approx(MONEY_ROWS)


def test_summary_chart_and_styles(report: Path) -> None:
    _check_chart_and_styles(report)


def test_summary_chart_and_styles_on_hand_data(hand_report: Path) -> None:
    _check_chart_and_styles(hand_report)


def _check_chart_and_styles(report: Path) -> None:
    # the first screen as laid out above: headline header rows 5-7, scenarios 8-9;
    # time path header row 12, base 13, cut 14; 'Read with care' at row 16
    ws = openpyxl.load_workbook(report)["Summary"]
    (chart,) = ws._charts
    # one line chart of the time path, right of the caveats from column J
    # (0-based column 9) at the caveats' heading row (0-based 15)
    assert type(chart).__name__ == "LineChart"
    assert (chart.anchor._from.col, chart.anchor._from.row) == (9, 15)
    # a series per scenario over the years (C:E), not the whole-horizon column B;
    # named by the scenario cell, the years of the header row as categories
    # (references without quotes and with absolute names; smooth absent = off)
    assert [(s.val.numRef.f, s.tx.strRef.f, s.cat.numRef.f, bool(s.smooth))
            for s in chart.series] == [
        ("Summary!$C$13:$E$13", "Summary!$A$13", "Summary!$C$12:$E$12", False),
        ("Summary!$C$14:$E$14", "Summary!$A$14", "Summary!$C$12:$E$12", False)]
    # lines 1.75 pt wide (charts.LINE_PT): 1.75 x 12 700 EMU a point = 22 225
    assert [s.spPr.ln.w for s in chart.series] == [22225, 22225]
    y, x = chart.y_axis, chart.x_axis
    assert (y.scaling.min, y.scaling.max) == (0, 100)
    assert y.title.tx.rich.p[0].r[0].t == "% met"
    assert (y.number_format.formatCode, x.number_format.formatCode) == ("0", "0")
    assert not x.delete and not y.delete  # both axes shown (absent = shown)
    assert (x.tickLblSkip, x.tickMarkSkip) == (5, 5)
    assert chart.legend.position == "r"
    # 9 grid columns of 5.5 characters by 13 rows of 11.5 pt: the anchor spans
    # exactly columns J..R and rows 16..28 (from (9, 15) to (18, 28), no offsets)
    a = chart.anchor
    assert (a.to.col - a._from.col, a.to.row - a._from.row) == (9, 13)
    assert (a._from.colOff, a._from.rowOff, a.to.colOff, a.to.rowOff) == (0, 0, 0, 0)
    # cut meets 83.3 % of value in 2025 and 2026 (below 99.5 %, not below 50 %):
    # light red; 2027 (100 %) and the baseline unshaded
    # (colours compared without their alpha byte, which Excel ignores)
    fills = {c.coordinate: c.fill.fgColor.rgb[-6:] for row in ws["C13:E14"]
             for c in row if c.fill.fill_type}
    assert fills == {"C14": "F8CBAD", "D14": "F8CBAD"}
    # headings 11 pt bold dark blue; body 9 pt; header cells on the header fill,
    # the metric's header line bold, the empty left cell of its pair not
    assert [ws.cell(r, 1).value for r in (16, 29)] == [
        "Read with care", "Assumptions that move the answer"]
    for row in (4, 11, 16, 29):
        font = ws.cell(row, 1).font
        assert (font.sz, font.b, font.color.rgb[-6:]) == (11, True, "1F3864")
    assert (ws["A8"].font.sz, ws["A8"].font.b) == (9, True)  # scenario names bold
    assert (ws["B9"].font.sz, ws["B9"].font.b) == (9, False)  # comparator
    assert (ws["A17"].font.sz, ws["A17"].font.b) == (9, False)  # a caveat line
    assert ws["D5"].fill.fgColor.rgb[-6:] == ws["C5"].fill.fgColor.rgb[-6:] == "D9E1F2"
    assert (ws["D5"].font.b, ws["C5"].font.b) == (True, False)
    assert ws["C5"].font.sz == 9  # the empty left cell of a pair: body font
    assert ws["C5"].value is None and ws["E7"].value is None
    assert ws["A5"].fill.fgColor.rgb[-6:] == ws["B7"].fill.fgColor.rgb[-6:] == "D9E1F2"
    assert ws["D5"].alignment.horizontal == "right"
    assert ws["A7"].font.b and ws["B7"].font.b
    # the row labels only on the last header line
    assert [ws[c].value for c in ("A5", "B5", "A6", "B6", "A7", "B7")] == [
        None, None, None, None, "Scenario", "Compared with"]
    # the status line: 9 pt, no warning fill when every scenario solved
    assert ws["A2"].font.sz == 9 and not ws["A2"].fill.fill_type
    colour = ws["A2"].font.color  # black (none, or the theme's text), not red
    assert colour is None or colour.type == "theme"


LONG = "embargo_on_every_chinese_export_from_the_first_year_and_no_new_mines_abroad"


def test_long_sentences_calibration_line_and_money_formats_on_hand_data(
        tmp_path: Path) -> None:
    # cut renamed to a 75-character name: its first sentence (192 characters)
    # wraps at the last space before 150 (146: "...is met"), the lines after
    # the first indented by four spaces; a calibration line (2 observed values,
    # one 12 % off against a 5 % tolerance: 158 characters) wraps the same way,
    # at 144; the money block's scenario columns are in USD m (FMT_USD_M), the
    # first as the second
    tables = _hand_tables()
    for frame in tables.values():
        frame["scenario"] = frame["scenario"].replace("cut", LONG)
    tables["calibration_fit"] = pd.DataFrame({
        "scenario": "base", "quantity": ["production", "production"],
        "region": "us", "process": ["ndpr_mine", "dy_mine"], "commodity": "",
        "year": 2025, "gap_pct": [1.0, 12.0], "tolerance_pct": 5.0})
    data = _hand_data(tables, "0" * 64)
    write_book(tmp_path / "s.xlsx", lambda sheets: write_summary(sheets, data))
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Summary"]
    rows = [r[0] for r in ws.iter_rows(values_only=True)]
    start = rows.index("In brief (every scenario, in words)")
    assert rows[start + 3:start + 8] == [
        f"Scenario '{LONG}': NdPr demand is met from the start (2025); Dy demand is "
        "met", "    from 2027; overall self-sufficient from 2027.",
        "    Shortfall 20 t (11.1 % of demand); supply costs USD 1,610, USD 205 less "
        "than the baseline (-11.3 %), cheaper only because demand goes unmet.",
        "Calibration: the baseline reproduces 1 of 2 observed 2025 values within "
        "their tolerance (largest gap +12.0 %, production us dy_mine 2025) (sheet",
        "    Calibration)."]
    title = rows.index(SUMMARY_MONEY)
    formats = {ws.cell(title + 3, c).number_format for c in (2, 3)}
    assert formats == {"#,##0.0,,"}
