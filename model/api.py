"""The notebook API: load a case, edit it, solve it, query and plot the results.

    import model.api as rr
    case = rr.load()                                  # the bundled default case
    case = rr.add_scenario(case, "no_recycling", based_on="decoupling")
    case = rr.add_rule(case, "no_recycling", "scale", field="capacity",
                       value=0.5, commodity="magnet_ndfeb", source="[E] test")
    run = rr.solve(case, scenarios=["no_recycling"])
    rr.headline(run)                                  # one row per scenario
    rr.query(run, "shortfall", scenario="no_recycling", region="US")
    rr.plot_value_met(run)                            # needs reroute[plot]

Edits never change the case in place: ``add_rule`` and ``add_scenario`` return a
new ``Case`` whose tables are copies; ``with_table`` replaces one table. Any edit
is checked by the same rules as a file when the case is solved (``run_case``
types and validates a ``Case`` again; bad input raises ``InputError`` naming the
table, row and column). docs/api.md has the worked example.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from model.cli import bundled_case
from model.data.case import Case, load_case, recheck_case
from model.pipeline import RunResult, run_case
from model.results.tables import TABLE_ORDER
from model.solver.records import SolveOptions

HEADLINE_COLUMNS = ("scenario", "compare_to", "full_cost_premium_pct",
                    "delivered_cost_premium_pct", "cost_premium_pct",
                    "unmet_share_pct", "worst_year", "mostly_met_year",
                    "self_sufficient_year")
PLOT_HINT = "plotting needs matplotlib: pip install 'reroute[plot]'"


def load(path: str | Path | None = None) -> Case:
    """The case at ``path`` (CSV folder or .xlsx), or the bundled default case."""
    return load_case(path if path is not None else bundled_case())


def with_table(case: Case, name: str, frame: pd.DataFrame) -> Case:
    """A copy of ``case`` whose table ``name`` is ``frame`` (checked when solved)."""
    frame = frame.copy()
    frame.attrs = dict(case.tables[name].attrs) if name in case.tables else {}
    return replace(case, tables={**case.tables, name: frame})


def add_rows(case: Case, name: str, rows: list[dict[str, Any]]) -> Case:
    """A copy of ``case`` with ``rows`` (column -> value; missing columns blank)
    appended to table ``name``."""
    table = case.tables[name]
    columns = [*table.columns, *(c for r in rows for c in r if c not in table)]
    columns = list(dict.fromkeys(columns))
    records = [*table.to_dict("records"), *({c: r.get(c) for c in columns}
                                             for r in rows)]
    return with_table(case, name, pd.DataFrame(records, columns=columns))


def add_scenario(case: Case, name: str, description: str = "",
                 based_on: str = "", compare_to: str = "", source: str = ""
                 ) -> Case:
    """A copy of ``case`` with a new (non-baseline) scenario; ``based_on`` gives it
    its parent's rules first (MODEL-SPEC §2)."""
    return add_rows(case, "scenarios", [{
        "scenario": name, "description": description, "is_baseline": False,
        "compare_to": compare_to, "based_on": based_on, "source": source}])


def add_rule(case: Case, scenario: str, rule: str, target: str = "",
             commodity: str = "", field: str = "", value: float | None = None,
             from_year: int | None = None, source: str = "") -> Case:
    """A copy of ``case`` with one more row of ``scenario_rules``."""
    return add_rows(case, "scenario_rules", [{
        "scenario": scenario, "rule": rule, "target": target,
        "commodity": commodity, "field": field, "value": value,
        "from_year": from_year, "source": source}])


def check(case: Case) -> Case:
    """``case`` validated as a file would be (raises InputError); its input hash
    is of the tables as they are now."""
    return recheck_case(case)


def solve(case: Case | str | Path | None = None, scenarios: list[str] | None = None,
          out: str | Path | None = None, options: SolveOptions | None = None
          ) -> RunResult:
    """Solve ``case`` (a Case, a path, or None for the bundled case); with ``out``
    the outputs are written there as by ``reroute solve --out``."""
    return run_case(case if case is not None else bundled_case(), out, scenarios,
                    options)


def tables(run: RunResult) -> list[str]:
    """The names of the run's tidy tables (docs/report.md defines their columns)."""
    return [name for name in TABLE_ORDER if name in run.tables]


def query(run: RunResult, name: str, **where: object) -> pd.DataFrame:
    """Rows of tidy table ``name`` whose columns equal the values given (a list or
    tuple value matches any of its items), e.g.
    ``query(run, "builds", scenario="decoupling", process=["mine_ionic"])``."""
    if name not in run.tables:
        raise KeyError(f"no table {name!r}; the tables are: "
                       f"{', '.join(tables(run))}")
    frame = run.tables[name]
    keep = pd.Series(True, index=frame.index)
    for column, value in where.items():
        if column not in frame.columns:
            raise KeyError(f"table {name!r} has no column {column!r}; its columns "
                           f"are: {', '.join(frame.columns)}")
        wanted = list(value) if isinstance(value, list | tuple | set) else [value]
        keep &= frame[column].isin(wanted)
    return frame[keep].reset_index(drop=True)


def headline(run: RunResult) -> pd.DataFrame:
    """Per scenario: comparator, full-cost, delivered-cost and supply-cost premiums
    (%), unmet share of demand value (%), worst, mostly-met and self-sufficient
    years (MODEL-SPEC §4, §8.1; docs/report.md)."""
    summary = run.summary
    return summary[[c for c in HEADLINE_COLUMNS if c in summary.columns]].copy()


def value_met(run: RunResult) -> pd.DataFrame:
    """% of demand value met, years as rows and scenarios as columns."""
    frame = run.tables["value_met_by_year"]
    return frame.pivot(index="year", columns="scenario", values="met_pct")[
        [r.name for r in run.scenarios]]


def plot_value_met(run: RunResult, ax: Any = None) -> Any:
    """A line per scenario: % of demand value met each year. Returns the axes."""
    ax = _axes(ax)
    value_met(run).plot(ax=ax, marker="o")
    ax.set_ylabel("% of demand value met")
    ax.set_title("Demand value met per year")
    return ax


def plot_headline(run: RunResult, ax: Any = None) -> Any:
    """Bars per scenario: full-cost premium and unmet share of demand value (%)."""
    ax = _axes(ax)
    frame = headline(run).set_index("scenario")[
        ["full_cost_premium_pct", "unmet_share_pct"]].astype(float)
    frame.plot.bar(ax=ax)
    ax.set_ylabel("%")
    ax.set_title("Full-cost premium and unmet demand value")
    return ax


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(PLOT_HINT) from exc
    return plt.subplots()[1]


__all__ = ["add_rows", "add_rule", "add_scenario", "check", "headline",
           "load", "plot_headline", "plot_value_met", "query", "solve", "tables",
           "value_met", "with_table"]
