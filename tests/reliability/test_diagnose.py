"""P23 IIS soundness: the subset HiGHS reports for an infeasible scenario is
infeasible on its own, and dropping any one member makes it feasible."""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pytest
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

import model.data.case as case_module
from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.formulation import build_model
from model.solver.highs import highs_iis, make_highs
from model.solver.records import SolveOptions
from model.solver.standard_form import to_lp
from tests.reliability.builders import Tables, csv_case


def _contradiction(t: Tables) -> None:
    # sum of builds <= -5 with builds >= 0: no plan satisfies both
    t["expansion"] = [{"region": "US", "process": "mine", "max_new_tpa": -5}]


def _subsystem(lp: highspy.HighsLp, rows: list[int], cols: list[int]
               ) -> highspy.HighsLp:
    """Only the given rows, only the given column bounds (others free), no cost."""
    inf = highspy.kHighsInf
    a = _dense(lp)[rows, :]
    sub = highspy.HighsLp()
    sub.num_col_, sub.num_row_ = lp.num_col_, len(rows)
    sub.col_cost_ = np.zeros(lp.num_col_)
    lower, upper = np.full(lp.num_col_, -inf), np.full(lp.num_col_, inf)
    lower[cols] = np.asarray(lp.col_lower_)[cols]
    upper[cols] = np.asarray(lp.col_upper_)[cols]
    sub.col_lower_, sub.col_upper_ = lower, upper
    sub.row_lower_ = np.asarray(lp.row_lower_)[rows]
    sub.row_upper_ = np.asarray(lp.row_upper_)[rows]
    sub.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    sub.a_matrix_.start_ = np.arange(len(rows) + 1) * lp.num_col_
    sub.a_matrix_.index_ = np.tile(np.arange(lp.num_col_), len(rows))
    sub.a_matrix_.value_ = a.ravel()
    return sub


def _dense(lp: highspy.HighsLp) -> np.ndarray:
    out = np.zeros((lp.num_row_, lp.num_col_))
    start, index, value = (np.asarray(v) for v in (
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_))
    for j in range(lp.num_col_):
        out[index[start[j]:start[j + 1]], j] = value[start[j]:start[j + 1]]
    return out


def _status(lp: highspy.HighsLp) -> highspy.HighsModelStatus:
    h = make_highs(SolveOptions())  # the suite's thread count (one per process)
    h.setOptionValue("presolve", "off")
    h.passModel(lp)
    h.run()
    return h.getModelStatus()


def test_P23_iis_is_irreducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                ) -> None:
    monkeypatch.setattr(case_module, "validate_tables", lambda tables, years: [])
    case = load_case(csv_case(tmp_path / "case", _contradiction))
    index = build_index(scenario_data(case, "baseline"))
    m = build_model(index)  # kept alive: constraint names need their model
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    lp = to_lp(info)
    found = highs_iis(lp)
    assert found is not None
    rows, cols = found
    assert [info.rows[i].constraint.name for i in rows] == ["expansion_total[0]"]
    infeasible = highspy.HighsModelStatus.kInfeasible
    assert _status(_subsystem(lp, rows, cols)) == infeasible
    for k in range(len(rows)):
        assert _status(_subsystem(lp, rows[:k] + rows[k + 1:], cols)) != infeasible
    for k in range(len(cols)):
        assert _status(_subsystem(lp, rows, cols[:k] + cols[k + 1:])) != infeasible
