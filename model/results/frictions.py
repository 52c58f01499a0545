"""Which friction of a real build-out sets each self-sufficient year (issue 14).

Per scenario, ``friction_rows`` lists the binding rows of the frictions that have
duals: the constraint families declared with a ``friction`` label (build rate,
collection, adoption) and
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

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.formulation.declare import ConstraintFamily
from model.results.bottlenecks import BINDING, chain_pairs
from model.solver.records import Solution

COLUMNS = ["scenario", "friction", "stage", "process", "region", "year",
           "value_usd_per_t"]
RAMP_UP, LEAD_TIME, OTHER = "ramp-up", "lead time", "other limits"
RAMPED = 1e-6  # tpa of nameplate not yet usable below this: not ramping


def friction_rows(ix: LPIndex, sol: Solution, scenario: str,
                  families: Iterable[ConstraintFamily]) -> pd.DataFrame:
    """Binding rows of the frictions with duals in one scenario (``COLUMNS``)."""
    makers = _makers(ix.process_io)
    parts = [_family_rows(f, sol, makers) for f in families if f.friction]
    parts.append(_ramp_rows(ix, sol))
    parts = [p for p in parts if len(p)]
    frame = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=COLUMNS))
    frame["scenario"] = scenario
    frame = frame.reindex(columns=COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["value_usd_per_t"] = frame["value_usd_per_t"].astype(float)
    return frame.reset_index(drop=True)


def _makers(process_io: pd.DataFrame) -> pd.Series:
    """The first process making each commodity (where a collection row's scrap
    sits in a supply chain)."""
    if not len(process_io):
        return pd.Series(dtype=object)
    out = process_io[process_io["direction"] == "out"]
    return out.drop_duplicates("commodity").set_index("commodity")["process"]


def _family_rows(family: ConstraintFamily, sol: Solution, makers: pd.Series
                 ) -> pd.DataFrame:
    """Binding rows of one friction family; a row's process is its ``process``
    key, its ``recipe`` (adoption) or the process making its ``scrap``
    (collection)."""
    block = sol.rows.get(family.name)
    if block is None or not len(block.keys):
        return pd.DataFrame(columns=COLUMNS)
    dual = np.abs(np.asarray(sol.row_duals[family.name], dtype=float))
    keys = block.keys

    def key(name: str) -> np.ndarray:
        column = keys[name] if name in keys else pd.Series([""] * len(keys))
        return column.fillna("").astype(str).to_numpy()

    process = key("process")
    if "recipe" in keys:
        process = key("recipe")
    elif "scrap" in keys:
        process = keys["scrap"].map(makers).fillna("").astype(str).to_numpy()
    frame = pd.DataFrame({"friction": family.friction, "stage": key("stage"),
                          "process": process, "region": key("region"),
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
    year = pd.to_numeric(lead["self_sufficient_year"]).to_numpy(
        dtype=float, na_value=np.nan)
    until = np.where(np.isnan(year), end_year + 1, year)
    binding = pd.array(lead["lead_time_binding"], dtype="boolean").fillna(False)
    earliest = pd.to_numeric(lead["earliest_online_year"]).to_numpy(
        dtype=float, na_value=np.nan)
    met = until <= base_year                                       # rule 1
    lead_time = ~met & binding.to_numpy(dtype=bool) & (until <= earliest)  # rule 2
    friction = np.full(len(lead), OTHER, dtype=object)             # rule 4
    stage = np.full(len(lead), "", dtype=object)
    top = _top_frictions(_chain_rows(lead, until, frictions, process_io, processes))
    friction[top.index], stage[top.index] = top["friction"], top["stage"]  # rule 3
    friction[lead_time] = LEAD_TIME
    stage[lead_time] = lead["stage"].astype(str).to_numpy()[lead_time]
    friction[met], stage[met] = "", ""
    out = lead.copy()
    out["friction"] = friction.tolist()
    out["friction_stage"] = stage.tolist()
    return out


def _chain_rows(lead: pd.DataFrame, until: np.ndarray, frictions: pd.DataFrame,
                process_io: pd.DataFrame, processes: pd.DataFrame) -> pd.DataFrame:
    """Friction rows of each lead_times ``row``'s scenario and supply chain in the
    years before its ``until``: rows of a chain's process, and rows of no process
    at a stage of the chain; ``order``: the row's place in ``frictions``."""
    stage_of = processes.set_index("process")["stage"].astype(str)
    rows = frictions.assign(order=np.arange(len(frictions)), stage=np.where(
        frictions["process"].astype(str) != "",
        frictions["process"].map(stage_of).fillna(""), frictions["stage"]))
    keys = pd.DataFrame({"row": np.arange(len(lead)), "until": until,
                         "scenario": lead["scenario"].to_numpy(),
                         "commodity": lead["commodity"].to_numpy()})
    pairs = chain_pairs(process_io, keys["commodity"])
    stages = pairs.assign(stage=pairs["process"].map(stage_of).fillna("")).drop(
        columns="process").drop_duplicates()
    by_process = keys.merge(pairs, on="commodity").merge(
        rows[rows["process"] != ""], on=["scenario", "process"])
    by_stage = keys.merge(stages, on="commodity").merge(
        rows[rows["process"] == ""], on=["scenario", "stage"])
    found = pd.concat([by_process, by_stage], ignore_index=True)
    return found[found["year"] < found["until"]]


def _top_frictions(rows: pd.DataFrame) -> pd.DataFrame:
    """Per ``row`` (index), the friction worth most over the years (each year's
    most valuable row; ties: first by name) and the stage of its rows with the
    largest sum (ties: first by name)."""
    top = rows.sort_values(["row", "value_usd_per_t", "order"],
                           ascending=[True, False, True]).drop_duplicates(
        ["row", "friction", "year"])
    worth = top.groupby(["row", "friction"], as_index=False)["value_usd_per_t"].sum()
    best = _largest(worth, "friction")
    mine = top.merge(best[["row", "friction"]], on=["row", "friction"])
    by_stage = mine.groupby(["row", "stage"], as_index=False)["value_usd_per_t"].sum()
    return best.set_index("row")[["friction"]].assign(
        stage=_largest(by_stage, "stage").set_index("row")["stage"])


def _largest(sums: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per ``row``, the ``name`` of the largest ``value_usd_per_t`` (``sums`` is
    sorted by row and name: ties go to the first name)."""
    return sums.sort_values(["row", "value_usd_per_t"], ascending=[True, False],
                            kind="stable").drop_duplicates("row")
