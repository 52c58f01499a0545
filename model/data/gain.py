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

Co-products add up where one path does not: 1 t of ``ox`` giving 0.5 t of ``ox``
and 0.2 t of scrap, and a recycler giving 4 t of ``ox`` per tonne of scrap, have
cycles of product 0.5 and 0.8, yet together return 1.3 t. So a second test asks
the exact question as a small LP over the processes with inputs (activities
x >= 0, ``A`` the net output per unit of activity): is there x with ``A x >= 0``
(nothing consumed on net) and ``sum(A x) > 0`` (something made)? By Stiemke's
lemma there is none exactly when every commodity can be given a positive weight
under which no process puts out more weight than it takes in. The activities are
scaled so that their inputs total 1 t; a net output above ``GAIN_TOLERANCE`` t is
a *free lunch*, reported with its processes and what it makes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

GAIN_TOLERANCE = 1e-6
MAX_CYCLES = 20
GAIN_RULE = (
    "no cycle of processes creates material: for each process, an input c and an "
    "output c' give the ratio out(c') / in(c) (tonnes of c' per tonne of c followed "
    "through the process); round any cycle c1 -> c2 -> ... -> c1 these ratios must "
    f"multiply to at most 1 (tolerance {GAIN_TOLERANCE:g} per step). A process "
    "giving back part of its input (ox in 1 -> ox out 0.95) is fine; 1 t in and "
    "1.5 t out of the same commodity, or ox -> metal -> ox through two processes "
    "whose ratios multiply above 1, is an error naming the cycle. As co-products "
    "add up where one path does not, an exact second test (a small LP) asks "
    "whether the processes with inputs can run so that they consume no commodity "
    f"on net and make more than {GAIN_TOLERANCE:g} t per t of input: if so, the "
    "error names the processes and what they make. Routes carry material without "
    "loss, so both tests cover every process wherever it is placed")


@dataclass(frozen=True)
class Edge:
    """c → c' through ``process``, and the process_io row positions behind it."""

    source: str
    target: str
    process: str
    ratio: float
    in_pos: int
    out_pos: int


IoRow = tuple[int, str, str, str, float]


def _io_rows(io: pd.DataFrame) -> list[IoRow]:
    """(position, process, commodity, direction, coefficient) of the usable rows."""
    return [(pos, r.process, r.commodity, r.direction, float(r.coefficient))
            for pos, r in enumerate(io.itertuples(index=False))
            if not pd.isna(r.coefficient) and float(r.coefficient) > 0
            and r.direction in ("in", "out")]


def commodity_edges(io: pd.DataFrame) -> list[Edge]:
    """Every edge of the commodity graph of ``process_io`` (unparsable rows skipped)."""
    rows = _io_rows(io)
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


def cycle_message(cycle: list[Edge]) -> str:
    """The error text of a gain cycle."""
    names = ", ".join(f"'{p}'" for p in dict.fromkeys(e.process for e in cycle))
    return (f"gain cycle {describe(cycle)}: following '{cycle[0].source}' round it "
            f"returns {product(cycle):.4g} t for every 1 t put in (processes "
            f"{names}), so running it creates material from nothing; check the "
            "coefficients (a process may give back less than it takes, e.g. in 1 "
            "-> out 0.95)")


@dataclass(frozen=True)
class FreeLunch:
    """Processes that, run together at ``activity``, consume nothing on net and
    make ``made`` (tonnes per tonne of input); ``out_pos`` locates the problem."""

    activity: dict[str, float]
    made: dict[str, float]
    out_pos: int


def free_lunch(io: pd.DataFrame) -> FreeLunch | None:
    """A way to run processes with inputs that makes material from nothing."""
    rows = _io_rows(io)
    processes = sorted(_closed_processes(rows))
    commodities = sorted({r[2] for r in rows if r[1] in processes})
    if not processes:
        return None
    col = {p: j for j, p in enumerate(processes)}
    row = {c: i for i, c in enumerate(commodities)}
    net = np.zeros((len(commodities), len(processes)))
    input_mass = np.zeros(len(processes))
    for _pos, p, c, direction, coef in rows:
        if p in col:
            net[row[c], col[p]] += coef if direction == "out" else -coef
            input_mass[col[p]] += coef if direction == "in" else 0.0
    x = _max_net_output(net, input_mass)
    if x is None:
        return None
    made = net @ x
    if made.sum() <= GAIN_TOLERANCE:
        return None
    return _describe_lunch(rows, processes, commodities, x, made)


def _closed_processes(rows: list[IoRow]) -> set[str]:
    """Processes with inputs that could run without anything from outside: those
    left after repeatedly dropping a process with an input no remaining process
    makes. A free lunch can only use these; usually none is left, and no LP runs."""
    inputs: dict[str, set[str]] = {}
    outputs: dict[str, set[str]] = {}
    for _pos, p, c, direction, _coef in rows:
        (inputs if direction == "in" else outputs).setdefault(p, set()).add(c)
    kept = set(inputs)
    while True:
        made = set().union(*(outputs.get(p, set()) for p in kept))
        left = {p for p in kept if inputs[p] <= made}
        if left == kept:
            return kept
        kept = left


def _max_net_output(net: np.ndarray, input_mass: np.ndarray) -> np.ndarray | None:
    """argmax sum(net x) s.t. net x >= 0, input_mass . x <= 1, x >= 0 (HiGHS)."""
    from model.solver.highs import solve_apart  # noqa: PLC0415  # only when needed
    from model.solver.records import column_wise_lp  # noqa: PLC0415

    n_row, n_col = net.shape
    matrix = np.vstack([net, input_mass])
    lp = column_wise_lp(
        -net.sum(axis=0), np.full(n_col, np.inf), 0.0,
        np.append(np.zeros(n_row), -np.inf), np.append(np.full(n_row, np.inf), 1.0),
        np.arange(n_col + 1) * (n_row + 1), np.tile(np.arange(n_row + 1), n_col),
        matrix.T.ravel())
    x = solve_apart(lp)
    return None if x is None else np.clip(x, 0, None)


def _describe_lunch(rows: list[IoRow], processes: list[str], commodities: list[str],
                    x: np.ndarray, made: np.ndarray) -> FreeLunch:
    activity = {p: float(v) for p, v in zip(processes, x, strict=True) if v > 1e-9}
    gained = {c: float(v) for c, v in zip(commodities, made, strict=True)
              if v > GAIN_TOLERANCE / len(commodities)}
    out_pos = next((pos for pos, p, c, d, _coef in rows
                    if d == "out" and p in activity and c in gained), rows[0][0])
    return FreeLunch(activity, gained, out_pos)


def lunch_message(lunch: FreeLunch) -> str:
    """The error text of a free lunch."""
    run = ", ".join(f"'{p}' ×{a:.4g}" for p, a in lunch.activity.items())
    made = ", ".join(f"{t:.4g} t of '{c}'" for c, t in lunch.made.items())
    return (f"gain cycle through co-products: processes {run} (activities per 1 t "
            f"of input) together consume no commodity on net and make {made} from "
            "nothing; check the coefficients of these processes")
