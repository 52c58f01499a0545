"""Which HiGHS method solves a scenario's LP: the default ``auto`` picks by size.

Measured on this model's LPs (docs/performance.md, "HiGHS method",
``python -m bench.methods``, CPU seconds): HiGHS's dual simplex (``simplex``)
took less than interior point with crossover (``ipx``) on every LP of the
``make bench`` rungs up to 98k columns (1.05-4.6x) and over the default case's
seven scenarios (37-39k columns: 14.1 s against 16.5 s; 1.7-3.4x faster on
three, 1.0-1.5x slower on four). At 151-197k columns (96 regions) the winner
depends on the LP: simplex 1.5x faster on the baseline and quota LPs, IPX
1.2-1.3x on the embargo ones, simplex ahead over the four (107 s against
116 s). Above 200k columns simplex was not measured against IPX, whose
iteration count hardly grows with size (43-65 on every LP measured) while
simplex's does; IPX stays there. So ``auto`` is, for an LP of n columns,

    method(n) = simplex   if n <= SIMPLEX_MAX_COLUMNS (200,000)
                ipx       otherwise.

Any other ``--method`` is used as given. PDLP never won (on 2.4-3.4k columns
it took 25-860x the simplex time; on 7.7-10k columns it did not converge in
20 s) and HiPO is not in this highspy build, so neither is chosen.
"""

from __future__ import annotations

AUTO = "auto"
SIMPLEX_MAX_COLUMNS = 200_000


def method_for(requested: str, columns: int) -> str:
    """The HiGHS ``solver`` option for an LP of ``columns`` columns."""
    if requested != AUTO:
        return requested
    return "simplex" if columns <= SIMPLEX_MAX_COLUMNS else "ipx"
