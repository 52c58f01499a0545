"""Which friction of a real build-out sets each self-sufficient year (issue 14).

Per scenario, ``friction_rows`` lists the binding rows of the frictions that have
duals: the constraint families declared with a ``friction`` label (build rate) and
the capacity rows of plants still ramping up (ramp-up acts through them). Each row's
``value_usd_per_t`` is what one more tonne (tpa) of it would save, in base-year
money: |dual| of a friction family's row; |dual| × availability of a capacity row,
per tonne of usable capacity of the ramping plant.

``attribute`` adds to ``lead_times`` the friction that sets the date of each
commodity's self-sufficient year Y (the horizon's end + 1 when never reached),
within its supply chain (``bottlenecks.supply_chain``):

1. no friction (blank) when the commodity is met from base_year;
2. ``lead time`` when the chain's last stage came online in the earliest year its
   lead time allowed (``lead_time_binding``) and Y is no later than that year:
   nothing else could have brought it forward;
3. otherwise the friction worth most over the years before Y (the years still
   short): a friction's worth in a year is the value of its most valuable binding
   row that year (so a friction with many rows, one per plant, does not win by
   their number), summed over those years; its stage is the stage of those rows
   with the largest sum;
4. else ``other limits``: the year comes later than the lead time allows and no
   friction binds, so capacity, expansion or reserve limits (or cost) set it (see
   the binding limits).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily
from model.results.bottlenecks import BINDING, supply_chain
from model.solver.records import Solution

COLUMNS = ["scenario", "friction", "stage", "process", "region", "year",
           "value_usd_per_t"]
RAMP_UP, LEAD_TIME, OTHER = "ramp-up", "lead time", "other limits"
RAMPED = 1e-6  # tpa of nameplate not yet usable below this: not ramping


def friction_rows(ix: LPIndex, sol: Solution, scenario: str,
                  families: Iterable[ConstraintFamily]) -> pd.DataFrame:
    """Binding rows of the frictions with duals in one scenario (``COLUMNS``)."""
    parts = [_family_rows(f, sol) for f in families if f.friction]
    parts.append(_ramp_rows(ix, sol))
    parts = [p for p in parts if len(p)]
    frame = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=COLUMNS))
    frame["scenario"] = scenario
    frame = frame.reindex(columns=COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["value_usd_per_t"] = frame["value_usd_per_t"].astype(float)
    return frame.reset_index(drop=True)


def _family_rows(family: ConstraintFamily, sol: Solution) -> pd.DataFrame:
    block = sol.rows.get(family.name)
    if block is None or not len(block.keys):
        return pd.DataFrame(columns=COLUMNS)
    dual = np.abs(np.asarray(sol.row_duals[family.name], dtype=float))
    keys = block.keys

    def key(name: str) -> np.ndarray:
        column = keys[name] if name in keys else pd.Series([""] * len(keys))
        return column.fillna("").astype(str).to_numpy()

    frame = pd.DataFrame({"friction": family.friction, "stage": key("stage"),
                          "process": key("process"), "region": key("region"),
                          "year": keys["year"].to_numpy(), "value_usd_per_t": dual})
    return frame[dual > BINDING]


def _ramp_rows(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """Binding capacity rows of (region, process, year) with ramping capacity in
    service: a build below its full fraction, or a ``capacity`` row online after
    base_year still on its curve."""
    dual = np.abs(np.asarray(sol.row_duals.get("capacity_limit",
                                               np.zeros(len(ix.act))), dtype=float))
    window = ix.build_window
    build = np.asarray(sol.values["build"], dtype=float)
    lost = np.bincount(window["act"].to_numpy(dtype=np.int64),
                       weights=(1.0 - window["fraction"].to_numpy(dtype=float))
                       * build[window["build"].to_numpy(dtype=np.int64)],
                       minlength=len(ix.act)).astype(float)
    lost = lost + (ix.act["existing_tpa"].to_numpy(dtype=float)
             - ix.act["existing_usable_tpa"].to_numpy(dtype=float))
    ramping = (lost > RAMPED) & (dual > BINDING)
    frame = ix.act.loc[ramping, ["region", "process", "year"]].copy()
    frame["friction"], frame["stage"] = RAMP_UP, ""
    frame["value_usd_per_t"] = (dual * ix.act["availability"].to_numpy(
        dtype=float))[ramping]
    return frame


def attribute(lead: pd.DataFrame, frictions: pd.DataFrame,
              process_io: pd.DataFrame, processes: pd.DataFrame,
              base_year: int, end_year: int) -> pd.DataFrame:
    """``lead`` (lead_times) with ``friction`` and ``friction_stage``: the friction
    that sets each self-sufficient year, by the rule of the module docstring."""
    stage_of = processes.set_index("process")["stage"].astype(str)
    rows = frictions.assign(stage=np.where(
        frictions["process"].astype(str) != "",
        frictions["process"].map(stage_of).fillna(""), frictions["stage"]))
    chains: dict[str, set[str]] = {}
    found = []
    for k in lead.itertuples(index=False):
        chain = chains.setdefault(k.commodity, supply_chain(process_io, k.commodity))
        stages = {str(stage_of.get(p, "")) for p in chain}
        mine = rows[(rows["scenario"] == k.scenario) & (
            rows["process"].isin(chain)
            | ((rows["process"] == "") & rows["stage"].isin(stages)))]
        found.append(_friction(k, mine, base_year, end_year))
    out = lead.copy()
    out["friction"] = [f for f, _ in found]
    out["friction_stage"] = [s for _, s in found]
    return out


def _friction(k: Any, rows: pd.DataFrame, base_year: int, end_year: int
              ) -> tuple[str, str]:
    """(friction, stage) for one lead_times row ``k`` and its chain's rows."""
    year = k.self_sufficient_year
    until = end_year + 1 if pd.isna(year) else int(year)
    if until <= base_year:
        return "", ""
    binding = k.lead_time_binding
    lead_bound = bool(binding) if not pd.isna(binding) else False
    earliest = k.earliest_online_year
    stage = str(k.stage)
    if lead_bound and not pd.isna(earliest) and until <= int(earliest):
        return LEAD_TIME, stage
    short = rows[rows["year"] < until]
    if len(short):
        top = short.sort_values("value_usd_per_t", ascending=False, kind="stable")
        top = top.groupby(["friction", "year"], sort=True).head(1)
        by_friction = top.groupby("friction")["value_usd_per_t"].sum()
        name = str(by_friction.sort_values(ascending=False, kind="stable").index[0])
        mine = top[top["friction"] == name]
        by_stage = mine.groupby("stage")["value_usd_per_t"].sum()
        return name, str(by_stage.sort_values(ascending=False, kind="stable").index[0])
    return OTHER, ""
