"""`nabij atlas …` end to end, as a user runs it (subprocess, exit codes, Dutch messages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nabij import Atlas


def nabij(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nabij", *args], capture_output=True,
                          text=True, cwd=cwd, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "atlas"
    res = nabij("atlas", "demo", "--scale", "0.1", "--seed", "7", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "Gemeenten" in res.stderr + res.stdout
    return out


def test_demo_writes_a_loadable_store(demo_store: Path) -> None:
    atlas = Atlas.load(demo_store)
    assert atlas.meta.status("stromen") == "modelled"
    assert len(atlas.pc4) > 100


def test_info_shows_counts_provenance_and_notes(demo_store: Path) -> None:
    res = nabij("atlas", "info", str(demo_store))
    assert res.returncode == 0, res.stderr
    out = res.stdout + res.stderr
    for text in ("Samenwerkingsverbanden PO", "Herkomst", "gemodelleerd", "Opvulregels"):
        assert text in out


def test_validate_ok_and_tampered(demo_store: Path, tmp_path: Path) -> None:
    res = nabij("atlas", "validate", str(demo_store))
    assert res.returncode == 0 and "geldig" in res.stdout + res.stderr
    import shutil

    copy = tmp_path / "kapot"
    shutil.copytree(demo_store, copy)
    (copy / "scholen.parquet").write_bytes(b"geen parquet")
    res = nabij("atlas", "validate", str(copy))
    assert res.returncode == 2
    assert "scholen.parquet" in res.stderr and "beschadigd" in res.stderr


def test_missing_store_is_a_dutch_error(tmp_path: Path) -> None:
    res = nabij("atlas", "info", str(tmp_path / "bestaatniet"))
    assert res.returncode == 2
    assert "Fout" in res.stderr and "bestaat niet" in res.stderr
    assert "Traceback" not in res.stderr


def test_help_is_dutch() -> None:
    res = nabij("atlas", "--help")
    assert res.returncode == 0
    assert "Atlas bouwen" in res.stdout or "synthetische" in res.stdout


def test_import_nl_cli(real_data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nl"
    res = nabij("atlas", "import-nl", "--data", str(real_data_dir), "--out", str(out))
    assert res.returncode == 0, res.stderr
    s = Atlas.load(out).summary()
    assert s["aantallen"]["gemeenten"] == 342
    assert (s["aantallen"]["swv_po"], s["aantallen"]["swv_vo"]) == (76, 74)
    assert s["aantallen"]["jeugdregios"] == 42


def test_import_nl_with_bad_data_dir_writes_nothing(tmp_path: Path) -> None:
    res = nabij("atlas", "import-nl", "--data", str(tmp_path / "leeg"), "--out",
                str(tmp_path / "nl"))
    assert res.returncode == 2
    assert not (tmp_path / "nl").exists()
