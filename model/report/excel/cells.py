"""Cells, styles and sheets of the report's workbooks.

Every sheet is written row by row through ``Rows`` (or ``Sheet.append``); the
writer behind them is ``model.report.excel.writer`` (XlsxWriter). Text that could
come from inputs is written by ``text_cell``: a string cell, with ``quotePrefix``
when a spreadsheet would otherwise read it as a formula. Numbers are styled only
where a sheet is small enough (``STYLE_LIMIT`` cells); larger tables are written as
plain values.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.report.excel.writer import (
    ILLEGAL_CHARACTERS_RE,
    Alignment,
    Book,
    Cell,
    Font,
    PatternFill,
    Sheet,
)
from model.report.safe_text import is_dangerous

EXCEL_MAX_ROWS = 1_048_576
STYLE_LIMIT = 200_000  # cells: above this, numbers are written without a format

# Number formats: values stay in base units (t, USD) so they equal the CSVs; the
# trailing commas of a format divide the display by 1,000 each.
FMT_T = "#,##0"
FMT_KT = "#,##0.0,"
FMT_USD_M = "#,##0.0,,"
FMT_PCT = "0.0"
FMT_YEAR = "0"
FMT_PRICE = "#,##0"

FONT = "Calibri"
BOLD = Font(name=FONT, bold=True)
TITLE = Font(name=FONT, bold=True, size=16)
HEADING = Font(name=FONT, bold=True, size=12, color="1F3864")
WARNING = Font(name=FONT, bold=True, size=12, color="9C0006")
WARNING_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="bottom")

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def storable(text: str) -> str:
    """``text`` with the control characters xlsx cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def text_cell(ws: Sheet | None, text: str, font: Font | None = None,
              fill: PatternFill | None = None, align: Alignment | None = None
              ) -> Cell:
    """A string cell that Excel will never evaluate (``ws`` is not needed)."""
    return Cell(storable(text), "s", None, font, fill, align, is_dangerous(text))


def number_cell(ws: Sheet | None, value: object, fmt: str,
                font: Font | None = None) -> object:
    """A number with a display format (blank for missing or non-finite)."""
    value = plain(value)
    if value is None or isinstance(value, str):
        return value if value is None else text_cell(ws, value)
    return Cell(value, "n", fmt, font)


def plain(value: object) -> object:
    """A Python scalar the writer can write; None for missing and non-finite."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def safe_value(ws: Sheet | None, value: object) -> object:
    """An unstyled cell value; dangerous text is wrapped in an inert cell."""
    value = plain(value)
    if isinstance(value, str):
        if is_dangerous(value):
            return text_cell(ws, value)
        return storable(value)
    return value


def safe_column(values: pd.Series) -> list[object]:
    """``safe_value`` of each of ``values``, a column at a time: a float, integer
    or boolean column as Python scalars at once (missing and non-finite: None),
    a text column one ``safe_value`` per distinct text (``pd.factorize``), any
    other column one ``safe_value`` per distinct value and type."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        array = values.to_numpy()
        out = array.tolist()
        if dtype.kind == "f":
            for i in np.flatnonzero(~np.isfinite(array)).tolist():
                out[i] = None
        return out
    if isinstance(dtype, pd.StringDtype):  # only text and missing (code -1)
        codes, texts = pd.factorize(values)
        distinct = [safe_value(None, t) for t in texts.tolist()] + [None]
        return [distinct[c] for c in codes.tolist()]
    seen: dict[tuple[type, object], object] = {}
    out = []
    for value in values.tolist():
        try:
            key = (value.__class__, value)
            found = seen[key] if key in seen else seen.setdefault(
                key, safe_value(None, value))
        except TypeError:  # unhashable: no reuse
            found = safe_value(None, value)
        out.append(found)
    return out


def header_cells(ws: Sheet | None, names: Iterable[str]) -> list[Cell]:
    return [text_cell(ws, str(n), BOLD, HEADER_FILL, HEADER_ALIGN) for n in names]


@dataclass
class Sheets:
    """Creates sheets with unique titles of at most 31 characters."""

    wb: Book
    used: set[str] = field(default_factory=set)

    def new(self, wanted: str, widths: Sequence[float] = (),
            freeze: str | None = None, fit: bool = False) -> Sheet:
        """A new sheet with column widths and frozen panes; ``fit`` prints it
        landscape, one page wide."""
        ws = self.wb.add_sheet(self.title(wanted))
        ws.widths(widths)
        if freeze:
            ws.freeze(freeze)
        if fit:
            ws.landscape_fit_width()
        return ws

    def title(self, wanted: str) -> str:
        base = _BAD_TITLE.sub("_", wanted).strip("'")[:31] or "Sheet"
        title, n = base, 1
        while title.lower() in self.used:
            n += 1
            suffix = f" ({n})"
            title = base[:31 - len(suffix)] + suffix
        self.used.add(title.lower())
        return title


def frame_widths(frame: pd.DataFrame, minimum: float = 8, maximum: float = 40
                 ) -> list[float]:
    """Column widths from the header and the first rows' text length."""
    head = frame.head(200)
    widths = []
    for column in frame.columns:
        longest = max([len(str(column))] + [len(str(v)) for v in head[column]])
        widths.append(float(min(maximum, max(minimum, longest + 2))))
    return widths


class Rows:
    """Appends rows to a sheet and knows the current row number."""

    def __init__(self, ws: Sheet) -> None:
        self.ws = ws
        self.row = 0

    def append(self, values: Sequence[object] = ()) -> int:
        """Append one row; returns its 1-based row number."""
        self.ws.append(list(values))
        self.row += 1
        return self.row

    def text(self, text: str, font: Font | None = None,
             fill: PatternFill | None = None) -> int:
        return self.append([text_cell(self.ws, text, font, fill)])

    def paragraph(self, text: str, width: int = 110) -> int:
        """``text`` wrapped over several rows of at most ``width`` characters."""
        for line in textwrap.wrap(text, width):
            self.text(line)
        return self.row

    def header(self, names: Iterable[str]) -> int:
        return self.append(header_cells(self.ws, names))

    def block(self, title: str, frame: pd.DataFrame, formats: dict[str, str]
              ) -> tuple[int, int]:
        """A titled small table; returns (header row, last row). Numbers formatted
        per column (``formats``, default integer t), text made inert."""
        self.text(title, HEADING)
        first = self.header(frame.columns)
        styled = frame.size <= STYLE_LIMIT
        fmts = [formats.get(str(c), FMT_T) if styled else None
                for c in frame.columns]
        for values in frame.itertuples(index=False, name=None):
            self.append([_block_cell(v, fmt)
                         for v, fmt in zip(values, fmts, strict=True)])
        return first, self.row


def _block_cell(value: object, fmt: str | None) -> object:
    """A value of ``Rows.block``: a number in ``fmt`` (unstyled when None), any
    other value as ``safe_value`` writes it."""
    value = plain(value)
    if fmt is not None and isinstance(value, int | float) and not isinstance(
            value, bool):
        return Cell(value, "n", fmt)
    return safe_value(None, value)
