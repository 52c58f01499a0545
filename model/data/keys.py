"""Composite keys of index frames as integers, for matching rows with numpy.

A merge of small frames on text keys costs pandas far more than the matching
itself (each key column is factorized, copied and re-typed); the row builders
that only need "which row of B has the key of row i of A" ask ``match_rows``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def match_rows(frame: pd.DataFrame, table: pd.DataFrame, on: list[str]
               ) -> np.ndarray:
    """Per row of ``frame``, the position of the row of ``table`` with the same
    values in the columns ``on`` (``table`` has each key once), -1 where none:
    what ``frame.merge(table.reset_index(), on=on, how="left")`` finds, except
    that a blank matches nothing (a merge matches NaN with NaN)."""
    left, right = key_codes(frame, table, on)
    return pd.Index(right).get_indexer(left)


def key_codes(frame: pd.DataFrame, table: pd.DataFrame, on: list[str]
              ) -> tuple[np.ndarray, np.ndarray]:
    """One int64 per row of each frame for its values in ``on``: equal keys,
    equal codes; a row of ``frame`` with a value ``table`` lacks gets a code no
    row of ``table`` has (so does a blank). Codes grow with the key in the order
    of the columns' sorted values in ``table``."""
    left = np.zeros(len(frame), dtype=np.int64)
    right = np.zeros(len(table), dtype=np.int64)
    for column in on:
        codes, distinct = pd.factorize(table[column], sort=True)
        n = len(distinct)  # code n: a value table lacks; n + 1: a blank in table
        radix = n + 2
        mine = codes_in(frame[column], pd.Index(distinct))
        left = left * radix + np.where(mine < 0, n, mine)
        right = right * radix + np.where(codes < 0, n + 1, codes)
    return left, right


def codes_in(values: pd.Series, names: pd.Index) -> np.ndarray:
    """Each value's position in ``names`` (distinct), -1 for a value ``names``
    lacks or a blank; looked up once per distinct value."""
    codes, distinct = pd.factorize(values)
    return np.append(names.get_indexer(distinct), -1).astype(np.int64)[codes]


def pairs(frame: pd.DataFrame, table: pd.DataFrame, on: list[str]
          ) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j) of every row i of ``frame`` and row j of ``table`` with the
    same values in ``on``, by i then j: the rows of ``frame.merge(table, on=on)``
    in its order, less those a blank would match."""
    left, right = key_codes(frame, table, on)
    rows = np.lexsort((np.arange(len(table)), right))  # by key, then row
    first = np.searchsorted(right[rows], left)
    count = np.searchsorted(right[rows], left, side="right") - first
    i = np.repeat(np.arange(len(frame)), count)
    within = np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count)
    return i, rows[np.repeat(first, count) + within]
