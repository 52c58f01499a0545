"""tables/<name>.csv: the tidy tables for machines (MODEL-SPEC §5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.report.safe_text import csv_safe_frame

TABLE_ORDER = ("summary", "kpi_by_commodity", "shortfall", "production", "builds",
               "flows", "surplus", "stock", "prices", "costs")


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """One CSV per table, text cells neutralised, full float precision."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = [n for n in tables if n not in TABLE_ORDER]
    for name in [*TABLE_ORDER, *extra]:
        csv_safe_frame(tables[name]).to_csv(folder / f"{name}.csv", index=False,
                                            float_format="%.10g")
