"""Percentiles, never-sufficient samples, histograms and the rank-correlation
tornado, on hand-made records."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.sweep.stats import histogram, percentiles, tornado


def records(premium: list[float], years: list[float], x: list[float],
            status: list[str] | None = None) -> pd.DataFrame:
    n = len(premium)
    return pd.DataFrame({
        "sample": range(n), "scenario": "s", "commodity": "",
        "status": status or ["optimal"] * n, "cost_premium_usd": premium,
        "cost_premium_pct": premium, "shortfall_t": [10.0] * n,
        "shortfall_pct": [1.0] * n, "self_sufficient_year": years,
        "draw_r2": x, "draw_r3": [5.0] * n})


def test_p10_p50_p90_interpolate_linearly() -> None:
    frame = records([float(v) for v in range(1, 11)], [2030.0] * 10,
                    [float(v) for v in range(10)])
    p = percentiles(frame).set_index("metric").loc["cost_premium_usd"]
    # positions 0.9, 4.5 and 8.1 of the sorted values 1..10
    assert (p["p10"], p["p50"], p["p90"]) == pytest.approx((1.9, 5.5, 9.1))
    assert p["mean"] == pytest.approx(5.5) and p["samples"] == 10


def test_year_percentiles_are_years_and_never_counts_apart() -> None:
    years = [2030, 2031, 2031, 2032, 2033, 2034, 2035, 2036, np.nan, np.nan]
    frame = records([0.0] * 10, years, [0.0] * 10)
    p = percentiles(frame).set_index("metric").loc["self_sufficient_year"]
    # inverted cdf: P10 = 1st of 10 sorted (2030), P50 = 5th (2033); P90 = 9th,
    # which is a sample that never becomes self-sufficient (blank)
    assert p["p10"] == 2030 and p["p50"] == 2033 and np.isnan(p["p90"])
    assert p["never_pct"] == 20.0


def test_failed_samples_are_left_out_and_counted() -> None:
    frame = records([1.0, 2.0, 100.0], [2030.0] * 3, [0.0] * 3,
                    status=["optimal", "optimal", "failed"])
    p = percentiles(frame).set_index("metric").loc["cost_premium_usd"]
    assert p["samples"] == 2 and p["failed"] == 1 and p["p90"] == pytest.approx(1.9)


def test_tornado_ranks_inputs_by_spearman_correlation() -> None:
    x = [3.0, 1.0, 2.0, 5.0, 4.0]
    premium = [30.0, 10.0, 20.0, 55.0, 41.0]  # same order as x: rho = 1
    frame = records(premium, [2034.0, 2030, 2031, 2033, 2032], x)
    t = tornado(frame, {"draw_r2": "demand", "draw_r3": "capex"})
    prem = t[t["headline"] == "cost_premium_usd"]
    assert prem["input"].tolist() == ["demand", "capex"]
    assert prem["spearman_rho"].tolist() == pytest.approx([1.0, 0.0])
    year = t[(t["headline"] == "self_sufficient_year") & (t["input"] == "demand")]
    # ranks of x: 3,1,2,5,4; of the years: 5,1,2,4,3; d = (2,0,0,1,1): sum d^2 = 6
    # rho = 1 - 6 * 6 / (5 * 24) = 0.7
    assert year["spearman_rho"].iloc[0] == pytest.approx(0.7)


def test_histogram_of_years_has_one_bin_per_year_and_a_never_bin() -> None:
    frame = records([0.0] * 5, [2030, 2030, 2032, np.nan, 2031], [0.0] * 5)
    h = histogram(frame, "s", "self_sufficient_year")
    assert h["bin"].tolist() == ["2030", "2031", "2032", "never"]
    assert h["samples"].tolist() == [2, 1, 1, 1]


def test_a_blank_premium_is_left_out_of_its_percentiles() -> None:
    # the baseline of the third sample failed, so its premium is blank
    frame = records([1.0, 3.0, np.nan], [2030.0] * 3, [0.0] * 3)
    p = percentiles(frame).set_index("metric").loc["cost_premium_usd"]
    assert p["p50"] == pytest.approx(2.0) and p["mean"] == pytest.approx(2.0)


def test_swing_is_in_the_headline_unit() -> None:
    # x = 0..8, y = 10 x: bottom third (x <= 2.67: 0, 1, 2) has median y 10; top
    # third (x >= 5.33: 6, 7, 8) median 70 → swing +60 (units of y)
    from model.sweep.stats import swing
    x = np.arange(9.0)
    assert swing(x, 10 * x) == pytest.approx(60.0)
    assert swing(np.full(9, 2.0), 10 * x) == 0.0  # an input that never varies


def test_bins_read_in_their_unit() -> None:
    from model.sweep.stats import _bin_label
    assert _bin_label(-11.7e9, -10.5e9, "cost_premium_usd") == "-11.70 to -10.50 bn"
    assert _bin_label(4.12, 6.3, "full_cost_premium_pct") == "+4.1 to +6.3 %"
    assert _bin_label(12000, 14000, "shortfall_t") == "12,000 to 14,000 t"
    assert _bin_label(2030.5, 2031.5, "mostly_met_year") == "2031"


def test_readable_input_names() -> None:
    from model.sweep.report import readable_input
    assert readable_input("r3 lead_time separation alliance [embargo]") == (
        "Lead time + years: separation, alliance (embargo; row 3)")
    assert readable_input("r2 demand") == "Demand x (all) (row 2)"


def test_histogram_of_one_value_and_of_never_only() -> None:
    # every sample 10 t short: one bin '10 t'; no sample ever self-sufficient: only
    # the 'never' bin (no numeric bin such as '0')
    frame = records([0.0] * 3, [np.nan] * 3, [0.0] * 3)
    h = histogram(frame, "s", "shortfall_t")
    assert h["bin"].tolist() == ["10 t"] and h["samples"].tolist() == [3]
    h = histogram(frame, "s", "self_sufficient_year")
    assert h["bin"].tolist() == ["never"] and h["samples"].tolist() == [3]
