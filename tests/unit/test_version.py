"""The version is stated once, in model/version.py."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from model.version import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_metadata_reads_the_version_from_model_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "model/version.py"
    assert version("reroute") == __version__  # the installed metadata agrees
