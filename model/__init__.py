"""Reroute: the rare-earth rerouting linear program.

Public API:
    load_case(path) -> Case
    run_case(case or path, out_dir, ...) -> RunResult
    model.api: load, edit, solve, query and plot from a notebook (docs/api.md)

``import model`` is light: these names import pandas, Pyomo and HiGHS when first
used, so the command line starts (and handles signals) before anything heavy loads.
"""

from __future__ import annotations

from importlib import import_module

from model.version import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing
_PUBLIC = {"Case": "model.data.case", "load_case": "model.data.case",
           "RunResult": "model.pipeline", "run_case": "model.pipeline"}

if TYPE_CHECKING:
    from model.data.case import Case, load_case
    from model.pipeline import RunResult, run_case


def __getattr__(name: str) -> object:
    """The public names, imported on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


__all__ = ["Case", "RunResult", "__version__", "load_case", "run_case"]
