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
    """Copy of ``frame`` with every text cell neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: csv_safe(v) if isinstance(v, str) else v)
    return out
