"""The default case's headline numbers recomputed independently of the reporting.

The regression ledger (test_default_case.py) records what the model said; these
tests check the same numbers against values rebuilt here from the input CSVs (read
with pandas, not through model.data) and the solve's decisions (activity, flows,
releases, surplus) or the solver's objective:

- demand, interpolated per MODEL-SPEC §2 with numpy.interp (linear between given
  years, the nearest given value outside them) and the scenario's ``scale`` rules;
- shortfall, rebuilt from the balance of §3 with that demand;
- the penalty, priced from the inputs; total cost = objective - penalty;
- variable, transport, tariff and stock costs, from decisions and input prices;
- the premium against the flagged baseline, and the self-sufficient year by the
  §4 rule written as a plain loop, with the case's tolerance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.pipeline import RunResult
from tests.default_case.conftest import CASE

RCY = ["region", "commodity", "year"]
SLACK = 1e-6  # t: solver round-off, as in the KPI definition


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(CASE / f"{name}.csv", keep_default_na=False,
                       na_values=[""]).drop(columns=["source"], errors="ignore")


SETTINGS = dict(zip(_csv("settings")["key"], _csv("settings")["value"], strict=True))
BASE, END = int(SETTINGS["base_year"]), int(SETTINGS["end_year"])
YEARS = np.arange(BASE, END + 1)
RATE = float(SETTINGS["discount_rate"])
TOLERANCE = float(SETTINGS["shortfall_tolerance"])
REGIONS = _csv("regions")
SCOPE = set(REGIONS.loc[REGIONS["bloc"].isin(["alliance", "partner"]), "region"])
COMMODITIES = _csv("commodities").set_index("commodity")
RULES = _csv("scenario_rules")
PARENT = {s: p for s, p in zip(_csv("scenarios")["scenario"],
                               _csv("scenarios")["based_on"], strict=True)
          if isinstance(p, str) and p}


def rules_of(scenario: str) -> pd.DataFrame:
    """The scenario's rules read from the CSV files: those of every scenario up its
    based_on chain, and its own (MODEL-SPEC §2 inheritance, resolved here without
    Reroute's code)."""
    chain = [scenario]
    while chain[-1] in PARENT:
        chain.append(PARENT[chain[-1]])
    return RULES[RULES["scenario"].isin(chain)]


def _df(years: pd.Series) -> np.ndarray:
    return (1.0 + RATE) ** -(years.to_numpy(dtype=float) - BASE)


def _targets(target: object) -> set[str]:
    if pd.isna(target) or target == "":
        return set(REGIONS["region"])
    if target in set(REGIONS["region"]):
        return {str(target)}
    return set(REGIONS.loc[REGIONS["bloc"] == target, "region"])


def demand(scenario: str) -> pd.DataFrame:
    """Demand per (region, commodity, year) of the horizon, > 0 only."""
    given = _csv("demand")
    rows = []
    for (region, commodity), g in given.groupby(["region", "commodity"]):
        g = g.sort_values("year")
        values = np.interp(YEARS, g["year"].to_numpy(float), g["demand_t"].to_numpy())
        rows += [(region, commodity, int(y), v) for y, v in zip(YEARS, values,
                                                                strict=True)]
    frame = pd.DataFrame(rows, columns=[*RCY, "demand_t"])
    rules = rules_of(scenario)
    scales = rules[rules["rule"] == "scale"]
    # the default case scales demand and capacity (China's offers in
    # high_demand_china); capacity changes what may be made, not what is demanded
    assert set(scales["field"]) <= {"demand", "capacity"}, "unexpected scale field"
    for rule in scales[scales["field"] == "demand"].itertuples(index=False):
        start = BASE if pd.isna(rule.from_year) else int(rule.from_year)
        hit = (frame["region"].isin(_targets(rule.target)) & (frame["year"] >= start)
               & ((frame["commodity"] == rule.commodity) if isinstance(
                   rule.commodity, str) and rule.commodity else True))
        frame.loc[hit, "demand_t"] *= float(rule.value)
    return frame[frame["demand_t"] > 0].reset_index(drop=True)


def _of(run: RunResult, table: str, scenario: str) -> pd.DataFrame:
    frame = run.tables[table]
    return frame[frame["scenario"] == scenario]


def supplied(run: RunResult, scenario: str) -> pd.DataFrame:
    """Net supply per (region, commodity, year) from the decisions: production
    out - in + inflow - outflow + release - surplus (MODEL-SPEC §3 balance)."""
    io = _csv("process_io")
    prod = _of(run, "production", scenario).merge(io, on="process")
    sign = np.where(prod["direction"] == "out", 1.0, -1.0)
    flows, stock = _of(run, "flows", scenario), _of(run, "stock", scenario)
    surplus = _of(run, "surplus", scenario)
    parts = [
        prod.assign(t=prod["activity_t"] * prod["coefficient"] * sign)[[*RCY, "t"]],
        flows.assign(region=flows["destination"], t=flows["quantity_t"])[[*RCY, "t"]],
        flows.assign(region=flows["origin"], t=-flows["quantity_t"])[[*RCY, "t"]],
        stock.assign(t=stock["release_t"])[[*RCY, "t"]],
        surplus.assign(t=-surplus["surplus_t"])[[*RCY, "t"]],
    ]
    return pd.concat(parts).groupby(RCY, as_index=False)["t"].sum()


def shortfall(run: RunResult, scenario: str) -> pd.DataFrame:
    """Demand rows with the shortfall the balance implies: demand - net supply."""
    frame = demand(scenario).merge(supplied(run, scenario), on=RCY, how="left")
    frame["short_t"] = frame["demand_t"] - frame["t"].fillna(0.0)
    return frame


def scenarios(run: RunResult) -> list[str]:
    return [r.name for r in run.scenarios]


def objective(run: RunResult, scenario: str) -> float:
    return next(r.objective for r in run.scenarios if r.name == scenario)


def independent_cost(run: RunResult, scenario: str) -> float:
    """Objective less the shortfall penalty priced from the inputs."""
    short = shortfall(run, scenario)
    penalty = short["commodity"].map(COMMODITIES["shortfall_penalty_usd_per_t"])
    return objective(run, scenario) - float(
        (short["short_t"] * penalty * _df(short["year"])).sum())


def test_demand_is_the_inputs_interpolated_and_scaled(run: RunResult) -> None:
    for scenario in scenarios(run):
        ours = demand(scenario).set_index(RCY)["demand_t"]
        table = _of(run, "shortfall", scenario).set_index(RCY)["demand_t"]
        assert sorted(ours.index) == sorted(table.index), scenario
        assert table.loc[ours.index].tolist() == pytest.approx(ours.tolist(),
                                                                rel=1e-9)


def test_scope_shortfall_from_the_balance(run: RunResult) -> None:
    summary = run.tables["summary"].set_index("scenario")
    for scenario in scenarios(run):
        short = shortfall(run, scenario)
        assert (short["short_t"] >= -1e-6).all(), scenario
        scoped = short[short["region"].isin(SCOPE)]
        assert summary.loc[scenario, "shortfall_t"] == pytest.approx(
            scoped["short_t"].sum(), rel=1e-7, abs=1e-3), scenario
        assert summary.loc[scenario, "demand_t"] == pytest.approx(
            scoped["demand_t"].sum(), rel=1e-9), scenario


def test_total_cost_is_objective_less_penalty(run: RunResult) -> None:
    summary = run.tables["summary"].set_index("scenario")
    for scenario in scenarios(run):
        assert summary.loc[scenario, "total_cost_usd"] == pytest.approx(
            independent_cost(run, scenario), rel=1e-7), scenario


def test_premium_from_costs(run: RunResult) -> None:
    summary = run.tables["summary"].set_index("scenario")
    flagged = _csv("scenarios")
    baseline = flagged.loc[flagged["is_baseline"].astype(str).str.lower() == "true",
                           "scenario"].item()
    # the comparator read from scenarios.csv (MODEL-SPEC §8.1: compare_to, blank =
    # the flagged baseline), not from the summary being checked
    compare = flagged.set_index("scenario")["compare_to"] if (
        "compare_to" in flagged) else pd.Series(dtype=object)
    for scenario in scenarios(run):
        against = compare.get(scenario)
        against = against if isinstance(against, str) and against else baseline
        base = independent_cost(run, against)
        expected = (independent_cost(run, scenario) - base) / base * 100
        assert summary.loc[scenario, "cost_premium_pct"] == pytest.approx(
            expected, rel=1e-6, abs=1e-7), scenario


def _route_costs() -> pd.DataFrame:
    """(origin, destination, commodity) -> cost and tariff; a commodity's own row
    beats the blank (all commodities) row."""
    routes = _csv("routes")
    routes["tariff_pct"] = routes["tariff_pct"].fillna(0.0)
    blank = routes[routes["commodity"].isna()].drop(columns="commodity").merge(
        pd.DataFrame({"commodity": COMMODITIES.index}), how="cross")
    both = pd.concat([routes[routes["commodity"].notna()], blank])
    return both.drop_duplicates(["origin", "destination", "commodity"])


def test_cost_categories_from_decisions_and_input_prices(run: RunResult) -> None:
    used = set(RULES.loc[RULES["rule"] == "scale", "field"])
    # no price or cost is scaled in the default case (capacity scaling changes
    # what may be made, not what it costs), so the input prices hold as written
    assert used <= {"demand", "capacity"}, "no cost is scaled in the default case"
    procs = _csv("processes").set_index("process")
    opex = REGIONS.set_index("region")["opex_index"].fillna(1.0)
    price = COMMODITIES["reference_price_usd_per_t"].fillna(0.0)
    piles = _csv("stockpiles").set_index(["region", "commodity"])
    routes = _route_costs()
    for scenario in scenarios(run):
        prod = _of(run, "production", scenario)
        flows = _of(run, "flows", scenario).merge(
            routes, on=["origin", "destination", "commodity"], how="left")
        assert flows["cost_usd_per_t"].notna().all()
        stock = _of(run, "stock", scenario)
        release_cost = [piles.loc[(r, c), "release_cost_usd_per_t"]
                        if pd.notna(piles.loc[(r, c), "release_cost_usd_per_t"])
                        else price[c] for r, c in zip(stock["region"],
                                                      stock["commodity"], strict=True)]
        expected = {
            "variable": prod["activity_t"] * prod["process"].map(
                procs["variable_cost_usd_per_t"].fillna(0.0))
            * prod["region"].map(opex) * _df(prod["year"]),
            "transport": flows["quantity_t"] * flows["cost_usd_per_t"]
            * _df(flows["year"]),
            "tariff": flows["quantity_t"] * flows["tariff_pct"] / 100
            * flows["commodity"].map(price) * _df(flows["year"]),
            "stock": stock["release_t"] * np.asarray(release_cost, dtype=float)
            * _df(stock["year"]),
        }
        costs = _of(run, "costs", scenario).groupby("category")["discounted_usd"].sum()
        for category, values in expected.items():
            assert costs.get(category, 0.0) == pytest.approx(
                float(np.sum(values)), rel=1e-7, abs=1.0), (scenario, category)


def self_sufficient_year(yearly: pd.DataFrame) -> int | None:
    """MODEL-SPEC §4: the first year from which, in every later year, shortfall
    <= tolerance x demand (years without demand count as met); None if none."""
    by_year = yearly.set_index("year")
    for start in YEARS:
        if all(by_year["short_t"].get(y, 0.0)
               <= TOLERANCE * by_year["demand_t"].get(y, 0.0) + SLACK
               for y in YEARS if y >= start):
            return int(start)
    return None


def test_self_sufficient_year_by_rule(run: RunResult) -> None:
    summary = run.tables["summary"].set_index("scenario")
    kpi = run.tables["kpi_by_commodity"].set_index(["scenario", "commodity"])
    for scenario in scenarios(run):
        short = shortfall(run, scenario)
        scoped = short[short["region"].isin(SCOPE)].groupby(
            ["commodity", "year"], as_index=False)[["demand_t", "short_t"]].sum()
        years = {c: self_sufficient_year(g) for c, g in scoped.groupby("commodity")}
        for commodity, year in years.items():
            got = kpi.loc[(scenario, commodity), "self_sufficient_year"]
            assert (None if pd.isna(got) else int(got)) == year, (scenario, commodity)
        overall = None if None in years.values() else max(years.values())
        got = summary.loc[scenario, "self_sufficient_year"]
        assert (None if pd.isna(got) else int(got)) == overall, scenario
