"""Sparse index sets and coefficients of one scenario's LP, computed once.

Every variable family gets a frame with one row per variable that can be nonzero,
built with pandas from the scenario data (never a dense product filtered later).
The formulation declares Pyomo components straight from these frames.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.data.keys import match_rows, pairs
from model.data.origin import china_regions, stock_china_share
from model.data.ramp import ramp_fraction
from model.data.recycling import share_ceiling
from model.data.rules import Quota, embargoed
from model.data.scenarios import ScenarioData
from model.data.terms import RCY, balance_terms

RPY = ["region", "process", "year"]
SALE_COLUMNS = ["offtake", "seller", "buyer", "commodity", "year", "price_usd_per_t",
                "transport_usd_per_t", "tariff_usd_per_t"]
SALE_SHORT_COLUMNS = ["offtake", "buyer", "commodity", "year", "min_tpa",
                      "max_tpa", "penalty_usd_per_t"]


@dataclass
class LPIndex:
    """Index frames and coefficients of every variable family and constraint."""

    years: list[int]
    discount: dict[int, float]
    act: pd.DataFrame
    build: pd.DataFrame
    flow: pd.DataFrame
    short: pd.DataFrame
    surplus: pd.DataFrame
    stock: pd.DataFrame
    balance_terms: pd.DataFrame
    build_window: pd.DataFrame  # act, build, fraction: builds in service per act row
    expansion_limits: pd.DataFrame
    reserves: pd.DataFrame
    quotas: list[Quota] = field(default_factory=list)  # the scenario's quota rules
    build_limits: pd.DataFrame = field(default_factory=pd.DataFrame)  # the schedule
    shock_year: int = 0  # ScenarioData.shock_year
    pinned: pd.DataFrame = field(default_factory=pd.DataFrame)  # foresight: family,
    # position, value of the variables fixed to the comparator's decisions
    fixed_om_existing: pd.DataFrame = field(default_factory=pd.DataFrame)
    sale: pd.DataFrame = field(  # offtake deliveries (MODEL-SPEC §8.3)
        default_factory=lambda: pd.DataFrame(columns=SALE_COLUMNS))
    sale_short: pd.DataFrame = field(  # take-or-pay shortfall of an offtake
        default_factory=lambda: pd.DataFrame(columns=SALE_SHORT_COLUMNS))
    offtakes: pd.DataFrame = field(default_factory=pd.DataFrame)  # the contracts
    price_floors: pd.DataFrame = field(default_factory=pd.DataFrame)  # not in the LP
    reference_price: dict[str, float] = field(default_factory=dict)  # per commodity
    process_io: pd.DataFrame = field(default_factory=pd.DataFrame)
    recipe_act: pd.DataFrame = field(default_factory=pd.DataFrame)  # _recipe_act
    lifetimes: pd.DataFrame = field(default_factory=pd.DataFrame)  # eol_lifetimes
    eol_history: pd.DataFrame = field(default_factory=pd.DataFrame)  # history_scrap
    collection: pd.DataFrame = field(default_factory=pd.DataFrame)  # ceilings
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)  # the bands
    china: frozenset[str] = frozenset()  # regions of bloc china
    stock_china: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per stock


def discount_factors(years: list[int], rate: float) -> dict[int, float]:
    """df_y = (1 + rate)^-(y - base_year)."""
    return {y: (1.0 + rate) ** -(y - years[0]) for y in years}


def capital_recovery_factor(rate: float, lifetime: int) -> float:
    """Annuity per unit of capex over ``lifetime`` years at ``rate``."""
    if rate == 0:
        return 1.0 / lifetime
    growth = (1.0 + rate) ** lifetime
    return rate * growth / (growth - 1.0)


def build_index(data: ScenarioData) -> LPIndex:
    """All sparse index frames of scenario ``data``."""
    discount = discount_factors(data.years, data.discount_rate)
    build = _build_frame(data, discount)
    act = _act_frame(data, build)
    short = _short_frame(data)
    stock = _stock_frame(data)
    routes = _route_table(data)
    available = _reachable(routes, _supply(data, act, stock), forward=True)
    sale = _sale_frame(data, routes, available)
    flow = _flow_frame(data, routes, available, act, short, sale)
    terms, surplus = balance_terms(act, net_process_io(data.process_io), [
        ("flow", flow, "destination", 1.0), ("flow", flow, "origin", -1.0),
        ("release", stock, "region", 1.0), ("short", short, "region", 1.0),
        ("sale", sale, "seller", -1.0)])
    return LPIndex(
        years=data.years,
        discount=discount,
        act=act,
        build=build,
        flow=flow,
        short=short,
        surplus=surplus,
        stock=stock,
        balance_terms=terms,
        build_window=_build_window(act, build, data.ramp),
        expansion_limits=data.expansion[["region", "process", "max_new_tpa"]].dropna(),
        reserves=_reserves(data, act),
        quotas=list(data.rules.quotas),
        build_limits=data.build_limits,
        shock_year=data.shock_year,
        fixed_om_existing=_fixed_om_existing(data, discount),
        sale=sale,
        sale_short=_sale_short_frame(data),
        offtakes=data.offtakes,
        price_floors=data.price_floors,
        reference_price=dict(zip(data.commodities["commodity"], data.commodities[
            "reference_price_usd_per_t"].astype(float), strict=True)),
        process_io=data.process_io,
        recipe_act=_recipe_act(act, data.recipes),
        lifetimes=data.lifetimes,
        eol_history=data.eol_history,
        collection=data.collection,
        calibration=data.calibration,
        china=frozenset(china_regions(data.regions)),
        stock_china=stock_china_share(stock, data.stockpiles, data.regions),
    )


def _process_attr(data: ScenarioData, column: str) -> pd.Series:
    return data.processes.set_index("process")[column]


def _region_attr(data: ScenarioData, column: str) -> pd.Series:
    return data.regions.set_index("region")[column]


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """Numeric attribute of each key (float even when ``keys`` is empty text; NaN
    for a key ``values`` lacks): ``keys.map(values)``, looked up once per distinct
    key (a frame has many rows of few processes or regions)."""
    codes, distinct = pd.factorize(keys)
    found = np.append(values.reindex(distinct).to_numpy(dtype=float, na_value=np.nan),
                      np.nan)  # code -1 (a missing key) reads the NaN at the end
    return pd.Series(found[codes], index=keys.index, name=keys.name)


def _output_match(data: ScenarioData, frame: pd.DataFrame):  # noqa: ANN202
    return lambda c: frame["process"].isin(data.processes_with_output(c)).to_numpy()


def _build_frame(data: ScenarioData, discount: dict[int, float]) -> pd.DataFrame:
    """build[r,p,y]: capacity coming online in y, for y >= earliest_online_year
    (``open_from``); a sweep may index earlier years too, fixed at 0 there.

    Objective coefficients: capex (``expansion.capex_usd_per_tpa`` where given, else
    the process's × the region's capex index) as an annuity (capital recovery factor)
    and fixed O&M, each summed over the discounted years the build is in service inside the
    horizon.
    """
    exp, first = build_options(data.expansion, data.years)
    end = data.years[-1]
    open_from = np.maximum(exp["earliest_online_year"].to_numpy(dtype=np.int64),
                           data.years[0])
    frame = _year_runs(exp[["region", "process"]], first, end)
    runs = np.maximum(end - first + 1, 0)
    per_year = exp["max_new_tpa_per_year"].astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    frame["open_from"] = np.repeat(open_from, runs)
    closed = frame["year"].to_numpy() < frame["open_from"].to_numpy()
    frame["max_per_year"] = np.where(closed, 0.0, np.repeat(per_year, runs))
    frame["lead_time"] = np.repeat(exp["lead_time"].to_numpy(dtype=np.int64), runs)
    lifetime = frame["process"].map(_process_attr(data, "lifetime_years")).astype(int)
    capex = (_lookup(frame["process"], _process_attr(data, "capex_usd_per_tpa"))
             * _lookup(frame["region"], _region_attr(data, "capex_index")))
    if "capex_usd_per_tpa" in exp:  # a project's own capex wins (expansion column)
        own = np.repeat(exp["capex_usd_per_tpa"].astype("Float64").to_numpy(
            dtype=float, na_value=np.nan), np.maximum(end - first + 1, 0))
        capex = capex.where(np.isnan(own), own)
    frame["capex_usd_per_tpa"] = capex * data.scale_factor(
        "capex", frame, "region", "year", _output_match(data, frame))
    crf = _recovery_factors(data, frame["process"], lifetime)
    df_in_service = _discount_sums(frame["year"].to_numpy(), lifetime.to_numpy(),
                                   data.years, discount)
    frame["capex_cost"] = frame["capex_usd_per_tpa"].to_numpy() * crf * df_in_service
    fom = _lookup(frame["process"], _process_attr(data, "fixed_om_usd_per_tpa"))
    frame["fixed_om_usd_per_tpa"] = fom.to_numpy()
    frame["fixed_om_cost"] = fom.to_numpy() * df_in_service
    frame["annuity_usd_per_tpa"] = frame["capex_usd_per_tpa"].to_numpy() * crf
    frame["lifetime"] = lifetime
    frame["stage"] = frame["process"].map(_process_attr(data, "stage")).astype(str)
    return frame


def build_options(expansion: pd.DataFrame, years: list[int]
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """The expansion options that get build columns (``max_new_tpa`` not 0) and the
    first year of each one's columns: its first online year, or an earlier
    ``index_from_year`` (a sweep's widest window). Option ``k`` has the build rows
    ``first[k] .. end_year``, option after option."""
    exp = expansion[~(expansion["max_new_tpa"] == 0)]
    open_from = np.maximum(exp["earliest_online_year"].to_numpy(dtype=np.int64),
                           years[0])
    return exp, np.minimum(open_from, _indexed_from(exp, years[0]))


def _indexed_from(exp: pd.DataFrame, base_year: int) -> np.ndarray:
    """First year a build column exists: ``index_from_year`` where a sweep set it
    (``scenarios.index_builds_from``; before that year the column is fixed at 0),
    else the option's own first online year."""
    if "index_from_year" not in exp:
        return np.full(len(exp), np.iinfo(np.int64).max)
    return np.maximum(exp["index_from_year"].to_numpy(dtype=np.int64), base_year)


def hurdle_rates(data: ScenarioData) -> pd.Series:
    """Rate of each process's capital recovery factor: ``processes.hurdle_rate``,
    blank = the discount rate (MODEL-SPEC §8.2)."""
    return _process_attr(data, "hurdle_rate").astype(float).fillna(data.discount_rate)


def _recovery_factors(data: ScenarioData, process: pd.Series, lifetime: pd.Series
                      ) -> np.ndarray:
    """CRF(hurdle rate of the process, its lifetime) of every build row."""
    rate = _lookup(process, hurdle_rates(data)).to_numpy(dtype=float)
    life = lifetime.to_numpy(dtype=np.int64)
    pairs = {(float(r), int(n)) for r, n in zip(rate, life, strict=True)}
    crf_of = {pair: capital_recovery_factor(*pair) for pair in pairs}
    return np.array([crf_of[(float(r), int(n))] for r, n in zip(rate, life,
                                                              strict=True)],
                    dtype=float)


def _year_runs(keys: pd.DataFrame, first: np.ndarray, end: int) -> pd.DataFrame:
    """``keys`` rows repeated for every year first..end (none where first > end),
    with a ``year`` column; row order kept, years ascending."""
    counts = np.maximum(end - first + 1, 0)
    rows = np.repeat(np.arange(len(keys)), counts)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    frame = keys.iloc[rows].astype(str).reset_index(drop=True)
    frame["year"] = np.repeat(first, counts) + offsets
    return frame


def _discount_sums(start: np.ndarray, lifetime: np.ndarray, years: list[int],
                   discount: dict[int, float]) -> np.ndarray:
    """Σ df_y over y = start..min(end, start + lifetime - 1), added year by year in
    ascending order (the same floating-point sums as a scalar loop)."""
    df = np.array([discount[y] for y in years] + [0.0])
    last = np.minimum(years[-1], start + lifetime - 1)
    total = np.zeros(len(start))
    for k in range(len(years)):
        y = start + k
        inside = y <= last
        total = total + np.where(inside, df[np.clip(y - years[0], 0, len(years))], 0.0)
    return total


def _act_frame(data: ScenarioData, build: pd.DataFrame) -> pd.DataFrame:
    """act[r,p,y] where existing capacity or a possible build can serve year y."""
    existing = data.existing[data.existing["capacity_tpa"] > 0]
    first_build = build.groupby(["region", "process"], as_index=False)["year"].min()
    buildable = _year_runs(first_build[["region", "process"]],
                           first_build["year"].to_numpy(dtype=np.int64), data.years[-1])
    keys = pd.concat([existing[RPY], buildable[RPY]],
                     ignore_index=True).drop_duplicates()
    frame = keys.merge(existing, on=RPY, how="left").fillna(
        {"capacity_tpa": 0.0, "usable_tpa": 0.0})
    frame = frame.rename(columns={"capacity_tpa": "existing_tpa",
                                  "usable_tpa": "existing_usable_tpa"})
    frame["base"] = frame["process"]
    if len(data.recipes):
        frame = pd.concat([frame, _recipe_rows(frame, data.recipes)],
                          ignore_index=True)
    frame = frame.sort_values(RPY, kind="stable").reset_index(drop=True)
    vc = (_lookup(frame["process"], _process_attr(data, "variable_cost_usd_per_t"))
          * _lookup(frame["region"], _region_attr(data, "opex_index")))
    frame["variable_cost_usd_per_t"] = vc.to_numpy() * data.scale_factor(
        "variable_cost", frame, "region", "year", _output_match(data, frame))
    frame["availability"] = _lookup(frame["base"],
                                    _process_attr(data, "availability"))
    return frame


def _recipe_rows(act: pd.DataFrame, recipes: pd.DataFrame) -> pd.DataFrame:
    """act rows of every recipe: the (region, year) of its base process's act rows
    from its ready year, on the base's usable capacity (``base``) but with no
    nameplate of its own (``existing_tpa`` 0: the production table does not count
    the base's capacity twice)."""
    row, recipe = pairs(act, recipes, ["process"])
    ready = recipes["ready_year"].to_numpy(dtype=np.int64)[recipe]
    on = act["year"].to_numpy(dtype=np.int64)[row] >= ready
    rows = act.iloc[row[on]].reset_index(drop=True)
    rows["process"] = recipes["recipe"].iloc[recipe[on]].reset_index(drop=True)
    rows["existing_tpa"] = 0.0
    return rows


def _recipe_act(act: pd.DataFrame, recipes: pd.DataFrame) -> pd.DataFrame:
    """Per act row of a recipe: its position (``act``), the position of its base
    process's act row of the same region and year (``base``) and the ceiling of
    the share it may make (``ceiling``, ``recycling.share_ceiling``)."""
    if recipes.empty:
        return pd.DataFrame({"act": np.zeros(0, dtype=np.int64),
                             "base": np.zeros(0, dtype=np.int64),
                             "ceiling": np.zeros(0)})
    positions = act[RPY + ["base"]]
    own = (positions["process"] != positions["base"]).to_numpy()
    mine = positions[own]  # the recipes' act rows
    recipe = match_rows(mine, recipes.rename(
        columns={"process": "base", "recipe": "process"}), ["process", "base"])
    base = match_rows(mine, positions[~own][RPY].rename(
        columns={"process": "base"}), ["region", "base", "year"])  # one per key
    found = (recipe >= 0) & (base >= 0)
    return pd.DataFrame({
        "act": np.flatnonzero(own)[found],
        "base": np.flatnonzero(~own)[base[found]],
        "ceiling": share_ceiling(recipes.iloc[recipe[found]],
                                 mine["year"].to_numpy(dtype=np.int64)[found]),
    })


def _short_frame(data: ScenarioData) -> pd.DataFrame:
    """short[r,c,y] wherever demand > 0, priced at the (scaled) penalty."""
    frame = data.demand[RCY + ["demand_t"]].copy()
    penalty = _lookup(frame["commodity"], data.commodities.set_index("commodity")[
        "shortfall_penalty_usd_per_t"])
    frame["penalty_usd_per_t"] = penalty.to_numpy() * data.scale_factor(
        "penalty", frame, "region", "year")
    return frame.sort_values(RCY).reset_index(drop=True)


def _stock_frame(data: ScenarioData) -> pd.DataFrame:
    """release[r,c,y] and stock[r,c,y] for every stockpile with an initial stock."""
    piles = data.stockpiles[data.stockpiles["initial_t"] > 0]
    rows = [
        (p.region, p.commodity, y, p.initial_t, p.max_release_tpa,
         p.release_cost_usd_per_t)
        for p in piles.itertuples(index=False)
        for y in data.years
    ]
    return pd.DataFrame(rows, columns=RCY + ["initial_t", "max_release_tpa",
                                             "release_cost_usd_per_t"])


def _route_table(data: ScenarioData) -> pd.DataFrame:
    """Routes per (origin, destination, commodity); a specific row beats a blank one."""
    routes = data.routes[data.routes["origin"] != data.routes["destination"]]
    commodities = list(data.commodities["commodity"])
    blank = routes[routes["commodity"] == ""].drop(columns="commodity")
    blank = blank.merge(pd.DataFrame({"commodity": commodities}), how="cross")
    specific = routes[routes["commodity"] != ""]
    both = pd.concat([specific, blank], ignore_index=True)
    return both.drop_duplicates(["origin", "destination", "commodity"], keep="first")


def _reachable(edges: pd.DataFrame, start: set[tuple[str, str]], forward: bool
               ) -> set[tuple[str, str]]:
    """(region, commodity) pairs reachable from ``start`` along the route edges."""
    nxt: dict[tuple[str, str], list[str]] = defaultdict(list)
    a, b = ("origin", "destination") if forward else ("destination", "origin")
    for u, v, c in zip(edges[a], edges[b], edges["commodity"], strict=True):
        nxt[(u, c)].append(v)
    seen = set(start)
    todo = list(start)
    while todo:
        region, commodity = todo.pop()
        for other in nxt.get((region, commodity), ()):
            if (other, commodity) not in seen:
                seen.add((other, commodity))
                todo.append((other, commodity))
    return seen


def _sites(data: ScenarioData, act: pd.DataFrame, direction: str
           ) -> set[tuple[str, str]]:
    """(region, commodity) pairs some process there can make (``out``) or use
    (``in``)."""
    io = data.process_io[data.process_io["direction"] == direction]
    made: dict[str, list[str]] = defaultdict(list)
    for process, commodity in zip(io["process"], io["commodity"], strict=True):
        made[process].append(commodity)
    return {(region, commodity) for region, process in
            set(zip(act["region"], act["process"], strict=True))
            for commodity in made.get(process, ())}


def _supply(data: ScenarioData, act: pd.DataFrame, stock: pd.DataFrame
            ) -> set[tuple[str, str]]:
    """(region, commodity) pairs made there or held in a stockpile there."""
    return _sites(data, act, "out") | set(zip(stock["region"], stock["commodity"],
                                              strict=True))


def _flow_frame(data: ScenarioData, routes: pd.DataFrame,
                available: set[tuple[str, str]], act: pd.DataFrame,
                short: pd.DataFrame, sale: pd.DataFrame) -> pd.DataFrame:
    """flow[o,d,c,y] on listed routes, where c can exist at o and is of use at d
    (a process input, a demand or an offtake's seller there), and no embargo of
    that year separates o and d (``routes``: ``_route_table``; ``available``: the
    (region, commodity) pairs c can exist at, made or held there or reached by
    route from there)."""
    need = _sites(data, act, "in")
    need |= set(zip(short["region"], short["commodity"], strict=True))
    need |= set(zip(sale["seller"], sale["commodity"], strict=True))
    useful = _reachable(routes, need, forward=False)
    ok = np.array([
        (o, c) in available and (d, c) in useful
        for o, d, c in zip(routes["origin"], routes["destination"], routes["commodity"],
                           strict=True)
    ], dtype=bool)  # a boolean mask even when empty (an empty list selects columns)
    keep = ["origin", "destination", "commodity", "year", "transport_usd_per_t",
            "tariff_usd_per_t"]
    # one route per (origin, destination, commodity) (``_route_table``): sorted
    # routes crossed with ascending years are sorted by keep[:4] already
    routes = routes[ok].sort_values(keep[:3])
    frame = routes.merge(pd.DataFrame({"year": data.years}), how="cross")
    frame = frame[~embargoed(data.rules.embargoes, frame)].reset_index(drop=True)
    price = _lookup(frame["commodity"], data.commodities.set_index("commodity")[
        "reference_price_usd_per_t"])
    transport = frame["cost_usd_per_t"].to_numpy()
    frame["transport_usd_per_t"] = transport * data.scale_factor(
        "route_cost", frame, "origin", "year")
    tariff_share = frame["tariff_pct"].to_numpy() / 100.0
    frame["tariff_usd_per_t"] = tariff_share * price.to_numpy()
    return frame[keep]


def _sale_frame(data: ScenarioData, routes: pd.DataFrame,
                available: set[tuple[str, str]]) -> pd.DataFrame:
    """sale[k,s,y]: offtake k delivered from seller region s in year y, for every
    region s of the offtake's sellers where the commodity can exist that serves
    the buyer (s = buyer, at no cost) or has a listed route to it, in the years of
    the contract that no embargo separates s from the buyer (MODEL-SPEC §8.3);
    ``available`` as in ``_flow_frame``."""
    deals = data.offtakes
    if deals.empty:
        return pd.DataFrame(columns=SALE_COLUMNS)
    legs = {(o, d, c): (cost, tariff) for o, d, c, cost, tariff in zip(
        routes["origin"], routes["destination"], routes["commodity"],
        routes["cost_usd_per_t"], routes["tariff_pct"], strict=True)}
    price = data.commodities.set_index("commodity")["reference_price_usd_per_t"]
    everyone = sorted(data.regions["region"])
    rows = []
    for deal in deals.itertuples(index=False):
        sellers = everyone if deal.sellers is None else sorted(deal.sellers)
        for seller in sellers:
            leg = (0.0, 0.0) if seller == deal.buyer else legs.get(
                (seller, deal.buyer, deal.commodity))
            if leg is None or (seller, deal.commodity) not in available:
                continue
            tariff = leg[1] / 100.0 * float(price.get(deal.commodity, 0.0))
            rows += [(deal.offtake, seller, deal.buyer, deal.commodity, y,
                      deal.price_usd_per_t, leg[0], tariff)
                     for y in data.years if deal.from_year <= y <= deal.to_year]
    frame = pd.DataFrame(rows, columns=SALE_COLUMNS)
    crossing = frame.rename(columns={"seller": "origin", "buyer": "destination"})
    frame = frame[~embargoed(data.rules.embargoes, crossing)].reset_index(drop=True)
    frame["transport_usd_per_t"] = frame["transport_usd_per_t"].to_numpy(
        dtype=float) * data.scale_factor("route_cost", frame, "seller", "year")
    return frame


def _sale_short_frame(data: ScenarioData) -> pd.DataFrame:
    """sale_short[k,y]: the take-or-pay tonnes of offtake k not delivered in year y,
    for the contract years of offtakes with min_tpa > 0, at the commodity's
    (scaled) shortfall penalty in the buyer's region."""
    deals = data.offtakes
    if deals.empty:
        return pd.DataFrame(columns=SALE_SHORT_COLUMNS)
    deals = deals[deals["min_tpa"] > 0]
    rows = [(d.offtake, d.buyer, d.commodity, y, d.min_tpa, d.max_tpa)
            for d in deals.itertuples(index=False)
            for y in data.years if d.from_year <= y <= d.to_year]
    frame = pd.DataFrame(rows, columns=SALE_SHORT_COLUMNS[:-1])
    penalty = _lookup(frame["commodity"], data.commodities.set_index("commodity")[
        "shortfall_penalty_usd_per_t"])
    frame["penalty_usd_per_t"] = penalty.to_numpy() * data.scale_factor(
        "penalty", frame, "buyer", "year")
    return frame


def net_process_io(process_io: pd.DataFrame) -> pd.DataFrame:
    """One net coefficient per (process, commodity): Σ out − Σ in.

    A process that takes a commodity in and gives some of it back (ox in 1, ox
    out 0.95) has one entry in that commodity's balance row, −0.05, not two;
    pairs that cancel (in 1, out 1) have none. Columns: process, commodity, net;
    pairs in the order first met in ``process_io``.
    """
    sign = np.where(process_io["direction"] == "out", 1.0, -1.0)
    signed = process_io[["process", "commodity"]].assign(
        net=process_io["coefficient"].to_numpy(dtype=float) * sign)
    net = signed.groupby(["process", "commodity"], sort=False, as_index=False)["net"]
    net = net.sum()
    return net[net["net"] != 0.0].reset_index(drop=True)


def _build_window(act: pd.DataFrame, build: pd.DataFrame, ramp: pd.DataFrame
                  ) -> pd.DataFrame:
    """Pairs (act row, build row) of the builds in service in the act row's year
    (y - L < y' <= y), sorted by act row then build row, with the usable fraction
    of the build's nameplate in that year (its ramp-up, year y - y' + 1)."""
    act_row, build_row = pairs(act, build, ["region", "process"])
    y = act["year"].to_numpy(dtype=np.int64)[act_row]
    y0 = build["year"].to_numpy(dtype=np.int64)[build_row]
    life = build["lifetime"].to_numpy(dtype=np.int64)[build_row]
    keep = (y - life < y0) & (y0 <= y)
    act_row, build_row = act_row[keep], build_row[keep]
    return pd.DataFrame({"act": act_row, "build": build_row,
                         "fraction": ramp_fraction(
                             ramp, act["process"].to_numpy()[act_row],
                             (y - y0 + 1)[keep])})


def _reserves(data: ScenarioData, act: pd.DataFrame) -> pd.DataFrame:
    keys = act[["region", "process"]].drop_duplicates()
    return data.reserves.merge(keys, on=["region", "process"])[
        ["region", "process", "reserve_t"]]


def _fixed_om_existing(data: ScenarioData, discount: dict[int, float]) -> pd.DataFrame:
    """Fixed O&M of existing capacity per (region, process, year): a constant."""
    frame = data.existing.copy()
    frame["fixed_om_usd"] = frame["capacity_tpa"] * _lookup(
        frame["process"], _process_attr(data, "fixed_om_usd_per_tpa")).fillna(0.0)
    frame["discount"] = frame["year"].map(discount).astype(float)
    return frame
