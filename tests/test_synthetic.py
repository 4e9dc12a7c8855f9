"""The synthetic country: deterministic, calibrated to the national figures, schema-valid."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.atlas import build_atlas
from nabij.atlas.adjacency import gemeente_adjacency
from nabij.errors import InputError
from nabij.sources.synthetic import synthetic_country
from nabij.tables import NL_LAT, NL_LON, SCHOOL_TYPES, TABLES, TableBundle
from nabij.validation import check_integrity, coerce_table

PO_TYPES, VO_TYPES = ["BAO", "SBO", "SO"], ["VO", "PRO", "VSO"]


@pytest.fixture(scope="module")
def nl() -> TableBundle:
    """The default synthetic country at scale 1."""
    return synthetic_country(2024, 1.0)


@pytest.fixture(scope="module")
def small() -> TableBundle:
    return synthetic_country(7, 0.2)


def schema_problems(bundle: TableBundle) -> list:
    typed, problems = {}, []
    for name, df in bundle.tables.items():
        typed[name], p = coerce_table(TABLES[name], df)
        problems += p
    return problems + check_integrity(typed)


def swv_pupils(bundle: TableBundle, sector: str) -> pd.Series:
    """Pupils per SWV counted at the school location (as DUO does)."""
    t = bundle.tables
    types = PO_TYPES if sector == "PO" else VO_TYPES
    col = f"swv_{sector.lower()}"
    sc = t["scholen"][t["scholen"]["soort"].isin(types)].merge(t["indeling"], on="pc4")
    return sc.groupby(col)["leerlingen"].sum()


def island_gemeenten(bundle: TableBundle, gap_deg: float = 1e-3) -> list[str]:
    """Gemeenten whose polygon is further than ``gap_deg`` from every other polygon."""
    codes = list(bundle.geometry)
    geoms = np.array([bundle.geometry[c] for c in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="dwithin", distance=gap_deg)
    near = np.bincount(a[a != b], minlength=len(codes))
    return [c for c, k in zip(codes, near, strict=True) if k == 0]


# -- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_tables_and_polygons(small: TableBundle) -> None:
    again = synthetic_country(7, 0.2)
    assert again.tables.keys() == small.tables.keys()
    for name, df in small.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], df)
    assert again.geometry.keys() == small.geometry.keys()
    assert all(shapely.to_wkb(again.geometry[c]) == shapely.to_wkb(g)
               for c, g in small.geometry.items())
    assert again.notes == small.notes and again.provenance == small.provenance


def test_other_seed_gives_another_country(small: TableBundle) -> None:
    other = synthetic_country(8, 0.2)
    assert len(other.tables["pc4"]) == len(small.tables["pc4"])
    assert not other.tables["pc4"]["lat"].equals(small.tables["pc4"]["lat"])
    assert set(other.tables["gemeenten"]["naam"]) != set(small.tables["gemeenten"]["naam"])


def test_scale_out_of_range_is_refused() -> None:
    with pytest.raises(InputError, match="schaal"):
        synthetic_country(1, 0.0)


# -- counts and totals at scale 1 ---------------------------------------------------------------


def test_every_value_meets_the_schema(nl: TableBundle) -> None:
    assert schema_problems(nl) == []
    assert "stromen" not in nl.tables and "gemeente_buren" not in nl.tables


def test_regions_counts(nl: TableBundle) -> None:
    t = nl.tables
    assert len(t["gemeenten"]) == 342
    assert t["gemeenten"]["provincie"].nunique() == 12
    assert len(t["pc4"]) == 4000 and t["pc4"]["pc4"].is_unique
    assert t["pc4"]["pc4"].astype(int).between(1000, 9999).all()
    jz = sorted(t["jeugdregios"]["jeugdregio"])
    assert jz == [f"JZ{i:02d}" for i in range(1, 44) if i != 40]
    assert set(t["gemeenten"]["jeugdregio"]) == set(jz)  # none empty
    sectors = t["swv"]["sector"].value_counts()
    assert sectors["PO"] == 76 and sectors["VO"] == 74
    assert set(t["indeling"]["swv_po"]) | set(t["indeling"]["swv_vo"]) == set(t["swv"]["swv"])
    assert t["swv"]["swv"].str.fullmatch(r"(PO|VO) (2\d|3[01])-\d{2}").all()
    # big cities and countryside: PC4 areas per gemeente and urbanity vary a lot
    per_gem = t["pc4"].groupby("gemeente").size()
    assert per_gem.max() >= 50 and per_gem.min() <= 2
    assert set(t["pc4"]["stedelijkheid"]) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert 17.0e6 < t["gemeenten"]["inwoners"].sum() < 18.8e6


def test_school_and_board_counts(nl: TableBundle) -> None:
    sc = nl.tables["scholen"]
    counts = sc["soort"].value_counts()
    for t, want in {"BAO": 6200, "SBO": 270, "SO": 300, "VSO": 300, "VO": 1450,
                    "PRO": 180}.items():
        assert abs(counts[t] - want) <= 0.03 * want, t
    # combined SO/VSO locations: one vestiging, two rows
    special = sc[sc["soort"].isin(["SO", "VSO"])]
    both = special.groupby("vestiging")["soort"].nunique()
    assert (both == 2).sum() >= 100
    assert sc["vestiging"].str.fullmatch(r"[0-9A-Z]{4}\d{2}").all()
    assert (sc["vestiging"].str[:4] == sc["brin"]).all()
    clusters = special.drop_duplicates("vestiging")["clusters"]
    assert clusters.isin(["3", "4", "3;4"]).mean() > 0.8
    assert 1 <= (clusters == "1").sum() <= 8 and 10 <= (clusters == "2").sum() <= 60
    assert sc.loc[~sc["soort"].isin(["SO", "VSO"]), "clusters"].isna().all()
    sectors = nl.tables["besturen"]["sectoren"].value_counts()
    assert sectors["PO"] == 850 and sectors["VO"] == 280 and sectors["SO"] == 86
    boards = nl.tables["besturen"].set_index("bestuur")["sectoren"]
    kind = sc["bestuur"].map(boards)
    assert (kind[sc["soort"].isin(["BAO", "SBO"])] == "PO").all()
    assert (kind[sc["soort"].isin(["VO", "PRO"])] == "VO").all()
    assert (kind[sc["soort"].isin(["SO", "VSO"])] == "SO").all()


def test_pupil_totals_and_participation(nl: TableBundle) -> None:
    by_type = nl.tables["scholen"].groupby("soort")["leerlingen"].sum()
    po, vo = by_type[PO_TYPES].sum(), by_type[VO_TYPES].sum()
    assert po == pytest.approx(1_436_000, rel=0.02)
    assert vo == pytest.approx(975_000, rel=0.02)
    assert by_type["SBO"] / po == pytest.approx(0.024, abs=0.002)
    assert by_type["SO"] / po == pytest.approx(0.024, abs=0.002)
    assert by_type["VSO"] / vo == pytest.approx(0.040, abs=0.003)
    assert by_type["PRO"] / (vo - by_type["VSO"]) == pytest.approx(0.031, abs=0.003)
    # pupils by home gemeente add up to exactly the same national totals per type
    woon = nl.tables["leerlingen_woongemeente"].groupby("soort")["leerlingen"].sum()
    pd.testing.assert_series_equal(woon.sort_index(), by_type.sort_index(), check_names=False)
    assert set(nl.tables["leerlingen_woongemeente"]["gemeente"]) == set(
        nl.tables["gemeenten"]["gemeente"])


def test_small_swvs_long_tail(nl: TableBundle) -> None:
    """About 10 PO and 25 VO SWVs have fewer than 10,000 pupils (at the school location).

    FIGURES.md estimates 11 and 29 from 2016 region populations (a crude proxy); across seeds
    the generator gives 7-13 PO and 21-29 VO, so the bounds allow that spread plus margin.
    """
    po, vo = swv_pupils(nl, "PO"), swv_pupils(nl, "VO")
    assert 4 <= (po < 10_000).sum() <= 16
    assert 17 <= (vo < 10_000).sum() <= 33
    assert po.max() > 2.5 * po.median() and vo.max() > 2.5 * vo.median()  # long tail
    assert po.min() > 2_000 and vo.min() > 1_000


def test_participation_depends_partly_on_context(nl: TableBundle) -> None:
    """SBO+SO participation per PO SWV (by home gemeente) rises with benefit dependency, but
    context does not explain everything (an SWV effect and noise remain)."""
    t = nl.tables
    woon = t["leerlingen_woongemeente"].pivot(index="gemeente", columns="soort",
                                              values="leerlingen")
    pc = t["pc4"].merge(t["indeling"], on="pc4")
    swv_of = pc.groupby("gemeente")["swv_po"].agg(lambda s: s.mode().iloc[0])
    pc["u"] = pc["aandeel_uitkering"] * pc["inwoners"]
    ctx = pc.groupby("swv_po")["u"].sum() / pc.groupby("swv_po")["inwoners"].sum()
    per_swv = woon.groupby(swv_of).sum()
    rate = (per_swv["SBO"] + per_swv["SO"]) / per_swv[PO_TYPES].sum(axis=1)
    r = np.corrcoef(rate, ctx.reindex(rate.index))[0, 1]
    assert 0.3 < r < 0.95
    assert rate.max() / rate.min() > 1.8


# -- structure ---------------------------------------------------------------------------------


def test_jeugdregios_not_congruent_with_swvs(nl: TableBundle) -> None:
    t = nl.tables
    ind = t["indeling"].merge(t["pc4"][["pc4", "gemeente"]], on="pc4")
    swv = ind.groupby("gemeente")["swv_po"].first()
    jz = t["gemeenten"].set_index("gemeente")["jeugdregio"]
    spans = swv.groupby(jz.reindex(swv.index)).nunique()
    assert (spans > 1).sum() >= len(spans) // 2
    assert (jz.groupby(swv).nunique() > 1).sum() >= 20


def test_split_gemeenten(nl: TableBundle) -> None:
    t = nl.tables
    ind = t["indeling"].merge(t["pc4"][["pc4", "gemeente"]], on="pc4")
    for col in ("swv_po", "swv_vo"):
        n_swv = ind.groupby("gemeente")[col].nunique()
        assert 1 <= (n_swv > 1).sum() <= 6
        assert n_swv.max() == 2


def test_islands_are_separate_from_the_mainland(nl: TableBundle) -> None:
    islands = island_gemeenten(nl)
    assert 4 <= len(islands) <= 5
    gem = nl.tables["gemeenten"].set_index("gemeente")
    assert (gem.loc[islands, "lat"] > 53.0).all()
    assert (gem.loc[islands, "inwoners"] < 20_000 * 1.0).all()
    mainland = [c for c in nl.geometry if c not in islands]
    assert all(nl.geometry[c].geom_type == "Polygon" for c in mainland)
    land = shapely.union_all([nl.geometry[c] for c in mainland])
    assert land.geom_type == "Polygon"  # mainland gemeenten touch their neighbours


def test_polygons_match_the_tables(nl: TableBundle) -> None:
    gem = nl.tables["gemeenten"]
    assert set(nl.geometry) == set(gem["gemeente"])
    geoms = np.array([nl.geometry[c] for c in gem["gemeente"]], dtype=object)
    assert shapely.is_valid(geoms).all()
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    assert NL_LON[0] <= x0 and x1 <= NL_LON[1] and NL_LAT[0] <= y0 and y1 <= NL_LAT[1]
    # a PC4 centroid lies inside (or on the edge of) its own gemeente
    pc = nl.tables["pc4"]
    poly = np.array([nl.geometry[g] for g in pc["gemeente"]], dtype=object)
    inside = shapely.dwithin(poly, shapely.points(pc["lon"], pc["lat"]), 1e-4)
    assert inside.all()


def test_provenance_sources_and_notes(nl: TableBundle) -> None:
    assert set(nl.tables) == {"gemeenten", "jeugdregios", "pc4", "besturen", "scholen", "swv",
                              "indeling", "leerlingen_woongemeente"}
    for name in nl.tables:
        assert nl.provenance[name]["status"] == "modelled"
        assert nl.provenance[name]["source"] == "synthetisch land (nabij), seed 2024, schaal 1"
    assert nl.sources and nl.notes and "Synthetisch" in nl.notes[0]


def test_large_scale_gives_sub_areas_beyond_9000_pc4() -> None:
    """Four digits allow 9,000 postcodes: beyond that, sub-areas get a letter (1011A, 1011B)."""
    b = synthetic_country(3, 2.4)
    pc4 = b.tables["pc4"]["pc4"]
    assert len(pc4) == round(4000 * 2.4) and pc4.is_unique
    assert pc4.str.fullmatch(r"[1-9]\d{3}[A-Z]").all()
    assert len(b.tables["gemeenten"]) == round(342 * 2.4)
    assert (b.tables["swv"]["sector"] == "PO").sum() == round(76 * 2.4)
    assert schema_problems(b) == []
    assert any("lettertoevoeging" in n for n in b.notes)


# -- invariants over seeds and small scales -------------------------------------------------------


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), scale=st.sampled_from([0.1, 0.15, 0.2, 0.3]))
def test_invariants(seed: int, scale: float) -> None:
    b = synthetic_country(seed, scale)
    t = b.tables
    assert schema_problems(b) == []
    assert len(t["gemeenten"]) == round(342 * scale)
    assert len(t["pc4"]) == round(4000 * scale)
    # every PC4 in exactly one SWV per sector
    assert t["indeling"]["pc4"].is_unique
    assert set(t["indeling"]["pc4"]) == set(t["pc4"]["pc4"])
    # national totals per type equal in both pupil tables
    a = t["scholen"].groupby("soort")["leerlingen"].sum()
    w = t["leerlingen_woongemeente"].groupby("soort")["leerlingen"].sum()
    assert a.reindex(list(SCHOOL_TYPES)).tolist() == w.reindex(list(SCHOOL_TYPES)).tolist()
    # SWVs and jeugdregio's are contiguous groups of gemeenten (islands via the ferry)
    gem = t["gemeenten"]
    buren = gemeente_adjacency(gem, b.geometry, t["pc4"])
    graph = nx.Graph(list(zip(buren["gemeente_a"], buren["gemeente_b"], strict=True)))
    graph.add_nodes_from(gem["gemeente"])
    assert nx.is_connected(graph)
    ind = t["indeling"].merge(t["pc4"][["pc4", "gemeente"]], on="pc4")
    for col in ("swv_po", "swv_vo"):
        for _, grp in ind.groupby(col):
            assert nx.is_connected(graph.subgraph(grp["gemeente"].unique()))
    for _, grp in gem.groupby("jeugdregio"):
        assert nx.is_connected(graph.subgraph(grp["gemeente"]))
    assert len(island_gemeenten(b)) >= 1
    assert (buren["soort"] == "veer").sum() == len(island_gemeenten(b))


def test_build_atlas_from_synthetic_country(small: TableBundle) -> None:
    atlas = build_atlas(small)
    s = atlas.summary()
    assert s["aantallen"]["gemeenten"] == round(342 * 0.2)
    assert s["aantallen"]["swv_po"] == round(76 * 0.2)
    assert s["deelname"]["SBO"] == pytest.approx(0.024, abs=0.003)
    assert s["gesplitste_gemeenten"]["PO"] >= 1
    assert atlas.meta.status("stromen") == "modelled"
    assert atlas.meta.status("pc4") == "modelled"
    # every SWV is one piece in the atlas's own PC4 graph
    graph = nx.Graph(list(zip(atlas.pc4_buren["pc4_a"], atlas.pc4_buren["pc4_b"], strict=True)))
    for col in ("swv_po", "swv_vo"):
        for _, grp in atlas.indeling.groupby(col):
            assert nx.is_connected(graph.subgraph(grp["pc4"]))
    # modelled flows reproduce the pupils per school type
    flows = atlas.stromen.groupby("soort")["leerlingen"].sum()
    schools = atlas.scholen.groupby("soort")["leerlingen"].sum()
    for t in SCHOOL_TYPES:
        assert flows[t] == pytest.approx(schools[t], rel=0.01)
