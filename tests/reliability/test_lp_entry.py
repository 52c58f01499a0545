"""The LP is checked where it enters HiGHS (issue 10, item 3).

A process that takes a commodity in and gives part of it back (ox in 1, ox out
0.95) once put two entries in one (row, column) of the matrix; HiGHS's
``passModel`` refused the matrix, nobody looked at its status, HiGHS then solved
its empty model and reading the solution raised ``IndexError``. Now the balance
family emits the net coefficient, repeated entries are summed before
``passModel``, every HiGHS status is checked, and a rejected model is an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from model.cli import main
from model.data.case import load_case
from model.data.indices import build_index
from model.data.scenarios import scenario_data
from model.errors import SolveError
from model.formulation.registry import VARIABLES
from model.pipeline import run_case
from model.solver.highs import solve
from model.solver.records import LinearProgram, RowBlock, SolveOptions, store_matrix
from tests.reliability.builders import Tables, csv_case

LOSS = 0.95


def add_lossy_refinery(tables: Tables) -> None:
    """A US refinery makes 1 t metal per t of activity and loses 5 % of the ox
    it passes through: ox in 1, ox out 0.95, metal out 1 (all on one process)."""
    tables["commodities"].append({"commodity": "metal", "kind": "metal",
                                  "reference_price_usd_per_t": 0,
                                  "shortfall_penalty_usd_per_t": 2000})
    tables["processes"].append({"process": "refine", "stage": "refining",
                                "lead_time_years": 0, "lifetime_years": 30,
                                "variable_cost_usd_per_t": 7})
    tables["process_io"] += [
        {"process": "refine", "commodity": "ox", "direction": "in", "coefficient": 1},
        {"process": "refine", "commodity": "ox", "direction": "out",
         "coefficient": LOSS},
        {"process": "refine", "commodity": "metal", "direction": "out",
         "coefficient": 1}]
    tables["capacity"].append({"region": "US", "process": "refine",
                               "capacity_tpa": 100})
    tables["demand"].append({"region": "US", "commodity": "metal", "year": 2025,
                             "demand_t": 10})


# Hand optimum of the base case (tests/reliability/builders.py: years 2025-2026,
# discount rate 0; ox demand US 30 + JP 50; US mine 50 t/yr at 10, NA pit 20 t/yr
# at 12; routes NA->US and US->JP at 5/t; ox shortfall 1000/t) plus the refinery.
# Per year: the 10 t of metal (shortfall 2000/t) take refine = 10 at 7/t = 70 and
# consume net (1 - 0.95) * 10 = 0.5 t ox. Both mines run (their cost < the ox
# penalty): 50*10 + 20*12 = 740; NA->US 20*5 = 100. The US then holds 70 - 0.5 =
# 69.5 t: it keeps its 30, ships 39.5 to JP (197.5, the least shipping for the
# same shortfall), and JP is short 50 - 39.5 = 10.5 t (10 500). Per year 740 +
# 100 + 197.5 + 70 = 1107.5 of cost and 10 500 of penalty; over two years
# total_cost_usd = 2215, the objective 2 * (1107.5 + 10500) = 23215.
TOTAL_COST = 2 * (740 + 100 + 39.5 * 5 + 10 * 7)
OBJECTIVE = TOTAL_COST + 2 * 10.5 * 1000
JP_SHORT = 50 - (50 + 20 - (1 - LOSS) * 10 - 30)


@pytest.mark.parametrize("builder", ["numpy", "pyomo"])
def test_lossy_process_solves_to_the_hand_optimum(tmp_path: Path, builder: str,
                                                  capsys: pytest.CaptureFixture
                                                  ) -> None:
    case = csv_case(tmp_path / "case", add_lossy_refinery)
    out = tmp_path / "out"
    assert main(["solve", str(case), "--out", str(out), "--builder", builder]) == 0
    assert "Traceback" not in capsys.readouterr().err
    record = json.loads((out / "run.json").read_text())
    assert record["scenarios"]["baseline"]["objective_usd"] == pytest.approx(OBJECTIVE)
    summary = pd.read_csv(out / "tables" / "summary.csv")
    assert summary["total_cost_usd"].iloc[0] == pytest.approx(TOTAL_COST)
    production = pd.read_csv(out / "tables" / "production.csv")
    refine = production[production["process"] == "refine"]
    assert refine["activity_t"].tolist() == pytest.approx([10, 10])
    short = pd.read_csv(out / "tables" / "shortfall.csv").set_index(
        ["region", "commodity"])["shortfall_t"]
    assert short.loc[("JP", "ox")].tolist() == pytest.approx([JP_SHORT] * 2)
    assert short.loc[("US", "metal")].tolist() == pytest.approx([0, 0])


def test_balance_row_holds_the_net_coefficient(tmp_path: Path) -> None:
    """One balance term per (row, variable): the refinery's ox term is 0.95 - 1."""
    case = load_case(csv_case(tmp_path / "case", add_lossy_refinery))
    terms = build_index(scenario_data(case, "baseline")).balance_terms
    keys = ["region", "commodity", "year", "family", "position"]
    assert not terms.duplicated(keys).any()
    act = build_index(scenario_data(case, "baseline")).act
    refine = act.index[act["process"] == "refine"]
    ox = terms[(terms["family"] == "act") & terms["position"].isin(refine)
               & (terms["commodity"] == "ox")]
    assert ox["coef"].tolist() == pytest.approx([LOSS - 1] * 2)


def test_repeated_matrix_entries_are_summed_before_highs() -> None:
    """Column 0 holds (row 0, -1.0) and (row 0, 0.95): stored as one entry -0.05,
    which HiGHS accepts."""
    a = sp.csc_matrix((np.array([-1.0, LOSS, 1.0]), np.array([0, 0, 1]),
                       np.array([0, 2, 3])), shape=(2, 2))
    lp = _lp(2, 2)
    store_matrix(lp, a)
    assert list(lp.a_matrix_.start_) == [0, 1, 2]
    assert list(lp.a_matrix_.index_) == [0, 1]
    assert list(lp.a_matrix_.value_) == pytest.approx([LOSS - 1, 1.0])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.passModel(lp) == highspy.HighsStatus.kOk


def test_a_model_highs_rejects_is_never_taken_as_solved() -> None:
    """An LP whose matrix HiGHS refuses (a repeated entry, put in by hand past
    ``store_matrix``) is a SolveError naming passModel, not an empty 'optimum'."""
    lp = _lp(1, 1)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 2], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([0, 0], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([1.0, 1.0])
    lp.row_lower_ = lp.row_upper_ = np.array([1.0])
    column_of = {v.name: np.array([0] if v.name == "act" else [], dtype=np.int64)
                 for v in VARIABLES}
    rows = {"balance": RowBlock(0, pd.DataFrame(index=[0]), np.array([1.0]))}
    with pytest.raises(SolveError, match="passModel"):
        solve(LinearProgram(lp, column_of, rows), "baseline", SolveOptions())


def test_an_option_highs_rejects_is_a_solve_error(tmp_path: Path) -> None:
    """Through the API (the command line refuses it earlier, exit 2): HiGHS
    refuses threads = -1, and the run stops naming the call instead of solving
    with its default and recording -1."""
    case = csv_case(tmp_path / "case")
    with pytest.raises(SolveError, match=r"setOptionValue\('threads', -1\)"):
        run_case(case, tmp_path / "out", options=SolveOptions(threads=-1))
    assert not (tmp_path / "out").exists()


def _lp(rows: int, cols: int) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = rows, cols
    lp.col_cost_ = np.ones(cols)
    lp.col_lower_ = np.zeros(cols)
    lp.col_upper_ = np.full(cols, highspy.kHighsInf)
    lp.row_lower_ = np.zeros(rows)
    lp.row_upper_ = np.full(rows, highspy.kHighsInf)
    return lp
