"""Checks on a workbook file before any parser sees its bytes.

An .xlsx is a zip archive of XML parts. Before openpyxl opens it, the container is
checked with the standard library alone: the file is a regular file (not a FIFO
or a device), not empty and not too large (from its ``stat``, before any read),
it is not a legacy or encrypted OLE file (.xls, password-protected .xlsx), not an
.xlsb or .ods, its zip directory is readable, it has few enough entries, its
declared uncompressed size and compression ratios are bounded (zip bombs), no entry
name escapes the archive, and the parts every workbook needs are present.

The size checks are sound because Python's ``zipfile`` never returns more than an
entry's declared size, so a lying header only truncates the data (a CRC error).
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import openpyxl

from model.data.files import check_regular
from model.errors import InputError, Problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


@dataclass(frozen=True)
class Limits:
    """Bounds on a workbook container (generous for real cases)."""

    max_file_bytes: int = 100 * 2**20
    max_total_uncompressed: int = 200 * 2**20
    max_entries: int = 2000
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 10 * 2**20


LIMITS = Limits()


def require_safe_xml() -> None:
    """Refuse to read any workbook unless openpyxl parses XML through defusedxml.

    openpyxl decides at import time; the environment variable
    ``OPENPYXL_DEFUSEDXML=False`` switches the protection off silently.
    """
    if not (getattr(openpyxl, "DEFUSEDXML", False)
            and getattr(openpyxl.xml, "DEFUSEDXML", False)):
        raise InputError(Problem(
            "unsafe XML configuration: openpyxl is not using defusedxml (is "
            "OPENPYXL_DEFUSEDXML set to False, or defusedxml missing?); refusing to "
            "read a workbook"))


def precheck_workbook(path: Path, limits: Limits = LIMITS) -> None:
    """Raise InputError if ``path`` is not a plain, bounded .xlsx container."""
    file = str(path)
    info = path.stat()
    check_regular(path, info.st_size, info.st_mode, limits.max_file_bytes)
    if info.st_size == 0:
        raise InputError(Problem("empty file (0 bytes)", file=file))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise InputError(Problem(
            "workbook is encrypted or a legacy .xls (OLE file); remove the password "
            "and save as .xlsx", file=file))
    if not head.startswith(ZIP_MAGIC):
        raise InputError(Problem(
            "not an Excel .xlsx (zip) file; a case in CSV is a folder of .csv files",
            file=file))
    _check_archive(path, limits)


def _check_archive(path: Path, limits: Limits) -> None:
    file = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, struct.error) as exc:
        raise InputError(Problem(f"corrupt or truncated workbook ({exc})",
                                 file=file)) from None
    problems = _entry_problems(infos, limits, file)
    if problems:
        raise InputError(problems)


def _entry_problems(infos: list[zipfile.ZipInfo], limits: Limits, file: str
                    ) -> list[Problem]:
    names = {i.filename for i in infos}
    if len(infos) > limits.max_entries:
        return [Problem(f"{len(infos):,} zip entries, above the limit of "
                        f"{limits.max_entries:,}", file=file)]
    other = _other_format(names)
    if other:
        return [Problem(f"this is an {other} file, not .xlsx; save it as Excel "
                        "Workbook (.xlsx)", file=file)]
    problems = [Problem(f"unsafe entry name '{i.filename}' in the archive", file=file)
                for i in infos if _escapes(i.filename)]
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_uncompressed:
        problems.append(Problem(
            f"uncompressed size {total:,} bytes is above the limit of "
            f"{limits.max_total_uncompressed:,} (zip bomb?)", file=file))
    problems += [_ratio_problem(i, file) for i in infos if _suspicious(i, limits)]
    problems += [Problem(f"missing part '{part}': not a complete .xlsx workbook",
                         file=file) for part in REQUIRED_PARTS if part not in names]
    return problems


def _other_format(names: set[str]) -> str:
    if "xl/workbook.bin" in names:
        return "Excel binary workbook (.xlsb)"
    if "content.xml" in names or "mimetype" in names:
        return "OpenDocument spreadsheet (.ods)"
    return ""


def _escapes(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.is_absolute() or ".." in pure.parts or ":" in name


def _suspicious(info: zipfile.ZipInfo, limits: Limits) -> bool:
    if info.file_size <= limits.ratio_floor_bytes:
        return False
    return info.file_size > limits.max_ratio * max(info.compress_size, 1)


def _ratio_problem(info: zipfile.ZipInfo, file: str) -> Problem:
    ratio = info.file_size / max(info.compress_size, 1)
    return Problem(f"suspicious compression ratio {ratio:,.0f}:1 in part "
                   f"'{info.filename}' (zip bomb?)", file=file)
