"""Tables held as data frames turned back into raw tables (``RawCase``).

A ``Case`` edited in memory, or a case about to be written as CSV or as a workbook,
goes through the same reading rules as a file: every cell becomes the value a file
would hold (blank for a missing value, a number for a number, text for text), with
its row number, so ``coerce`` and ``validate`` type and check it as on load.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.data.coerce import ROW
from model.data.raw import CellValue, RawCase, RawTable


def raw_from_frames(tables: dict[str, pd.DataFrame], path: str) -> RawCase:
    """Every non-empty table (or one read from a file) as a raw table."""
    raw = RawCase()
    for name, frame in tables.items():
        file = str(frame.attrs.get("file", "")) or path
        if frame.empty and not frame.attrs.get("file"):
            continue  # an optional table the case does not have
        header = [str(c) for c in frame.columns if c != ROW]
        rows = [[cell_value(v) for v in row] for row in
                frame[header].itertuples(index=False, name=None)]
        raw[name] = RawTable(name, file, header, rows, row_numbers(frame))
    return raw


def row_numbers(frame: pd.DataFrame) -> list[int]:
    """The file row of each row; rows added in memory (no row number) are numbered
    after the last row read."""
    given = (pd.to_numeric(frame[ROW], errors="coerce") if ROW in frame.columns
             else pd.Series([math.nan] * len(frame)))
    last = int(given.max()) if given.notna().any() else 1
    out, extra = [], 0
    for value in given:
        if pd.isna(value):
            extra += 1
            out.append(last + extra)
        else:
            out.append(int(value))
    return out


def cell_value(value: object) -> CellValue:
    """A frame cell as a file cell: None for a missing value, plain Python types."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    return str(value)
