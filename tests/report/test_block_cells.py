"""The cells of a titled small table (model/report/excel/cells.py ``Rows.block``).

By hand: a number in its column's format (the default integer-tonnes format where
none is given), a boolean as a boolean, missing and non-finite values blank,
dangerous text inert, other text plain; above ``STYLE_LIMIT`` cells no number is
formatted. The independent method is the cell rule the block had before its
formats were looked up once per column: ``number_cell`` for a number of a styled
block, ``safe_value`` for anything else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.report.excel import cells
from model.report.excel.cells import (
    FMT_T,
    Rows,
    number_cell,
    plain,
    safe_value,
    text_cell,
)
from model.report.excel.writer import Cell


class Recorder:
    """Stands for a sheet: keeps the rows appended."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []

    def append(self, values: list[object]) -> None:
        self.rows.append(values)


FRAME = pd.DataFrame({
    "usd": [1.5, np.nan, np.inf, 2.0],
    "t": pd.array([3, None, 0, 7], dtype="Int64"),
    "flag": [True, False, np.True_, None],
    "note": ["=SUM(A1)", "ok", None, "@x"],
})
FORMATS = {"usd": "#,##0.00"}


def block(frame: pd.DataFrame) -> list[list[object]]:
    ws = Recorder()
    first, last = Rows(ws).block("title", frame, FORMATS)  # type: ignore[arg-type]
    assert (first, last) == (2, 2 + len(frame))  # title row 1, header row 2
    return ws.rows[2:]


def old_rule(value: object, fmt: str, styled: bool) -> object:
    number = plain(value)
    is_number = isinstance(number, int | float) and not isinstance(number, bool)
    return (number_cell(None, value, fmt) if styled and is_number
            else safe_value(None, value))


def test_block_cells_by_hand() -> None:
    usd = "#,##0.00"
    assert block(FRAME) == [
        [Cell(1.5, "n", usd), Cell(3, "n", FMT_T), True, text_cell(None, "=SUM(A1)")],
        [None, None, False, "ok"],
        [None, Cell(0, "n", FMT_T), True, None],
        [Cell(2.0, "n", usd), Cell(7, "n", FMT_T), None, text_cell(None, "@x")],
    ]
    assert text_cell(None, "@x").quotePrefix  # inert


@pytest.mark.parametrize("styled", [True, False])
def test_block_cells_follow_the_old_rule(styled: bool,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if not styled:  # 16 cells: over a limit of 15 nothing is formatted
        monkeypatch.setattr(cells, "STYLE_LIMIT", FRAME.size - 1)
    want = [[old_rule(v, FORMATS.get(c, FMT_T), styled)
             for c, v in zip(FRAME.columns, values, strict=True)]
            for values in FRAME.itertuples(index=False, name=None)]
    assert block(FRAME) == want
    numbers = [c for row in want for c in row if isinstance(c, Cell)
               and c.data_type == "n"]
    assert len(numbers) == (5 if styled else 0)  # 1.5, 2.0, 3, 0, 7
