"""The result store: atomic, idempotent, complete-only, and never mixed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.errors import InputError
from model.sweep.store import StoreIdentity, SweepStore

HASH = "ab" * 32


def records(sample: int, value: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"sample": [sample, sample], "scenario": ["a", "b"],
                         "value": [value, 2 * value]})


def store(tmp_path: Path, identity: StoreIdentity | None = None) -> SweepStore:
    identity = identity or StoreIdentity(HASH, "random")
    return SweepStore(tmp_path / "store", identity).open()


def test_put_load_and_complete(tmp_path: Path) -> None:
    s = store(tmp_path)
    assert s.put(1, 0, records(0)) and s.put(1, 2, records(2))
    assert s.complete(1) == {0, 2}
    assert s.complete(2) == set()  # another seed
    loaded = s.load(1, range(3))
    assert loaded["sample"].tolist() == [0, 0, 2, 2]
    assert list(tmp_path.glob("store/records/.*")) == []  # no temporary files left


def test_a_second_write_of_a_complete_key_is_a_no_op(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.put(1, 0, records(0, 1.0))
    assert not s.put(1, 0, records(0, 9.0))
    assert s.load(1, range(1))["value"].tolist() == [1.0, 2.0]
    assert s.put(1, 0, records(0, 9.0), replace=True)
    assert s.load(1, range(1))["value"].tolist() == [9.0, 18.0]


def test_truncated_and_temporary_files_count_as_missing(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.put(1, 0, records(0))
    s.put(1, 1, records(1))
    data = s.path(1, 1).read_bytes()
    s.path(1, 1).write_bytes(data[: len(data) // 2])  # a crash mid-write
    (s.records_dir / f".{s.path(1, 2).name}.123.tmp").write_bytes(b"partial")
    assert s.complete(1) == {0}
    assert s.put(1, 1, records(1))  # recomputed and written again
    assert s.complete(1) == {0, 1}


@pytest.mark.parametrize("other", [StoreIdentity("cd" * 32, "random"),
                                   StoreIdentity(HASH, "lhs", 10)])
def test_a_store_of_other_inputs_or_sampler_refuses_to_mix(tmp_path: Path,
                                                           other: StoreIdentity
                                                           ) -> None:
    store(tmp_path).put(1, 0, records(0))
    with pytest.raises(InputError) as caught:
        store(tmp_path, other)
    assert "cannot be mixed" in str(caught.value)
    assert str(tmp_path / "store") in str(caught.value)
