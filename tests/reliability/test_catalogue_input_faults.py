"""Catalogue B-L, B-G, B-U and B-M: look-alike rule targets, gain cycles, unknown or
misspelled tables, and messages that name file, table, row, column and value
(exit 2, or 0 where the input is valid). Row numbers follow builders.base_tables:
the header is row 1, so settings base_year/end_year/discount_rate are rows 2/3/4,
process_io 'mine out ox' is row 2 and 'pit out ox' row 3."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from model.data.case import load_case
from model.data.gain import free_lunch, gain_cycles, product
from model.data.read import MAX_CELL_CHARS
from model.data.targets import target_problem, target_regions
from tests.reliability.builders import Tables, csv_case, rezip, sheet_part, xlsx_case
from tests.reliability.catalogue import Entry, check_entry, params

Edit = Callable[[Tables], None]


def _csv(*edits: Edit):  # noqa: ANN202
    def edit(t: Tables) -> None:
        for e in edits:
            e(t)
    return lambda tmp: csv_case(tmp / "case", edit)


def _xlsx(book: Callable[[openpyxl.Workbook], None]):  # noqa: ANN202
    return lambda tmp: xlsx_case(tmp / "case.xlsx", None, book)


def _add(table: str, *rows: dict[str, object]) -> Edit:
    return lambda t: t.setdefault(table, []).extend(rows)


def _set(table: str, row: int, column: str, value: object) -> Edit:
    def edit(t: Tables) -> None:
        t[table][row][column] = value
    return edit


def _shortfall(expected: float):  # noqa: ANN202
    def after(out: Path, _err: str) -> None:
        with open(out / "tables" / "summary.csv", encoding="utf-8") as handle:
            row = next(csv.DictReader(handle))
        assert float(row["shortfall_t"]) == pytest.approx(expected)
    return after


# --- B-L: a rule target that is both a region code and a bloc name -------------
# Namibia ('NA') joins bloc china; a region coded 'china' (bloc other, nothing in
# it) is added. An embargo on the bloc cuts the NA->US route from 2025: only the
# US mine (50 t/yr) serves demand 80 t/yr, so shortfall is 30 t/yr = 60 t over
# 2025-2026. On the region 'china' it cuts nothing: the base shortfall 20 t.
LOOK_ALIKE = (_set("regions", 2, "bloc", "china"),
              _add("regions", {"region": "china", "bloc": "other"}))


def _embargo(target: str) -> Edit:
    return _add("scenario_rules", {"scenario": "baseline", "rule": "embargo",
                                   "target": target})


TARGETS = [
    Entry("L01-region-named-like-bloc", _csv(*LOOK_ALIKE, _embargo("china")), 2,
          ("[scenario_rules] row 2, column target: 'china' is both a region code "
           "and a bloc name", "bloc 'china' = 'NA'",
           "write 'region:china' or 'bloc:china'")),
    Entry("L02-bloc-prefix", _csv(*LOOK_ALIKE, _embargo("bloc:china")), 0,
          after=_shortfall(60.0)),
    Entry("L03-region-prefix", _csv(*LOOK_ALIKE, _embargo("region:china")), 0,
          after=_shortfall(20.0)),
    Entry("L04-unknown-prefixed-region", _csv(_embargo("region:chin")), 2,
          ("[scenario_rules] row 2, column target: unknown region 'chin'",)),
    Entry("L05-unknown-prefixed-bloc", _csv(_embargo("bloc:allies")), 2,
          ("[scenario_rules] row 2, column target: unknown bloc 'allies'",)),
]

# --- B-G: gain cycles --------------------------------------------------------------
MINE_GAIN = (_set("process_io", 0, "coefficient", 1.5),
             _add("process_io", {"process": "mine", "commodity": "ox",
                                 "direction": "in", "coefficient": 1}))
# ox -> [smelt: 1 t ox in, 1 t met out] -> met -> [refine: 1 t met in, 1.25 t ox
# out] -> ox: following ox round the loop returns 1 x 1.25 = 1.25 t per tonne.
LOOP = (_add("commodities", {"commodity": "met", "shortfall_penalty_usd_per_t": 9}),
        _add("processes", *[{"process": p, "stage": "metal", "lead_time_years": 0,
                             "lifetime_years": 30} for p in ("smelt", "refine")]),
        _add("process_io",
             {"process": "smelt", "commodity": "ox", "direction": "in",
              "coefficient": 1},
             {"process": "smelt", "commodity": "met", "direction": "out",
              "coefficient": 1},
             {"process": "refine", "commodity": "met", "direction": "in",
              "coefficient": 1},
             {"process": "refine", "commodity": "ox", "direction": "out",
              "coefficient": 1.25}))

GAINS = [
    Entry("G01-one-process-gain", _csv(*MINE_GAIN), 2,
          ("[process_io] row 2, column coefficient: gain cycle 'ox' → [mine ×1.5] "
           "→ 'ox'", "returns 1.5 t for every 1 t", "creates material from nothing")),
    Entry("G02-two-process-loop", _csv(*LOOP), 2,
          ("gain cycle", "[smelt ×1]", "[refine ×1.25]", "returns 1.25 t",
           "processes 'smelt', 'refine'")),
]

# --- B-U: unknown, misspelled and case-variant tables ------------------------------


def _file(name: str, text: str, drop: str = ""):  # noqa: ANN202
    """The base case plus a file ``name`` (and without table ``drop``)."""
    def build(tmp: Path) -> Path:
        folder = csv_case(tmp / "case")
        if drop:
            (folder / f"{drop}.csv").unlink()
        (folder / name).write_text(text, encoding="utf-8")
        return folder
    return build


def _rename(old: str, new: str):  # noqa: ANN202
    def build(tmp: Path) -> Path:
        folder = csv_case(tmp / "case")
        (folder / old).rename(folder / new)
        return folder
    return build


def _sheet(title: str, rows: list[list[object]]):  # noqa: ANN202
    def book(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    return book


def _cell(sheet: str, ref: str, value: object):  # noqa: ANN202
    def book(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = value
    return book


EXPANSION = "region,process,max_new_tpa\nUS,mine,10\n"
TABLES = [
    Entry("U01-misspelled-optional-csv", _file("expansions.csv", EXPANSION), 2,
          ("expansions.csv: the file names no table; did you mean 'expansion'?",)),
    Entry("U02-unknown-csv", _file("tariffs.csv", "origin,pct\nUS,5\n"), 2,
          ("tariffs.csv: the file names no table", "every .csv file of a case")),
    Entry("U03-misspelled-sheet", _xlsx(_sheet("Expansions", [
        ["region", "process", "max_new_tpa"], ["US", "mine", 10]])), 2,
          ("sheet 'Expansions' names no table", "did you mean 'expansion'?")),
    Entry("U04-sheet-with-table-header", _xlsx(_sheet("supply", [
        ["region", "process", "capacity_tpa"], ["US", "mine", 10]])), 2,
          ("sheet 'supply' names no table", "did you mean 'capacity'?")),
    Entry("U05-notes-sheet-warns", _xlsx(_sheet("About", [["free text"]])), 0,
          after=lambda _out, err: None if "sheet 'About' names no table and is "
          "not read" in err else pytest.fail(err)),
    Entry("U06-upper-case-suffix", _rename("demand.csv", "Demand.CSV"), 0,
          after=_shortfall(20.0)),
    Entry("U07-not-csv-ignored", _file("README.md", "# notes\n"), 0,
          after=_shortfall(20.0)),
    Entry("U08-table-as-txt", _rename("demand.csv", "demand.txt"), 2,
          ("required table is missing (no file 'demand'",
           "'demand.txt' is not read (only .csv files are)")),
    Entry("U09-xlsx-value-without-header", _xlsx(_cell("capacity", "E2", 7)), 2,
          ("[capacity] row 2, column E (no header): value '7' in a column without "
           "a header",)),
    Entry("U10-csv-blank-header-value",
          _file("routes.csv", "origin,destination,,cost_usd_per_t\nNA,US,x,5\n"
                "US,JP,,5\n"), 2,
          ("routes.csv [routes] row 2, column 3 (no header): value 'x'",)),
]

# --- B-M: messages name row, column and the value ------------------------------------


def _numeric_literal(literal: str):  # noqa: ANN202
    """demand D2 (30) stored as the numeric literal ``literal`` in the sheet XML."""
    def build(tmp: Path) -> Path:
        src = xlsx_case(tmp / "src.xlsx")
        part = sheet_part(src, "demand")
        return rezip(src, tmp / "case.xlsx", lambda n, d: d.replace(
            b"<v>30</v>", f"<v>{literal}</v>".encode(), 1) if n == part else d)
    return build


MESSAGES = [
    Entry("M01-discount-rate-range", _csv(_set("settings", 2, "value", 1.5)), 2,
          ("settings.csv [settings] row 4, column value: discount_rate 1.5 is out "
           "of range",)),
    Entry("M01-end-before-base-row", _csv(_set("settings", 1, "value", 2020)), 2,
          ("[settings] row 3, column value: end_year 2020 is out of range",)),
    # 131,073 characters: one more than the csv module's default field limit.
    Entry("M02-128k-cell", _csv(_set("regions", 0, "name", "x" * 131_073)), 2,
          ("regions.csv [regions] row 2, column name: text is 131,073 characters "
           "long (at most 32,767)",), absent=("unbalanced quote",)),
    Entry("M02-huge-cell", _csv(_set("regions", 1, "name", "y" * (MAX_CELL_CHARS + 1))),
          2, ("regions.csv [regions] row 3, column name: a cell holds more than "
              f"{MAX_CELL_CHARS:,} characters",), absent=("unbalanced quote",)),
    Entry("M02-long-number-cut", _csv(_set("demand", 0, "demand_t", "9" * 70 + "x")),
          2, ("[demand] row 2, column demand_t: '" + "9" * 60 + "... (71 characters)' "
              "is not a number",)),
    *[Entry(f"M03-xlsx-{lit}", _numeric_literal(lit), 2,
            (f"[demand] row 2, column demand_t: '{lit}' is not a finite number",))
      for lit in ("NaN", "INF", "-INF")],
    Entry("M04-nul-in-number", _csv(_set("demand", 0, "demand_t", "3\x000")), 2,
          ("[demand] row 2, column demand_t: '3\\x000' is not a number",),
          absent=("\x00",)),
]


@pytest.mark.parametrize("entry", params(TARGETS + GAINS + TABLES + MESSAGES))
def test_input_fault_entry(entry: Entry, run_cli, tmp_path: Path,  # noqa: ANN001
                           monkeypatch: pytest.MonkeyPatch) -> None:
    check_entry(entry, run_cli, tmp_path, monkeypatch)


def _tables(edits: tuple[Edit, ...], tmp: Path) -> dict:
    return load_case(_csv(*edits)(tmp)).tables


def test_lossy_self_loop_is_valid(tmp_path: Path) -> None:
    """ox in 1 -> ox out 0.95 gives back less than it takes: a cycle of product
    0.95, no gain, and the case validates."""
    edits = (_set("process_io", 0, "coefficient", 0.95),
             _add("process_io", {"process": "mine", "commodity": "ox",
                                 "direction": "in", "coefficient": 1}))
    assert gain_cycles(_tables(edits, tmp_path)["process_io"]) == []


def test_lossless_and_rounded_loops_are_valid(tmp_path: Path) -> None:
    """smelt 3 t ox -> 1 t met, refine 1 t met -> 3.0000009 t ox: product
    3.0000009 / 3 = 1.0000003, inside the 1e-6 per step tolerance (two steps)."""
    edits = list(LOOP)
    edits[2] = _add("process_io",
                    {"process": "smelt", "commodity": "ox", "direction": "in",
                     "coefficient": 3},
                    {"process": "smelt", "commodity": "met", "direction": "out",
                     "coefficient": 1},
                    {"process": "refine", "commodity": "met", "direction": "in",
                     "coefficient": 1},
                    {"process": "refine", "commodity": "ox", "direction": "out",
                     "coefficient": 3.0000009})
    assert gain_cycles(_tables(tuple(edits), tmp_path)["process_io"]) == []


def _co_product(recycled: float) -> tuple[Edit, ...]:
    """mine: 1 t ox in -> 0.5 t ox + 0.2 t scrap out; recycle: 1 t scrap in ->
    ``recycled`` t ox out."""
    return (_add("commodities", {"commodity": "scrap",
                                 "shortfall_penalty_usd_per_t": 9}),
            _add("processes", {"process": "recycle", "stage": "recycling",
                               "lead_time_years": 0, "lifetime_years": 30}),
            _set("process_io", 0, "coefficient", 0.5),
            _add("process_io",
                 {"process": "mine", "commodity": "ox", "direction": "in",
                  "coefficient": 1},
                 {"process": "mine", "commodity": "scrap", "direction": "out",
                  "coefficient": 0.2},
                 {"process": "recycle", "commodity": "scrap", "direction": "in",
                  "coefficient": 1},
                 {"process": "recycle", "commodity": "ox", "direction": "out",
                  "coefficient": recycled}))


def test_co_products_that_add_up_to_a_gain(run_cli,  # noqa: ANN001
                                           tmp_path: Path) -> None:
    """Recycling 4 t ox per t scrap: the single paths multiply to 0.5 (ox -> ox)
    and 0.2 x 4 = 0.8 (ox -> scrap -> ox), yet 1 t ox gives 0.5 + 0.8 = 1.3 t.
    Scaled to 1 t of input (mine x, recycle 0.2x, inputs x + 0.2x = 1): x = 1/1.2
    and the net make is 0.3x = 0.25 t of ox."""
    outcome = run_cli(_csv(*_co_product(4.0))(tmp_path / "in"))
    assert outcome.code == 2
    assert ("[process_io] row 2, column coefficient: gain cycle through co-products: "
            "processes 'mine' ×0.8333, 'recycle' ×0.1667") in outcome.err
    assert "make 0.25 t of 'ox' from nothing" in outcome.err


def test_co_products_without_gain_are_valid(tmp_path: Path) -> None:
    """Recycling 2 t ox per t scrap: 1 t ox gives back 0.5 + 0.2 x 2 = 0.9 t."""
    tables = _tables(_co_product(2.0), tmp_path)
    assert gain_cycles(tables["process_io"]) == []
    assert free_lunch(tables["process_io"]) is None


def test_edge_cycle_through_co_product(tmp_path: Path) -> None:
    """Recycling 6 t ox per t scrap: the path ox -> scrap -> ox alone multiplies
    0.2 x 6 = 1.2 and is named as the cycle."""
    io = _tables(_co_product(2.0), tmp_path)["process_io"].copy()
    io.loc[io["coefficient"] == 2.0, "coefficient"] = 6.0
    cycles = gain_cycles(io)
    assert len(cycles) == 1 and product(cycles[0]) == pytest.approx(1.2)
    assert [e.process for e in cycles[0]] in (["mine", "recycle"], ["recycle", "mine"])


def test_bundled_default_case_and_synthetic_case_validate(tmp_path: Path) -> None:
    """The default case has region 'china' as the only member of bloc 'china' (both
    readings of the target name the same region) and no gain cycle; nor has the
    synthetic generator's chain (its recycling loop multiplies to about 0.12)."""
    from model.synth import SynthSpec, write_synthetic  # noqa: PLC0415

    case = load_case(Path(__file__).resolve().parents[2] / "inputs" / "default")
    regions = case.table("regions")
    assert target_problem(regions, "china") == ""
    assert target_regions(regions, "china") == frozenset({"china"})
    assert gain_cycles(case.table("process_io")) == []
    assert free_lunch(case.table("process_io")) is None
    synth = load_case(write_synthetic(tmp_path / "synth", SynthSpec(regions=5,
                                                                     years=3)))
    assert gain_cycles(synth.table("process_io")) == []
    assert free_lunch(synth.table("process_io")) is None


def test_ambiguous_target_in_uncertainty_table(tmp_path: Path) -> None:
    """The uncertainty table's targets follow the same rule as scenario rules."""
    from model.errors import InputError  # noqa: PLC0415
    from model.sweep.uncertainty import uncertain_inputs  # noqa: PLC0415

    case = load_case(_csv(*LOOK_ALIKE, _add("uncertainty", {
        "field": "demand", "target": "china", "distribution": "uniform", "low": 0.9,
        "high": 1.1}))(tmp_path))
    with pytest.raises(InputError, match=r"\[uncertainty\] row 2, column target: "
                       "'china' is both a region code and a bloc name"):
        uncertain_inputs(case)


def test_free_lunch_lp_leaves_no_scheduler_behind(tmp_path: Path) -> None:
    """HiGHS sizes one thread scheduler per process at its first run and refuses a
    later run asking for another count. The validation LP must leave none behind,
    so a solve with --threads 3 afterwards still runs (a one-column LP: min x,
    0 <= x <= 1, optimal)."""
    import highspy  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    from model.solver.highs import new_highs  # noqa: PLC0415

    assert free_lunch(_tables(_co_product(2.0), tmp_path)["process_io"]) is None
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 1, 0
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = (np.array([v]) for v in (1.0, 0.0,
                                                                         1.0))
    h = new_highs()
    h.setOptionValue("threads", 3)
    h.passModel(lp)
    assert h.run() == highspy.HighsStatus.kOk
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    highspy.Highs.resetGlobalScheduler(True)
