"""Drawing the uncertain inputs: one value per row and sample, from a seed.

Every sample has its own random stream, derived from ``(seed, sample number)`` with
numpy's ``SeedSequence``, so any sample can be drawn alone and gives the same
values as in a full sweep. Rows are independent.

* ``random``: sample i's uniform variates are the first values of its own stream.
* ``lhs`` (Latin hypercube): the stratum of sample i for row j is the i-th entry of
  a permutation of ``range(n)`` drawn from ``(seed, row j)``; the position inside
  the stratum comes from sample i's own stream. A sample is reproducible alone
  given (seed, n).

Uniform variates are mapped through the inverse distribution function. For
``normal`` and ``lognormal``, low and high are the 5th and 95th percentiles.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import ndtri

from model.sweep.uncertainty import UncertainInput

SAMPLERS = ("random", "lhs")
Z95 = float(ndtri(0.95))
_LHS_STREAM = 1  # keeps the stratum permutations apart from the sample streams


def sample_stream(seed: int, sample: int) -> np.random.Generator:
    """The random stream of one sample."""
    return np.random.default_rng(np.random.SeedSequence([seed, sample]))


def uniforms(seed: int, sample: int, n_rows: int, sampler: str = "random",
             n_samples: int | None = None) -> np.ndarray:
    """Uniform variates in (0, 1) of one sample, one per uncertainty row."""
    u = sample_stream(seed, sample).random(n_rows)
    if sampler == "random":
        return u
    if sampler != "lhs":
        raise ValueError(f"unknown sampler '{sampler}'")
    if n_samples is None or not 0 <= sample < n_samples:
        raise ValueError("a Latin hypercube sample needs 0 <= sample < n_samples")
    strata = np.array([_strata(seed, row, n_samples)[sample] for row in range(n_rows)])
    return (strata + u) / n_samples


@lru_cache(maxsize=256)
def _strata(seed: int, row: int, n_samples: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence([seed, _LHS_STREAM, row]))
    return rng.permutation(n_samples)


def quantile(item: UncertainInput, u: float) -> float:
    """The value of ``item``'s distribution at cumulative probability ``u``."""
    low, high = item.low, item.high
    if item.distribution == "uniform":
        return low + u * (high - low)
    if item.distribution == "triangular":
        return _triangular(u, low, item.mode, high)
    if item.distribution == "normal":
        mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
        return float(mean + sd * ndtri(u))
    if item.distribution == "lognormal":
        mu = (math.log(low) + math.log(high)) / 2
        sigma = (math.log(high) - math.log(low)) / (2 * Z95)
        return float(math.exp(mu + sigma * ndtri(u)))
    raise ValueError(f"unknown distribution '{item.distribution}'")


def _triangular(u: float, low: float, mode: float, high: float) -> float:
    """Inverse distribution function of the triangular distribution."""
    width = high - low
    if width == 0:
        return low
    if u * width < mode - low:
        return low + math.sqrt(u * width * (mode - low))
    return high - math.sqrt((1 - u) * width * (high - mode))


def draw(inputs: list[UncertainInput], seed: int, sample: int, sampler: str = "random",
         n_samples: int | None = None) -> list[float]:
    """The drawn values of one sample, one per input (before any rounding)."""
    u = uniforms(seed, sample, len(inputs), sampler, n_samples)
    return [quantile(item, float(x)) for item, x in zip(inputs, u, strict=True)]
