"""The command line in-process: exit codes 0, 2 and 3 and what each leaves behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from model.cli import main
from model.synth import SynthSpec, write_synthetic
from tests.helpers import mine, one_commodity, settings, write_case

TABLE_NAMES = {"summary", "kpi_by_commodity", "shortfall", "production", "builds",
               "flows", "surplus", "stock", "prices", "costs"}


def _case(tmp_path: Path) -> Path:
    proc, out = mine(cost=10)
    return write_case(tmp_path / "tiny", {
        "settings": settings(2025, 2026),
        "regions": [{"region": "a", "bloc": "alliance"}],
        "commodities": one_commodity(),
        "processes": [proc], "process_io": [out],
        "capacity": [{"region": "a", "process": "mine", "capacity_tpa": 100}],
        "demand": [{"region": "a", "commodity": "ox", "year": 2025, "demand_t": 60}],
    })


def test_exit_0_writes_report_tables_and_run_record(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["solve", str(_case(tmp_path)), "--out", str(out)]) == 0
    assert (out / "report.xlsx").is_file()
    # MODEL-SPEC §5's ten tables, the §8.1 views (by product group, element and
    # year), the report's bottleneck tables, §8.3's offtake_sales, transfers,
    # china_content and calibration_fit, and the sources of supply
    written = {p.stem for p in (out / "tables").glob("*.csv")}
    assert written == TABLE_NAMES | {"kpi_by_group", "kpi_by_element",
                                     "value_met_by_year", "bottlenecks", "lead_times",
                                     "offtake_sales", "transfers", "china_content",
                                     "calibration_fit", "supply_by_origin",
                                     "new_capacity_by_stage"}
    record = json.loads((out / "run.json").read_text())
    assert record["scenarios"]["baseline"]["status"] == "optimal"
    assert {"load", "build", "translate", "solve", "extract", "report"} <= set(
        record["seconds"])
    assert len(record["input_hash"]) == 64
    assert "pyomo" in record["versions"] and "highs" in record["versions"]
    assert "baseline" in capsys.readouterr().out


def test_exit_2_on_bad_input_names_table_row_column(tmp_path: Path, capsys) -> None:
    case = _case(tmp_path)
    text = (case / "capacity.csv").read_text().replace("100", "lots")
    (case / "capacity.csv").write_text(text)
    out = tmp_path / "out"
    assert main(["solve", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "[capacity] row 2, column capacity_tpa: 'lots' is not a number" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_exit_3_on_time_limit_keeps_earlier_output(tmp_path: Path, capsys) -> None:
    # A synthetic case large enough that presolve alone cannot finish it, so a
    # zero time limit stops HiGHS before the optimum.
    case = write_synthetic(tmp_path / "synthetic", SynthSpec(regions=4, years=6))
    out = tmp_path / "out"
    assert main(["solve", str(case), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["solve", str(case), "--out", str(out), "--time-limit", "0"]) == 3
    assert "time limit" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_exit_2_on_unknown_scenario(tmp_path: Path, capsys) -> None:
    assert main(["solve", str(_case(tmp_path)), "--scenario", "nope"]) == 2
    assert "unknown scenario 'nope'" in capsys.readouterr().err


def test_help_documents_every_option(capsys) -> None:
    assert main(["solve", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--out", "--scenario", "--time-limit", "--method", "--threads",
                   "--scenarios-at-once"):
        assert option in text


def test_missing_case_is_bad_input(tmp_path: Path) -> None:
    assert main(["solve", str(tmp_path / "nowhere")]) == 2


@pytest.mark.parametrize("argv", [["frobnicate"], ["solve", "--threads", "x"]])
def test_bad_usage_exits_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_terminal_lines_and_headline_table(tmp_path: Path, capsys) -> None:
    # one line per scenario as it is solved, then the formatted table: no raw
    # DataFrame (no 'e+', no '<NA>'); the baseline's own premium is a dash
    out = tmp_path / "out"
    assert main(["solve", str(_case(tmp_path)), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert re.match(r"  solved baseline: optimal in \d+\.\d s$", lines[0])
    assert "full cost" in text and "mostly met" in text
    assert "e+" not in text and "<NA>" not in text and "NaN" not in text


def test_quiet_and_flags_after_the_subcommand(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["solve", str(_case(tmp_path)), "--out", str(out), "--quiet",
                 "--debug", "-v"]) == 0
    text = capsys.readouterr().out
    assert "solved baseline" not in text and "full cost" not in text
    assert text.startswith("wrote ")


def test_terminal_cells_in_words() -> None:
    from model.report.terminal import cell
    assert cell(None, "year", 2040, False) == "never (by 2040)"
    assert cell(2031.0, "year", 2040, False) == "2031"
    assert cell(5.702259e10, "bn", 2040, False) == "57.0"  # USD bn
    assert cell(121903.46, "kt", 2040, False) == "121.9"
    assert cell(0.813, "signed_pct", 2040, False) == "+0.8 %"
    assert cell(0.0, "signed_pct", 2040, True) == "—"


def test_headline_table_never_cuts_names_or_years() -> None:
    # the default case's longest names (17 characters) and "never (by 2040)" must
    # stand whole on one line of the terminal table (they were cut to
    # 'heavy_contro…' and folded over two lines at a 160-character width)
    import pandas as pd

    from model.report.terminal import headline_text
    names = ["baseline", "heavy_controls", "high_demand_china", "high_demand"]
    summary = pd.DataFrame({
        "scenario": names, "is_baseline": [True, False, False, False],
        "compare_to": ["", "baseline", "baseline", "high_demand_china"],
        "self_sufficient_year": [2025, 2030, 2025, None],
        "mostly_met_year": [2025, 2030, 2025, None],
        "worst_year": [None, 2026, None, 2026]})
    text = headline_text(summary, 2040)
    for name in names:
        assert any(f" {name} " in line for line in text.splitlines()), name
    assert any(line.count("never (by 2040)") == 2 for line in text.splitlines())
    assert all(line == line.rstrip() for line in text.splitlines())


def test_scenarios_at_once_changes_no_table(tmp_path: Path) -> None:
    # A synthetic case of four scenarios solved one at a time and three at a time:
    # run.json records the number asked for, and every CSV table is byte for byte
    # the same (each LP is the same, only when HiGHS solves it differs).
    case = write_synthetic(tmp_path / "synth", SynthSpec(regions=4, years=4))
    outs = {n: tmp_path / f"out{n}" for n in (1, 3)}
    for n, out in outs.items():
        assert main(["solve", str(case), "--out", str(out), "--quiet",
                     "--scenarios-at-once", str(n)]) == 0
        info = json.loads((out / "run.json").read_text())
        assert info["options"]["scenarios_at_once"] == n
    one, three = (sorted((o / "tables").glob("*.csv")) for o in outs.values())
    assert [p.name for p in one] == [p.name for p in three]
    for a, b in zip(one, three, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
