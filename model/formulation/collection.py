"""Collection from the stock in use: end-of-life scrap arising is a convolution of
past deliveries with a lifetime distribution, and only a growing share of it can be
collected."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import LPIndex
from model.data.keys import key_codes, match_rows, pairs
from model.formulation.declare import ConstraintFamily, Rows, Terms

KEYS = ["region", "scrap", "year"]


def collection_rows(ix: LPIndex) -> Rows:
    r"""What a region collects of a scrap stays within the rate ceiling times the
    scrap its stock in use releases that year.

    Math:
        \sum_p \mathrm{out}_{p,s}\mathbf{act}_{r,p,y}
        + c_{r,s,y} \sum_{c} \sum_{y' < y} \lambda_{c,s,y-y'}\,\mathbf{short}_{r,c,y'}
        \le c_{r,s,y} \Big( \sum_{c} \sum_{y' < y} \lambda_{c,s,y-y'} D_{r,c,y'}
        + \sum_{c} \sum_{h < y_0} \lambda_{c,s,y-h} H_{r,c,h} \Big)
        \qquad \forall (r,s,y) \in \mathrm{COL}

        c_{r,s,y} = \min\big(\bar{c}_{r,s},\
        c^0_{r,s} + g_{r,s}\max(0, y - y^0_{r,s})\big)

    That is \sum_p \mathrm{out}\,\mathbf{act} \le c_{r,s,y} E_{r,s,y}, with the
    end-of-life scrap arising E_{r,s,y} = \sum_c \sum_{y'<y} \lambda_{c,s,y-y'}
    (D_{r,c,y'} - \mathbf{short}_{r,c,y'}) + history: what was delivered to demand
    in earlier years (an LP expression) spread over the lifetime distribution.
    Symbols: \lambda_{c,s,k} = ``eol_lifetimes.share`` of product c and scrap s,
    k = ``years_after``; D = ``demand.demand_t`` (interpolated, scaled), so
    D - \mathbf{short} is the delivered quantity; H = ``eol_history.delivered_t``
    (years h before base_year y_0); out_{p,s} = ``process_io.coefficient`` of
    every process p making s in r (the collection processes);
    \bar{c} = ``eol_collection.max_rate``, c^0 = ``start_rate``, y^0 =
    ``start_year`` (blank = base_year), g = ``growth_per_year`` (blank: c =
    \bar{c}), from the most specific row whose target covers r (region, then
    bloc, then blank). The collection rate may grow by g a year: c is the largest
    rate such a path reaches, and a rate variable \rho_{r,s,y} \le c with
    \sum \mathrm{out}\,\mathbf{act} \le \rho E would be bilinear, cost nothing
    and only relax, so its optimum is \rho = c: the row above is that program,
    exactly and linearly.
    COL = every (r, s, y) an ``eol_collection`` row covers where some process
    makes s in r. Keys: (region, scrap, year).
    Spec: issue 14 item 2 (recycling from the stock in use).
    Tests: tests/formulation/test_collection.py.
    """
    collected = _collected(ix)
    first = np.ones(len(collected), dtype=bool)  # the first term of a row
    code = collected["code"].to_numpy()
    first[1:] = code[1:] != code[:-1]
    act_row = np.cumsum(first) - 1
    covering = collected["collection"].to_numpy()[first]  # rows of ix.collection
    keys = ix.collection[KEYS].iloc[covering].reset_index(drop=True)
    ceiling = ix.collection["ceiling"].to_numpy(dtype=float)[covering]
    row_of = np.full(len(ix.collection) + 1, -1)  # [-1]: no collection row
    row_of[covering] = np.arange(len(covering))
    rel_row, position, share, demand = _released(ix, row_of)
    rhs = np.zeros(len(keys))
    np.add.at(rhs, rel_row, share * demand)
    hist_row = row_of[match_rows(ix.eol_history, ix.collection, KEYS)]
    np.add.at(rhs, hist_row[hist_row >= 0],
              ix.eol_history["scrap_t"].to_numpy(dtype=float)[hist_row >= 0])
    return Rows(keys, ceiling * rhs, (
        Terms("act", act_row, collected["position"].to_numpy(dtype=np.int64),
              collected["net"].to_numpy()),
        Terms("short", rel_row, position, ceiling[rel_row] * share),
    ))


def _collected(ix: LPIndex) -> pd.DataFrame:
    """act rows making a covered scrap: region, scrap, year, position, net, the
    covering row of ``ix.collection`` (``collection``) and the key's ``code``,
    sorted by key and position."""
    terms = ix.balance_terms
    made = np.flatnonzero(((terms["family"] == "act") & (terms["coef"] > 0))
                          .to_numpy())
    act = pd.DataFrame({
        "region": terms["region"].array.take(made),
        "scrap": terms["commodity"].array.take(made),
        "year": terms["year"].to_numpy()[made],
        "position": terms["position"].to_numpy()[made],
        "net": terms["coef"].to_numpy()[made]})
    code, table = key_codes(act, ix.collection, KEYS)
    covering = pd.Index(table).get_indexer(code)
    act = act.assign(collection=covering, code=code)[covering >= 0]
    order = np.lexsort((act["position"].to_numpy(), act["code"].to_numpy()))
    return act.iloc[order].reset_index(drop=True)


def _released(ix: LPIndex, row_of: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per short variable (demand row) and later year its delivery releases scrap
    in, where that (region, scrap, year) has a row (``row_of``: the row of each
    ``ix.collection`` row, -1 for none): the row, the short variable's position,
    the share and the demand, by row then position (then ``ix.lifetimes``
    order)."""
    short, life = ix.short, ix.lifetimes
    i, j = pairs(short[["commodity"]].rename(columns={"commodity": "product"}),
                 life, ["product"])
    released = pd.DataFrame({
        "region": short["region"].array.take(i),
        "scrap": life["scrap"].array.take(j),
        "year": short["year"].to_numpy(dtype=np.int64)[i]
        + life["years_after"].astype("int64").to_numpy()[j]})
    row = row_of[match_rows(released, ix.collection, KEYS)]
    i, j, row = i[row >= 0], j[row >= 0], row[row >= 0]
    order = np.lexsort((i, row))
    return (row[order], i[order], life["share"].to_numpy(dtype=float)[j[order]],
            short["demand_t"].to_numpy(dtype=float)[i[order]])


COLLECTION = ConstraintFamily("collection", "<=", collection_rows,
                              "collected scrap <= rate ceiling x end-of-life scrap",
                              friction="collection")
