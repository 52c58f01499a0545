"""report.xlsx of ``reroute frontier``: the breakpoints with their slopes, the
cost of being self-sufficient by each year, and both curves as native charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.frontier.trace import Point
from model.report.excel.study_book import write_study_book
from model.report.excel.cells import FMT_T, FMT_USD_M, HEADING, Rows
from model.report.excel.charts import XYBook

FORMATS = {"unmet_reference_usd": FMT_USD_M, "total_cost_usd": FMT_USD_M,
           "full_cost_usd": FMT_USD_M, "shortfall_t": FMT_T, "slope": "0.000",
           "year": "0"}


def write_frontier_report(case_name: str, scenario: str, penalty: Point,
                          tables: dict[str, pd.DataFrame], path: Path) -> None:
    write_study_book(path, "Frontier", lambda rows: _first(rows, case_name, scenario,
                                                     penalty, tables),
               lambda book: _charts(book, tables), tables)


def _first(rows: Rows, case_name: str, scenario: str, p: Point,
           tables: dict[str, pd.DataFrame]) -> None:
    rows.text(f"Cost–shortfall frontier of {scenario} ({case_name})", HEADING)
    rows.paragraph(
        "Each row is a breakpoint of the exact frontier: the least discounted "
        "supply cost (total_cost_usd, penalty excluded) at which the unmet demand, "
        "valued at reference prices and discounted (unmet_reference_usd), is at "
        "most that row's value. Between two rows the frontier is a straight line; "
        "slope is its change of cost per US$ of unmet demand (negative: minus the "
        "slope is what avoiding one more US$ of unmet demand costs there).")
    rows.append()
    frame = tables["frontier"].drop(columns="scenario")
    rows.block("Breakpoints (USD m)", frame, FORMATS)
    rows.append()
    rows.paragraph(f"The penalty solve (the scenario as reroute solve prices "
                   f"shortfall) lies on the frontier at unmet "
                   f"{p.unmet_usd / 1e6:,.1f} USD m and cost {p.cost_usd / 1e6:,.1f}"
                   " USD m.")
    rows.append()
    ssb = tables["self_sufficient_by"].drop(columns="scenario")
    rows.block("Self-sufficient by year Y: least full cost with every commodity "
               "met within tolerance from Y on (blank: no plan achieves it)", ssb,
               FORMATS)


def _charts(book: XYBook, tables: dict[str, pd.DataFrame]) -> None:
    frontier = tables["frontier"][["unmet_reference_usd", "total_cost_usd"]]
    book.add_xy("Least cost for a given unmet demand", frontier,
                "unmet demand at reference prices (USD m)", "total cost (USD m)")
    ssb = tables["self_sufficient_by"].dropna(subset=["total_cost_usd"])
    book.add_xy("Cost of being self-sufficient by year Y",
                ssb[["year", "total_cost_usd"]], "year Y", "total cost (USD m)",
                x_fmt="0")
