"""Reroute: the rare-earth rerouting linear program.

Public API:
    load_case(path) -> Case
    run_case(case_path, out_dir, ...) -> RunResult
"""

from __future__ import annotations

from model.data.case import Case, load_case
from model.pipeline import RunResult, run_case
from model.version import __version__

__all__ = ["Case", "RunResult", "__version__", "load_case", "run_case"]
