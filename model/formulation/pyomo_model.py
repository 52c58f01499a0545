"""The declared LP as a Pyomo model: the documented, extensible view
(``--builder pyomo``).

One ``Var`` per variable family (in ``VARIABLES`` order, bounds as declared, the
bound families' fixings included) and
one ``Constraint`` per constraint family (in ``CONSTRAINTS`` order, row ``k``
keyed by the family's key frame row ``k``); the math of each is its declaration's
docstring (``ConstraintFamily.math``).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression

from model.data.indices import LPIndex
from model.errors import SolveError
from model.formulation.declare import Block
from model.formulation.instance import Instance, instantiate
from model.formulation.objective import DOC as OBJECTIVE_DOC
from model.formulation.objective import NAME as OBJECTIVE
from model.solver.records import LinearProgram
from model.solver.standard_form import compile_model


def build_model(index: LPIndex, name: str = "reroute") -> pyo.ConcreteModel:
    """The scenario's LP as a Pyomo model (see docs/formulation.md).

    ``m.row_keys[constraint]`` = (keys, right-hand sides) of its rows,
    ``m.column_keys[variable]`` keys its variables (the index frames).
    """
    inst = instantiate(index)
    with PauseGC():
        m = pyo.ConcreteModel(name=name)
        every = _add_variables(m, inst)
        for block in inst.blocks:
            _add_constraint(m, block, every)
        _add_objective(m, inst, every)
    m.row_keys = {b.name: (b.keys, b.rhs) for b in inst.blocks}
    m.column_keys = inst.column_keys
    return m


def compile_program(m: pyo.ConcreteModel) -> LinearProgram:
    """The model built by ``build_model`` as the LP HiGHS receives (a constraint
    that no variable can satisfy is an infeasible scenario: SolveError)."""
    try:
        return compile_model(m, m.row_keys, m.column_keys)
    except InfeasibleConstraintException as exc:
        raise SolveError(m.name, "infeasible", str(exc)) from None


def _add_variables(m: pyo.ConcreteModel, inst: Instance) -> list[object]:
    """Declare every variable family; all variables in uncompressed column order."""
    every: list[object] = []
    for family in inst.variables:
        first, size = inst.first[family.name], inst.size[family.name]
        lower = inst.lower[first:first + size]
        if family.upper is None and not lower.any():
            var = pyo.Var(range(size), domain=pyo.NonNegativeReals, doc=family.doc)
        else:
            bounds = list(zip(lower.tolist(), [
                None if np.isinf(u) else u
                for u in inst.upper[first:first + size].tolist()], strict=True))
            var = pyo.Var(range(size), domain=pyo.NonNegativeReals,
                          bounds=lambda _m, i, b=bounds: b[i], doc=family.doc)
        setattr(m, family.name, var)
        every.extend(var.values())
    return every


def _linear(coefs: list[float], variables: list[object], constant: float = 0.0
            ) -> LinearExpression:
    """Σ coefs[i]·variables[i] + constant, without operator overloading."""
    return LinearExpression(constant=constant, linear_coefs=coefs,
                            linear_vars=variables)


def _add_constraint(m: pyo.ConcreteModel, block: Block, every: list[object]) -> None:
    starts = block.starts.tolist()
    coefs = block.coef.tolist()
    variables = [every[j] for j in block.column.tolist()]
    rhs = block.rhs.tolist()
    sense = block.sense

    def rule(_m: pyo.ConcreteModel, k: int) -> object:
        lo, hi = starts[k], starts[k + 1]
        body = _linear(coefs[lo:hi], variables[lo:hi])
        if sense == "==":
            return body == rhs[k]
        return body <= rhs[k] if sense == "<=" else body >= rhs[k]

    setattr(m, block.name, pyo.Constraint(range(len(block.keys)), rule=rule,
                                          doc=block.doc))


def _add_objective(m: pyo.ConcreteModel, inst: Instance, every: list[object]) -> None:
    nonzero = np.flatnonzero(inst.cost)
    m.add_component(OBJECTIVE, pyo.Objective(
        expr=_linear(inst.cost[nonzero].tolist(), [every[j] for j in nonzero.tolist()],
                     inst.offset),
        sense=pyo.minimize, doc=OBJECTIVE_DOC))
