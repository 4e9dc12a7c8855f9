"""Atomic writes: all or nothing, no temporary files left, normal permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nabij.fileio import atomic_write, atomic_write_bytes, atomic_write_text, public_mode


def test_text_and_bytes_are_written_in_new_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.txt"
    assert atomic_write_text(target, "één\r\ntwee\n") == target
    assert target.read_bytes() == "één\r\ntwee\n".encode()
    atomic_write_text(target, "x", encoding="utf-8-sig")
    assert target.read_bytes() == b"\xef\xbb\xbfx"
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert os.listdir(target.parent) == ["x.txt"]


def test_failure_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("oud", encoding="utf-8")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("schijf vol")

    with pytest.raises(RuntimeError, match="schijf vol"):
        atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "oud"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_failure_without_old_file_leaves_nothing(tmp_path: Path) -> None:
    def interrupted(tmp: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "out.json", interrupted)
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX-bestandsrechten")
@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_permissions_follow_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        assert public_mode() == 0o666 & ~mask
        target = atomic_write_text(tmp_path / "rapport.html", "<p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_files_together_moves_all_or_nothing(tmp_path: Path) -> None:
    from nabij.io.atomic import files_together

    (tmp_path / "rapport.html").write_text("oud")
    (tmp_path / "rapport.xlsx").write_text("oud")
    with pytest.raises(RuntimeError), files_together(tmp_path) as tmp:
        (tmp / "rapport.html").write_text("nieuw")
        raise RuntimeError("de XLSX mislukt")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "rapport.html": "oud", "rapport.xlsx": "oud"}
    with files_together(tmp_path) as tmp:
        (tmp / "rapport.html").write_text("nieuw")
        (tmp / "rapport.xlsx").write_text("nieuw")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "rapport.html": "nieuw", "rapport.xlsx": "nieuw"}
