"""Tables written a column at a time give the cells that row-by-row writing gave.

``write_plain`` and ``write_human`` hand whole columns to the writer
(``cells.safe_column``, ``Sheet.append_columns``, with a number format per column
on the human sheets). The
reference is the row-by-row path they replaced: each row's values through
``safe_value`` (or ``number_cell``) and ``Sheet.append``. Both books are read back
with openpyxl and compared cell by cell (value, type, number format, font and
quote prefix) on a frame holding every kind of value a table can: floats with
NaN and ±inf (blank cells), integers, booleans, missing values, text a
spreadsheet would evaluate ('=', '+', '-', '@'), control characters (replaced by
U+FFFD), empty text (blank) and repeated text.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from model.report.excel.cells import (
    FMT_T,
    number_cell,
    safe_column,
    safe_value,
)
from model.report.excel.writer import Book

FRAME = pd.DataFrame({
    "text": ["a", "=1+1", "a", "", "+x", "b\x01c", "@SUM", " -3", "a"],
    "object": ["x", 1, 2.5, None, True, math.nan, "=A1", "y", np.int64(7)],
    "float": [1.5, math.nan, math.inf, -math.inf, 0.0, -2.25, 1e20, 3.0, 1 / 3],
    "int": np.arange(9, dtype=np.int64) - 4,
    "bool": [True, False] * 4 + [True],
    "nullable": pd.array([1, None, 3, 4, None, 6, 7, 8, 9], dtype="Int64"),
    "string": pd.array(["p", None, "=q", "p", "", "r", "s", "t", "u"],
                       dtype="string"),
})


def cells(path: Path) -> dict[tuple[int, int], tuple[object, ...]]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {(c.row, c.column): (c.value, c.data_type, c.number_format, c.font.b,
                                c.quotePrefix)
            for row in ws.iter_rows() for c in row if c.value is not None}


def write(path: Path, rows: list[list[object]] | None,
          columns: list[list[object]] | None,
          formats: list[str | None] | None = None) -> dict:
    book = Book(path)
    ws = book.add_sheet("t")
    ws.append(["header"])
    if rows is not None:
        for values in rows:
            ws.append(values)
    else:
        ws.append_columns(columns, len(FRAME), formats)
    ws.append(["after"])
    book.close()
    return cells(path)


def test_plain_columns_equal_plain_rows(tmp_path: Path) -> None:
    rows = [[safe_value(None, v) for v in values]
            for values in FRAME.itertuples(index=False, name=None)]
    columns = [safe_column(FRAME[c]) for c in FRAME.columns]
    by_rows = write(tmp_path / "rows.xlsx", rows, None)
    by_columns = write(tmp_path / "columns.xlsx", None, columns)
    assert by_columns == by_rows
    # hand check of a few cells: '=1+1' stays text with a quote prefix, inf is
    # blank, control character replaced, the row after the block is row 11
    assert by_rows[(3, 1)] == ("=1+1", "s", "General", False, True)
    assert (4, 3) not in by_rows and (3, 3) not in by_rows
    assert by_rows[(7, 1)][0] == "b\ufffdc"
    assert by_rows[(11, 1)][0] == "after"


def test_number_columns_equal_number_cells(tmp_path: Path) -> None:
    rows = [[number_cell(None, v, FMT_T) for v in values]
            for values in FRAME.itertuples(index=False, name=None)]
    columns = [safe_column(FRAME[c]) for c in FRAME.columns]
    by_rows = write(tmp_path / "rows.xlsx", rows, None)
    by_columns = write(tmp_path / "columns.xlsx", None, columns,
                       [FMT_T] * len(FRAME.columns))
    assert by_columns == by_rows
    # 1.5 carries the table's format; a text value keeps no number format
    assert by_rows[(2, 3)] == (1.5, "n", FMT_T, False, False)
    assert by_rows[(2, 1)] == ("a", "s", "General", False, False)
