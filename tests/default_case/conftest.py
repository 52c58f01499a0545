"""The default case solved once for the whole package (ledger, plausibility and
independent checks share the solve)."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.pipeline import RunResult, run_case

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "inputs" / "default"


@pytest.fixture(scope="package")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """Every scenario of the default case, solved once, outputs in a tmp dir."""
    return run_case(CASE, tmp_path_factory.mktemp("default_out"))


@pytest.fixture(scope="package")
def scope(run: RunResult) -> set[str]:
    return run.case.scope_regions()
