"""Vectorised index and data helpers equal their plain-Python definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.data.case import interpolate_demand, load_case
from model.data.indices import _discount_sums, build_index, discount_factors
from model.data.scenarios import scenario_data
from model.synth import SynthSpec, write_synthetic


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = write_synthetic(tmp_path_factory.mktemp("vec") / "c",
                             SynthSpec(regions=7, years=6, seed=5))
    return build_index(scenario_data(load_case(folder), "embargo_stress"))


def reference_interpolation(demand: pd.DataFrame, years: range) -> pd.DataFrame:
    """The rule written plainly: np.interp per (region, commodity) group (it holds
    the nearest value outside the given years)."""
    out = []
    target = np.array(list(years), dtype=float)
    for (region, commodity), group in demand.groupby(["region", "commodity"]):
        group = group.sort_values("year")
        values = np.interp(target, group["year"].astype(float).to_numpy(),
                           group["demand_t"].to_numpy(dtype=float))
        out.append(pd.DataFrame({"region": region, "commodity": commodity,
                                 "year": list(years), "demand_t": values}))
    return pd.concat(out, ignore_index=True)


def test_interpolated_demand_equals_group_by_group_interp() -> None:
    """Random given years (one to four per pair, some outside the horizon) against
    ``reference_interpolation`` (np.interp per group): same rows, same values."""
    rng = np.random.default_rng(7)
    rows = []
    for region in ("b", "a", "c"):
        for commodity in ("x", "z", "y"):
            for year in rng.choice(np.arange(2020, 2045), size=rng.integers(1, 5),
                                   replace=False):
                rows.append((region, commodity, int(year), float(rng.uniform(0, 99))))
    demand = pd.DataFrame(rows, columns=["region", "commodity", "year", "demand_t"])
    years = range(2018, 2047)
    expected = reference_interpolation(demand, years)
    got = interpolate_demand(demand, years)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    np.testing.assert_array_equal(got["demand_t"], expected["demand_t"])


def test_build_window_is_builds_in_service(index) -> None:  # noqa: ANN001
    """Pairs = every build of the same (region, process) with y - L < y' <= y."""
    act, build = index.act, index.build
    expected = [
        (i, j)
        for i, (r, p, y) in enumerate(zip(act["region"], act["process"], act["year"],
                                          strict=True))
        for j, (r2, p2, y0, n) in enumerate(zip(build["region"], build["process"],
                                                 build["year"], build["lifetime"],
                                                 strict=True))
        if (r, p) == (r2, p2) and y - n < y0 <= y
    ]
    got = list(zip(index.build_window["act"], index.build_window["build"], strict=True))
    assert got == expected and len(expected) > 0


def test_discount_sums_equal_scalar_loop() -> None:
    years = list(range(2025, 2041))
    discount = discount_factors(years, 0.07)
    start = np.array([2025, 2030, 2040, 2033])
    life = np.array([30, 3, 5, 1])
    expected = [sum(discount[y] for y in range(y0, min(2040, y0 + n - 1) + 1))
                for y0, n in zip(start, life, strict=True)]
    assert _discount_sums(start, life, years, discount).tolist() == expected


def test_build_frame_rows_match_expansion_years(index) -> None:  # noqa: ANN001
    """One build row per listed option and online year from its earliest year."""
    counts = index.build.groupby(["region", "process"]).size()
    first = index.build.groupby(["region", "process"])["year"].min()
    assert ((first + counts - 1) == index.years[-1]).all()
