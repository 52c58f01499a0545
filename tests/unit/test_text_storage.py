"""Text in the model's frames is stored as Python strings (model/data/__init__.py):
the ``str`` dtype pandas infers once any model.data module is imported."""

from __future__ import annotations

import pandas as pd

import model.data  # noqa: F401  (sets the storage)


def test_inferred_text_is_python_storage() -> None:
    dtype = pd.Series(["Nd", "Pr"]).dtype
    assert isinstance(dtype, pd.StringDtype)
    assert dtype.storage == "python"
    # the values, their order and a sort are those of plain Python strings
    assert sorted(pd.Series(["b", "a", "B"]).sort_values().tolist()) == ["B", "a", "b"]
    assert pd.Series(["b", "a", "B"]).sort_values().tolist() == ["B", "a", "b"]
