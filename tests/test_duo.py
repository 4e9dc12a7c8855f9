"""Readers for DUO's open-data files, on small invented fixtures in tests/fixtures/duo."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nabij.errors import InputError
from nabij.sources.duo import (
    normalize_swv_code,
    read_leerlingen,
    read_pc4_stromen,
    read_so_vso_swv,
    read_vestigingen,
    scholen_from_duo,
)
from nabij.tables import TABLES

FIX = Path(__file__).parent / "fixtures" / "duo"


def rows(df: pd.DataFrame, *cols: str) -> list[tuple]:
    return [tuple(r) for r in df[list(cols)].itertuples(index=False)]


def test_vestigingen_bo_ckan_dialect() -> None:
    v = read_vestigingen(FIX / "vestigingenbo.csv")
    assert list(v.columns) == ["vestiging", "brin", "naam", "soort", "bestuur", "gemeente", "pc4"]
    assert rows(v, "vestiging", "brin", "gemeente", "pc4", "bestuur")[:4] == [
        ("99XA00", "99XA", "GM0344", "3511", "12345"),
        ("99XA01", "99XA", "GM0344", "3512", "12345"),  # postcode without space
        ("99XB00", "99XB", "GM0228", "6711", "23456"),
        ("99XC00", "99XC", "GM0344", "3521", "34567"),  # GEMEENTENUMMER 344 -> GM0344
    ]
    assert set(v["soort"]) == {"BAO"}
    assert v["naam"].iloc[1] == "OBS De Verzonnen Eik, dependance"  # quoted comma


def test_vestigingen_so_windows1252_and_combined_so_vso() -> None:
    v = read_vestigingen(FIX / "vestigingenso.csv")
    assert rows(v, "vestiging", "soort") == [("99XD00", "SO"), ("99XD00", "VSO"),
                                              ("99XE00", "SO")]
    assert v["naam"].iloc[0] == "Mytylschool Fantasié"


def test_vestigingen_vo_praktijkonderwijs() -> None:
    v = read_vestigingen(FIX / "vestigingenvo.csv")
    assert rows(v, "vestiging", "soort") == [("99XF00", "VO"), ("99XG00", "VO"),
                                              ("99XG00", "PRO"), ("99XH00", "PRO")]


def test_leerlingen_po_latest_year_and_masked_counts() -> None:
    lln = read_leerlingen(FIX / "brin6_totaal.csv")
    got = {(v, t): n for v, t, n in rows(lln, "vestiging", "soort", "leerlingen")}
    assert got[("99XA00", "BAO")] == 240  # 2023, not 2022's 231
    assert got[("99XA01", "BAO")] == 2  # '<5'
    assert got[("99XC00", "SBO")] == 95 and got[("99XD00", "VSO")] == 85
    assert lln.attrs["gemaskeerd"] == 1
    old = read_leerlingen(FIX / "brin6_totaal.csv", year=2022, masked=4)
    assert rows(old, "vestiging", "leerlingen") == [("99XA00", 231), ("99XA01", 12)]


def test_leerlingen_vo_wide_file() -> None:
    lln = read_leerlingen(FIX / "01-leerlingen-vo-per-vestiging-naar-onderwijstype.csv")
    assert rows(lln, "vestiging", "soort", "leerlingen") == [
        ("99XF00", "VO", 50 + 55 + 48 + 52 + 40 + 45 + 0 + 2),
        ("99XG00", "PRO", 39), ("99XG00", "VO", 118), ("99XH00", "PRO", 143)]


def test_so_vso_per_swv_with_binnen_swv() -> None:
    s = read_so_vso_swv(FIX / "so_vso_per_swv.csv")
    got = {(r.swv, r.soort, r.binnen_swv): r.leerlingen for r in s.itertuples()}
    assert got == {("PO 27-07", "SO", True): 143, ("PO 27-07", "SO", False): 32,
                   ("VO 27-08", "VSO", True): 241, ("VO 27-08", "VSO", False): 53,
                   ("PO 26-01", "SO", True): 105}
    assert s.attrs["overgeslagen"] == 1  # the cluster-1 institution (a BRIN, not an SWV)
    assert s.attrs["gemaskeerd"] == 2 and s.attrs["swv_kolom"] == "SAMENWERKINGSVERBAND"
    assert read_so_vso_swv(FIX / "so_vso_per_swv.csv", year=2022)["leerlingen"].sum() == 139


def test_pc4_stromen_po() -> None:
    st = read_pc4_stromen(FIX / "brin6_pc4.csv")
    assert list(st.columns) == TABLES["stromen"].names
    assert rows(st, "pc4", "vestiging", "soort", "leerlingen") == [
        ("3511", "99XA00", "BAO", 160), ("3512", "99XA00", "BAO", 70),
        ("3512", "99XD00", "SO", 40), ("3512", "99XD00", "VSO", 50),
        ("3521", "99XA00", "BAO", 2), ("6711", "99XB00", "BAO", 175),
        ("6711", "99XD00", "VSO", 35)]
    assert st.attrs == {"gemaskeerd": 1, "zonder_postcode": 2, "bestand": "brin6_pc4.csv"}
    dropped = read_pc4_stromen(FIX / "brin6_pc4.csv", masked=None)
    assert "3521" not in set(dropped["pc4"]) and len(dropped) == 6


def test_pc4_stromen_vo_wide_old_dialect() -> None:
    vest = read_vestigingen(FIX / "vestigingenvo.csv")
    st = read_pc4_stromen(FIX / "02-leerlingen-vo-per-vestiging-naar-postcode-leerling.csv",
                          scholen=vest)
    assert rows(st, "pc4", "vestiging", "soort", "leerlingen") == [
        ("3511", "99XF00", "VO", 148), ("3512", "99XF00", "VO", 10 + 2 + 9 + 8),
        ("3522", "99XH00", "PRO", 38), ("6711", "99XF00", "VO", 1)]
    assert st.attrs["zonder_postcode"] == 1


def test_scholen_from_duo_makes_valid_scholen_rows() -> None:
    from nabij.validation import coerce_table

    vest = pd.concat([read_vestigingen(FIX / f) for f in
                      ("vestigingenbo.csv", "vestigingenso.csv", "vestigingenvo.csv")])
    vo = FIX / "01-leerlingen-vo-per-vestiging-naar-onderwijstype.csv"
    lln = pd.concat([read_leerlingen(FIX / "brin6_totaal.csv"), read_leerlingen(vo)])
    pc4 = pd.DataFrame({"pc4": ["3511", "3512", "3521", "3522", "6711", "6712"],
                        "lat": [52.09, 52.1, 52.08, 52.07, 52.04, 52.05],
                        "lon": [5.11, 5.12, 5.13, 5.14, 5.66, 5.67]})
    sch = scholen_from_duo(vest, lln, pc4)
    typed, problems = coerce_table(TABLES["scholen"], sch)
    assert problems == []
    assert rows(sch, "vestiging", "soort", "leerlingen")[:6] == [
        ("99XA00", "BAO", 240), ("99XA01", "BAO", 2), ("99XB00", "BAO", 180),
        ("99XC00", "SBO", 95),  # typed by the pupil file, not the address file
        ("99XD00", "SO", 60), ("99XD00", "VSO", 85)]
    assert sch.attrs == {"zonder_adres": 1, "zonder_leerlingen": 1}  # 99ZZ00; 99XJ00
    assert sch.loc[sch["vestiging"] == "99XB00", "lat"].item() == 52.04


def test_normalize_swv_code() -> None:
    assert normalize_swv_code("PO2707") == "PO 27-07"
    assert normalize_swv_code("SWV vo 27.08") == "VO 27-08"
    assert normalize_swv_code("PO-26-01") == "PO 26-01"
    assert normalize_swv_code("VSO 27-08") is None
    assert normalize_swv_code("99XZ") is None and normalize_swv_code(None) is None


# -- bad input ---------------------------------------------------------------------------------


def _bad(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _problem(reader, path: Path, **kw):
    with pytest.raises(InputError) as info:
        reader(path, **kw)
    return info.value.problems


HEADER_BO = ('"INSTELLINGSCODE","VESTIGINGSCODE","VESTIGINGSNAAM","POSTCODE","GEMEENTENUMMER",'
             '"BEVOEGD GEZAG NUMMER"\n')


@pytest.mark.parametrize(("line", "row", "column", "words"), [
    ('"99XA","99XA00","School","35111 AB","0344","1"', 3, "POSTCODE", "ongeldige postcode"),
    ('"99XA","99XA00","School","3511 AB","Utrecht","1"', 3, "GEMEENTENUMMER",
     "ongeldig gemeentenummer"),
    ('"99XA","9X","School","3511 AB","0344","1"', 3, "VESTIGINGSCODE", "ongeldige vestigingscode"),
    ('"99XA","99XB00","School","3511 AB","0344","1"', 3, "INSTELLINGSCODE", "hoort niet bij"),
    ('"99XA","99XA01","School","3511 AB","0344","abc"', 3, "BEVOEGD GEZAG NUMMER",
     "bevoegd-gezagnummer"),
    ('"99XA","99XA00","School","3511 AB","0344","1"', 2, "VESTIGINGSCODE",
     "meer dan eens in (ook rij 3)"),
])
def test_vestigingen_bad_values_name_file_row_column(tmp_path: Path, line: str, row: int,
                                                      column: str, words: str) -> None:
    path = _bad(tmp_path, "vestigingenbo.csv",
                HEADER_BO + '"99XA","99XA00","School","3511 AB","0344","1"\n' + line + "\n")
    problems = _problem(read_vestigingen, path)
    assert any(p.file == "vestigingenbo.csv" and p.row == row and p.column == column
               and words in p.message for p in problems), problems


def test_bad_count_names_duo_column(tmp_path: Path) -> None:
    path = _bad(tmp_path, "brin6_pc4.csv",
                "INSTELLINGSCODE;VESTIGINGSCODE;TYPE_PO;PEILJAAR;POSTCODE4_DEELNEMER;"
                "AANTAL_LEERLINGEN\n99XA;0;BO;2023;3511;12\n\n99XA;0;BO;2023;3512;veel\n"
                "99XA;0;BO;2023;35X2;3\n99XA;0;HBO;2023;3513;3\n")
    problems = _problem(read_pc4_stromen, path)
    where = {(p.row, p.column) for p in problems}
    assert where == {(4, "AANTAL_LEERLINGEN"), (5, "POSTCODE4_DEELNEMER"), (6, "TYPE_PO")}


def test_missing_column_empty_file_and_missing_year(tmp_path: Path) -> None:
    p = _problem(read_leerlingen, _bad(tmp_path, "a.csv", "INSTELLINGSCODE,VESTIGINGSCODE\n"
                                                          "99XA,0\n"))
    assert p[0].row == 1 and p[0].column == "AANTAL_LEERLINGEN"
    assert "leeg" in _problem(read_leerlingen, _bad(tmp_path, "b.csv", "\n\n"))[0].message
    p = _problem(read_leerlingen, _bad(tmp_path, "c.csv", "INSTELLINGSCODE,VESTIGINGSCODE\n"))
    assert p[0].row == 2 and "geen gegevens" in p[0].message
    p = _problem(read_leerlingen, FIX / "brin6_totaal.csv", year=2019)
    assert p[0].column == "PEILJAAR" and "2022, 2023" in p[0].message


def test_so_vso_bad_swv_and_flag(tmp_path: Path) -> None:
    path = _bad(tmp_path, "swv.csv", "SAMENWERKINGSVERBAND;SOORT ONDERWIJS;BINNEN_SWV;"
                "AANTAL_LEERLINGEN\nPO 27-07;SO;Ja;10\nSWV Amsterdam;SO;Ja;5\nPO 27-07;SO;"
                "misschien;5\n")
    where = {(p.row, p.column) for p in _problem(read_so_vso_swv, path)}
    assert where == {(3, "SAMENWERKINGSVERBAND"), (4, "BINNEN_SWV")}


def test_row_with_too_many_fields_and_xlsx(tmp_path: Path) -> None:
    path = _bad(tmp_path, "x.csv", "INSTELLINGSCODE,VESTIGINGSCODE,AANTAL_LEERLINGEN\n"
                                   "99XA,0,12,13\n")
    assert _problem(read_leerlingen, path)[0].row == 2
    xlsx = tmp_path / "vestigingenbo.csv"
    xlsx.write_bytes(b"PK\x03\x04....")
    assert "Excel-werkmap" in _problem(read_vestigingen, xlsx)[0].message


READERS = [(read_vestigingen, "vestigingenbo.csv"), (read_vestigingen, "vestigingenso.csv"),
           (read_vestigingen, "vestigingenvo.csv"), (read_leerlingen, "brin6_totaal.csv"),
           (read_leerlingen, "01-leerlingen-vo-per-vestiging-naar-onderwijstype.csv"),
           (read_so_vso_swv, "so_vso_per_swv.csv"), (read_pc4_stromen, "brin6_pc4.csv"),
           (read_pc4_stromen, "02-leerlingen-vo-per-vestiging-naar-postcode-leerling.csv")]


@settings(max_examples=200, deadline=None)
@given(which=st.integers(0, len(READERS) - 1), pos=st.integers(0, 5000),
       junk=st.binary(max_size=6), cut=st.integers(0, 6))
def test_corrupted_duo_files_only_raise_input_error(which: int, pos: int, junk: bytes,
                                                    cut: int) -> None:
    reader, name = READERS[which]
    data = (FIX / name).read_bytes()
    p = pos % (len(data) + 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data[:p] + junk + data[p + cut:])
        try:
            reader(path)
        except InputError as e:
            assert e.problems and all(pr.file == name for pr in e.problems)
