"""`nabij web beheer leerplichttelling|inspectie|monitorregister` as a user runs them."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from .test_cli_web import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("webdata-casus")
    r = run(["beheer", "demo", "--schaal", "0.1"], data)
    assert r.returncode == 0, r.stderr[-3000:]
    return data


def test_leerplichttelling_and_inspectie_are_written_suppressed(demo, tmp_path):
    year = date.today().year
    sy = f"{year - 1}-{year}"
    r = run(["beheer", "leerplichttelling", "--schooljaar", sy, "--out",
             str(tmp_path / "lp.csv")], demo)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(tmp_path / "lp.csv", dtype=str)
    assert list(df.columns[:2]) == ["gemeente", "schooljaar"] and len(df) >= 1
    values = df.iloc[:, 2:].stack()
    assert not [v for v in values if v.isdigit() and 0 < int(v) < 10]
    r = run(["beheer", "inspectie", "--periode", f"{year}-K1", "--out",
             str(tmp_path / "insp.xlsx")], demo)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "insp.xlsx").read_bytes()))
    assert {"uitleg", "inspectie", "totaal"} <= set(wb.sheetnames)
    for ws in (wb["inspectie"], wb["totaal"]):
        for row in ws.iter_rows(min_row=2, values_only=True):
            assert not [c for c in row if isinstance(c, int) and 0 < c < 10]


def test_bad_input_exits_2_in_dutch_and_writes_nothing(demo, tmp_path):
    for args, message in (
        (["leerplichttelling", "--schooljaar", "2024-2026"], "tweede jaar moet 2025"),
        (["inspectie", "--periode", "2025-K5"], "niet herkend"),
        (["leerplichttelling", "--schooljaar", "2024-2025", "--drempel", "3"],
         "altijd afgeschermd"),
        (["inspectie", "--periode", "2025-K1", "--regio", "bestaat-niet"], "bestaat niet"),
    ):
        target = tmp_path / "uit.csv"
        r = run(["beheer", *args, "--out", str(target)], demo)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert message in r.stderr, r.stderr
        assert not target.exists()
        assert "Traceback" not in r.stderr


def test_monitorregister_feeds_the_monitor(demo, tmp_path):
    r = run(["beheer", "monitorregister", "--out", str(tmp_path / "register.csv")], demo)
    assert r.returncode == 0 and "niet publiceren" in r.stdout, r.stderr
    rows = pd.read_csv(tmp_path / "register.csv", dtype=str)
    assert list(rows.columns) == ["gemeente", "schooljaar", "periode", "indicator", "aantal",
                                  "status"]
    assert set(rows["indicator"]) == {"absoluut_verzuim", "langdurig_relatief_verzuim",
                                      "zonder_aanbod_3mnd", "vrijstelling_5a",
                                      "vrijstelling_5b", "vrijstelling_5c"}
    assert rows["aantal"].astype(int).sum() > 0
