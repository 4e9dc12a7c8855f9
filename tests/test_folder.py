"""The folder format of ``nabij atlas build --from``: writing, reading, Excel dialects."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import box

from nabij.errors import InputError
from nabij.sources.folder import read_folder, write_folder
from nabij.tables import TABLES


def small_tables(optional: bool = True) -> dict[str, pd.DataFrame]:
    """A tiny but consistent country: 3 gemeenten, 6 pc4, every school type.

    With ``optional`` the optional tables (flows, adjacency, pupils by home gemeente) are
    included too.
    """
    t = {
        "jeugdregios": pd.DataFrame({"jeugdregio": ["JZ01", "JZ02"],
                                     "naam": ["Noordwaard", "Zuidland"]}),
        "gemeenten": pd.DataFrame({
            "gemeente": ["GM0001", "GM0002", "GM0003"],
            "naam": ["Aadorp", "Beekveld", "Cé-Dorp"],
            "provincie": ["Utrecht", "Utrecht", "Gelderland"],
            "jeugdregio": ["JZ01", "JZ01", "JZ02"],
            "inwoners": [52000, 31000, 18500],
            "inwoners_0_14": [8300, 5100, 2950],
            "lat": [52.1, 52.15, 52.05],
            "lon": [5.1, 5.25, 5.4],
        }),
        "pc4": pd.DataFrame({
            "pc4": ["3511", "3512", "3521", "3522", "3531", "3532"],
            "gemeente": ["GM0001", "GM0001", "GM0002", "GM0002", "GM0003", "GM0003"],
            "lat": [52.095, 52.105, 52.145, 52.155, 52.045, 52.055],
            "lon": [5.095, 5.105, 5.245, 5.255, 5.395, 5.405],
            "inwoners": [26000, 26000, 15500, 15500, 9250, 9250],
            "kinderen_po": [2100.5, 1900.0, 1200.25, 1250.0, 700.0, 690.0],
            "kinderen_vo": [1500.0, 1400.0, 900.0, 880.0, 520.0, 500.0],
            "stedelijkheid": [1.0, 2.0, 3.0, None, 5.0, 4.0],
            "aandeel_eenouder": [0.12, 0.1, 0.08, 0.09, 0.05, None],
            "aandeel_uitkering": [0.07, 0.06, 0.05, 0.05, 0.03, 0.031],
        }),
        "besturen": pd.DataFrame({
            "bestuur": ["01234", "41000", "52000"],
            "naam": ["Stichting Primo", "Vereniging VO Oost", "Stichting Speciaal"],
            "sectoren": ["PO", "VO", "PO;VO"],
        }),
        "scholen": pd.DataFrame({
            "vestiging": ["00AA00", "00AB00", "00AC00", "02BB00", "03CC00", "03CC00",
                          "04DD00", "04DE00", "05EE01"],
            "brin": ["00AA", "00AB", "00AC", "02BB", "03CC", "03CC", "04DD", "04DE", "05EE"],
            "naam": ["OBS De Linde", "CBS 't Anker", "Basisschool Cé", "SBO De Brug",
                     "Mytylschool Zon", "Mytylschool Zon (VSO)", "Lyceum Aadorp",
                     "College Cé-Dorp", "PrO Beekveld"],
            "soort": ["BAO", "BAO", "BAO", "SBO", "SO", "VSO", "VO", "VO", "PRO"],
            "clusters": [None, None, None, None, "3;4", "3", None, None, None],
            "bestuur": ["01234", "01234", "01234", "01234", "52000", "52000", "41000", "41000",
                        "41000"],
            "gemeente": ["GM0001", "GM0002", "GM0003", "GM0002", "GM0001", "GM0001", "GM0001",
                         "GM0003", "GM0002"],
            "pc4": ["3511", "3521", "3531", "3522", "3512", "3512", "3511", "3532", "3521"],
            "lat": [52.096, 52.146, 52.046, 52.156, 52.104, 52.104, 52.094, 52.056, 52.144],
            "lon": [5.096, 5.246, 5.396, 5.256, 5.104, 5.104, 5.094, 5.406, 5.244],
            "leerlingen": [240, 180, 150, 90, 80, 120, 1250, 900, 150],
            "leerlingen_gemodelleerd": [False] * 9,
        }),
        "swv": pd.DataFrame({
            "swv": ["PO 01-01", "PO 01-02", "VO 01-01", "VO 01-02"],
            "sector": ["PO", "PO", "VO", "VO"],
            "naam": ["SWV PO Noord", "SWV PO Zuid", "SWV VO Noord", "SWV VO Zuid"],
        }),
        "indeling": pd.DataFrame({
            "pc4": ["3511", "3512", "3521", "3522", "3531", "3532"],
            "swv_po": ["PO 01-01"] * 4 + ["PO 01-02"] * 2,
            "swv_vo": ["VO 01-01"] * 4 + ["VO 01-02"] * 2,
        }),
    }
    if optional:
        t["stromen"] = pd.DataFrame({
            "pc4": ["3511", "3512", "3521", "3531", "3532", "3521"],
            "vestiging": ["00AA00", "00AA00", "00AB00", "04DE00", "04DE00", "05EE01"],
            "soort": ["BAO", "BAO", "BAO", "VO", "VO", "PRO"],
            "leerlingen": [150.0, 90.0, 180.0, 420.5, 479.5, 150.0],
        })
        t["gemeente_buren"] = pd.DataFrame({
            "gemeente_a": ["GM0001", "GM0002"], "gemeente_b": ["GM0002", "GM0003"],
            "soort": ["grens", "grens"],
        })
        t["pc4_buren"] = pd.DataFrame({
            "pc4_a": ["3511", "3512", "3521", "3522"], "pc4_b": ["3512", "3521", "3522", "3531"],
        })
        t["leerlingen_woongemeente"] = pd.DataFrame({
            "gemeente": ["GM0001", "GM0001", "GM0002"], "soort": ["BAO", "VO", "BAO"],
            "leerlingen": [2300, 1700, 1400],
        })
    return t


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values only: object dtype, missing values as None, floats as floats."""
    out = df.reset_index(drop=True).astype(object)
    out = out.where(out.notna(), None)
    return out.map(lambda v: float(v) if isinstance(v, float) else v)


def assert_same_tables(got: dict, want: dict) -> None:
    assert sorted(got) == sorted(want)
    for name, df in want.items():
        cols = [c for c in TABLES[name].names if c in df.columns]
        pd.testing.assert_frame_equal(plain(got[name][cols]), plain(df[cols]), check_dtype=False,
                                      obj=name)


def test_round_trip_all_tables(tmp_path: Path) -> None:
    tables = small_tables()
    write_folder(tables, tmp_path)
    bundle = read_folder(tmp_path)
    assert_same_tables(bundle.tables, tables)
    assert bundle.tables["besturen"]["bestuur"].tolist()[0] == "01234"  # leading zero kept
    assert bundle.origin["scholen"] == "scholen.csv"
    assert bundle.row_offset["scholen"] == 2
    assert bundle.provenance["scholen"]["status"] == "observed"
    assert bundle.provenance["scholen"]["source"].endswith("scholen.csv")
    assert bundle.name == tmp_path.name


def test_round_trip_excel_dialect(tmp_path: Path) -> None:
    tables = small_tables()
    write_folder(tables, tmp_path, excel=True)
    raw = (tmp_path / "gemeenten.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so that Excel reads UTF-8
    assert b"52,15;5,25" in raw and "Cé-Dorp" in raw.decode("utf-8-sig")
    assert_same_tables(read_folder(tmp_path).tables, tables)


def test_optional_tables_may_be_absent(tmp_path: Path) -> None:
    write_folder(small_tables(optional=False), tmp_path)
    bundle = read_folder(tmp_path)
    assert "stromen" not in bundle.tables and "gemeente_buren" not in bundle.tables
    assert set(bundle.tables) == {n for n, s in TABLES.items() if s.required}


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def test_hand_made_excel_csv(tmp_path: Path) -> None:
    """What Dutch Excel writes: ';', decimal comma, BOM, CRLF, odd case, blanks, WAAR."""
    write_folder(small_tables(optional=False), tmp_path)
    _write(tmp_path / "gemeenten.csv",
           "Gemeente ; NAAM;provincie;jeugdregio;inwoners;inwoners_0_14;lat;lon\r\n"
           " gm0001 ;Aadorp;Utrecht;jz01;52.000;8300;52,1;5,10\r\n"
           "GM0002;Beekveld;Utrecht;JZ01;31000;5100;52,15;5,25\r\n"
           "GM0003;\"Cé-Dorp; oost\";Gelderland;JZ02;18 500;2950;52.05;5.4\r\n"
           ";;;;;;;\r\n;;;;;;;\r\n", "utf-8-sig")
    scholen = (tmp_path / "scholen.csv").read_text().replace(",BAO,", ",bao,")
    scholen = scholen.replace(",false\n", ",ONWAAR\n").replace("soort", "Soort")
    (tmp_path / "scholen.csv").write_text(scholen)
    bundle = read_folder(tmp_path)
    g = bundle.tables["gemeenten"]
    assert g["gemeente"].tolist() == ["GM0001", "GM0002", "GM0003"]
    assert g["jeugdregio"].tolist() == ["JZ01", "JZ01", "JZ02"]
    assert g["inwoners"].tolist() == [52000, 31000, 18500]  # thousands dot and space
    assert g["lat"].tolist() == [52.1, 52.15, 52.05]  # decimal comma and point both read
    assert g["naam"].tolist()[2] == "Cé-Dorp; oost"
    s = bundle.tables["scholen"]
    assert (s["soort"] == "BAO").sum() == 3
    assert not s["leerlingen_gemodelleerd"].any()


def test_comma_file_with_bom_and_whitespace(tmp_path: Path) -> None:
    write_folder(small_tables(optional=False), tmp_path)
    _write(tmp_path / "jeugdregios.csv",
           "jeugdregio , naam\n JZ01 ,  Noordwaard \nJZ02,Zuidland\n", "utf-8-sig")
    j = read_folder(tmp_path).tables["jeugdregios"]
    assert j["jeugdregio"].tolist() == ["JZ01", "JZ02"]
    assert j["naam"].tolist() == ["Noordwaard", "Zuidland"]


def test_swv_codes_are_normalised(tmp_path: Path) -> None:
    tables = small_tables(optional=False)
    tables["swv"] = tables["swv"].assign(swv=["PO0101", "po 01.02", "VO-01-01", "VO 01-02"])
    write_folder(tables, tmp_path)
    assert read_folder(tmp_path).tables["swv"]["swv"].tolist() == [
        "PO 01-01", "PO 01-02", "VO 01-01", "VO 01-02"]


def test_unknown_columns_and_files_are_ignored_with_a_note(tmp_path: Path) -> None:
    tables = small_tables(optional=False)
    tables["jeugdregios"] = tables["jeugdregios"].assign(opmerking=["x", "y"])
    write_folder(tables, tmp_path)
    (tmp_path / "jeugdregios.csv").write_text("jeugdregio,naam,opmerking\nJZ01,N,x\nJZ02,Z,y\n")
    (tmp_path / "aantekeningen.txt").write_text("hallo")
    bundle = read_folder(tmp_path)
    assert list(bundle.tables["jeugdregios"].columns) == ["jeugdregio", "naam"]
    assert any("opmerking" in n for n in bundle.notes)
    assert any("aantekeningen.txt" in n for n in bundle.notes)


def test_atlas_toml_sets_name_year_sources_and_provenance(tmp_path: Path) -> None:
    write_folder(small_tables(), tmp_path)
    (tmp_path / "atlas.toml").write_text(
        'naam = "Regio Proef"\nreferentiejaar = 2023\nbronnen = ["DUO 2023", "CBS"]\n'
        '[herkomst.stromen]\nstatus = "gemodelleerd"\nbron = "eigen schatting"\n'
        'toelichting = "zwaartekrachtmodel"\n', encoding="utf-8")
    b = read_folder(tmp_path)
    assert (b.name, b.reference_year, b.sources) == ("Regio Proef", 2023, ["DUO 2023", "CBS"])
    assert b.provenance["stromen"] == {"status": "modelled", "source": "eigen schatting",
                                       "notes": ["zwaartekrachtmodel"]}
    assert b.provenance["pc4"]["status"] == "observed"


def test_meta_round_trip_keeps_modelled_labels(tmp_path: Path) -> None:
    meta = {"name": "Proefland", "reference_year": 2024, "sources": ["synthetisch"],
            "provenance": {"stromen": {"status": "modelled", "source": "model",
                                       "notes": ["geschat"]},
                           "gemeenten": {"status": "observed", "source": "CBS"}}}
    write_folder(small_tables(), tmp_path, meta=meta)
    b = read_folder(tmp_path)
    assert (b.name, b.reference_year, b.sources) == ("Proefland", 2024, ["synthetisch"])
    assert b.provenance["stromen"]["status"] == "modelled"
    assert b.provenance["stromen"]["notes"] == ["geschat"]
    assert b.provenance["gemeenten"]["source"] == "CBS"


def test_modelled_pupil_counts_make_scholen_mixed(tmp_path: Path) -> None:
    tables = small_tables(optional=False)
    tables["scholen"].loc[0, "leerlingen_gemodelleerd"] = True
    write_folder(tables, tmp_path)
    prov = read_folder(tmp_path).provenance["scholen"]
    assert prov["status"] == "mixed" and "1 van de 9" in prov["notes"][0]


def test_geometry_round_trip_and_gemeente_code_property(tmp_path: Path) -> None:
    geometry = {"GM0001": box(5.0, 52.0, 5.2, 52.2), "GM0002": box(5.2, 52.1, 5.3, 52.2),
                "GM0003": box(5.3, 52.0, 5.5, 52.1)}
    write_folder(small_tables(), tmp_path, geometry=geometry)
    got = read_folder(tmp_path).geometry
    assert sorted(got) == sorted(geometry)
    assert all(got[k].equals_exact(geometry[k], 1e-12) for k in geometry)
    text = (tmp_path / "gemeenten.geojson").read_text().replace('"gemeente"', '"gemeenteCode"')
    (tmp_path / "gemeenten.geojson").write_text(text)
    assert sorted(read_folder(tmp_path).geometry) == sorted(geometry)


def test_file_names_are_case_insensitive(tmp_path: Path) -> None:
    write_folder(small_tables(optional=False), tmp_path)
    (tmp_path / "scholen.csv").rename(tmp_path / "Scholen.CSV")
    bundle = read_folder(tmp_path)
    assert bundle.origin["scholen"] == "Scholen.CSV"


def test_write_folder_rejects_unknown_tables(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_folder({"leraren": pd.DataFrame()}, tmp_path)


def test_floats_survive_exactly(tmp_path: Path) -> None:
    tables = small_tables(optional=False)
    tables["pc4"]["kinderen_po"] = [1 / 3, 2 / 7, 1e-7, 12345.6789, 0.1 + 0.2, 5.0]
    for excel in (False, True):
        write_folder(tables, tmp_path / str(excel), excel=excel)
        got = read_folder(tmp_path / str(excel)).tables["pc4"]["kinderen_po"].tolist()
        assert got == tables["pc4"]["kinderen_po"].tolist()
        assert not any(math.isnan(x) for x in got)


def test_bad_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="bestaat niet"):
        read_folder(tmp_path / "nergens")
    (tmp_path / "f.csv").write_text("x")
    with pytest.raises(InputError, match="geen map"):
        read_folder(tmp_path / "f.csv")


def test_mapformaat_documents_every_table_and_column() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "mapformaat.md").read_text("utf-8")
    for spec in TABLES.values():
        start = doc.index(f"### `{spec.file}`")
        section = doc[start:doc.find("\n### ", start + 1)]
        for col in spec.columns:
            assert f"| `{col.name}` |" in section, f"{spec.file}: kolom {col.name}"
            if col.min is not None and col.max is not None and col.name not in ("lat", "lon"):
                assert f"{col.max:,.0f}".replace(",", ".") in section, (spec.file, col.name)
        key = " + ".join(f"`{k}`" for k in spec.key)
        assert f"sleutel {key}" in section, spec.file


def test_synthetic_atlas_round_trips_through_build(tmp_path: Path) -> None:
    from nabij.atlas import build_atlas
    from nabij.sources.synthetic import synthetic_country

    atlas = build_atlas(synthetic_country(seed=7, scale=0.1))
    write_folder(dict(atlas.tables), tmp_path, geometry=atlas.geometry,
                 meta=atlas.meta.to_dict())
    again = build_atlas(read_folder(tmp_path))
    assert_same_tables(dict(again.tables), dict(atlas.tables))
    assert {n: again.meta.status(n) for n in TABLES} == {n: atlas.meta.status(n) for n in TABLES}
    assert again.meta.provenance["stromen"]["notes"] == atlas.meta.provenance["stromen"]["notes"]
    assert (again.meta.name, again.meta.reference_year) == (atlas.meta.name,
                                                            atlas.meta.reference_year)
    assert sorted(again.geometry) == sorted(atlas.geometry)
    assert all(again.geometry[k].equals_exact(atlas.geometry[k], 0) for k in atlas.geometry)
    assert again.summary() == atlas.summary()
    # a second round trip adds nothing (no notes pile up)
    write_folder(dict(again.tables), tmp_path / "2", geometry=again.geometry,
                 meta=again.meta.to_dict())
    assert read_folder(tmp_path / "2").provenance == read_folder(tmp_path).provenance


def test_cli_export_then_build_gives_the_same_tables(tmp_path: Path, tiny_bundle) -> None:
    import os
    import subprocess
    import sys

    from nabij.atlas import Atlas, build_atlas

    def nabij(*args: str) -> subprocess.CompletedProcess:
        code = "import sys; from nabij.cli import main; sys.argv[0] = 'nabij'; main()"
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)

    atlas = build_atlas(tiny_bundle)
    atlas.save(tmp_path / "atlas")
    res = nabij("atlas", "export", str(tmp_path / "atlas"), "--out", str(tmp_path / "csv"))
    assert res.returncode == 0, res.stderr
    res = nabij("atlas", "build", "--from", str(tmp_path / "csv"), "--out",
                str(tmp_path / "atlas2"))
    assert res.returncode == 0, res.stderr
    assert_same_tables(dict(Atlas.load(tmp_path / "atlas2").tables), dict(atlas.tables))


def test_two_files_for_one_table_is_an_error(tmp_path: Path) -> None:
    write_folder(small_tables(optional=False), tmp_path)
    (tmp_path / "SWV.csv").write_text((tmp_path / "swv.csv").read_text())
    with pytest.raises(InputError) as info:
        read_folder(tmp_path)
    assert any("twee bestanden" in p.message for p in info.value.problems)
