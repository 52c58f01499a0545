"""Ramp-up curves (MODEL-SPEC §8.2): the share of nameplate that new capacity can use
in its first years in service.

Table ``ramp_up`` gives, per stage or per process, the usable fraction in the
``year_in_service``-th year (the online year is year 1); years beyond the last listed
one are at 1. A process that has rows of its own takes only those (its stage's rows
do not apply to it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.keys import match_rows

CURVE = ["process", "year_in_service", "fraction"]


def ramp_curves(processes: pd.DataFrame, ramp_up: pd.DataFrame) -> pd.DataFrame:
    """One row per (process, year_in_service) with a listed fraction: the process's
    own rows where it has any, else its stage's rows."""
    if ramp_up.empty:
        return pd.DataFrame({"process": pd.Series(dtype=str),
                             "year_in_service": pd.Series(dtype="int64"),
                             "fraction": pd.Series(dtype=float)})
    own = ramp_up[ramp_up["process"] != ""]
    by_stage = ramp_up[(ramp_up["process"] == "") & (ramp_up["stage"] != "")]
    stage_rows = processes[["process", "stage"]].merge(
        by_stage.drop(columns="process"), on="stage")
    stage_rows = stage_rows[~stage_rows["process"].isin(set(own["process"]))]
    curves = pd.concat([own[CURVE], stage_rows[CURVE]], ignore_index=True)
    curves["year_in_service"] = curves["year_in_service"].astype("int64")
    curves["fraction"] = curves["fraction"].astype(float)
    return curves.sort_values(CURVE[:2]).reset_index(drop=True)


def ramp_fraction(curves: pd.DataFrame, process: np.ndarray | pd.Series,
                  year_in_service: np.ndarray | pd.Series) -> np.ndarray:
    """Usable fraction of nameplate for each (process, year in service); 1 where the
    curve lists no fraction (no curve, or beyond its last listed year)."""
    keys = pd.DataFrame({"process": np.asarray(process, dtype=object),
                         "year_in_service": np.asarray(year_in_service,
                                                       dtype=np.int64)})
    if curves.empty or keys.empty:
        return np.ones(len(keys))
    row = match_rows(keys, curves, ["process", "year_in_service"])  # one per key
    fraction = np.append(curves["fraction"].to_numpy(dtype=float), np.nan)[row]
    return np.where(np.isnan(fraction), 1.0, fraction)  # row -1: the NaN
