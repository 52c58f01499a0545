"""Mutation fuzzing of a valid workbook (RELIABILITY.md A6.5).

Each example takes the valid base workbook and applies one mutation: drop,
duplicate or rename a zip member; truncate, flip bytes in, or prepend a DTD to a
member; corrupt the raw file; change a cell's value or type (formulas, error
values, booleans, dates, huge numbers, formula-injection text); swap two header
names; or replace the whole file with random bytes. The only allowed outcomes of
``load_case`` are a loaded case or an ``InputError`` whose problems all name the
file, within a bounded time: 5 CPU seconds of this process per load (CPU, not
wall seconds, so that other jobs on the machine do not fail it; a decompression
bomb or an entity expansion is caught as it spends CPU).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from functools import cache

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.data.case import load_case
from model.errors import InputError
from tests.reliability.builders import BILLION_LAUGHS, base_tables, workbook

MAX_CPU_SECONDS = 5.0
CELL_VALUES = st.one_of(
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "#N/A", "#DIV/0!", "", " ", "NA", "None",
                     '=HYPERLINK("http://127.0.0.1","x")', "1,000", "inf", "1e400",
                     "\x01", "СN", "true", "0805"]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
    st.booleans(), st.none(), st.datetimes(min_value=dt.datetime(1900, 3, 1),
                                           max_value=dt.datetime(2200, 1, 1)),
    st.text(max_size=20))


@cache
def valid_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook(base_tables()).save(buffer)
    return buffer.getvalue()


def _members() -> list[str]:
    with zipfile.ZipFile(io.BytesIO(valid_bytes())) as z:
        return z.namelist()


def _rezip(change) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid_bytes())) as zin, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            for name, data in change(info.filename, zin.read(info.filename)):
                zout.writestr(name, data)
    return out.getvalue()


@st.composite
def member_mutation(draw: st.DrawFn) -> bytes:
    target = draw(st.sampled_from(_members()))
    kind = draw(st.sampled_from(["drop", "duplicate", "rename", "truncate", "flip",
                                 "doctype"]))
    cut = draw(st.floats(0, 1))
    flips = draw(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                          min_size=1, max_size=8))

    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != target:
            return [(name, data)]
        if kind == "drop":
            return []
        if kind == "duplicate":
            return [(name, data), (name + ".copy", data)]
        if kind == "rename":
            return [(name.upper() + "x", data)]
        if kind == "truncate":
            return [(name, data[: int(len(data) * cut)])]
        if kind == "flip":
            buf = bytearray(data)
            for where, byte in flips:
                if buf:
                    buf[min(int(where * len(buf)), len(buf) - 1)] = byte
            return [(name, bytes(buf))]
        return [(name, BILLION_LAUGHS.encode() + data)]
    return _rezip(change)


@st.composite
def raw_mutation(draw: st.DrawFn) -> bytes:
    data = bytearray(valid_bytes())
    for where, byte in draw(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                     min_size=1, max_size=16)):
        data[min(int(where * len(data)), len(data) - 1)] = byte
    if draw(st.booleans()):
        data = data[: int(len(data) * draw(st.floats(0, 1)))]
    return bytes(data)


@st.composite
def cell_mutation(draw: st.DrawFn) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(valid_bytes()))
    for _ in range(draw(st.integers(1, 4))):
        ws = wb[draw(st.sampled_from(wb.sheetnames))]
        row = draw(st.integers(1, ws.max_row + 1))
        col = draw(st.integers(1, ws.max_column + 1))
        if draw(st.integers(0, 5)) == 0 and ws.max_column >= 2:
            a, b = ws.cell(1, 1).value, ws.cell(1, 2).value
            ws.cell(1, 1, b)
            ws.cell(1, 2, a)
        else:
            value = draw(CELL_VALUES)
            if isinstance(value, str):
                value = openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)
            ws.cell(row, col, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


MUTATIONS = st.one_of(member_mutation(), raw_mutation(), cell_mutation(),
                      st.binary(max_size=2048))


@settings(max_examples=200)
@given(data=MUTATIONS)
def test_mutated_workbook_loads_or_fails_cleanly(
        tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "case.xlsx"
    path.write_bytes(data)
    start = time.process_time()
    try:
        load_case(path)
    except InputError as exc:
        assert exc.problems and all(p.file for p in exc.problems), exc.render()
        assert str(exc).startswith("error: ")
    assert time.process_time() - start < MAX_CPU_SECONDS
    assert path.read_bytes() == data  # the input is never modified
