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
    "high_demand_china": "the baseline with magnet demand 30% higher, China still "
                         "supplying",
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


def _pct(value: float) -> str:
    return f"{value:+.1f}%"


def _group(groups: pd.DataFrame, scenario: str, group: str) -> tuple[float, float]:
    """(shortfall t, shortfall % of tonnes) of a product group."""
    row = groups[(groups["scenario"] == scenario) & (groups["group"] == group)]
    if row.empty:
        return 0.0, 0.0
    return float(row["shortfall_t"].iloc[0]), float(row["shortfall_pct"].iloc[0])


def _met(what: str, year: str, end: int) -> str:
    if year.startswith("never"):
        return f"{what} are still short in {end}"
    return f"{what} are met from {year}"


def _horizon(case: Case) -> str:
    return f"{case.settings.base_year}–{case.settings.end_year}"


def _steady(case: Case) -> str:
    """The last ``steady_years`` of the horizon, e.g. 2036–2040."""
    end = case.settings.end_year
    return f"{end - case.settings.steady_years + 1}–{end}"


def _sentence(name: str, srow: pd.Series, kpi: pd.DataFrame, groups: pd.DataFrame,
              case: Case) -> str:
    lead, end = LEAD.get(name, name), case.settings.end_year
    versus = "the baseline" if srow["compare_to"] == "baseline" else (
        f"{srow['compare_to']} (the same demand, China supplying)")
    if bool(srow["is_baseline"]):
        return (f"**{name}** ({lead}): all demand is met at a supply cost of "
                f"US${srow['total_cost_usd'] / 1e9:,.1f} bn (discounted, "
                f"{_horizon(case)}); every other scenario is measured against it "
                "unless it names another.")
    if float(srow["shortfall_t"]) <= 0:
        return (f"**{name}** ({lead}): all demand is met; supply cost "
                f"{_pct(srow['cost_premium_pct'])} against {versus}.")
    magnets_t, magnets_pct = _group(groups, name, "magnet")
    oxides_t, oxides_pct = _group(groups, name, "oxide")
    std = _met("standard magnets", _commodity_year(kpi, name, STANDARD, end), end)
    heavy = _met("Dy/Tb-bearing magnets", _commodity_year(kpi, name, HEAVY, end),
                 end)
    return (f"**{name}** ({lead}): {srow['unmet_share_pct']:.1f}% of demand by "
            f"value goes unmet over {_horizon(case)} — {_tonnes(magnets_t)} of "
            f"magnets ({magnets_pct:.1f}% of magnet tonnes) and {_tonnes(oxides_t)} "
            f"of oxides ({oxides_pct:.1f}%); the worst year is "
            f"{int(srow['worst_year'])}, with "
            f"{srow['worst_year_unmet_share_pct']:.0f}% of that year's demand value "
            f"unmet; {std}, {heavy}. Against {versus}: full cost "
            f"{_pct(srow['full_cost_premium_pct'])}, cost per unit delivered "
            f"{_pct(srow['delivered_cost_premium_pct'])}, supply cost "
            f"{_pct(srow['cost_premium_pct'])} (it leaves out what is not "
            f"delivered{_net(srow)}), {_pct(srow['steady_cost_premium_pct'])} a "
            f"year over {_steady(case)}.")


def _net(srow: pd.Series) -> str:
    """'; net of offtake revenue +2.5%' when the scenario or its comparator sells
    through offtakes (MODEL-SPEC §8.3), else nothing."""
    net = srow.get("net_cost_premium_pct")
    if net is None or pd.isna(net) or float(net) == float(srow["cost_premium_pct"]):
        return ""
    return f"; net of offtake revenue {_pct(float(net))}"


def render(tables: dict[str, pd.DataFrame], case: Case) -> str:
    """The README section (markers included) from summary, kpi and group tables
    of ``case``'s run."""
    summary, kpi = tables["summary"], tables["kpi_by_commodity"]
    groups = tables["kpi_by_group"]
    settings, end = case.settings, case.settings.end_year
    lines = [
        START,
        "## What the default case says",
        "",
        "The bundled case (`inputs/default`, sources in `docs/data.md`) solved with "
        "`make solve`; every metric is defined in `docs/report.md`. Money is "
        f"discounted at {settings.discount_rate:.0%} to {settings.base_year}. "
        "**Full cost** = supply cost + unmet demand valued "
        "at the shortfall penalty (10× the reference price): it never rewards "
        "going short. **Delivered** = supply cost per dollar of demand delivered "
        "(at reference prices). **Supply cost** counts only what is bought, so a "
        "scenario that goes short can look cheap. **Unmet** = share of demand "
        "value (at reference prices) never delivered. **Mostly met**: from this "
        f"year on, at most {settings.mostly_met_tolerance:.0%} of each year's demand "
        "value is unmet; **all met**: every commodity within "
        f"{settings.shortfall_tolerance:.1%} of its tonnes (MODEL-SPEC §4).",
        "",
        "| scenario | compared with | full cost | delivered | supply cost | unmet "
        "| worst year | mostly met from | all met from |",
        "|---|---|---:|---:|---:|---:|---|---|---|",
    ]
    for srow in summary.itertuples(index=False):
        s = pd.Series(srow._asdict())
        base = bool(s["is_baseline"])
        premiums = ["—"] * 3 if base else [
            _pct(s[c]) for c in ("full_cost_premium_pct", "delivered_cost_premium_pct",
                                 "cost_premium_pct")]
        worst = ("—" if pd.isna(s["worst_year"]) else
                 f"{int(s['worst_year'])} ({s['worst_year_unmet_share_pct']:.0f}%)")
        versus = "—" if base else str(s["compare_to"])
        lines.append(
            f"| {s['scenario']} | {versus} | {' | '.join(premiums)} "
            f"| {s['unmet_share_pct']:.1f}% | {worst} "
            f"| {_year(s['mostly_met_year'], end)} "
            f"| {_year(s['self_sufficient_year'], end)} |")
    lines.append("")
    for srow in summary.itertuples(index=False):
        s = pd.Series(srow._asdict())
        lines.append(f"- {_sentence(str(s['scenario']), s, kpi, groups, case)}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The tables the section needs, from ``<out_dir>/tables/*.csv``."""
    folder = Path(out_dir) / "tables"
    return {n: pd.read_csv(folder / f"{n}.csv")
            for n in ("summary", "kpi_by_commodity", "kpi_by_group")}


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
