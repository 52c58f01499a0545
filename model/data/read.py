"""Read a case from disk into raw tables: a folder of CSV files or one .xlsx workbook.

Nothing here interprets values: every cell comes back as the text or number that
was stored (so "NA", "None" and "0805" stay text), with its row number in the file,
so that later stages can name the file, table, row and column of any problem.

CSV files are read strictly: UTF-8 (a byte-order mark is allowed), comma-separated
with '"' quotes; a file that looks ';'- or tab-separated, a ragged row or an
unbalanced quote is an error naming the file and line, never a silent mis-parse.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from model.data.raw import CellValue, RawCase, RawTable, table_name
from model.data.workbook import read_workbook
from model.errors import InputError, Problem

__all__ = ["CellValue", "RawCase", "RawTable", "read_case"]

MAX_CSV_BYTES = 100 * 2**20
FOREIGN_SEPARATORS = {";": "';'", "\t": "tab", "|": "'|'"}
LEGACY_SUFFIXES = {".xls": "legacy .xls", ".xlsb": "Excel binary (.xlsb)",
                   ".ods": "OpenDocument (.ods)", ".numbers": "Apple Numbers"}


def read_case(path: Path) -> RawCase:
    """Read every known table of the case at ``path`` (a folder or an .xlsx)."""
    path = Path(path)
    if not path.exists():
        raise InputError(Problem(f"case not found: {path.absolute()}"))
    if path.is_dir():
        return _read_csv_folder(path)
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        raise InputError(Problem(f"{LEGACY_SUFFIXES[suffix]} files are not supported; "
                                 "save the workbook as .xlsx", file=str(path)))
    if suffix in (".xlsx", ".xlsm"):
        return _guard_os(read_workbook, path)
    raise InputError(
        Problem("a case is a folder of CSV files or an .xlsx workbook", file=str(path))
    )


def _guard_os(reader: object, path: Path) -> RawCase:
    try:
        return reader(path)  # type: ignore[operator]
    except (PermissionError, IsADirectoryError, FileNotFoundError) as exc:
        raise InputError(Problem(f"cannot open the file: {exc.strerror}",
                                 file=str(path.absolute()))) from None


def _read_csv_folder(folder: Path) -> RawCase:
    raw = RawCase()
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.csv")):
        name = table_name(file.stem)
        if name is None:
            raw.unknown[file.stem] = str(file)
            continue
        if name in raw:
            problems.append(Problem(f"two files name table '{name}'", str(file), name))
            continue
        try:
            raw[name] = _guard_os(_read_csv, file)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return raw


def _read_csv(file: Path) -> RawTable:
    name = table_name(file.stem) or file.stem
    data = file.read_bytes()
    if not data.strip():
        raise InputError(Problem("empty file (no header row)", str(file), name))
    if len(data) > MAX_CSV_BYTES:
        raise InputError(Problem(f"file is {len(data):,} bytes, above the limit of "
                                 f"{MAX_CSV_BYTES:,}", str(file), name))
    text = _decode(data, file, name)
    lines = _parse(text, file, name)
    header = [h.strip() for h in lines[0][1]]
    _check_separator(header, file, name)
    table = RawTable(name, str(file), header, [], [])
    problems = []
    for line_no, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(f"line {line_no}: expected {len(header)} fields, "
                                    f"saw {len(cells)}", str(file), name))
            continue
        table.rows.append(list(cells[: len(header)]))
        table.row_numbers.append(line_no)
    if problems:
        raise InputError(problems)
    return table


def _decode(data: bytes, file: Path, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(Problem(
            f"not UTF-8 (byte 0x{byte:02X} at offset {exc.start}); save the file as "
            "'CSV UTF-8'", str(file), name)) from None


def _parse(text: str, file: Path, name: str) -> list[tuple[int, list[str]]]:
    """Records with the file line on which each starts."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(Problem(f"line {start}: {exc} (unbalanced quote?)",
                                 str(file), name)) from None
    return records


def _check_separator(header: list[str], file: Path, name: str) -> None:
    for sep, label in FOREIGN_SEPARATORS.items():
        if any(sep in h for h in header):
            raise InputError(Problem(
                f"the header looks {label}-separated; save the file with ',' as the "
                "separator and '.' as the decimal mark (CSV UTF-8)", str(file), name,
                1))
