"""What the report is made from, with the derived views several sheets share."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from model.data.case import Case, Settings
from model.results.bottlenecks import supply_chain

MAX_KEY_ELEMENTS = 8
SEPARATED = ("oxide", "metal", "alloy")


@dataclass(frozen=True)
class Element:
    """A key element: its label and the demanded commodities that carry it."""

    name: str
    commodities: tuple[str, ...]
    demand_t: float


def element_year(years: pd.Series) -> int | None:
    """Latest self-sufficient year of an element's commodities; None if any is
    never self-sufficient (MODEL-SPEC §4, the overall rule applied per element)."""
    if years.empty or years.isna().any():
        return None
    return int(years.max())


@dataclass
class ReportData:
    """Tidy tables, input tables and the run record of one run, and the case it
    solved: its settings (horizon, discount rate, tolerance), name and scope come
    from ``case``, never re-parsed from the input frames. Without a case (a report
    of tables alone) the horizon is the years of the tables and the scope empty."""

    tables: dict[str, pd.DataFrame]
    inputs: dict[str, pd.DataFrame]
    run_info: dict[str, object]
    case: Case | None = None
    _chain_inputs: dict[str, set[str]] = field(default_factory=dict, init=False,
                                               repr=False)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    @cached_property
    def summary(self) -> pd.DataFrame:
        return self.tables["summary"]

    @cached_property
    def scenarios(self) -> list[str]:
        return [str(s) for s in self.summary["scenario"]]

    @cached_property
    def baseline(self) -> str | None:
        rows = self.summary[self.summary["is_baseline"].astype(bool)]
        return str(rows["scenario"].iat[0]) if len(rows) else None

    @cached_property
    def others(self) -> list[str]:
        """Scenarios other than the baseline, in case order."""
        return [s for s in self.scenarios if s != self.baseline]

    @cached_property
    def years(self) -> list[int]:
        """The case's horizon."""
        if self.case is not None:
            return list(self.case.years)
        return sorted(int(y) for y in self.table("shortfall")["year"].unique())

    @cached_property
    def scope(self) -> set[str]:
        """Regions of bloc alliance or partner (MODEL-SPEC §4)."""
        return self.case.scope_regions() if self.case is not None else set()

    @cached_property
    def settings(self) -> Settings:
        """The case's settings; without a case, the defaults over the tables'
        horizon."""
        if self.case is not None:
            return self.case.settings
        return Settings(self.years[0], self.years[-1]) if self.years else Settings(
            2025, 2025)

    @cached_property
    def discount_rate(self) -> float | None:
        return self.case.settings.discount_rate if self.case is not None else None

    @cached_property
    def stage_of(self) -> dict[str, str]:
        processes = self.inputs.get("processes", pd.DataFrame())
        if processes.empty:
            return {}
        return dict(zip(processes["process"], processes["stage"], strict=True))

    @cached_property
    def element_of(self) -> dict[str, str]:
        """Commodity → element label (the commodity itself when blank)."""
        commodities = self.inputs.get("commodities", pd.DataFrame())
        out = {}
        for c, e in zip(commodities.get("commodity", []),
                        commodities.get("element", []), strict=True):
            out[str(c)] = str(e) if isinstance(e, str) and e.strip() else str(c)
        return out

    @cached_property
    def demand_by_commodity(self) -> pd.Series:
        """Scope demand (t) per demanded commodity, largest first."""
        kpi = self.table("kpi_by_commodity")
        if kpi.empty:
            return pd.Series(dtype=float)
        first = kpi[kpi["scenario"] == (self.baseline or self.scenarios[0])]
        demand = first.groupby("commodity", sort=False)["demand_t"].sum()
        return demand[demand > 0].sort_values(ascending=False, kind="stable")

    def chain_inputs(self, commodity: str) -> set[str]:
        """The commodities the processes of ``commodity``'s supply chain take in
        (``supply_chain``), found once per commodity."""
        found = self._chain_inputs.get(commodity)
        if found is None:
            io = self.inputs.get("process_io", pd.DataFrame())
            found = set() if io.empty else set(io.loc[
                io["process"].isin(supply_chain(io, commodity))
                & (io["direction"] == "in"), "commodity"])
            self._chain_inputs[commodity] = found
        return found

    def needed_elements(self, commodity: str) -> list[str]:
        """The commodity's own element, then the elements of the separated
        products (oxide, metal, alloy) its supply chain takes in."""
        kinds = self.kind_of
        found = [self.element_of.get(commodity, commodity)]
        for c in sorted(self.chain_inputs(commodity)):
            element = self.element_of.get(c, c)
            if kinds.get(c) in SEPARATED and element not in found:
                found.append(element)
        return found

    @cached_property
    def name_of(self) -> dict[str, str]:
        """Commodity → its human name (the commodity code when blank)."""
        commodities = self.inputs.get("commodities", pd.DataFrame())
        names = commodities.get("name", pd.Series([None] * len(commodities)))
        return {str(c): (str(n) if isinstance(n, str) and n.strip() else str(c))
                for c, n in zip(commodities.get("commodity", []), names, strict=True)}

    @cached_property
    def kind_of(self) -> dict[str, str]:
        commodities = self.inputs.get("commodities", pd.DataFrame())
        return {str(c): str(k) for c, k in zip(commodities.get("commodity", []),
                                               commodities.get("kind", []),
                                               strict=True)}

    @cached_property
    def key_elements(self) -> list[Element]:
        """Elements the demanded commodities need, largest demand first.

        A demanded commodity needs its own element and the elements of the
        separated products in its supply chain (a high-coercivity magnet needs
        NdPr, Dy and Tb). An element's demand is that of the commodities needing it.
        """
        members: dict[str, list[str]] = {}
        for commodity in self.demand_by_commodity.index:
            for element in self.needed_elements(str(commodity)):
                members.setdefault(element, []).append(str(commodity))
        demand = {e: float(self.demand_by_commodity[cs].sum())
                  for e, cs in members.items()}
        ranked = sorted(members, key=lambda e: -demand[e])[:MAX_KEY_ELEMENTS]
        return [Element(e, tuple(members[e]), demand[e]) for e in ranked]

    def element_years(self, scenario: str) -> dict[str, int | None]:
        """Self-sufficient year of each key element in ``scenario``."""
        kpi = self.table("kpi_by_commodity")
        kpi = kpi[kpi["scenario"] == scenario]
        return {e.name: element_year(kpi.loc[kpi["commodity"].isin(e.commodities),
                                             "self_sufficient_year"])
                for e in self.key_elements}

    def group_value(self, scenario: str, group: str, column: str) -> float:
        """A product group's value (kpi_by_group) in a scenario; NaN if absent."""
        first = self._group_rows.get((scenario, group))
        if first is None:
            return float("nan")
        return float(self.table("kpi_by_group")[column].iloc[first])

    @cached_property
    def _group_rows(self) -> dict[tuple[str, str], int]:
        """The position of each (scenario, group)'s first kpi_by_group row."""
        table = self.table("kpi_by_group")
        if table.empty:
            return {}
        first: dict[tuple[str, str], int] = {}
        for i, key in enumerate(zip(table["scenario"], table["group"], strict=True)):
            first.setdefault(key, i)
        return first

    def value_met(self) -> dict[tuple[str, int], float]:
        """(scenario, year) → % of demand value met (value_met_by_year)."""
        table = self.table("value_met_by_year")
        if table.empty:
            return {}
        return {(str(s), int(y)): float(v) for s, y, v in
                zip(table["scenario"], table["year"], table["met_pct"], strict=True)}

    def summary_row(self, scenario: str) -> pd.Series:
        """The scenario's (first) row of the summary (KeyError if it has none)."""
        return self._summary_rows[scenario]

    @cached_property
    def _summary_rows(self) -> dict[str, pd.Series]:
        """Each scenario's first summary row, taken once (the Summary's cells read
        them some 80 times)."""
        first: dict[str, int] = {}
        for i, scenario in enumerate(self.summary["scenario"]):
            first.setdefault(scenario, i)
        return {scenario: self.summary.iloc[i] for scenario, i in first.items()}
