"""Capacity: activity is limited by available capacity in service."""

from __future__ import annotations

import numpy as np

from model.data.indices import RPY, LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms


def capacity_rows(ix: LPIndex) -> Rows:
    r"""Activity is limited by available capacity.

    Math:
        \mathbf{act}_{r,p,y}
        - \alpha_p \sum_{y - L_p < y' \le y} \mathbf{build}_{r,p,y'}
        \le \alpha_p K_{r,p,y} \qquad \forall (r,p,y) \in \mathrm{ACT}

    Symbols: \alpha_p = ``processes.availability``; K = ``capacity.capacity_tpa``
    in service in y (online_year <= y < retire_year, scaled); L_p =
    ``processes.lifetime_years``. ACT = every (r, p, y) with existing capacity or a
    possible build in service.
    Keys: (region, process, year), one row per ``act``.
    Spec: MODEL-SPEC §3 "Capacity". Tests: tests/formulation/test_capacity.py.
    """
    n = len(ix.act)
    alpha = ix.act["availability"].to_numpy(dtype=float)
    act = ix.build_window["act"].to_numpy()
    build = ix.build_window["build"].to_numpy()
    rhs = alpha * ix.act["existing_tpa"].to_numpy(dtype=float)
    return Rows(ix.act[RPY].reset_index(drop=True), rhs, (
        Terms("act", np.arange(n), np.arange(n), 1.0),
        Terms("build", act, build, -alpha[act]),
    ))


CAPACITY = ConstraintFamily("capacity_limit", "<=", capacity_rows,
                            "activity <= availability x capacity")
