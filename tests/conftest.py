"""Shared fixtures: solve a tiny case built in code, through the production path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from model.pipeline import run_case
from tests.helpers import write_case

Solver = Callable[..., dict[str, pd.DataFrame]]


@pytest.fixture
def solve(tmp_path: Path) -> Solver:
    """solve(tables, scenarios=None) -> the run's tidy tables.

    Runs load → build → solve → extract → the post-solve invariant checks of
    model/results/checks.py (balance rebuilt from the tables, cost = objective).
    """
    counter = iter(range(1000))

    def _solve(tables: dict[str, list[dict[str, object]]],
               scenarios: list[str] | None = None) -> dict[str, pd.DataFrame]:
        folder = write_case(tmp_path / f"case{next(counter)}", tables)
        return run_case(folder, None, scenarios).tables

    return _solve
