"""The Summary sheet: the first screen (``first_screen``), then the answer in words."""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from model.report.excel import first_screen
from model.report.excel.calibration import calibration_line
from model.report.excel.cells import FMT_USD_M, HEADING, Rows, Sheets
from model.report.excel.data import ReportData
from model.report.excel.series import money_block

SENTENCE_WIDTH = 150
MONEY_TITLE = ("Money apart from cost (discounted USD m): a price floor moves money "
               "between members and leaves the resource cost unchanged")


def usd(value: float) -> str:
    """USD amount in words-friendly units (bn, m or plain)."""
    size = abs(value)
    if size >= 1e9:
        return f"USD {size / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"USD {size / 1e6:,.1f} m"
    return f"USD {size:,.0f}"


def tonnes(value: float) -> str:
    return f"{value:,.0f} t"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def element_sentence(years: dict[str, int | None], base_year: int, end_year: int
                     ) -> str:
    """'NdPr demand is met from 2031; Dy and Tb stay short until 2040 and beyond'."""
    by_year: dict[int, list[str]] = {}
    for name, year in years.items():
        if year is not None:
            by_year.setdefault(year, []).append(name)
    everything = list(by_year) == [base_year] and len(by_year[base_year]) == len(years)
    if everything and len(years) > 2:
        return f"demand of every key element is met from the start ({base_year})"
    parts = []
    for year in sorted(by_year):
        names = _join(by_year[year])
        when = f"from the start ({year})" if year == base_year else f"from {year}"
        parts.append(f"{names} demand is met {when}")
    never = [n for n, y in years.items() if y is None]
    if never:
        verb = "stays" if len(never) == 1 else "stay"
        parts.append(f"{_join(never)} {verb} short to the end of the horizon "
                     f"({end_year})")
    return "; ".join(parts)


def cost_sentence(row: pd.Series) -> str:
    """'supply costs USD 57.5 bn, USD 463.6 m more than the baseline (+0.8 %)'."""
    cost, premium = float(row["total_cost_usd"]), float(row["cost_premium_usd"])
    pct = float(row["cost_premium_pct"])
    text = f"supply costs {usd(cost)}"
    if not math.isfinite(premium) or abs(premium) < 0.5:
        return text + ", the same as the baseline"
    pct_text = f" ({pct:+.1f} %)" if math.isfinite(pct) else ""
    more = "more" if premium > 0 else "less"
    text += f", {usd(premium)} {more} than the baseline{pct_text}"
    if premium < 0 and float(row["shortfall_t"]) > 0:
        text += ", cheaper only because demand goes unmet"
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def scenario_sentences(data: ReportData, scenario: str) -> list[str]:
    """Two plain-language sentences per scenario, generated from its numbers:
    when demand is met, then how much goes unmet and what supply costs."""
    row = data.summary_row(scenario)
    years = data.years
    label = f"Baseline '{scenario}'" if scenario == data.baseline else (
        f"Scenario '{scenario}'")
    if row["status"] != "optimal":
        return [f"{label}: not solved to optimality ({row['status']}); no results."]
    when = element_sentence(data.element_years(scenario), years[0], years[-1])
    overall = row["self_sufficient_year"]
    when += "; overall self-sufficient " + (
        "never within the horizon" if pd.isna(overall) else f"from {int(overall)}")
    short = (f"shortfall {tonnes(float(row['shortfall_t']))} "
             f"({float(row['shortfall_pct']):.1f} % of demand); ")
    short += (cost_sentence(row) if scenario != data.baseline
              else f"supply costs {usd(float(row['total_cost_usd']))}")
    return [f"{label}: {when.lstrip('; ')}.", f"{_capital(short)}."]


def status_line(data: ReportData) -> tuple[str, bool]:
    """The solver-status line and whether it is a warning."""
    statuses = list(zip(data.summary["scenario"], data.summary["status"], strict=True))
    bad = [f"{s} ({t})" for s, t in statuses if t != "optimal"]
    if bad:
        return (f"WARNING: not solved to optimality: {', '.join(bad)}. Numbers of "
                "these scenarios are not results.", True)
    listed = ", ".join(f"{s} ({t})" for s, t in statuses)
    return f"Solver status: {listed}.", False


def write_summary(sheets: Sheets, data: ReportData) -> None:
    """Summary: the first screen (one landscape page, model.report.excel.first_screen),
    then, below the print area, two plain-language sentences per scenario."""
    ws = sheets.new("Summary", first_screen.widths(len(data.years)))
    rows = Rows(ws)
    first_screen.write(rows, data, status_line(data))
    rows.append()
    rows.text("In brief (every scenario, in words)", HEADING)
    for scenario in data.scenarios:
        for i, sentence in enumerate(scenario_sentences(data, scenario)):
            for line in textwrap.wrap(sentence, SENTENCE_WIDTH,
                                      initial_indent="    " * bool(i),
                                      subsequent_indent="    "):
                rows.text(line)
    line = calibration_line(data)
    if line:
        for text in textwrap.wrap(line, SENTENCE_WIDTH, subsequent_indent="    "):
            rows.text(text)
    rows.append()
    for note in notes(data):
        rows.text(note)
    rows.append()
    money = money_block(data)
    rows.block(MONEY_TITLE, money, dict.fromkeys(money.columns[1:], FMT_USD_M))


def notes(data: ReportData) -> list[str]:
    """Footnotes under the headline table: units and definitions."""
    base = data.years[0] if data.years else ""
    rate = "" if data.discount_rate is None else f" at {data.discount_rate:.1%}"
    elements = ", ".join(e.name for e in data.key_elements)
    return [
        f"Costs: supply cost without the shortfall penalty, discounted{rate} to "
        f"{base}; premium against the baseline.",
        "Self-sufficient year: first year from which, in every later year, the "
        "alliance's shortfall is within the tolerance; blank = never in the horizon.",
        f"Key elements (largest demand first): {elements}. Per commodity: sheet "
        "data_kpi_by_commodity; what limits the answer: sheet Bottlenecks.",
    ]
