"""`nabij monitor …` end to end, as a user runs it (subprocess, exit codes, Dutch messages),
and the monitor step of `nabij demo`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_cli_atlas import nabij


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("moncli") / "atlas"
    res = nabij("atlas", "demo", "--scale", "0.15", "--seed", "4", "--out", str(out))
    assert res.returncode == 0, res.stderr
    return out


def test_rapport_writes_html_xlsx_csv_with_nederland_rows(store, tmp_path):
    out = tmp_path / "m" / "monitor.html"
    doelen = Path(__file__).resolve().parents[1] / "src/nabij/monitor/voorbeeld/doelen.csv"
    res = nabij("monitor", "rapport", "--atlas", str(store), "--doelen", str(doelen),
                "--out", str(out))
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Halfjaarlijkse monitor" in html
    assert "synthetisch" in html and "Vrijstellingen 5a" in html
    rows = list(csv.DictReader(out.with_suffix(".csv").open(encoding="utf-8")))
    national = [r for r in rows if r["regio"] == "NL"]
    assert national and all(r["regio_naam"] == "Nederland" for r in national)
    assert {r["indicator"] for r in national} >= {"deelname_sbo_so", "vrijstelling_5a"}
    assert any(r["doelstatus"] for r in rows)
    # small counts never appear in the published table
    for r in rows:
        if r["teller"] and not r["teller"].startswith("<"):
            assert not 0 < float(r["teller"]) < 10, r
    wb = load_workbook(out.with_suffix(".xlsx"), read_only=True)
    assert {"Reeksen", "Doelen", "Signalen", "Indicatoren"} <= set(wb.sheetnames)
    assert wb["Reeksen"].max_row == len(rows) + 1


def test_bad_targets_file_is_a_dutch_error_and_writes_nothing(store, tmp_path):
    bad = tmp_path / "doelen.csv"
    bad.write_text("regio,indicator,basisjaar,doelwaarde,doeljaar\n"
                   "*,deelname_sbo_so,2018,veel,2023\n", encoding="utf-8")
    out = tmp_path / "uit" / "monitor.html"
    res = nabij("monitor", "rapport", "--atlas", str(store), "--doelen", str(bad),
                "--out", str(out))
    assert res.returncode == 2
    assert "doelen.csv, rij 2, kolom 'doelwaarde'" in res.stderr
    assert not out.exists() and not out.with_suffix(".xlsx").exists()


def test_non_synthetic_atlas_without_data_asks_for_the_cbs_series(tmp_path):
    from nabij.atlas import build_atlas
    from tests.conftest import make_tiny_bundle

    atlas_dir = build_atlas(make_tiny_bundle()).save(tmp_path / "klein")
    res = nabij("monitor", "rapport", "--atlas", str(atlas_dir), "--out",
                str(tmp_path / "x.html"))
    assert res.returncode == 2 and "--data" in res.stderr
    assert not (tmp_path / "x.html").exists()


def test_indicatoren_and_reeks(store, tmp_path):
    res = nabij("monitor", "indicatoren")
    assert res.returncode == 0 and "deelname_sbo_so" in res.stderr + res.stdout
    out = tmp_path / "land.csv"
    res = nabij("monitor", "reeks", "--atlas", str(store), "--niveau", "land", "--indicator",
                "deelname_vso", "--out", str(out))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 11 and {r["regio_naam"] for r in rows} == {"Nederland"}
    res = nabij("monitor", "reeks", "--atlas", str(store), "--indicator", "bestaat_niet",
                "--out", str(tmp_path / "y.csv"))
    assert res.returncode == 2 and "bestaat_niet" in res.stderr


def test_demo_also_writes_the_monitor(tmp_path):
    res = nabij("demo", "--out", str(tmp_path / "demo"), "--schaal", "0.15", "--seed", "6",
                "--zonder-fonds")
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "demo" / "monitor.html").read_text(encoding="utf-8")
    assert "terug naar het landelijk gemiddelde" in html
    assert (tmp_path / "demo" / "monitor.xlsx").exists()
    assert res.stdout.strip().splitlines()[-1].endswith("rapport.html")
