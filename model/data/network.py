"""Source tracing: can every demanded commodity reach its region from some source?

A (region, commodity) pair is *available* when a stockpile holds the commodity
there, when a process with capacity or expansion in the region makes it and all of
that process's inputs are available in the region, or when a route brings it from
a region where it is available. Demand for a pair that is never available can only
ever be shortfall: almost always a missing row or a typo, so it is reported before
the solve, naming the demand row.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

Pair = tuple[str, str]


def available_pairs(tables: dict[str, pd.DataFrame]) -> set[Pair]:
    """Every (region, commodity) some source can supply (fixed point)."""
    io = tables["process_io"]
    inputs: dict[str, set[str]] = defaultdict(set)
    outputs: dict[str, set[str]] = defaultdict(set)
    for row in io.itertuples(index=False):
        (outputs if row.direction == "out" else inputs)[row.process].add(row.commodity)
    plants = _plants(tables)
    stock = tables["stockpiles"]
    available = {(r, c) for r, c, q in zip(stock["region"], stock["commodity"],
                                           stock["initial_t"], strict=True)
                 if not q <= 0}
    routes = list(zip(tables["routes"]["origin"], tables["routes"]["destination"],
                      tables["routes"]["commodity"], strict=True))
    commodities = set(tables["commodities"]["commodity"])
    while True:
        before = len(available)
        for region, process in plants:
            if all((region, c) in available for c in inputs[process]):
                available |= {(region, c) for c in outputs[process]}
        for origin, dest, commodity in routes:
            carried = commodities if commodity == "" else {commodity}
            available |= {(dest, c) for c in carried if (origin, c) in available}
        if len(available) == before:
            return available


def _plants(tables: dict[str, pd.DataFrame]) -> set[Pair]:
    cap = tables["capacity"]
    exp = tables["expansion"]
    existing = {(r, p) for r, p, q in zip(cap["region"], cap["process"],
                                          cap["capacity_tpa"], strict=True)
                if not q <= 0}
    buildable = {(r, p) for r, p, q in zip(exp["region"], exp["process"],
                                           exp["max_new_tpa"], strict=True)
                 if not q <= 0}
    return existing | buildable  # a value that failed to parse counts as present


def unreachable_demand(tables: dict[str, pd.DataFrame]) -> list[tuple[int, str]]:
    """(row position, message) of every positive demand no source can reach."""
    available = available_pairs(tables)
    demand = tables["demand"]
    out = []
    reported: set[Pair] = set()
    for pos, (region, commodity, qty) in enumerate(zip(
            demand["region"], demand["commodity"], demand["demand_t"], strict=True)):
        pair = (region, commodity)
        if pd.isna(qty) or qty <= 0 or pair in available or pair in reported:
            continue
        reported.add(pair)
        out.append((pos, f"demand for '{commodity}' in '{region}' cannot be met from "
                    "any source: no process with capacity or expansion makes it there "
                    "or in a region with a route to it, and no stockpile holds it"))
    return out
