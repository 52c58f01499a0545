"""Render the README section "What the default case says" from a solve's tables.

The README holds the rendered text between ``<!-- default-case:start -->`` and
``<!-- default-case:end -->``; ``test_default_case.py`` re-solves the default case and
checks that the README still says exactly this, so its numbers never drift. The
facts of the case (horizon, discount rate, tolerance) come from the solved ``Case``.

Regenerate after a change of data or model::

    python -m tests.default_case.readme_section outputs/default

prints the section (markers included) from ``outputs/default/tables/*.csv`` and the
case named in its ``run.json``; paste it into README.md (and
docs/default-case-section.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from model.data.case import Case, load_case

START = "<!-- default-case:start -->"
END = "<!-- default-case:end -->"

STANDARD = "magnet_ndfeb"
HEAVY = "magnet_ndfeb_h"

# What each scenario assumes, in a few words (the data's own descriptions are longer).
LEAD = {
    "baseline": "China keeps supplying at 2025 market prices",
    "decoupling": "no trade with China, Myanmar or Laos from 2026",
    "heavy_controls": "China's April-2025 licensing list (Sm, Gd, Tb, Dy, Lu, Sc, Y "
                      "and magnets containing them) cut to zero from 2026",
    "delays": "decoupling, with every new mine and separation plant two years late",
    "high_demand": "decoupling, with magnet demand 30% higher",
    "members_only": "decoupling, and partners (EU, Canada, India, Malaysia, Brazil, "
                    "...) export nothing either",
}


def _year(value: object, end: int) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return f"never (by {end})"
    return str(int(float(value)))


def _tonnes(value: float) -> str:
    return f"{value:,.0f} t"


def _commodity_year(kpi: pd.DataFrame, scenario: str, commodity: str, end: int
                    ) -> str:
    row = kpi[(kpi["scenario"] == scenario) & (kpi["commodity"] == commodity)]
    if row.empty:
        return "n/a"
    return _year(row["self_sufficient_year"].iloc[0], end)


def _first_shortfall_year(short: pd.DataFrame, scenario: str
                          ) -> tuple[int, float, float]:
    """(year, shortfall, demand) of the year with the largest shortfall."""
    rows = short[short["scenario"] == scenario]
    by_year = rows.groupby("year")[["shortfall_t", "demand_t"]].sum()
    if by_year.empty or by_year["shortfall_t"].max() <= 0:
        return 0, 0.0, 0.0
    year = int(by_year["shortfall_t"].idxmax())
    worst = by_year.loc[year]
    return year, float(worst["shortfall_t"]), float(worst["demand_t"])


def _met(what: str, year: str, end: int) -> str:
    if year.startswith("never"):
        return f"{what} are still short in {end}"
    return f"{what} are met from {year}"


def _horizon(case: Case) -> str:
    return f"{case.settings.base_year}–{case.settings.end_year}"


def _sentence(name: str, srow: pd.Series, kpi: pd.DataFrame, short: pd.DataFrame,
              case: Case) -> str:
    lead, end = LEAD.get(name, name), case.settings.end_year
    if bool(srow["is_baseline"]):
        return (f"**{name}** ({lead}): all demand is met at a supply cost of "
                f"US${srow['total_cost_usd'] / 1e9:,.1f} bn (discounted, "
                f"{_horizon(case)}); every other scenario is measured against it.")
    year, worst, demand = _first_shortfall_year(short, name)
    std = _met("standard magnets", _commodity_year(kpi, name, STANDARD, end), end)
    heavy = _met("Dy/Tb-bearing magnets", _commodity_year(kpi, name, HEAVY, end),
                 end)
    worst_text = (f"the worst year is {year}, with {_tonnes(worst)} "
                  f"({worst / demand:.0%} of that year's demand) unmet"
                  if worst > 0 else "no year falls short")
    return (f"**{name}** ({lead}): {_tonnes(srow['shortfall_t'])} of demand "
            f"({srow['shortfall_pct']:.1f}%) go unmet over {_horizon(case)} and "
            f"{worst_text}; "
            f"{std}, {heavy}; supply cost {srow['cost_premium_pct']:+.1f}% against "
            "the baseline.")


def render(tables: dict[str, pd.DataFrame], case: Case) -> str:
    """The README section (markers included) from summary, kpi and shortfall tables
    of ``case``'s run."""
    summary, kpi = tables["summary"], tables["kpi_by_commodity"]
    short = tables["shortfall"]
    settings, end = case.settings, case.settings.end_year
    lines = [
        START,
        "## What the default case says",
        "",
        "The bundled case (`inputs/default`, sources in `docs/data.md`) solved with "
        "`make solve`. Cost premium: supply cost (capex, O&M, purchases, freight, "
        f"tariffs, stock releases; discounted at {settings.discount_rate:.0%} to "
        f"{settings.base_year}) against the baseline; it "
        "leaves out the value of unmet demand, so a scenario that goes short can look "
        "cheap. \"Met from\": the first year from which demand is met in every later "
        f"year (shortfall ≤ {settings.shortfall_tolerance:.1%}).",
        "",
        f"| scenario | cost premium | unmet demand {_horizon(case)} | standard NdFeB "
        "met from | Dy/Tb NdFeB met from | all demand met from |",
        "|---|---:|---:|---|---|---|",
    ]
    for srow in summary.itertuples(index=False):
        s = pd.Series(srow._asdict())
        premium = "—" if bool(s["is_baseline"]) else f"{s['cost_premium_pct']:+.1f}%"
        std = _commodity_year(kpi, s["scenario"], STANDARD, end)
        heavy = _commodity_year(kpi, s["scenario"], HEAVY, end)
        lines.append(
            f"| {s['scenario']} | {premium} | {_tonnes(s['shortfall_t'])} "
            f"({s['shortfall_pct']:.1f}%) | {std} | {heavy} "
            f"| {_year(s['self_sufficient_year'], end)} |")
    lines.append("")
    for srow in summary.itertuples(index=False):
        s = pd.Series(srow._asdict())
        lines.append(f"- {_sentence(str(s['scenario']), s, kpi, short, case)}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The tables the section needs, from ``<out_dir>/tables/*.csv``."""
    folder = Path(out_dir) / "tables"
    return {n: pd.read_csv(folder / f"{n}.csv")
            for n in ("summary", "kpi_by_commodity", "shortfall")}


def readme_block(text: str) -> str | None:
    """The README's current section, markers included (None if absent)."""
    if START not in text or END not in text:
        return None
    head, rest = text.split(START, 1)
    body = rest.split(END, 1)[0]
    return START + body + END + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = args[0] if args else "outputs/default"
    record = json.loads((Path(out_dir) / "run.json").read_text(encoding="utf-8"))
    sys.stdout.write(render(read_tables(out_dir), load_case(record["case_path"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
