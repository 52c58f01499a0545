"""Catalogue B-S, B-V and B-R: sheet structure, cell values, references and
semantics (exit 2, or 0 where the input is valid after documented normalisation)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.reliability.builders import Tables, csv_case, xlsx_case
from tests.reliability.catalogue import Entry, check_entry, params


def _csv(edit: Callable[[Tables], None]):  # noqa: ANN202
    return lambda tmp: csv_case(tmp / "case", edit)


def _xlsx(edit: Callable[[Tables], None] | None = None,
          book: Callable[[openpyxl.Workbook], None] | None = None):  # noqa: ANN202
    return lambda tmp: xlsx_case(tmp / "case.xlsx", edit, book)


def _set(table: str, row: int, column: str, value: object):  # noqa: ANN202
    def edit(t: Tables) -> None:
        t[table][row][column] = value
    return edit


def _both(*edits: Callable[[Tables], None]) -> Callable[[Tables], None]:
    def edit(t: Tables) -> None:
        for e in edits:
            e(t)
    return edit


def _raw_csv(name: str, text: bytes):  # noqa: ANN202
    """The base case with ``name``.csv replaced by raw bytes."""
    def build(tmp: Path) -> Path:
        folder = csv_case(tmp / "case")
        (folder / f"{name}.csv").write_bytes(text)
        return folder
    return build


def _rename_sheet(old: str, new: str):  # noqa: ANN202
    def book(wb: openpyxl.Workbook) -> None:
        wb[old].title = new
    return book


def _header(sheet: str, col: int, name: str):  # noqa: ANN202
    def book(wb: openpyxl.Workbook) -> None:
        wb[sheet].cell(row=1, column=col, value=name)
    return book


def _cell(sheet: str, ref: str, value: object):  # noqa: ANN202
    def book(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = value
    return book


def _title_row(wb: openpyxl.Workbook) -> None:
    wb["capacity"].insert_rows(1)
    wb["capacity"]["A1"] = "Supply chain inputs v3"


def _hidden(wb: openpyxl.Workbook) -> None:
    wb["demand"].sheet_state = "hidden"


def _hidden_extra(wb: openpyxl.Workbook) -> None:
    ws = wb.create_sheet("old notes")
    ws["A1"] = "scratch"
    ws.sheet_state = "veryHidden"


def _merged(wb: openpyxl.Workbook) -> None:
    ws = wb["routes"]
    ws.append(["US", "JP", 5])
    ws.merge_cells("A3:A4")


def _shuffled(wb: openpyxl.Workbook) -> None:
    wb.move_sheet("demand", offset=-5)
    wb.create_sheet("notes")["A1"] = "free text"


def _wrong_dimension(wb: openpyxl.Workbook) -> None:
    wb["demand"].append(["US", "ox", 2026, 30])


def _blank_middle(wb: openpyxl.Workbook) -> None:
    ws = wb["demand"]
    ws.insert_rows(3, amount=2)


def _dimension_lie(tmp: Path) -> Path:
    from tests.reliability.builders import rezip, sheet_part
    src = xlsx_case(tmp / "src.xlsx", book=_wrong_dimension)
    part = sheet_part(src, "demand")
    return rezip(src, tmp / "case.xlsx", lambda n, d: d.replace(
        b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:A1"/>') if n == part else d)


def _summary_value(column: str, expected: float):  # noqa: ANN202
    def after(out: Path, _err: str) -> None:
        with open(out / "tables" / "summary.csv", encoding="utf-8") as handle:
            row = next(csv.DictReader(handle))
        assert float(row[column]) == pytest.approx(expected)
    return after


def _contains(table: str, text: str):  # noqa: ANN202
    def after(out: Path, _err: str) -> None:
        assert text in (out / "tables" / f"{table}.csv").read_text(encoding="utf-8")
    return after


def _warned(text: str):  # noqa: ANN202
    def after(_out: Path, err: str) -> None:
        assert text in err
    return after


def _rename_region(old: str, new: str) -> Callable[[Tables], None]:
    def edit(t: Tables) -> None:
        for table in t.values():
            for row in table:
                for key in ("region", "origin", "destination"):
                    if row.get(key) == old:
                        row[key] = new
    return edit


def _drop_table(name: str) -> Callable[[Tables], None]:
    return lambda t: t.pop(name)


def _add_row(table: str, row: dict[str, object]) -> Callable[[Tables], None]:
    return lambda t: t[table].append(row)


# Demand 160 t over 2025-2026 (base case, see builders.base_tables).
BASE_DEMAND = 160.0
DEMAND = "[demand] row 2, column demand_t: "
CAP = "[capacity] row 2, column capacity_tpa: "

STRUCTURE = [
    Entry("S01-missing-sheet", _xlsx(_drop_table("demand")), 2,
          ("[demand]", "required table is missing (no sheet 'demand'", "found:")),
    Entry("S02-sheet-name-spaces-case", _xlsx(book=_rename_sheet("demand", " Demand ")),
          0, after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("S02-sheet-misspelled", _xlsx(book=_rename_sheet("demand", "Demnd")), 2,
          ("no sheet 'demand'", "did you mean 'Demnd'?")),
    Entry("S03-column-misspelled", _xlsx(book=_header("capacity", 3, "capacty_tpa")),
          2, ("[capacity] row 1, column capacity_tpa: required column is missing",
              "did you mean 'capacty_tpa'?")),
    Entry("S04-duplicate-header", _xlsx(book=_header("capacity", 4, "capacity_tpa")),
          2, ("[capacity] row 1, column capacity_tpa: column appears twice",)),
    Entry("S05-header-normalised", _xlsx(book=_header("capacity", 3,
                                                      " Capacity_TPA\u00a0")),
          0, after=_summary_value("total_cost_usd", 2080.0)),
    Entry("S06-title-row", _xlsx(book=_title_row), 2,
          ("[capacity] row 1: header row not found in row 1",
           "'Supply chain inputs v3'")),
    Entry("S07-unknown-column-warns", _xlsx(book=_header("capacity", 5, "comment")),
          0, after=_warned("unknown column 'comment' is ignored")),
    Entry("S08-hidden-table-sheet", _xlsx(book=_hidden), 2,
          ("[demand]", "sheet 'demand' is hidden")),
    Entry("S08-hidden-other-sheet", _xlsx(book=_hidden_extra), 0,
          after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("S09-merged-cells", _xlsx(book=_merged), 2,
          ("[routes] row 3: merged range A3:A4",)),
    Entry("S10-empty-sheet", _xlsx(lambda t: t["demand"].clear()), 2,
          ("[demand] row 1: the table is empty (no header row)",)),
    Entry("S10-header-only-csv", _raw_csv("demand",
                                          b"region,commodity,year,demand_t\n"), 2,
          ("demand.csv [demand]: the table has no data rows",)),
    Entry("S11-blank-rows-skipped", _xlsx(book=_blank_middle), 0,
          after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("S12-dimension-lies", _dimension_lie, 0,
          after=_summary_value("demand_t", 30 + 30 + 50 + 50)),
    Entry("S14-sheets-shuffled", _xlsx(book=_shuffled), 0,
          after=_summary_value("total_cost_usd", 2080.0)),
]

VALUES = [
    Entry("V01-thousands-comma", _csv(_set("capacity", 0, "capacity_tpa", "1,000")), 2,
          (CAP + "'1,000' is not a number",)),
    Entry("V01-thousands-space", _csv(_set("capacity", 0, "capacity_tpa", "1 000")), 2,
          (CAP + "'1 000' is not a number",)),
    Entry("V01-decimal-comma", _csv(_set("capacity", 0, "capacity_tpa", "1.000,5")),
          2, (CAP + "'1.000,5' is not a number",)),
    Entry("V02-n/a", _csv(_set("demand", 0, "demand_t", "n/a")), 2,
          (DEMAND + "'n/a' is not a number",)),
    Entry("V02-dash", _csv(_set("demand", 0, "demand_t", "-")), 2,
          (DEMAND + "'-' is not a number",)),
    Entry("V02-TBD", _csv(_set("demand", 0, "demand_t", "TBD")), 2,
          (DEMAND + "'TBD' is not a number",)),
    Entry("V02-question", _csv(_set("demand", 0, "demand_t", "?")), 2,
          (DEMAND + "'?' is not a number",)),
    Entry("V03-blank-required", _csv(_set("demand", 0, "demand_t", "")), 2,
          (DEMAND + "required value missing",)),
    Entry("V04-negative-capacity", _csv(_set("capacity", 0, "capacity_tpa", -5)), 2,
          (CAP + "-5 is out of range (expected a number >= 0)",)),
    Entry("V04-negative-cost", _csv(_set("processes", 0, "variable_cost_usd_per_t",
                                         -1)), 2,
          ("[processes] row 2, column variable_cost_usd_per_t: -1 is out of range",)),
    Entry("V04-negative-lead-time", _csv(_set("processes", 0, "lead_time_years", -1)),
          2, ("[processes] row 2, column lead_time_years: -1 is out of range",)),
    Entry("V04-negative-stock", _csv(lambda t: t.update(stockpiles=[
        {"region": "US", "commodity": "ox", "initial_t": -3}])), 2,
          ("[stockpiles] row 2, column initial_t: -3 is out of range",)),
    Entry("V05-inf-text", _csv(_set("capacity", 0, "capacity_tpa", "inf")), 2,
          (CAP + "'inf' is not a finite number",)),
    Entry("V05-1e400", _csv(_set("capacity", 0, "capacity_tpa", "1e400")), 2,
          (CAP + "'1e400' is not a finite number",)),
    Entry("V06-sentinel-1e20", _csv(_set("capacity", 0, "capacity_tpa", 1e20)), 2,
          (CAP + "1e+20 is above 1e+09", "'unlimited' sentinel")),
    Entry("V06-sentinel-1e30", _xlsx(_set("capacity", 0, "capacity_tpa", 1e30)), 2,
          (CAP + "1e+30 is above",)),
    Entry("V06-sentinel-max-double", _csv(_set("capacity", 0, "capacity_tpa",
                                               "9.99E+307")), 2, (CAP + "9.99e+307",)),
    Entry("V07-tiny-yield", _csv(_set("process_io", 0, "coefficient", 1e-12)), 2,
          ("[process_io] row 2, column coefficient: 1e-12 is below 1e-06",)),
    Entry("V07-huge-cost", _csv(_set("processes", 0, "variable_cost_usd_per_t",
                                     1e16)), 2, ("1e+16 is above 1e+09",)),
    Entry("V08-below-resolution", _csv(_set("demand", 0, "demand_t", 1e-7)), 2,
          (DEMAND + "1e-07 is below 1e-06, the resolution",)),
    *[Entry(f"V09-error-{code}", _xlsx(book=_cell("demand", "D2", code)), 2,
            (DEMAND + f"Excel error value '{code}'",))
      for code in ("#DIV/0!", "#REF!", "#N/A", "#VALUE!")],
    Entry("V11-boolean-in-number", _xlsx(book=_cell("demand", "D2", True)), 2,
          (DEMAND + "'True' is not a number",)),
    Entry("V11-word-in-boolean", _csv(_set("scenarios", 0, "is_baseline", "maybe")), 2,
          ("[scenarios] row 2, column is_baseline: 'maybe' is not true or false",)),
    Entry("V12-date-in-year",
          _xlsx(book=_cell("demand", "C2", dt.datetime(2030, 1, 1))),
          2, ("[demand] row 2, column year: '2030-01-01 00:00:00' is not a number",)),
    Entry("V12-quarter-text", _csv(_set("demand", 0, "year", "2030 Q1")), 2,
          ("[demand] row 2, column year: '2030 Q1' is not a number",)),
    Entry("V13-fractional-year", _csv(_set("demand", 0, "year", 2030.5)), 2,
          ("[demand] row 2, column year: '2030.5' is not a whole number",)),
    Entry("V13-fy-year", _csv(_set("demand", 0, "year", "FY30")), 2,
          ("'FY30' is not a number",)),
    Entry("V13-float-year-ok", _xlsx(book=_cell("demand", "C2", 2025.0)), 0,
          after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("V14-percent-share", _csv(_set("processes", 0, "availability", "5%")), 2,
          ("[processes] row 2, column availability: '5%' is not a number",
           "without '%'")),
    Entry("V14-share-above-one", _csv(_set("processes", 0, "availability", 5)), 2,
          ("availability: 5 is out of range (expected a number > 0 and <= 1)",)),
    Entry("V15-namibia-csv", _csv(lambda t: None), 0,
          after=_contains("production", "NA,pit")),
    Entry("V15-namibia-xlsx", _xlsx(), 0, after=_contains("production", "NA,pit")),
    Entry("V15-none-null-names", _csv(_both(_rename_region("US", "None"),
                                            _rename_region("JP", "NULL"))), 0,
          after=_contains("flows", "None,NULL")),
    Entry("V16-leading-zeros", _csv(_rename_region("US", "0805")), 0,
          after=_contains("production", "0805,mine")),
    Entry("V17-lower-case-id", _csv(_set("demand", 0, "region", "us")), 2,
          ("[demand] row 2, column region: unknown region 'us'; did you mean 'US'?",)),
    Entry("V17-nbsp-trimmed", _csv(_set("demand", 0, "region", "US\u00a0")), 0,
          after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("V17-zero-width", _csv(_set("demand", 0, "region", "U\u200bS")), 2,
          ("U+200B ZERO WIDTH SPACE; did you mean 'US'?",)),
    Entry("V17-cyrillic", _csv(_set("demand", 1, "region", "J\u0420")), 2,
          ("[demand] row 3, column region: unknown region 'J\u0420' (U+0420 CYRILLIC "
           "CAPITAL LETTER ER; did you mean 'JP'?)",)),
    Entry("V17-full-width", _csv(_set("demand", 0, "region", "\uff35\uff33")), 2,
          ("U+FF35 FULLWIDTH LATIN CAPITAL LETTER U", "did you mean 'US'?")),
    *[Entry(f"V18-control-{hex(ord(ch))}", _csv(_set("regions", 0, "name",
                                                     f"United{ch}States")), 2,
            (f"[regions] row 2, column name: text contains the control character "
             f"U+{ord(ch):04X}",)) for ch in ("\x01", "\x07", "\x1f")],
    Entry("V19-long-text", _csv(_set("regions", 0, "name", "x" * 40_000)), 2,
          ("[regions] row 2, column name: text is 40,000 characters long",)),
    # 'ô' follows "region,name,bloc\n" (17 bytes) and "US,C" (4): offset 21.
    Entry("V21-cp1252", _raw_csv("regions", "region,name,bloc\nUS,Côte,alliance\n"
                                 .encode("cp1252")), 2,
          ("regions.csv [regions]: not UTF-8 (byte 0xF4 at offset 21)",)),
    Entry("V21-utf16", _raw_csv("regions", "region,bloc\nUS,alliance\n"
                                .encode("utf-16")), 2, ("not UTF-8 (byte 0xFF",)),
    Entry("V22-semicolon", _raw_csv("capacity", b"region;process;capacity_tpa\n"
                                    b"US;mine;1,5\n"), 2,
          ("capacity.csv [capacity] row 1: the header looks ';'-separated",)),
    Entry("V22-tab", _raw_csv("capacity", b"region\tprocess\tcapacity_tpa\n"
                              b"US\tmine\t50\n"), 2, ("tab-separated",)),
    Entry("V23-ragged-row", _raw_csv("capacity", b"region,process,capacity_tpa\n"
                                     b"US,mine,50\nNA,pit,20,9\n"), 2,
          ("capacity.csv [capacity]: line 3: expected 3 fields, saw 4",)),
    Entry("V23-unbalanced-quote", _raw_csv("capacity", b'region,process,capacity_tpa'
                                           b'\nUS,"mine,50\n'), 2,
          ("capacity.csv [capacity]: line 2:", "unbalanced quote")),
    Entry("V23-embedded-newline-ok", _csv(_set("regions", 0, "name",
                                               "United\nStates")), 0,
          after=_summary_value("demand_t", BASE_DEMAND)),
    Entry("V24-empty-file", _raw_csv("demand", b""), 2,
          ("demand.csv [demand]: empty file",)),
]

REFERENCES = [
    Entry("R01-duplicate-key", _csv(_add_row("demand", {
        "region": "US", "commodity": "ox", "year": 2025, "demand_t": 7})), 2,
          ("[demand] row 4, column year: rows 2 and 4 duplicate the key "
           "(US, ox, 2025)",)),
    Entry("R02-unknown-origin", _csv(_set("routes", 0, "origin", "NAM")), 2,
          ("[routes] row 2, column origin: unknown region 'NAM'; did you mean 'NA'?",)),
    Entry("R02-unknown-process", _csv(_set("process_io", 1, "process", "pitt")), 2,
          ("[process_io] row 3, column process: unknown process 'pitt'; did you mean "
           "'pit'?",)),
    Entry("R02-unknown-scenario", _csv(lambda t: t.update(scenario_rules=[
        {"scenario": "basline", "rule": "embargo", "target": "china"}])), 2,
          ("[scenario_rules] row 2, column scenario: unknown scenario 'basline'; did "
           "you mean 'baseline'?",)),
    Entry("R02-unknown-bloc", _csv(_set("regions", 1, "bloc", "allience")), 2,
          ("[regions] row 3, column bloc: 'allience' is not allowed",
           "did you mean 'alliance'?")),
    Entry("R04-unreachable-demand", _csv(_both(
        _add_row("commodities", {"commodity": "mag", "shortfall_penalty_usd_per_t": 9}),
        _add_row("demand", {"region": "JP", "commodity": "mag", "year": 2025,
                            "demand_t": 5}))), 2,
          ("[demand] row 4, column commodity: demand for 'mag' in 'JP' cannot be met "
           "from any source",)),
    Entry("R06-retire-before-online", _csv(_both(
        _set("capacity", 0, "online_year", 2030),
        _set("capacity", 0, "retire_year", 2020))), 2,
          ("[capacity] row 2, column retire_year: retire_year 2020 is not after "
           "online_year 2030",)),
    Entry("R06-per-year-above-total", _csv(lambda t: t.update(expansion=[
        {"region": "US", "process": "mine", "max_new_tpa": 10,
         "max_new_tpa_per_year": 40}])), 2,
          ("[expansion] row 2, column max_new_tpa_per_year: max_new_tpa_per_year 40 > "
           "max_new_tpa 10",)),
    Entry("R07-end-before-base", _csv(lambda t: t["settings"].__setitem__(
        1, {"key": "end_year", "value": 2020})), 2,
          ("[settings]", "end_year must not be before base_year")),
    Entry("R07-rule-after-horizon", _csv(lambda t: t.update(scenario_rules=[
        {"scenario": "baseline", "rule": "embargo", "target": "china",
         "from_year": 2040}])), 2,
          ("[scenario_rules] row 2, column from_year: 2040 is after end_year 2026",)),
    Entry("R-no-baseline", _csv(_set("scenarios", 0, "is_baseline", "false")), 2,
          ("[scenarios], column is_baseline: exactly one scenario must have "
           "is_baseline true (found 0)",)),
    Entry("R-two-baselines", _csv(_add_row("scenarios", {
        "scenario": "cut", "is_baseline": "true"})), 2, ("(found 2)",)),
    Entry("R-process-without-output", _csv(lambda t: t["process_io"].pop()), 2,
          ("[processes] row 3, column process: process 'pit' has no 'out' row",)),
    Entry("R-unknown-setting", _csv(_add_row("settings", {"key": "discount",
                                                          "value": 0.1})), 2,
          ("[settings] row 5, column key: 'discount' is not allowed",
           "did you mean 'discount_rate'?")),
    Entry("R-scale-field-typo", _csv(lambda t: t.update(scenario_rules=[
        {"scenario": "baseline", "rule": "scale", "field": "demnd", "value": 2}])), 2,
          ("[scenario_rules] row 2, column field: 'demnd' is not a scale field",
           "did you mean 'demand'?")),
    Entry("I2-all-problems-one-pass", _csv(_both(
        _set("capacity", 0, "capacity_tpa", "1,000"),
        _set("demand", 0, "demand_t", -5), _set("routes", 0, "origin", "XX"))), 2,
          (CAP + "'1,000'", DEMAND + "-5 is out of range",
           "[routes] row 2, column origin: unknown region 'XX'")),
]


@pytest.mark.parametrize("entry", params(STRUCTURE + VALUES + REFERENCES))
def test_table_entry(entry: Entry, run_cli, tmp_path: Path,  # noqa: ANN001
                     monkeypatch: pytest.MonkeyPatch) -> None:
    check_entry(entry, run_cli, tmp_path, monkeypatch)


def test_problem_list_is_capped(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    """250 bad demand rows (Namibia has none in the base case, so no key repeats):
    the first 200 are listed, then a count of the other 50."""
    def edit(t: Tables) -> None:
        t["demand"] += [{"region": "NA", "commodity": "ox", "year": 1900 + i,
                         "demand_t": "bad"} for i in range(250)]
    outcome = run_cli(csv_case(tmp_path / "case", edit))
    lines = outcome.err.strip().splitlines()
    assert outcome.code == 2
    assert len([x for x in lines if "is not a number" in x]) == 200
    assert lines[200] == "error: ... and 50 more problems"
