"""Sheets that hold whole tables: human sheets (years as columns), the tidy tables
of MODEL-SPEC §5 as Excel Tables, the input tables, their sources and the run info.

Large tables are written as plain values in one pass (no per-cell styles); a
table longer than Excel's row limit is cut with a visible note above its header.
"""

from __future__ import annotations

import pandas as pd

from model.report.excel.cells import (
    BOLD,
    EXCEL_MAX_ROWS,
    FMT_PRICE,
    FMT_T,
    STYLE_LIMIT,
    WARNING,
    Rows,
    Sheets,
    frame_widths,
    header_cells,
    safe_column,
)
from model.report.excel.data import ReportData
from model.report.excel.pivot import pivot_sum
from model.report.excel.writer import Sheet, column_letter

# sheet, tidy table, row keys, value column, unit, fill missing with zero
HUMAN_SHEETS = [
    ("Shortfall", "shortfall", ["scenario", "region", "commodity"], "shortfall_t",
     "t", True),
    ("Capacity", "production", ["scenario", "region", "stage", "process"],
     "capacity_tpa", "tpa", True),
    ("Builds", "builds", ["scenario", "region", "stage", "process"], "capacity_tpa",
     "tpa coming online", True),
    ("Flows", "flows", ["scenario", "origin", "destination", "commodity"],
     "quantity_t", "t", True),
    ("Prices", "prices", ["scenario", "region", "commodity"],
     "marginal_cost_usd_per_t", "USD/t, that year's money", False),
]


def fit_rows(frame: pd.DataFrame, room: int) -> tuple[pd.DataFrame, str | None]:
    """``frame`` cut to ``room`` rows, with the note to show when it was cut."""
    if len(frame) <= room:
        return frame, None
    return frame.head(room), (f"Only the first {room:,} of {len(frame):,} rows fit "
                              "in Excel; the full table is in tables/*.csv.")


def write_plain(sheets: Sheets, title: str, frame: pd.DataFrame,
                table_name: str | None = None, heading: str | None = None) -> None:
    """One table per sheet: optional heading, frozen header, values, Excel Table."""
    top = (1 if heading else 0)
    frame, note = fit_rows(frame, EXCEL_MAX_ROWS - top - 2)
    top += 1 if note else 0
    ws = sheets.new(title, frame_widths(frame), freeze=f"A{top + 2}")
    rows = Rows(ws)
    if heading:
        rows.text(heading, BOLD)
    if note:
        rows.text(note, WARNING)
    header = rows.header(frame.columns)
    ws.append_columns([safe_column(frame.iloc[:, j])
                       for j in range(frame.shape[1])], len(frame))
    rows.row += len(frame)
    if table_name and len(frame) and len(frame.columns):
        add_table(ws, table_name, frame.columns, header, rows.row)


def add_table(ws: Sheet, name: str, columns: pd.Index, first: int, last: int
              ) -> None:
    """An Excel Table (with filter buttons) over rows first..last (1-based; the
    header row ``first`` written as the report's header cells)."""
    ws.add_table(name, header_cells(ws, map(str, columns)), first, last)


def wide(data: ReportData, table: str, keys: list[str], value: str, fill: bool
         ) -> pd.DataFrame:
    """``table`` pivoted with years as columns (every horizon year present)."""
    frame = data.table(table)
    if frame.empty:
        return pd.DataFrame(columns=keys + data.years)
    if "stage" in keys:
        frame = frame.assign(stage=frame["process"].map(
            lambda p: data.stage_of.get(p, "")))
    year = "online_year" if "online_year" in frame.columns else "year"
    pivot = pivot_sum(frame, keys, year, value, fill_value=0.0 if fill else None,
                      sort=False)
    pivot = pivot.reindex(columns=data.years, fill_value=0.0 if fill else None)
    return pivot.rename_axis(columns=None).reset_index()


def write_human(sheets: Sheets, data: ReportData) -> None:
    """Shortfall, Capacity, Builds, Flows and Prices with years as columns."""
    for title, table, keys, value, unit, fill in HUMAN_SHEETS:
        frame, note = fit_rows(wide(data, table, keys, value, fill),
                               EXCEL_MAX_ROWS - 3)
        ws = sheets.new(title, [14] * len(keys) + [11] * len(data.years),
                        freeze=f"{column_letter(len(keys) + 1)}{3 + bool(note)}")
        rows = Rows(ws)
        rows.text(f"{title} ({unit}) by year", BOLD)
        if note:
            rows.text(note, WARNING)
        rows.header(list(keys) + [str(y) for y in data.years])
        fmt = FMT_PRICE if value.endswith("usd_per_t") else FMT_T
        styled = frame.size <= STYLE_LIMIT
        ws.append_columns([safe_column(frame.iloc[:, j])
                           for j in range(frame.shape[1])], len(frame),
                          [fmt if styled and j >= len(keys) else None
                           for j in range(frame.shape[1])])


def write_tidy(sheets: Sheets, data: ReportData, names: list[str]) -> None:
    """Each tidy table on its own sheet ``data_<name>`` as an Excel Table."""
    for name in names:
        if name in data.tables:
            write_plain(sheets, f"data_{name}", data.tables[name], f"t_{name}")


def write_inputs(sheets: Sheets, data: ReportData) -> None:
    """The case's tables echoed (``in_<table>``), then the Sources sheet."""
    for name, frame in data.inputs.items():
        write_plain(sheets, f"in_{name}", frame, f"in_{name}")
    write_plain(sheets, "Sources", sources(data.inputs))


def sources(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every distinct ``source`` text per input table, with its row count."""
    parts = []
    for name, frame in inputs.items():
        if "source" not in frame.columns:
            continue
        text = frame["source"].fillna("").astype(str).str.strip()
        counts = text[text != ""].value_counts(sort=False)
        parts.append(pd.DataFrame({"table": name, "source": counts.index,
                                   "rows": counts.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["table", "source", "rows"])
    return pd.concat(parts, ignore_index=True)


def write_run_info(sheets: Sheets, data: ReportData) -> None:
    """Run info: the run record as key/value rows."""
    frame = pd.DataFrame({"key": list(data.run_info),
                          "value": [str(v) for v in data.run_info.values()]})
    write_plain(sheets, "Run info", frame)
