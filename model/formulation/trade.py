"""Trade rules: export quotas (an embargo is a data mask on the flow index)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.data.rules import Scope
from model.formulation.declare import ConstraintFamily, Rows, Terms


def quota_rows(ix: LPIndex) -> Rows:
    r"""Exports out of a quota's target stay within the quota each year.

    Math:
        \sum_{o \in T,\ d \notin T,\ c \in C_q} \mathbf{flow}_{o,d,c,y} \le V_q
        \qquad \forall q \in \mathrm{QUOTA},\ y \ge y^{from}_q

    Symbols: T = regions of ``scenario_rules.target``; C_q = the rule's commodity
    (blank = all commodities together); V_q = ``scenario_rules.value``. An
    offtake delivery from a seller inside T to a buyer outside counts as a flow
    (\mathbf{sale}_{k,s,y} added to the sum, MODEL-SPEC §8.3).
    Embargoes remove the flow and offtake-delivery variables between inside and
    outside of their target from ``from_year`` on (no constraint needed).
    Keys: (rule, year, commodity: the rule's flows' one commodity, else "all"), a
    row per rule and year with at least one such flow.
    Spec: MODEL-SPEC §2 "Scenario rules". Tests: tests/formulation/test_trade.py.
    """
    parts = (("flow", ix.flow, "origin", "destination"),
             ("sale", ix.sale, "seller", "buyer"))
    keys, rhs, rows, positions, families = [], [], [], [], []
    for quota in ix.quotas:
        scope = quota.scope
        outs = [_crossing(scope, frame, o, d) for _, frame, o, d in parts]
        for y in ix.years:
            if y < scope.from_year:
                continue
            found = [np.flatnonzero(out & (frame["year"].to_numpy() == y))
                     for out, (_, frame, _, _) in zip(outs, parts, strict=True)]
            if not sum(len(f) for f in found):
                continue
            names = pd.unique(np.concatenate([
                frame["commodity"].to_numpy(dtype=object)[f]
                for f, (_, frame, _, _) in zip(found, parts, strict=True)]))
            keys.append((quota.label, y, str(names[0]) if len(names) == 1
                         else "all"))
            rhs.append(float(quota.value))
            for f, (family, _, _, _) in zip(found, parts, strict=True):
                rows.append(np.full(len(f), len(keys) - 1))
                positions.append(f)
                families.append(np.full(len(f), family, dtype=object))
    frame = pd.DataFrame(keys, columns=["rule", "year", "commodity"])
    if not keys:
        rows = positions = [np.zeros(0, dtype=np.int64)]
        families = [np.zeros(0, dtype=object)]
    family = np.concatenate(families)
    return Rows(frame, np.array(rhs, dtype=float), (
        Terms(family if (family != "flow").any() else "flow", np.concatenate(rows),
              np.concatenate(positions), 1.0),))


def _crossing(scope: Scope, frame: pd.DataFrame, origin: str, destination: str
              ) -> np.ndarray:
    """Rows of ``frame`` leaving the scope's target (of its commodity, if any)."""
    out = scope.region_mask(frame[origin]) & ~scope.region_mask(frame[destination])
    if scope.commodity is not None:
        out &= (frame["commodity"] == scope.commodity).to_numpy()
    return out


EXPORT_QUOTA = ConstraintFamily("export_quota", "<=", quota_rows,
                                "exports out of the target <= quota")
