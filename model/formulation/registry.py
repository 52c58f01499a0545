"""The LP's table of contents: its variable families (in column order), its
constraint families (in row order) and its bound families (fixings of columns).
Both builders and the documentation test read these; a new family is declared in
its module and listed here."""

from __future__ import annotations

from model.formulation.adoption import ADOPTION
from model.formulation.balance import BALANCE
from model.formulation.build_rate import BUILD_RATE
from model.formulation.calibration import CALIBRATION
from model.formulation.capacity import CAPACITY
from model.formulation.collection import COLLECTION
from model.formulation.declare import BoundFamily, ConstraintFamily, VariableFamily
from model.formulation.expansion import EXPANSION
from model.formulation.foresight import FORESIGHT
from model.formulation.offtake import OFFTAKE_MAX, OFFTAKE_MIN
from model.formulation.resources import RESERVES, STOCKPILES
from model.formulation.trade import EXPORT_QUOTA
from model.formulation.variables import VARIABLES

CONSTRAINTS: tuple[ConstraintFamily, ...] = (
    BALANCE,       # commodity balance; its dual is the price
    CAPACITY,      # activity ≤ availability × capacity in service
    EXPANSION,     # total new capacity per (region, process)
    RESERVES,      # cumulative extraction ≤ reserve
    STOCKPILES,    # stock evolution (release limits are bounds)
    EXPORT_QUOTA,  # export quotas of scenario rules
    BUILD_RATE,    # new capacity of a stage per year (build_limits)
    OFFTAKE_MAX,   # offtake deliveries per year <= max_tpa
    OFFTAKE_MIN,   # take-or-pay: deliveries + undelivered >= min_tpa
    COLLECTION,    # collected scrap <= rate ceiling x end-of-life scrap arising
    ADOPTION,      # share made with an alternative recipe <= its adoption ceiling
    CALIBRATION,   # baseline: observed base-year values within their tolerance
)

BOUNDS: tuple[BoundFamily, ...] = (
    FORESIGHT,     # foresight none: pre-shock decisions = the comparator's
)


def variable_inputs() -> dict[str, tuple[str, ...]]:
    """Input tables that define or limit each variable family."""
    return {v.name: v.inputs for v in VARIABLES}


__all__ = ["BOUNDS", "CONSTRAINTS", "VARIABLES", "VariableFamily", "variable_inputs"]
