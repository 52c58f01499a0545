"""Synthetic cases with the default case's structure, at any size.

``write_synthetic(out, SynthSpec(regions=N, years=Y))`` writes a valid MODEL-SPEC case
(a folder of CSV files): ore baskets split by separation into element oxides, metal,
alloy and magnet making, magnet scrap recycling, China market offers, a sparse route
network (a ring plus random links, China linked to every region), stockpiles,
reserves, an export quota and an embargo. Sizes grow linearly with ``regions`` ×
``years``: about 120 LP columns per region and year in the baseline at
``degree=4`` (1,040 regions × 16 years ≈ 2.2M columns).
The same spec and seed always give the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ORES = {  # ore type → oxide basket (shares of the separated oxides)
    "bastnasite": {"La": 0.33, "Ce": 0.49, "NdPr": 0.16, "Sm": 0.01, "Gd": 0.004,
                   "Tb": 0.0005, "Dy": 0.0015, "Y": 0.004},
    "monazite": {"La": 0.22, "Ce": 0.45, "NdPr": 0.23, "Sm": 0.03, "Gd": 0.02,
                 "Tb": 0.002, "Dy": 0.008, "Y": 0.04},
    "xenotime": {"La": 0.01, "Ce": 0.03, "NdPr": 0.05, "Sm": 0.02, "Gd": 0.04,
                 "Tb": 0.01, "Dy": 0.08, "Y": 0.61},
    "ionic": {"La": 0.20, "Ce": 0.03, "NdPr": 0.25, "Sm": 0.04, "Gd": 0.06,
              "Tb": 0.01, "Dy": 0.06, "Y": 0.35},
}
ELEMENTS = ("La", "Ce", "NdPr", "Sm", "Gd", "Tb", "Dy", "Y")
METALS = ("NdPr", "Tb", "Dy")
OXIDE_PRICE = {"La": 1_000, "Ce": 1_000, "NdPr": 60_000, "Sm": 3_000, "Gd": 20_000,
               "Tb": 900_000, "Dy": 250_000, "Y": 8_000}
MAGNET_PRICE = 80_000


@dataclass(frozen=True)
class SynthSpec:
    """Size and shape of a synthetic case."""

    regions: int = 20
    years: int = 16
    degree: int = 4
    seed: int = 0
    base_year: int = 2025

    @property
    def end_year(self) -> int:
        return self.base_year + self.years - 1


def region_names(n: int) -> list[str]:
    """'CN' (bloc china) first, then R001, R002, ..."""
    return ["CN"] + [f"R{i:03d}" for i in range(1, n)]


def _blocs(n: int, rng: np.random.Generator) -> list[str]:
    pool = rng.choice(["alliance", "partner", "other"], size=n - 1, p=[0.4, 0.2, 0.4])
    pool[:2] = ["alliance", "partner"][: min(2, n - 1)]
    return ["china"] + list(pool)


def regions_table(spec: SynthSpec, rng: np.random.Generator) -> pd.DataFrame:
    names = region_names(spec.regions)
    return pd.DataFrame({
        "region": names, "name": [f"Region {r}" for r in names],
        "bloc": _blocs(spec.regions, rng),
        "capex_index": np.round(rng.uniform(0.7, 1.6, spec.regions), 3),
        "opex_index": np.round(rng.uniform(0.6, 1.5, spec.regions), 3),
    })


def commodities_table() -> pd.DataFrame:
    rows = [(f"ore_{o}", "ore", "", 200.0, 2_000.0) for o in ORES]
    rows += [(f"ox_{e}", "oxide", e, OXIDE_PRICE[e], 3.0 * OXIDE_PRICE[e])
             for e in ELEMENTS]
    rows += [(f"met_{e}", "metal", e, 1.4 * OXIDE_PRICE[e], 4.0 * OXIDE_PRICE[e])
             for e in METALS]
    rows += [("alloy_NdFeB", "alloy", "NdPr", 70_000.0, 250_000.0),
             ("mag_NdFeB", "magnet", "NdPr", MAGNET_PRICE, 400_000.0),
             ("scrap_NdFeB", "scrap", "NdPr", 20_000.0, 60_000.0)]
    return pd.DataFrame(rows, columns=["commodity", "kind", "element",
                                       "reference_price_usd_per_t",
                                       "shortfall_penalty_usd_per_t"])


def market_commodities() -> list[str]:
    """Commodities China sells on the market (oxides, metals, magnets)."""
    return ([f"ox_{e}" for e in ELEMENTS] + [f"met_{e}" for e in METALS]
            + ["mag_NdFeB"])


def processes_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(processes, process_io) of every stage of the chain."""
    procs: list[tuple] = []
    io: list[tuple] = []
    for ore, basket in ORES.items():
        procs.append((f"mine_{ore}", "mining", 5, 30, 30_000.0, 900.0, 150.0, 0.9))
        io.append((f"mine_{ore}", f"ore_{ore}", "out", 1.0))
        procs.append((f"sep_{ore}", "separation", 3, 25, 60_000.0, 1_800.0, 2_500.0,
                      0.9))
        io.append((f"sep_{ore}", f"ore_{ore}", "in", 1.0))
        io += [(f"sep_{ore}", f"ox_{e}", "out", round(0.95 * share, 6))
               for e, share in basket.items()]
    for e in METALS:
        procs.append((f"metal_{e}", "metal", 2, 25, 40_000.0, 1_200.0, 8_000.0, 0.95))
        io += [(f"metal_{e}", f"ox_{e}", "in", 1.2),
               (f"metal_{e}", f"met_{e}", "out", 1.0)]
    procs.append(("alloy_NdFeB", "alloy", 2, 25, 20_000.0, 600.0, 3_000.0, 0.95))
    io += [("alloy_NdFeB", "met_NdPr", "in", 0.29),
           ("alloy_NdFeB", "met_Dy", "in", 0.02),
           ("alloy_NdFeB", "met_Tb", "in", 0.005),
           ("alloy_NdFeB", "alloy_NdFeB", "out", 1.0)]
    procs.append(("magnet_NdFeB", "magnet", 3, 20, 150_000.0, 4_500.0, 10_000.0, 0.9))
    io += [("magnet_NdFeB", "alloy_NdFeB", "in", 1.25),
           ("magnet_NdFeB", "mag_NdFeB", "out", 1.0),
           ("magnet_NdFeB", "scrap_NdFeB", "out", 0.2)]
    procs.append(("recycle_NdFeB", "recycling", 2, 20, 30_000.0, 900.0, 5_000.0, 0.9))
    io += [("recycle_NdFeB", "scrap_NdFeB", "in", 1.0),
           ("recycle_NdFeB", "ox_NdPr", "out", 0.25),
           ("recycle_NdFeB", "ox_Dy", "out", 0.015)]
    for c in market_commodities():
        price = float(commodities_table().set_index("commodity").at[
            c, "reference_price_usd_per_t"])
        procs.append((f"market_{c}", "market", 0, 50, 0.0, 0.0, price, 1.0))
        io.append((f"market_{c}", c, "out", 1.0))
    processes = pd.DataFrame(procs, columns=[
        "process", "stage", "lead_time_years", "lifetime_years", "capex_usd_per_tpa",
        "fixed_om_usd_per_tpa", "variable_cost_usd_per_t", "availability"])
    process_io = pd.DataFrame(io, columns=["process", "commodity", "direction",
                                           "coefficient"])
    return processes, process_io


def _plant_processes(processes: pd.DataFrame) -> list[str]:
    return list(processes.loc[processes["stage"] != "market", "process"])


def capacity_table(spec: SynthSpec, processes: pd.DataFrame,
                   rng: np.random.Generator) -> pd.DataFrame:
    """China holds every plant and the market offers; others hold a few plants."""
    plants = _plant_processes(processes)
    markets = list(processes.loc[processes["stage"] == "market", "process"])
    n = spec.regions
    rows = [("CN", p, 60_000.0, "", "") for p in plants]
    rows += [("CN", p, 1e6, "", "") for p in markets]
    for region in region_names(n)[1:]:
        for p in plants:
            if rng.random() < 0.15:
                retire = (str(spec.base_year + int(rng.integers(3, spec.years + 3)))
                          if rng.random() < 0.3 else "")
                rows.append((region, p, float(round(rng.uniform(200, 5_000))),
                             str(spec.base_year - int(rng.integers(0, 10))), retire))
    return pd.DataFrame(rows, columns=["region", "process", "capacity_tpa",
                                       "online_year", "retire_year"])


def expansion_table(spec: SynthSpec, processes: pd.DataFrame,
                    rng: np.random.Generator) -> pd.DataFrame:
    plants = _plant_processes(processes)
    rows = []
    for region in region_names(spec.regions)[1:]:
        for p in plants:
            if rng.random() < 0.4:
                total = float(round(rng.uniform(2_000, 40_000)))
                per_year = float(round(total / rng.uniform(2, 5)))
                early = (str(spec.base_year + 1) if rng.random() < 0.05 else "")
                rows.append((region, p, total if rng.random() < 0.7 else "", per_year,
                             early))
    return pd.DataFrame(rows, columns=["region", "process", "max_new_tpa",
                                       "max_new_tpa_per_year", "earliest_online_year"])


def reserves_table(capacity: pd.DataFrame, expansion: pd.DataFrame,
                   rng: np.random.Generator) -> pd.DataFrame:
    keys = ["region", "process"]
    pairs = pd.concat([capacity[keys], expansion[keys]])
    pairs = pairs[pairs["process"].str.startswith("mine_")].drop_duplicates()
    pairs = pairs.sort_values(["region", "process"]).reset_index(drop=True)
    pairs["reserve_t"] = np.round(rng.uniform(5e4, 2e6, len(pairs)))
    return pairs


def demand_table(spec: SynthSpec, regions: pd.DataFrame,
                 rng: np.random.Generator) -> pd.DataFrame:
    """Magnet and oxide demand in China and the alliance, given at three years."""
    users = regions.loc[regions["bloc"] != "other", "region"]
    given = sorted({spec.base_year, spec.base_year + spec.years // 2, spec.end_year})
    base_t = {"mag_NdFeB": 3_000.0, "ox_NdPr": 300.0, "ox_La": 800.0, "ox_Ce": 1_500.0,
              "ox_Dy": 20.0, "ox_Tb": 5.0, "ox_Y": 200.0}
    rows = []
    for region in users:
        size = 10.0 if region == "CN" else rng.uniform(0.2, 2.0)
        growth = rng.uniform(0.02, 0.09)
        for c, t in base_t.items():
            for y in given:
                rows.append((region, c, y, round(size * t * (1 + growth) **
                                                 (y - spec.base_year), 3)))
    return pd.DataFrame(rows, columns=["region", "commodity", "year", "demand_t"])


def routes_table(spec: SynthSpec, rng: np.random.Generator) -> pd.DataFrame:
    """A ring, ``degree - 2`` random links out of each region, China to and from all."""
    names = region_names(spec.regions)
    n = len(names)
    arcs: set[tuple[int, int]] = set()
    for i in range(1, n):
        j = 1 + (i % (n - 1))
        if i != j:
            arcs |= {(i, j), (j, i)}
        arcs |= {(0, i), (i, 0)}
        for k in rng.integers(1, n, size=max(0, spec.degree - 2)) if n > 2 else []:
            if int(k) != i:
                arcs.add((i, int(k)))
    ordered = sorted(arcs)
    cost = np.round(rng.uniform(20, 400, len(ordered)), 2)
    tariff = np.where(rng.random(len(ordered)) < 0.2, 10.0, 0.0)
    return pd.DataFrame({"origin": [names[a] for a, _ in ordered],
                         "destination": [names[b] for _, b in ordered],
                         "commodity": "", "cost_usd_per_t": cost, "tariff_pct": tariff,
                         "transit_days": 30})


def stockpiles_table(regions: pd.DataFrame) -> pd.DataFrame:
    allies = regions.loc[regions["bloc"] == "alliance", "region"]
    rows = [(r, c, t, t / 4) for r in allies
            for c, t in (("ox_Dy", 60.0), ("ox_Tb", 15.0), ("mag_NdFeB", 2_000.0))]
    return pd.DataFrame(rows, columns=["region", "commodity", "initial_t",
                                       "max_release_tpa"])


def scenario_tables(spec: SynthSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Baseline, an export quota, an embargo, and an embargo under stress."""
    y1 = spec.base_year + 1
    scenarios = pd.DataFrame({
        "scenario": ["baseline", "quota", "embargo", "embargo_stress"],
        "description": ["China supplies the world", "China caps heavy oxide exports",
                        "China stops all exports", "embargo, higher demand, slower "
                        "permits, dearer plants"],
        "is_baseline": ["true", "false", "false", "false"],
    })
    rules = pd.DataFrame([
        ("quota", "export_quota", "china", "ox_Dy", "", 50.0, y1),
        ("quota", "export_quota", "china", "ox_Tb", "", 10.0, y1),
        ("embargo", "embargo", "china", "", "", "", y1),
        ("embargo_stress", "embargo", "china", "", "", "", y1),
        ("embargo_stress", "scale", "", "", "demand", 1.3, y1),
        ("embargo_stress", "scale", "alliance", "", "capex", 1.2, spec.base_year),
        ("embargo_stress", "lead_time_add", "alliance", "", "separation", 2, ""),
    ], columns=["scenario", "rule", "target", "commodity", "field", "value",
                "from_year"])
    return scenarios, rules


def synthetic_tables(spec: SynthSpec) -> dict[str, pd.DataFrame]:
    """Every table of the synthetic case."""
    if spec.regions < 3 or spec.years < 2:
        raise ValueError("a synthetic case needs at least 3 regions and 2 years")
    rng = np.random.default_rng(spec.seed)
    regions = regions_table(spec, rng)
    processes, process_io = processes_tables()
    capacity = capacity_table(spec, processes, rng)
    expansion = expansion_table(spec, processes, rng)
    scenarios, rules = scenario_tables(spec)
    return {
        "settings": pd.DataFrame({"key": ["base_year", "end_year", "discount_rate"],
                                  "value": [spec.base_year, spec.end_year, 0.06]}),
        "regions": regions, "commodities": commodities_table(),
        "processes": processes, "process_io": process_io, "capacity": capacity,
        "expansion": expansion, "reserves": reserves_table(capacity, expansion, rng),
        "demand": demand_table(spec, regions, rng), "routes": routes_table(spec, rng),
        "stockpiles": stockpiles_table(regions), "scenarios": scenarios,
        "scenario_rules": rules,
    }


def write_synthetic(out: str | Path, spec: SynthSpec) -> Path:
    """Write the synthetic case as ``out/<table>.csv``; returns ``out``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in synthetic_tables(spec).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
