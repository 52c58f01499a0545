"""What every scenario of a case derives alike from the case's tables, kept once.

The scenarios of a case differ only in their rules; frames derived from the case's
tables alone (ramp curves, schedules, the route table, element content, …) are the
same for all of them. ``per_case(case, key, make)`` computes ``make()`` the first
time ``key`` is asked of this ``Case`` object and returns the kept value after that.
An edited case is a new ``Case`` (``model.api``); the kept values are also dropped
when any table or the settings of the object are replaced. A value is handed to
every scenario, so callers treat it as read-only (copy before changing it).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from model.data.case import Case

T = TypeVar("T")

_KEPT: dict[int, tuple[tuple[int, ...], dict[str, Any]]] = {}


def per_case(case: Case, key: str, make: Callable[[], T]) -> T:
    """``make()`` computed once per ``case`` object (as its tables are) and ``key``."""
    stamp = (id(case.settings), *map(id, case.tables.values()))
    entry = _KEPT.get(id(case))
    if entry is None:
        weakref.finalize(case, _KEPT.pop, id(case), None)
    if entry is None or entry[0] != stamp:
        entry = _KEPT[id(case)] = (stamp, {})
    kept = entry[1]
    if key not in kept:
        kept[key] = make()
    return kept[key]  # type: ignore[no-any-return]
