"""Catalogue B-F: container and format faults of a workbook (exit 2)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.reliability.builders import (
    BILLION_LAUGHS,
    patch_declared_size,
    rezip,
    sheet_part,
    xlsx_case,
)
from tests.reliability.catalogue import Entry, check_entry, params

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _valid(tmp: Path) -> Path:
    return xlsx_case(tmp / "valid" / "case.xlsx")


def _bytes(name: str, data: bytes):  # noqa: ANN202
    def build(tmp: Path) -> Path:
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(data)
        return tmp / name
    return build


def _truncated(tmp: Path) -> Path:
    src = _valid(tmp)
    data = src.read_bytes()
    (tmp / "case.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "case.xlsx"


def _drop(member: str):  # noqa: ANN202
    def build(tmp: Path) -> Path:
        return rezip(_valid(tmp), tmp / "case.xlsx",
                     lambda n, d: None if n == member else d)
    return build


def _add(members: dict[str, bytes]):  # noqa: ANN202
    def build(tmp: Path) -> Path:
        return rezip(_valid(tmp), tmp / "case.xlsx", lambda n, d: d, members)
    return build


def _in_sheet(title: str, change):  # noqa: ANN001, ANN202
    def build(tmp: Path) -> Path:
        src = _valid(tmp)
        part = sheet_part(src, title)
        return rezip(src, tmp / "case.xlsx",
                     lambda n, d: change(d) if n == part else d)
    return build


def _in_part(member: str, change):  # noqa: ANN001, ANN202
    def build(tmp: Path) -> Path:
        return rezip(_valid(tmp), tmp / "case.xlsx",
                     lambda n, d: change(d) if n == member else d)
    return build


def _with_dtd(dtd: str):  # noqa: ANN202
    def change(data: bytes) -> bytes:
        text = data.decode()
        body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
        return (dtd + body).encode()
    return change


SST_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
            "sharedStrings+xml")
SST = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'count="1" uniqueCount="1"><si><t>{text}</t></si></sst>')


def _shared_strings(prolog: str, text: str):  # noqa: ANN202
    """Add a shared-strings part (declared in [Content_Types].xml, so openpyxl
    parses it on load) whose XML starts with ``prolog``."""
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            override = (f'<Override PartName="/xl/sharedStrings.xml" '
                        f'ContentType="{SST_TYPE}"/></Types>')
            return data.replace(b"</Types>", override.encode())
        return data

    def build(tmp: Path) -> Path:
        part = (prolog + SST.format(text=text)).encode()
        return rezip(_valid(tmp), tmp / "case.xlsx", change,
                     {"xl/sharedStrings.xml": part})
    return build


XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'


def _bomb(tmp: Path) -> Path:
    """A sheet padded with 60 MB of spaces: about 60 KB compressed (ratio ~1000)."""
    def change(data: bytes) -> bytes:
        return data.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 * 2**20), 1)
    src = _valid(tmp)
    part = sheet_part(src, "demand")
    return rezip(src, tmp / "case.xlsx", lambda n, d: change(d) if n == part else d,
                 level=9)


def _declared_huge(tmp: Path) -> Path:
    src = _valid(tmp)
    part = sheet_part(src, "demand")
    out = rezip(src, tmp / "case.xlsx", lambda n, d: d)
    return patch_declared_size(out, part, 2 * 2**30)


def _declared_small(tmp: Path) -> Path:
    src = _valid(tmp)
    part = sheet_part(src, "demand")
    out = rezip(src, tmp / "case.xlsx", lambda n, d: d)
    return patch_declared_size(out, part, 10)


def _many_entries(tmp: Path) -> Path:
    return rezip(_valid(tmp), tmp / "case.xlsx", lambda n, d: d,
                 {f"xl/media/pad{i}.txt": b"" for i in range(2500)}, level=0)


def _external_formulas(wb: openpyxl.Workbook) -> None:
    wb["capacity"]["C2"] = "='C:\\x\\[book.xlsx]S'!A1"
    wb["capacity"]["C3"] = '=WEBSERVICE("http://127.0.0.1/x")'


def _formula(wb: openpyxl.Workbook) -> None:
    wb["demand"]["D2"] = "=10+20"


def _xlsm(tmp: Path) -> Path:
    src = _valid(tmp)
    return rezip(src, tmp / "case.xlsm", lambda n, d: d,
                 {"xl/vbaProject.bin": OLE + b"\x00" * 504})


def _no_defusedxml(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(openpyxl, "DEFUSEDXML", False)


def _dir_named_xlsx(tmp: Path) -> Path:
    (tmp / "case.xlsx").mkdir(parents=True)
    return tmp / "case.xlsx"


def _ods(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp / "case.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return tmp / "case.xlsx"


def _xlsb(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp / "case.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return tmp / "case.xlsx"


def _macro_warning(_out: Path, err: str) -> None:
    assert "macros" in err


def _no_hostname(out: Path, err: str) -> None:
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in err


ENTRIES = [
    Entry("F01-empty-file", _bytes("case.xlsx", b""), 2, ("case.xlsx", "empty file")),
    Entry("F02-csv-renamed", _bytes("case.xlsx", b"region,bloc\nUS,alliance\n"), 2,
          ("not an Excel .xlsx (zip) file",)),
    Entry("F03-truncated", _truncated, 2, ("corrupt or truncated workbook",)),
    Entry("F04-legacy-xls", _bytes("case.xls", OLE + b"\x00" * 504), 2,
          ("legacy .xls", "save the workbook as .xlsx")),
    Entry("F04-ole-named-xlsx", _bytes("case.xlsx", OLE + b"\x00" * 504), 2,
          ("encrypted or a legacy .xls",)),
    Entry("F05-encrypted", _bytes("case.xlsx", OLE + "EncryptionInfo".encode(
        "utf-16-le") + b"\x00" * 400), 2, ("encrypted",)),
    Entry("F06-xlsb", _xlsb, 2, ("(.xlsb)",)),
    Entry("F06-ods-content", _ods, 2, ("OpenDocument",)),
    Entry("F06-ods-suffix", _bytes("case.ods", b"PK\x03\x04"), 2, ("(.ods)",)),
    Entry("F07-no-workbook-part", _drop("xl/workbook.xml"), 2,
          ("missing part 'xl/workbook.xml'",)),
    Entry("F08-no-content-types", _drop("[Content_Types].xml"), 2,
          ("missing part '[Content_Types].xml'",)),
    Entry("F09-sheet-cut-mid-tag", _in_sheet("demand", lambda d: d[: len(d) // 2]),
          2, ("xl/worksheets/sheet",)),
    Entry("F10-billion-laughs-sheet", _in_sheet("demand", _with_dtd(BILLION_LAUGHS)),
          2, ("XML entity declarations are not allowed",)),
    Entry("F11-billion-laughs-strings", _shared_strings(BILLION_LAUGHS, "&lol9;"),
          2, ("XML entity declarations are not allowed",)),
    Entry("F11-billion-laughs-core", _in_part("docProps/core.xml",
                                              _with_dtd(BILLION_LAUGHS)),
          2, ("XML entity declarations are not allowed",)),
    Entry("F12-xxe", _shared_strings(XXE, "&xxe;"), 2,
          ("XML entity declarations are not allowed",), after=_no_hostname),
    Entry("F13-zip-bomb-ratio", _bomb, 2, ("suspicious compression ratio",
                                           "zip bomb")),
    Entry("F13-zip-bomb-declared-2GB", _declared_huge, 2,
          ("uncompressed size", "above the limit")),
    Entry("F14-size-header-lies", _declared_small, 2, ("case.xlsx",)),
    Entry("F15-too-many-entries", _many_entries, 2, ("zip entries, above the limit",
                                                     "2,000")),
    Entry("F16-entry-escapes", _add({"../../evil.xml": b"<x/>"}), 2,
          ("unsafe entry name '../../evil.xml'",)),
    Entry("F16-absolute-entry", _add({"/etc/evil.xml": b"<x/>"}), 2,
          ("unsafe entry name",)),
    Entry("F17-missing-path", lambda tmp: tmp / "nothing.xlsx", 2,
          ("case not found", "nothing.xlsx")),
    Entry("F17-directory-named-xlsx", _dir_named_xlsx, 2,
          ("required table is missing",)),
    Entry("F18-xlsm-macros-ignored", _xlsm, 0, (), after=_macro_warning),
    Entry("F19-external-link-formulas",
          lambda tmp: xlsx_case(tmp / "case.xlsx", book=_external_formulas), 2,
          ("[capacity] row 2, column capacity_tpa: formula without a cached value",
           "[capacity] row 3, column capacity_tpa")),
    Entry("F20-defusedxml-off", _valid, 2, ("unsafe XML configuration",),
          patch=_no_defusedxml),
    Entry("V10-formula-no-cache",
          lambda tmp: xlsx_case(tmp / "case.xlsx", book=_formula), 2,
          ("[demand] row 2, column demand_t: formula without a cached value",)),
]


@pytest.mark.parametrize("entry", params(ENTRIES))
def test_container_entry(entry: Entry, run_cli, tmp_path: Path,  # noqa: ANN001
                         monkeypatch: pytest.MonkeyPatch) -> None:
    check_entry(entry, run_cli, tmp_path, monkeypatch, measure=True)


def test_F20_environment_switch_is_refused(tmp_path: Path) -> None:
    """The real switch: OPENPYXL_DEFUSEDXML=False in the environment of a fresh
    process makes openpyxl parse without defusedxml; the run refuses (exit 2)."""
    import os
    import subprocess
    import sys

    case = _valid(tmp_path)
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    done = subprocess.run([sys.executable, "-m", "model", "solve", str(case), "--out",
                           str(tmp_path / "out")], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "unsafe XML configuration" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
