"""Adoption caps of alternative recipes: how fast substitution can spread."""

from __future__ import annotations

import numpy as np

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily, Rows, Terms

KEYS = ["region", "recipe", "year"]


def adoption_rows(ix: LPIndex) -> Rows:
    r"""The share of a base process's output made with a recipe stays within the
    recipe's adoption ceiling.

    Math:
        \mathbf{act}_{r,q,y}
        - s_{q,y} \Big(\mathbf{act}_{r,p,y}
        + \sum_{q' \in Q_p} \mathbf{act}_{r,q',y}\Big)
        \le 0
        \qquad \forall (r,q,y) \in \mathrm{REC},\ s_{q,y} < 1

        s_{q,y} = \min\big(\bar{s}_q,\ a_q\,(y - Y^{ready}_q + 1)\big)

    Symbols: q a recipe of base process p (``recipes.recipe``, ``recipes.process``),
    Q_p the recipes of p; \bar{s}_q = ``recipes.max_share``; a_q =
    ``recipes.adoption_per_year`` (blank: s = \bar{s}); Y^{ready}_q =
    ``recipes.ready_year`` (blank = base_year). REC = the act rows of recipes:
    (r, y) of p's act rows with y >= Y^{ready}_q, so before its ready year a recipe
    has no variable. The cap is on the share in use, which may grow by a_q a year
    (a_q in the ready year): s is the largest share a path of yearly increases of
    at most a_q can reach, and since a share variable would cost nothing and only
    relax, fixing it at that ceiling gives the same optimum and keeps the row
    linear. The share is of the base process's output in the region (its
    production of the product), not of the demand the product serves.
    Keys: (region, recipe, year), a row per recipe act row with s < 1.
    Spec: issue 14 item 3 (substitution). Tests: tests/formulation/test_adoption.py.
    """
    rec = ix.recipe_act
    rec = rec[rec["ceiling"].to_numpy(dtype=float) < 1.0].reset_index(drop=True)
    n = len(rec)
    share = rec["ceiling"].to_numpy(dtype=float)
    siblings = rec[["base"]].reset_index(names="row").merge(
        ix.recipe_act[["act", "base"]], on="base").sort_values(["row", "act"])
    siblings = siblings[siblings["act"].to_numpy() != rec["act"].to_numpy()[
        siblings["row"].to_numpy()]]
    row = siblings["row"].to_numpy(dtype=np.int64)
    keys = ix.act.iloc[rec["act"].to_numpy()][["region", "process", "year"]]
    keys = keys.rename(columns={"process": "recipe"}).reset_index(drop=True)
    return Rows(keys, np.zeros(n), (
        Terms("act", np.arange(n), rec["act"].to_numpy(dtype=np.int64), 1.0 - share),
        Terms("act", np.arange(n), rec["base"].to_numpy(dtype=np.int64), -share),
        Terms("act", row, siblings["act"].to_numpy(dtype=np.int64), -share[row]),
    ))


ADOPTION = ConstraintFamily("adoption", "<=", adoption_rows,
                            "share of a base's output made with a recipe <= ceiling",
                            friction="adoption")


