"""Outputs never overlap an input case, whatever path reaches either.

Two paths name the same folder when their (device, inode) are equal, so a bind
mount, a second mount of the same export or a symbolic link is seen through:
``out`` is refused when the case is ``out`` or one of its parents (the outputs
would land inside the case), or ``out`` is one of the case's parents (the case
would sit inside the outputs).
"""

from __future__ import annotations

import os
from pathlib import Path

from model.errors import InputError, Problem

Identity = tuple[int, int]


def identities(path: Path) -> list[Identity]:
    """(device, inode) of ``path`` (if it exists) and of each of its parents."""
    path = Path(path).resolve()
    found = []
    for folder in (path, *path.parents):
        try:
            info = os.stat(folder)
        except OSError:  # not there (yet): it cannot be the case
            continue
        found.append((info.st_dev, info.st_ino))
    return found


def refuse_input_overlap(case: Path, out_dir: Path) -> None:
    """InputError (exit 2) if ``out_dir`` is the case, inside it, or holds it."""
    if not os.path.exists(case):
        return  # reported as such when the case is read
    case_ids, out_ids = identities(case), identities(out_dir)
    inside = case_ids[0] in out_ids
    holds = os.path.exists(out_dir) and out_ids[0] in case_ids
    if inside or holds:
        what = "is or lies inside" if inside else "holds"
        raise InputError(Problem(
            f"refusing to write outputs to {out_dir}: it {what} the input case "
            f"{case}; choose another --out"))
