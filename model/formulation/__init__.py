"""The linear program of MODEL-SPEC §3, declared once and built two ways.

``registry.py`` is the table of contents: the variable families (``variables.py``)
and one module per constraint family (``balance``, ``capacity``, ``expansion``,
``resources``, ``trade``), each declaring its rows as arrays (``declare.py``) with
its math in the docstring. ``matrix.assemble`` builds the HiGHS LP with numpy (the
default); ``pyomo_model.build_model`` builds the same LP as a Pyomo model.
"""

from __future__ import annotations


def __getattr__(name: str) -> object:
    """``model.formulation.build_model`` without importing Pyomo up front."""
    if name == "build_model":
        from model.formulation.pyomo_model import build_model  # noqa: PLC0415

        return build_model
    raise AttributeError(f"module 'model.formulation' has no attribute {name!r}")
