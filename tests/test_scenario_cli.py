"""`nabij scenario compare|build|list` on a saved hand-made atlas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from handland import PC4, hand_atlas
from typer.testing import CliRunner

from nabij.cli import app
from nabij.errors import InputError
from nabij.scenarios import SCENARIOS, VARIANTS

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def atlas_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("atlas") / "handland"
    hand_atlas().save(path)
    return path


def nabij(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the real entry point (Dutch error output, exit codes) in a subprocess."""
    code = "import sys; from nabij.cli import main; sys.argv[0] = 'nabij'; main()"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_compare_all_builtin(atlas_dir, tmp_path):
    out = tmp_path / "vergelijking"
    res = runner.invoke(app, ["scenario", "compare", "--atlas", str(atlas_dir), "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "intern" / "measures.json").read_text(encoding="utf-8"))
    slugs = [d["slug"] for d in doc["divisions"]]
    assert slugs[:11] == [
        "status-quo-po", "status-quo-vo", "s1-funderend-onderwijs-po",
        "s1-funderend-onderwijs-vo", "s2-jeugdregio-po",
        "s2-jeugdregio-vo", "s2-jeugdregio-funderend", "s3-dekkend-netwerk-po",
        "s3-dekkend-netwerk-vo", "fusie-kleine-swvs-po", "fusie-kleine-swvs-vo"]
    # scenarios registered by other modules (the optimizer's "optimaal") come after them
    scen = {d["recipe"]["scenario"] for d in doc["divisions"]}
    assert scen == set(SCENARIOS) - set(VARIANTS)
    assert doc["drempel"] == 10
    assert (out / "vergelijking.xlsx").exists() and (out / "samenvatting.csv").exists()
    assert f"Metingen van {len(slugs)} indelingen" in res.output


def test_compare_selected_scenarios_with_threshold_and_custom(atlas_dir, tmp_path):
    custom = tmp_path / "mijn indeling.csv"
    custom.write_text("gemeente;regio\nGM0001;West\nGM0002;West\nGM0003;Oost\n",
                      encoding="utf-8")
    out = tmp_path / "uit"
    res = runner.invoke(app, ["scenario", "compare", "--atlas", str(atlas_dir), "--out",
                              str(out), "-s", "status-quo,fusie", "--scenario",
                              f"custom:{custom}", "--drempel", "150", "--fusie-drempel", "350",
                              "--omrijfactor", "1.5"])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "intern" / "measures.json").read_text(encoding="utf-8"))
    slugs = [d["slug"] for d in doc["divisions"]]
    assert slugs == ["status-quo-po", "status-quo-vo", "fusie-kleine-swvs-po",
                     "fusie-kleine-swvs-vo", "eigen-indeling-mijn-indeling-funderend"]
    assert doc["drempel"] == 150 and "1,5" in doc["parameters"]["afstandsmodel"]
    fusie = doc["divisions"][2]
    assert fusie["recipe"]["drempel_leerlingen"] == 350 and len(fusie["regions"]) == 1
    t = pd.read_csv(out / "thuisnabijheid" / f"{slugs[-1]}.csv", dtype=str)
    assert set(t["kinderen"]) == {"180"} and set(t["kinderen_po"]) == {"<150"}


def test_compare_bad_custom_writes_nothing(atlas_dir, tmp_path):
    bad = tmp_path / "fout.csv"
    bad.write_text("pc4,regio\n1001,A\n1001,B\n", encoding="utf-8")
    out = tmp_path / "uit"
    res = nabij("scenario", "compare", "--atlas", str(atlas_dir), "--out", str(out),
                "--scenario", f"custom:{bad}", cwd=tmp_path)
    assert res.returncode == 2
    assert "fout.csv, rij 3, kolom 'pc4'" in res.stderr and "dubbel" in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_build_writes_one_division(atlas_dir, tmp_path):
    out = tmp_path / "s2.csv"
    res = runner.invoke(app, ["scenario", "build", "--atlas", str(atlas_dir), "--scenario",
                              "s2", "--sector", "po", "--out", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str)
    assert list(df.columns) == ["pc4", "regio", "regio_naam"] and list(df["pc4"]) == PC4
    # JZ01 (440 PO pupils) is above the maximum (largest PO SWV, 360): split in its gemeenten
    assert list(df["regio"]) == ["JZ01-1"] * 2 + ["JZ01-2"] * 2 + ["JZ02"] * 2
    recipe = json.loads(out.with_suffix(".recept.json").read_text(encoding="utf-8"))
    assert recipe["sector"] == "PO" and recipe["recept"]["bouwer"] == "jeugdregio"


def test_build_needs_sector_and_valid_input(atlas_dir, tmp_path):
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["scenario", "build", "--atlas", str(atlas_dir), "--scenario",
                              "s2", "--out", str(out)])
    assert isinstance(res.exception, InputError)
    assert "kies er één met --sector" in str(res.exception)
    bad = tmp_path / "fout.csv"
    bad.write_text("pc4,regio\n1001,A\n", encoding="utf-8")
    res = runner.invoke(app, ["scenario", "build", "--atlas", str(atlas_dir), "--scenario",
                              f"custom:{bad}", "--sector", "PO", "--out", str(out)])
    assert isinstance(res.exception, InputError)
    assert "5 postcodes zonder regio" in str(res.exception)
    res = runner.invoke(app, ["scenario", "build", "--atlas", str(atlas_dir), "--scenario",
                              "s1", "--sector", "MBO", "--out", str(out)])
    assert isinstance(res.exception, InputError)
    assert list(tmp_path.iterdir()) == [bad]


def test_help_and_list_are_dutch():
    res = runner.invoke(app, ["scenario", "compare", "--help"])
    assert res.exit_code == 0 and "Privacydrempel" in res.output
    res = runner.invoke(app, ["scenario", "list"])
    assert res.exit_code == 0
    assert "fusie" in res.output and "jeugdzorgregio" in res.output
