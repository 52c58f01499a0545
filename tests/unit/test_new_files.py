"""model.files.new_file / new_folder: put in place only where nothing is, so a
target that appears while the copy is written is never replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.files import AlreadyThere, new_file, new_folder


def test_new_file_is_put_in_place(tmp_path: Path) -> None:
    with new_file(tmp_path / "a.xlsx", suffix=".xlsx") as temp:
        temp.write_bytes(b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]  # no temp left
    assert (tmp_path / "a.xlsx").read_bytes() == b"new"


def test_a_file_that_appears_meanwhile_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    with pytest.raises(AlreadyThere), new_file(target) as temp:
        temp.write_bytes(b"new")
        target.write_bytes(b"theirs")  # another program got there first
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


@pytest.mark.parametrize("existing", ["none", "empty folder"])
def test_new_folder_is_put_in_place(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "case"
    if existing == "empty folder":
        target.mkdir()
    with new_folder(target) as staging:
        (staging / "x.csv").write_text("a\n", encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["case"]
    assert (target / "x.csv").read_text(encoding="utf-8") == "a\n"


def test_a_folder_filled_meanwhile_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "case"
    with pytest.raises(AlreadyThere), new_folder(target) as staging:
        (staging / "x.csv").write_text("a\n", encoding="utf-8")
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["case"]  # staging removed
