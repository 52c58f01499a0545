"""Raw tables as read from disk, before any interpretation of their values."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from model.data.schema import TABLE_BY_NAME

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
    """The tables of a case by name, plus the sheets or files that are no table."""

    def __init__(self) -> None:
        super().__init__()
        self.unknown: dict[str, str] = {}


def normal_name(text: str) -> str:
    """The documented normalisation of sheet, file and header names: Unicode NFKC,
    spaces trimmed, lower case (so ' Demand ' and 'DEMAND' both name 'demand')."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def table_name(title: str) -> str | None:
    """The table a sheet or file stem names, or None."""
    name = normal_name(title)
    return name if name in TABLE_BY_NAME else None
