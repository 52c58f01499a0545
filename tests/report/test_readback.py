"""report.xlsx read back: sheet order, charts and their ranges, numbers equal to
the tidy CSVs, formats, and no cell holding a formula.

The case (tests/report/conftest.py) is solvable by hand: the US separation plant
can come online from 2027 (lead time 2) at 8,000 tpa per online year, one tonne of
concentrate giving 0.2 t NdPr and 0.01 t Dy. In 2027 8,000 t of concentrate give
1,600 t NdPr (demand 2,400) and 80 t Dy (demand 100); from 2028 (16,000 tpa
possible) demand is met. So both elements are met from 2028 and the shortfall is
2,000 + 2,200 + 800 + 100 + 100 + 20 = 5,220 t.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from model.pipeline import RunResult
from tests.report.conftest import EVIL

HUMAN = ["Shortfall", "Capacity", "Builds", "Flows", "Prices"]
TIDY = ["summary", "kpi_by_commodity", "shortfall", "production", "builds", "flows",
        "surplus", "stock", "prices", "costs", "offtake_sales", "transfers",
        "kpi_by_group", "kpi_by_element",
        "value_met_by_year", "bottlenecks", "lead_times", "china_content",
        "calibration_fit", "supply_by_origin", "new_capacity_by_stage"]


@pytest.fixture(scope="module")
def book(report_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(report_path)


def csv(solved: RunResult, name: str) -> pd.DataFrame:
    assert solved.out_dir is not None
    return pd.read_csv(solved.out_dir / "tables" / f"{name}.csv",
                       keep_default_na=False, na_values=[""])


def test_sheet_order_and_names(book: openpyxl.Workbook, solved: RunResult) -> None:
    inputs = [f"in_{n}" for n in solved.case.tables]
    expected = (["Summary", "Charts", "Bottlenecks", "Compare", "Calibration",
                 "Sources of supply", "Supply chart data", *HUMAN]
                + [f"data_{n}" for n in TIDY] + inputs
                + ["Sources", "Run info", "Chart data"])
    assert book.sheetnames == expected
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)


def test_no_cell_holds_a_formula(book: openpyxl.Workbook) -> None:
    found_evil = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if cell.value == EVIL:
                    found_evil += 1
                    assert cell.data_type == "s" and cell.quotePrefix
    # the region name and its source (in_regions), and the source on Sources
    assert found_evil >= 3


@pytest.mark.parametrize("name", TIDY)
def test_tidy_sheets_equal_the_csvs(report_path: Path, solved: RunResult,
                                    name: str) -> None:
    sheet = pd.read_excel(report_path, sheet_name=f"data_{name}", engine="openpyxl",
                          keep_default_na=False, na_values=[""])
    expected = csv(solved, name)
    assert list(sheet.columns) == list(expected.columns)
    assert len(sheet) == len(expected)
    for column in expected.columns:
        if pd.api.types.is_numeric_dtype(expected[column]):
            assert sheet[column].astype(float).tolist() == pytest.approx(
                expected[column].astype(float).tolist(), rel=1e-9, nan_ok=True)
        else:
            assert [_text(v) for v in sheet[column]] == [
                _text(v) for v in expected[column]]


def _text(value: object) -> str | None:
    """Cell text as written: booleans (True in CSV, 1 or TRUE in xlsx) as 'True'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, bool) or value in (1.0, 0.0):
        return str(bool(value))
    return str(value)


def test_tidy_sheets_are_filterable_tables(book: openpyxl.Workbook,
                                           solved: RunResult) -> None:
    for name in ["summary", "shortfall", "costs"]:
        ws = book[f"data_{name}"]
        rows = len(csv(solved, name))
        columns = len(csv(solved, name).columns)
        table = ws.tables[f"t_{name}"]
        last = openpyxl.utils.get_column_letter(columns)
        assert table.ref == f"A1:{last}{rows + 1}"
        assert table.autoFilter.ref == table.ref
        assert [c.name for c in table.tableColumns] == [
            c.value for c in ws[1]]
        assert ws.freeze_panes == "A2"


def test_summary_numbers_and_formats(book: openpyxl.Workbook,
                                     solved: RunResult) -> None:
    # first screen (model/report/excel/first_screen.py): scenario in A, comparator
    # in B, then each metric in the right cell of a pair of grid columns
    ws = book["Summary"]
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Scenario")
    assert [ws.cell(header - 2 + i, 4).value for i in range(3)] == [
        "Full-cost", "premium", "(%)"]
    expected = csv(solved, "summary").set_index("scenario")
    no_china = expected.loc["no_china"]
    r = header + 2
    assert ws.cell(r, 1).value == "no_china"
    assert ws.cell(r, 2).value == "baseline"
    for column, name in [(4, "full_cost_premium_pct"),
                         (6, "delivered_cost_premium_pct"), (8, "cost_premium_pct")]:
        assert ws.cell(r, column).value == pytest.approx(no_china[name])
        assert ws.cell(r, column).number_format == "+0.0;-0.0;0.0"
    assert ws.cell(r, 12).value == 2028  # mostly met: both oxides met from 2028
    assert ws.cell(r, 14).value == 2028  # strict self-sufficient year, by hand
    assert ws.cell(header + 1, 4).value == "—"  # the baseline has no premium
    # worst year 2025: 2,000 t NdPr (60,000 USD/t) + 100 t Dy (300,000 USD/t) short
    # of the same demand → 100 % of that year's demand value unmet
    assert ws.cell(r, 10).value == "2025 (100 %)"
    assert all(ws.cell(r, c).font.sz >= 9 for c in range(1, 15))


def test_summary_time_path_row_per_scenario(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    header = next(r for r in range(1, 60) if ws.cell(r, 1).value == "Scenario"
                  and ws.cell(r, 3).value == 2025)
    assert [ws.cell(header, c).value for c in range(3, 9)] == list(range(2025, 2031))
    row = header + 2
    assert ws.cell(row, 1).value == "no_china"
    # by hand (module docstring): 2025-26 nothing (0 %); 2027 1,600 of 2,400 t NdPr
    # and 80 of 100 t Dy: (1,600 x 60,000 + 80 x 300,000) / (2,400 x 60,000 +
    # 100 x 300,000) = 120 m / 174 m = 69 %; 2028 on 100 %
    assert ws.cell(row, 3).value == pytest.approx(0.0)
    assert ws.cell(row, 5).value == pytest.approx(100 * 120 / 174)
    assert ws.cell(row, 6).value == pytest.approx(100.0)
    assert ws.cell(row, 3).fill.fgColor.rgb.endswith("E06666")  # < 50 %: deep
    assert ws.cell(header + 1, 3).fill.fgColor.rgb in (None, "00000000")


def test_summary_words_never_and_caveats(book: openpyxl.Workbook) -> None:
    texts = [c.value for c in book["Summary"]["A"] if isinstance(c.value, str)]
    caveat = next(t for t in texts if t.startswith("no_china:"))
    assert "% of demand value unmet" in caveat
    assert any(t.startswith("Money discounted at 5%") for t in texts)
    assert any(t.startswith("Unmet demand valued at the shortfall penalty") for t in
               texts)
    assert any(t.startswith("Foresight: perfect") for t in texts)
    assert any(t.startswith("Weakest numbers:") for t in texts)


def test_summary_sentences_follow_the_numbers(book: openpyxl.Workbook) -> None:
    texts = [c.value for c in book["Summary"]["A"] if isinstance(c.value, str)]
    assert any("Scenario 'no_china': NdPr and Dy demand is met from 2028" in t
               for t in texts)
    assert any("Shortfall 5,220 t (33.5 % of demand)" in t for t in texts)
    assert any(t.startswith("Input hash ") and t.endswith(
        "all 2 scenarios solved to optimality") for t in texts)


def test_summary_prints_on_one_landscape_page(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    assert ws.page_setup.orientation == "landscape"
    # not shrunk: 9 pt stays 9 pt (no scale attribute means 100 %, ECMA-376)
    assert ws.page_setup.scale in (None, 100)
    assert not ws.sheet_properties.pageSetUpPr or not (
        ws.sheet_properties.pageSetUpPr.fitToPage)
    area = ws.print_area
    assert area is not None and area.replace("$", "").endswith(
        tuple(f"R{n}" for n in range(30, 60)))


def _ref_values(book: openpyxl.Workbook, ref: str) -> list[object]:
    sheet, cells = ref.rsplit("!", 1)
    found = book[sheet.strip("'")][cells.replace("$", "")]
    if not isinstance(found, tuple):
        return [found.value]
    return [c.value for row in found for c in
            (row if isinstance(row, tuple) else (row,))]


def test_charts_point_at_their_data(book: openpyxl.Workbook,
                                    solved: RunResult) -> None:
    charts = book["Charts"]._charts
    titles = [c.title.tx.rich.p[0].r[0].t for c in charts]
    assert titles == ["Shortfall by product (t): no_china",
                      "Capacity in service, mining (tpa, alliance and partners)",
                      "Capacity in service, separation (tpa, alliance and partners)",
                      "Discounted cost by category (USD m), every scenario",
                      "Shadow price of ndpr_ox (USD/kg)",
                      "Shadow price of dy_ox (USD/kg)",
                      "China's share of alliance NdPr, Dy and Tb supply (%): baseline",
                      "China's share of alliance NdPr, Dy and Tb supply (%): no_china"]
    for chart in charts:
        for s in chart.series:
            assert s.val.numRef.f.startswith("'Chart data'!")
            assert s.cat.numRef is not None or s.cat.strRef is not None
    short = csv(solved, "shortfall")
    short = short[short["scenario"] == "no_china"]
    by_year = short.pivot_table(index="year", columns="commodity",
                                values="shortfall_t", aggfunc="sum")
    first = charts[0]
    # both demanded commodities are oxides: one product series, their sum
    names = [_ref_values(book, s.tx.strRef.f)[0] for s in first.series]
    assert names == ["Oxides"]
    assert _ref_values(book, first.series[0].val.numRef.f) == pytest.approx(
        (by_year["ndpr_ox"] + by_year["dy_ox"]).tolist())
    assert _ref_values(book, first.series[0].cat.numRef.f) == list(range(2025, 2031))


def _colours(chart: object) -> list[str]:
    out = []
    for s in chart.series:  # type: ignore[attr-defined]
        props = s.graphicalProperties
        fill = props.solidFill if props.solidFill is not None else (
            props.line.solidFill)
        rgb = fill.srgbClr
        out.append(str(getattr(rgb, "val", rgb)))
    return out


def test_every_scenario_keeps_one_colour_on_every_chart(book: openpyxl.Workbook
                                                        ) -> None:
    seen: dict[str, set[str]] = {}
    charts = [*book["Charts"]._charts, *book["Summary"]._charts]
    for chart in charts:
        names = [_ref_values(book, s.tx.strRef.f)[0] if s.tx.strRef else None
                 for s in chart.series]
        for name, colour in zip(names, _colours(chart), strict=True):
            if name in ("baseline", "no_china", "Oxides"):
                seen.setdefault(name, set()).add(colour)
    assert set(seen) == {"baseline", "no_china", "Oxides"}
    assert all(len(colours) == 1 for colours in seen.values()), seen
    assert seen["baseline"] != seen["no_china"]


def test_cost_chart_against_the_baseline(book: openpyxl.Workbook,
                                         solved: RunResult) -> None:
    chart = book["Charts"]._charts[3]
    costs = csv(solved, "costs").pivot_table(index="category", columns="scenario",
                                             values="discounted_usd", aggfunc="sum",
                                             fill_value=0.0)
    categories = _ref_values(book, chart.series[0].cat.strRef.f)
    assert categories == sorted(costs.index)
    for series, scenario in zip(chart.series, ["baseline", "no_china"], strict=True):
        assert _ref_values(book, series.val.numRef.f) == pytest.approx(
            costs[scenario].reindex(categories).tolist())


def test_price_chart_is_the_demand_weighted_price(book: openpyxl.Workbook,
                                                  solved: RunResult) -> None:
    # one alliance region (US) has demand, so the weighted mean is the US price,
    # shown in USD/kg (/1000); no_china is short of ndpr_ox in 2025-2027 (by hand,
    # module docstring), and the 'short: no_china' dots sit on exactly those years
    chart = book["Charts"]._charts[4]
    prices = csv(solved, "prices")
    us = prices[(prices["region"] == "US") & (prices["commodity"] == "ndpr_ox")]
    names = [_ref_values(book, s.tx.strRef.f)[0] for s in chart.series]
    assert names == ["baseline", "no_china", "short: no_china"]
    for series, scenario in zip(chart.series, ["baseline", "no_china"], strict=False):
        expected = us[us["scenario"] == scenario]["marginal_cost_usd_per_t"] / 1000
        assert _ref_values(book, series.val.numRef.f) == pytest.approx(
            expected.tolist())
    dots = _ref_values(book, chart.series[2].val.numRef.f)
    assert [d is not None for d in dots] == [True, True, True, False, False, False]
    assert chart.series[2].marker.symbol == "circle"


def test_human_sheets_have_years_as_columns(book: openpyxl.Workbook,
                                            solved: RunResult) -> None:
    ws = book["Shortfall"]
    header = [c.value for c in ws[2]]
    assert header == ["scenario", "region", "commodity"] + [
        str(y) for y in range(2025, 2031)]
    assert ws.freeze_panes == "D3"
    short = csv(solved, "shortfall")
    total = sum(c.value for row in ws.iter_rows(min_row=3, min_col=4) for c in row)
    assert total == pytest.approx(short["shortfall_t"].sum())


def test_inputs_echo_their_sources(book: openpyxl.Workbook) -> None:
    ws = book["in_regions"]
    header = [c.value for c in ws[1]]
    assert "source" in header
    sources = [[c.value for c in row] for row in book["Sources"].iter_rows(min_row=2)]
    assert ["regions", "USGS MCS 2025", 1] in sources


def test_bottlenecks_sheet_ranks_the_binding_limits(book: openpyxl.Workbook,
                                                    solved: RunResult) -> None:
    ws = book["Bottlenecks"]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(t.startswith("Binding limits, consecutive years merged") for t in texts)
    assert "Lead-time stage per commodity" in texts
    lead = csv(solved, "lead_times")
    row = lead[(lead["scenario"] == "no_china") & (lead["commodity"] == "dy_ox")]
    # separation in the US first comes online in 2027, its earliest year
    assert row[["stage", "region", "first_online_year"]].values.tolist() == [
        ["separation", "US", 2027]]
    assert bool(row["lead_time_binding"].iat[0])


def test_buildout_chart_is_capacity_in_service(book: openpyxl.Workbook,
                                               solved: RunResult) -> None:
    # one chart per stage, a line per scenario (never stages stacked). Separation in
    # the scope is only the US plant: builds online 2027..2030 (lifetime 25, all
    # still in service by 2030), their cumulative sum by year; the baseline builds
    # none (China separates)
    chart = book["Charts"]._charts[2]
    assert [_ref_values(book, s.tx.strRef.f)[0] for s in chart.series] == [
        "baseline", "no_china"]
    builds = csv(solved, "builds")
    builds = builds[builds["scenario"] == "no_china"]
    expected = [builds.loc[builds["online_year"] <= y, "capacity_tpa"].sum()
                for y in range(2025, 2031)]
    assert _ref_values(book, chart.series[1].val.numRef.f) == pytest.approx(expected)
    assert expected == pytest.approx([0, 0, 8000, 13000, 14000, 15000])
    assert _ref_values(book, chart.series[0].val.numRef.f) == [0] * 6


def test_bottlenecks_name_the_lead_time_stage_per_element(
        book: openpyxl.Workbook) -> None:
    ws = book["Bottlenecks"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows)
                 if r[0] == "Lead-time stage per key element (its latest commodity)")
    assert rows[start + 1][:8] == ["Scenario", "Element", "Commodity",
                                   "Self-sufficient year", "Stage", "Region",
                                   "First new capacity online", "Lead time binding"]
    # no_china: both elements wait for the US separation plant of 2027 (by hand)
    body = {(r[0], r[1]): r[2:8] for r in rows[start + 2:start + 6]}
    assert body[("no_china", "Dy")] == ["dy_ox", 2028, "separation", "US", 2027,
                                        "yes"]
    # baseline: nothing built, so no stage (empty cells)
    assert body[("baseline", "NdPr")] == ["ndpr_ox", 2025, None, None, None, None]
