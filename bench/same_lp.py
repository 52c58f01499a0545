"""Does the code build the same LPs? ``python -m bench.same_lp CASE REF.pkl``.

For checking a change to the build phase (scenario data, index frames, LP
assembly) that must not change the LP: solves every scenario of CASE as
``reroute solve`` does (foresight pins included) and records, per scenario, the
assembled HiGHS arrays (costs, column bounds, row bounds, offset, the CSC matrix
in its order), the row keys and right-hand sides of every constraint family,
the column map and column keys of every variable family, and every frame of the
index. ``--save`` writes that record to REF.pkl (make it from the commit before
the change); without it the run is compared with REF.pkl exactly (arrays bit for
bit, NaN where NaN; frames with their dtypes): exit code 1 and one line per
difference when they differ. ``--any-text-storage`` compares a reference saved
when text was stored as Arrow (before model/data/__init__.py chose Python
storage): a text column then matches one of the same dtype name (``str``) and
the same values, whatever its storage.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import model.scenario_run as scenario_run
from model.pipeline import run_case

LP_ARRAYS = ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_")


def _lp_record(program: object) -> dict[str, object]:
    lp = program.lp  # type: ignore[attr-defined]
    record: dict[str, object] = {k: np.array(getattr(lp, k)) for k in LP_ARRAYS}
    record["offset_"] = float(lp.offset_)
    record["start"] = np.array(lp.a_matrix_.start_)
    record["index"] = np.array(lp.a_matrix_.index_)
    record["value"] = np.array(lp.a_matrix_.value_)
    for name, block in program.rows.items():  # type: ignore[attr-defined]
        record[f"rows.{name}.first"] = block.first
        record[f"rows.{name}.keys"] = block.keys.reset_index(drop=True)
        record[f"rows.{name}.rhs"] = np.asarray(block.rhs)
    for name, cols in program.column_of.items():  # type: ignore[attr-defined]
        record[f"column_of.{name}"] = np.asarray(cols)
    for name, keys in program.column_keys.items():  # type: ignore[attr-defined]
        record[f"column_keys.{name}"] = keys
    return record


def _index_record(index: object) -> dict[str, object]:
    return {f"index.{f.name}": getattr(index, f.name)
            for f in dataclasses.fields(index)}  # type: ignore[arg-type]


def record_case(case: str) -> dict[str, dict[str, object]]:
    """Per scenario, its LP and index record (module docstring)."""
    found: dict[str, dict[str, object]] = {}
    original = scenario_run.build_program

    def recording(index: object, name: str, *args: object) -> object:
        program = original(index, name, *args)  # type: ignore[arg-type]
        found[name] = {**_lp_record(program), **_index_record(index)}
        return program

    scenario_run.build_program = recording  # type: ignore[assignment]
    try:
        run_case(case)
    finally:
        scenario_run.build_program = original
    return found


ANY_TEXT_STORAGE = False  # --any-text-storage


def _text_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``str`` columns, column labels and row labels (any
    storage) as objects."""
    text = [j for j, d in enumerate(frame.dtypes) if isinstance(d, pd.StringDtype)]
    out = frame.copy()
    for j in text:
        out.isetitem(j, frame.iloc[:, j].astype(object))
    for axis in ("columns", "index"):
        labels = getattr(out, axis)
        if isinstance(labels.dtype, pd.StringDtype):
            setattr(out, axis, labels.astype(object))
    return out


def _same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return False
        if ANY_TEXT_STORAGE:
            if list(map(str, a.dtypes)) != list(map(str, b.dtypes)):
                return False
            a, b = _text_as_objects(a), _text_as_objects(b)
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        except AssertionError:
            return False
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.dtype == b.dtype and np.array_equal(
            a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b,
                                                                     strict=True))
    return bool(a == b) or (a != a and b != b)  # noqa: PLR0124  (NaN == NaN)


def differences(ref: dict[str, dict[str, object]],
                now: dict[str, dict[str, object]]) -> list[str]:
    """One line per scenario or entry that differs."""
    out = [] if ref.keys() == now.keys() else [
        f"scenarios differ: {sorted(ref)} vs {sorted(now)}"]
    for name in ref.keys() & now.keys():
        a, b = ref[name], now[name]
        out += [f"{name}: entries differ: {sorted(a.keys() ^ b.keys())}"
                ] if a.keys() != b.keys() else []
        out += [f"{name}: {k} differs" for k in sorted(a.keys() & b.keys())
                if not _same(a[k], b[k])]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("reference", type=Path)
    parser.add_argument("--save", action="store_true",
                        help="write the reference instead of comparing with it")
    parser.add_argument("--any-text-storage", action="store_true",
                        help="text columns match whatever their storage")
    args = parser.parse_args()
    global ANY_TEXT_STORAGE  # noqa: PLW0603
    ANY_TEXT_STORAGE = args.any_text_storage
    now = record_case(args.case)
    if args.save:
        args.reference.write_bytes(pickle.dumps(now))
        print(f"saved {len(now)} scenarios to {args.reference}")
        return
    found = differences(pickle.loads(args.reference.read_bytes()), now)
    print("\n".join(found) if found else f"same ({len(now)} scenarios)")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
