"""Neutralising text that came from inputs before it reaches a spreadsheet.

A cell starting with a formula trigger (OWASP CSV injection; ASVS 1.2.10) is
written inert: in CSV with a leading apostrophe, in xlsx as a string cell with the
``quotePrefix`` style, so the exact text survives and nothing is evaluated.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d",
            "\uff20")


def is_dangerous(text: str) -> bool:
    return text.lstrip(" ").startswith(TRIGGERS)


def csv_safe(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would read as a formula."""
    return "'" + text if is_dangerous(text) else text


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell neutralised: ``frame`` itself when no column
    needs mapping (``needs_neutralising``), else a copy with those mapped."""
    out = frame
    for j, column in enumerate(frame.columns):
        values = frame.iloc[:, j]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if needs_neutralising(values):
                out = out.copy() if out is frame else out
                out[column] = values.map(_csv_safe_value)
    return out


def needs_neutralising(values: pd.Series) -> bool:
    """Whether ``csv_safe_frame`` must map text column ``values``: the rule is
    applied once per distinct text of a column of only text (and missing
    values); any other object column is always mapped (its ``map`` may turn
    numbers held as objects into a numeric column, which the CSV writes in its
    float format)."""
    try:
        distinct = values.dropna().unique().tolist()
    except TypeError:  # unhashable values
        return True
    if not all(isinstance(v, str) for v in distinct):
        return True
    return any(map(is_dangerous, distinct))


def _csv_safe_value(value: object) -> object:
    return csv_safe(value) if isinstance(value, str) else value
