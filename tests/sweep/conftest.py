"""Shared fixtures: a tiny case folder and one Dask LocalCluster per session."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from tests.sweep.cases import chain_case


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    return chain_case(tmp_path / "chain")


@pytest.fixture(scope="session")
def dask_address() -> Iterator[str]:
    """A LocalCluster(n_workers=2, threads_per_worker=1, processes=True)."""
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1", silence_logs=logging.ERROR)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
