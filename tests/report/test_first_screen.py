"""The Summary's first screen renders on one landscape page (LibreOffice → PDF).

A Summary-only copy of the report (the same code, only that sheet) is converted
headless; its PDF must have exactly one page. Skipped only when ``soffice`` is
absent outside CI (as tests/report/test_libreoffice.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from model.data.coerce import ROW
from model.pipeline import RunResult
from model.report.excel.book import write_book
from model.report.excel.data import ReportData
from model.report.excel.first_screen import caveats, penalty_rule
from model.report.excel.summary import write_summary
from tests.report.test_libreoffice import IN_CI, SOFFICE


def summary_only(solved: RunResult, path: Path) -> Path:
    """The Summary sheet alone, written by the report's own code."""
    inputs = {n: f.drop(columns=[ROW]) for n, f in solved.case.tables.items()}
    data = ReportData(solved.tables, inputs, {"case": "demo", "input_hash": "x" * 64})
    write_book(path, lambda sheets: write_summary(sheets, data))
    return path


def test_summary_is_one_pdf_page(solved: RunResult, tmp_path: Path) -> None:
    if SOFFICE is None:
        if IN_CI:
            pytest.fail("LibreOffice (soffice) is required in CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    book = summary_only(solved, tmp_path / "summary.xlsx")
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(book)],
        capture_output=True, text=True, timeout=300, check=False)
    pdf = tmp_path / "summary.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) == 1


def test_penalty_rule_and_caveat_words(solved: RunResult) -> None:
    inputs = {n: f.drop(columns=[ROW]) for n, f in solved.case.tables.items()}
    data = ReportData(solved.tables, inputs, {})
    # ndpr_ox 500,000 / 60,000 = 8.3x; dy_ox 2,000,000 / 300,000 = 6.7x → median
    # 7.5x, range 7x to 8x (rounded)
    assert penalty_rule(data) == "8x the reference price (7x to 8x across demanded " \
        "commodities)"
    (line,) = caveats(data)  # only no_china goes short
    assert line.startswith("no_china: ")
    assert "kt of oxides" in line


def test_the_foresight_line_follows_the_setting() -> None:
    # MODEL-SPEC §8.2: the assumption printed under the Summary is the case's own
    from model.report.excel.first_screen import foresight_line
    assert foresight_line("perfect").startswith("Foresight: perfect")
    assert foresight_line("none").startswith("Foresight: none")
    assert "its comparator's decisions" in foresight_line("none")
