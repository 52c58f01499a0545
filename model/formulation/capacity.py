"""Capacity: activity is limited by available capacity in service."""

from __future__ import annotations

import numpy as np

from model.data.indices import RPY, LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms


def capacity_rows(ix: LPIndex) -> Rows:
    r"""Activity is limited by available capacity.

    Math:
        \mathbf{act}_{r,p,y}
        - \alpha_p \sum_{y - L_p < y' \le y} \rho_{p,y-y'+1}\mathbf{build}_{r,p,y'}
        \le \alpha_p \sum_{k} \rho^{K}_{k,y} K_{k}
        \qquad \forall (r,p,y) \in \mathrm{ACT}

    Symbols: \alpha_p = ``processes.availability``; K_k = ``capacity.capacity_tpa``
    of the capacity rows k of (r, p) in service in y (online_year <= y <
    retire_year, scaled); L_p = ``processes.lifetime_years``. ACT = every (r, p, y)
    with existing capacity or a possible build in service.
    Ramp-up (MODEL-SPEC §8.2): \rho_{p,n} = ``ramp_up.fraction`` of the process's
    curve in its n-th year in service (the online year is n = 1; 1 beyond the
    curve or without one); \rho^{K}_{k,y} = \rho_{p, y - online_year_k + 1} for a
    capacity row online after base_year, else 1. The curve is the process's own
    rows of ``ramp_up`` if it has any, else those of its stage.
    Recipes (table ``recipes``): a recipe q of base process p runs on p's
    capacity: p's row reads \mathbf{act}_{r,p,y} + \sum_q \mathbf{act}_{r,q,y}
    on the left, and q's own row bounds \mathbf{act}_{r,q,y} alone by p's
    capacity (\alpha_p, K and builds of p; implied by p's row, kept so the rows
    stay one per act row).
    Keys: (region, process, year), one row per ``act``.
    Spec: MODEL-SPEC §3 "Capacity". Tests: tests/formulation/test_capacity.py.
    """
    n = len(ix.act)
    alpha = ix.act["availability"].to_numpy(dtype=float)
    act = ix.build_window["act"].to_numpy()
    build = ix.build_window["build"].to_numpy()
    fraction = ix.build_window["fraction"].to_numpy(dtype=float)
    rhs = alpha * ix.act["existing_usable_tpa"].to_numpy(dtype=float)
    return Rows(ix.act[RPY].reset_index(drop=True), rhs, (
        Terms("act", np.arange(n), np.arange(n), 1.0),
        Terms("build", act, build, -alpha[act] * fraction),
    ) + _recipe_terms(ix, alpha))


def _recipe_terms(ix: LPIndex, alpha: np.ndarray) -> tuple[Terms, ...]:
    """A recipe's activity in its base's row; in the recipe's own row, the base's
    builds (the recipe's row then repeats a weaker form of the base's)."""
    recipe = ix.recipe_act
    if recipe.empty:
        return ()
    own = recipe[["act", "base"]].merge(
        ix.build_window.rename(columns={"act": "base"}), on="base").sort_values(
        ["act", "build"], kind="stable")
    act = own["act"].to_numpy()
    return (Terms("act", recipe["base"].to_numpy(), recipe["act"].to_numpy(), 1.0),
            Terms("build", act, own["build"].to_numpy(),
                  -alpha[act] * own["fraction"].to_numpy(dtype=float)))


CAPACITY = ConstraintFamily("capacity_limit", "<=", capacity_rows,
                            "activity <= availability x capacity")
