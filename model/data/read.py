"""Read a case from disk into raw tables: a folder of CSV files or one .xlsx workbook.

Nothing here interprets values: every cell comes back as the text or number that
was stored (so "NA", "None" and "0805" stay text), with its row number in the file,
so that later stages can name the file, table, row and column of any problem.

CSV files are read strictly: UTF-8 (a byte-order mark is allowed), comma-separated
with '"' quotes; a file that looks ';'- or tab-separated, a ragged row or an
unbalanced quote is an error naming the file and line, never a silent mis-parse.

In a case folder every ``.csv`` file (any case of the suffix: ``Demand.CSV`` is
the ``demand`` table) must name a table; one that does not (``expansions.csv``) is
an error with the closest table name. Other files (``README.md``, notes) and
hidden or lock files (a name starting with ``.`` or ``~$``) are never read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from model.data.checks import MAX_TEXT
from model.data.files import read_bounded
from model.data.raw import CellValue, RawCase, RawTable, normal_name, table_name
from model.data.schema import TABLE_BY_NAME
from model.data.unicode_hint import did_you_mean
from model.errors import InputError, Problem

__all__ = ["CellValue", "RawCase", "RawTable", "read_case"]

MAX_CSV_BYTES = 100 * 2**20
MAX_CELL_CHARS = 2**20  # the csv module's own limit is 131,072; text rules say less
CSV_SUFFIX = ".csv"
NOT_INPUT_PREFIXES = (".", "~$")  # hidden, macOS metadata and editor lock files
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
        from model.data.workbook import (  # noqa: PLC0415  (openpyxl on demand)
            read_workbook,
        )

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
    for file in sorted(folder.iterdir()):
        if file.name.startswith(NOT_INPUT_PREFIXES):
            continue
        if file.suffix.lower() != CSV_SUFFIX:
            _note_other_file(raw, file)
            continue
        name = table_name(file.stem)
        if name is None:
            raw.unknown[file.stem] = str(file)
            raw.misnamed.append(_unknown_file(file))
            continue
        if name in raw:
            problems.append(Problem(f"two files name table '{name}'", str(file), name))
            continue
        try:
            raw[name] = _guard_os(_read_csv, file)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(raw.misnamed + problems)
    return raw


def _note_other_file(raw: RawCase, file: Path) -> None:
    """Remember a non-CSV file whose name starts with a table name (demand.txt,
    demand.csv.bak), for the 'missing table' message."""
    stem = normal_name(file.name.split(".")[0])
    if stem in TABLE_BY_NAME:
        raw.ignored[file.name] = str(file)


def _unknown_file(file: Path) -> Problem:
    hint = did_you_mean(file.stem, TABLE_BY_NAME, normal_name)
    return Problem(f"the file names no table{hint} (the tables are: "
                   f"{', '.join(TABLE_BY_NAME)}); rename it, or move it out of the "
                   "case folder (every .csv file of a case must be a table)",
                   str(file))


def _read_csv(file: Path) -> RawTable:
    name = table_name(file.stem) or file.stem
    data = read_bounded(file, MAX_CSV_BYTES, name)
    if not data.strip():
        raise InputError(Problem("empty file (no header row)", str(file), name))
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
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(_parse_problem(exc, text, start, file, name)) from None
    finally:
        csv.field_size_limit(previous)
    return records


def _parse_problem(exc: csv.Error, text: str, start: int, file: Path, name: str
                   ) -> Problem:
    if "field limit" not in str(exc):
        return Problem(f"line {start}: {exc} (unbalanced quote?)", str(file), name)
    header = next(csv.reader([text[:text.find("\n")]]), [])
    return Problem(f"a cell holds more than {MAX_CELL_CHARS:,} characters, the "
                   "most a cell may hold (text cells hold at most "
                   f"{MAX_TEXT:,})", str(file), name, start,
                   _long_field(text, start, header))


def _long_field(text: str, start: int, header: list[str]) -> str:
    """The header of the first over-long field of the record at line ``start``."""
    offset = 0
    for _ in range(start - 1):
        offset = text.index("\n", offset) + 1
    position, inside, width = 0, False, 0
    for index in range(offset, len(text)):
        char = text[index]
        if char == '"':
            inside = not inside
        elif char == "," and not inside:
            position, width = position + 1, 0
            continue
        width += 1
        if width > MAX_CELL_CHARS:
            break
    if position < len(header) and header[position].strip():
        return header[position].strip()
    return f"{position + 1} (no header)"


def _check_separator(header: list[str], file: Path, name: str) -> None:
    for sep, label in FOREIGN_SEPARATORS.items():
        if any(sep in h for h in header):
            raise InputError(Problem(
                f"the header looks {label}-separated; save the file with ',' as the "
                "separator and '.' as the decimal mark (CSV UTF-8)", str(file), name,
                1))
