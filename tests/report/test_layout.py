"""Sheet names, generated sentences and the row-limit cut, without a solver."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import model.report.excel.tables as tables
from model.data.case import Case, Settings
from model.report.excel.book import write_book
from model.report.excel.cells import Sheets
from model.report.excel.data import ReportData
from model.report.excel.series import key_commodity, price_over_time
from model.report.excel.summary import element_sentence, status_line, usd
from model.report.excel.writer import Book
from tests.report.conftest import EVIL


def test_sheet_titles_are_short_unique_and_valid() -> None:
    sheets = Sheets(Book(Path("unused.xlsx")))  # titles only: never saved
    long = "x" * 40
    titles = [sheets.title(long), sheets.title(long.upper()), sheets.title("a/b:c?"),
              sheets.title("Summary"), sheets.title("summary")]
    assert all(len(t) <= 31 for t in titles)
    assert len({t.lower() for t in titles}) == len(titles)
    assert titles[1] == "X" * 27 + " (2)"
    assert titles[2] == "a_b_c_"
    assert titles[4] == "summary (2)"


def test_element_sentence_groups_years_and_names_the_short() -> None:
    text = element_sentence({"NdPr": 2031, "Dy": None, "Tb": None, "Ce": 2025},
                            2025, 2040)
    assert text == ("Ce demand is met from the start (2025); NdPr demand is met "
                    "from 2031; Dy and Tb stay short to the end of the horizon (2040)")


@pytest.mark.parametrize(("value", "text"), [(2.5e9, "USD 2.50 bn"),
                                             (-20_443_030.0, "USD 20.4 m"),
                                             (12_345.0, "USD 12,345")])
def test_usd_words(value: float, text: str) -> None:
    assert usd(value) == text


def test_table_over_the_row_limit_is_cut_with_a_note(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pretend Excel holds 10 rows: 1 note + 1 header + 8 data rows fit
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 10)
    frame = pd.DataFrame({"region": [EVIL] * 25, "value": range(25)})
    write_book(tmp_path / "cut.xlsx",
               lambda sheets: tables.write_plain(sheets, "data_x", frame, "t_x"))
    ws = openpyxl.load_workbook(tmp_path / "cut.xlsx")["data_x"]
    assert ws.max_row == 10
    assert ws["A1"].value.startswith("Only the first 8 of 25 rows fit in Excel")
    assert [c.value for c in ws[2]] == ["region", "value"]
    assert ws["B10"].value == 7
    assert ws["A3"].data_type == "s" and ws["A3"].value == EVIL
    assert ws.tables["t_x"].ref == "A2:B10"
    assert ws.freeze_panes == "A3"


def _magnet_case() -> ReportData:
    """A magnet needs NdPr alloy and Dy metal; La oxide is demanded directly."""
    commodities = pd.DataFrame({
        "commodity": ["mag", "alloy", "dy_metal", "dy_ox", "la_ox", "conc"],
        "kind": ["magnet", "alloy", "metal", "oxide", "oxide", "concentrate"],
        "element": ["", "NdPr", "Dy", "Dy", "La", "mixed"]})
    io = pd.DataFrame([("magnet", "alloy", "in"), ("magnet", "dy_metal", "in"),
                       ("magnet", "mag", "out"), ("reduce", "dy_ox", "in"),
                       ("reduce", "dy_metal", "out"), ("sep", "conc", "in"),
                       ("sep", "dy_ox", "out"), ("sep", "la_ox", "out")],
                      columns=["process", "commodity", "direction"])
    kpi = pd.DataFrame({"scenario": ["b", "b", "s", "s"],
                        "commodity": ["mag", "la_ox", "mag", "la_ox"],
                        "demand_t": [100.0, 300.0, 100.0, 300.0],
                        "self_sufficient_year": pd.array([2025, 2025, 2031, None],
                                                         dtype="Int64")})
    summary = pd.DataFrame({"scenario": ["b", "s"], "is_baseline": [True, False]})
    return ReportData({"kpi_by_commodity": kpi, "summary": summary},
                      {"commodities": commodities, "process_io": io}, {})


def test_key_elements_include_what_the_supply_chain_needs() -> None:
    # la_ox (300 t) needs La; mag (100 t) needs its own label (blank element, so
    # the commodity) and NdPr (alloy) and Dy (metal) of its chain; the Dy oxide
    # upstream is Dy again and the concentrate ("mixed") is not separated.
    data = _magnet_case()
    assert [(e.name, e.commodities, e.demand_t) for e in data.key_elements] == [
        ("La", ("la_ox",), 300.0), ("mag", ("mag",), 100.0),
        ("NdPr", ("mag",), 100.0), ("Dy", ("mag",), 100.0)]
    assert data.element_years("s") == {"La": None, "mag": 2031, "NdPr": 2031,
                                       "Dy": 2031}
    assert key_commodity(data, "Dy") == "dy_ox"  # the oxide stands for Dy
    assert key_commodity(data, "NdPr") == "alloy"  # no oxide, none demanded
    assert key_commodity(data, "mag") == "mag"  # blank element: the commodity


def test_element_sentence_when_everything_is_met_from_the_start() -> None:
    assert element_sentence({"NdPr": 2025, "Dy": 2025, "Tb": 2025}, 2025, 2040) == (
        "demand of every key element is met from the start (2025)")


def test_control_characters_do_not_break_the_write(tmp_path: Path) -> None:
    # xlsx cannot hold \x01: the text is kept with U+FFFD in its place
    frame = pd.DataFrame({"source": ["page\x01 12", "=1+1\x02"]})
    write_book(tmp_path / "ctl.xlsx",
               lambda sheets: tables.write_plain(sheets, "in_x", frame, "in_x"))
    ws = openpyxl.load_workbook(tmp_path / "ctl.xlsx")["in_x"]
    assert ws["A2"].value == "page\ufffd 12"
    assert ws["A3"].value == "=1+1\ufffd" and ws["A3"].data_type == "s"


def test_status_line_warns_about_a_scenario_that_is_not_optimal() -> None:
    summary = pd.DataFrame({"scenario": ["b", "s"], "is_baseline": [True, False],
                            "status": ["optimal", "time limit"]})
    text, warn = status_line(ReportData({"summary": summary}, {}, {}))
    assert warn
    assert text.startswith("WARNING: not solved to optimality: s (time limit).")


def test_price_without_demand_is_weighted_by_use() -> None:
    # dy_ox has no final demand: region A uses 30 t (10 t activity x 3), region B
    # 10 t; C uses none and its dual (999) is left out: (100*30 + 200*10) / 40 = 125
    data = _magnet_case()
    data.tables["shortfall"] = pd.DataFrame(
        columns=["scenario", "region", "commodity", "year", "demand_t"])
    data.tables["production"] = pd.DataFrame({
        "scenario": ["b", "b"], "region": ["A", "B"], "process": ["reduce", "reduce"],
        "year": [2025, 2025], "activity_t": [10.0, 10.0 / 3]})
    data.tables["prices"] = pd.DataFrame({
        "scenario": ["b"] * 3, "region": ["A", "B", "C"], "commodity": ["dy_ox"] * 3,
        "year": [2025] * 3, "marginal_cost_usd_per_t": [100.0, 200.0, 999.0]})
    data.inputs["process_io"] = data.inputs["process_io"].assign(coefficient=3.0)
    regions = pd.DataFrame({"region": ["A", "B", "C"], "bloc": ["alliance"] * 3})
    data.case = Case("t", "", {"regions": regions}, Settings(2025, 2025), "")
    frame = price_over_time(data, "dy_ox")
    assert frame["b"].tolist() == pytest.approx([125.0])
