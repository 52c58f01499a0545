"""Shared fixtures: a tiny case folder (the Dask cluster, ``dask_address``, is
tests/conftest.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sweep.cases import chain_case


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    return chain_case(tmp_path / "chain")

