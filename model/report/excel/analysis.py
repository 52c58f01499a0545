"""The Bottlenecks and Compare sheets: why the answer is what it is."""

from __future__ import annotations

import pandas as pd

from model.report.excel.cells import (
    BOLD,
    FMT_PCT,
    FMT_PRICE,
    FMT_T,
    FMT_USD_M,
    FMT_YEAR,
    HEADING,
    Rows,
    Sheets,
    number_cell,
    text_cell,
)
from model.report.excel.data import ReportData
from model.report.excel.pivot import pivot_sum
from model.report.excel.series import cost_by_category, money_block
from model.results.headline import never_text

MAX_LIMITS_PER_SCENARIO = 50

BOTTLENECK_NOTES = [
    "Binding limits, ranked by value: what one more tonne (per year) of the limit "
    "would save. Capacity: per tpa of nameplate capacity in that year; expansion per "
    "year: per tpa more allowed to come online that year; build rate: per tpa more "
    "of a stage (Process / stage) allowed online that year in the target; export "
    "quota: per t of quota that year. These are in that year's money, undiscounted "
    "like prices. "
    "Expansion total and reserve limits span the horizon: base-year money.",
    "Lead-time stage: among the stages of a commodity's supply chain (the processes "
    "that make it or its inputs), the one whose first new capacity came online "
    "last, up to the self-sufficient year. 'lead time binding' = that capacity came "
    "online in the earliest year its lead time allowed, so the self-sufficient year "
    "could come earlier only with a shorter lead time there (or capacity elsewhere).",
    "Friction that sets the year: 'lead time' when that year is the earliest the "
    "lead time allowed; otherwise the friction (build rate, ramp-up) whose binding "
    "limits in the chain, in the years still short, are worth most (summed value of "
    "one more t); 'lead time' if only it bound; 'other limits' if none did "
    "(docs/report.md).",
]

LIMIT_TITLES = {"scenario": "Scenario", "rank": "Rank", "limit": "Limit",
                "region": "Region / target", "process": "Process / stage",
                "commodity": "Commodity", "first_year": "From", "last_year": "To",
                "limit_t": "Mean level (t or tpa)",
                "value_usd_per_t": "Mean value of one more t (USD/t)",
                "money": "Money of"}
RUN_KEY = ["scenario", "limit", "region", "process", "commodity", "money"]


def merged_limits(limits: pd.DataFrame, names: dict[str, dict[str, str]]
                  ) -> pd.DataFrame:
    """Binding limits with runs of consecutive years merged into one row (first and
    last year, mean level and mean value over the run), ranked per scenario by
    mean value; codes replaced by the human ``names`` (table → code → name)."""
    if limits.empty:
        return limits
    frame = limits.copy()
    frame[RUN_KEY] = frame[RUN_KEY].astype(object).where(frame[RUN_KEY].notna(), "")
    frame["year"] = frame["year"].astype("Float64")
    frame = frame.sort_values([*RUN_KEY, "year"], kind="stable")
    same = (frame[RUN_KEY] == frame[RUN_KEY].shift()).all(axis=1)
    step = (frame["year"] - frame["year"].shift()).fillna(0) == 1
    frame["run"] = (~(same & step)).cumsum()
    runs = frame.groupby("run", sort=False).agg(
        **{c: (c, "first") for c in RUN_KEY}, first_year=("year", "min"),
        last_year=("year", "max"), limit_t=("limit_t", "mean"),
        value_usd_per_t=("value_usd_per_t", "mean"))
    order = {s: i for i, s in enumerate(dict.fromkeys(limits["scenario"]))}
    runs = runs.assign(_order=runs["scenario"].map(order)).sort_values(
        ["_order", "value_usd_per_t"], ascending=[True, False], kind="stable")
    runs["rank"] = runs.groupby("scenario", sort=False).cumcount() + 1
    for column, table in (("region", "regions"), ("process", "processes"),
                          ("commodity", "commodities")):
        runs[column] = runs[column].map(lambda v, t=table: names.get(t, {}).get(v, v))
    for column in ("first_year", "last_year"):
        runs[column] = runs[column].astype("Int64")
    return runs[["scenario", "rank", "limit", "region", "process", "commodity",
                 "first_year", "last_year", "limit_t", "value_usd_per_t", "money"]
                ].reset_index(drop=True)


def human_names(data: ReportData) -> dict[str, dict[str, str]]:
    """table → code → its ``name`` column (the code where blank)."""
    out = {}
    for table, key in (("regions", "region"), ("processes", "process"),
                       ("commodities", "commodity")):
        frame = data.inputs.get(table, pd.DataFrame())
        if frame.empty or "name" not in frame:
            continue
        out[table] = {str(k): (str(n) if isinstance(n, str) and n.strip() else str(k))
                      for k, n in zip(frame[key], frame["name"], strict=True)}
    return out
LEAD_TITLES = {"scenario": "Scenario", "commodity": "Commodity", "element": "Element",
               "self_sufficient_year": "Self-sufficient year", "stage": "Stage",
               "process": "Process", "region": "Region",
               "first_online_year": "First new capacity online",
               "earliest_online_year": "Earliest possible (lead time)",
               "lead_time_binding": "Lead time binding",
               "friction": "Friction that sets the year",
               "friction_stage": "Friction's stage"}


def write_bottlenecks(sheets: Sheets, data: ReportData) -> None:
    """Bottlenecks: definitions, binding limits ranked by value, lead-time stages."""
    ws = sheets.new("Bottlenecks", [16, 8, 18, 18, 40, 22, 8, 8, 14, 16, 12],
                    fit=True)
    rows = Rows(ws)
    for note in BOTTLENECK_NOTES:
        rows.paragraph(note)
    rows.append()
    limits = merged_limits(data.table("bottlenecks"), human_names(data))
    if not limits.empty:
        shown = limits.groupby("scenario", sort=False).head(MAX_LIMITS_PER_SCENARIO)
        title = ("Binding limits, consecutive years merged (per year in sheet "
                 "data_bottlenecks)")
        if len(shown) < len(limits):
            title += f"; top {MAX_LIMITS_PER_SCENARIO} per scenario"
        rows.block(title, shown.rename(columns=LIMIT_TITLES), {
            "Rank": "0", "From": FMT_YEAR, "To": FMT_YEAR,
            "Mean level (t or tpa)": FMT_T,
            "Mean value of one more t (USD/t)": FMT_PRICE})
    else:
        rows.text("No binding capacity, expansion, reserve or quota limit.")
    rows.append()
    lead = data.table("lead_times")
    by_element = element_lead_times(data)
    if not by_element.empty:
        rows.block("Lead-time stage per key element (its latest commodity)",
                   by_element, {"Self-sufficient year": FMT_YEAR,
                                "First new capacity online": FMT_YEAR})
        rows.append()
    if not lead.empty:
        lead = lead.assign(lead_time_binding=lead["lead_time_binding"].map(_yes_no))
        rows.block("Lead-time stage per commodity", lead.rename(columns=LEAD_TITLES), {
            "Self-sufficient year": FMT_YEAR, "First new capacity online": FMT_YEAR,
            "Earliest possible (lead time)": FMT_YEAR})


def element_lead_times(data: ReportData) -> pd.DataFrame:
    """Per scenario and key element, the lead-time row of the commodity needing
    the element that becomes self-sufficient last (never = last of all)."""
    lead = data.table("lead_times")
    if lead.empty:
        return pd.DataFrame()
    rows = []
    for scenario in data.scenarios:
        mine = lead[lead["scenario"] == scenario]
        for element in data.key_elements:
            members = mine[mine["commodity"].isin(element.commodities)]
            if members.empty:
                continue
            year = members["self_sufficient_year"].astype("Float64").fillna(1e9)
            last = members.loc[year.idxmax()]
            rows.append([scenario, element.name, last["commodity"],
                         last["self_sufficient_year"], last["stage"],
                         last["region"], last["first_online_year"],
                         _yes_no(last["lead_time_binding"]), last["friction"],
                         last["friction_stage"]])
    return pd.DataFrame(rows, columns=[
        "Scenario", "Element", "Commodity", "Self-sufficient year", "Stage",
        "Region", "First new capacity online", "Lead time binding",
        "Friction that sets the year", "Friction's stage"])


def _yes_no(value: object) -> str:
    return "" if value is None or pd.isna(value) else ("yes" if value else "no")


HEADLINE_METRICS = [("Compared with", "compare_to", None),
                    ("Supply cost (USD m)", "total_cost_usd", FMT_USD_M),
                    ("Supply-cost premium (USD m)", "cost_premium_usd", FMT_USD_M),
                    ("Supply-cost premium (%)", "cost_premium_pct", FMT_PCT),
                    ("Net-cost premium (%, offtake revenue netted)",
                     "net_cost_premium_pct", FMT_PCT),
                    ("Unmet demand at the penalty (USD m)", "unmet_value_usd",
                     FMT_USD_M),
                    ("Full cost (USD m)", "full_cost_usd", FMT_USD_M),
                    ("Full-cost premium (USD m)", "full_cost_premium_usd", FMT_USD_M),
                    ("Full-cost premium (%)", "full_cost_premium_pct", FMT_PCT),
                    ("Delivered-cost premium (%)", "delivered_cost_premium_pct",
                     FMT_PCT),
                    ("Steady-state premium (%)", "steady_cost_premium_pct", FMT_PCT),
                    ("Demand value (USD m)", "demand_value_usd", FMT_USD_M),
                    ("Unmet at reference prices (USD m)", "unmet_reference_usd",
                     FMT_USD_M),
                    ("Demand value unmet (%)", "unmet_share_pct", FMT_PCT),
                    ("Shortfall (t)", "shortfall_t", FMT_T),
                    ("Shortfall (% of t)", "shortfall_pct", FMT_PCT),
                    ("Worst year", "worst_year", FMT_YEAR),
                    ("Worst year, value unmet (%)", "worst_year_unmet_share_pct",
                     FMT_PCT),
                    ("Mostly met from", "mostly_met_year", FMT_YEAR),
                    ("Self-sufficient (strict) from", "self_sufficient_year",
                     FMT_YEAR)]
NEVER_YEARS = ("mostly_met_year", "self_sufficient_year")


def compare_headline(data: ReportData) -> pd.DataFrame:
    """Metrics (rows) by scenario (columns)."""
    summary = data.summary.set_index("scenario")
    never = never_text(data.years[-1] if data.years else None)
    rows = []
    for label, col, _ in HEADLINE_METRICS:
        values = [summary.at[s, col] if col in summary.columns else None
                  for s in data.scenarios]
        if col in NEVER_YEARS:
            values = [never if v is None or pd.isna(v) else v for v in values]
        rows.append([label, *values])
    return pd.DataFrame(rows, columns=["metric", *data.scenarios])


def write_headline(rows: Rows, data: ReportData) -> None:
    """The headline block, one number format per metric (row)."""
    rows.text("Headline", HEADING)
    rows.header(["metric", *data.scenarios])
    frame = compare_headline(data)
    for (_, _, fmt), values in zip(HEADLINE_METRICS,
                                   frame.itertuples(index=False, name=None),
                                   strict=True):
        rows.append([text_cell(rows.ws, values[0])]
                    + [text_cell(rows.ws, "" if v is None or (not isinstance(v, str)
                                                          and pd.isna(v)) else str(v))
                       if fmt is None or isinstance(v, str)
                       else number_cell(rows.ws, v, fmt) for v in values[1:]])


def with_deltas(frame: pd.DataFrame, data: ReportData) -> pd.DataFrame:
    """Add 'Δ <scenario>' columns: each scenario minus the baseline."""
    if data.baseline is None:
        return frame
    out = frame.copy()
    for s in data.others:
        out[f"Δ {s}"] = frame[s] - frame[data.baseline]
    return out


def shortfall_by_commodity(data: ReportData) -> pd.DataFrame:
    """Scope shortfall (t) over the horizon per commodity (rows) and scenario."""
    kpi = data.table("kpi_by_commodity")
    wide = pivot_sum(kpi, "commodity", "scenario", "shortfall_t", fill_value=0.0)
    wide = wide.reindex(columns=data.scenarios, fill_value=0.0)
    return wide.rename_axis(index="commodity", columns=None).reset_index()


def builds_by_region_stage(data: ReportData) -> pd.DataFrame:
    """New capacity (tpa, all online years) per (region, stage) and scenario."""
    builds = data.table("builds")
    if builds.empty:
        return pd.DataFrame(columns=["region", "stage", *data.scenarios])
    builds = builds.assign(stage=builds["process"].map(
        lambda p: data.stage_of.get(p, p)))
    wide = pivot_sum(builds, ["region", "stage"], "scenario", "capacity_tpa",
                     fill_value=0.0)
    wide = wide.reindex(columns=data.scenarios, fill_value=0.0)
    return wide.rename_axis(columns=None).reset_index()


def write_compare(sheets: Sheets, data: ReportData) -> None:
    """Compare: headline, costs, shortfall and builds of every scenario side by
    side, with the difference to the baseline."""
    ws = sheets.new("Compare", [30] + [16] * (2 * len(data.scenarios) + 1),
                    freeze="B1", fit=True)
    rows = Rows(ws)
    rows.text("Every scenario against the baseline (Δ = scenario minus baseline)",
              BOLD)
    write_headline(rows, data)
    rows.append()
    costs = with_deltas(cost_by_category(data), data)
    rows.block("Discounted cost by category (USD m)", costs,
               dict.fromkeys(costs.columns[1:], FMT_USD_M))
    rows.append()
    money = with_deltas(money_block(data), data)
    rows.block("Money apart from cost (discounted USD m): transfers and revenue are "
               "not in the resource cost", money,
               dict.fromkeys(money.columns[1:], FMT_USD_M))
    rows.append()
    short = with_deltas(shortfall_by_commodity(data), data)
    rows.block("Shortfall by commodity over the horizon (t)", short, {})
    rows.append()
    builds = with_deltas(builds_by_region_stage(data), data)
    rows.block("New capacity by region and stage (tpa, all online years)", builds, {})
