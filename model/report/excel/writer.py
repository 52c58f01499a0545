"""The one module that talks to the xlsx writer (XlsxWriter) and knows the file
format; openpyxl only reads.

Sheet code never sees the writer: it makes ``Cell`` values (text, number, blank)
with a ``Font``, ``PatternFill`` and ``Alignment``, appends rows to a ``Sheet`` (or
puts a value at a cell), and places ``Chart`` objects whose series point at cell
ranges. ``Book.close`` turns the charts into the writer's and saves the file; each
distinct style becomes one writer format, made once. XlsxWriter holds the cells in
memory and writes each sheet's XML once at the end: measured faster than openpyxl's
write-only mode (bench/report_default.py).

Tables (``Sheet.append_columns``) bypass XlsxWriter's cells, whose cost is per cell
(a call to store each one, another to write it): their ``<row>`` elements are made
here, a column at a time, with the cell XML XlsxWriter writes (``r`` reference,
``s`` style index, ``t`` type, ``%.16G`` numbers, text through XlsxWriter's
shared-string table, which escapes it). What depends on the order of writing (each
style's index, each text's shared string) is settled when a block is appended; a
block of only-number and only-text columns, one of them without a blank, is kept
as ``RowCells`` and its XML made when the book is closed, by a forked child while
XlsxWriter makes the parts (``model/outputs/aside.py::computed_beside``); any
other block is made when appended. XlsxWriter then makes
the package's parts in memory with those rows left out, and ``close`` zips each part
once into the file, each sheet's table rows spliced into its ``<sheetData>`` in row
order; a row is either in a table block or XlsxWriter's, never both. Charts read
their cached values from XlsxWriter's cells, so a chart's data is never a table
block (the chart data sheets are written row by row).

XlsxWriter internals used, pinned by tests/report/test_bulk_rows.py unless named:
- the workbook's shared-string table (``str_table``) and a format's style index
  (``_get_xf_index``);
- a sheet's used range (``_check_dimensions``), its cells, row settings and
  comments (``table``, ``row_info``, ``comments``), its default row height
  (``default_row_height`` against ``original_row_height``) and its last table's
  ranges (``tables[-1]`` after ``add_table``);
- the packager: ``Workbook._get_packager`` (``PartsWorkbook``) returns
  ``KeptParts``, whose ``_create_package`` hands the parts, in memory
  (``in_memory``: StringIO, BytesIO for binary parts), as XlsxWriter's list of
  (file, name in the package, is binary), to its ``workbook``; XlsxWriter then
  zips the empty list it is given back;
- the sheet order (``worksheets_objs`` and each sheet's ``index``,
  ``Book.move_last``: pinned by tests/report/test_readback.py).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from itertools import chain, repeat
from operator import is_not
from pathlib import Path
from typing import Any, cast

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from model.outputs.aside import computed_beside

ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
CM_PER_PX = 2.54 / 96
PADDING_CHARS = 5 / 7  # XlsxWriter's 5 px of column padding, in 7 px characters
TEXT_MAX = 32_767  # UTF-16 units a cell's text holds (XlsxWriter cuts longer text)
BLOCK_ROWS = 20_000  # rows made into XML at a time (bounds the pieces in memory)
ZIP_LEVEL = 1  # deflate level of the package: measured 0.2 s against 0.57 s at
# zlib's default 6 on the default case's 27 MB of XML, a 4.6 MB file against 3.6


@dataclass(frozen=True)
class Font:
    name: str = "Calibri"
    bold: bool = False
    size: float = 11
    color: str | None = None


@dataclass(frozen=True)
class PatternFill:
    fill_type: str = "solid"
    fgColor: str = "FFFFFF"  # noqa: N815 - the name spreadsheets use


@dataclass(frozen=True)
class Alignment:
    horizontal: str | None = None
    vertical: str | None = None
    wrap_text: bool = False


@dataclass
class Cell:
    """One styled cell value (``data_type`` 's' text or 'n' number)."""

    value: object
    data_type: str = "n"
    number_format: str | None = None
    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    quotePrefix: bool = False  # noqa: N815 - the name spreadsheets use

    def style(self) -> tuple[object, ...]:
        return (self.number_format, self.font, self.fill, self.alignment,
                self.quotePrefix)


def column_px(width: float) -> int:
    """Pixels of a column of ``width`` (as given to ``Sheet.widths``), as the
    writer lays out charts over columns."""
    return int((width - PADDING_CHARS) * 7 + 0.5) + 5


def row_px(points: float) -> int:
    """Pixels of a row ``points`` high, as the writer lays out charts over rows."""
    return int(points * 4 / 3)


def column_letter(n: int) -> str:
    """The letters of 1-based column ``n`` (1 -> 'A', 27 -> 'AA')."""
    return xl_col_to_name(n - 1)


def _hex(colour: str) -> str:
    return "#" + colour[-6:]


def format_properties(style: tuple[object, ...]) -> dict[str, object]:
    """The writer's format properties of a cell style."""
    number_format, font, fill, align, quote = style
    props: dict[str, object] = {}
    if number_format:
        props["num_format"] = number_format
    if font is not None:
        props |= {"font_name": font.name, "bold": font.bold, "font_size": font.size}
        if font.color:
            props["font_color"] = _hex(font.color)
    if fill is not None:
        props |= {"pattern": 1, "bg_color": _hex(fill.fgColor)}
    if align is not None:
        if align.horizontal:
            props["align"] = align.horizontal
        if align.vertical:
            props["valign"] = {"center": "vcenter"}.get(align.vertical,
                                                        align.vertical)
        if align.wrap_text:
            props["text_wrap"] = True
    if quote:
        props["quote_prefix"] = True
    return props


@dataclass
class Ref:
    """A block of cells of one sheet, 0-based, inclusive."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def as_list(self) -> list[object]:
        return [self.sheet, self.first_row, self.first_col, self.last_row,
                self.last_col]


@dataclass
class Series:
    values: Ref
    name: Ref | None = None
    categories: Ref | None = None
    colour: str | None = None
    line_width_pt: float | None = None
    marker: str | None = None  # e.g. "circle": markers only, no line
    marker_size: int = 7


@dataclass
class Chart:
    """A native chart: ``kind`` column, bar (horizontal), line or scatter (the
    categories are numeric x values)."""

    kind: str = "column"
    stacked: bool = False
    title: str = ""
    x_title: str = ""
    y_title: str = ""
    x_format: str | None = None
    y_format: str | None = None
    y_min: float | None = None
    y_max: float | None = None
    tick_skip: int | None = None
    reverse_categories: bool = False
    labels_low: bool = False
    legend: str | None = "bottom"
    width_cm: float = 15.0
    height_cm: float = 7.5
    series: list[Series] = field(default_factory=list)

    def add_columns(self, sheet: str, header_row: int, last_row: int,
                    first_col: int, last_col: int, categories_col: int = 0) -> None:
        """A series per column first_col..last_col (0-based): its name in the header
        row, values below it to ``last_row``, categories in ``categories_col``."""
        for col in range(first_col, last_col + 1):
            self.series.append(Series(
                values=Ref(sheet, header_row + 1, col, last_row, col),
                name=Ref(sheet, header_row, col, header_row, col),
                categories=Ref(sheet, header_row + 1, categories_col, last_row,
                               categories_col)))

    def options(self) -> dict[str, object]:
        if self.kind == "scatter":  # numeric x: straight lines through markers
            return {"type": "scatter", "subtype": "straight_with_markers"}
        return {"type": self.kind, **({"subtype": "stacked"} if self.stacked else {})}


def chart_refs(chart: Chart) -> list[Ref]:
    """The cell ranges ``chart`` reads."""
    return [ref for s in chart.series for ref in (s.values, s.name, s.categories)
            if ref is not None]


def _series_options(chart: Chart, s: Series) -> dict[str, object]:
    opts: dict[str, object] = {"values": s.values.as_list()}
    if s.name is not None:
        opts["name"] = [s.name.sheet, s.name.first_row, s.name.first_col]
    if s.categories is not None:
        opts["categories"] = s.categories.as_list()
    if chart.kind == "line":
        opts["smooth"] = False
        line: dict[str, object] = {}
        if s.colour:
            line["color"] = _hex(s.colour)
        if s.line_width_pt:
            line["width"] = s.line_width_pt
        if s.marker:  # no line; the series' fill carries its colour too
            line = {"none": True}
            fill = {"color": _hex(s.colour)} if s.colour else {}
            opts["marker"] = {"type": s.marker, "size": s.marker_size,
                              "fill": fill, "border": fill}
            if fill:
                opts["fill"] = fill
        else:
            opts["marker"] = {"type": "none"}
        opts["line"] = line
    elif chart.kind == "scatter":
        opts["marker"] = {"type": "circle", "size": s.marker_size}
        if s.colour:
            opts["line"] = {"color": _hex(s.colour)}
    elif s.colour:
        opts["fill"] = {"color": _hex(s.colour)}
        opts["border"] = {"color": _hex(s.colour)}
    return opts


def _axis(title: str, number_format: str | None, **extra: object) -> dict[str, object]:
    opts: dict[str, object] = {"name": title} if title else {}
    if number_format:
        opts["num_format"] = number_format
    return opts | {k: v for k, v in extra.items() if v is not None}


def _to_writer(book: xlsxwriter.Workbook, chart: Chart) -> object:
    out = book.add_chart(chart.options())
    for s in chart.series:
        out.add_series(_series_options(chart, s))
    if chart.title:
        out.set_title({"name": chart.title, "name_font": {"size": 12, "bold": True}})
    else:
        out.set_title({"none": True})
    skip = chart.tick_skip
    out.set_x_axis(_axis(chart.x_title, chart.x_format, interval_unit=skip,
                         interval_tick=skip,
                         reverse=chart.reverse_categories or None,
                         label_position="low" if chart.labels_low else None))
    out.set_y_axis(_axis(chart.y_title, chart.y_format, min=chart.y_min,
                         max=chart.y_max))
    out.set_legend({"position": chart.legend} if chart.legend else {"none": True})
    out.set_size({"width": round(chart.width_cm / CM_PER_PX),
                  "height": round(chart.height_cm / CM_PER_PX)})
    return out


def fit_text(text: str) -> str:
    """``text`` cut to ``TEXT_MAX`` UTF-16 units without splitting a character,
    as XlsxWriter's ``write_string`` cuts it."""
    if len(text) <= TEXT_MAX // 2:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > TEXT_MAX:
            return text[:index]
    return text


def number_text(value: object) -> str:
    """A number as XlsxWriter writes it in ``<v>`` (non-finite refused, as
    XlsxWriter refuses it without ``nan_inf_to_errors``)."""
    if value.__class__ is Fraction:
        value = float(value)  # type: ignore[arg-type]
    finite([value])
    return f"{value:.16G}"


def number_texts(values: Sequence[object]) -> dict[object, str]:
    """Each distinct non-zero number of ``values`` (finite numbers and None) as
    ``<v>`` holds it, made once; zeros are left out (0.0 and -0.0, equal keys,
    are written "0" and "-0")."""
    return {v: f"{v:.16G}" for v in dict.fromkeys(values) if v}


def finite(values: Sequence[object]) -> None:
    """Refuse a NaN or infinite number among ``values`` (numbers and None) as
    XlsxWriter refuses it: their sum is finite when they all are, else each
    one is checked (a finite sum may overflow)."""
    numbers = list(filter(partial(is_not, None), values))
    if math.isfinite(sum(numbers)) or all(map(math.isfinite, numbers)):
        return
    raise TypeError("NAN/INF not supported in write_number() without "
                    "'nan_inf_to_errors' Workbook() option")


@dataclass(frozen=True)
class ColumnCells:
    """One column of a table block whose shared strings and style are settled:
    numbers with style attribute ``s``, or texts with the ``tails`` of
    ``CellXml.text_tails``; ``xml()`` makes its ``<c>`` elements ('' when blank)."""

    letter: str
    values: Sequence[object]
    first: int
    s: str = ""
    tails: dict[object, str] | None = None

    def xml(self) -> list[str]:
        letter, first = self.letter, self.first
        if self.tails is not None:
            tails = self.tails
            return ["" if v is None or v == "" else f'<c r="{letter}{r}"{tails[v]}'
                    for r, v in enumerate(self.values, first + 1)]
        s, texts = self.s, number_texts(self.values)
        return ["" if v is None else f'<c r="{letter}{r}"{s}><v>'
                f'{texts[v] if v else f"{v:.16G}"}</v></c>'
                for r, v in enumerate(self.values, first + 1)]


@dataclass(frozen=True)
class RowCells:
    """A table block every row of which is written (a column has no blank cell),
    everything that depends on the order of writing settled: ``xml()`` makes its
    ``<row>`` elements from its columns' cells, here or in another process."""

    columns: list[ColumnCells]
    first: int
    length: int
    attrs: str

    def xml(self) -> str:
        return dense_rows([column.xml() for column in self.columns], self.first,
                          self.length, self.attrs)


def dense_rows(cells: list[list[str]], first: int, length: int, attrs: str) -> str:
    """``<row>`` elements of 1-based rows ``first + 1`` on of columns' cells
    (a shorter column blank below its end), every row written."""
    cells = [c if len(c) == length else c + [""] * (length - len(c)) for c in cells]
    opens = [f'<row r="{row}"{attrs}>' for row in range(first + 1, first + 1 + length)]
    return "".join(chain.from_iterable(zip(opens, *cells, repeat("</row>", length))))


@dataclass
class Block:
    """``<row>`` elements of 0-based rows first..stop-1, in order: their XML
    (text, or UTF-8 once made in another process) or the cells to make it
    from when the book is closed."""

    first: int
    stop: int
    xml: str | bytes | RowCells


def _kind(values: Sequence[object]) -> str | None:
    """'f' for a column of only numbers (and blanks) with a float among them, 'n'
    of integers only, 's' of only text, else None."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {float, int}:
        return "f" if float in kinds else "n"
    return "s" if kinds == {str} else None


def _blanks(values: Sequence[object], kind: str | None) -> int:
    """How many of a column's cells are blank: None, and '' in a text column."""
    return values.count(None) + (values.count("") if kind == "s" else 0)


class CellXml:
    """The cell XML of one sheet's tables, as XlsxWriter writes each cell."""

    def __init__(self, book: Book, ws: object) -> None:
        self.book = book
        self.ws = ws
        self.strings = book.wb.str_table  # type: ignore[attr-defined]

    def row_attributes(self) -> str:
        """What XlsxWriter adds to a ``<row>`` of default height (a height when
        the sheet's default row height is not Excel's)."""
        height = self.ws.default_row_height  # type: ignore[attr-defined]
        if height == self.ws.original_row_height:  # type: ignore[attr-defined]
            return ""
        return f' ht="{height * 0.75:.16g}" customHeight="1"'

    def rows(self, columns: Sequence[Sequence[object]], first: int,
             formats: Sequence[str | None]
             ) -> tuple[str | RowCells, list[tuple[int, int]] | None]:
        """The ``<row>`` elements of ``columns`` from 0-based row ``first`` (the
        numbers of column j in number format ``formats[j]``), or the RowCells to
        make them from later (``later``), and the top-left and bottom-right used
        cells (None when all are blank)."""
        kinds = [_kind(values) for values in columns]
        later = self.later(columns, first, formats, kinds)
        if later is not None:
            return later
        cells = [self.column(column_letter(j + 1), values, first, fmt, kind)
                 for j, (values, fmt, kind) in enumerate(zip(columns, formats, kinds,
                                                             strict=True))]
        used_cols = [j for j, column in enumerate(cells) if any(column)]
        if not used_cols:
            return "", None
        length = max(map(len, columns))
        cells = [c if len(c) == length else c + [""] * (length - len(c))
                 for c in cells]
        attrs = self.row_attributes()
        if any(map(all, cells)):  # a column without a blank: every row is written
            return (dense_rows(cells, first, length, attrs),
                    [(first, used_cols[0]), (first + length - 1, used_cols[-1])])
        parts, used_rows = [], []
        for row, row_cells in enumerate(zip(*cells, strict=True), first + 1):
            body = "".join(row_cells)
            if body:
                parts.append(f'<row r="{row}"{attrs}>{body}</row>')
                used_rows.append(row - 1)
        return "".join(parts), [(used_rows[0], used_cols[0]),
                                (used_rows[-1], used_cols[-1])]

    def later(self, columns: Sequence[Sequence[object]], first: int,
              formats: Sequence[str | None], kinds: Sequence[str | None]
              ) -> tuple[RowCells, list[tuple[int, int]]] | None:
        """``rows`` of ``columns`` (of ``_kind`` ``kinds``) as RowCells, their
        styles and shared strings settled now in the order ``rows`` settles them,
        when each column holds only numbers or only text and one has no blank (the
        used cells are then known without the XML); None, with nothing settled,
        otherwise."""
        if None in kinds:
            return None
        length = max(map(len, columns), default=0)
        blanks = [_blanks(values, kind) for values, kind in zip(columns, kinds,
                                                                  strict=True)]
        if not any(
                b == 0 and len(v) == length > 0 for v, b in zip(columns, blanks)):
            return None
        used_cols = [j for j, (v, b) in enumerate(zip(columns, blanks)) if b < len(v)]
        settled = cast(Sequence[str], kinds)  # no None among them
        cells = [self.column_cells(column_letter(j + 1), values, first, fmt, kind)
                 for j, (values, fmt, kind) in enumerate(zip(columns, formats,
                                                             settled, strict=True))]
        return (RowCells(cells, first, length, self.row_attributes()),
                [(first, used_cols[0]), (first + length - 1, used_cols[-1])])

    def column_cells(self, letter: str, values: Sequence[object], first: int,
                     number_format: str | None, kind: str) -> ColumnCells:
        """A column of one ``kind`` of ``_kind`` as ColumnCells: its style and
        shared strings settled, its floats checked."""
        s = self.style((number_format, None, None, None, False))
        if kind == "s":
            return ColumnCells(letter, values, first, tails=self.text_tails(values))
        if kind == "f":
            finite(values)
        return ColumnCells(letter, values, first, s=s)

    def column(self, letter: str, values: Sequence[object], first: int,
               number_format: str | None, kind: str | None) -> list[str]:
        """Each value's ``<c>`` element ('' for None), 1-based rows from
        ``first + 1``, numbers and booleans in ``number_format``: a column of
        only numbers or only text (``kind``, of ``_kind``) at once, any other
        value by ``cell``."""
        if kind is not None:
            return self.column_cells(letter, values, first, number_format,
                                     kind).xml()
        s = self.style((number_format, None, None, None, False))
        cell = self.cell
        return ["" if v is None else cell(f"{letter}{r}", v, s)
                for r, v in enumerate(values, first + 1)]

    def text_tails(self, values: Sequence[object]) -> dict[object, str]:
        """What follows ``<c r="..."`` for each distinct non-empty text of
        ``values``: its shared string, added once and counted per cell."""
        distinct = [v for v in dict.fromkeys(values) if v is not None and v != ""]
        strings = self.strings
        tails = {v: f' t="s"><v>{strings._get_shared_string_index(fit_text(v))}'
                    "</v></c>" for v in distinct}
        cells = len(values) - values.count(None) - values.count("")
        strings.count += cells - len(tails)
        return tails

    def style(self, style: tuple[object, ...]) -> str:
        """The ``s`` attribute of a cell style ('' when unstyled)."""
        fmt = self.book.format(style)
        return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""

    def cell(self, ref: str, value: object, s: str = "") -> str:
        """One value as ``Sheet.put`` writes it: a Cell, text, bool, number (the
        last two with style attribute ``s``)."""
        if isinstance(value, Cell):
            return self.styled(ref, value)
        if isinstance(value, str):
            return self.text(ref, value, "") if value else ""
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        return f'<c r="{ref}"{s}><v>{number_text(value)}</v></c>'

    def styled(self, ref: str, value: Cell) -> str:
        s = self.style(value.style())
        if value.data_type == "s" and value.value != "":
            return self.text(ref, str(value.value), s)
        if value.data_type == "s" or value.value is None:
            return f'<c r="{ref}"{s}/>' if s else ""  # blank: only when styled
        if isinstance(value.value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value.value)}</v></c>'
        return f'<c r="{ref}"{s}><v>{number_text(value.value)}</v></c>'

    def text(self, ref: str, text: str, s: str) -> str:
        index = self.strings._get_shared_string_index(fit_text(text))
        return f'<c r="{ref}"{s} t="s"><v>{index}</v></c>'


class Sheet:
    """One worksheet: rows appended in order, or values put at a cell."""

    def __init__(self, book: Book, ws: object, title: str) -> None:
        self.book = book
        self.ws = ws
        self.title = title
        self.next_row = 0  # 0-based row the next append writes
        self.charts: list[tuple[str, Chart]] = []
        self._cells = CellXml(book, ws)
        self._blocks: list[Block] = []

    def append(self, values: Sequence[object] = ()) -> None:
        """Write ``values`` in the next row from column A (None = blank cell)."""
        row, put = self.next_row, self.put
        for col, value in enumerate(values):
            if value is not None:
                put(row, col, value)
        self.next_row += 1

    def append_columns(self, columns: Sequence[Sequence[object]], length: int,
                       formats: Sequence[str | None] | None = None) -> None:
        """Write ``length`` rows from the next one, column by column: ``columns[j]``
        holds column j's values (None = blank cell), each written as ``put``
        writes it, its plain numbers and booleans in number format
        ``formats[j]`` (None: unformatted). The cells are those ``append`` of
        each row would write (with ``Cell(value, "n", formats[j])`` for those
        numbers); their XML is made here (module docstring) and no other write
        may touch these rows."""
        formats = list(formats) if formats is not None else [None] * len(columns)
        if any(len(values) > length for values in columns):
            raise ValueError(f"sheet {self.title!r}: a column is longer than "
                             f"{length} rows")
        first = self.next_row
        for start in range(0, length, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, length)
            xml, used = self._cells.rows([values[start:stop] for values in columns],
                                         first + start, formats)
            if used is not None:
                self._blocks.append(Block(first + start, first + stop, xml))
                for row, col in used:
                    self.ws._check_dimensions(row, col)  # the sheet's used range
        self.next_row += length

    def refuse_blocks(self, ref: Ref) -> None:
        """Refuse chart data in a table block (it would chart no cached
        values)."""
        for block in self._blocks:
            if block.first <= ref.last_row and ref.first_row < block.stop:
                raise ValueError(f"a chart reads rows of a table block of sheet "
                                 f"{self.title!r}")

    def has_blocks(self) -> bool:
        return bool(self._blocks)

    def splice_plan(self) -> list[tuple[int | None, Block]]:
        """Each block of table rows with the first row after it that XlsxWriter
        writes (None: none), in row order; a row both in a block and in
        XlsxWriter's cells or row settings is refused."""
        ws: Any = self.ws
        written = sorted({r for r, cells in ws.table.items() if cells}
                         | set(ws.row_info) | set(ws.comments))
        plan: list[tuple[int | None, Block]] = []
        for block in self._blocks:
            clash = [r for r in written if block.first <= r < block.stop]
            if clash:
                raise ValueError(f"sheet {self.title!r}: row {clash[0] + 1} is "
                                 "both in a table block and written cell by cell")
            after = [r for r in written if r >= block.stop]
            plan.append((after[0] if after else None, block))
        return plan

    def blocks_made_later(self) -> list[Block]:
        """The blocks whose XML is still to be made (``RowCells``)."""
        return [block for block in self._blocks if isinstance(block.xml, RowCells)]

    def put(self, row: int, col: int, value: object) -> None:
        """Write one value (0-based row and column): a Cell, text, number, bool."""
        ws = self.ws
        if isinstance(value, Cell):
            fmt = self.book.format(value.style())
            if value.data_type == "s" and value.value != "":
                ws.write_string(row, col, str(value.value), fmt)
            elif value.data_type == "s":  # an empty text cell: blank, as before
                ws.write_blank(row, col, None, fmt)
            elif value.value is None:
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value.value, bool):
                ws.write_boolean(row, col, value.value, fmt)
            else:
                ws.write_number(row, col, value.value, fmt)
        elif isinstance(value, str):
            if value:
                ws.write_string(row, col, value)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value)
        else:
            ws.write_number(row, col, value)

    def add_chart(self, chart: Chart, anchor: str) -> None:
        """Place ``chart`` with its top-left corner at ``anchor`` ('J12')."""
        self.charts.append((anchor, chart))

    def widths(self, widths: Iterable[float]) -> None:
        """Column widths from column A, as stored in the file (characters of the
        default font); XlsxWriter adds 5 pixels of padding, taken off here."""
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, max(width - PADDING_CHARS, 0.0))

    def freeze(self, cell: str) -> None:
        """Freeze the rows above and the columns left of ``cell`` ('A2')."""
        self.ws.freeze_panes(*xl_cell_to_rowcol(cell))

    def page(self, paper: int, margins: tuple[float, float, float, float],
             header_margin: float) -> None:
        """Landscape on ``paper`` (9 = A4) at 100 %, margins (left, right, top,
        bottom) and header/footer margin in inches, centred across the page."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(paper)
        ws.set_margins(*margins)
        ws.set_header("", {"margin": header_margin})
        ws.set_footer("", {"margin": header_margin})
        ws.center_horizontally()

    def default_row_height(self, points: float) -> None:
        self.ws.set_default_row(points)

    def row_height(self, row: int, points: float) -> None:
        """The height of 1-based row ``row``."""
        self.ws.set_row(row - 1, points)

    def print_area(self, ref: str) -> None:
        self.ws.print_area(ref)

    def landscape_fit_width(self) -> None:
        """Print landscape, one page wide."""
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)

    def add_table(self, name: str, headers: Sequence[Cell], first: int, last: int
                  ) -> None:
        """An Excel Table with filter buttons over 1-based rows first..last: the
        ``headers`` (its first row, written here) over the rows written.
        XlsxWriter marks each cell of a table's range to refuse overlaps, a cost
        per cell; it is given the header and at most one row, and the table's
        ranges are then widened to ``last`` (a table sheet holds one table)."""
        last_col = len(headers) - 1
        if self.ws.add_table(first - 1, 0, min(last, first + 1) - 1, last_col, {
                "name": name, "style": "Table Style Medium 2", "autofilter": True,
                "columns": [{"header": str(h.value),
                             "header_format": self.book.format(h.style())}
                            for h in headers]}):
            return  # refused (XlsxWriter warns): no table, as before
        table = self.ws.tables[-1]
        full = f"A{first}:{column_letter(last_col + 1)}{last}"
        table["range"] = table["a_range"] = table["autofilter"] = full


class KeptParts(Packager):
    """XlsxWriter's packager, its parts kept on the workbook, not zipped."""

    def _create_package(self) -> list[tuple[Any, str, bool]]:
        self.workbook.parts = super()._create_package()  # type: ignore[attr-defined]
        return []


class PartsWorkbook(xlsxwriter.Workbook):
    """An in-memory XlsxWriter workbook whose ``close`` makes the package's parts
    (``parts``: (StringIO or BytesIO, name in the package, is binary), in
    XlsxWriter's order) and zips none of them: ``Book.close`` zips each once,
    the sheets' table rows spliced in (XlsxWriter's ``_get_packager`` is there
    to let the packager be replaced, its source says; it is not public API)."""

    parts: list[tuple[Any, str, bool]]

    def _get_packager(self) -> Packager:
        return KeptParts()


class Book:
    """A workbook being written: its sheets in order and its formats."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.wb = PartsWorkbook(io.BytesIO(), {
            "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "nan_inf_to_errors": False,
            "in_memory": True})  # no temporary files to leave behind on a kill
        self.sheets: list[Sheet] = []
        self._formats: dict[tuple[object, ...], object] = {}

    def format(self, style: tuple[object, ...]) -> object:
        """The writer's format of a cell style (None when unstyled), made once."""
        found = self._formats.get(style)
        if found is None and style not in self._formats:
            props = format_properties(style)
            found = self.wb.add_format(props) if props else None
            self._formats[style] = found
        return found

    def add_sheet(self, title: str) -> Sheet:
        sheet = Sheet(self, self.wb.add_worksheet(title), title)
        self.sheets.append(sheet)
        return sheet

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    def move_last(self, title: str) -> None:
        """Make sheet ``title`` the last tab."""
        sheet = next(s for s in self.sheets if s.title == title)
        self.sheets.remove(sheet)
        self.sheets.append(sheet)
        self.wb.worksheets_objs[:] = [s.ws for s in self.sheets]
        for index, s in enumerate(self.sheets):
            s.ws.index = index  # type: ignore[attr-defined]

    def close(self) -> None:
        """Place the charts, let XlsxWriter make the package's parts, and zip
        them once to ``path``, each sheet's table rows spliced in. The rows of
        the blocks made later (``RowCells``) are made meanwhile, in a child
        process where one may be forked (``computed_beside``)."""
        plans = {f"xl/worksheets/sheet{n}.xml": sheet.splice_plan()
                 for n, sheet in enumerate(self.sheets, 1) if sheet.has_blocks()}
        later = [block for sheet in self.sheets for block in sheet.blocks_made_later()]
        made = computed_beside(partial(_made, later), self._package)
        for block, xml in zip(later, made, strict=True):
            block.xml = xml
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=ZIP_LEVEL) as out:
            for part, name, _ in self.wb.parts:
                data = part.getvalue()
                pieces = (splice(data, plans[name]) if name in plans else [data])
                with out.open(name, "w") as member:  # dated 1980-01-01
                    for piece in pieces:
                        member.write(piece if isinstance(piece, bytes)
                                     else piece.encode("utf-8"))

    def _package(self) -> None:
        """Place the charts and let XlsxWriter make the package's parts
        (``wb.parts``)."""
        by_title = {sheet.title: sheet for sheet in self.sheets}
        for sheet in self.sheets:
            for anchor, chart in sheet.charts:
                for ref in chart_refs(chart):
                    by_title[ref.sheet].refuse_blocks(ref)
                sheet.ws.insert_chart(anchor, _to_writer(self.wb, chart))
        self.wb.close()

    def discard(self) -> None:
        """Give up the workbook: nothing is written (the file is written only
        at the end of ``close``, so there is nothing to delete)."""
        self.sheets.clear()


def _made(blocks: list[Block]) -> list[bytes]:
    """The ``<row>`` elements of blocks made later, as UTF-8."""
    return [cast(RowCells, block.xml).xml().encode("utf-8") for block in blocks]


def splice(xml: str, plan: list[tuple[int | None, Block]]) -> Iterable[str | bytes]:
    """A sheet's XML in pieces, each block of rows ``(before, block)`` put
    before XlsxWriter's ``<row>`` of 0-based row ``before`` (None: at the end of
    ``<sheetData>``); the blocks in row order, their rows already made."""
    at = 0
    for before, block in plan:
        rows = cast(str | bytes, block.xml)
        if before is None:
            cut = xml.index("</sheetData>", at)
        else:
            found = re.compile(f'<row r="{before + 1}"[ >/]').search(xml, at)
            if found is None:
                raise ValueError(f"no row {before + 1} in the sheet's XML")
            cut = found.start()
        yield xml[at:cut]
        yield rows
        at = cut
    yield xml[at:]
