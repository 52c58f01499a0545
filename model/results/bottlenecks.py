"""What limits the answer: binding limits with their duals, and lead-time stages.

Two tables for the report's Bottlenecks sheet (and ``tables/*.csv``):

``bottlenecks`` — every binding capacity, expansion, build-rate, reserve and
export-quota limit of a scenario with ``value_usd_per_t``: what one more tonne (per
year) of that limit would save. Limits of one year (capacity, per-year build limit,
build rate of a stage, export quota) are
undiscounted to that year's money, like prices; limits over the whole horizon (total
expansion, reserve) are in base-year money. A limit is binding when its dual (or, for
the per-year build limit, the build's reduced cost) is nonzero.

``lead_times`` — per scenario and commodity, the stage whose new capacity came online
last among the stages of the commodity's supply chain (see ``lead_time_stages``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.results.tables import columns_of
from model.solver.records import Solution

BINDING = 1e-6  # |dual| in USD below this counts as not binding
COLUMNS = columns_of("bottlenecks")
LEAD_COLUMNS = columns_of("lead_times")


def _undiscount(ix: LPIndex, years: pd.Series) -> np.ndarray:
    return years.map(ix.discount).to_numpy(dtype=float)


def capacity_rows(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """Binding ``capacity_limit``: value of one more tpa of nameplate capacity."""
    dual = sol.row_duals.get("capacity_limit", np.zeros(len(ix.act)))
    frame = ix.act[["region", "process", "year"]].copy()
    frame["limit"] = "capacity"
    frame["limit_t"] = sol.values["act"]
    frame["value_usd_per_t"] = (-dual * ix.act["availability"].to_numpy()
                                / _undiscount(ix, ix.act["year"]))
    frame["money"] = "that year"
    return frame[np.abs(dual) > BINDING]


def build_limit_rows(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """Builds at their per-year limit: value of one more tpa allowed that year.
    A build fixed by foresight (its comparator's decision, a bound family) is at
    its fixing, not at a limit: its reduced cost is the fixing's."""
    cost = sol.col_duals.get("build", np.zeros(len(ix.build)))
    limit = ix.build["max_per_year"].to_numpy(dtype=float)
    at_limit = (np.isfinite(limit) & (sol.values["build"] >= limit - 1e-6)
                & (ix.build["year"] >= ix.build["open_from"]).to_numpy()
                & ~_fixed(ix, "build", len(ix.build)))
    frame = ix.build[["region", "process", "year"]].copy()
    frame["limit"] = "expansion per year"
    frame["limit_t"] = limit
    frame["value_usd_per_t"] = -cost / _undiscount(ix, ix.build["year"])
    frame["money"] = "that year"
    return frame[at_limit & (np.abs(cost) > BINDING)]


def _fixed(ix: LPIndex, family: str, size: int) -> np.ndarray:
    """Which variables of ``family`` foresight fixes (``ix.pinned``)."""
    fixed = np.zeros(size, dtype=bool)
    if len(ix.pinned):
        mine = ix.pinned[ix.pinned["variable"] == family]
        fixed[mine["position"].to_numpy(dtype=np.int64)] = True
    return fixed


def expansion_rows(sol: Solution) -> pd.DataFrame:
    """Binding ``expansion_total`` rows: value of one more tpa of total expansion."""
    return _horizon(sol, "expansion_total", "expansion total")


def reserve_rows(sol: Solution) -> pd.DataFrame:
    """Binding ``reserve_limit`` rows: value of one more tonne of reserve."""
    return _horizon(sol, "reserve_limit", "reserve")


def _horizon(sol: Solution, family: str, limit: str) -> pd.DataFrame:
    """Binding rows of a limit over the whole horizon, keyed by (region, process)."""
    block = sol.rows[family]
    dual = sol.row_duals[family]
    frame = block.keys[["region", "process"]].copy()
    frame["limit_t"] = block.rhs
    frame["limit"] = limit
    frame["value_usd_per_t"] = -dual
    frame["money"] = "base year"
    return frame[np.abs(dual) > BINDING]


def quota_rows(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """Binding ``export_quota`` rows: value of one more tonne of quota that year."""
    block = sol.rows["export_quota"]
    dual = sol.row_duals["export_quota"]
    frame = pd.DataFrame({"region": block.keys["rule"].to_numpy(),
                          "year": block.keys["year"].to_numpy(),
                          "commodity": block.keys["commodity"].to_numpy(),
                          "limit_t": block.rhs})
    frame["limit"] = "export quota"
    frame["value_usd_per_t"] = -dual / _undiscount(ix, frame["year"]) if len(
        frame) else np.zeros(0)
    frame["money"] = "that year"
    return frame[np.abs(dual) > BINDING]


def build_rate_rows(ix: LPIndex, sol: Solution) -> pd.DataFrame:
    """Binding ``build_rate`` rows (``build_limits``): value of one more tpa of a
    stage allowed online that year in the target (``region``: the target, "all"
    when blank; ``process``: the stage)."""
    block = sol.rows.get("build_rate")
    if block is None or not len(block.keys):
        return pd.DataFrame(columns=COLUMNS)
    dual = sol.row_duals["build_rate"]
    target = block.keys["target"]
    frame = pd.DataFrame({
        "region": ["all" if pd.isna(t) or not str(t) else str(t) for t in target],
        "process": block.keys["stage"].astype(str).to_numpy(),
        "year": block.keys["year"].to_numpy(), "limit_t": block.rhs})
    frame["limit"] = "build rate"
    frame["value_usd_per_t"] = -dual / _undiscount(ix, frame["year"])
    frame["money"] = "that year"
    return frame[np.abs(dual) > BINDING]


def binding_limits(ix: LPIndex, sol: Solution, scenario: str) -> pd.DataFrame:
    """Every binding limit of one scenario, ranked by value (largest first)."""
    parts = [f for f in (capacity_rows(ix, sol), build_limit_rows(ix, sol),
                         build_rate_rows(ix, sol), expansion_rows(sol),
                         reserve_rows(sol), quota_rows(ix, sol)) if len(f)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=COLUMNS)
    frame = frame.sort_values("value_usd_per_t", ascending=False, kind="stable")
    frame["scenario"] = scenario
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame = frame.reindex(columns=COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    for column in ("limit", "region", "process", "commodity", "money"):
        frame[column] = _text(frame[column])
    frame["limit_t"] = np.where(np.abs(frame["limit_t"].astype(float)) < BINDING, 0.0,
                                frame["limit_t"].astype(float))
    return frame.reset_index(drop=True)


def build_options(ix: LPIndex, scenario: str) -> pd.DataFrame:
    """Earliest online year and lead time of every buildable (region, process) in
    a scenario (foresight ``none`` reads the comparator's lead times here)."""
    groups = ix.build.groupby(["region", "process"])
    frame = groups["open_from"].min().rename("earliest_online_year").reset_index()
    frame["lead_time"] = groups["lead_time"].first().to_numpy()
    frame.insert(0, "scenario", scenario)
    return frame


def _text(column: pd.Series) -> pd.Series:
    """Text with blanks for missing values."""
    return column.astype(object).fillna("").astype(str)


def supply_chain(process_io: pd.DataFrame, commodity: str) -> set[str]:
    """Processes that make ``commodity`` or, recursively, one of their inputs."""
    return supply_chains(process_io, [commodity])[commodity]


def supply_chains(process_io: pd.DataFrame, commodities: Iterable[str]
                  ) -> dict[str, set[str]]:
    """``supply_chain`` of each commodity, the process links read once."""
    producers: dict[str, set[str]] = {}
    inputs: dict[str, set[str]] = {}
    for process, commodity, direction in zip(
            process_io["process"], process_io["commodity"], process_io["direction"]):
        if direction == "out":
            producers.setdefault(commodity, set()).add(process)
        elif direction == "in":
            inputs.setdefault(process, set()).add(commodity)
    return {c: _walk(producers, inputs, c) for c in dict.fromkeys(commodities)}


def _walk(producers: dict[str, set[str]], inputs: dict[str, set[str]],
          commodity: str) -> set[str]:
    found: set[str] = set()
    todo, seen = [commodity], {commodity}
    while todo:
        for process in producers.get(todo.pop(), set()) - found:
            found.add(process)
            for c in inputs.get(process, set()) - seen:
                seen.add(c)
                todo.append(c)
    return found


def chain_pairs(process_io: pd.DataFrame, commodities: Iterable[str]
                ) -> pd.DataFrame:
    """(commodity, process) for every process of each commodity's supply chain."""
    chains = supply_chains(process_io, commodities)
    return pd.DataFrame([(c, p) for c, chain in chains.items() for p in sorted(chain)],
                        columns=["commodity", "process"], dtype=object)


def lead_time_stages(kpi: pd.DataFrame, builds: pd.DataFrame, options: pd.DataFrame,
                     process_io: pd.DataFrame, processes: pd.DataFrame,
                     commodities: pd.DataFrame, end_year: int) -> pd.DataFrame:
    """Per scenario and commodity, the stage whose new capacity came online last.

    Within the commodity's supply chain, each stage's first online year is the
    earliest online year of any new build of that stage up to the self-sufficient
    year (the horizon's end when never self-sufficient). The stage with the latest
    first online year is the last link of the chain to come online: it sets the
    self-sufficient year. ``lead_time_binding`` says that build came online in the
    earliest year its lead time allowed, so only a shorter lead time at that stage
    (or capacity elsewhere) could bring the year forward. No stage (blank) when
    the chain needed no new capacity.
    """
    stage = processes.set_index("process")["stage"]
    element = commodities.set_index("commodity")["element"]
    year = kpi["self_sufficient_year"]
    rows = pd.DataFrame({"row": np.arange(len(kpi)),
                         "scenario": kpi["scenario"].to_numpy(),
                         "commodity": kpi["commodity"].to_numpy(),
                         "until": pd.to_numeric(year).fillna(end_year).to_numpy()})
    pairs = chain_pairs(process_io, rows["commodity"])
    built = builds.assign(stage=builds["process"].map(stage))
    mine = rows.merge(pairs, on="commodity").merge(
        built[["scenario", "region", "process", "online_year", "stage"]],
        on=["scenario", "process"])
    mine = mine[(mine["online_year"] <= mine["until"]) & mine["stage"].notna()]
    last = _last_stages(mine)
    opts = options.assign(stage=options["process"].map(stage))
    earliest = pairs.merge(opts, on="process").groupby(
        ["scenario", "commodity", "stage"], as_index=False)[
        "earliest_online_year"].min()
    last = last.merge(earliest, on=["scenario", "commodity", "stage"], how="left")
    last["lead_time_binding"] = (last["online_year"]
                                 <= last["earliest_online_year"])
    frame = pd.DataFrame({"scenario": kpi["scenario"].to_numpy(),
                          "commodity": kpi["commodity"].to_numpy(),
                          "element": kpi["commodity"].map(element).to_numpy(),
                          "self_sufficient_year": year.to_numpy()})
    found = last.set_index("row").reindex(np.arange(len(kpi)))
    for column, source in (("stage", "stage"), ("process", "process"),
                           ("region", "region"), ("first_online_year", "online_year"),
                           ("earliest_online_year", "earliest_online_year"),
                           ("lead_time_binding", "lead_time_binding")):
        frame[column] = found[source].to_numpy()
    frame = frame.reindex(columns=LEAD_COLUMNS)
    for column in ("self_sufficient_year", "first_online_year", "earliest_online_year"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("element", "stage", "process", "region"):
        frame[column] = _text(frame[column])
    frame["lead_time_binding"] = frame["lead_time_binding"].astype("boolean")
    return frame


def _last_stages(built: pd.DataFrame) -> pd.DataFrame:
    """Per kpi ``row``, the stage whose first build comes online last: each stage's
    first build by (online year, region, process), then the latest by (online
    year, stage)."""
    first = built.sort_values(["row", "stage", "online_year", "region", "process"]
                              ).drop_duplicates(["row", "stage"])
    return first.sort_values(["row", "online_year", "stage"]).drop_duplicates(
        "row", keep="last")
