"""Types of the command line's option values, one set for every command.

``reroute solve``, ``sweep`` and ``synth`` check --threads, --time-limit, --seed,
--workers and --samples with the same functions; argparse turns a rejected value
into ``reroute <command>: error: argument --threads: '-1' is not an integer >= 1``
(the option and the value) and exit 2. Standard library only: the parsers are
built before anything heavy is imported.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def integer_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"'{text}' is not an integer >= {minimum}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


positive_integer = integer_at_least(1)  # --threads, --workers, --samples
non_negative_integer = integer_at_least(0)  # --seed


def seconds(text: str) -> float:
    """An argparse type: a finite, non-negative number of seconds (--time-limit)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds >= 0")
    return value
