"""Table rows made as XML by the writer equal the cells XlsxWriter writes itself.

``Sheet.append_columns`` makes its rows' XML and splices them into the sheet XlsxWriter
writes (model/report/excel/writer.py). The reference here is XlsxWriter's own
cell-by-cell path, ``Sheet.append`` of each row: both books are read back with
openpyxl and compared cell by cell (value, type, number format, font, fill, quote
prefix); hostile text must also read back as the text written, and the sheet XML
(less XlsxWriter's optional ``spans`` hints) and the shared strings must be the
same bytes when the styles are first used in the same order.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from xlsxwriter.packager import Packager

from model.report.excel.cells import BOLD, FMT_T, HEADER_FILL, text_cell
from model.report.excel.writer import (
    TEXT_MAX,
    Book,
    Cell,
    Chart,
    Ref,
    RowCells,
    Series,
    fit_text,
)

# Text a sheet's XML must escape or preserve: markup, entities, quotes, leading and
# trailing spaces, tabs and newlines, XlsxWriter's own _xHHHH_ escape written
# literally, a CDATA end, characters beyond the BMP, and every control character
# xlsx can hold (tab, newline, carriage return).
HOSTILE = ["a & b", "<b>bold</b>", "x < y > z", '"quoted"', "it's", "  lead",
           "trail  ", " both ", "tab\there", "line\nbreak", "cr\rlf", "_x0041_",
           "_x005F_x0041_", "]]>", "&amp;", "&#65;", "\U0001F600 smile", "ü ß é",
           "=SUM(A1)", "\ufffd"]


def read(path: Path) -> dict[str, dict[tuple[int, int], tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: {(c.row, c.column): (
        c.value, c.data_type, c.number_format, c.font.b, c.font.sz,
        c.fill.fgColor.rgb, c.quotePrefix)
        for row in ws.iter_rows() for c in row
        if c.value is not None or c.style_id != 0} for ws in book.worksheets}


def write(path: Path, columns: list[list[object]], bulk: bool,
          default_height: float | None = None) -> None:
    """A heading row, the columns as a block (or row by row), a row after, and a
    second block of the same columns after that on a second sheet too."""
    book = Book(path)
    for title in ("one", "two"):
        ws = book.add_sheet(title)
        if default_height is not None:
            ws.default_row_height(default_height)
        ws.append([text_cell(ws, "heading", BOLD, HEADER_FILL)])
        length = max(map(len, columns))
        for _ in range(2):
            if bulk:
                ws.append_columns(columns, length)
            else:
                for i in range(length):
                    ws.append([c[i] if i < len(c) else None for c in columns])
            ws.append(["after", 1.5])
    book.close()


def member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


def test_hostile_text_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "bulk.xlsx"
    write(path, [HOSTILE, list(range(len(HOSTILE)))], bulk=True)
    cells = read(path)["one"]
    # block rows are 2..21 (row 1 is the heading); each text as given, except two
    # that openpyxl's reader does not undo: the shared strings hold CR as
    # _x000D_ and a literal _xHHHH_ with its '_' escaped as _x005F_ (the xlsx
    # rule, which Excel reads back); openpyxl keeps _x000D_ as it is and undoes
    # _x005F_ twice in '_x005F_x005F_x0041_'. The numbers beside are 0..19.
    cr, twice = HOSTILE.index("cr\rlf"), HOSTILE.index("_x005F_x0041_")
    expected = list(HOSTILE)
    expected[cr], expected[twice] = "cr_x000D_lf", "_x0041_"
    assert [cells[(r, 1)][0] for r in range(2, 2 + len(HOSTILE))] == expected
    assert [cells[(r, 2)][0] for r in range(2, 2 + len(HOSTILE))] == list(
        range(len(HOSTILE)))
    assert all(cells[(r, 1)][1] == "s" for r in range(2, 2 + len(HOSTILE)))
    strings = member(path, "xl/sharedStrings.xml")
    for text in ("<t>a &amp; b</t>", "<t>&lt;b&gt;bold&lt;/b&gt;</t>",
                 "<t>cr_x000D_lf</t>", "<t>_x005F_x005F_x0041_</t>",
                 '<t xml:space="preserve">  lead</t>', "<t>]]&gt;</t>"):
        assert text in strings
    # the row after the first block, then the second block from row 23
    assert cells[(22, 1)][0] == "after" and cells[(22, 2)][0] == 1.5
    assert cells[(23, 1)][0] == HOSTILE[0]
    assert cells[(23 + len(HOSTILE), 1)][0] == "after"


def test_bulk_rows_equal_cell_by_cell(tmp_path: Path) -> None:
    columns: list[list[object]] = [
        HOSTILE,
        [1.5, None, 0.1 + 0.2, 1e20, -3, 2**53 + 1, 1 / 3, True, False, 7,
         12345678901234567890, 0.0, -0.0, 5e-324, 1e-7, None, 3, 4, 5],
        [Cell(v, "n", FMT_T) for v in range(12)]
        + [Cell(None, "n", FMT_T), Cell("", "s", None, BOLD), Cell(True, "n"),
           text_cell(None, "=1+1"), Cell("styled", "s", FMT_T, BOLD)],
        [None] * 20,  # an empty column: no cells
        ["", "x"] * 3,  # empty text is blank; shorter than the block
    ]
    bulk, rows = tmp_path / "bulk.xlsx", tmp_path / "rows.xlsx"
    write(bulk, columns, bulk=True)
    write(rows, columns, bulk=False)
    assert read(bulk) == read(rows)
    cells = read(bulk)["one"]
    # hand checks: 0.1 + 0.2 is written to 16 significant digits, as XlsxWriter
    # writes numbers ('0.3000000000000000' reads back as 0.3); a styled None is a
    # blank cell carrying its format; '=1+1' is text with a quote prefix
    assert cells[(4, 2)][0] == 0.3
    assert cells[(14, 3)] == (None, "n", FMT_T, False, 11.0, "00000000", False)
    assert cells[(17, 3)][0] == "=1+1" and cells[(17, 3)][6] is True
    assert (2, 4) not in cells and (2, 5) not in cells and cells[(3, 5)][0] == "x"


def resolved(path: Path, n: int) -> str:
    """Sheet ``n``'s XML with each shared-string index replaced by its text and
    XlsxWriter's optional row ``spans`` hints dropped."""
    sst = ElementTree.fromstring(member(path, "xl/sharedStrings.xml"))
    texts = ["".join(si.itertext()) for si in sst]
    xml = re.sub(r' spans="\d+:\d+"', "", member(path, f"xl/worksheets/sheet{n}.xml"))
    return re.sub(r'( t="s"><v>)(\d+)(</v>)',
                  lambda m: m[1] + repr(texts[int(m[2])]) + m[3], xml)


def string_counts(path: Path) -> tuple[str, str, list[str]]:
    sst = ElementTree.fromstring(member(path, "xl/sharedStrings.xml"))
    return (sst.get("count", ""), sst.get("uniqueCount", ""),
            sorted("".join(si.itertext()) for si in sst))


# a numbers column with 0, 0.0 and -0.0 (equal keys, written "0", "0", "-0")
# and repeated values (each distinct number's text is made once)
NUMBERS = [0.0, -0.0, 0, 1.5, -2.25, 1e-300, 2.0 ** 60, 12_345_678_901_234_567]
# a column of numbers and booleans: its cells are made one by one, when appended
MIXED: list[list[object]] = [HOSTILE * 3, list(range(60)), [0.5, None, True] * 20,
                             ["a", "b", ""] * 20, NUMBERS * 7 + [-0.0, 1.5, None, 0]]
# only numbers or only text, a column without a blank: the rows are made when the
# book is closed (RowCells), with text and blanks in the other columns, and a
# column shorter than the block
PURE: list[list[object]] = [HOSTILE * 3, list(range(60)), [0.5, None, 2.0] * 20,
                            ["a", "b", ""] * 20, NUMBERS * 7 + [-0.0, 1.5, None, 0],
                            [None] * 60, ["short", None] * 10]
# only numbers or only text, but a blank in every column (every second row of the
# block, rows 3, 5, ..., 61, has no cell at all): made when appended, the used rows
# known only from the XML
SPARSE: list[list[object]] = [["a", None] * 30, [None, None, 1.5, None] * 15]


@pytest.mark.parametrize(("columns", "made_later"), [(MIXED, False), (PURE, True),
                                                     (SPARSE, False)],
                         ids=["mixed", "pure", "sparse"])
def test_same_xml_as_xlsxwriter(tmp_path: Path, columns: list[list[object]],
                                made_later: bool) -> None:
    """Plain values (no style first used inside a block): each sheet's XML is
    XlsxWriter's to the byte once shared strings are read as their text (a block
    numbers its new strings column by column, XlsxWriter row by row) and
    the optional row ``spans`` are dropped; the shared-string table holds the same
    strings and reference count; for blocks made when appended and those made
    when the book is closed."""
    probe = Book(tmp_path / "probe.xlsx").add_sheet("probe")
    probe.append_columns(columns, 60)
    assert [isinstance(b.xml, RowCells) for b in probe._blocks] == [made_later]
    bulk, rows = tmp_path / "bulk.xlsx", tmp_path / "rows.xlsx"
    for height in (None, 18.0):
        write(bulk, columns, bulk=True, default_height=height)
        write(rows, columns, bulk=False, default_height=height)
        for n in (1, 2):
            assert resolved(bulk, n) == resolved(rows, n)
        assert string_counts(bulk) == string_counts(rows)
    # the second pass set an 18 pt default row height: every row carries it
    assert '<row r="2" ht="18" customHeight="1">' in resolved(bulk, 1)


def test_long_text_cut_as_xlsxwriter_cuts_it(tmp_path: Path) -> None:
    # 40,000 characters with one beyond the BMP (2 UTF-16 units) at position 10:
    # XlsxWriter keeps the first 32,766 characters (32,767 units)
    text = "a" * 10 + "\U0001F600" + "b" * 39_989
    assert len(fit_text(text)) == TEXT_MAX - 1
    assert fit_text("c" * TEXT_MAX) == "c" * TEXT_MAX
    bulk, rows = tmp_path / "bulk.xlsx", tmp_path / "rows.xlsx"
    write(bulk, [[text, "short"]], bulk=True)
    write(rows, [[text, "short"]], bulk=False)
    assert read(bulk) == read(rows)
    assert read(bulk)["one"][(2, 1)][0] == text[:TEXT_MAX - 1]


def test_large_block_in_pieces(tmp_path: Path) -> None:
    # 45,001 rows: three pieces of at most 20,000 rows; the sum of column B is
    # 0 + 1 + ... + 45,000 = 45,000 * 45,001 / 2 and the last row is 45,002
    n = 45_001
    book = Book(tmp_path / "big.xlsx")
    ws = book.add_sheet("big")
    ws.append(["k", "v"])
    ws.append_columns([["r"] * n, list(range(n))], n)
    ws.append(["end"])
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "big.xlsx").active
    values = [row[1] for row in sheet.iter_rows(min_row=2, max_row=n + 1,
                                                values_only=True)]
    assert sum(values) == 45_000 * 45_001 // 2
    assert sheet.cell(n + 2, 1).value == "end" and sheet.max_row == n + 2
    assert sheet.dimensions == f"A1:B{n + 2}"


def test_nan_refused_and_rows_not_written_twice(tmp_path: Path) -> None:
    book = Book(tmp_path / "bad.xlsx")
    ws = book.add_sheet("bad")
    with pytest.raises(TypeError, match="NAN/INF"):
        ws.append_columns([[Cell(float("nan"), "n", FMT_T)]], 1)
    ws.append_columns([[1.0, 2.0]], 2)
    ws.put(1, 3, "clash")  # row 2 is in the block
    with pytest.raises(ValueError, match="row 2 is both in a table block"):
        book.close()
    assert not (tmp_path / "bad.xlsx").exists()  # refused before the file is made


def test_table_over_a_block(tmp_path: Path) -> None:
    # a header in row 1 and 30,000 rows below it: the Excel Table reads back as
    # A1:C30001 with its name and header cells
    n = 30_000
    book = Book(tmp_path / "t.xlsx")
    ws = book.add_sheet("t")
    headers = [text_cell(ws, h, BOLD, HEADER_FILL) for h in ("a", "b", "c")]
    ws.append(headers)
    ws.append_columns([list(range(n)), ["x"] * n, [0.5] * n], n)
    ws.add_table("t_big", headers, 1, n + 1)
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [(t.name, t.ref) for t in sheet.tables.values()] == [
        ("t_big", f"A1:C{n + 1}")]
    assert sheet.tables["t_big"].autoFilter.ref == f"A1:C{n + 1}"
    assert [sheet.cell(1, c).value for c in (1, 2, 3)] == ["a", "b", "c"]


def test_chart_over_a_block_refused(tmp_path: Path) -> None:
    # charts take their cached values from XlsxWriter's cells: a chart over
    # table rows (rows 2..4 here, 0-based 1..3) is refused before anything is
    # written; one over the header row only is not
    book = Book(tmp_path / "c.xlsx")
    ws = book.add_sheet("c")
    ws.append(["year", "t"])
    ws.append_columns([[2030, 2031, 2032], [1.0, 2.0, 3.0]], 3)
    chart = Chart(kind="line")
    chart.add_columns("c", 0, 3, 1, 1)
    ws.add_chart(chart, "D2")
    with pytest.raises(ValueError, match="a chart reads rows of a table block"):
        book.close()
    assert not (tmp_path / "c.xlsx").exists()
    ok = Chart(kind="line")
    ok.series.append(Series(values=Ref("c", 0, 1, 0, 1)))
    book.sheets[0].charts[:] = [("D2", ok)]
    book.close()
    assert (tmp_path / "c.xlsx").exists()


def test_parts_zipped_once_are_xlsxwriters_package(tmp_path: Path) -> None:
    """``Book.close`` zips the parts XlsxWriter's packager makes (``PartsWorkbook``,
    ``KeptParts``: ``_get_packager``, ``_create_package``, its (file, name, is
    binary) parts, in memory): with no table block, the file holds the members
    XlsxWriter itself would zip, in its order, with the same bytes and dates. The
    reference is the same book with XlsxWriter's own packager, which zips the
    package into the workbook's in-memory file instead."""
    books = [Book(tmp_path / "kept.xlsx"), Book(tmp_path / "unused.xlsx")]
    for book in books:
        book.wb.set_properties({"created": datetime(2026, 12, 1, tzinfo=UTC)})
        for title in ("one", "two"):
            ws = book.add_sheet(title)
            ws.append([text_cell(ws, "year", BOLD, HEADER_FILL), "t"])
            for k, text in enumerate(HOSTILE):
                ws.append([2030 + k, text, 0.5 * k])
        chart = Chart(kind="line")
        chart.series.append(Series(values=Ref("one", 1, 0, 5, 0)))
        book.sheets[0].add_chart(chart, "E2")
    kept, plain = books
    plain.wb._get_packager = Packager  # type: ignore[method-assign]
    plain.wb.parts = []  # XlsxWriter's packager keeps none: close zips nothing
    for book in books:
        book.close()
    with (zipfile.ZipFile(kept.path) as ours,
          zipfile.ZipFile(plain.wb.filename) as theirs):
        names = [i.filename for i in theirs.infolist()]
        assert [i.filename for i in ours.infolist()] == names
        assert "xl/charts/chart1.xml" in names and "xl/worksheets/sheet2.xml" in names
        for name in names:
            assert ours.read(name) == theirs.read(name), name
            assert ours.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)
