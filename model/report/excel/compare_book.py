"""compare.xlsx: runs side by side, scenario by scenario (``reroute compare``).

Sheets: Headline (the §8.1 metrics), Costs (discounted, by category), Shortfall
(by product over the horizon), Builds (new capacity by region and stage), then
Runs (which folders, cases and inputs were compared). In each, a block per
scenario: a column per run, then 'Δ <run>' = that run minus the first. A scenario
a run does not have is marked '—' in that run's column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.report.excel.analysis import HEADLINE_METRICS, NEVER_YEARS
from model.report.excel.book import write_book
from model.report.excel.cells import (
    BOLD,
    FMT_T,
    FMT_USD_M,
    HEADING,
    Rows,
    Sheets,
    number_cell,
    text_cell,
)
from model.report.runs import Run, headline, scenario_order, side_by_side
from model.results.headline import never_text

ABSENT = "—"
SECTIONS = [  # sheet, title, table, row keys, value column, number format
    ("Costs", "Discounted cost by category (USD m)", "costs", ["category"],
     "discounted_usd", FMT_USD_M),
    ("Shortfall", "Shortfall by product over the horizon (t)", "kpi_by_commodity",
     ["commodity"], "shortfall_t", FMT_T),
    ("Builds", "New capacity by region and stage (tpa, all online years)",
     "new_capacity_by_stage", ["region", "stage"], "capacity_tpa", FMT_T),
]


def write_compare_book(runs: list[Run], path: Path) -> None:
    """Write compare.xlsx for ``runs`` (first run = the reference) to ``path``."""
    write_book(path, lambda sheets: fill(sheets, runs))


def fill(sheets: Sheets, runs: list[Run]) -> None:
    scenarios = scenario_order(runs)
    write_headline(sheets, runs, scenarios)
    for title, heading, table, keys, value, fmt in SECTIONS:
        rows = _sheet(sheets, title, runs, len(keys))
        for scenario in scenarios:
            frame = side_by_side(runs, scenario, table, keys, value)
            rows.append()
            rows.text(f"Scenario '{scenario}'{_absent_note(runs, scenario)}",
                      HEADING)
            if frame.empty:
                rows.text(f"{heading}: none in any run.")
                continue
            rows.block(heading, frame, dict.fromkeys(frame.columns[len(keys):], fmt))
    write_runs(sheets, runs)


def _sheet(sheets: Sheets, title: str, runs: list[Run], n_keys: int) -> Rows:
    widths = [34] * max(n_keys, 1) + [16] * (2 * len(runs))
    rows = Rows(sheets.new(title, widths, fit=True))
    reference = runs[0].label
    rows.text(f"{title}: {len(runs)} runs side by side, scenario by scenario "
              f"(Δ = the run minus '{reference}')", BOLD)
    return rows


def _absent_note(runs: list[Run], scenario: str) -> str:
    missing = [r.label for r in runs if scenario not in r.scenarios]
    return f" (not in {', '.join(missing)})" if missing else ""


def write_headline(sheets: Sheets, runs: list[Run], scenarios: list[str]) -> None:
    """The headline metrics of every scenario, a number format per metric."""
    rows = _sheet(sheets, "Headline", runs, 1)
    end_year = runs[0].horizon[1]
    metrics = [column for _, column, _ in HEADLINE_METRICS]
    for scenario in scenarios:
        frame = headline(runs, scenario, metrics)
        rows.append()
        rows.text(f"Scenario '{scenario}'{_absent_note(runs, scenario)}", HEADING)
        rows.header(["metric", *frame.columns[1:]])
        for (label, column, fmt), values in zip(
                HEADLINE_METRICS, frame.itertuples(index=False, name=None),
                strict=True):
            cells = [text_cell(rows.ws, label)]
            for run, value in zip(runs, values[1:], strict=False):
                cells.append(_value(rows, run, scenario, column, value, fmt,
                                    end_year))
            cells += [_delta(rows, v, fmt) for v in values[1 + len(runs):]]
            rows.append(cells)


def _value(rows: Rows, run: Run, scenario: str, column: str, value: object,
           fmt: str | None, end_year: object) -> object:
    if scenario not in run.scenarios:
        return text_cell(rows.ws, ABSENT)
    if _blank(value):
        if column in NEVER_YEARS:
            return text_cell(rows.ws, never_text(end_year))
        return text_cell(rows.ws, "none" if column == "worst_year" else "")
    if fmt is None or isinstance(value, str):
        return text_cell(rows.ws, str(value))
    return number_cell(rows.ws, value, fmt)


def _delta(rows: Rows, value: object, fmt: str | None) -> object:
    if fmt is None or _blank(value):
        return None
    return number_cell(rows.ws, value, fmt)


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def write_runs(sheets: Sheets, runs: list[Run]) -> None:
    """Which runs were compared: folder, case, input hash, horizon, when written."""
    rows = Rows(sheets.new("Runs", [18, 50, 16, 20, 12, 12, 14, 26]))
    rows.header(["run", "folder", "case", "input hash", "base year", "end year",
                 "discount rate", "written at"])
    for run in runs:
        base, end, rate = run.horizon
        rows.append([text_cell(rows.ws, run.label), text_cell(rows.ws, str(run.path)),
                     text_cell(rows.ws, str(run.info.get("case", ""))),
                     text_cell(rows.ws, str(run.info.get("input_hash", ""))[:16]),
                     base, end, rate,
                     text_cell(rows.ws, str(run.info.get("written_at", "")))])
