"""The wheel carries the default case, so `reroute solve` and `reroute init` work
when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "-w", str(folder), str(ROOT)], check=True)
    return next(folder.glob("reroute-*.whl"))


def test_wheel_contains_the_bundled_default_case(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("model/_bundled/default/")}
    in_repo = {p.name for p in (ROOT / "inputs" / "default").glob("*.csv")}
    assert in_repo and in_repo <= shipped


def test_init_from_the_installed_wheel_writes_the_default_case(
        wheel: Path, tmp_path: Path) -> None:
    # the wheel unpacked into a folder of its own that comes first on the path (its
    # dependencies from this environment), run from a folder outside the checkout
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(target), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import model.cli as c; print(c.bundled_case())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(target)
    subprocess.run([sys.executable, "-m", "model", "init", "starter"], cwd=tmp_path,
                   env=env, check=True, capture_output=True)
    expected = {p.name: p.read_bytes() for p in (ROOT / "inputs" / "default").glob(
        "*.csv")}
    written = {p.name: p.read_bytes() for p in (tmp_path / "starter").iterdir()}
    assert written == expected
