"""reroute hedge and reroute frontier give the same answers in this process, in a
local process pool and on Dask; their executor options parse and are recorded.

The figures asserted are the hand-derived ones of tests/hedge/cases.py (derived
again in the comments); the other executors must also give the serial tables.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from model.cli import main
from model.data.case import load_case
from model.frontier.command import frontier
from model.frontier.tasks import run_task as frontier_task
from model.frontier.trace import Point, corners
from model.hedge.command import hedge_tables, hedging_set
from model.hedge.problem import Risk
from model.hedge.tasks import run_task as hedge_task
from model.hedge.value import hedge
from model.parallel.executors import DaskExecutor, PoolExecutor, SerialExecutor
from model.parallel.progress import TaskProgress
from model.solver.records import SolveOptions
from tests.hedge.cases import early_build_case, frontier_case

OPTIONS = SolveOptions()
HEDGE_TABLES = ("value_of_information", "regret", "hedge_plan", "hedge_risk")
# early_build_case (tests/hedge/test_hedge.py derives each): WS = (2000 + 4500) / 2;
# RP = 6500 − 225 K at K = 10; EV at K = 5; EEV = (3000 + 7750) / 2;
# VSS = EEV − RP; EVPI = RP − WS; BPE = (2000 + 11000) / 2.
EARLY_BUILD = {"RP": 4250, "WS": 3250, "EV": 3250, "EEV": 5375, "VSS": 1125,
               "EVPI": 1000, "BPE": 6500}
# frontier_case (tests/hedge/test_frontier.py): U = 0 at cost 11000; spot's 4 t
# given up save 8000 for U 400; n's 8 t save 1200 for 800; a's 18 t 1800 for 1800.
BREAKPOINTS = pd.DataFrame({"unmet_reference_usd": [0.0, 400.0, 1200.0, 3000.0],
                            "shortfall_t": [0.0, 4.0, 12.0, 30.0],
                            "total_cost_usd": [11000.0, 3000.0, 1800.0, 0.0]})


def hedged(folder: Path, executor: object) -> dict[str, pd.DataFrame]:
    case = load_case(folder)
    # CVaR of the shortfall at weight 3: the objective is 6500 − 225 K + 3 (1000 −
    # 100 K) (test_hedge's CVaR derivation with fixed O&M 200), least at K = 10,
    # where the embargo is short of nothing: CVaR 0 and expected cost RP = 4250.
    outcome = hedge(case, hedging_set(case), OPTIONS, [Risk(0.9, 3.0)], executor)
    assert outcome.metrics() == pytest.approx(EARLY_BUILD, abs=1e-6)
    tables = hedge_tables(case, outcome)
    risk = tables["hedge_risk"].iloc[0]
    assert risk["cvar_usd"] == pytest.approx(0, abs=1e-6)
    assert risk["expected_cost_usd"] == pytest.approx(4250)
    return {name: tables[name] for name in HEDGE_TABLES}


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return early_build_case(tmp_path_factory.mktemp("early") / "case")


@pytest.fixture(scope="module")
def serial_hedge(early: Path) -> dict[str, pd.DataFrame]:
    return hedged(early, SerialExecutor(hedge_task))


def same_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for name in HEDGE_TABLES:
        pd.testing.assert_frame_equal(got[name], want[name], rtol=1e-9, atol=1e-6)


def test_pool_hedge_gives_the_serial_tables(early: Path, serial_hedge) -> None:
    same_tables(hedged(early, PoolExecutor(2, hedge_task)), serial_hedge)


def test_dask_hedge_gives_the_serial_tables(early: Path, serial_hedge,
                                            dask_address: str) -> None:
    same_tables(hedged(early, DaskExecutor(hedge_task, address=dask_address)),
                serial_hedge)


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return frontier_case(tmp_path_factory.mktemp("frontier") / "case")


@pytest.mark.parametrize("make", [lambda _a: SerialExecutor(frontier_task),
                                  lambda _a: PoolExecutor(2, frontier_task),
                                  lambda a: DaskExecutor(frontier_task, address=a)],
                         ids=["serial", "pool", "dask"])
def test_frontier_breakpoints_on_every_executor(square: Path, make, request
                                                ) -> None:
    address = request.getfixturevalue("dask_address") if "dask" in \
        request.node.name else None
    result = frontier(load_case(square), "baseline", OPTIONS,
                      executor=make(address))
    table = result.tables["frontier"]
    for column in BREAKPOINTS:
        assert table[column].to_numpy() == pytest.approx(BREAKPOINTS[column],
                                                         abs=1e-5)
    # 4 breakpoints: two ends (two solves each, lexicographic) and 2 × 4 − 3 = 5
    # weighted solves; then the penalty solve and one per year of the
    # self-sufficient-by curve (2027, 2026, 2025: all reachable): 4 + 5 + 1 + 3.
    assert result.solves == 13


def test_a_point_on_an_edge_is_not_a_corner() -> None:
    # (1, 5) is on the line from (0, 10) to (2, 0) (C = 10 − 5 U); (1, 4) is below.
    edge = [Point(0, 10, 0), Point(1, 5, 0), Point(2, 0, 0)]
    assert corners(edge) == [edge[0], edge[2]]
    corner = [Point(0, 10, 0), Point(1, 4, 0), Point(2, 0, 0)]
    assert corners(corner) == corner


def run_json(folder: Path) -> dict:
    return json.loads((folder / "run.json").read_text())


def test_executor_options_are_recorded(early: Path, tmp_path: Path,
                                       dask_address: str, capsys) -> None:
    # one local worker: this process (a pool of one would only add its start)
    out = tmp_path / "one"
    assert main(["hedge", str(early), "--workers", "1", "--out", str(out)]) == 0
    # not a terminal: a line per solve instead of the bar. Two scenarios: round 1
    # is WS of each, RP and EV (4); round 2 is EEV, BPE and 2 × 1 regret cells (4).
    solved = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith("  solved ")]
    assert len(solved) == 8
    assert "  solved plan of baseline in embargo" in solved
    assert run_json(out)["executor"] == {"executor": "serial", "workers": 1,
                                         "scheduler": None}
    voi = pd.read_csv(out / "tables/value_of_information.csv")
    assert dict(zip(voi["metric"], voi["usd"], strict=True)) == pytest.approx(
        EARLY_BUILD, abs=1e-6)
    out = tmp_path / "pool"
    assert main(["frontier", str(early), "--scenario", "embargo", "--executor",
                 "pool", "--workers", "2", "--out", str(out), "-q"]) == 0
    assert run_json(out)["executor"] == {"executor": "pool", "workers": 2,
                                         "scheduler": None}
    out = tmp_path / "cluster"
    assert main(["frontier", str(early), "--scenario", "embargo", "--scheduler",
                 dask_address, "--out", str(out), "-q"]) == 0
    assert run_json(out)["executor"] == {"executor": "dask", "workers": 0,
                                         "scheduler": dask_address}
    # the same frontier wherever it ran
    pd.testing.assert_frame_equal(pd.read_csv(out / "tables/frontier.csv"),
                                  pd.read_csv(tmp_path / "pool/tables/frontier.csv"))
    capsys.readouterr()


@pytest.mark.parametrize(("bad", "named"), [
    (["--workers", "0"], "argument --workers: '0' is not an integer >= 1"),
    (["--executor", "threads"], "argument --executor: invalid choice"),
    (["--workers", "2", "--scheduler", "tcp://x:1"], "not allowed with"),
])
def test_bad_executor_options_exit_2(early: Path, tmp_path: Path, bad: list[str],
                                     named: str, capsys) -> None:
    assert main(["hedge", str(early), *bad, "--out", str(tmp_path / "o")]) == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_progress_counts_the_solves_of_each_round() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160)
    with TaskProgress("hedge", "solves", 0, 0, True, console=console) as progress:
        progress.grow(2)  # a first round of two solves
        progress.advance("wait-and-see a")
        progress.advance("wait-and-see b")
        progress.grow(1)  # a second round of one
        progress.advance("plan of a in b")
    text = out.getvalue()
    assert "3/3" in text and "solves/min" in text and "plan of a in b" in text
