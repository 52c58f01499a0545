"""The balance rows' terms and the surplus variables, assembled as integer codes.

Every variable's coefficient in every balance row (region, commodity, year) is
one row of ``balance_terms``; a region or commodity is carried as its rank among
the case's sorted names until the frame is made, so sorting and de-duplicating
the terms is numpy work on integers, and each text column is made once, by
taking from the sorted names (no text is copied to Python strings and back).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.keys import codes_in, pairs

RCY = ["region", "commodity", "year"]  # a balance row's key
FAMILIES = ("act", "flow", "release", "short", "sale", "surplus")


@dataclass
class _Part:
    """Terms of one variable family: region and commodity codes, years,
    positions in the family's frame, coefficients."""

    family: int
    region: np.ndarray
    commodity: np.ndarray
    year: np.ndarray
    position: np.ndarray
    coef: np.ndarray


def balance_terms(act: pd.DataFrame, net: pd.DataFrame, others: list[tuple[
        str, pd.DataFrame, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(terms, surplus): the terms of ``act`` (its rows' region and year, the
    commodities and net coefficients of ``net`` for the row's process, in
    ``net``'s order) and of each ``(family, frame, region column, coefficient)``
    of ``others``, then the surplus terms (coefficient -1) of every (region,
    commodity, year) some term other than ``short`` brings in; sorted by (region,
    commodity, year), stably (family by family, each in its frame's order). The
    surplus frame holds those keys, sorted."""
    regions = _names([act["region"]] + [f[r] for _, f, r, _ in others])
    commodities = _names([net["commodity"]] + [f["commodity"] for _, f, _, _ in
                                               others])
    parts = [_act_part(act, net, regions, commodities)] + [
        _Part(FAMILIES.index(family), codes_in(frame[region], regions),
              codes_in(frame["commodity"], commodities), _years(frame),
              np.arange(len(frame)), np.full(len(frame), coef))
        for family, frame, region, coef in others]
    surplus = _surplus(parts, len(commodities))
    parts.append(surplus)
    terms = _frame(parts, regions, commodities)
    keys = _keys(surplus, regions, commodities)
    return terms, keys


def term_rows(terms: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Each term's balance row and the rows' keys (region, commodity, year):
    ``terms`` (``balance_terms``) are sorted by key, so a row is a run of equal
    keys, numbered in order."""
    new = np.zeros(len(terms), dtype=bool)  # the first term of a row
    new[:1] = True
    for column in RCY:  # integer codes: equal keys, equal codes
        values = pd.factorize(terms[column])[0]
        new[1:] |= values[1:] != values[:-1]
    keys = terms[RCY].iloc[np.flatnonzero(new)].reset_index(drop=True)
    return np.cumsum(new) - 1, keys


def _names(columns: list[pd.Series]) -> pd.Index:
    """The sorted distinct text of ``columns``."""
    found: set[str] = set()
    for column in columns:
        found.update(pd.unique(column))
    return pd.Index(sorted(found), dtype=object)


def _years(frame: pd.DataFrame) -> np.ndarray:
    return frame["year"].to_numpy(dtype=np.int64)


def _act_part(act: pd.DataFrame, net: pd.DataFrame, regions: pd.Index,
              commodities: pd.Index) -> _Part:
    """Per act row, one term per entry of its process in ``net`` (what
    ``act.merge(net, on="process")`` gives, in that order)."""
    rows, entry = pairs(act, net, ["process"])
    return _Part(FAMILIES.index("act"),
                 codes_in(act["region"], regions)[rows],
                 codes_in(net["commodity"], commodities)[entry],
                 _years(act)[rows], rows,
                 net["net"].to_numpy(dtype=float)[entry])


def _surplus(parts: list[_Part], n_commodities: int) -> _Part:
    """A surplus term (-1) per distinct (region, commodity, year) with a term of
    positive coefficient that is not a shortfall, in key order."""
    short = FAMILIES.index("short")
    supply = [(p.region[p.coef > 0], p.commodity[p.coef > 0], p.year[p.coef > 0])
              for p in parts if p.family != short]
    region = np.concatenate([s[0] for s in supply])
    commodity = np.concatenate([s[1] for s in supply])
    year = np.concatenate([s[2] for s in supply])
    y0 = int(year.min()) if len(year) else 0
    span = int(year.max()) - y0 + 1 if len(year) else 1
    key = np.unique((region * n_commodities + commodity) * span + (year - y0))
    rc, y = np.divmod(key, span)
    r, c = np.divmod(rc, n_commodities)
    return _Part(FAMILIES.index("surplus"), r, c, y + y0, np.arange(len(key)),
                 np.full(len(key), -1.0))


def _frame(parts: list[_Part], regions: pd.Index, commodities: pd.Index
           ) -> pd.DataFrame:
    region = np.concatenate([p.region for p in parts])
    commodity = np.concatenate([p.commodity for p in parts])
    year = np.concatenate([p.year for p in parts])
    order = np.lexsort((year, commodity, region))  # stable: parts in order
    family = np.concatenate([np.full(len(p.year), p.family) for p in parts])
    return pd.DataFrame({
        "region": _text(regions, region[order]),
        "commodity": _text(commodities, commodity[order]),
        "year": year[order],
        "family": _text(pd.Index(FAMILIES, dtype=object), family[order]),
        "position": np.concatenate([p.position for p in parts])[order],
        "coef": np.concatenate([p.coef for p in parts])[order],
    })


def _keys(part: _Part, regions: pd.Index, commodities: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"region": _text(regions, part.region),
                         "commodity": _text(commodities, part.commodity),
                         "year": part.year})


def _text(names: pd.Index, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``names[codes]`` as a text column, made by one take from the names."""
    return pd.array(names.to_numpy(), dtype="str").take(codes)
