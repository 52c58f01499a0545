"""The supply charts' frames made from one set of sums equal each product's own.

``supply_sums`` sums supply_by_origin once for every chart and splits it per
(scenario, product); ``supply_over_time`` then makes one chart's frame. The
reference is the independent per-product path: that product's rows summed per year
and label, unstacked with 0 for a missing label, reindexed to the horizon and the
labels' order, and every label beyond the tenth summed as 'other'. Up to 24 labels
(so 'other' sums up to 14 terms: numpy adds eight or more terms of a contiguous row
in another order than column by column) with amounts spread over ten orders of
magnitude make the 'other' sums sensitive to the order of their terms and to the
frame's memory layout, so the frames must be equal to the last bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.report.excel.supply import (
    MAX_SERIES,
    OTHER,
    label_order,
    supply_over_time,
    supply_sums,
)

YEARS = list(range(2025, 2041))


def _supply() -> pd.DataFrame:
    """Supply rows of two scenarios and three products; labels l0..l23, each
    present in some years only (a product has no row of some labels at all)."""
    rng = np.random.default_rng(18)
    rows = []
    for scenario in ("base", "cut"):
        for product, labels in (("ox", 24), ("mag", 20), ("alloy", 3)):
            for year in YEARS:
                for k in range(labels):
                    if rng.random() < 0.7:
                        amount = float(rng.random() * 10.0 ** rng.integers(-4, 6))
                        rows.append((scenario, product, year, f"l{k}", amount))
                        if rng.random() < 0.3:  # a second row of the same label
                            rows.append((scenario, product, year, f"l{k}", 0.1))
    return pd.DataFrame(rows, columns=["scenario", "commodity", "year", "label",
                                       "supplied_t"])


def _reference(supply: pd.DataFrame, scenario: str, product: str,
               order: list[str]) -> pd.DataFrame:
    rows = supply[(supply["scenario"] == scenario)
                  & (supply["commodity"] == product)]
    wide = rows.groupby(["year", "label"])["supplied_t"].sum().unstack(
        "label", fill_value=0.0)
    columns = [c for c in order if c in wide.columns]
    wide = wide.reindex(index=YEARS, columns=columns, fill_value=0.0)
    if len(columns) > MAX_SERIES:
        wide = wide[columns[:MAX_SERIES]].assign(
            **{OTHER: wide[columns[MAX_SERIES:]].sum(axis=1)})
    return wide.rename_axis(index="year", columns=None).reset_index()


def test_every_chart_frame_equals_its_products_own() -> None:
    supply = _supply()
    order = label_order(supply)
    sums = supply_sums(supply)
    assert set(sums) == {(s, p) for s in ("base", "cut")
                         for p in ("ox", "mag", "alloy")}
    for scenario, product in sums:
        got = supply_over_time(sums, YEARS, scenario, product, order)
        want = _reference(supply, scenario, product, order)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert (OTHER in got.columns) == (product != "alloy")  # 24, 20 labels > 10


def test_a_product_without_rows_has_only_its_years() -> None:
    supply = _supply()
    got = supply_over_time(supply_sums(supply), YEARS, "base", "none",
                           label_order(supply))
    assert list(got.columns) == ["year"] and got["year"].tolist() == YEARS
