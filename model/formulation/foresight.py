"""Foresight (MODEL-SPEC §8.2): with ``settings.foresight = none`` a scenario's
decisions before its shock year are its comparator's, fixed as column bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import RPY, LPIndex
from model.data.keys import match_rows
from model.formulation.declare import BoundFamily, Fixed

FLOW = ["origin", "destination", "commodity", "year"]
RCY = ["region", "commodity", "year"]
PINNED = ["variable", "position", "value"]


def foresight_fixed(ix: LPIndex) -> Fixed:
    r"""Decisions taken before the shock year equal the comparator's.

    Math:
        \mathbf{act}_{r,p,y} = \widehat{act}_{r,p,y},\quad
        \mathbf{flow}_{o,d,c,y} = \widehat{flow}_{o,d,c,y},\quad
        \mathbf{release}_{r,c,y} = \widehat{release}_{r,c,y}
        \qquad \forall y < S

        \mathbf{build}_{r,p,y} = \widehat{build}_{r,p,\,y - L_{r,p} + \hat{L}_{r,p}}
        \qquad \forall (r,p,y): y - L_{r,p} < S

    Symbols: S = the scenario's shock year (the earliest ``from_year`` of its
    ``embargo`` and ``export_quota`` rules, base_year if none); \widehat{x} = the
    comparator's solution (``scenarios.compare_to``, default the baseline), 0
    where it has no such variable;
    L, \hat{L} = the lead time of (r, p) in the scenario and in the comparator
    (``processes.lead_time_years`` + ``lead_time_add``): a build the comparator
    decided in year d = \hat{y} - \hat{L} comes online in d + L here.
    Each is a column bound, lower = upper = \widehat{x} (no row: which
    variables are fixed never changes the LP's structure, so a sweep's
    lead-time draws stay bound changes); a value outside the variable's own
    bounds by a solver's tolerance is taken to the nearer bound. Only a
    non-baseline scenario under ``settings.foresight = none`` has fixings
    (``ix.pinned``, from ``pin_to_comparator``); none otherwise.
    Spec: MODEL-SPEC §8.2 "Foresight". Tests: tests/formulation/test_foresight.py.
    """
    pinned = ix.pinned if len(ix.pinned) else pd.DataFrame(columns=PINNED)
    return Fixed(pinned["variable"].to_numpy(dtype=object),
                 pinned["position"].to_numpy(dtype=np.int64),
                 pinned["value"].to_numpy(dtype=float))


def pin_to_comparator(ix: LPIndex, builds: pd.DataFrame, activity: pd.DataFrame,
                      flows: pd.DataFrame, releases: pd.DataFrame) -> pd.DataFrame:
    """The variables of ``ix`` fixed by foresight ``none`` and their values, from
    the comparator's tidy tables: ``builds`` (region, process, online_year,
    capacity_tpa, lead_time), ``activity`` (region, process, year, activity_t),
    ``flows`` (origin, destination, commodity, year, quantity_t), ``releases``
    (region, commodity, year, release_t)."""
    shock = ix.shock_year
    parts = [
        _pinned("act", ix.act, RPY, activity.rename(columns={"activity_t": "v"}),
                ix.act["year"] < shock),
        _pinned("flow", ix.flow, FLOW, flows.rename(columns={"quantity_t": "v"}),
                ix.flow["year"] < shock),
        _pinned("release", ix.stock, RCY, releases.rename(columns={"release_t": "v"}),
                ix.stock["year"] < shock),
        _pinned_builds(ix, builds),
    ]
    return pd.concat(parts, ignore_index=True)


def _pinned(variable: str, frame: pd.DataFrame, keys: list[str],
            values: pd.DataFrame, before: pd.Series) -> pd.DataFrame:
    """Positions of ``frame`` where ``before``, valued by ``values`` on ``keys``
    (0 where the comparator has no row)."""
    rows = frame.loc[before.to_numpy(), keys]
    return _valued(variable, rows, values, keys, "v")


def _pinned_builds(ix: LPIndex, builds: pd.DataFrame) -> pd.DataFrame:
    """Builds decided before the shock year, at the comparator's value of the build
    it decided in the same year."""
    build = ix.build
    decided = build["year"] - build["lead_time"]
    rows = build.loc[(decided < ix.shock_year).to_numpy(), ["region", "process"]]
    rows = rows.assign(decided=decided[decided < ix.shock_year])
    theirs = builds.assign(decided=builds["online_year"] - builds["lead_time"])
    return _valued("build", rows, theirs, ["region", "process", "decided"],
                   "capacity_tpa")


def _valued(variable: str, rows: pd.DataFrame, values: pd.DataFrame,
            keys: list[str], column: str) -> pd.DataFrame:
    """``rows`` (labelled by their position in the variable's frame) with the
    ``column`` of the row of ``values`` that has their key, 0 where none or
    blank: the left merge on ``keys`` (each key once in ``values``; a repeated
    key is refused by the match), matched as integer codes."""
    at = match_rows(rows, values, keys)
    found = np.append(values[column].to_numpy(dtype=float), np.nan)[at]
    return pd.DataFrame({"variable": variable, "position": rows.index.to_numpy(),
                         "value": np.where(np.isnan(found), 0.0, found)})


FORESIGHT = BoundFamily("foresight", foresight_fixed,
                        "decisions before the shock year = comparator's")
