"""Every headline table of a run, from the stacked tidy tables and the case.

One place assembles them, for a solve (``model.pipeline``) and for a sweep sample
(``model.sweep.worker``): kpi_by_commodity and summary (MODEL-SPEC §4 with the
§8.1 columns), and the views by product group, by element and by year.
"""

from __future__ import annotations

import pandas as pd

from model.data.case import Case
from model.results import headline, kpis

EXTRA_KPI_TABLES = ("kpi_by_group", "kpi_by_element", "value_met_by_year")


def headline_settings(case: Case) -> headline.HeadlineSettings:
    s = case.settings
    return headline.HeadlineSettings(s.base_year, s.end_year, s.discount_rate,
                                     s.steady_years, s.mostly_met_tolerance)


def kpi_tables(case: Case, shortfall: pd.DataFrame, costs: pd.DataFrame,
               statuses: list[tuple[str, bool, str]]) -> dict[str, pd.DataFrame]:
    """summary, kpi_by_commodity and the EXTRA_KPI_TABLES of the solved scenarios.

    ``statuses`` lists (name, is_baseline, status) in case order.
    """
    settings = headline_settings(case)
    scope, years = case.scope_regions(), list(case.years)
    compare = headline.comparators(case.table("scenarios"))
    commodities = case.table("commodities")
    priced = headline.priced_shortfall(shortfall, commodities, scope, settings)
    kpi = kpis.kpi_by_commodity(shortfall, scope, case.settings.shortfall_tolerance,
                                years)
    summary = kpis.summary(statuses, costs, kpi, compare)
    content = headline.element_content(case.table("process_io"),
                                       case.table("processes"), commodities)
    return {
        "summary": headline.add_to_summary(summary, priced, costs, compare, settings),
        "kpi_by_commodity": headline.add_to_kpis(kpi, priced, compare, settings),
        "kpi_by_group": headline.kpi_by_group(priced, commodities),
        "kpi_by_element": headline.kpi_by_element(shortfall, content, scope),
        "value_met_by_year": headline.value_met_by_year(priced),
    }
