"""Adjacency of gemeenten and PC4 areas (nabij.atlas.adjacency)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import box, shape

from nabij.atlas.adjacency import gemeente_adjacency, pc4_adjacency

STEP = 0.1  # degrees; squares of the hand-made grid


def grid(n: int = 3, gap: float = 0.0):
    """n x n squares GM0101.. (row-major from the south-west), touching unless gap > 0."""
    rows, geom = [], {}
    for r in range(n):
        for c in range(n):
            code = f"GM{(r + 1) * 100 + c + 1:04d}"
            x0, y0 = 5.0 + c * STEP, 52.0 + r * STEP
            geom[code] = box(x0 + gap, y0 + gap, x0 + STEP - gap, y0 + STEP - gap)
            rows.append((code, y0 + STEP / 2, x0 + STEP / 2))
    return pd.DataFrame(rows, columns=["gemeente", "lat", "lon"]), geom


def edge_set(df: pd.DataFrame, a="gemeente_a", b="gemeente_b") -> set[tuple[str, str]]:
    return set(zip(df[a], df[b], strict=True))


def n_components(nodes, edges) -> int:
    idx = {v: i for i, v in enumerate(nodes)}
    a = [idx[x] for x, _ in edges]
    b = [idx[y] for _, y in edges]
    m = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(idx), len(idx)))
    return connected_components(m, directed=False)[0]


def check_table(df: pd.DataFrame, a: str, b: str) -> None:
    assert (df[a] < df[b]).all()
    assert not df.duplicated([a, b]).any()


# --- gemeenten ---------------------------------------------------------------------------------

def test_grid_rook_and_corner_touches_are_borders():
    gem, geom = grid(3)
    out = gemeente_adjacency(gem, geom)
    check_table(out, "gemeente_a", "gemeente_b")
    assert set(out["soort"]) == {"grens"}
    edges = edge_set(out)
    assert len(edges) == 12 + 8  # 12 shared sides + 8 corner touches (queen contiguity)
    assert ("GM0101", "GM0102") in edges and ("GM0101", "GM0201") in edges  # sides
    assert ("GM0101", "GM0202") in edges and ("GM0102", "GM0201") in edges  # corners
    assert ("GM0101", "GM0103") not in edges and ("GM0101", "GM0303") not in edges
    deg = pd.concat([out["gemeente_a"], out["gemeente_b"]]).value_counts()
    assert deg["GM0202"] == 8 and deg["GM0101"] == 3 and deg["GM0102"] == 5


def test_tolerance_bridges_simplification_slivers_only():
    gem, geom = grid(2, gap=2e-5)  # 4e-5 degree slivers between neighbours
    assert len(gemeente_adjacency(gem, geom)) == 6
    gem, geom = grid(2, gap=5e-3)  # ~1 km apart: no border, but the graph is connected
    out = gemeente_adjacency(gem, geom)
    assert len(out) == 3 and set(out["soort"]) == {"veer"}


def test_island_linked_by_ferry_to_nearest_mainland_gemeente():
    gem, geom = grid(3)
    # two islands north of the grid: closer to each other than to the mainland
    geom["GM0901"] = box(5.02, 52.45, 5.08, 52.50)
    geom["GM0902"] = box(5.12, 52.47, 5.18, 52.52)
    gem = pd.concat([gem, pd.DataFrame({"gemeente": ["GM0901", "GM0902"],
                                        "lat": [52.475, 52.495], "lon": [5.05, 5.15]})])
    out = gemeente_adjacency(gem, geom)
    veer = edge_set(out[out["soort"] == "veer"])
    # each links to the mainland (top row 52.2-52.3), not to the other island
    assert veer == {("GM0301", "GM0901"), ("GM0302", "GM0902")}
    assert n_components(gem["gemeente"], edge_set(out)) == 1


def test_gemeente_without_polygon_is_linked_as_nabij():
    gem, geom = grid(2)
    gem = pd.concat([gem, pd.DataFrame({"gemeente": ["GM0777"], "lat": [52.05], "lon": [5.35]})])
    out = gemeente_adjacency(gem, geom)
    row = out[(out["gemeente_a"] == "GM0777") | (out["gemeente_b"] == "GM0777")]
    assert len(row) == 1 and row["soort"].iloc[0] == "nabij"
    assert set(row[["gemeente_a", "gemeente_b"]].iloc[0]) == {"GM0777", "GM0102"}


def pc4_grid(gem: pd.DataFrame, per_side: int = 4) -> pd.DataFrame:
    """per_side x per_side PC4 centroids inside each grid square."""
    rows, k = [], 1000
    for g, lat, lon in gem[["gemeente", "lat", "lon"]].itertuples(index=False):
        offs = (np.arange(per_side) + 0.5) / per_side * STEP - STEP / 2
        for dy in offs:
            for dx in offs:
                k += 1
                rows.append((str(k), g, lat + dy, lon + dx))
    return pd.DataFrame(rows, columns=["pc4", "gemeente", "lat", "lon"])


def test_fallback_from_pc4_centroids():
    gem, geom = grid(3)
    pc4 = pc4_grid(gem)
    out = gemeente_adjacency(gem, None, pc4)
    assert set(out["soort"]) == {"nabij"}
    polygon_edges = edge_set(gemeente_adjacency(gem, geom))
    edges = edge_set(out)
    rook = {e for e in polygon_edges if e not in {("GM0101", "GM0202"), ("GM0102", "GM0201"),
                                                  ("GM0102", "GM0203"), ("GM0103", "GM0202"),
                                                  ("GM0201", "GM0302"), ("GM0202", "GM0301"),
                                                  ("GM0202", "GM0303"), ("GM0203", "GM0302")}}
    assert rook <= edges <= polygon_edges
    assert ("GM0101", "GM0103") not in edges


def test_fallback_from_gemeente_centroids_handles_collinear_points():
    gem = pd.DataFrame({"gemeente": ["GM0001", "GM0002", "GM0003"], "lat": [52.0] * 3,
                        "lon": [5.0, 5.1, 5.2]})
    out = gemeente_adjacency(gem, None)
    assert edge_set(out) == {("GM0001", "GM0002"), ("GM0002", "GM0003")}
    far = pd.DataFrame({"gemeente": ["GM0001", "GM0002", "GM0003", "GM0004"],
                        "lat": [52.0, 52.0, 52.1, 53.5], "lon": [5.0, 5.1, 5.05, 5.05]})
    out = gemeente_adjacency(far, None)  # GM0004 is 160 km away: beyond the cap, then linked
    assert n_components(far["gemeente"], edge_set(out)) == 1
    assert len(out[(out["gemeente_b"] == "GM0004")]) == 1


# --- PC4 ---------------------------------------------------------------------------------------

def test_pc4_graph_respects_gemeente_adjacency():
    gem, geom = grid(3)
    buren = gemeente_adjacency(gem, geom)
    pc4 = pc4_grid(gem)
    out = pc4_adjacency(pc4, buren)
    check_table(out, "pc4_a", "pc4_b")
    g = dict(zip(pc4["pc4"], pc4["gemeente"], strict=True))
    allowed = edge_set(buren)
    for a, b in edge_set(out, "pc4_a", "pc4_b"):
        ga, gb = sorted((g[a], g[b]))
        assert ga == gb or (ga, gb) in allowed
    assert n_components(pc4["pc4"], edge_set(out, "pc4_a", "pc4_b")) == 1
    # remove the corner links from the gemeente graph: no PC4 edge may use them any more
    def cell(code: str) -> tuple[int, int]:
        return int(code[2:4]), int(code[4:6])

    side = [abs(cell(a)[0] - cell(b)[0]) + abs(cell(a)[1] - cell(b)[1]) == 1
            for a, b in zip(buren["gemeente_a"], buren["gemeente_b"], strict=True)]
    rook = buren[side]
    assert len(rook) == 12
    out = pc4_adjacency(pc4, rook)
    for a, b in edge_set(out, "pc4_a", "pc4_b"):
        ga, gb = sorted((g[a], g[b]))
        assert ga == gb or (ga, gb) in edge_set(rook)


def test_split_gemeente_is_joined_and_long_cross_edges_dropped():
    # GM0001 has PC4s on both sides of GM0002's single PC4 (on a slightly bent line)
    pc4 = pd.DataFrame({
        "pc4": ["1001", "1002", "2001", "1003", "1004"],
        "gemeente": ["GM0001", "GM0001", "GM0002", "GM0001", "GM0001"],
        "lat": [52.0, 52.001, 52.0, 52.001, 52.0],
        "lon": [5.00, 5.02, 5.04, 5.06, 5.08],
    })
    buren = pd.DataFrame({"gemeente_a": ["GM0001"], "gemeente_b": ["GM0002"],
                          "soort": ["grens"]})
    out = pc4_adjacency(pc4, buren)
    inner = {e for e in edge_set(out, "pc4_a", "pc4_b") if "2001" not in e}
    assert n_components(["1001", "1002", "1003", "1004"], inner) == 1
    assert ("1002", "1003") in inner  # the nearest pair across GM0002's PC4
    # cross-gemeente edges longer than the cap are dropped, but one link keeps it connected
    short = pc4_adjacency(pc4, buren, max_cross_km=0.5)
    cross = [e for e in edge_set(short, "pc4_a", "pc4_b") if "2001" in e]
    assert len(cross) == 1


def test_island_pc4s_cross_the_ferry_link():
    # island GM0009 (PC4 9001) is linked by ferry to GM0001; GM0002 is nearer but no neighbour
    pc4 = pd.DataFrame({
        "pc4": ["1001", "1002", "2001", "2002", "9001"],
        "gemeente": ["GM0001", "GM0001", "GM0002", "GM0002", "GM0009"],
        "lat": [52.00, 52.00, 52.00, 52.00, 52.20],
        "lon": [5.30, 5.35, 5.00, 5.05, 5.05],
    })
    buren = pd.DataFrame({"gemeente_a": ["GM0001", "GM0001"], "gemeente_b": ["GM0002", "GM0009"],
                          "soort": ["grens", "veer"]})
    out = pc4_adjacency(pc4, buren, max_cross_km=5)
    island = [e for e in edge_set(out, "pc4_a", "pc4_b") if "9001" in e]
    assert island == [("1001", "9001")]
    assert n_components(pc4["pc4"], edge_set(out, "pc4_a", "pc4_b")) == 1


def test_small_inputs():
    one = pd.DataFrame({"pc4": ["1001"], "gemeente": ["GM0001"], "lat": [52.0], "lon": [5.0]})
    assert pc4_adjacency(one, pd.DataFrame(columns=["gemeente_a", "gemeente_b", "soort"])).empty
    two = pd.concat([one, one.assign(pc4="2001", gemeente="GM0002", lon=5.1)])
    out = pc4_adjacency(two, pd.DataFrame(columns=["gemeente_a", "gemeente_b", "soort"]))
    assert edge_set(out, "pc4_a", "pc4_b") == {("1001", "2001")}
    gem = pd.DataFrame({"gemeente": ["GM0001"], "lat": [52.0], "lon": [5.0]})
    assert gemeente_adjacency(gem, None).empty


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 60), st.integers(1, 6))
def test_property_pc4_graph_connected_per_gemeente_and_overall(seed, n, n_gem):
    rng = np.random.default_rng(seed)
    pc4 = pd.DataFrame({
        "pc4": [str(1000 + i) for i in range(n)],
        "gemeente": [f"GM{g:04d}" for g in rng.integers(1, n_gem + 1, n)],
        "lat": 52.0 + rng.uniform(0, 0.5, n).round(3),  # duplicates possible
        "lon": 5.0 + rng.uniform(0, 0.5, n).round(3),
    })
    gem = pc4.groupby("gemeente")[["lat", "lon"]].mean().reset_index()
    buren = gemeente_adjacency(gem, None, pc4)
    check_table(buren, "gemeente_a", "gemeente_b")
    assert n_components(gem["gemeente"], edge_set(buren)) == 1
    out = pc4_adjacency(pc4, buren)
    check_table(out, "pc4_a", "pc4_b")
    edges = edge_set(out, "pc4_a", "pc4_b")
    assert n_components(pc4["pc4"], edges) == 1
    for _, grp in pc4.groupby("gemeente"):
        members = set(grp["pc4"])
        inner = {e for e in edges if e[0] in members and e[1] in members}
        assert n_components(sorted(members), inner) == 1


# --- real data ---------------------------------------------------------------------------------

ISLANDS = {  # island -> mainland gemeente with its ferry harbour
    "GM0448": "GM0400",  # Texel -> Den Helder
    "GM0096": "GM0072",  # Vlieland -> Harlingen
    "GM0093": "GM0072",  # Terschelling -> Harlingen
    "GM0060": "GM1970",  # Ameland -> Noardeast-Fryslân (Holwerd)
    "GM0088": "GM1970",  # Schiermonnikoog -> Noardeast-Fryslân (nearest by centroid)
}


@pytest.fixture(scope="module")
def real_gemeenten(real_data_dir):
    geo = json.loads((real_data_dir / "gemeenten_geo" / "gemeenten.geojson").read_text())
    geometry = {f["properties"]["gemeenteCode"]: shape(f["geometry"]) for f in geo["features"]}
    c = pd.read_csv(real_data_dir / "gemeenten_geo" / "gemeenten_2024_centroids.csv")
    gem = pd.DataFrame({"gemeente": c["gemeentecode"], "lat": c["centroid_lat"],
                        "lon": c["centroid_lon"]})
    return gem, geometry


@pytest.mark.realdata
def test_real_gemeenten_graph_and_wadden_ferries(real_gemeenten):
    gem, geometry = real_gemeenten
    out = gemeente_adjacency(gem, geometry)
    check_table(out, "gemeente_a", "gemeente_b")
    assert n_components(gem["gemeente"], edge_set(out)) == 1
    deg = pd.concat([out["gemeente_a"], out["gemeente_b"]]).value_counts()
    assert len(deg) == len(gem) == 342
    grens = out[out["soort"] == "grens"]
    deg_grens = pd.concat([grens["gemeente_a"], grens["gemeente_b"]]).value_counts()
    assert set(gem["gemeente"]) - set(deg_grens.index) == set(ISLANDS)  # only islands lack land
    assert 4.5 <= deg.mean() <= 6.5
    veer = edge_set(out[out["soort"] == "veer"])
    for island, harbour in ISLANDS.items():
        assert tuple(sorted((island, harbour))) in veer
    # Zeeuws-Vlaanderen touches no other Dutch gemeente (Westerschelde): one more ferry-type link
    assert len(veer) == len(ISLANDS) + 1


@pytest.mark.realdata
def test_real_pc4_graph_connected_with_islands_on_ferries(real_data_dir, real_gemeenten):
    gem, geometry = real_gemeenten
    buren = gemeente_adjacency(gem, geometry)
    cw = pd.read_csv(real_data_dir / "pc4" / "pc4_crosswalk_derived.csv", dtype={"pc4": str})
    cw = cw.dropna(subset=["lat_geonames", "gemeentecode_2024_spatial"])
    pc4 = pd.DataFrame({"pc4": cw["pc4"], "gemeente": cw["gemeentecode_2024_spatial"],
                        "lat": cw["lat_geonames"], "lon": cw["lon_geonames"]})
    out = pc4_adjacency(pc4, buren)
    check_table(out, "pc4_a", "pc4_b")
    edges = edge_set(out, "pc4_a", "pc4_b")
    assert n_components(pc4["pc4"], edges) == 1
    deg = pd.concat([out["pc4_a"], out["pc4_b"]]).value_counts()
    assert 4.5 <= deg.mean() <= 7.0
    g = dict(zip(pc4["pc4"], pc4["gemeente"], strict=True))
    for island, harbour in ISLANDS.items():
        leaving = {tuple(sorted((g[a], g[b]))) for a, b in edges
                   if (g[a] == island) != (g[b] == island)}
        assert leaving == {tuple(sorted((island, harbour)))}
