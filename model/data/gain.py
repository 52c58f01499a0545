"""Gain cycles: loops of processes that return more of a material than they take.

Each process with inputs gives, for every input ``c`` and output ``c'``, an edge
c → c' of the *commodity graph* with the ratio ``out(p, c') / in(p, c)``: the tonnes
of c' one tonne of c becomes when it alone is followed through ``p``. Following a
material round a cycle of edges c1 → c2 → ... → c1 multiplies these ratios; a
product above 1 means the cycle returns more of c1 than was put in, so running it
over and over creates material from nothing (1 t of ``ox`` in, 1.5 t out of the
same process; or ``ox`` → metal → ``ox`` via two processes whose ratios multiply
to 1.2). A process that gives back part of its input (``ox`` in 1 → ``ox`` out
0.95) is a cycle of product 0.95 and is fine. Routes move material without loss,
so a cycle through several regions gains exactly what its processes gain: the
check is on the processes alone, wherever they are placed.

A cycle is found by Bellman-Ford on the weights ``-log(ratio / (1 + GAIN_TOLERANCE))``
(a negative cycle is a product above ``(1 + GAIN_TOLERANCE)`` per step, so rounded
coefficients such as 1/3 = 0.333333 are not reported); each cycle found is
reported and its edges removed, until none is left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

GAIN_TOLERANCE = 1e-6
MAX_CYCLES = 20


@dataclass(frozen=True)
class Edge:
    """c → c' through ``process``, and the process_io row positions behind it."""

    source: str
    target: str
    process: str
    ratio: float
    in_pos: int
    out_pos: int


def commodity_edges(io: pd.DataFrame) -> list[Edge]:
    """Every edge of the commodity graph of ``process_io`` (unparsable rows skipped)."""
    rows = [(pos, r.process, r.commodity, r.direction, float(r.coefficient))
            for pos, r in enumerate(io.itertuples(index=False))
            if not pd.isna(r.coefficient) and float(r.coefficient) > 0]
    ins = [r for r in rows if r[3] == "in"]
    outs = [r for r in rows if r[3] == "out"]
    return [Edge(i[2], o[2], i[1], o[4] / i[4], i[0], o[0])
            for i in ins for o in outs if o[1] == i[1]]


def gain_cycles(io: pd.DataFrame) -> list[list[Edge]]:
    """Cycles of the commodity graph whose ratios multiply to more than 1."""
    edges = commodity_edges(io)
    cycles: list[list[Edge]] = []
    while len(cycles) < MAX_CYCLES:
        cycle = _negative_cycle(edges)
        if cycle is None:
            return cycles
        cycles.append(cycle)
        edges = [e for e in edges if e not in cycle]
    return cycles


def _negative_cycle(edges: list[Edge]) -> list[Edge] | None:
    nodes = sorted({e.source for e in edges} | {e.target for e in edges})
    dist = dict.fromkeys(nodes, 0.0)  # a virtual source reaches every node at 0
    pred: dict[str, Edge] = {}
    weight = {e: -math.log(e.ratio / (1 + GAIN_TOLERANCE)) for e in edges}
    last = None
    for _ in range(len(nodes)):
        last = None
        for edge in edges:
            if dist[edge.source] + weight[edge] < dist[edge.target] - 1e-12:
                dist[edge.target] = dist[edge.source] + weight[edge]
                pred[edge.target] = edge
                last = edge.target
        if last is None:
            return None
    if last is None:
        return None  # no edges at all
    for _ in range(len(nodes)):  # step back onto the cycle itself
        last = pred[last].source  # type: ignore[index]
    cycle, node = [], last
    while True:
        edge = pred[node]  # type: ignore[index]
        cycle.append(edge)
        node = edge.source
        if node == last:
            return cycle[::-1]


def product(cycle: list[Edge]) -> float:
    """The gain of a cycle: the product of its ratios."""
    return math.prod(e.ratio for e in cycle)


def describe(cycle: list[Edge]) -> str:
    """'ox → [refine ×1.5] → ox' for a cycle."""
    steps = "".join(f" → [{e.process} ×{e.ratio:.4g}] → '{e.target}'" for e in cycle)
    return f"'{cycle[0].source}'{steps}"
