"""A case written as a folder of CSV files or as one workbook (``reroute init``,
``reroute export``).

What is written is what was read (``read_case``; a CSV file is copied as it is):
every table, every column in its order, the ``source`` column and any other
free-text column, blank cells blank (so a default stays a default). Loading the
copy gives the same tables, hence the same input hash. In a workbook, number
columns hold numbers and text columns text (so ``NA`` and ``0805`` stay text);
each header cell carries a comment with the column's unit and meaning from the
schema, and code and enumeration columns get a drop-down list (data validation):
codes from the table that defines them (``regions.region`` for a ``region``
column), enumerations from the schema.

Nothing is ever overwritten: the target must not exist (an empty folder is
allowed). The copy is written beside it under a temporary name and put in place
in one step that fails if the target appeared meanwhile (a hard link for a file,
a rename for a folder), so a failed or refused write leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from model.data.raw import CellValue, RawCase, RawTable, normal_name
from model.data.read import read_case
from model.data.schema import TABLE_BY_NAME, TABLES, ColumnSpec, TableSpec
from model.errors import InputError, Problem
from model.files import AlreadyThere, atomic_path, new_file, new_folder

XLSX = ".xlsx"
VALIDATED_ROWS = 5000  # drop-downs cover the table's rows and room to add more
INLINE_LIST_CHARS = 255  # Excel's limit for a list written into the validation
UNITS = (  # name suffix -> unit, longest first
    ("_usd_per_tpa", "US$ per tonne per year of capacity"),
    ("_usd_per_t", "US$ per tonne"),
    ("_tpa_per_year", "tonnes per year of capacity, added per year"),
    ("_tpa", "tonnes per year"),
    ("_t", "tonnes"),
    ("_usd", "US$"),
    ("_pct", "percent"),
    ("_years", "years"),
    ("_year", "calendar year"),
    ("_days", "days"),
    ("_index", "multiplier (1 = no change)"),
    ("_rate", "fraction per year"),
)
SOURCE_NOTE = ("source: free text, where the row's numbers come from (kept, and "
               "shown in the report's Sources sheet)")


def export_case(case: Path, out: Path) -> Path:
    """A CSV case as one workbook (``out`` ends in .xlsx), or a workbook as a folder
    of CSV files; returns what was written."""
    case, out = Path(case), Path(out)
    to_workbook = case.is_dir()
    if to_workbook and out.suffix.lower() != XLSX:
        raise InputError(Problem(f"{case} is a CSV case, so it is exported as a "
                                 f"workbook: name the output file with {XLSX} at "
                                 f"the end (got {out})"))
    if not to_workbook and out.suffix.lower() == XLSX:
        raise InputError(Problem(f"{case} is a workbook, so it is exported as a "
                                 f"folder of CSV files: name a folder (got {out})"))
    raw = read_case(case)
    refuse_existing(out)
    if to_workbook:
        write_workbook(raw, out)
    else:
        write_csv_folder(raw, out)
    return out


def init_case(source: Path, out: Path, workbook: bool) -> Path:
    """The case at ``source`` (the bundled default) copied to ``out``: a CSV folder,
    or with ``workbook`` one workbook (``out`` gets .xlsx if it has no suffix)."""
    out = Path(out)
    if workbook and out.suffix.lower() != XLSX:
        out = out.with_name(out.name + XLSX)
    raw = read_case(Path(source))
    refuse_existing(out)
    if workbook:
        write_workbook(raw, out)
    else:
        write_csv_folder(raw, out)
    return out


def refuse_existing(out: Path) -> None:
    """InputError (exit 2) unless ``out`` is new or an empty folder."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(Problem(f"refusing to write {out}: it exists (nothing is "
                                 "overwritten); choose a new name"))
    if out.is_dir() and any(out.iterdir()):
        raise InputError(Problem(f"refusing to write into {out}: the folder is not "
                                 "empty (nothing is overwritten); choose a new or "
                                 "empty folder"))


def ordered(raw: RawCase) -> list[RawTable]:
    """The tables in schema order."""
    return [raw[t.name] for t in TABLES if t.name in raw]


# --- CSV -------------------------------------------------------------------------

def csv_text(table: RawTable) -> str:
    """The table as CSV text (UTF-8, ',' separated, '"' quoted where needed)."""
    spec = TABLE_BY_NAME[table.name]
    kinds = _kinds(spec, table.header)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    for row in table.rows:
        cells = list(row) + [None] * (len(table.header) - len(row))
        writer.writerow([_csv_cell(v, k) for v, k in zip(cells, kinds, strict=False)])
    return buffer.getvalue()


def _csv_cell(value: CellValue, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and kind != "number":
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv_bytes(table: RawTable) -> bytes:
    """A table read from a CSV file: that file's bytes (its quoting and line ends
    kept); from a workbook: the table written as CSV."""
    if table.file.lower().endswith(".csv"):
        return Path(table.file).read_bytes()
    return csv_text(table).encode("utf-8")


def write_csv_folder(raw: RawCase, out: Path) -> None:
    """Every table as ``<table>.csv`` in a new folder, put in place in one rename."""
    try:
        with new_folder(out) as staging:
            for table in ordered(raw):
                with atomic_path(staging / f"{table.name}.csv") as temp:
                    temp.write_bytes(_csv_bytes(table))
    except AlreadyThere:
        raise InputError(Problem(f"refusing to write {out}: it appeared while "
                                 "writing (nothing is overwritten)")) from None


# --- workbook ----------------------------------------------------------------------

def write_workbook(raw: RawCase, out: Path) -> None:
    """One sheet per table, with header notes and drop-downs; never overwrites."""
    wb = Workbook()
    wb.remove(wb.active)
    positions = _key_positions(raw)
    for table in ordered(raw):
        _fill_sheet(wb.create_sheet(table.name), table, positions)
    try:
        with new_file(out, suffix=XLSX) as temp:
            wb.save(temp)
    except AlreadyThere:
        raise InputError(Problem(f"refusing to write {out}: it appeared while "
                                 "writing (nothing is overwritten)")) from None


def _fill_sheet(ws: object, table: RawTable, positions: dict[str, tuple[int, int]]
                ) -> None:
    spec = TABLE_BY_NAME[table.name]
    kinds = _kinds(spec, table.header)
    ws.append(table.header)  # type: ignore[attr-defined]
    for row in table.rows:
        ws.append([_typed(v, k) for v, k in  # type: ignore[attr-defined]
                   zip(row, kinds, strict=False)])
    for index, name in enumerate(table.header, start=1):
        cell = ws.cell(row=1, column=index)  # type: ignore[attr-defined]
        cell.font = Font(bold=True)
        note = column_note(spec, name, first=index == 1)
        cell.comment = Comment(note, "Reroute", width=320,
                               height=40 + 16 * (len(note) // 45))
        ws.column_dimensions[get_column_letter(index)].width = max(  # type: ignore
            10, min(40, len(name) + 4))
        column = _spec_column(spec, name)
        if column is not None:
            _add_drop_down(ws, column, index, positions)
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]


def _typed(value: CellValue, kind: str) -> CellValue:
    """A number in a number column; text that is no number stays as written, and so
    does a number that 16 significant digits (what a workbook stores) would round,
    so the workbook loads to the same value."""
    if kind not in ("number", "integer") or not isinstance(value, str):
        return value
    try:
        number = float(value.strip())
    except ValueError:
        return value
    if not math.isfinite(number) or float(f"{number:.16g}") != number:
        return value  # the workbook stores 16 digits: keep the exact text
    return int(number) if kind == "integer" and number.is_integer() else number


def _kinds(spec: TableSpec, header: list[str]) -> list[str]:
    columns = {c.name: c.kind for c in spec.columns}
    return [columns.get(normal_name(h), "text") for h in header]


def _spec_column(spec: TableSpec, name: str) -> ColumnSpec | None:
    return next((c for c in spec.columns if c.name == normal_name(name)), None)


def unit_of(name: str) -> str:
    """The unit a column name spells (MODEL-SPEC §2: units are in the names)."""
    if name == "year":
        return "calendar year"
    return next((unit for suffix, unit in UNITS if name.endswith(suffix)), "")


def column_note(spec: TableSpec, name: str, first: bool = False) -> str:
    """The header comment: meaning, unit, what a blank means, allowed values."""
    column = _spec_column(spec, name)
    table = f"Table {spec.name}: {spec.doc}\n\n" if first and spec.doc else ""
    if column is None:
        return table + (SOURCE_NOTE if normal_name(name) == "source" else
                        f"{name}: not a column of {spec.name}; ignored (a warning)")
    parts = [column.doc] if column.doc else []
    unit = unit_of(column.name)
    if unit:
        parts.append(f"unit: {unit}")
    if column.ref:
        parts.append(f"a code from {column.ref}.{TABLE_BY_NAME[column.ref].key[0]}")
    if column.allowed:
        parts.append(f"one of: {', '.join(column.allowed)}")
    if column.kind != "text":
        parts.append(column.range_text())
    parts.append(_blank_text(column))
    return f"{table}{column.name}: " + "; ".join(p for p in parts if p)


def _blank_text(column: ColumnSpec) -> str:
    if column.required:
        return "required"
    if column.default is not None:
        return f"blank = {column.default:g}" if isinstance(
            column.default, float) else f"blank = {column.default}"
    return "may be blank"


def _key_positions(raw: RawCase) -> dict[str, tuple[int, int]]:
    """Table -> (column number of its key, rows) for the code drop-downs."""
    out = {}
    for table in raw.values():
        spec = TABLE_BY_NAME[table.name]
        header = [normal_name(h) for h in table.header]
        if spec.key and spec.key[0] in header:
            out[table.name] = (header.index(spec.key[0]) + 1, len(table.rows))
    return out


def _add_drop_down(ws: object, column: ColumnSpec, index: int,
                   positions: dict[str, tuple[int, int]]) -> None:
    """A list validation: the schema's values, or the codes of the defining table."""
    if column.allowed or column.kind == "boolean":
        values = column.allowed or ("true", "false")
        formula = '"' + ",".join(values) + '"'
        if len(formula) > INLINE_LIST_CHARS:
            return
        style, hint = "stop", f"one of: {', '.join(values)}"
    elif column.ref and column.ref in positions:
        key_col, rows = positions[column.ref]
        letter = get_column_letter(key_col)
        formula = f"'{column.ref}'!${letter}$2:${letter}${max(rows + 1, 2) + 200}"
        style, hint = "warning", f"a code of {column.ref} (add it there first)"
    else:
        return
    check = DataValidation(type="list", formula1=formula, allow_blank=True,
                           showErrorMessage=True, errorStyle=style,
                           error=f"{column.name}: {hint}", errorTitle="Reroute")
    letter = get_column_letter(index)
    check.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    ws.add_data_validation(check)  # type: ignore[attr-defined]
