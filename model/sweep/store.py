"""The sweep's result store: one Parquet file per (input hash, seed, sample).

Layout under ``<sweep dir>/store/``: ``meta.json`` (input hash, sampler and, for a
Latin hypercube, its sample count) and ``records/<hash16>-s<seed>-<sample>.parquet``
holding the records of every scenario of that sample.

Only the driver writes. A file is written next to its final name and moved into
place with ``os.replace``, so a reader sees a whole file or none; a sample is
complete when its file exists and Parquet can read its footer. Writing a key that
is already complete is a no-op (tasks may run more than once on Dask). A store made
from other inputs, or with another sampler, refuses to mix (InputError, exit 2).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model.errors import InputError, Problem
from model.files import atomic_path, atomic_write_bytes

NAME = re.compile(r"^(?P<hash>[0-9a-f]{16})-s(?P<seed>\d+)-(?P<sample>\d+)\.parquet$")


@dataclass(frozen=True)
class StoreIdentity:
    """What must match for records to be mixed in one store."""

    input_hash: str
    sampler: str
    lhs_samples: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"input_hash": self.input_hash, "sampler": self.sampler,
                "lhs_samples": self.lhs_samples}


class SweepStore:
    """Idempotent, atomic per-sample record files."""

    def __init__(self, root: Path, identity: StoreIdentity) -> None:
        self.root = Path(root)
        self.identity = identity
        self.records_dir = self.root / "records"

    def open(self) -> SweepStore:
        """Create the store or check that an existing one has the same identity."""
        meta = self.root / "meta.json"
        if meta.exists():
            self._check(_read_meta(meta))
        else:
            self.records_dir.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.identity.as_dict(), indent=2)
            atomic_write_bytes(meta, text.encode())
        self.records_dir.mkdir(parents=True, exist_ok=True)
        return self

    def _check(self, found: dict[str, object]) -> None:
        wanted = self.identity.as_dict()
        for key, value in wanted.items():
            if found.get(key) != value:
                raise InputError(Problem(
                    f"the sweep store holds results made with {key} "
                    f"{found.get(key)!r}, this sweep has {value!r}; they cannot be "
                    "mixed. Remove the folder or write the sweep elsewhere with "
                    "--out", file=str(self.root)))

    def path(self, seed: int, sample: int) -> Path:
        prefix = self.identity.input_hash[:16]
        return self.records_dir / f"{prefix}-s{seed}-{sample:07d}.parquet"

    def complete(self, seed: int) -> set[int]:
        """Sample numbers of ``seed`` whose file is complete."""
        done = set()
        prefix = self.identity.input_hash[:16]
        for entry in os.scandir(self.records_dir):
            match = NAME.match(entry.name)
            if (match and match["hash"] == prefix and int(match["seed"]) == seed
                    and _readable(Path(entry.path))):
                done.add(int(match["sample"]))
        return done

    def put(self, seed: int, sample: int, records: pd.DataFrame,
            replace: bool = False) -> bool:
        """Store one sample's records; False if it was already complete."""
        target = self.path(seed, sample)
        if not replace and target.exists() and _readable(target):
            return False
        table = pa.Table.from_pandas(records, preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp)
        return True

    def load(self, seed: int, samples: Iterable[int]) -> pd.DataFrame:
        """The records of ``samples`` (those that are complete), in sample order."""
        frames = [pd.read_parquet(self.path(seed, s)) for s in samples
                  if _readable(self.path(seed, s))]
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, ignore_index=True)


def _read_meta(meta: Path) -> dict[str, object]:
    """The identity a store was made with; InputError naming the file if it is
    empty, not JSON or not an object (a store is never repaired by guessing)."""
    try:
        found = json.loads(meta.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        found, reason = None, f"not valid JSON ({exc})"
    except OSError as exc:
        raise InputError(Problem(f"cannot read the sweep store's identity: "
                                 f"{exc.strerror}", file=str(meta))) from None
    else:
        reason = "not a JSON object"
    if isinstance(found, dict):
        return found
    raise InputError(Problem(
        f"the sweep store's identity file is empty or corrupt: {reason}; the "
        "records cannot be trusted. Remove the store folder, or write the sweep "
        "elsewhere with --out", file=str(meta)))


def _readable(path: Path) -> bool:
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowInvalid):
        return False
    return True


