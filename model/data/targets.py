"""Rule targets: a region code, a bloc name, or either written with a prefix.

A target names regions: ``US`` (a region), ``alliance`` (every region of that
bloc), ``region:china`` or ``bloc:china``. A bare name that is both a region code
and a bloc name is ambiguous (an embargo on ``china`` could mean the region or the
whole bloc) and is refused, unless the bloc holds exactly that one region, so both
readings name the same regions (the bundled default case: region ``china`` is the
only member of bloc ``china``).
"""

from __future__ import annotations

import pandas as pd

from model.data.schema import BLOCS
from model.data.unicode_hint import did_you_mean

PREFIXES = ("region", "bloc")


def target_regions(regions: pd.DataFrame, target: str) -> frozenset[str] | None:
    """The regions ``target`` names (None = every region, for a blank target).

    The target must have passed ``target_problem``."""
    if not target:
        return None
    kind, name = split_target(target)
    codes = set(regions["region"])
    if kind == "region" or (kind == "" and name in codes):
        return frozenset([name])
    return frozenset(regions.loc[regions["bloc"] == name, "region"])


def split_target(target: str) -> tuple[str, str]:
    """('region' | 'bloc' | '', name) of a target."""
    head, sep, tail = target.partition(":")
    if sep and head.strip() in PREFIXES:
        return head.strip(), tail.strip()
    return "", target


def target_problem(regions: pd.DataFrame, target: str) -> str:
    """Why ``target`` names no regions unambiguously ('' when it is fine)."""
    if not target:
        return ""
    kind, name = split_target(target)
    codes = set(regions["region"])
    if kind == "region":
        return "" if name in codes else (f"unknown region '{name}'"
                                         f"{did_you_mean(name, codes)}")
    if kind == "bloc":
        return "" if name in BLOCS else (f"unknown bloc '{name}' (expected one of: "
                                         f"{', '.join(BLOCS)})"
                                         f"{did_you_mean(name, BLOCS)}")
    if name in codes and name in BLOCS:
        return _ambiguity(regions, name)
    if name in codes or name in BLOCS:
        return ""
    known = codes | set(BLOCS)
    return f"unknown region or bloc '{name}'{did_you_mean(name, known)}"


def _ambiguity(regions: pd.DataFrame, name: str) -> str:
    members = sorted(regions.loc[regions["bloc"] == name, "region"])
    if members == [name]:
        return ""  # both readings name the same one region
    shown = ", ".join(f"'{m}'" for m in members) or "no region"
    return (f"'{name}' is both a region code and a bloc name (region '{name}', or "
            f"bloc '{name}' = {shown}); write 'region:{name}' or 'bloc:{name}'")
