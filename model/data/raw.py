"""Raw tables as read from disk, before any interpretation of their values."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from model.data.schema import TABLE_BY_NAME
from model.errors import Problem

CellValue = str | int | float | bool | None


@dataclass
class RawTable:
    """One table as read: header, data rows and the file row number of each."""

    name: str
    file: str
    header: list[str]
    rows: list[list[CellValue]]
    row_numbers: list[int]


class RawCase(dict[str, RawTable]):
    """The tables of a case by name, plus the sheets or files that are no table
    (``unknown``), the files not read whose name starts with a table name
    (``ignored``: demand.txt), and the problems of misnamed tables (``misnamed``,
    reported with the problems of the tables themselves)."""

    def __init__(self) -> None:
        super().__init__()
        self.unknown: dict[str, str] = {}
        self.ignored: dict[str, str] = {}
        self.misnamed: list[Problem] = []


MAX_SHOWN = 60


def shown(value: object) -> str:
    """A cell value quoted for a message: control characters escaped (a NUL byte
    shows as \\x00), and a long value cut to its first characters and its length."""
    text = str(value)
    cut = text[:MAX_SHOWN]
    escaped = "".join(ch if ch.isprintable() or ch == " " else
                      repr(ch)[1:-1] for ch in cut)
    more = f"... ({len(text):,} characters)" if len(text) > MAX_SHOWN else ""
    return f"'{escaped}{more}'"


def normal_name(text: str) -> str:
    """The documented normalisation of sheet, file and header names: Unicode NFKC,
    spaces trimmed, lower case (so ' Demand ' and 'DEMAND' both name 'demand')."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def table_name(title: str) -> str | None:
    """The table a sheet or file stem names, or None."""
    name = normal_name(title)
    return name if name in TABLE_BY_NAME else None
