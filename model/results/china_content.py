r"""China content of the products supplied to demand (MODEL-SPEC §8.3), traced after
the solve by proportional sharing through every stage and trade.

A node is a balance row (region r, commodity c, year y). Its supply is every term
that brings c in: process output, shipments in and stock draws (shortfall is not
supply). Every tonne of the node is a mix of its supplies, so the node's China
share of element e, φ_{n,e}, is the supply-weighted mean of its supplies' shares:

    T_n φ_{n,e} = Σ_{supplies s of n} q_s σ_{s,e}

where q_s is the tonnes supplied and σ_{s,e}:

* output of a process in a region of bloc ``china``: 1 (made in China);
* output of a source process (no input) elsewhere: 0;
* output of any other process elsewhere: the mean of its inputs' φ, each input
  weighted by its tonnes × its content of e (``headline.element_content``), or by
  its tonnes alone when no input carries e (a concentrate's content is "mixed");
* a shipment from node m: φ_{m,e} (trade carries its origin);
* a stock draw: ``stockpiles.china_share`` (blank: 1 in a China region, else 0).

Per element this is one sparse linear system over all nodes and years,
(diag(T) − A) φ = b, with A ≥ 0 and each row's sum ≤ T_n (strictly diagonally
dominant once T carries a 1e-9 margin), solved directly; cycles (recycling,
two-way trade) are handled exactly. Demand is served from the node's mix, so a
region's supplied tonnes of c carry φ of the node: ``element_t`` = supplied_t ×
content of e per tonne of c, ``china_share`` = φ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data.indices import RCY, LPIndex
from model.data.origin import china_regions
from model.data.terms import term_rows
from model.solver.records import Solution

TYPE_CHECKING = False
if TYPE_CHECKING:  # scipy is imported by the tracing itself, not by its importers
    import scipy.sparse as sp

COLUMNS = ["scenario", "region", "commodity", "element", "year", "element_t",
           "china_share"]
MARGIN = 1e-9  # relative: keeps diag(T) − A strictly dominant on pure cycles
ZERO = 1e-6


def china_content(ix: LPIndex, sol: Solution, regions: pd.DataFrame,
                  content: pd.DataFrame, stock_share: np.ndarray, scenario: str
                  ) -> pd.DataFrame:
    """The ``china_content`` table of one solved scenario.

    ``content``: (commodity, element, oxide_t_per_t); ``stock_share``: the China
    share of each row of ``ix.stock`` (``model.data.origin.stock_china_share``)."""
    net = _network(ix, sol, regions, stock_share)
    demand = _supplied(ix, sol, net.node_of)
    wanted = demand.merge(content, on="commodity")
    wanted = wanted[wanted["oxide_t_per_t"] > 0]
    if not len(wanted):
        return pd.DataFrame(columns=COLUMNS)
    element = wanted["element"].to_numpy()
    node = wanted["node"].to_numpy()
    share = np.zeros(len(wanted))
    for name in np.unique(element):
        rows = element == name
        phi = _shares(net, _weights(net, content, name))
        share[rows] = np.clip(phi[node[rows]], 0.0, 1.0)
    out = pd.DataFrame({
        "scenario": scenario, "region": wanted["region"].to_numpy(),
        "commodity": wanted["commodity"].to_numpy(), "element": element,
        "year": wanted["year"].to_numpy(),
        "element_t": wanted["supplied_t"].to_numpy() * wanted["oxide_t_per_t"]
        .to_numpy(), "china_share": share})
    out = out[out["element_t"] > ZERO]
    return out.sort_values(["region", "commodity", "element", "year"]
                           ).reset_index(drop=True)[COLUMNS]


@dataclass
class _Network:
    """Supplies and process inputs of one solved scenario, in node numbers."""

    node_of: pd.DataFrame  # RCY → node
    total: np.ndarray      # T_n: tonnes supplied
    base: np.ndarray       # tonnes of China origin fixed by the data
    trade: sp.csr_matrix   # A_{n,m} of shipments
    made: dict[str, np.ndarray]  # process outputs outside China: node, act, t
    used: dict[str, np.ndarray]  # process inputs: act, node, commodity (a code
    # into commodities), t


def _network(ix: LPIndex, sol: Solution, regions: pd.DataFrame,
             stock_share: np.ndarray) -> _Network:
    terms = ix.balance_terms
    node, node_frame = term_rows(terms)  # a node: a balance row
    node_of = node_frame.assign(node=np.arange(len(node_frame)))
    family = _family_codes(terms["family"])
    position = terms["position"].to_numpy()
    value = np.zeros(len(terms))
    for code, name in enumerate(SUPPLIES):
        mask = family == code
        value[mask] = sol.values[name][position[mask]]
    qty = terms["coef"].to_numpy() * np.maximum(value, 0.0)
    n = len(node_frame)
    supply = (qty > 0) & (family >= 0)
    total = np.bincount(node[supply], weights=qty[supply], minlength=n).astype(float)
    in_china = terms["region"].isin(china_regions(regions)).to_numpy()
    act_out = supply & (family == ACT)
    base = np.zeros(n)
    base += np.bincount(node[act_out & in_china], weights=qty[act_out & in_china],
                        minlength=n)
    draw = supply & (family == RELEASE)
    base += np.bincount(node[draw], minlength=n,
                        weights=qty[draw] * stock_share[position[draw]])
    trade = _trade(terms, node, qty, family == FLOW, n)
    out = act_out & ~in_china
    made = {"node": node[out], "act": position[out], "t": qty[out]}
    use = (family == ACT) & (qty < 0)
    codes, commodities = pd.factorize(terms["commodity"].to_numpy()[use],
                                      use_na_sentinel=False)
    used = {"act": position[use].astype(np.int64), "node": node[use],
            "commodity": codes, "commodities": np.asarray(commodities, dtype=object),
            "t": -qty[use]}
    return _Network(node_of, total, base, trade, made, used)


SUPPLIES = ("act", "flow", "release")  # the families of terms that bring c in
ACT, FLOW, RELEASE = range(len(SUPPLIES))


def _family_codes(family: pd.Series) -> np.ndarray:
    """Each term's family as its place in ``SUPPLIES`` (-1: not a supply)."""
    codes, names = pd.factorize(family)
    place = np.array([SUPPLIES.index(f) if f in SUPPLIES else -1 for f in names],
                     dtype=np.int64)
    return place[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def _trade(terms: pd.DataFrame, node: np.ndarray, qty: np.ndarray,
           is_flow: np.ndarray, n: int) -> sp.csr_matrix:
    """A_{n,m}: tonnes shipped from node m into node n (each flow has one term at
    its destination, coef +1, and one at its origin, coef −1)."""
    import scipy.sparse as sp  # noqa: PLC0415

    position = terms["position"].to_numpy()
    coef = terms["coef"].to_numpy()
    into = is_flow & (coef > 0)
    origin = np.full(int(position[is_flow].max(initial=-1)) + 1, -1)
    origin[position[is_flow & (coef < 0)]] = node[is_flow & (coef < 0)]
    keep = into & (qty > 0)
    return sp.csr_matrix((qty[keep], (node[keep], origin[position[keep]])),
                         shape=(n, n))


def _weights(net: _Network, content: pd.DataFrame, element: str
             ) -> dict[str, np.ndarray]:
    """Each process input's weight for element e: tonnes × content of e, or tonnes
    alone for the inputs of an activity none of whose inputs carries e."""
    used = net.used
    per_t = _content_of(used["commodities"], content, element)[used["commodity"]]
    act = used["act"]
    carriers = np.bincount(act[per_t > 0], minlength=int(act.max(initial=-1)) + 1)
    weight = np.where(carriers[act] > 0, used["t"] * per_t, used["t"])
    return {"act": act, "node": used["node"], "w": weight}


def _content_of(commodity: np.ndarray, content: pd.DataFrame, element: str
                ) -> np.ndarray:
    """Tonnes of ``element`` per tonne of each ``commodity`` (0 when not listed)."""
    mine = content[content["element"].to_numpy() == element]
    at = pd.Index(mine["commodity"]).get_indexer(commodity)
    per_t = np.append(mine["oxide_t_per_t"].to_numpy(dtype=float), 0.0)[at]
    return np.where(np.isnan(per_t), 0.0, per_t)


def _shares(net: _Network, weights: dict[str, np.ndarray]) -> np.ndarray:
    """φ of every node for one element: solve (diag(T) − A) φ = b."""
    import scipy.sparse as sp  # noqa: PLC0415
    from scipy.sparse.linalg import spsolve  # noqa: PLC0415

    n = len(net.total)
    keep = weights["w"] > 0
    w, w_act, w_node = weights["w"][keep], weights["act"][keep], weights["node"][keep]
    acts = np.union1d(net.made["act"], w_act)
    mix = sp.csr_matrix((w, (np.searchsorted(acts, w_act), w_node)),
                        shape=(len(acts), n))
    row_sum = np.asarray(mix.sum(axis=1)).ravel()
    mix = sp.diags(np.divide(1.0, row_sum, out=np.zeros_like(row_sum),
                             where=row_sum > 0)) @ mix
    j_out = np.searchsorted(acts, net.made["act"])
    made = sp.csr_matrix((net.made["t"], (net.made["node"], j_out)),
                         shape=(n, len(acts)))
    a = (made @ mix + net.trade).tocsr()
    live = np.flatnonzero(net.total > ZERO)
    phi = np.zeros(n)
    if len(live):
        sub = a[live][:, live]
        system = sp.diags(net.total[live] * (1.0 + MARGIN)) - sub
        phi[live] = spsolve(system.tocsc(), net.base[live])
    return phi


def _supplied(ix: LPIndex, sol: Solution, node_of: pd.DataFrame) -> pd.DataFrame:
    """Supplied tonnes of every demand row (region, commodity, year) and its node."""
    frame = ix.short[RCY + ["demand_t"]].copy()
    short = np.minimum(np.maximum(sol.values["short"], 0.0), frame["demand_t"])
    frame["supplied_t"] = frame["demand_t"].to_numpy() - short
    return frame.merge(node_of, on=RCY, how="inner")[
        RCY + ["node", "supplied_t"]]


def alliance_share(table: pd.DataFrame, scope: set[str],
                   elements: tuple[str, ...] = ("NdPr", "Dy", "Tb")) -> pd.DataFrame:
    """China's share of the scope's supply of each element per scenario and year
    (scenario, element, year, element_t, china_share)."""
    rows = table[table["region"].isin(scope) & table["element"].isin(elements)]
    rows = rows.assign(china_t=rows["element_t"] * rows["china_share"])
    out = rows.groupby(["scenario", "element", "year"], as_index=False, sort=False)[
        ["element_t", "china_t"]].sum()
    out["china_share"] = out["china_t"] / out["element_t"].where(out["element_t"] > 0)
    return out.drop(columns="china_t").fillna({"china_share": 0.0})
