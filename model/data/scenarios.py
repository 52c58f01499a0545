"""Scenario rules (MODEL-SPEC §2): they change data, never the formulation.

``scenario_data(case, name)`` returns the plain data one scenario is built from:
demand, existing capacity and expansion after ``scale`` and ``lead_time_add``, and
the effects of every rule (``model/data/rules.py``, the one place rules are
defined) for the index builder and the formulation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.data.calibration import calibration_rows
from model.data.case import Case
from model.data.contracts import floor_schedule, offtake_schedule
from model.data.inherit import flattened_rules, scenario_rules
from model.data.memo import per_case
from model.data.ramp import ramp_curves, ramp_fraction
from model.data.recycling import collection_ceilings, history_scrap, recipe_table
from model.data.schema import SHOCK_RULES
from model.data.rules import (
    RULES,
    LeadAdd,
    RuleEffects,
    Scope,
    earliest_online,
    scale_factor,
)
from model.data.targets import target_problem, target_regions
from model.errors import InputError, Problem

LIFETIME = ["product", "scrap", "years_after", "share"]


@dataclass
class ScenarioData:
    """Everything the LP of one scenario is built from (plain data, picklable)."""

    name: str
    is_baseline: bool
    years: list[int]
    discount_rate: float
    regions: pd.DataFrame
    commodities: pd.DataFrame
    processes: pd.DataFrame
    process_io: pd.DataFrame
    existing: pd.DataFrame
    expansion: pd.DataFrame
    reserves: pd.DataFrame
    demand: pd.DataFrame
    routes: pd.DataFrame
    stockpiles: pd.DataFrame
    rules: RuleEffects = field(default_factory=RuleEffects)
    ramp: pd.DataFrame = field(default_factory=pd.DataFrame)  # ramp.ramp_curves
    build_limits: pd.DataFrame = field(default_factory=pd.DataFrame)
    shock_year: int = 0  # first year of an embargo or export quota (base_year if none)
    offtakes: pd.DataFrame = field(default_factory=pd.DataFrame)  # offtake_schedule
    price_floors: pd.DataFrame = field(default_factory=pd.DataFrame)  # floor_schedule
    lifetimes: pd.DataFrame = field(default_factory=pd.DataFrame)  # eol_lifetimes
    eol_history: pd.DataFrame = field(default_factory=pd.DataFrame)  # history_scrap
    collection: pd.DataFrame = field(default_factory=pd.DataFrame)  # ceilings
    recipes: pd.DataFrame = field(default_factory=pd.DataFrame)  # recipe_table
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)  # baseline only

    def scale_factor(self, field_name: str, frame: pd.DataFrame, region: str,
                     year: str, commodity_match: Callable[[str], np.ndarray] | None
                     = None) -> np.ndarray:
        """Product of the scenario's ``scale`` rules of ``field_name`` over
        ``frame``'s rows (see ``rules.scale_factor``)."""
        return scale_factor(self.rules.scales, field_name, frame, region, year,
                            commodity_match)

    def processes_with_output(self, commodity: str) -> set[str]:
        io = self.process_io
        return set(io.loc[(io["direction"] == "out") & (io["commodity"] == commodity),
                          "process"])


def resolve_target(case: Case, target: str) -> frozenset[str] | None:
    """Regions named by a rule target (``model.data.targets``; blank = all)."""
    regions = case.table("regions")
    problem = target_problem(regions, target)
    if problem:
        raise InputError(Problem(problem, table="scenario_rules", column="target"))
    return target_regions(regions, target)


def scenario_names(case: Case) -> list[str]:
    """The scenarios a plain ``reroute solve`` or sweep solves (not hedge_only)."""
    frame = case.table("scenarios")
    if "hedge_only" not in frame.columns:
        return list(frame["scenario"])
    only = frame["hedge_only"].fillna(False).astype(bool).to_numpy()
    return list(frame.loc[~only, "scenario"])


def all_scenario_names(case: Case) -> list[str]:
    """Every scenario of the table, hedge_only ones included, in order."""
    return list(case.table("scenarios")["scenario"])


def probabilities(case: Case) -> dict[str, float]:
    """The scenarios with a probability (MODEL-SPEC §8.4), in case order."""
    frame = case.table("scenarios")
    if "probability" not in frame.columns:
        return {}
    given = frame[frame["probability"].notna()]
    return {str(s): float(p) for s, p in zip(given["scenario"], given["probability"],
                                            strict=True)}


def baseline_name(case: Case) -> str:
    frame = case.table("scenarios")
    return str(frame.loc[frame["is_baseline"].fillna(False).astype(bool),
                         "scenario"].iloc[0])


def rules_of(case: Case, name: str) -> pd.DataFrame:
    """The rules of scenario ``name``: those it inherits (``based_on``, see
    ``model.data.inherit``), then its own."""
    return scenario_rules(case.table("scenario_rules"), case.table("scenarios"), name)


def without_inheritance(case: Case) -> Case:
    """The same case with every inherited rule written out under its scenario and
    ``based_on`` blank: each scenario's rules are then its own rows only."""
    scenarios = case.table("scenarios").copy()
    rules = flattened_rules(case.table("scenario_rules"), scenarios)
    if "based_on" in scenarios.columns:
        scenarios["based_on"] = ""
    return replace(case, tables={**case.tables, "scenarios": scenarios,
                                 "scenario_rules": rules})


def scenario_data(case: Case, name: str) -> ScenarioData:
    """The data of scenario ``name`` with its rules applied."""
    rules = rules_of(case, name)
    base = case.settings.base_year
    effects = RuleEffects()
    for row in rules.itertuples(index=False):
        from_year = base if pd.isna(row.from_year) else int(row.from_year)
        scope = Scope(resolve_target(case, row.target), row.commodity or None,
                      from_year)
        RULES[row.rule].apply(effects, row, scope)
    shared = _shared_frames(case)
    is_baseline = name == baseline_name(case)
    data = ScenarioData(
        name=name,
        is_baseline=is_baseline,
        years=list(case.years),
        discount_rate=case.settings.discount_rate,
        regions=case.table("regions"),
        commodities=case.table("commodities"),
        processes=case.table("processes"),
        process_io=case.table("process_io"),
        existing=pd.DataFrame(),
        expansion=pd.DataFrame(),
        reserves=case.table("reserves"),
        demand=pd.DataFrame(),
        routes=case.table("routes"),
        rules=effects,
        shock_year=shock_year(case, name),
        calibration=per_case(case, f"calibration_rows:{is_baseline}",
                             lambda: calibration_rows(case, is_baseline)),
        **shared,
    )
    data.demand = _scaled_demand(case, data)
    data.existing = _existing_capacity(case, data)
    data.expansion = _expansion(case, effects.lead_adds)
    return data


def _shared_frames(case: Case) -> dict[str, pd.DataFrame]:
    """The ``ScenarioData`` fields that no rule changes, derived once per case
    (``model.data.memo``; read-only, shared by every scenario)."""
    return per_case(case, "scenario_frames", lambda: {
        "stockpiles": _stockpiles(case),
        "ramp": ramp_curves(case.table("processes"), case.table("ramp_up")),
        "build_limits": build_limit_schedule(case),
        "offtakes": offtake_schedule(case),
        "price_floors": floor_schedule(case),
        "lifetimes": case.table("eol_lifetimes")[LIFETIME],
        "eol_history": history_scrap(case.table("eol_history"),
                                     case.table("eol_lifetimes"), list(case.years)),
        "collection": collection_ceilings(case.table("regions"),
                                          case.table("eol_collection"),
                                          list(case.years)),
        "recipes": recipe_table(case.table("recipes"), case.settings.base_year),
    })


def shock_year(case: Case, name: str) -> int:
    """The earliest from_year among the scenario's embargo and export_quota rules
    (a blank from_year is base_year); base_year if it has none (MODEL-SPEC §8.2)."""
    rules = rules_of(case, name)
    rules = rules[rules["rule"].isin(SHOCK_RULES)]
    base = case.settings.base_year
    years = rules["from_year"].astype("Float64").fillna(base)
    return int(years.min()) if len(years) else base


def _scaled_demand(case: Case, data: ScenarioData) -> pd.DataFrame:
    demand = per_case(case, "demand_by_year", case.demand_by_year).copy()
    demand["demand_t"] = demand["demand_t"] * data.scale_factor(
        "demand", demand, "region", "year")
    return demand[demand["demand_t"] > 0].reset_index(drop=True)


def _existing_capacity(case: Case, data: ScenarioData) -> pd.DataFrame:
    """Existing capacity per (region, process, year), scaled by ``capacity`` rules:
    nameplate (``capacity_tpa``) and usable (``usable_tpa``: a row online after
    base_year at its ramp-up fraction, MODEL-SPEC §8.2)."""
    if case.table("capacity").empty:
        return pd.DataFrame(columns=["region", "process", "year", "capacity_tpa",
                                     "usable_tpa"])
    frame = per_case(case, "existing_unscaled",
                     lambda: _unscaled_existing(case, data.ramp)).copy()
    scale = data.scale_factor(
        "capacity", frame, "region", "year",
        lambda c: frame["process"].isin(data.processes_with_output(c)).to_numpy())
    frame["capacity_tpa"] *= scale
    frame["usable_tpa"] *= scale
    return frame


def _unscaled_existing(case: Case, ramp: pd.DataFrame) -> pd.DataFrame:
    """``_existing_capacity`` before the scenario's ``capacity`` rules (the same
    for every scenario of the case: ``ramp`` is the case's curves)."""
    cap = case.table("capacity")
    years = np.array(case.years)
    base = case.settings.base_year
    online = cap["online_year"].astype("Float64").fillna(base)
    retire = cap["retire_year"].astype("Float64").fillna(years[-1] + 1)
    rows = np.repeat(np.arange(len(cap)), len(years))
    year = np.tile(years, len(cap))
    active = ((year >= online.to_numpy(dtype=float)[rows])
              & (year < retire.to_numpy(dtype=float)[rows]))
    rows, year = rows[active], year[active]
    nameplate = cap["capacity_tpa"].to_numpy(dtype=float)[rows]
    first_year = online.to_numpy(dtype=float)[rows]
    fraction = np.where(first_year > base, ramp_fraction(
        ramp, cap["process"].to_numpy()[rows], year - first_year + 1), 1.0)
    frame = pd.DataFrame({
        "region": cap["region"].to_numpy()[rows],
        "process": cap["process"].to_numpy()[rows],
        "year": year,
        "capacity_tpa": nameplate,
        "usable_tpa": nameplate * fraction,
    })
    return frame.groupby(["region", "process", "year"], as_index=False)[
        ["capacity_tpa", "usable_tpa"]].sum()


def _expansion(case: Case, lead_adds: list[LeadAdd]) -> pd.DataFrame:
    """Expansion options with their effective earliest online year.

    earliest = given earliest_online_year, else base_year + lead time; plus every
    ``lead_time_add`` that matches the region and the process's stage.
    """
    exp = case.table("expansion").copy()
    procs = case.table("processes").set_index("process")
    stage = exp["process"].map(procs["stage"])
    lead = exp["process"].map(procs["lead_time_years"]).astype(int)
    earliest = exp["earliest_online_year"].astype("Float64").fillna(
        case.settings.base_year + lead).astype(int)
    earliest = earliest_online(exp["region"], stage, earliest, lead_adds)
    exp["earliest_online_year"] = earliest.astype(int)
    exp["lead_time"] = earliest_online(exp["region"], stage, lead, lead_adds).astype(
        int)  # the scenario's lead time: decision year = online year - lead time
    return exp


def build_limit_schedule(case: Case) -> pd.DataFrame:
    """The rows of ``build_limits`` with their regions (None = all) and the years
    they apply: from_year (blank = base_year) until the next from_year of the same
    stage and target (exclusive; end_year + 1 for the last). Columns: limit (the
    row's position in the table), stage, target, regions, max_new_tpa_per_year,
    from_year, until_year."""
    table = case.table("build_limits")
    frame = pd.DataFrame({
        "limit": np.arange(len(table)),
        "stage": table["stage"].to_numpy(dtype=object),
        "target": table["target"].to_numpy(dtype=object),
        "regions": [resolve_target(case, t) for t in table["target"]],
        "max_new_tpa_per_year": table["max_new_tpa_per_year"].to_numpy(dtype=float),
        "from_year": table["from_year"].astype("Float64").fillna(
            case.settings.base_year).to_numpy(dtype=np.int64),
    })
    order = frame.sort_values(["stage", "target", "from_year"], kind="stable")
    following = order.groupby(["stage", "target"])["from_year"].shift(-1)
    frame["until_year"] = following.fillna(case.settings.end_year + 1).astype(
        "int64").reindex(frame.index)
    return frame


def _stockpiles(case: Case) -> pd.DataFrame:
    """Stockpiles with the release cost defaulting to the reference price."""
    stock = case.table("stockpiles").copy()
    price = stock["commodity"].map(case.table("commodities").set_index("commodity")[
        "reference_price_usd_per_t"]).astype(float)
    stock["release_cost_usd_per_t"] = stock["release_cost_usd_per_t"].fillna(price)
    return stock
