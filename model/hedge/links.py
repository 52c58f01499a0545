r"""Which variables are the same decision in two scenarios' LPs.

A decision of year y is the activity, flows and stock releases of year y, and
each build decided in y (decision year = online year − the scenario's lead time,
as foresight ``none`` counts it, MODEL-SPEC §8.2). Two scenarios that share the
years before ``until`` have, for every such decision, a non-anticipativity row

    x^a_k - x^b_k = 0

where a decision one of them lacks (its index has no such variable, or the
variable appears in none of its rows) counts as 0 there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.indices import RCY, RPY, LPIndex
from model.solver.records import LinearProgram

FLOW = ["origin", "destination", "commodity", "year"]
BUILD = ["region", "process", "decided"]


@dataclass(frozen=True)
class Decisions:
    """The decision variables of one scenario: (family, key columns, frame with
    the keys and a ``year`` of decision, the LP)."""

    index: LPIndex
    program: LinearProgram

    def frames(self) -> dict[str, tuple[list[str], pd.DataFrame]]:
        ix = self.index
        build = ix.build[["region", "process"]].assign(
            decided=(ix.build["year"] - ix.build["lead_time"]).to_numpy())
        return {
            "act": (RPY, ix.act[RPY].assign(when=ix.act["year"].to_numpy())),
            "flow": (FLOW, ix.flow[FLOW].assign(when=ix.flow["year"].to_numpy())),
            "release": (RCY, ix.stock[RCY].assign(when=ix.stock["year"].to_numpy())),
            "build": (BUILD, build.assign(when=build["decided"].to_numpy())),
        }


def paired_columns(a: Decisions, b: Decisions, until: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(column in a's LP, column in b's LP) of every decision taken before
    ``until`` by either; -1 where that scenario has no such column."""
    cols_a, cols_b = [], []
    frames_b = b.frames()
    for family, (keys, frame_a) in a.frames().items():
        frame_b = frames_b[family][1]
        left = frame_a[frame_a["when"] < until].reset_index(names="pa")
        right = frame_b[frame_b["when"] < until].reset_index(names="pb")
        both = left[[*keys, "pa"]].merge(right[[*keys, "pb"]], on=keys, how="outer")
        cols_a.append(_columns(a.program, family, both["pa"]))
        cols_b.append(_columns(b.program, family, both["pb"]))
    ca, cb = np.concatenate(cols_a), np.concatenate(cols_b)
    keep = (ca >= 0) | (cb >= 0)
    return ca[keep], cb[keep]


def _columns(program: LinearProgram, family: str, positions: pd.Series
             ) -> np.ndarray:
    columns = program.column_of[family]
    pos = positions.to_numpy(dtype=float)
    present = ~np.isnan(pos)
    out = np.full(len(pos), -1, dtype=np.int64)
    out[present] = columns[pos[present].astype(np.int64)]
    return out


def decision_years_before(frames: dict[str, tuple[list[str], pd.DataFrame]],
                          until: int) -> dict[str, np.ndarray]:
    """Positions of each family's decisions taken before ``until``."""
    return {f: np.flatnonzero((frame["when"] < until).to_numpy())
            for f, (_keys, frame) in frames.items()}
