"""The balance rows of sorted balance terms (model/data/terms.py ``term_rows``),
the one numbering of (region, commodity, year) that the balance family's rows and
the China-content network's nodes share."""

from __future__ import annotations

import pandas as pd

from model.data.terms import term_rows


def test_a_row_is_a_run_of_equal_keys() -> None:
    # sorted keys; by hand: (a,x,1) twice -> row 0; (a,x,2) -> 1 (year moves);
    # (a,y,2) -> 2 (commodity moves alone); (b,y,2) -> 3 (region moves alone)
    terms = pd.DataFrame({"region": pd.array(list("aaaab"), dtype="str"),
                          "commodity": pd.array(list("xxxyy"), dtype="str"),
                          "year": [1, 1, 2, 2, 2], "coef": [1.0, -1, 1, 1, 1]})
    row, keys = term_rows(terms)
    assert row.tolist() == [0, 0, 1, 2, 3]
    assert keys.values.tolist() == [["a", "x", 1], ["a", "x", 2], ["a", "y", 2],
                                    ["b", "y", 2]]
    assert keys.dtypes.tolist() == terms[["region", "commodity", "year"]
                                         ].dtypes.tolist()


def test_no_terms_no_rows() -> None:
    row, keys = term_rows(pd.DataFrame({"region": [], "commodity": [], "year": []}))
    assert len(row) == 0 and len(keys) == 0
