"""The Netherlands import from open data (``nabij.sources.nl``).

Most tests need ../shared/data and skip without it (fixture ``real_data_dir``); the rules of
the helper functions are tested on small hand-made inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from nabij.errors import InputError
from nabij.sources import geo, schools_nl
from nabij.sources.nl import PRO_SHARE_OF_VO, import_nl
from nabij.sources.regeling import swv_code
from nabij.tables import TABLES, TableBundle

CBS_2023 = {"BAO": 1_357_700, "SBO": 34_140, "SO": 34_660, "VSO": 39_100}
CBS_VO_TOTAL = 940_960  # incl. praktijkonderwijs


@pytest.fixture(scope="module")
def bundle(real_data_dir) -> TableBundle:
    return import_nl(real_data_dir)


@pytest.fixture(scope="module")
def atlas(bundle):
    from nabij.atlas import build_atlas

    return build_atlas(bundle)


# --- rules on hand-made input (no data needed) ------------------------------------------


def test_swv_code_to_duo_format() -> None:
    assert swv_code("PO2707") == "PO 27-07"
    assert swv_code("VO-28-10") == "VO 28-10"
    assert swv_code("po 27-07") == "PO 27-07"
    assert swv_code("Europoort") is None


def test_sodk_vestiging_numbers_unique_within_brin() -> None:
    brin = pd.Series(["03OT", "03OT", "12IW", "12IW", "20RX", "20RX"])
    suffix = pd.Series(["000", "100", "100", "101", "000", "001"])
    nums = schools_nl.sodk_vestiging_numbers(brin, suffix)
    assert nums.tolist() == ["00", "99", "99", "98", "00", "01"]


def test_infer_clusters_from_names() -> None:
    names = pd.Series(["Koninklijke Visio Onderwijs Huizen", "Kentalis Guyotschool",
                       "Auris De Taalkring", "ZML De Bodde", "Mytylschool Gabriel",
                       "PI-school De Pionier", "SO4 De Windroos", "De Wingerd",
                       "Zeer Moeilijk Opvoedbare Kinderen School De Buitenhof"])
    clusters, matched = schools_nl.infer_clusters(names)
    assert clusters.tolist() == ["1", "2", "2", "3", "3", "4", "4", "3;4", "4"]
    assert matched.tolist() == [True] * 7 + [False, True]


def test_round_to_total_keeps_total() -> None:
    out = schools_nl.round_to_total(np.array([0.4, 0.4, 0.4, 1.8]), 3)
    assert out.sum() == 3 and (out >= 0).all()
    assert out[3] == 2


def test_allocate_pupils_conserves_and_prefers_near_and_big() -> None:
    origin_xy = np.array([[0.0, 0.0], [10.0, 0.0]])
    school_xy = np.array([[0.5, 0.0], [9.5, 0.0], [10.5, 0.0]])
    pupils = schools_nl.allocate_pupils(origin_xy, np.array([100.0, 50.0]), school_xy,
                                        np.array([1.0, 1.0, 3.0]), np.array([0, 1, -1]),
                                        beta_km=2.0, k=3)
    assert pupils.sum() == pytest.approx(150.0)
    assert pupils[0] > 99  # the only nearby school of origin 0 gets nearly all its pupils
    only_east = schools_nl.allocate_pupils(origin_xy, np.array([0.0, 50.0]), school_xy,
                                           np.array([1.0, 1.0, 3.0]), np.array([0, 1, -1]),
                                           beta_km=2.0, k=3)
    assert only_east[2] == pytest.approx(3 * only_east[1])  # same distance, 3x the size


def test_decode_topojson_square() -> None:
    topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
            "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
            "objects": {"r": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"statcode": "JZ01"}}]}}}
    [(props, geom)] = geo.decode_topojson(topo, "r")
    assert props["statcode"] == "JZ01"
    assert geom.area == pytest.approx(1.0)
    assert geom.contains(Point(0.5, 0.5))


def test_missing_data_dir_and_file_are_input_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="niet gevonden"):
        import_nl(tmp_path / "bestaat-niet")
    with pytest.raises(InputError) as err:
        import_nl(tmp_path)
    assert err.value.problems[0].file == geo.GEMEENTEN_GEOJSON


# --- the real Netherlands ---------------------------------------------------------------


def test_counts(bundle: TableBundle) -> None:
    t = bundle.tables
    assert len(t["gemeenten"]) == 342
    assert len(t["jeugdregios"]) == 42
    assert set(t["gemeenten"]["jeugdregio"]) == set(t["jeugdregios"]["jeugdregio"])
    assert (t["swv"]["sector"] == "PO").sum() == 76
    assert (t["swv"]["sector"] == "VO").sum() == 74
    assert t["indeling"]["swv_po"].nunique() == 76
    assert t["indeling"]["swv_vo"].nunique() == 74
    assert t["gemeenten"]["provincie"].nunique() == 12
    assert set(bundle.geometry) == set(t["gemeenten"]["gemeente"])


def test_tables_have_spec_columns(bundle: TableBundle) -> None:
    for name, df in bundle.tables.items():
        assert list(df.columns) == TABLES[name].names, name
    assert {"stromen", "gemeente_buren", "pc4_buren"}.isdisjoint(bundle.tables)


def test_pupil_totals_match_cbs(bundle: TableBundle) -> None:
    sch = bundle.tables["scholen"].groupby("soort")["leerlingen"].sum()
    home = bundle.tables["leerlingen_woongemeente"].groupby("soort")["leerlingen"].sum()
    for soort, cbs in CBS_2023.items():
        assert sch[soort] == pytest.approx(cbs, rel=0.02), soort
        assert home[soort] == pytest.approx(cbs, rel=0.02), soort
    assert sch["VO"] + sch["PRO"] == pytest.approx(CBS_VO_TOTAL, rel=0.02)
    assert home["VO"] + home["PRO"] == pytest.approx(CBS_VO_TOTAL, rel=0.02)
    assert home["PRO"] / (home["VO"] + home["PRO"]) == pytest.approx(PRO_SHARE_OF_VO, abs=0.001)


def test_every_pc4_in_exactly_one_swv_per_sector(bundle: TableBundle) -> None:
    pc4 = bundle.tables["pc4"]
    ind = bundle.tables["indeling"]
    assert ind["pc4"].is_unique
    assert set(ind["pc4"]) == set(pc4["pc4"])
    assert ind[["swv_po", "swv_vo"]].notna().all().all()
    swv = bundle.tables["swv"].set_index("swv")["sector"]
    assert (ind["swv_po"].map(swv) == "PO").all()
    assert (ind["swv_vo"].map(swv) == "VO").all()


def test_amsterdam(bundle: TableBundle) -> None:
    gm = bundle.tables["gemeenten"].set_index("gemeente")
    assert gm.loc["GM0363", "naam"] == "Amsterdam"
    assert gm.loc["GM0363", "jeugdregio"] == "JZ13"
    assert gm.loc["GM0363", "provincie"] == "Noord-Holland"
    assert bundle.geometry["GM0363"].contains(Point(4.8932, 52.3731))  # the Dam
    ind = bundle.tables["indeling"].merge(bundle.tables["pc4"], on="pc4")
    ams = ind[ind["gemeente"] == "GM0363"]
    assert ams.groupby("swv_po")["kinderen_po"].sum().idxmax() == "PO 27-07"
    assert ams.groupby("swv_vo")["kinderen_vo"].sum().idxmax() == "VO 27-08"
    assert (ind.loc[ind["pc4"] == "1012", "swv_po"] == "PO 27-07").all()


def test_gap_rules_are_documented(bundle: TableBundle) -> None:
    text = " ".join(bundle.notes)
    for phrase in ("Europoort", "niet in te delen", "3,2 %", "8/15", "Huff-model",
                   "Scholen op de Kaart", "'3;4'", "Bestuur <nummer>", "SWV-namen"):
        assert phrase in text, phrase
    for name in bundle.tables:
        prov = bundle.provenance[name]
        assert prov["status"] in ("observed", "modelled", "mixed")
        assert prov["notes"], name
    for name in ("pc4", "scholen", "indeling", "leerlingen_woongemeente"):
        assert bundle.provenance[name]["status"] == "mixed"


def test_pc4_table(bundle: TableBundle, real_data_dir) -> None:
    pc4 = bundle.tables["pc4"]
    assert len(pc4) == 4072 and pc4["pc4"].is_unique
    assert pc4["lat"].between(50.7, 53.6).all() and pc4["lon"].between(3.3, 7.25).all()
    for col in ("aandeel_eenouder", "aandeel_uitkering"):
        v = pc4[col].dropna()
        assert v.between(0, 1).all() and 0 < len(v) < len(pc4)  # blanks stay null
    # rescaled children add up to CBS pupils by home gemeente
    lw = bundle.tables["leerlingen_woongemeente"].pivot(index="gemeente", columns="soort",
                                                         values="leerlingen")
    po = pc4.groupby("gemeente")["kinderen_po"].sum()
    assert np.allclose(po, lw[["BAO", "SBO", "SO"]].sum(axis=1).reindex(po.index))
    # the spatial gemeente of a PC4 agrees with the independent crosswalk
    cw = pd.read_csv(real_data_dir / "pc4" / "pc4_crosswalk_derived.csv", dtype=str)
    ref = pc4["pc4"].map(cw.set_index("pc4")["gemeentecode_2024_spatial"])
    assert (ref[ref.notna()] == pc4.loc[ref.notna(), "gemeente"]).mean() > 0.99
    # new postcodes without a geonames centroid follow their neighbours (5156: Heusden)
    assert pc4.set_index("pc4").loc["5156", "gemeente"] == "GM0797"


def test_jeugdregio_overlap_agrees_with_derived_table(bundle: TableBundle, real_data_dir) -> None:
    ref = pd.read_csv(real_data_dir / "jeugdregio_2025" / "gemeente_jeugdregio_2025_derived.csv",
                      dtype=str).set_index("gemeentecode")["jeugdregio_code"]
    gm = bundle.tables["gemeenten"].set_index("gemeente")["jeugdregio"]
    assert (gm == ref.reindex(gm.index)).mean() > 0.99


def test_schools(bundle: TableBundle) -> None:
    sch = bundle.tables["scholen"]
    assert not sch.duplicated(["vestiging", "soort"]).any()
    assert sch["leerlingen_gemodelleerd"].all()
    assert sch["leerlingen"].between(0, 20000).all()
    assert set(sch["soort"]) == {"BAO", "SBO", "SO", "VSO", "VO", "PRO"}
    assert sch["clusters"].notna().eq(sch["soort"].isin(["SO", "VSO"])).all()
    # a combined SO/VSO location has one row per type
    so = set(sch.loc[sch["soort"] == "SO", "vestiging"])
    assert set(sch.loc[sch["soort"] == "VSO", "vestiging"]) <= so
    # a VO location with PrO has a PRO row (and a VO row unless it is PrO only)
    both = sch.groupby("vestiging")["soort"].agg(set)
    assert (both == {"VO", "PRO"}).sum() > 20
    visio = sch[sch["naam"].str.contains("Visio")]
    assert (visio["clusters"] == "1").all() and len(visio) > 0
    assert set(sch["pc4"]) <= set(bundle.tables["pc4"]["pc4"])
    assert set(sch["bestuur"]) == set(bundle.tables["besturen"]["bestuur"])
    assert bundle.tables["besturen"]["naam"].str.startswith("Bestuur ").all()


def test_build_atlas_validates(atlas) -> None:
    s = atlas.summary()
    assert s["aantallen"]["gemeenten"] == 342
    assert s["aantallen"]["swv_po"] == 76 and s["aantallen"]["swv_vo"] == 74
    assert s["aantallen"]["jeugdregios"] == 42
    assert atlas.meta.status("stromen") == "modelled"
    assert atlas.meta.status("scholen") == "mixed"
    assert atlas.geometry is not None and len(atlas.geometry) == 342
    flows = atlas.stromen.groupby("soort")["leerlingen"].sum()
    assert flows["BAO"] == pytest.approx(CBS_2023["BAO"], rel=0.02)


def test_exported_real_atlas_builds_again(atlas, tmp_path) -> None:
    """Every gemeente is a (Multi)Polygon (a geometry repair can leave lines or points in a
    GeometryCollection, which the folder format refuses), so an exported real atlas reads
    back through ``atlas build --from`` with the same gemeenten."""
    from nabij.atlas import build_atlas
    from nabij.sources.folder import read_folder

    assert {g.geom_type for g in atlas.geometry.values()} <= {"Polygon", "MultiPolygon"}
    from nabij.sources.folder import write_folder

    folder = tmp_path / "uit"
    write_folder(dict(atlas.tables), folder, geometry=atlas.geometry, meta=atlas.meta.to_dict())
    again = build_atlas(read_folder(folder))
    assert list(again.gemeenten["gemeente"]) == list(atlas.gemeenten["gemeente"])
    assert len(again.geometry) == 342
