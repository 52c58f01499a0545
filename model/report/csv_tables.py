"""tables/<name>.csv: the tidy tables for machines (MODEL-SPEC §5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from model.report.safe_text import csv_safe_frame
from model.results.tables import checked

FLOAT_FORMAT = "%.10g"


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """One CSV per registered table (model/results/tables.py), in registry order,
    text cells neutralised, full float precision."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in checked(tables).items():
        formatted(csv_safe_frame(frame)).to_csv(folder / f"{name}.csv", index=False,
                                                float_format=FLOAT_FORMAT)


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each float64 column as the text ``to_csv`` writes for it
    (``FLOAT_FORMAT``, blank for NaN), each distinct value formatted once: the
    tables hold many equal numbers (zeros, repeated coefficients)."""
    out = None
    for j, dtype in enumerate(frame.dtypes):
        if dtype == np.float64:
            out = frame.copy(deep=False) if out is None else out
            out.isetitem(j, float_texts(frame.iloc[:, j].to_numpy()))
    return frame if out is None else out


def float_texts(values: np.ndarray) -> np.ndarray:
    """``FLOAT_FORMAT % v`` of every value, '' for NaN (distinct bit patterns
    apart, so -0.0 stays '-0')."""
    codes, distinct = pd.factorize(values.view(np.int64))
    texts = np.array([FLOAT_FORMAT % v for v in distinct.view(np.float64)] + [""],
                     dtype=object)
    return texts[np.where(np.isnan(values), len(distinct), codes)]
