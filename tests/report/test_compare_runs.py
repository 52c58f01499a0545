"""`reroute compare` read back: every cell checked against the runs' own CSVs.

Two runs of the report case (tests/report/conftest.py): A as it is, B with the US
separation plant allowed 10,000 instead of 8,000 tpa a year, so no_china builds
faster and is short less. The expected numbers are summed here from each run's
tables/*.csv with the csv module (not pandas), and B − A by subtraction. A third
run ending in 2029 instead of 2030 must be refused (exit 2) naming the horizon.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from model.cli import main
from model.pipeline import run_case
from tests.helpers import settings, write_case
from tests.report.conftest import report_case_tables


def _faster() -> dict[str, list[dict[str, object]]]:
    tables = copy.deepcopy(report_case_tables())
    tables["expansion"][0]["max_new_tpa_per_year"] = 10000
    return tables


def _shorter() -> dict[str, list[dict[str, object]]]:
    tables = copy.deepcopy(report_case_tables())
    tables["settings"] = settings(2025, 2029, 0.05)
    return tables


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("compare")
    out = {}
    for name, tables in (("run_a", report_case_tables()), ("run_b", _faster()),
                         ("run_c", _shorter())):
        run_case(write_case(root / "cases" / name, tables), root / name)
        out[name] = root / name
    return out


@pytest.fixture(scope="module")
def book(runs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
         ) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("cmp_out") / "cmp"
    assert main(["compare", str(runs["run_a"]), str(runs["run_b"]), "--out",
                 str(out)]) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [r["label"] for r in record["runs"]] == ["run_a", "run_b"]
    return openpyxl.load_workbook(out / "compare.xlsx")


def rows(run: Path, table: str) -> list[dict[str, str]]:
    with open(run / "tables" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def total(run: Path, table: str, scenario: str, value: str, **keys: str) -> float:
    """Σ value over the rows of one scenario matching ``keys``, by hand."""
    return sum(float(r[value]) for r in rows(run, table)
               if r["scenario"] == scenario
               and all(r[k] == v for k, v in keys.items()))


def block(ws: Worksheet, scenario: str) -> dict[tuple[str, ...], list[object]]:
    """The block under "Scenario '<scenario>'": row keys -> the value cells (the
    header follows the heading on Headline, the block's title elsewhere)."""
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    start = next(i for i, r in enumerate(cells) if r[0] == f"Scenario '{scenario}'")
    header = start + 1 if ws.title == "Headline" else start + 2
    names = cells[header]
    keys = names.index("run_a")
    out = {}
    for row in cells[header + 1:]:
        if row[0] is None or str(row[0]).startswith("Scenario '"):
            break
        out[tuple(str(v) for v in row[:keys])] = row[keys:keys + 3]
    assert names[keys:keys + 3] == ["run_a", "run_b", "Δ run_b"]
    return out


SCENARIOS = ("baseline", "no_china")


def test_sheets(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Headline", "Costs", "Shortfall", "Builds", "Runs"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_headline_cells(book: openpyxl.Workbook, runs: dict[str, Path],
                        scenario: str) -> None:
    got = block(book["Headline"], scenario)
    for label, column in (("Supply cost (USD m)", "total_cost_usd"),
                          ("Full cost (USD m)", "full_cost_usd"),
                          ("Shortfall (t)", "shortfall_t"),
                          ("Demand value unmet (%)", "unmet_share_pct")):
        a = total(runs["run_a"], "summary", scenario, column)
        b = total(runs["run_b"], "summary", scenario, column)
        assert got[(label,)] == pytest.approx([a, b, b - a], rel=1e-9, abs=1e-6)


def test_faster_build_is_short_less(book: openpyxl.Workbook) -> None:
    # B may build 2,000 tpa a year more: no_china goes short of less, never more
    a, b, delta = block(book["Headline"], "no_china")[("Shortfall (t)",)]
    assert b < a and delta == pytest.approx(b - a)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_costs_by_category(book: openpyxl.Workbook, runs: dict[str, Path],
                           scenario: str) -> None:
    got = block(book["Costs"], scenario)
    categories = {r["category"] for run in ("run_a", "run_b")
                  for r in rows(runs[run], "costs") if r["scenario"] == scenario}
    assert {k[0] for k in got} == categories
    for category in categories:
        a = total(runs["run_a"], "costs", scenario, "discounted_usd",
                  category=category)
        b = total(runs["run_b"], "costs", scenario, "discounted_usd",
                  category=category)
        assert got[(category,)] == pytest.approx([a, b, b - a], rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_shortfall_by_product(book: openpyxl.Workbook, runs: dict[str, Path],
                              scenario: str) -> None:
    got = block(book["Shortfall"], scenario)
    for commodity in ("ndpr_ox", "dy_ox"):
        a = total(runs["run_a"], "kpi_by_commodity", scenario, "shortfall_t",
                  commodity=commodity)
        b = total(runs["run_b"], "kpi_by_commodity", scenario, "shortfall_t",
                  commodity=commodity)
        assert got[(commodity,)] == pytest.approx([a, b, b - a], abs=1e-6)


def test_builds_by_region_and_stage(book: openpyxl.Workbook,
                                    runs: dict[str, Path]) -> None:
    # builds.csv summed by hand; process sep is the case's separation stage
    got = block(book["Builds"], "no_china")
    a = total(runs["run_a"], "builds", "no_china", "capacity_tpa", process="sep")
    b = total(runs["run_b"], "builds", "no_china", "capacity_tpa", process="sep")
    assert a > 0 and b > 0
    assert got[("US", "separation")] == pytest.approx([a, b, b - a], abs=1e-6)


def test_different_horizons_are_refused(runs: dict[str, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never"
    assert main(["compare", str(runs["run_a"]), str(runs["run_c"]), "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert "different horizons" in err and "end_year is 2029" in err
    assert str(runs["run_c"]) in err
    assert not out.exists()


def test_never_into_a_solve_folder(runs: dict[str, Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in runs["run_a"].rglob("*") if p.is_file()}
    assert main(["compare", str(runs["run_a"]), str(runs["run_b"]), "--out",
                 str(runs["run_a"])]) == 2
    assert "refusing to write outputs" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in runs["run_a"].rglob("*") if p.is_file()}
    assert after == before


def test_default_folder(runs: dict[str, Path], tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(runs["run_a"]), str(runs["run_b"])]) == 0
    folder = tmp_path / "outputs" / "compare-run_a-vs-run_b"
    assert (folder / "compare.xlsx").is_file() and (folder / "run.json").is_file()
    assert main(["compare", str(runs["run_a"])]) == 2  # one run: nothing to compare
