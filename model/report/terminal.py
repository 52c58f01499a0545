"""What `reroute solve` prints: one line per scenario as it is solved, then the
headline table (USD bn, %, kt, "never (by <end year>)") laid out by rich. Both are
returned as text; the command line prints them (``model.streams.say``, so a closed
pipe cannot fail the run)."""

from __future__ import annotations

import io
import math

import pandas as pd

from model.results.headline import never_text

TYPE_CHECKING = False
if TYPE_CHECKING:  # rich is imported when the table is laid out (not with --quiet)
    from rich.table import Table

COLUMNS = [  # (header, summary column, formatter)
    ("scenario", "scenario", "text"), ("vs", "compare_to", "text"),
    ("full cost", "full_cost_premium_pct", "signed_pct"),
    ("delivered", "delivered_cost_premium_pct", "signed_pct"),
    ("supply cost", "cost_premium_pct", "signed_pct"),
    ("supply USD bn", "total_cost_usd", "bn"),
    ("unmet value", "unmet_share_pct", "pct"),
    ("shortfall kt", "shortfall_t", "kt"),
    ("worst year", "worst_year", "year_or_none"),
    ("mostly met", "mostly_met_year", "year"),
    ("all met", "self_sufficient_year", "year"),
]


def scenario_line(name: str, status: str, seconds: float) -> str:
    """'  solved decoupling: optimal in 4.2 s'."""
    return f"  solved {name}: {status} in {seconds:.1f} s"


def cell(value: object, kind: str, end_year: int, is_baseline: bool) -> str:
    """One value as a person reads it."""
    missing = value is None or (isinstance(value, float) and math.isnan(value)) or (
        value is pd.NA)
    if kind == "text":
        return "" if missing else str(value)
    if kind in ("year", "year_or_none"):
        if missing:
            return never_text(end_year) if kind == "year" else "none"
        return str(int(value))  # type: ignore[call-overload]
    if missing:
        return ""
    number = float(value)  # type: ignore[arg-type]
    if kind == "signed_pct":
        return "—" if is_baseline else f"{number:+.1f} %"
    if kind == "pct":
        return f"{number:.1f} %"
    if kind == "bn":
        return f"{number / 1e9:,.1f}"
    return f"{number / 1e3:,.1f}"  # kt


def headline_table(summary: pd.DataFrame, end_year: int) -> Table:
    """The headline table: a row per scenario of ``summary``, a column per
    ``COLUMNS`` entry, each value as ``cell`` writes it."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title="Headline (premiums against the scenario under 'vs')",
                  title_justify="left")
    for header, _, kind in COLUMNS:
        # names and years are never cut or folded: a reader must see them whole
        table.add_column(header, justify="left" if kind == "text" else "right",
                         no_wrap=kind in ("text", "year", "year_or_none"))
    for row in summary.to_dict("records"):
        base = bool(row.get("is_baseline"))
        values = [cell(row.get(column), kind, end_year, base)
                  for _, column, kind in COLUMNS]
        if base:
            values[1] = "—"
        table.add_row(*values)
    return table


def headline_text(summary: pd.DataFrame, end_year: int) -> str:
    """The headline table as plain text, at most 200 characters wide (headers
    wrap first; scenario names and years are never cut)."""
    from rich.console import Console  # noqa: PLC0415

    buffer = io.StringIO()
    Console(file=buffer, width=200, soft_wrap=False).print(
        headline_table(summary, end_year))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
