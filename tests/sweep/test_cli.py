"""``reroute sweep`` end to end: outputs, failures (exit 3), bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from model.cli import main
from model.sweep.worker import HEADLINES
from tests.helpers import write_case
from tests.sweep.cases import DEFAULT_UNCERTAINTY, chain_tables

SHEETS = ["Summary", "Percentiles", "Distributions", "Tornado", "Failures", "Samples",
          "Uncertainty", "Run info"]


def run(case: Path, out: Path, *extra: str) -> int:
    return main(["sweep", str(case), "--executor", "serial", "--out", str(out),
                 *extra])


def test_sweep_writes_store_workbook_and_run_record(case_dir: Path, tmp_path: Path
                                                    ) -> None:
    out = tmp_path / "out"
    assert run(case_dir, out, "--samples", "4", "--sampler", "lhs", "--seed", "3") == 0
    wb = load_workbook(out / "sweep.xlsx")
    assert wb.sheetnames == SHEETS
    # scenarios x headlines
    assert len(wb["Distributions"]._charts) == 2 * len(HEADLINES)
    assert len(wb["Tornado"]._charts) == 2 * len(HEADLINES)
    header = [c.value for c in wb["Percentiles"][1]]
    assert header[:6] == ["scenario", "commodity", "metric", "p10", "p50", "p90"]
    rows = {(r[0], r[1], r[2]) for r in wb["Percentiles"].iter_rows(min_row=2,
                                                                    values_only=True)}
    assert ("embargo", "all", "cost_premium_usd") in rows
    assert ("embargo", "ox", "self_sufficient_year") in rows
    info = json.loads((out / "run.json").read_text())
    assert info["samples"] == 4 and info["sampler"] == "lhs"
    assert info["solved_this_run"] == 4 and info["failures"] == 0
    assert info["mean_scenario_solve_seconds"] > 0


def test_failing_scenario_in_some_samples(tmp_path: Path, capsys: pytest.CaptureFixture
                                          ) -> None:
    # embargo's capex x N(0, sd 0.61) on an expansion without a total limit: a
    # negative multiplier makes building profitable without limit (the LP is
    # unbounded), so exactly the samples with a negative draw fail
    rows = [*DEFAULT_UNCERTAINTY[:1],
            {"scenario": "embargo", "field": "capex", "distribution": "normal",
             "low": -1, "high": 1}]
    case = write_case(tmp_path / "c", chain_tables(rows, max_new_tpa=None))
    out = tmp_path / "out"
    code = run(case, out, "--samples", "6", "--seed", "2")
    store = pd.concat(pd.read_parquet(p) for p in sorted(
        (out / "store" / "records").glob("*.parquet")))
    totals = store[store["commodity"] == ""]
    embargo = totals[totals["scenario"] == "embargo"].set_index("sample")
    negative = set(embargo.index[embargo["draw_r3"] < 0])
    failed = set(embargo.index[embargo["status"] == "failed"])
    assert failed == negative and 0 < len(failed) < 6  # the seed gives both kinds
    assert (totals.loc[totals["scenario"] == "baseline", "status"] == "optimal").all()
    assert code == 3
    assert "unbounded" in capsys.readouterr().err
    wb = load_workbook(out / "sweep.xlsx")
    listed = [r[0] for r in wb["Failures"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(failed)
    p = pd.DataFrame(wb["Percentiles"].values)
    p.columns = p.iloc[0]
    row = p[(p["scenario"] == "embargo") & (p["metric"] == "cost_premium_usd")]
    assert row["failed"].iloc[0] == len(failed)
    assert row["samples"].iloc[0] == 6 - len(failed)


def test_changed_input_refuses_to_resume_into_old_store(case_dir: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture
                                                        ) -> None:
    out = tmp_path / "out"
    assert run(case_dir, out, "--samples", "1") == 0
    demand = case_dir / "demand.csv"
    demand.write_text(demand.read_text().replace(",100", ",120"))
    assert run(case_dir, out, "--samples", "2", "--resume") == 2
    err = capsys.readouterr().err
    assert "input_hash" in err and "cannot be mixed" in err and "Traceback" not in err
    assert len(list((out / "store" / "records").glob("*.parquet"))) == 1


@pytest.mark.parametrize("extra,text", [
    (["--samples", "0"], "argument --samples: '0' is not an integer >= 1"),
    (["--samples", "2", "--workers", "0", "--executor", "pool"],
     "argument --workers: '0' is not an integer >= 1"),
])
def test_bad_options_exit_2(case_dir: Path, tmp_path: Path, extra: list[str], text: str,
                            capsys: pytest.CaptureFixture) -> None:
    assert run(case_dir, tmp_path / "out", *extra) == 2
    assert text in capsys.readouterr().err


def test_a_case_without_uncertainty_exits_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    case = write_case(tmp_path / "c", chain_tables(None))
    assert run(case, tmp_path / "out", "--samples", "2") == 2
    assert "no uncertainty rows" in capsys.readouterr().err


def test_a_later_solve_keeps_the_sweep_folder(case_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "outputs" / "chain"
    assert run(case_dir, out / "sweep", "--samples", "1") == 0
    assert main(["solve", str(case_dir), "--out", str(out)]) == 0
    assert main(["solve", str(case_dir), "--out", str(out)]) == 0  # replaces out
    assert (out / "report.xlsx").exists() and (out / "sweep" / "sweep.xlsx").exists()
    assert len(list((out / "sweep" / "store" / "records").glob("*.parquet"))) == 1


def test_sweep_summary_sheet_and_number_formats(case_dir: Path, tmp_path: Path
                                                ) -> None:
    out = tmp_path / "out"
    assert run(case_dir, out, "--samples", "3", "--seed", "1") == 0
    wb = load_workbook(out / "sweep.xlsx")
    ws = wb["Summary"]
    titles = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Full-cost premium (%)" in titles and "Mostly met from" in titles
    first = titles.index("Full-cost premium (%)")
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "scenario")
    assert [ws.cell(header, c).value for c in range(1, 5)] == [
        "scenario", "P10", "P50", "P90"]
    assert ws.cell(header + 1, 2).number_format == "+0.0;-0.0;0.0"
    assert first >= 0 and len(ws._charts) >= 4
    assert len(ws._charts[0].series) == 3  # P10, P50, P90 bars
    p = wb["Percentiles"]
    formats = {p.cell(r, 3).value: p.cell(r, 5).number_format
               for r in range(2, p.max_row + 1)}
    assert formats["cost_premium_usd"] == "#,##0.00,,,;-#,##0.00,,,"  # USD bn
    assert formats["shortfall_t"] == "#,##0"
    bins = [c.value for c in wb["Distributions"]["A"] if isinstance(c.value, str)]
    assert not any("e+" in b for b in bins)
