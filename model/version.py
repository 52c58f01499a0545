"""Reroute's version: stated here only (pyproject.toml reads it, see
``[tool.hatch.version]``; ``reroute --version`` and run.json show it)."""

__version__ = "0.1.0"
