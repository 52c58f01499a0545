"""`reroute init` and `reroute export`: a case as CSV or as one workbook, the same
tables either way; a report workbook is never read as a case."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from model.cli import bundled_case, main
from model.data.case import load_case
from model.data.export import column_note, unit_of
from model.data.schema import TABLE_BY_NAME
from model.errors import InputError
from tests.helpers import mine, one_commodity, settings, write_case

DEFAULT = Path(__file__).resolve().parents[2] / "inputs" / "default"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _cells(folder: Path) -> dict[str, list[list[str]]]:
    """Every CSV file of ``folder`` parsed into its rows of cells."""
    return {p.name: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
            for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def default_hash() -> str:
    return load_case(DEFAULT).input_hash


def test_init_writes_the_bundled_case_as_csv(tmp_path: Path, default_hash: str
                                             ) -> None:
    assert main(["init", str(tmp_path / "mine")]) == 0
    written = _files(tmp_path / "mine")
    # the same tables as inputs/default, file for file and byte for byte (the
    # CSV writer quotes as the files do); so the same input hash
    assert written == {p.name: p.read_bytes() for p in DEFAULT.glob("*.csv")}
    assert load_case(tmp_path / "mine").input_hash == default_hash


def test_init_xlsx_and_the_round_trip_keep_the_hash(tmp_path: Path,
                                                    default_hash: str) -> None:
    assert main(["init", str(tmp_path / "book"), "--xlsx"]) == 0
    book = tmp_path / "book.xlsx"
    assert load_case(book).input_hash == default_hash
    # CSV -> xlsx -> CSV: the hash of the loaded tables never changes, and the
    # CSV files come back cell for cell (quoting may differ: a field is quoted
    # only where it must be)
    assert main(["export", str(DEFAULT), str(tmp_path / "x.xlsx")]) == 0
    assert main(["export", str(tmp_path / "x.xlsx"), str(tmp_path / "back")]) == 0
    assert load_case(tmp_path / "x.xlsx").input_hash == default_hash
    assert load_case(tmp_path / "back").input_hash == default_hash
    assert _cells(tmp_path / "back") == _cells(DEFAULT)


def test_a_small_case_round_trips_with_blanks_and_text_codes(tmp_path: Path
                                                             ) -> None:
    # blank cells stay blank (a default stays a default), a code "0805" and a
    # region "NA" stay text, a float stays exact
    proc, out = mine(cost=12.345678901234567)
    folder = write_case(tmp_path / "small", {
        "settings": settings(2025, 2026, 0.07),
        "regions": [{"region": "NA", "bloc": "alliance", "capex_index": ""},
                    {"region": "0805", "bloc": "partner", "capex_index": 1.5}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "0805", "process": "mine", "capacity_tpa": 100,
                      "source": "[E] a note, with a comma"}],
        "demand": [{"region": "NA", "commodity": "ox", "year": 2025,
                    "demand_t": 60}],
        "routes": [{"origin": "0805", "destination": "NA", "cost_usd_per_t": 1}],
    })
    original = load_case(folder)
    assert main(["export", str(folder), str(tmp_path / "small.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "small.xlsx")["regions"]
    assert [c.value for c in ws["A"]][1:] == ["NA", "0805"]  # text, not numbers
    assert ws["C2"].value is None and ws["C3"].value == 1.5  # capex_index
    assert main(["export", str(tmp_path / "small.xlsx"), str(tmp_path / "b")]) == 0
    assert load_case(tmp_path / "b").input_hash == original.input_hash
    assert load_case(tmp_path / "b").table("capacity")["source"].tolist() == [
        "[E] a note, with a comma"]


def test_the_workbook_explains_its_columns_and_offers_lists(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "book.xlsx"), "--xlsx"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "book.xlsx")
    capacity = wb["capacity"]
    header = [c.value for c in capacity[1]]
    note = capacity.cell(1, header.index("capacity_tpa") + 1).comment.text
    assert "unit: tonnes per year" in note and "a number >= 0" in note
    assert "required" in note
    assert "source" in header  # the source column is kept
    assert "where the row's numbers come from" in capacity.cell(
        1, header.index("source") + 1).comment.text
    lists = {str(v.sqref): v.formula1 for v in capacity.data_validations.dataValidation}
    # codes from the table that defines them: regions.region is column A there
    regions = wb["regions"]
    assert lists["A2:A5000"] == f"'regions'!$A$2:$A${regions.max_row + 200}"
    bloc = {str(v.sqref): v.formula1
            for v in regions.data_validations.dataValidation}
    assert bloc["C2:C5000"] == '"china,alliance,partner,other"'  # an enumeration


def test_column_notes_come_from_the_schema() -> None:
    spec = TABLE_BY_NAME["regions"]
    # capex_index: a multiplier > 0 whose blank is 1 (schema default 1.0)
    assert column_note(spec, "capex_index") == (
        "capex_index: unit: multiplier (1 = no change); a number > 0; blank = 1")
    assert unit_of("capex_usd_per_tpa") == "US$ per tonne per year of capacity"
    assert unit_of("release_cost_usd_per_t") == "US$ per tonne"
    assert unit_of("demand_t") == "tonnes"


@pytest.mark.parametrize("existing", ["folder", "file", "workbook"])
def test_nothing_is_overwritten(tmp_path: Path, existing: str, capsys) -> None:
    target = tmp_path / ("book.xlsx" if existing == "workbook" else "case")
    if existing == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        target.write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    argv = ["init", str(target)] + (["--xlsx"] if existing == "workbook" else [])
    assert main(argv) == 2
    assert "refusing to write" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no temp left
    file = target / "notes.txt" if existing == "folder" else target
    assert file.read_text(encoding="utf-8") == "mine"


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["init", str(tmp_path / "empty")]) == 0
    assert (tmp_path / "empty" / "scenarios.csv").is_file()


def test_export_names_the_wrong_kind_of_target(tmp_path: Path, capsys) -> None:
    assert main(["export", str(DEFAULT), str(tmp_path / "out")]) == 2
    assert "name the output file with .xlsx" in capsys.readouterr().err


def test_a_report_is_refused_as_a_case(tmp_path: Path, capsys) -> None:
    proc, out = mine(cost=10)
    case = write_case(tmp_path / "tiny", {
        "settings": settings(2025, 2025), "regions": [{"region": "a",
                                                       "bloc": "alliance"}],
        "commodities": one_commodity(), "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025,
                    "demand_t": 60}]})
    assert main(["solve", str(case), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    report = tmp_path / "o" / "report.xlsx"
    assert "Capacity" in openpyxl.load_workbook(report, read_only=True).sheetnames
    capsys.readouterr()
    assert main(["solve", str(report), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "this is a Reroute report" in err and "not a case" in err
    assert str(report) in err
    with pytest.raises(InputError, match="Reroute report"):
        load_case(report)


def test_the_bundled_case_is_the_checkout_default() -> None:
    # in a checkout (no model/_bundled), the bundled case is inputs/default;
    # tests/integration/test_packaging.py checks the installed wheel
    assert bundled_case().resolve() == DEFAULT.resolve()
