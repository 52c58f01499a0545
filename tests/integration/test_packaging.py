"""The wheel carries the default case, so `reroute solve` works when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_bundled_default_case(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "-w", str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("reroute-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("model/_bundled/default/")}
    in_repo = {p.name for p in (ROOT / "inputs" / "default").glob("*.csv")}
    assert in_repo and in_repo <= shipped
