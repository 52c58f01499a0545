"""The registry of output tables: name, columns in order, and whether the table is
built per scenario (and stacked) or from all scenarios together.

``tables/<name>.csv`` and the report's tidy sheets follow ``OUTPUT_TABLES``'s
order; a table that is not registered, or whose columns differ from its entry,
is an error (``checked``), never silently dropped. ``INTERNAL_TABLES`` are built
per scenario for the run's own use and never written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.results.extract import OFFTAKE_SALE_COLUMNS
from model.results.headline import SUMMARY_COLUMNS
from model.results.money import MONEY_COLUMNS, TRANSFER_COLUMNS


@dataclass(frozen=True)
class OutputTable:
    """One output table of MODEL-SPEC §5."""

    name: str
    columns: tuple[str, ...]
    per_scenario: bool
    command: str = "solve"  # the command that writes it (hedge, frontier: their own)


OUTPUT_TABLES: tuple[OutputTable, ...] = (
    OutputTable("summary", ("scenario", "is_baseline", "status", "total_cost_usd",
                            "cost_premium_usd", "cost_premium_pct", "demand_t",
                            "shortfall_t", "shortfall_pct", "self_sufficient_year",
                            *SUMMARY_COLUMNS, *MONEY_COLUMNS), per_scenario=False),
    OutputTable("kpi_by_commodity", ("scenario", "commodity", "demand_t", "shortfall_t",
                                     "shortfall_pct", "self_sufficient_year",
                                     *SUMMARY_COLUMNS), per_scenario=False),
    OutputTable("shortfall", ("scenario", "region", "commodity", "year", "demand_t",
                              "supplied_t", "shortfall_t"), per_scenario=True),
    OutputTable("production", ("scenario", "region", "process", "year", "activity_t",
                               "capacity_tpa"), per_scenario=True),
    OutputTable("builds", ("scenario", "region", "process", "online_year",
                           "capacity_tpa", "capex_usd"), per_scenario=True),
    OutputTable("flows", ("scenario", "origin", "destination", "commodity", "year",
                          "quantity_t"), per_scenario=True),
    OutputTable("surplus", ("scenario", "region", "commodity", "year", "surplus_t"),
                per_scenario=True),
    OutputTable("stock", ("scenario", "region", "commodity", "year", "release_t",
                          "level_t"), per_scenario=True),
    OutputTable("prices", ("scenario", "region", "commodity", "year",
                           "marginal_cost_usd_per_t"), per_scenario=True),
    OutputTable("costs", ("scenario", "year", "category", "usd", "discounted_usd"),
                per_scenario=True),
    OutputTable("offtake_sales", ("scenario", *OFFTAKE_SALE_COLUMNS),
                per_scenario=True),
    OutputTable("transfers", ("scenario", *TRANSFER_COLUMNS), per_scenario=True),
    OutputTable("kpi_by_group", ("scenario", "group", "demand_t", "shortfall_t",
                                 "shortfall_pct", "demand_value_usd",
                                 "unmet_reference_usd", "unmet_share_pct"),
                per_scenario=False),
    OutputTable("kpi_by_element", ("scenario", "element", "demand_oxide_t",
                                   "shortfall_oxide_t", "shortfall_pct"),
                per_scenario=False),
    OutputTable("value_met_by_year", ("scenario", "year", "demand_value_usd",
                                      "unmet_reference_usd", "met_pct"),
                per_scenario=False),
    OutputTable("bottlenecks", ("scenario", "rank", "limit", "region", "process",
                                "commodity", "year", "limit_t", "value_usd_per_t",
                                "money"), per_scenario=True),
    OutputTable("lead_times", ("scenario", "commodity", "element",
                               "self_sufficient_year", "stage", "process", "region",
                               "first_online_year", "earliest_online_year",
                               "lead_time_binding", "friction", "friction_stage"),
                per_scenario=False),
    OutputTable("china_content", ("scenario", "region", "commodity", "element",
                                  "year", "element_t", "china_share"),
                per_scenario=True),
    OutputTable("calibration_fit", ("scenario", "year", "quantity", "region",
                                    "process", "commodity", "destination",
                                    "observed", "model", "gap_pct",
                                    "tolerance_pct"), per_scenario=True),
    OutputTable("supply_by_origin", ("scenario", "commodity", "origin", "stage",
                                     "year", "supplied_t"), per_scenario=False),
    OutputTable("new_capacity_by_stage", ("scenario", "region", "stage",
                                          "capacity_tpa", "capex_usd"),
                per_scenario=False),
    # reroute hedge (MODEL-SPEC §8.4)
    OutputTable("hedge_plan", ("region", "process", "online_year", "capacity_tpa",
                               "decided_year"), per_scenario=False, command="hedge"),
    OutputTable("value_of_information", ("metric", "usd"), per_scenario=False,
                command="hedge"),
    OutputTable("regret", ("plan", "scenario", "probability", "cost_usd",
                           "shortfall_t", "unmet_reference_usd"), per_scenario=False,
                command="hedge"),
    OutputTable("hedge_risk", ("weight", "alpha", "loss", "expected_cost_usd",
                               "var_usd", "cvar_usd"), per_scenario=False,
                command="hedge"),
    OutputTable("hedge_plan_by_weight", ("weight", "region", "process", "online_year",
                                         "capacity_tpa", "decided_year"),
                per_scenario=False, command="hedge"),
    # reroute frontier (MODEL-SPEC §8.5)
    OutputTable("frontier", ("scenario", "unmet_reference_usd", "shortfall_t",
                             "total_cost_usd", "slope"), per_scenario=False,
                command="frontier"),
    OutputTable("self_sufficient_by", ("scenario", "year", "total_cost_usd",
                                       "shortfall_t", "full_cost_usd"),
                per_scenario=False, command="frontier"),
)
INTERNAL_TABLES = ("build_options", "friction_rows")  # per scenario, for lead_times;
# not written
TABLE_BY_NAME = {t.name: t for t in OUTPUT_TABLES}
ALL_TABLES = tuple(t.name for t in OUTPUT_TABLES)
TABLE_ORDER = tuple(t.name for t in OUTPUT_TABLES if t.command == "solve")


class UnregisteredTable(ValueError):
    """A table the registry does not know, or with other columns than registered."""


def columns_of(name: str) -> list[str]:
    """The registered columns of table ``name``."""
    return list(TABLE_BY_NAME[name].columns)


def checked(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``tables`` in registry order, without the internal ones; raise
    ``UnregisteredTable`` for an unknown name or columns other than registered."""
    for name, frame in tables.items():
        if name in INTERNAL_TABLES:
            continue
        spec = TABLE_BY_NAME.get(name)
        if spec is None:
            raise UnregisteredTable(f"output table '{name}' is not registered in "
                                    "model/results/tables.py")
        if tuple(frame.columns) != spec.columns:
            raise UnregisteredTable(f"output table '{name}' has columns "
                                    f"{list(frame.columns)}, registered "
                                    f"{list(spec.columns)}")
    return {name: tables[name] for name in ALL_TABLES if name in tables}
