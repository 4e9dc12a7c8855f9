"""rapport.xlsx and indelingen.geojson: sheets, Dutch headers, frozen panes, suppression."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from test_report import SMALL_FLOW, TINY_REGION_PUPILS, write_fake_measures
from typer.testing import CliRunner

from nabij.cli import app
from nabij.report import load_measures, write_all

COUNT_HEADERS = ("Leerlingen", "Kleinste regio")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    from nabij.atlas import build_atlas
    from nabij.sources.synthetic import synthetic_country

    atlas = build_atlas(synthetic_country(seed=1, scale=0.2))
    out = tmp_path_factory.mktemp("export")
    measures = load_measures(write_fake_measures(atlas, out / "maatstaven"))
    written = write_all(atlas, measures, out / "rapport.html")
    return written, measures, atlas


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_one_sheet_per_table_with_dutch_headers(exports):
    written, measures, _ = exports
    wb = load_workbook(written["xlsx"])
    assert wb.sheetnames == ["Vergelijking", "Definities", "Regio's", "Grensverkeer",
                             "Thuisnabijheid", "Herkomst"]
    head = _rows(wb["Vergelijking"])[0]
    assert head[:5] == ["Maatstaf", "Sleutel", "Eenheid", "Beter", "Gemodelleerd"]
    assert head[5:] == [d.name for d in measures.divisions]
    assert _rows(wb["Regio's"])[0][:5] == ["Indeling", "Sector", "Regio", "Naam", "Leerlingen"]
    assert _rows(wb["Grensverkeer"])[0] == ["Indeling", "Van (woonregio)", "Naar (schoolregio)",
                                            "Over de grens", "Leerlingen"]
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.freeze_panes in ("A2", "E2", "F2"), name
        assert all(isinstance(c.value, str) for c in ws[1] if c.value is not None)


def test_numbers_are_numbers_with_formats(exports):
    written, measures, _ = exports
    ws = load_workbook(written["xlsx"])["Vergelijking"]
    rows = {r[1]: r for r in _rows(ws)[1:]}
    share = rows["grensverkeer"][5]
    assert isinstance(share, float) and 0 < share < 1
    row_idx = [r[1] for r in _rows(ws)].index("grensverkeer") + 1
    assert ws.cell(row=row_idx, column=6).number_format == "0.0%"
    km_idx = [r[1] for r in _rows(ws)].index("afstand_eigen_SO4_gem") + 1
    assert ws.cell(row=km_idx, column=6).number_format == "0.0"


def test_no_exported_count_below_threshold(exports):
    written, measures, _ = exports
    wb = load_workbook(written["xlsx"])
    seen_label = False
    for name in ("Vergelijking", "Regio's", "Grensverkeer"):
        rows = _rows(wb[name])
        head = rows[0]
        if name == "Vergelijking":
            cols = range(5, len(head))
            rows = [r for r in rows[1:] if r[2] in ("leerlingen", "kinderen")]
        else:
            cols = [i for i, h in enumerate(head) if h in COUNT_HEADERS]
            rows = rows[1:]
        assert cols and rows, name
        for r in rows:
            for i in cols:
                v = r[i]
                if v == "<10":
                    seen_label = True
                    continue
                assert v is None or (isinstance(v, int | float) and (v == 0 or v >= 10)), \
                    (name, r)
    assert seen_label
    regions = {r[2]: r for r in _rows(wb["Regio's"])[1:] if r[0] == "Losse postcode"}
    assert regions["LOS 01"][4] == "<10" and TINY_REGION_PUPILS not in regions["LOS 01"]
    flows = _rows(wb["Grensverkeer"])[1:]
    assert all(r[4] != SMALL_FLOW for r in flows)


def test_geojson_regions_with_measures_and_suppression(exports):
    written, measures, atlas = exports
    doc = json.loads(written["geojson"].read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    feats = doc["features"]
    assert len(feats) == sum(len(d.regions) for d in measures.divisions)
    for f in feats:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        lon, lat = f["geometry"]["coordinates"][0][0][0][:2] \
            if f["geometry"]["type"] == "MultiPolygon" else f["geometry"]["coordinates"][0][0]
        assert 3.0 < lon < 7.5 and 50.5 < lat < 53.8
        v = f["properties"]["leerlingen"]
        assert v == "<10" or v == 0 or v >= 10
    lone = [f for f in feats if f["properties"]["regio"] == "LOS 01"]
    assert lone and lone[0]["properties"]["leerlingen"] == "<10"


def test_report_command_writes_all_three(exports, tmp_path):
    _, measures, atlas = exports
    atlas_dir = atlas.save(tmp_path / "atlas")
    out = tmp_path / "uit" / "rapport.html"
    result = CliRunner().invoke(app, ["report", "--atlas", str(atlas_dir), "--measures",
                                      str(measures.path), "--out", str(out), "--drempel", "20"])
    assert result.exit_code == 0, result.output
    assert out.exists() and (out.parent / "rapport.xlsx").exists()
    assert (out.parent / "indelingen.geojson").exists()
    assert "&lt;20" in out.read_text(encoding="utf-8")


def test_report_command_rejects_missing_measures(tmp_path, exports):
    _, _, atlas = exports
    atlas_dir = atlas.save(tmp_path / "atlas")
    (tmp_path / "leeg").mkdir()
    result = CliRunner().invoke(app, ["report", "--atlas", str(atlas_dir), "--measures",
                                      str(tmp_path / "leeg"), "--out",
                                      str(tmp_path / "r.html")])
    assert result.exit_code != 0
    assert not (tmp_path / "r.html").exists()
