"""Where the scope's supply comes from: who supplies us instead, and from when.

``supply_by_origin`` — per scenario, key product c and year y, the tonnes of c the
scope (regions of bloc alliance or partner, MODEL-SPEC §4) has, by the region where
it was made (``origin``) and the stage of the process that made it:

* made in a scope region r: Σₚ outₚ꜀ · actᵣₚᵧ, per stage of p (origin r);
* shipped into a scope region from a region o outside the scope: flowₒd꜀ᵧ, split
  over o's stages pro rata to o's output of c that year (stage ``trade`` when o
  made none of it: o passed on what it had bought or drawn from stock);
* released from a scope stockpile: origin r, stage ``stockpile``.

Shipments between scope regions move supply within the scope and are not counted
again; shipments out of the scope are not subtracted (the table is what the scope
made or received). Key products: the demanded end products (magnets, alloys) and the
oxides and metals their supply chains take in; in a case without demand for an end
product, the demanded commodities themselves.

``new_capacity_by_stage`` — per scenario, region and stage, the new capacity (tpa,
every online year) and its capex: the region × stage table of builds.
"""

from __future__ import annotations

import pandas as pd

from model.results.bottlenecks import supply_chain
from model.results.tables import columns_of

SUPPLY_COLUMNS = columns_of("supply_by_origin")
NEW_CAPACITY_COLUMNS = columns_of("new_capacity_by_stage")
END_PRODUCTS = ("magnet", "alloy")
SEPARATED = ("oxide", "metal")
TRADE, STOCKPILE = "trade", "stockpile"
TINY_T = 1e-9


def key_products(process_io: pd.DataFrame, commodities: pd.DataFrame,
                 demanded: list[str]) -> list[str]:
    """Demanded end products (in ``demanded`` order), then the oxides and metals
    their supply chains take in (in commodity-table order)."""
    kind = dict(zip(commodities["commodity"], commodities["kind"], strict=True))
    ends = [c for c in demanded if kind.get(c) in END_PRODUCTS]
    if not ends:
        return list(demanded)
    used: set[str] = set()
    inputs = process_io[process_io["direction"] == "in"]
    for product in ends:
        chain = supply_chain(process_io, product)
        used |= set(inputs.loc[inputs["process"].isin(chain), "commodity"])
    separated = [c for c in commodities["commodity"]
                 if c in used and kind.get(c) in SEPARATED and c not in ends]
    return ends + separated


def output_by_stage(production: pd.DataFrame, process_io: pd.DataFrame,
                    stage_of: dict[str, str], products: list[str]) -> pd.DataFrame:
    """Tonnes of each product made per (scenario, region, stage, commodity, year)."""
    outs = process_io[(process_io["direction"] == "out")
                      & process_io["commodity"].isin(products)]
    made = production.merge(outs[["process", "commodity", "coefficient"]],
                            on="process")
    made = made.assign(made_t=made["activity_t"] * made["coefficient"].astype(float),
                       stage=made["process"].map(stage_of))
    return made.groupby(["scenario", "region", "stage", "commodity", "year"],
                        as_index=False, sort=False)["made_t"].sum()


def supply_by_origin(tables: dict[str, pd.DataFrame], process_io: pd.DataFrame,
                     processes: pd.DataFrame, products: list[str],
                     scope: set[str]) -> pd.DataFrame:
    """The ``supply_by_origin`` table (module docstring), rows of zero left out."""
    stage_of = dict(zip(processes["process"], processes["stage"], strict=True))
    made = output_by_stage(tables["production"], process_io, stage_of, products)
    own = made[made["region"].isin(scope)].rename(
        columns={"region": "origin", "made_t": "supplied_t"})
    parts = [own, _imports(tables["flows"], made, products, scope),
             _releases(tables.get("stock"), products, scope)]
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=SUPPLY_COLUMNS)
    frame = frame.groupby(["scenario", "commodity", "origin", "stage", "year"],
                          as_index=False, sort=False)["supplied_t"].sum()
    frame = frame[frame["supplied_t"] > TINY_T]
    order = {c: i for i, c in enumerate(products)}
    frame = frame.assign(_p=frame["commodity"].map(order)).sort_values(
        ["scenario", "_p", "origin", "stage", "year"], kind="stable")
    return frame[SUPPLY_COLUMNS].reset_index(drop=True)


def _imports(flows: pd.DataFrame, made: pd.DataFrame, products: list[str],
             scope: set[str]) -> pd.DataFrame:
    """Shipments from outside the scope into it, split by the origin's stages."""
    into = flows[flows["commodity"].isin(products) & flows["destination"].isin(scope)
                 & ~flows["origin"].isin(scope)]
    if into.empty:
        return pd.DataFrame(columns=SUPPLY_COLUMNS)
    key = ["scenario", "origin", "commodity", "year"]
    into = into.groupby(key, as_index=False, sort=False)["quantity_t"].sum()
    mix = made.rename(columns={"region": "origin"})
    mix = mix.assign(share=mix["made_t"] / mix.groupby(key)["made_t"].transform("sum"))
    mix = mix[mix["share"] > 0]
    split = into.merge(mix[[*key, "stage", "share"]], on=key, how="left")
    split["stage"] = split["stage"].fillna(TRADE)
    split["supplied_t"] = split["quantity_t"] * split["share"].fillna(1.0)
    return split[SUPPLY_COLUMNS]


def _releases(stock: pd.DataFrame | None, products: list[str], scope: set[str]
              ) -> pd.DataFrame:
    """Draw-downs of scope stockpiles."""
    if stock is None or stock.empty:
        return pd.DataFrame(columns=SUPPLY_COLUMNS)
    rows = stock[stock["commodity"].isin(products) & stock["region"].isin(scope)]
    return rows.assign(origin=rows["region"], stage=STOCKPILE,
                       supplied_t=rows["release_t"])[SUPPLY_COLUMNS]


def new_capacity_by_stage(builds: pd.DataFrame, processes: pd.DataFrame
                          ) -> pd.DataFrame:
    """New capacity (tpa, all online years) and capex per scenario, region, stage."""
    if builds.empty:
        return pd.DataFrame(columns=NEW_CAPACITY_COLUMNS)
    stage_of = dict(zip(processes["process"], processes["stage"], strict=True))
    frame = builds.assign(stage=builds["process"].map(stage_of))
    frame = frame.groupby(["scenario", "region", "stage"], as_index=False,
                          sort=False)[["capacity_tpa", "capex_usd"]].sum()
    return frame[frame["capacity_tpa"] > TINY_T][NEW_CAPACITY_COLUMNS].reset_index(
        drop=True)
