"""Declarative schema of the input tables (MODEL-SPEC §2).

One ``TableSpec`` per table: its columns with type, whether required, the default
for a blank cell, allowed values and numeric range. The reader, the coercion step,
the validation and the generated docs all read this one description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from model.data.rules import RULES, SCALE_FIELDS

ColumnKind = Literal["text", "number", "integer", "boolean"]

BLOCS = ("china", "alliance", "partner", "other")
SCOPE_BLOCS = ("alliance", "partner")
COMMODITY_KINDS = ("ore", "concentrate", "oxide", "metal", "alloy", "magnet", "scrap")
DIRECTIONS = ("in", "out")
RULE_NAMES = tuple(RULES)
SETTING_KEYS = (
    "base_year",
    "end_year",
    "discount_rate",
    "shortfall_tolerance",
    "objective",
    "steady_years",
    "mostly_met_tolerance",
    "weakest_numbers",
    "foresight",
)
OBJECTIVES = ("penalty", "lexicographic")
FORESIGHTS = ("perfect", "none")
SHOCK_RULES = ("embargo", "export_quota")  # their first year is a scenario's shock
UNCERTAIN_FIELDS = (*SCALE_FIELDS, "lead_time")
DISTRIBUTIONS = ("uniform", "triangular", "normal", "lognormal")
CALIBRATION_QUANTITIES = ("activity", "flow", "china_share")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an input table."""

    name: str
    kind: ColumnKind = "text"
    required: bool = False
    default: object = None
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    doc: str = ""
    ref: str | None = None
    window: tuple[float, float] | None = None

    def range_text(self) -> str:
        """Human wording of the numeric range, e.g. ``a number > 0``."""
        noun = {"integer": "a whole number", "boolean": "true or false"}.get(
            self.kind, "a number"
        )
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.exclusive_minimum else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        return f"{noun} {' and '.join(parts)}".strip()


@dataclass(frozen=True)
class TableSpec:
    """One input table: columns, key (unique rows) and whether it must exist."""

    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    key: tuple[str, ...] = ()
    doc: str = ""
    extra_columns: tuple[str, ...] = field(default=("source",))

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _text(name: str, required: bool = False, **kw: object) -> ColumnSpec:
    return ColumnSpec(name, "text", required, **kw)  # type: ignore[arg-type]


def _num(name: str, required: bool = False, **kw: object) -> ColumnSpec:
    return ColumnSpec(name, "number", required, **kw)  # type: ignore[arg-type]


def _int(name: str, required: bool = False, **kw: object) -> ColumnSpec:
    return ColumnSpec(name, "integer", required, **kw)  # type: ignore[arg-type]


YEAR_MIN, YEAR_MAX = 1900, 2200

# Units windows (smallest, largest magnitude of a nonzero value). Outside them a
# value is almost surely a unit mix-up (kg for t) or an "unlimited" sentinel such as
# 1e20; they also keep the LP's coefficients inside the range HiGHS solves reliably.
QTY = (1e-6, 1e9)     # tonnes, tonnes per year
MONEY = (1e-3, 1e9)   # US dollars per tonne or per tonne-per-year
RATIO = (1e-6, 1e6)   # tonnes per unit of activity
INDEX = (1e-3, 1e3)   # multipliers

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "settings",
        (_text("key", True, allowed=SETTING_KEYS), _text("value", True)),
        key=("key",),
        doc="Model settings: base_year, end_year, discount_rate, "
        "shortfall_tolerance, objective, steady_years, mostly_met_tolerance, "
        "weakest_numbers (free text shown under the report's Summary), foresight "
        "(perfect or none).",
    ),
    TableSpec(
        "regions",
        (
            _text("region", True, doc="the region's code (used by every other table)"),
            _text("name"),
            _text("bloc", True, allowed=BLOCS,
                  doc="china, the alliance, its partners or other"),
            _num("capex_index", default=1.0, minimum=0, exclusive_minimum=True,
                 window=INDEX),
            _num("opex_index", default=1.0, minimum=0, exclusive_minimum=True,
                 window=INDEX),
        ),
        key=("region",),
        doc="Where things happen; indices scale capex and variable cost there.",
    ),
    TableSpec(
        "commodities",
        (
            _text("commodity", True, doc="the commodity's code"),
            _text("name"),
            _text("kind", allowed=COMMODITY_KINDS, doc="the product group reported"),
            _text("element"),
            _num("reference_price_usd_per_t", default=0.0, minimum=0, window=MONEY),
            _num("shortfall_penalty_usd_per_t", True, minimum=0, exclusive_minimum=True,
                 window=MONEY, doc="the cost of a tonne of demand not met"),
        ),
        key=("commodity",),
        doc="What flows.",
    ),
    TableSpec(
        "processes",
        (
            _text("process", True, doc="the process's code"),
            _text("name"),
            _text("stage", True, doc="mining, separation, metal, alloy, magnet, "
                  "recycling, market or another label"),
            _int("lead_time_years", True, minimum=0, maximum=100,
                 doc="years from the decision to build to the first year online"),
            _int("lifetime_years", True, minimum=1, maximum=200,
                 doc="years a build can run (its capital is recovered over them)"),
            _num("capex_usd_per_tpa", default=0.0, minimum=0, window=MONEY),
            _num("fixed_om_usd_per_tpa", default=0.0, minimum=0, window=MONEY),
            _num("variable_cost_usd_per_t", default=0.0, minimum=0, window=MONEY),
            _num("availability", default=1.0, minimum=0, maximum=1,
                 exclusive_minimum=True),
            _num("hurdle_rate", minimum=0, maximum=1,
                 doc="rate of the capital recovery factor of a build's capex "
                 "(blank = settings.discount_rate)"),
        ),
        key=("process",),
        doc="Technologies; one unit of activity is one tonne of the reference flow.",
    ),
    TableSpec(
        "process_io",
        (
            _text("process", True, ref="processes"),
            _text("commodity", True, ref="commodities"),
            _text("direction", True, allowed=DIRECTIONS),
            _num("coefficient", True, minimum=0, exclusive_minimum=True, window=RATIO),
        ),
        key=("process", "commodity", "direction"),
        doc="Tonnes in or out per unit of activity.",
    ),
    TableSpec(
        "capacity",
        (
            _text("region", True, ref="regions"),
            _text("process", True, ref="processes"),
            _num("capacity_tpa", True, minimum=0, window=QTY,
                 doc="existing or committed capacity"),
            _int("online_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year usable (blank = base_year)"),
            _int("retire_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year no longer usable (blank = never)"),
        ),
        required=False,
        doc="Existing and committed capacity, usable online_year <= y < retire_year.",
    ),
    TableSpec(
        "expansion",
        (
            _text("region", True, ref="regions"),
            _text("process", True, ref="processes"),
            _num("max_new_tpa", minimum=0, window=QTY),
            _num("max_new_tpa_per_year", minimum=0, window=QTY),
            _int("earliest_online_year", minimum=YEAR_MIN, maximum=YEAR_MAX),
            _num("capex_usd_per_tpa", minimum=0, window=MONEY,
                 doc="a project's own published capex per t/yr of activity (blank = "
                 "processes.capex_usd_per_tpa x regions.capex_index)"),
        ),
        required=False,
        key=("region", "process"),
        doc="Where new capacity may be built.",
    ),
    TableSpec(
        "ramp_up",
        (
            _text("stage", doc="the curve of every process of this stage"),
            _text("process", ref="processes",
                  doc="the curve of this process (wins over its stage's rows)"),
            _int("year_in_service", True, minimum=1, maximum=200,
                 doc="1 = the year the capacity comes online"),
            _num("fraction", True, minimum=0, maximum=1, exclusive_minimum=True,
                 doc="usable share of nameplate in that year"),
        ),
        required=False,
        key=("stage", "process", "year_in_service"),
        doc="Ramp-up of capacity coming online after base_year (built, or in "
        "capacity with a later online_year): usable at fraction of nameplate in its "
        "year_in_service-th year; later years at 1. Give stage or process.",
    ),
    TableSpec(
        "build_limits",
        (
            _text("stage", True, doc="the processes of this stage"),
            _text("target", doc="a region or a bloc (as in scenario_rules); "
                  "blank = all regions"),
            _num("max_new_tpa_per_year", True, minimum=0, window=QTY,
                 doc="most new capacity coming online in one year, summed"),
            _int("from_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year the limit applies (blank = base_year); until the "
                 "next row of the same stage and target"),
        ),
        required=False,
        key=("stage", "target", "from_year"),
        doc="How fast a stage can be built: Σ of new capacity coming online in one "
        "year over the stage's processes in the target's regions <= the limit.",
    ),
    TableSpec(
        "offtakes",
        (
            _text("offtake", True),
            _text("buyer", True, ref="regions",
                  doc="the region where the buyer takes delivery"),
            _text("seller", doc="a region or a bloc (as in scenario_rules) the "
                  "buyer takes from; blank = any region"),
            _text("commodity", True, ref="commodities"),
            _num("price_usd_per_t", True, minimum=0, window=MONEY,
                 doc="what the buyer pays per tonne delivered"),
            _num("min_tpa", default=0.0, minimum=0, window=QTY,
                 doc="take-or-pay: tonnes a year owed to the buyer, short of it "
                 "at the commodity's shortfall penalty"),
            _num("max_tpa", True, minimum=0, window=QTY,
                 doc="most tonnes a year the buyer takes"),
            _int("from_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year of the contract (blank = base_year)"),
            _int("to_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="last year of the contract, inclusive (blank = end_year)"),
        ),
        required=False,
        key=("offtake",),
        doc="Offtakes (MODEL-SPEC §8.3): an optional demand of the buyer's region, "
        "up to max_tpa a year at price_usd_per_t, served along routes from the "
        "seller's regions only; revenue lowers the objective and is reported apart "
        "from total_cost_usd.",
    ),
    TableSpec(
        "price_floors",
        (
            _text("floor", True),
            _text("region", True, ref="regions",
                  doc="where the guaranteed producers are"),
            _text("commodity", True, ref="commodities"),
            _num("floor_usd_per_t", True, minimum=0, window=MONEY),
            _text("payer", doc="who pays the guarantee (free text, blank = the "
                  "region, e.g. its government)"),
            _num("max_tpa", minimum=0, window=QTY,
                 doc="most tonnes a year the guarantee covers (blank = all)"),
            _int("from_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year of the guarantee (blank = base_year)"),
            _int("to_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="last year of the guarantee, inclusive (blank = end_year)"),
        ),
        required=False,
        key=("floor",),
        doc="Price floors (MODEL-SPEC §8.3): max(0, floor − reference price) per "
        "tonne produced in the region, on up to max_tpa a year, paid as a transfer "
        "between members (table transfers), never in total_cost_usd.",
    ),
    TableSpec(
        "eol_lifetimes",
        (
            _text("product", True, ref="commodities",
                  doc="a demanded commodity (tonnes delivered to demand enter the "
                  "stock in use)"),
            _text("scrap", True, ref="commodities",
                  doc="the scrap commodity its end of life yields"),
            _int("years_after", True, minimum=1, maximum=200,
                 doc="years between delivery and end of life"),
            _num("share", True, minimum=0, maximum=1, exclusive_minimum=True,
                 doc="tonnes of scrap per tonne delivered that reach end of life "
                 "years_after years later; at most 1 summed over a product's rows"),
        ),
        required=False,
        key=("product", "scrap", "years_after"),
        doc="Product lifetime distribution: of a tonne of product delivered to "
        "demand in a region in year y, share tonnes of scrap reach end of life there "
        "in year y + years_after.",
    ),
    TableSpec(
        "eol_history",
        (
            _text("region", True, ref="regions"),
            _text("product", True, ref="commodities"),
            _int("year", True, minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="a year before base_year"),
            _num("delivered_t", True, minimum=0, window=QTY,
                 doc="tonnes of product delivered to demand in the region that year"),
        ),
        required=False,
        key=("region", "product", "year"),
        doc="Deliveries before base_year: the stock in use at the start, released "
        "as scrap by eol_lifetimes like the horizon's deliveries.",
    ),
    TableSpec(
        "eol_collection",
        (
            _text("scrap", True, ref="commodities",
                  doc="a scrap commodity of eol_lifetimes"),
            _text("target", doc="a region or a bloc (as in scenario_rules); blank = "
                  "all regions; a region row wins over a bloc row, a bloc row over "
                  "a blank one"),
            _num("max_rate", True, minimum=0, maximum=1,
                 doc="most of the end-of-life scrap arising that can be collected"),
            _num("start_rate", default=0.0, minimum=0, maximum=1,
                 doc="the rate ceiling in start_year (with growth_per_year)"),
            _int("start_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="blank = base_year"),
            _num("growth_per_year", minimum=0, maximum=1, exclusive_minimum=True,
                 doc="most the rate ceiling grows a year (0.02 = 2 points); blank = "
                 "max_rate in every year"),
        ),
        required=False,
        key=("scrap", "target"),
        doc="Collection from the stock in use: the output of the processes making "
        "the scrap in a region <= the rate ceiling x the scrap reaching end of life "
        "there; the ceiling is min(max_rate, start_rate + growth_per_year x (y - "
        "start_year)).",
    ),
    TableSpec(
        "recipes",
        (
            _text("recipe", True, ref="processes",
                  doc="a process with its own process_io and variable cost, and no "
                  "capacity, expansion or reserves of its own"),
            _text("process", True, ref="processes",
                  doc="the base process whose capacity the recipe runs on"),
            _int("ready_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="first year the recipe can run (blank = base_year)"),
            _num("max_share", default=1.0, minimum=0, maximum=1,
                 exclusive_minimum=True,
                 doc="most of the base capacity's output made with the recipe"),
            _num("adoption_per_year", minimum=0, maximum=1, exclusive_minimum=True,
                 doc="most the share made with the recipe may grow a year (0.1 = 10 "
                 "points; the ready year's share is at most this); blank = "
                 "max_share from ready_year"),
        ),
        required=False,
        key=("recipe",),
        doc="Alternative recipes (substitution): the recipe makes the base "
        "process's product on the base's capacity with its own inputs and cost; the "
        "share of the output it makes in a region is at most min(max_share, "
        "adoption_per_year x (y - ready_year + 1)).",
    ),
    TableSpec(
        "calibration",
        (
            _int("year", True, minimum=YEAR_MIN, maximum=YEAR_MAX),
            _text("quantity", True, allowed=CALIBRATION_QUANTITIES),
            _text("region", doc="activity: where (region or bloc, blank = all); "
                  "flow: the exporters (region or bloc); china_share: the buyers "
                  "(region or bloc, blank = alliance and partners)"),
            _text("process", ref="processes", doc="activity: the process"),
            _text("commodity", ref="commodities",
                  doc="flow: blank = all; china_share: the product"),
            _text("destination", doc="flow: the importers (region or bloc, blank "
                  "= every region outside region)"),
            _num("value", True, minimum=0, window=QTY,
                 doc="observed: t (activity, flow) or a share in [0, 1]"),
            _num("tolerance_pct", default=10.0, minimum=0, maximum=100,
                 doc="the baseline stays within value × (1 ± tolerance_pct/100)"),
        ),
        required=False,
        doc="Observed values of the base years that the baseline reproduces within "
        "their tolerance (MODEL-SPEC §8.3).",
    ),
    TableSpec(
        "reserves",
        (_text("region", True, ref="regions"), _text("process", True, ref="processes"),
         _num("reserve_t", True, minimum=0, window=QTY)),
        required=False,
        key=("region", "process"),
        doc="Cap on the total activity of a source process over the horizon.",
    ),
    TableSpec(
        "demand",
        (
            _text("region", True, ref="regions"),
            _text("commodity", True, ref="commodities"),
            _int("year", True, minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="a given year; years between are interpolated"),
            _num("demand_t", True, minimum=0, window=QTY, doc="demand in that year"),
        ),
        key=("region", "commodity", "year"),
        doc="Demand; linear interpolation between given years, nearest value outside.",
    ),
    TableSpec(
        "routes",
        (
            _text("origin", True, ref="regions"),
            _text("destination", True, ref="regions"),
            _text("commodity", ref="commodities", doc="blank = all commodities"),
            _num("cost_usd_per_t", True, minimum=0, window=MONEY),
            _num("tariff_pct", default=0.0, minimum=0, maximum=1000),
            _num("transit_days", default=0.0, minimum=0, maximum=3650),
        ),
        required=False,
        key=("origin", "destination", "commodity"),
        doc="Shipments are possible only on listed routes.",
    ),
    TableSpec(
        "stockpiles",
        (
            _text("region", True, ref="regions"),
            _text("commodity", True, ref="commodities"),
            _num("initial_t", True, minimum=0, window=QTY),
            _num("max_release_tpa", minimum=0, window=QTY),
            _num("release_cost_usd_per_t", minimum=0, window=MONEY),
            _num("china_share", minimum=0, maximum=1,
                 doc="share of the stock of Chinese origin, for china_content "
                 "(blank = 1 in a region of bloc china, else 0)"),
        ),
        required=False,
        key=("region", "commodity"),
        doc="Strategic stocks drawn down at their replacement value.",
    ),
    TableSpec(
        "scenarios",
        (
            _text("scenario", True),
            _text("description"),
            ColumnSpec("is_baseline", "boolean", True,
                       doc="exactly one scenario is the baseline"),
            _text("compare_to", ref="scenarios",
                  doc="the scenario its premiums are measured against (blank = "
                  "the baseline)"),
            _text("based_on", ref="scenarios",
                  doc="a parent scenario: its rules come first, then this "
                  "scenario's own (chains allowed; blank = none)"),
            _num("probability", minimum=0, maximum=1,
                 doc="the scenario's probability in `reroute hedge` (the given "
                 "values sum to 1; blank = not in the hedging set)"),
            ColumnSpec("hedge_only", "boolean", default=False,
                       doc="solved only by `reroute hedge` or when named with "
                       "--scenario, not by a plain solve or sweep"),
        ),
        key=("scenario",),
        doc="The scenarios solved by default, in order. probability: the "
        "scenario's weight in `reroute hedge` (MODEL-SPEC §8.4; the given ones sum "
        "to 1); hedge_only true: solved by `reroute hedge` (or when named with "
        "--scenario), not by a plain `reroute solve` or sweep.",
    ),
    TableSpec(
        "scenario_rules",
        (
            _text("scenario", True, ref="scenarios"),
            _text("rule", True, allowed=RULE_NAMES),
            _text("target", doc="a region or a bloc (blank = all where the rule "
                  "allows it)"),
            _text("commodity", ref="commodities"),
            _text("field"),
            _num("value", window=QTY),
            _int("from_year", minimum=YEAR_MIN, maximum=YEAR_MAX),
        ),
        required=False,
        doc=f"Scenario rules: {', '.join(RULE_NAMES)}.",
    ),
    TableSpec(
        "uncertainty",
        (
            _text("scenario"),
            _text("field", True, allowed=UNCERTAIN_FIELDS),
            _text("target"),
            _text("commodity"),
            _text("stage"),
            _text("distribution", True, allowed=DISTRIBUTIONS),
            _num("low", True),
            _num("mode"),
            _num("high", True),
            _int("from_year", minimum=YEAR_MIN, maximum=YEAR_MAX,
                 doc="a multiplier acts from this year on (blank = base year)"),
        ),
        required=False,
        doc="Uncertain inputs of a sweep (MODEL-SPEC §7); checked in model.sweep.",
    ),
)

TABLE_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
REQUIRED_TABLES = tuple(t.name for t in TABLES if t.required)
