"""Sampling: per-sample reproducibility, the distributions' defining percentiles,
Latin hypercube strata, and the rounding of lead times."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.sweep.sampling import draw, uniforms
from model.sweep.uncertainty import UncertainInput


def item(distribution: str, low: float, high: float, mode: float = math.nan,
         field: str = "demand") -> UncertainInput:
    return UncertainInput(2, "", field, "", "", "", distribution, low, mode, high)


def many(it: UncertainInput, n: int, sampler: str = "random") -> np.ndarray:
    return np.array([draw([it], 7, i, sampler, n)[0] for i in range(n)])


def test_a_sample_drawn_alone_equals_the_same_sample_in_a_sweep() -> None:
    inputs = [item("uniform", 0.5, 1.5), item("normal", 1.0, 2.0)]
    batch = [draw(inputs, 42, i) for i in range(20)]
    assert draw(inputs, 42, 13) == batch[13]
    assert batch[13] != batch[12]  # different samples, different streams
    assert draw(inputs, 43, 13) != batch[13]  # the seed matters


def test_uniform_values_stay_inside_low_high_and_fill_it() -> None:
    x = many(item("uniform", 0.8, 1.2), 4000)
    assert x.min() >= 0.8 and x.max() <= 1.2
    # the mean of U(0.8, 1.2) is 1.0; its sd is 0.4/sqrt(12) = 0.1155, so the
    # standard error of a 4000-sample mean is 0.0018: 5 standard errors = 0.009
    assert abs(x.mean() - 1.0) < 0.009


@pytest.mark.parametrize("distribution,low,high", [("normal", 0.6, 1.4),
                                                   ("lognormal", 0.5, 2.0)])
def test_low_and_high_are_the_5th_and_95th_percentiles(distribution: str, low: float,
                                                       high: float) -> None:
    x = many(item(distribution, low, high), 8000)
    # binomial check: the share below low must be 5 %; sd of a share from 8000
    # draws is sqrt(0.05 * 0.95 / 8000) = 0.0024, so 5 sd = 0.012
    assert abs((x < low).mean() - 0.05) < 0.012
    assert abs((x > high).mean() - 0.05) < 0.012


def test_lognormal_median_is_the_geometric_mean_of_low_and_high() -> None:
    x = many(item("lognormal", 0.5, 2.0), 8000)
    # ln is symmetric around (ln 0.5 + ln 2) / 2 = 0, so the median is 1.0;
    # the share below 1.0 is 0.5 with sd sqrt(0.25 / 8000) = 0.0056 (5 sd = 0.028)
    assert abs((x < 1.0).mean() - 0.5) < 0.028


def test_triangular_mean_is_the_mean_of_low_mode_high() -> None:
    x = many(item("triangular", 0.0, 3.0, mode=1.0), 6000)
    # mean (0 + 1 + 3) / 3 = 1.333; variance (0 + 1 + 9 - 0 - 0 - 3) / 18 = 0.389,
    # sd 0.624, standard error 0.0081 over 6000 draws (5 se = 0.04)
    assert x.min() >= 0.0 and x.max() <= 3.0
    assert abs(x.mean() - 4 / 3) < 0.04


def test_latin_hypercube_puts_one_sample_in_every_stratum_of_every_row() -> None:
    n, rows = 50, 3
    u = np.array([uniforms(5, i, rows, "lhs", n) for i in range(n)])
    for j in range(rows):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))
    assert not np.array_equal(u[:, 0], u[:, 1])  # rows are permuted independently


def test_latin_hypercube_sample_is_reproducible_alone() -> None:
    assert np.array_equal(uniforms(5, 17, 3, "lhs", 50), uniforms(5, 17, 3, "lhs", 50))


def test_lhs_needs_the_sample_count() -> None:
    with pytest.raises(ValueError, match="n_samples"):
        uniforms(5, 3, 2, "lhs", None)


@pytest.mark.parametrize("drawn,years", [(1.49, 1), (1.5, 2), (2.5, 3), (-0.5, -1),
                                         (-1.2, -1), (0.2, 0)])
def test_lead_time_draws_are_rounded_half_away_from_zero(drawn: float, years: int
                                                         ) -> None:
    assert item("uniform", -2, 4, field="lead_time").applied_value(drawn) == years
