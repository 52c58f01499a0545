"""run.json: versions, input hash, options, per-scenario status and phase seconds."""

from __future__ import annotations

import json
import platform
import pyexpat
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from model.solver.highs import highs_version

PACKAGES = ("reroute", "pyomo", "highspy", "pandas", "numpy", "scipy", "openpyxl",
            "xlsxwriter", "defusedxml")


def versions() -> dict[str, str]:
    """Versions of Python, the packages used and the HiGHS library."""
    found = {"python": sys.version.split()[0], "platform": platform.platform(),
             "expat": pyexpat.EXPAT_VERSION}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    found["highs"] = highs_version()
    return found


def write_run_record(record: dict[str, object], path: Path) -> None:
    record = {"written_at": datetime.now(UTC).isoformat(timespec="seconds"), **record}
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
