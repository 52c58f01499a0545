"""Turn raw tables into typed pandas frames, following the schema (layer 1).

Every cell is checked against its column's type, range and allowed values; blank
cells get the column default. All problems are collected, none stops the pass.
"""

from __future__ import annotations

import math

import pandas as pd

from model.data.read import CellValue, RawTable
from model.data.schema import ColumnSpec, TableSpec
from model.errors import Problem

ROW = "_row"
TRUE_WORDS = {"true", "yes", "1", "y", "t"}
FALSE_WORDS = {"false", "no", "0", "n", "f"}


class _Blank:
    """Marker for a cell left blank."""


BLANK = _Blank()


def coerce_table(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed frame of ``raw`` (one column per schema column, plus extras and _row)."""
    problems = _header_problems(raw, spec)
    position = {name: i for i, name in enumerate(raw.header)}
    data: dict[str, list[object]] = {c.name: [] for c in spec.columns}
    extras = [h for h in raw.header if h and h not in data]
    for name in extras:
        data[name] = []
    for cells, row_no in zip(raw.rows, raw.row_numbers, strict=True):
        for col in spec.columns:
            cell = cells[position[col.name]] if col.name in position else None
            if col.name in position and position[col.name] >= len(cells):
                cell = None
            value, message = coerce_cell(cell, col)
            if message:
                problems.append(Problem(message, raw.file, spec.name, row_no, col.name))
            data[col.name].append(value)
        for name in extras:
            i = position[name]
            cell = cells[i] if i < len(cells) else None
            data[name].append("" if cell is None else str(cell))
    frame = pd.DataFrame({k: pd.Series(v, dtype=_dtype(spec, k)) for k, v in data.items()})
    frame[ROW] = pd.Series(raw.row_numbers, dtype="int64")
    frame.attrs["file"] = raw.file
    return frame, problems


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


def _header_problems(raw: RawTable, spec: TableSpec) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for name in raw.header:
        if name and name in seen:
            problems.append(Problem("column appears twice in the header", raw.file,
                                    spec.name, 1, name))
        seen.add(name)
    for col in spec.columns:
        if col.required and col.name not in seen:
            problems.append(Problem("required column is missing from the header",
                                    raw.file, spec.name, 1, col.name))
    return problems


def coerce_cell(cell: CellValue, col: ColumnSpec) -> tuple[object, str]:
    """The typed value of one cell and an error message ('' when fine)."""
    if _is_blank(cell):
        if col.required:
            return _missing(col), "required value is blank"
        return (_missing(col) if col.default is None else col.default), ""
    if col.kind == "text":
        return _as_text(cell), _check_allowed(_as_text(cell), col)
    if col.kind == "boolean":
        return _as_bool(cell)
    number, message = _as_number(cell, col)
    if message:
        return _missing(col), message
    return number, _check_range(number, col)


def _missing(col: ColumnSpec) -> object:
    return {"number": math.nan, "integer": pd.NA, "boolean": pd.NA}.get(col.kind, "")


def _is_blank(cell: CellValue) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def _as_text(cell: CellValue) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _check_allowed(text: str, col: ColumnSpec) -> str:
    if col.allowed is not None and text not in col.allowed:
        return f"'{text}' is not allowed (expected one of: {', '.join(col.allowed)})"
    return ""


def _as_bool(cell: CellValue) -> tuple[object, str]:
    if isinstance(cell, bool):
        return cell, ""
    word = str(cell).strip().lower()
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell), ""
    if word in TRUE_WORDS:
        return True, ""
    if word in FALSE_WORDS:
        return False, ""
    return pd.NA, f"'{cell}' is not true or false"


def _as_number(cell: CellValue, col: ColumnSpec) -> tuple[float, str]:
    expected = f"expected {col.range_text()}"
    if isinstance(cell, bool):
        return math.nan, f"'{cell}' is not a number ({expected})"
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        try:
            number = float(str(cell).strip())
        except ValueError:
            return math.nan, f"'{cell}' is not a number ({expected})"
    if not math.isfinite(number):
        return math.nan, f"'{cell}' is not a finite number ({expected})"
    if col.kind == "integer":
        if not number.is_integer():
            return math.nan, f"'{cell}' is not a whole number ({expected})"
        return int(number), ""
    return number, ""


def _check_range(number: float, col: ColumnSpec) -> str:
    low, high = col.minimum, col.maximum
    too_low = low is not None and (number <= low if col.exclusive_minimum else number < low)
    too_high = high is not None and number > high
    if too_low or too_high:
        return f"{number:g} is out of range (expected {col.range_text()})"
    return ""
