"""tables/<name>.csv: the tidy tables for machines (MODEL-SPEC §5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.report.safe_text import csv_safe_frame
from model.results.tables import checked


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """One CSV per registered table (model/results/tables.py), in registry order,
    text cells neutralised, full float precision."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in checked(tables).items():
        csv_safe_frame(frame).to_csv(folder / f"{name}.csv", index=False,
                                     float_format="%.10g")
