"""The Atlas object, its store (atomic Parquet + manifest) and its validation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import make_tiny_bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij import Atlas
from nabij.atlas import build_atlas
from nabij.errors import InputError, NabijError, StoreError


@pytest.fixture(scope="module")
def tiny_atlas() -> Atlas:
    return build_atlas(make_tiny_bundle())


def test_build_derives_and_labels_modelled_tables(tiny_atlas: Atlas) -> None:
    assert len(tiny_atlas.gemeenten) == 3
    assert tiny_atlas.meta.status("stromen") == "modelled"
    assert tiny_atlas.meta.status("gemeente_buren") == "modelled"
    assert tiny_atlas.meta.status("gemeenten") == "observed"
    # the three gemeenten lie on a line: 1-2 and 2-3 are neighbours, 1-3 are not
    buren = tiny_atlas.gemeente_buren
    pairs = set(zip(buren["gemeente_a"], buren["gemeente_b"], strict=True))
    assert ("GM0001", "GM0002") in pairs and ("GM0002", "GM0003") in pairs
    assert ("GM0001", "GM0003") not in pairs
    # modelled flows send every school's pupils somewhere and only from existing pc4s
    assert set(tiny_atlas.stromen["pc4"]) <= set(tiny_atlas.pc4["pc4"])
    assert (tiny_atlas.stromen["leerlingen"] >= 0).all()


def test_atlas_is_immutable(tiny_atlas: Atlas) -> None:
    with pytest.raises(AttributeError):
        tiny_atlas.meta = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        tiny_atlas.tables["pc4"] = pd.DataFrame()  # type: ignore[index]
    with pytest.raises(ValueError):
        tiny_atlas.pc4["inwoners"].to_numpy()[0] = 1


def test_summary_counts(tiny_atlas: Atlas) -> None:
    s = tiny_atlas.summary()
    assert s["aantallen"]["gemeenten"] == 3
    assert s["aantallen"]["swv_po"] == 2 and s["aantallen"]["swv_vo"] == 2
    assert s["leerlingen"]["totaal PO"] == 780 + 790 + 1950 + 1950 + 780 + 150 + 160
    assert s["gesplitste_gemeenten"] == {"PO": 1, "VO": 0}  # GM0002 is split in PO only
    assert s["leerlingen"]["totaal VO"] == 3000 + 1400 + 120 + 190
    assert 0 < s["deelname"]["SBO"] < 0.05


def test_save_load_roundtrip(tiny_atlas: Atlas, tmp_path) -> None:
    out = tiny_atlas.save(tmp_path / "atlas")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format_version"] == 1
    assert manifest["meta"]["reference_year"] == 2024
    assert manifest["tables"]["stromen"]["provenance"]["status"] == "modelled"
    assert all(len(e["sha256"]) == 64 for e in manifest["tables"].values())
    loaded = Atlas.load(out)
    for name, df in tiny_atlas.tables.items():
        pd.testing.assert_frame_equal(
            loaded.table(name).reset_index(drop=True), df.reset_index(drop=True),
            check_dtype=False)
    assert loaded.meta.notes == tiny_atlas.meta.notes


def test_load_detects_tampering(tiny_atlas: Atlas, tmp_path) -> None:
    out = tiny_atlas.save(tmp_path / "atlas")
    with open(out / "pc4.parquet", "ab") as f:
        f.write(b"x")
    with pytest.raises(StoreError, match="controlegetal"):
        Atlas.load(out)


def test_load_missing_store_is_dutch_error(tmp_path) -> None:
    with pytest.raises(StoreError, match="bestaat niet"):
        Atlas.load(tmp_path / "nergens")
    (tmp_path / "leeg").mkdir()
    with pytest.raises(StoreError, match="manifest.json ontbreekt"):
        Atlas.load(tmp_path / "leeg")


def test_failed_save_keeps_previous_store(tiny_atlas: Atlas, tmp_path, monkeypatch) -> None:
    out = tiny_atlas.save(tmp_path / "atlas")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def flaky(self, path, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("schijf vol")
        return real(self, path, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)
    with pytest.raises(OSError):
        tiny_atlas.save(out)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["atlas"]  # no temp folders left


def test_save_refuses_to_overwrite_a_non_atlas_folder(tiny_atlas: Atlas, tmp_path) -> None:
    (tmp_path / "mijn").mkdir()
    (tmp_path / "mijn" / "belangrijk.txt").write_text("niet weggooien")
    with pytest.raises(NabijError, match="geen uitvoer van nabij"):
        tiny_atlas.save(tmp_path / "mijn")
    assert (tmp_path / "mijn" / "belangrijk.txt").exists()


# -- validation ---------------------------------------------------------------------------

def _expect_problem(bundle, file: str, row: int | None, column: str, text: str) -> None:
    with pytest.raises(InputError) as ei:
        build_atlas(bundle)
    hits = [p for p in ei.value.problems
            if p.file == file and p.column == column and (row is None or p.row == row)]
    assert hits, f"geen probleem in {file} rij {row} kolom {column}: {ei.value}"
    assert any(text in p.message for p in hits), str(ei.value)
    assert file in str(ei.value) and f"kolom '{column}'" in str(ei.value)


def test_bad_gemeente_code(tiny_bundle) -> None:
    tiny_bundle.tables["gemeenten"].loc[1, "gemeente"] = "GM02"
    _expect_problem(tiny_bundle, "gemeenten.csv", 3, "gemeente", "ongeldige code")


def test_duplicate_pc4(tiny_bundle) -> None:
    tiny_bundle.tables["pc4"].loc[3, "pc4"] = "2001"
    _expect_problem(tiny_bundle, "pc4.csv", 4, "pc4", "dubbele sleutel 2001")


def test_school_in_unknown_gemeente(tiny_bundle) -> None:
    tiny_bundle.tables["scholen"].loc[0, "gemeente"] = "GM9999"
    _expect_problem(tiny_bundle, "scholen.csv", 2, "gemeente", "komt niet voor")


def test_pc4_without_swv(tiny_bundle) -> None:
    tiny_bundle.tables["indeling"] = tiny_bundle.tables["indeling"].iloc[:-1]
    _expect_problem(tiny_bundle, "pc4.csv", 7, "pc4", "geen SWV")


def test_swv_of_wrong_sector(tiny_bundle) -> None:
    tiny_bundle.tables["indeling"].loc[0, "swv_vo"] = "PO 01-01"
    _expect_problem(tiny_bundle, "indeling.csv", 2, "swv_vo", "ongeldige code")


def test_coordinates_outside_nl(tiny_bundle) -> None:
    tiny_bundle.tables["scholen"].loc[4, "lat"] = 48.85  # Paris
    _expect_problem(tiny_bundle, "scholen.csv", 6, "lat", "buiten Nederland")


def test_negative_and_fractional_counts(tiny_bundle) -> None:
    tiny_bundle.tables["scholen"].loc[2, "leerlingen"] = -5
    _expect_problem(tiny_bundle, "scholen.csv", 4, "leerlingen", "kleiner dan 0")
    b = make_tiny_bundle()
    b.tables["scholen"]["leerlingen"] = b.tables["scholen"]["leerlingen"].astype(float)
    b.tables["scholen"].loc[1, "leerlingen"] = 12.5
    _expect_problem(b, "scholen.csv", 3, "leerlingen", "geheel getal")


def test_missing_required_column(tiny_bundle) -> None:
    tiny_bundle.tables["scholen"] = tiny_bundle.tables["scholen"].drop(columns=["soort"])
    _expect_problem(tiny_bundle, "scholen.csv", 1, "soort", "verplichte kolom")


def test_origin_names_the_users_file(tiny_bundle) -> None:
    tiny_bundle.origin["scholen"] = "mijnmap/scholen.csv"
    tiny_bundle.tables["scholen"].loc[0, "soort"] = "HAVO"
    _expect_problem(tiny_bundle, "mijnmap/scholen.csv", 2, "soort", "onbekende waarde 'HAVO'")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["gemeenten", "pc4", "scholen"]),
    row=st.integers(min_value=0, max_value=2),
    value=st.one_of(st.integers(max_value=-1), st.just("veel"), st.floats(min_value=1e12,
                                                                          max_value=1e15)),
)
def test_any_bad_count_is_reported_at_its_row(table: str, row: int, value) -> None:
    column = {"gemeenten": "inwoners", "pc4": "inwoners", "scholen": "leerlingen"}[table]
    b = make_tiny_bundle()
    df = b.tables[table].astype({column: object})
    df.loc[row, column] = value
    b.tables[table] = df
    with pytest.raises(InputError) as ei:
        build_atlas(b)
    assert any(p.file == f"{table}.csv" and p.row == row + 2 and p.column == column
               for p in ei.value.problems), str(ei.value)


@settings(max_examples=20, deadline=None)
@given(drop=st.sets(st.integers(min_value=0, max_value=5), min_size=1, max_size=5))
def test_every_pc4_needs_exactly_one_swv(drop: set[int]) -> None:
    b = make_tiny_bundle()
    ind = b.tables["indeling"]
    b.tables["indeling"] = ind.drop(index=sorted(drop))
    with pytest.raises(InputError) as ei:
        build_atlas(b)
    rows = {p.row for p in ei.value.problems if p.file == "pc4.csv"}
    assert rows == {i + 2 for i in drop}


def test_read_only_arrays_do_not_leak_into_copies(tiny_atlas: Atlas) -> None:
    df = tiny_atlas.pc4.copy()
    df.loc[0, "inwoners"] = 1
    assert df["inwoners"].iloc[0] == 1
    assert np.asarray(tiny_atlas.pc4["inwoners"])[0] == 10000
