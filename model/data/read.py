"""Read a case from disk into raw tables: a folder of CSV files or one .xlsx workbook.

Nothing here interprets values: every cell comes back as the text or number that
was stored, with its row number in the file, so that later stages can name the
file, table, row and column of any problem.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from model.data.schema import TABLE_BY_NAME
from model.errors import InputError, Problem

CellValue = str | int | float | bool | None


@dataclass
class RawTable:
    """One table as read: header, data rows and the file row number of each."""

    name: str
    file: str
    header: list[str]
    rows: list[list[CellValue]]
    row_numbers: list[int]


def read_case(path: Path) -> dict[str, RawTable]:
    """Read every known table of the case at ``path`` (a folder or an .xlsx)."""
    if not path.exists():
        raise InputError(Problem(f"case not found: {path}"))
    if path.is_dir():
        return _read_csv_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    raise InputError(
        Problem("a case is a folder of CSV files or an .xlsx workbook", file=str(path))
    )


def _read_csv_folder(folder: Path) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for file in sorted(folder.glob("*.csv")):
        if file.stem in TABLE_BY_NAME:
            tables[file.stem] = _read_csv(file)
    return tables


def _read_csv(file: Path) -> RawTable:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV",
                    file=str(file), table=file.stem)
        ) from None
    lines = list(csv.reader(text.splitlines()))
    if not lines:
        raise InputError(Problem("the file is empty (no header row)", file=str(file),
                                 table=file.stem))
    header = [h.strip() for h in lines[0]]
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    for line_no, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(list(cells))
        numbers.append(line_no)
    return RawTable(file.stem, str(file), header, rows, numbers)


def _read_workbook(path: Path) -> dict[str, RawTable]:
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True,
                                    keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(
            Problem(f"cannot read the workbook ({type(exc).__name__}: {exc})",
                    file=str(path))
        ) from None
    try:
        return {
            ws.title: _read_sheet(ws, str(path))
            for ws in wb.worksheets
            if ws.title in TABLE_BY_NAME
        }
    finally:
        wb.close()


def _read_sheet(ws: object, file: str) -> RawTable:
    ws.reset_dimensions()  # type: ignore[attr-defined]  # stored dimensions may lie
    all_rows = ws.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header_cells = next(all_rows, None) or ()
    header = [str(h).strip() if h is not None else "" for h in header_cells]
    while header and header[-1] == "":
        header.pop()
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    for row_no, cells in enumerate(all_rows, start=2):
        values = list(cells[: len(header)])
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append(values)
        numbers.append(row_no)
    return RawTable(ws.title, file, header, rows, numbers)  # type: ignore[attr-defined]
