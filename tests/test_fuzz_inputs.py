"""Malformed input folders: every one gives an InputError naming file, row and column.

A corpus of hand-written corruptions of a valid folder (the small country of
``tests/conftest.py``), plus hypothesis-based random corruptions that may only ever end in
an InputError (never another exception).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.errors import InputError, Problem
from nabij.sources.folder import read_folder, write_folder
from nabij.tables import TABLES, TableBundle

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def base(tmp_path: Path, tiny_bundle: TableBundle) -> Path:
    """A valid folder (with gemeente_buren so that optional tables are fuzzed too)."""
    folder = tmp_path / "basis"
    tables = dict(tiny_bundle.tables)
    tables["gemeente_buren"] = pd.DataFrame({"gemeente_a": ["GM0001", "GM0002"],
                                             "gemeente_b": ["GM0002", "GM0003"],
                                             "soort": ["grens", "grens"]})
    tables["stromen"] = pd.DataFrame({"pc4": ["1001", "2001"], "vestiging": ["01AA00", "02VO00"],
                                      "soort": ["BAO", "VO"], "leerlingen": [300.0, 1200.5]})
    write_folder(tables, folder)
    read_folder(folder)  # the base itself is valid
    return folder


def lines(folder: Path, file: str) -> list[str]:
    return (folder / file).read_text(encoding="utf-8").splitlines()


def put(folder: Path, file: str, rows: list[str]) -> None:
    (folder / file).write_text("\n".join(rows) + "\n", encoding="utf-8")


def set_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` numbered as in Excel (header = 1)."""
    rows = lines(folder, file)
    header = rows[0].split(",")
    cells = rows[row - 1].split(",")
    cells[header.index(column)] = value
    rows[row - 1] = ",".join(cells)
    put(folder, file, rows)


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_folder(folder)
    err = info.value
    assert err.problems, "an InputError must list its problems"
    text = str(err)
    assert "Traceback" not in text and "Error" not in text  # a Dutch message, no Python noise
    return err.problems


def has(problems: list[Problem], file: str, row: int | None, column: str | None,
        words: str) -> bool:
    return any(p.file == file and p.row == row and p.column == column
               and re.search(words, p.message, re.IGNORECASE) for p in problems)


Case = tuple[str, Callable[[Path], None], str, int | None, str | None, str]

CASES: list[Case] = [
    ("ontbrekend bestand", lambda f: (f / "scholen.csv").unlink(),
     "scholen.csv", None, None, "verplicht bestand scholen.csv ontbreekt"),
    ("xlsx in plaats van csv", lambda f: ((f / "scholen.csv").unlink(),
                                          (f / "scholen.xlsx").write_bytes(b"PK\x03\x04")),
     "scholen.csv", None, None, r"gevonden: scholen\.xlsx.*CSV UTF-8"),
    ("werkmap met .csv-naam", lambda f: (f / "pc4.csv").write_bytes(b"PK\x03\x04rest"),
     "pc4.csv", None, None, "Excel-werkmap"),
    ("leeg bestand", lambda f: (f / "gemeenten.csv").write_bytes(b""),
     "gemeenten.csv", None, None, "leeg"),
    ("alleen BOM", lambda f: (f / "gemeenten.csv").write_bytes(b"\xef\xbb\xbf\r\n"),
     "gemeenten.csv", None, None, "leeg"),
    ("alleen kopregel", lambda f: put(f, "swv.csv", lines(f, "swv.csv")[:1]),
     "swv.csv", 2, None, "geen gegevens"),
    ("geen utf-8", lambda f: (f / "gemeenten.csv").write_bytes(
        (f / "gemeenten.csv").read_bytes().replace(b"Oosterveen", b"Oosterv\xe9en")),
     "gemeenten.csv", 4, None, r"UTF-8.*0xE9.*regel 4.*CSV UTF-8"),
    ("utf-16", lambda f: (f / "swv.csv").write_bytes(
        (f / "swv.csv").read_text().encode("utf-16")),
     "swv.csv", None, None, "UTF-16.*CSV UTF-8"),
    ("NUL-bytes", lambda f: (f / "swv.csv").write_bytes(b"swv,sector\x00,naam\n"),
     "swv.csv", 1, None, "NUL"),
    ("verplichte kolom ontbreekt", lambda f: put(f, "gemeenten.csv", [
        r.replace("inwoners_0_14", "inwoners_0_15") for r in lines(f, "gemeenten.csv")]),
     "gemeenten.csv", 1, "inwoners_0_14", r"ontbreekt.*bedoelt u 'inwoners_0_15'"),
    ("kolom dubbel", lambda f: put(f, "swv.csv", ["swv,sector,naam,sector"] + [
        r + ",PO" for r in lines(f, "swv.csv")[1:]]),
     "swv.csv", 1, "sector", "twee keer"),
    ("ongeldige GM-code", lambda f: set_cell(f, "scholen.csv", 3, "gemeente", "GM12"),
     "scholen.csv", 3, "gemeente", "ongeldige code 'GM12'.*GM0363"),
    ("pc4 met voorloopnul", lambda f: set_cell(f, "pc4.csv", 4, "pc4", "0123"),
     "pc4.csv", 4, "pc4", "ongeldige code '0123'"),
    ("ongeldige SWV-code", lambda f: set_cell(f, "swv.csv", 2, "swv", "SO 27-07"),
     "swv.csv", 2, "swv", "ongeldige code 'SO 27-07'.*PO 27-07"),
    ("dubbele sleutel", lambda f: put(f, "gemeenten.csv", lines(f, "gemeenten.csv")
                                      + [lines(f, "gemeenten.csv")[2]]),
     "gemeenten.csv", 3, "gemeente", r"dubbele sleutel GM0002.*rij 5"),
    ("geen getal", lambda f: set_cell(f, "gemeenten.csv", 2, "inwoners", "veel"),
     "gemeenten.csv", 2, "inwoners", "'veel' is geen getal"),
    ("oneindig", lambda f: set_cell(f, "pc4.csv", 3, "kinderen_po", "inf"),
     "pc4.csv", 3, "kinderen_po", "geen bruikbaar getal"),
    ("reusachtig getal", lambda f: set_cell(f, "gemeenten.csv", 3, "inwoners", "1e30"),
     "gemeenten.csv", 3, "inwoners", "geen bruikbaar getal"),
    ("boven maximum", lambda f: set_cell(f, "scholen.csv", 5, "leerlingen", "250000"),
     "scholen.csv", 5, "leerlingen", "groter dan 20000"),
    ("negatief aantal", lambda f: set_cell(f, "pc4.csv", 2, "kinderen_vo", "-5"),
     "pc4.csv", 2, "kinderen_vo", "kleiner dan 0"),
    ("negatieve stroom", lambda f: set_cell(f, "stromen.csv", 3, "leerlingen", "-1.5"),
     "stromen.csv", 3, "leerlingen", "kleiner dan 0"),
    ("breuk in geheel getal", lambda f: set_cell(f, "scholen.csv", 2, "leerlingen", "12.5"),
     "scholen.csv", 2, "leerlingen", "geheel getal"),
    ("coördinaat buiten NL", lambda f: set_cell(f, "pc4.csv", 6, "lat", "48.85"),
     "pc4.csv", 6, "lat", "kleiner dan.*buiten Nederland"),
    ("lengtegraad buiten NL", lambda f: set_cell(f, "scholen.csv", 4, "lon", "13.4"),
     "scholen.csv", 4, "lon", "groter dan.*buiten Nederland"),
    ("onbekende soort", lambda f: set_cell(f, "scholen.csv", 6, "soort", "HBO"),
     "scholen.csv", 6, "soort", "onbekende waarde 'HBO'.*BAO"),
    ("onbekende grenssoort", lambda f: set_cell(f, "gemeente_buren.csv", 2, "soort", "brug"),
     "gemeente_buren.csv", 2, "soort", "onbekende waarde 'brug'"),
    ("ongeldige clusters", lambda f: set_cell(f, "scholen.csv", 8, "clusters", "5"),
     "scholen.csv", 8, "clusters", "ongeldige code '5'"),
    ("geen ja/nee", lambda f: put(f, "scholen.csv", [
        lines(f, "scholen.csv")[0] + ",leerlingen_gemodelleerd"] + [
        r + (",misschien" if i == 2 else ",nee")
        for i, r in enumerate(lines(f, "scholen.csv")[1:])]),
     "scholen.csv", 4, "leerlingen_gemodelleerd", "ja/nee"),
    ("waarde ontbreekt", lambda f: set_cell(f, "besturen.csv", 3, "naam", ""),
     "besturen.csv", 3, "naam", "ontbreekt"),
    ("te veel velden", lambda f: put(f, "jeugdregios.csv", lines(f, "jeugdregios.csv")
                                     + ["JZ03,Noord,extra"]),
     "jeugdregios.csv", 4, None, "3 waarden, de kopregel 2 kolommen.*decimaalteken"),
    ("lege rij in het midden", lambda f: put(f, "swv.csv", lines(f, "swv.csv")[:2] + [""]
                                             + lines(f, "swv.csv")[2:]),
     "swv.csv", 3, None, "lege rij"),
    ("kapotte aanhalingstekens", lambda f: (f / "jeugdregios.csv").write_text(
        'jeugdregio,naam\nJZ01,"West"x"\nJZ02,Oost\n' + "a" * 200_000 + "\n"),
     "jeugdregios.csv", 4, None, "geen geldige CSV"),
    ("atlas.toml kapot", lambda f: (f / "atlas.toml").write_text('naam = "x"\njaar = = 3\n'),
     "atlas.toml", 2, None, "geen geldige TOML"),
    ("atlas.toml onbekende sleutel", lambda f: (f / "atlas.toml").write_text(
        "referentiejaar = 2024\nreferntiejaar = 2023\n"),
     "atlas.toml", None, "referntiejaar", "onbekende sleutel"),
    ("atlas.toml jaartal als tekst", lambda f: (f / "atlas.toml").write_text(
        'referentiejaar = "2024"\n'),
     "atlas.toml", None, "referentiejaar", "jaartal"),
    ("atlas.toml onbekende status", lambda f: (f / "atlas.toml").write_text(
        '[herkomst.stromen]\nstatus = "misschien"\n'),
     "atlas.toml", None, "herkomst.stromen", "onbekende status"),
    ("geojson kapot", lambda f: (f / "gemeenten.geojson").write_text('{"type": \n'),
     "gemeenten.geojson", 2, None, "geen geldige JSON"),
    ("geojson in RD-meters", lambda f: (f / "gemeenten.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"gemeenteCode": "GM0001"}, "geometry": {"type": "Polygon", "coordinates": '
        '[[[120000, 480000], [121000, 480000], [121000, 481000], [120000, 480000]]]}}]}'),
     "gemeenten.geojson", None, "geometry", "buiten Nederland.*RD"),
    ("geojson zonder code", lambda f: (f / "gemeenten.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": null}]}'),
     "gemeenten.geojson", None, "gemeente", "object 1"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_malformed_folder_names_file_row_column(base: Path, case: Case) -> None:
    _, corrupt, file, row, column, words = case
    corrupt(base)
    problems = problems_of(base)
    assert has(problems, file, row, column, words), "\n".join(map(str, problems))


def test_problems_are_collected_across_files_and_rows(base: Path) -> None:
    set_cell(base, "scholen.csv", 2, "gemeente", "X")
    set_cell(base, "scholen.csv", 4, "pc4", "12")
    set_cell(base, "pc4.csv", 3, "lat", "99")
    (base / "indeling.csv").unlink()
    problems = problems_of(base)
    assert {(p.file, p.row) for p in problems} >= {
        ("scholen.csv", 2), ("scholen.csv", 4), ("pc4.csv", 3), ("indeling.csv", None)}


def test_problems_per_file_are_capped(base: Path) -> None:
    rows = lines(base, "pc4.csv")
    put(base, "pc4.csv", rows + [f"{5000 + i},GM0001,99,99,1,1,1,,," for i in range(500)])
    problems = problems_of(base)
    assert 10 < len([p for p in problems if p.file == "pc4.csv"]) <= 50


def test_missing_folder() -> None:
    with pytest.raises(InputError, match="bestaat niet"):
        read_folder(Path(tempfile.gettempdir()) / "nabij-bestaat-echt-niet")


# -- random corruptions -------------------------------------------------------------------------

FILES = sorted(spec.file for spec in TABLES.values() if spec.name not in (
    "pc4_buren", "leerlingen_woongemeente"))
NASTY = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", ";", ",", '"', '""', "\n", "\r\n", "<5", "nan", "-inf", "1e308",
                     "9" * 40, "0", "-0", "GM0000", "PO 99-99", "ja", "\ufeff", "\x00",
                     "52,1", "1.234,5", " ", "\t", "é", "NaN", "None", "true"]),
)


FIXTURE_OK = [HealthCheck.function_scoped_fixture]  # `base` is read-only: each example copies it


def _copy(base: Path) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="nabij-fuzz-"))
    shutil.copytree(base, tmp / "map")
    return tmp / "map"


def _corrupt_cell(folder: Path, file: str, row: int, col: int, value: str,
                  keep_header: bool = False) -> None:
    """Overwrite cell (row, col), both taken modulo the file's size (0 = the header line)."""
    rows = lines(folder, file)
    r = row % len(rows)
    r = max(1, r) if keep_header else r
    cells = rows[r].split(",")
    cells[col % len(cells)] = value
    rows[r] = ",".join(cells)
    put(folder, file, rows)


def _read_or_input_error(folder: Path) -> TableBundle | None:
    try:
        return read_folder(folder)
    except InputError as e:
        assert e.problems and all(p.file for p in e.problems)
        assert all(p.row is None or p.row >= 1 for p in e.problems)
        return None


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(file=st.sampled_from(FILES), row=st.integers(0, 12), col=st.integers(0, 12), value=NASTY)
def test_random_cell_corruption_only_raises_input_error(base: Path, file: str, row: int,
                                                        col: int, value: str) -> None:
    folder = _copy(base)
    try:
        _corrupt_cell(folder, file, row, col, value)
        bundle = _read_or_input_error(folder)
        if bundle is not None:
            for name, df in bundle.tables.items():
                assert list(df.columns) == [c for c in TABLES[name].names if c in df.columns]
    finally:
        shutil.rmtree(folder.parent)


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(file=st.sampled_from(FILES), pos=st.integers(0, 10_000), junk=st.binary(max_size=8),
       cut=st.integers(0, 8), op=st.sampled_from(["insert", "replace", "truncate", "delete"]))
def test_random_byte_corruption_only_raises_input_error(base: Path, file: str, pos: int,
                                                        junk: bytes, cut: int, op: str) -> None:
    folder = _copy(base)
    try:
        data = (folder / file).read_bytes()
        p = pos % (len(data) + 1)
        data = {"insert": data[:p] + junk + data[p:],
                "replace": data[:p] + junk + data[p + len(junk):],
                "truncate": data[:p],
                "delete": data[:p] + data[p + cut:]}[op]
        (folder / file).write_bytes(data)
        _read_or_input_error(folder)
    finally:
        shutil.rmtree(folder.parent)


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURE_OK)
@given(file=st.sampled_from(FILES), row=st.integers(1, 12), col=st.integers(0, 12),
       value=NASTY)
def test_corrupted_folder_builds_or_raises_input_error(base: Path, file: str, row: int,
                                                       col: int, value: str) -> None:
    """Past the reader, the Atlas builder also fails only with an InputError."""
    from nabij.atlas import build_atlas

    folder = _copy(base)
    try:
        _corrupt_cell(folder, file, row, col, value, keep_header=True)
        bundle = _read_or_input_error(folder)
        if bundle is not None:
            try:
                build_atlas(bundle)
            except InputError as e:
                assert e.problems and all(p.file for p in e.problems)
    finally:
        shutil.rmtree(folder.parent)


# -- through the command line -------------------------------------------------------------------


def _nabij(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    code = "import sys; from nabij.cli import main; sys.argv[0] = 'nabij'; main()"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_cli_build_from_bad_folder_fails_in_dutch_and_writes_nothing(base: Path,
                                                                     tmp_path: Path) -> None:
    set_cell(base, "scholen.csv", 3, "pc4", "12AB")
    out = tmp_path / "atlas-uit"
    res = _nabij("atlas", "build", "--from", str(base), "--out", str(out), cwd=tmp_path)
    assert res.returncode != 0
    assert "scholen.csv, rij 3, kolom 'pc4'" in res.stderr
    assert "ongeldige code '12AB'" in res.stderr and "Traceback" not in res.stderr
    assert sorted(tmp_path.iterdir()) == [base]  # no store, no temporary leftovers


def test_cli_build_from_folder_with_broken_reference_writes_nothing(base: Path,
                                                                    tmp_path: Path) -> None:
    set_cell(base, "scholen.csv", 2, "bestuur", "99999")  # parses, but no such board
    out = tmp_path / "atlas-uit"
    res = _nabij("atlas", "build", "--from", str(base), "--out", str(out), cwd=tmp_path)
    assert res.returncode != 0
    assert "scholen.csv, rij 2, kolom 'bestuur'" in res.stderr
    assert sorted(tmp_path.iterdir()) == [base]


def test_cli_build_from_good_folder(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "atlas-uit"
    res = _nabij("atlas", "build", "--from", str(base), "--out", str(out), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    from nabij.atlas import Atlas

    atlas = Atlas.load(out)
    assert len(atlas.scholen) == 11 and atlas.meta.status("stromen") == "observed"
