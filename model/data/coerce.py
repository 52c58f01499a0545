"""Turn raw tables into typed pandas frames, following the schema (layer 1, types).

Every cell is parsed on its own into its column's type (text, number, whole
number, true/false); a blank cell gets the column default. A cell that cannot be
parsed becomes a problem naming file, table, row and column, and a missing value in
the frame, so the value rules of ``checks.py`` (ranges, allowed values, units
windows), run next on the typed frame, still see every other cell: all problems are
collected in one pass.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd

from model.data.raw import CellValue, RawCase, RawTable, normal_name, shown
from model.data.schema import REQUIRED_TABLES, TABLES, ColumnSpec, TableSpec
from model.data.unicode_hint import did_you_mean
from model.errors import Problem

log = logging.getLogger(__name__)
ROW = "_row"
TRUE_WORDS = {"true", "yes", "1", "y", "t"}
FALSE_WORDS = {"false", "no", "0", "n", "f"}
Tables = dict[str, pd.DataFrame]


def coerce_case(raw: RawCase, path: Path) -> tuple[Tables, list[Problem]]:
    """Typed frames of every table (empty frames for absent optional tables)."""
    tables: Tables = {}
    problems: list[Problem] = list(raw.misnamed)
    for spec in TABLES:
        if spec.name in raw:
            tables[spec.name], found = coerce_table(raw[spec.name], spec)
            problems += found
        elif spec.name in REQUIRED_TABLES:
            problems.append(_missing_table(spec.name, raw, path))
        else:
            tables[spec.name] = empty_table(spec)
    return tables, problems


def _missing_table(name: str, raw: RawCase, path: Path) -> Problem:
    where = "sheet" if path.is_file() else "file"
    found = ", ".join(f"'{n}'" for n in sorted({*raw, *raw.unknown})) or "none"
    hint = did_you_mean(name, raw.unknown, normal_name)
    other = [n for n in raw.ignored if normal_name(n.split(".")[0]) == name]
    note = "".join(f"; '{n}' is not read (only .csv files are)" for n in other)
    return Problem(f"required table is missing (no {where} '{name}'; found: "
                   f"{found}){hint}{note}", str(path), name)


def coerce_table(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed frame of ``raw`` (one column per schema column, plus extras and _row)."""
    header = [normal_name(h) for h in raw.header]
    problems = header_problems(raw, header, spec)
    position = {name: i for i, name in reversed(list(enumerate(header))) if name}
    data: dict[str, list[object]] = {c.name: [] for c in spec.columns}
    extras = [h for h in dict.fromkeys(header) if h and h not in data]
    for name in extras:
        data[name] = []
    problems += headless_values(raw, header)
    for cells, row_no in zip(raw.rows, raw.row_numbers, strict=True):
        for col in spec.columns:
            value, message = coerce_cell(_cell(cells, position.get(col.name)), col)
            if message:
                problems.append(Problem(message, raw.file, spec.name, row_no, col.name))
            data[col.name].append(value)
        for name in extras:
            cell = _cell(cells, position[name])
            data[name].append("" if cell is None else str(cell))
    frame = pd.DataFrame({k: pd.Series(v, dtype=_dtype(spec, k))
                          for k, v in data.items()})
    frame[ROW] = pd.Series(raw.row_numbers, dtype="int64")
    frame.attrs["file"] = raw.file
    return frame, problems


def headless_values(raw: RawTable, header: list[str]) -> list[Problem]:
    """A value in a column whose header cell is blank, or right of the header: it
    would be dropped without a word (one problem per row)."""
    blank = [i for i, name in enumerate(header) if not name]
    problems = []
    for cells, row_no in zip(raw.rows, raw.row_numbers, strict=True):
        if len(cells) <= len(header) and not blank:
            continue
        index = next((i for i in (*blank, *range(len(header), len(cells)))
                      if i < len(cells) and not _is_blank(cells[i])), None)
        if index is not None:
            problems.append(Problem(
                f"value {shown(cells[index])} in a column without a header; name the "
                "column in row 1, or clear the cell", raw.file, raw.name, row_no,
                f"{_column_label(raw.file, index)} (no header)"))
    return problems


def _column_label(file: str, index: int) -> str:
    """The spreadsheet letter of a workbook column, else the CSV field number."""
    if file.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl.utils import get_column_letter  # noqa: PLC0415  (on demand)

        return get_column_letter(index + 1)
    return str(index + 1)


def _cell(cells: list[CellValue], position: int | None) -> CellValue:
    if position is None or position >= len(cells):
        return None
    return cells[position]


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """A typed, empty frame for an optional table that is absent."""
    frame = pd.DataFrame({c.name: pd.Series([], dtype=_dtype(spec, c.name))
                          for c in spec.columns})
    frame[ROW] = pd.Series([], dtype="int64")
    frame.attrs["file"] = ""
    return frame


def _dtype(spec: TableSpec, column: str) -> str:
    kinds = {c.name: c.kind for c in spec.columns}
    return {"number": "float64", "integer": "Int64", "boolean": "boolean"}.get(
        kinds.get(column, "text"), "object"
    )


def header_problems(raw: RawTable, header: list[str], spec: TableSpec
                    ) -> list[Problem]:
    """Duplicate, missing and unknown columns of the header row."""
    known = set(spec.column_names) | set(spec.extra_columns)
    if not any(header):
        return [Problem("the table is empty (no header row)", raw.file, spec.name, 1)]
    if not known.intersection(header):
        shown = ", ".join(f"'{h}'" for h in raw.header[:3] if h)
        return [Problem(f"header row not found in row 1 (found {shown or 'nothing'}); "
                        "the first row must hold the column names "
                        f"({', '.join(spec.column_names)})", raw.file, spec.name, 1)]
    problems = []
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(Problem("column appears twice in the header", raw.file,
                                    spec.name, 1, name))
        seen.add(name)
    unknown = [h for h in dict.fromkeys(header) if h and h not in known]
    for col in spec.columns:
        if col.required and col.name not in seen:
            hint = did_you_mean(col.name, unknown)
            problems.append(Problem(f"required column is missing from the header{hint}",
                                    raw.file, spec.name, 1, col.name))
    for name in unknown:
        log.warning("%s [%s]: unknown column '%s' is ignored%s", raw.file, spec.name,
                    name, did_you_mean(name, spec.column_names))
    return problems


def coerce_cell(cell: CellValue, col: ColumnSpec) -> tuple[object, str]:
    """The typed value of one cell and an error message ('' when fine)."""
    if _is_blank(cell):
        if col.required:
            return _missing(col), "required value missing (the cell is blank)"
        return (_missing(col) if col.default is None else col.default), ""
    if col.kind == "text":
        return _as_text(cell), ""
    if col.kind == "boolean":
        return _as_bool(cell)
    return _as_number(cell, col)


def _missing(col: ColumnSpec) -> object:
    return {"number": math.nan, "integer": pd.NA, "boolean": pd.NA}.get(col.kind, "")


def _is_blank(cell: CellValue) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def _as_text(cell: CellValue) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _as_bool(cell: CellValue) -> tuple[object, str]:
    if isinstance(cell, bool):
        return cell, ""
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell), ""
    word = str(cell).strip().lower()
    if word in TRUE_WORDS:
        return True, ""
    if word in FALSE_WORDS:
        return False, ""
    return pd.NA, f"{shown(cell)} is not true or false"


def _as_number(cell: CellValue, col: ColumnSpec) -> tuple[object, str]:
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        return _missing(col), f"{shown(cell)} is not a number ({_expected(col)})"
    if isinstance(cell, str):
        try:
            number = float(cell.strip())
        except ValueError:
            return _missing(col), (f"{shown(cell)} is not a number ({_expected(col)})"
                                   f"{_hint(cell)}")
    else:
        number = float(cell)
    if not math.isfinite(number):
        return _missing(col), (f"{shown(cell)} is not a finite number "
                               f"({_expected(col)}; leave the cell blank where a "
                               "column allows 'no limit')")
    if col.kind == "integer":
        if not number.is_integer():
            return _missing(col), (f"{shown(cell)} is not a whole number "
                                   f"({_expected(col)})")
        return int(number), ""
    return number, ""


def _expected(col: ColumnSpec) -> str:
    """'expected <the column's range>' (worded only for a cell that is refused)."""
    return f"expected {col.range_text()}"


def _hint(text: str) -> str:
    text = text.strip()
    if text.endswith("%"):
        return "; write the number without '%' (see the column's unit)"
    if "," in text:
        return "; no thousands separators or decimal commas (write 1000.5)"
    return ""
