"""Fast construction of linear expressions from coefficient lists."""

from __future__ import annotations

from collections.abc import Sequence

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression


def linear(coefs: Sequence[float], variables: Sequence[pyo.Var], constant: float = 0.0
           ) -> LinearExpression:
    """Σ coefs[i]·variables[i] + constant, without operator overloading."""
    return LinearExpression(constant=constant, linear_coefs=list(coefs),
                            linear_vars=list(variables))
