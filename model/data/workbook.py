"""Read an .xlsx case safely: one sheet per table, values only, nothing evaluated.

The container is checked first (``container.py``); openpyxl then reads it in
read-only, values-only mode with external links and macros dropped, and XML parsed
through defusedxml. Cells that cannot be trusted are reported with their sheet, row
and column: Excel error values (``#DIV/0!``), formulas saved without a cached value,
and merged ranges inside a table, numeric cells holding ``NaN`` or ``INF``. Hidden
sheets are never used as input. A visible sheet that names no table is an error
when it looks like a table (its name is close to a table name, or its first row
holds two or more columns of one table: ``Expansions``); any other (free notes) is
ignored with a warning naming it.
"""

from __future__ import annotations

import difflib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

from model.data.container import precheck_workbook, require_safe_xml
from model.data.raw import CellValue, RawCase, RawTable, normal_name, shown, table_name
from model.data.schema import TABLE_BY_NAME, TABLES
from model.errors import InputError, Problem

log = logging.getLogger(__name__)
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REPORT_SHEETS = ("Summary", "Run info")  # report.xlsx always has both (docs/report.md)
SHEET_NAME_CUTOFF = 0.8  # difflib ratio: Expansions ~ expansion, notes !~ routes


def read_workbook(path: Path) -> RawCase:
    """Every visible sheet named after a table, as raw rows."""
    require_safe_xml()
    precheck_workbook(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True,
                                    keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many types on a hostile file
        raise InputError(explain_failure(exc, path, "")) from None
    try:
        return _read_sheets(wb, path)
    except InputError:
        raise
    except Exception as exc:  # a part that breaks while reading
        raise InputError(explain_failure(exc, path, "")) from None
    finally:
        wb.close()


def explain_failure(exc: BaseException, path: Path, part: str) -> Problem:
    """One clear problem for whatever the XML/zip layers raised."""
    where = f" in part '{part}'" if part else ""
    chain = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(e, DefusedXmlException) for e in chain):
        text = f"XML entity declarations are not allowed{where} (unsafe workbook)"
    elif any(isinstance(e, zipfile.BadZipFile) for e in chain):
        text = f"corrupt or truncated workbook{where} ({exc})"
    else:
        text = f"cannot read the workbook{where}: {type(exc).__name__}: {exc}"
    return Problem(text, file=str(path))


def _read_sheets(wb: openpyxl.Workbook, path: Path) -> RawCase:
    _refuse_report(wb.sheetnames, path)
    _warn_macros(path)
    raw = RawCase()
    problems: list[Problem] = []
    for ws in wb.worksheets:
        name = table_name(ws.title)
        if name is None:
            raw.unknown[ws.title] = str(path)
            if ws.sheet_state == "visible":
                raw.misnamed += _unknown_sheet(ws, path)
            continue
        if ws.sheet_state != "visible":
            problems.append(Problem(f"sheet '{ws.title}' is {ws.sheet_state}; hidden "
                                    "sheets are never read: unhide it or delete it",
                                    str(path), name))
        elif name in raw:
            problems.append(Problem(f"two sheets are named '{name}' (after trimming "
                                    "spaces and case)", str(path), name))
        else:
            part = getattr(ws, "_worksheet_path", "")
            try:
                raw[name], found = _read_sheet(ws, path, name, part)
            except InputError:
                raise
            except Exception as exc:  # a broken sheet part
                raise InputError(explain_failure(exc, path, part)) from None
            problems += found
    if problems:
        raise InputError(raw.misnamed + problems)
    return raw


def _refuse_report(titles: list[str], path: Path) -> None:
    """A Reroute report (its Summary and Run info sheets) is no case: its Capacity,
    Demand, ... sheets are results, never input tables."""
    if set(REPORT_SHEETS) <= set(titles):
        raise InputError(Problem(
            "this is a Reroute report (it has the sheets "
            f"{' and '.join(REPORT_SHEETS)}), not a case: its sheets are results, "
            "not input tables. Solve the case it came from (run.json names it), or "
            "write an editable copy with 'reroute init DIR --xlsx' or 'reroute "
            "export CASE OUT.xlsx'", str(path)))


def _unknown_sheet(ws: object, path: Path) -> list[Problem]:
    """An error for a visible sheet that looks like a misnamed table, else a
    warning (notes)."""
    title = ws.title  # type: ignore[attr-defined]
    close = difflib.get_close_matches(normal_name(title), list(TABLE_BY_NAME), n=1,
                                      cutoff=SHEET_NAME_CUTOFF)
    guess = close[0] if close else _table_of_header(_first_row(ws))
    if not guess:
        log.warning("%s: sheet '%s' names no table and is not read (free notes?)",
                    path, title)
        return []
    return [Problem(f"sheet '{title}' names no table, so it would be ignored; did "
                    f"you mean '{guess}'? Rename it, or hide or delete it (hidden "
                    "sheets are never read)", str(path))]


def _first_row(ws: object) -> list[str]:
    return [normal_name(h) for h in _header_text(ws)]


def _header_text(ws: object) -> list[str]:
    """The cells of row 1 as text ([] when row 1 itself cannot be read)."""
    try:
        ws.reset_dimensions()  # type: ignore[attr-defined]
        rows = ws.iter_rows(max_row=1, values_only=True)  # type: ignore[attr-defined]
        row = next(rows, ())
    except Exception:  # noqa: BLE001  # a broken row 1: name columns by letter
        return []
    return [_cell_text(v) for v in row]


def _table_of_header(header: list[str]) -> str:
    """The table with at least two of its columns in ``header``, or ''."""
    best = max(TABLES, key=lambda t: len(set(t.column_names) & set(header)))
    return best.name if len(set(best.column_names) & set(header)) >= 2 else ""


def _warn_macros(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        if any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
            log.warning("%s: the workbook contains macros; they are ignored (never "
                        "run)", path)


def _read_sheet(ws: object, path: Path, name: str, part: str
                ) -> tuple[RawTable, list[Problem]]:
    try:
        return _read_rows(ws, path, name, part)
    except ValueError:  # openpyxl casts a numeric cell holding NaN or INF with int()
        bad = _bad_numbers(path, part, name, _header_text(ws))
        if not bad:
            raise
        raise InputError(bad) from None


def _read_rows(ws: object, path: Path, name: str, part: str
               ) -> tuple[RawTable, list[Problem]]:
    ws.reset_dimensions()  # type: ignore[attr-defined]  # stored dimensions may lie
    rows_iter: Iterator = ws.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header = [_cell_text(v) for v in next(rows_iter, ())]
    while header and header[-1] == "":
        header.pop()
    scan = _scan_part(path, part, name, header)
    table = RawTable(name, str(path), header, [], [])
    for row_no, cells in enumerate(rows_iter, start=2):
        values: list[CellValue] = [
            None if (row_no, col) in scan.errors else v
            for col, v in enumerate(cells, start=1)]
        while values and _blank(values[-1]):
            values.pop()  # cells past the header are kept when they hold a value
        if not values:
            continue
        table.rows.append(values)
        table.row_numbers.append(row_no)
    return table, scan.problems


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _bad_numbers(path: Path, part: str, name: str, header: list[str]
                 ) -> list[Problem]:
    """Numeric cells whose stored value is no finite number (NaN, INF, ...)."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    problems = []
    for _event, elem in SafeET.iterparse(io.BytesIO(data)):
        if elem.tag != f"{NS}row":
            continue
        for cell in elem.findall(f"{NS}c"):
            value = cell.find(f"{NS}v")
            text = value.text if value is not None else None
            if cell.get("t", "n") == "n" and text and not NUMBER.match(text.strip()):
                problems.append(_cell_problem(
                    path, name, header, cell.get("r", ""),
                    f"{shown(text)} is not a finite number (a numeric cell holding "
                    "NaN or INF; leave the cell blank where a column allows 'no "
                    "limit')"))
        elem.clear()
    return problems



def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass
class Scan:
    """What the sheet's XML says beyond values: error cells (row, column) and the
    problems found (error values, formulas without cache, merged ranges)."""

    errors: set[tuple[int, int]] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


# Byte patterns without which a sheet holds no formula, error cell or merged range.
MARKERS = (b"<f", b":f>", b":f ", b"mergeCell", b't="e"', b"t='e'")


def _scan_part(path: Path, part: str, name: str, header: list[str]) -> Scan:
    """Error cells, formulas without a cached value and merged ranges."""
    scan = Scan()
    if not part:
        return scan
    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    if not any(marker in data for marker in MARKERS):
        return scan
    formulas = 0
    for _event, elem in SafeET.iterparse(io.BytesIO(data)):
        if elem.tag == f"{NS}c":
            formulas += _scan_cell(elem, scan, path, name, header)
            elem.clear()
        elif elem.tag == f"{NS}mergeCell":
            scan.problems.append(_merge_problem(path, name, elem.get("ref", "")))
    if formulas:
        log.info("%s [%s]: %d cells hold formulas; their cached values are used",
                 path, name, formulas)
    return scan


def _scan_cell(elem: object, scan: Scan, path: Path, name: str, header: list[str]
               ) -> int:
    """Record an error value or a formula without cache; 1 if a formula."""
    ref = elem.get("r", "")  # type: ignore[attr-defined]
    if elem.get("t") == "e":  # type: ignore[attr-defined]
        value = elem.find(f"{NS}v")  # type: ignore[attr-defined]
        problem = _cell_problem(path, name, header, ref, "Excel error value "
                                f"'{value.text if value is not None else ''}'")
        scan.problems.append(problem)
        scan.errors.add((problem.row or 0, _column_index(ref)))
    if elem.find(f"{NS}f") is None:  # type: ignore[attr-defined]
        return 0
    if _no_cache(elem) and elem.get("t") != "e":  # type: ignore[attr-defined]
        scan.problems.append(_cell_problem(
            path, name, header, ref, "formula without a cached value; open and save "
            "the file in Excel, or paste values"))
    return 1


def _column_index(ref: str) -> int:
    try:
        letters, _row = coordinate_from_string(ref)
        return openpyxl.utils.column_index_from_string(letters)
    except ValueError:
        return 0


def _no_cache(elem: object) -> bool:
    value = elem.find(f"{NS}v")  # type: ignore[attr-defined]
    return value is None or value.text is None or value.text == ""


def _cell_problem(path: Path, name: str, header: list[str], ref: str, text: str
                  ) -> Problem:
    try:
        letters, row = coordinate_from_string(ref)
        col = openpyxl.utils.column_index_from_string(letters)
    except ValueError:
        return Problem(f"{text} (cell {ref})", str(path), name)
    column = header[col - 1] if 0 < col <= len(header) and header[col - 1] else letters
    return Problem(text, str(path), name, row, column)


def _merge_problem(path: Path, name: str, ref: str) -> Problem:
    try:
        _c0, r0, _c1, _r1 = range_boundaries(ref)
    except (ValueError, TypeError):
        r0 = None
    return Problem(f"merged range {ref} inside the table; unmerge it and fill every "
                   "cell", str(path), name, r0)
