"""Cases built in code for the reliability tests: a valid tiny case, written as a
folder of CSV files or as an .xlsx workbook, and tools to tamper with either."""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from tests.helpers import write_case

Tables = dict[str, list[dict[str, object]]]


def base_tables() -> Tables:
    """A valid case: Namibia ('NA') and the US mine; the US and Japan buy.

    Hand solution (discount rate 0, years 2025-2026; demand given for 2025 holds in
    2026): demand is US 30 + JP 50 = 80 t/yr; the mines give US 50 + NA 20 = 70
    t/yr, all used since the 1000 USD/t penalty beats every cost. Per year: mining
    50*10 + 20*12 = 740, NA->US 20*5 = 100, US->JP 40*5 = 200, so 1040 USD and
    10 t short; over the horizon total_cost_usd = 2080, demand 160 t, shortfall
    20 t.
    """
    return copy.deepcopy({
        "settings": [{"key": "base_year", "value": 2025},
                     {"key": "end_year", "value": 2026},
                     {"key": "discount_rate", "value": 0}],
        "scenarios": [{"scenario": "baseline", "description": "today",
                       "is_baseline": "true"}],
        "regions": [{"region": "US", "name": "United States", "bloc": "alliance"},
                    {"region": "JP", "name": "Japan", "bloc": "alliance"},
                    {"region": "NA", "name": "Namibia", "bloc": "partner"}],
        "commodities": [{"commodity": "ox", "kind": "oxide",
                         "reference_price_usd_per_t": 0,
                         "shortfall_penalty_usd_per_t": 1000}],
        "processes": [{"process": "mine", "stage": "mining", "lead_time_years": 0,
                       "lifetime_years": 30, "variable_cost_usd_per_t": 10},
                      {"process": "pit", "stage": "mining", "lead_time_years": 0,
                       "lifetime_years": 30, "variable_cost_usd_per_t": 12}],
        "process_io": [{"process": "mine", "commodity": "ox", "direction": "out",
                        "coefficient": 1},
                       {"process": "pit", "commodity": "ox", "direction": "out",
                        "coefficient": 1}],
        "capacity": [{"region": "US", "process": "mine", "capacity_tpa": 50},
                     {"region": "NA", "process": "pit", "capacity_tpa": 20}],
        "routes": [{"origin": "NA", "destination": "US", "cost_usd_per_t": 5},
                   {"origin": "US", "destination": "JP", "cost_usd_per_t": 5}],
        "demand": [{"region": "US", "commodity": "ox", "year": 2025, "demand_t": 30},
                   {"region": "JP", "commodity": "ox", "year": 2025, "demand_t": 50}],
    })


def csv_case(folder: Path, edit: Callable[[Tables], None] | None = None) -> Path:
    """The base case (after ``edit``) as a folder of CSV files."""
    tables = base_tables()
    if edit:
        edit(tables)
    return write_case(folder, tables)


def workbook(tables: Tables) -> openpyxl.Workbook:
    """The tables as a workbook, one sheet per table, header in row 1."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) for c in columns])
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even when it starts with '='
    return wb


def xlsx_case(path: Path, edit: Callable[[Tables], None] | None = None,
              book: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """The base case as an .xlsx; ``edit`` changes the tables, ``book`` the
    workbook object before it is saved."""
    tables = base_tables()
    if edit:
        edit(tables)
    wb = workbook(tables)
    if book:
        book(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def rezip(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None],
          extra: dict[str, bytes] | None = None, level: int = 6) -> Path:
    """Copy the zip ``src`` to ``dst``, each member through ``change`` (None drops
    it), plus ``extra`` members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(
            dst, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def sheet_part(path: Path, title: str) -> str:
    """The zip member holding sheet ``title``."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return wb[title]._worksheet_path  # noqa: SLF001
    finally:
        wb.close()


def patch_declared_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the uncompressed size that the central directory declares for
    ``member`` (the data is untouched)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    name = member.encode()
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, size)
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert info is not None
    path.write_bytes(bytes(data))
    return path


def _ref(level: int) -> str:
    return f"&lol{level};" if level else "&lol;"


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{_ref(i - 1) * 10}">' for i in range(1, 10))
    + "]>\n"
)
