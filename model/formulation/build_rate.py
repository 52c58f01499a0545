"""Build-rate limits: how fast a stage can be built (MODEL-SPEC §8.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms

KEYS = ["limit", "stage", "target", "year"]


def build_rate_rows(ix: LPIndex) -> Rows:
    r"""New capacity of a stage coming online in one year, summed over the target's
    regions, stays within the limit.

    Math:
        \sum_{r \in T_l,\ p \in P_{s_l}} \mathbf{build}_{r,p,y} \le G_l
        \qquad \forall l \in \mathrm{BLIM},\ y^{from}_l \le y < y^{until}_l

    Symbols: s_l = ``build_limits.stage`` and P_s its processes; T_l = the regions
    of ``build_limits.target`` (a region or a bloc, blank = all regions);
    G_l = ``build_limits.max_new_tpa_per_year``; y^{from}_l = ``from_year``
    (blank = base_year), y^{until}_l = the next from_year of a row with the same
    stage and target (end_year + 1 for the last), so rows of one stage and target
    form a schedule. \mathbf{build}_{r,p,y} is capacity coming online in y (the
    per-(region, process) limit ``expansion.max_new_tpa_per_year`` is a bound).
    Keys: (limit: the row's position in ``build_limits``, stage, target, year), a
    row per limit and year with at least one build.
    Spec: MODEL-SPEC §8.2 "Build-rate limits".
    Tests: tests/formulation/test_build_rate.py.
    """
    build = ix.build
    region, stage = build["region"].to_numpy(), build["stage"].to_numpy()
    year = build["year"].to_numpy()
    keys, rhs, rows, positions = [], [], [], []
    for limit in ix.build_limits.itertuples(index=False):
        inside = stage == limit.stage
        if limit.regions is not None:
            inside &= np.isin(region, list(limit.regions))
        for y in range(limit.from_year, limit.until_year):
            found = np.flatnonzero(inside & (year == y))
            if len(found):
                keys.append((limit.limit, limit.stage, limit.target, y))
                rhs.append(float(limit.max_new_tpa_per_year))
                rows.append(np.full(len(found), len(keys) - 1))
                positions.append(found)
    if not keys:
        rows = positions = [np.zeros(0, dtype=np.int64)]
    return Rows(pd.DataFrame(keys, columns=KEYS), np.array(rhs, dtype=float), (
        Terms("build", np.concatenate(rows), np.concatenate(positions), 1.0),))


BUILD_RATE = ConstraintFamily("build_rate", "<=", build_rate_rows,
                              "new capacity of a stage online per year <= limit",
                              friction="build rate")
