"""Which HiGHS method solves a scenario's LP: the default ``auto`` picks by size.

Measured on this model's LPs (docs/performance.md, "HiGHS method",
``python -m bench.methods``): HiGHS's dual simplex (``simplex``) took less CPU
than interior point with crossover (``ipx``) on every scenario of the default
case and of the ``make bench`` rungs up to ``SIMPLEX_MAX_COLUMNS`` columns, by
1.3–3.4×; beyond that the embargo LPs turned in IPX's favour, and IPX's
iteration count hardly grows with size while simplex's does. So ``auto`` is

    method(n) = simplex   if n <= SIMPLEX_MAX_COLUMNS
                ipx       otherwise

for an LP of n columns. Any other ``--method`` is used as given. PDLP never won
(it did not converge within its time limit on most of the LPs measured) and
HiPO is not in this highspy build, so neither is chosen.
"""

from __future__ import annotations

AUTO = "auto"
SIMPLEX_MAX_COLUMNS = 120_000


def method_for(requested: str, columns: int) -> str:
    """The HiGHS ``solver`` option for an LP of ``columns`` columns."""
    if requested != AUTO:
        return requested
    return "simplex" if columns <= SIMPLEX_MAX_COLUMNS else "ipx"
