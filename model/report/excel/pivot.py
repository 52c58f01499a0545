"""Sums pivoted wide: ``DataFrame.pivot_table(aggfunc="sum")``'s steps without
its generic checks.

``pivot_table`` with one values column and ``aggfunc="sum"`` groups by index and
columns keys, sums (``agg("sum")``), drops rows that are all missing, unstacks the
columns key with ``fill_value``, sorts the columns when ``sort``, fills what is
missing and drops columns that are all missing. A sum is never missing, so each
drop is a no-op; what is left is the group sum and the unstack, done here the same
way (the same group sums, so the same bits). An empty frame goes to
``pivot_table`` itself.
"""

from __future__ import annotations

import pandas as pd


def pivot_sum(frame: pd.DataFrame, index: str | list[str], columns: str,
              values: str, fill_value: float | None = None, sort: bool = True
              ) -> pd.DataFrame:
    """``frame.pivot_table(index=index, columns=columns, values=values,
    aggfunc="sum", fill_value=fill_value, sort=sort)``: the sum of ``values``
    per index key (rows) and ``columns`` key (columns)."""
    if frame.empty:
        return frame.pivot_table(index=index, columns=columns, values=values,
                                 aggfunc="sum", fill_value=fill_value, sort=sort)
    keys = [index] if isinstance(index, str) else list(index)
    sums = frame.groupby(keys + [columns], sort=sort, observed=True)[values].sum()
    wide = sums.unstack(columns, fill_value=fill_value)
    return wide.sort_index(axis=1) if sort else wide
