"""Shared fixtures: solve a tiny case built in code, through the production path."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, settings

from model.pipeline import run_case
from model.solver.records import SolveOptions
from tests.helpers import write_case

Solver = Callable[..., dict[str, pd.DataFrame]]

# Every example runs the whole production path (about 0.7 s per solve), so the CI
# profile draws few, fixed examples and skips shrinking to keep time bounded.
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          max_examples=8,
                          phases=(Phase.explicit, Phase.reuse, Phase.generate),
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture],
                          print_blob=False)
settings.register_profile("nightly", deadline=None, max_examples=300,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# `make mutate` (tests/mutate.py) runs the tests that call a mutated function with
# -x; cheapest folders first, and in each folder the tests that solve nothing
# before those whose fixtures solve a case (mutmut orders by the test call's time,
# which leaves a fixture's solve out), so most mutants die in milliseconds.
CHEAP_FIRST = ("unit", "results", "report", "formulation")
SOLVING_FIXTURES = {"solve", "solved", "report", "report_path", "book", "solver"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("MUTANT_UNDER_TEST"):
        rank = {name: i for i, name in enumerate(CHEAP_FIRST)}
        items.sort(key=lambda item: (
            rank.get(item.path.parent.name, len(rank)),
            bool(SOLVING_FIXTURES & set(getattr(item, "fixturenames", ())))))


@pytest.fixture(params=["numpy", "pyomo"])
def solve(tmp_path: Path, request: pytest.FixtureRequest) -> Solver:
    """solve(tables, scenarios=None) -> the run's tidy tables.

    Runs load → build → solve → extract → the post-solve invariant checks of
    model/results/checks.py (balance rebuilt from the tables, cost = objective),
    once with the numpy matrix builder (the default) and once through the Pyomo
    model, so every hand-derived optimum checks both.
    """
    options = SolveOptions(builder=request.param)
    counter = iter(range(1000))

    def _solve(tables: dict[str, list[dict[str, object]]],
               scenarios: list[str] | None = None) -> dict[str, pd.DataFrame]:
        folder = write_case(tmp_path / f"case{next(counter)}", tables)
        return run_case(folder, None, scenarios, options).tables

    return _solve


@pytest.fixture(scope="session")
def dask_address() -> Iterator[str]:
    """A LocalCluster(n_workers=2, threads_per_worker=1, processes=True), one per
    session (the sweep's, hedge's and frontier's executor tests share it)."""
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1", silence_logs=logging.ERROR)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
