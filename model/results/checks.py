"""Post-solve invariants recomputed from the output tables alone.

Guards against drift between the model and its report: every balance
(production x process_io + imports - exports + releases + shortfall - surplus
- offtake deliveries = demand) and the objective (the sum of the cost table) are
recomputed from the tidy tables and compared with what the model says.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.indices import RCY

ABS_TOL_T = 1e-3
REL_TOL = 1e-6
CHECKED_TABLES = ("production", "flows", "stock", "shortfall", "surplus",
                  "offtake_sales", "costs")  # the tables check_scenario reads


class InvariantError(AssertionError):
    """The output tables contradict each other or the objective."""


def balance_residuals(tables: dict[str, pd.DataFrame], process_io: pd.DataFrame
                      ) -> pd.DataFrame:
    """Residual of every balance row rebuilt from the tables (should be ~0)."""
    prod = tables["production"].merge(process_io, on="process")
    sign = np.where(prod["direction"] == "out", 1.0, -1.0)
    parts = [
        _part(prod, "region", prod["activity_t"] * prod["coefficient"] * sign),
        _part(tables["flows"], "destination", tables["flows"]["quantity_t"]),
        _part(tables["flows"], "origin", -tables["flows"]["quantity_t"]),
        _part(tables["stock"], "region", tables["stock"]["release_t"]),
        _part(tables["shortfall"], "region", tables["shortfall"]["shortfall_t"]),
        _part(tables["surplus"], "region", -tables["surplus"]["surplus_t"]),
        _part(tables["shortfall"], "region", -tables["shortfall"]["demand_t"]),
    ]
    sales = tables.get("offtake_sales")
    if sales is not None and len(sales):
        parts.append(_part(sales, "seller", -sales["quantity_t"]))
    frame = pd.concat(parts, ignore_index=True)
    return frame.groupby(RCY, as_index=False)["t"].sum()


def _part(frame: pd.DataFrame, region: str, amount: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"region": frame[region].to_numpy(),
                         "commodity": frame["commodity"].to_numpy(),
                         "year": frame["year"].to_numpy(),
                         "t": np.asarray(amount, dtype=float)})


def check_scenario(tables: dict[str, pd.DataFrame], process_io: pd.DataFrame,
                   objective: float) -> None:
    """Raise InvariantError if a balance or the objective does not add up."""
    residuals = balance_residuals(tables, process_io)
    worst = residuals.loc[residuals["t"].abs().idxmax()] if len(residuals) else None
    if worst is not None and abs(worst["t"]) > ABS_TOL_T + REL_TOL * _scale(tables):
        raise InvariantError(
            f"balance of {worst['region']}/{worst['commodity']}/{worst['year']} is off "
            f"by {worst['t']:.6g} t")
    total = float(tables["costs"]["discounted_usd"].sum())
    if abs(total - objective) > 1.0 + 1e-6 * abs(objective):
        raise InvariantError(f"cost table sums to {total:.6g} USD but the objective "
                             f"is {objective:.6g} USD")


def _scale(tables: dict[str, pd.DataFrame]) -> float:
    prod = tables["production"]["activity_t"]
    return float(prod.abs().max()) if len(prod) else 1.0
