"""Adjacency graphs of gemeenten (``gemeente_buren``) and PC4 areas (``pc4_buren``).

Gemeenten
---------
* With polygons (``geometry``: gemeente -> shapely polygon, WGS84): two gemeenten are
  neighbours (soort ``grens``) when their polygons lie within ``tolerance_deg`` (1e-4 degree,
  about 10 m) of each other. Corner touches count (queen contiguity): in the real data these
  are mostly dams and bridges (Houtribdijk Enkhuizen-Lelystad, Zeelandbrug, Haringvlietdam).
  The tolerance absorbs the slivers of independently simplified boundaries.
* Without polygons, from PC4 centroids: a Delaunay triangulation of the PC4 centroids (planar
  km projection); every edge shorter than ``pc4_edge_km`` between PC4 areas of two different
  gemeenten makes those gemeenten neighbours (soort ``nabij``).
* Without polygons and PC4 areas: a Delaunay triangulation of the gemeente centroids, edges
  shorter than ``centroid_edge_km`` (soort ``nabij``).
* Connecting: every connected component other than the largest (the Wadden islands have no
  land border) is linked to the nearest gemeente of the largest component, nearest by
  centroid distance, with one edge of soort ``veer`` (``nabij`` when the component's
  gemeenten have no polygon). On the real 2024 polygons this links Texel to Den Helder,
  Vlieland and Terschelling to Harlingen, Ameland and Schiermonnikoog to Noardeast-Fryslân
  (the real ferry harbours, except Lauwersoog, which lies in neighbouring Het Hogeland), and
  Zeeuws-Vlaanderen (Sluis, Terneuzen, Hulst: on land it borders only Belgium) to the rest by
  Hulst-Reimerswaal. The polygon graph has 881 borders, 5.2 neighbours per gemeente on
  average, and every mainland gemeente has at least one.

PC4 areas
---------
A Delaunay triangulation of the PC4 centroids (planar km projection). An edge is kept when
both PC4 areas are in the same gemeente, or in neighbouring gemeenten (any soort in
``gemeente_buren``) and the edge is at most ``max_cross_km`` long. When the kept edges split a
gemeente's PC4 areas into several pieces (an exclave, a centroid of another gemeente in
between), the pieces are joined by their nearest pair of PC4 areas. Finally the graph is made
connected: each component other than the largest is linked by its nearest pair of PC4 areas to
a PC4 area in a neighbouring gemeente (so island PC4s cross the ``veer`` link), or to any PC4
area when no neighbouring gemeente has one; repeated until one component remains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, QhullError, cKDTree

from nabij.atlas.distance import haversine_km, project_km

GEMEENTE_COLUMNS = ["gemeente_a", "gemeente_b", "soort"]
PC4_COLUMNS = ["pc4_a", "pc4_b"]


def gemeente_adjacency(
    gemeenten: pd.DataFrame,
    geometry: dict | None,
    pc4: pd.DataFrame | None = None,
    *,
    tolerance_deg: float = 1e-4,
    pc4_edge_km: float = 8.0,
    centroid_edge_km: float = 25.0,
) -> pd.DataFrame:
    """Table ``gemeente_buren`` (gemeente_a < gemeente_b, soort grens|veer|nabij)."""
    codes = gemeenten["gemeente"].astype(str).to_numpy()
    lat = gemeenten["lat"].to_numpy(float)
    lon = gemeenten["lon"].to_numpy(float)
    n = len(codes)
    index = {c: i for i, c in enumerate(codes)}
    has_geom = np.zeros(n, bool)
    if geometry:
        a, b, has_geom = _polygon_edges(codes, geometry, tolerance_deg)
        kind = "grens"
    elif pc4 is not None and len(pc4) >= 2:
        g = pd.Series(pc4["gemeente"].astype(str).to_numpy()).map(index)
        ok = g.notna().to_numpy()
        gi = g[ok].to_numpy(int)
        xy = project_km(pc4["lat"].to_numpy(float)[ok], pc4["lon"].to_numpy(float)[ok])
        i, j = _delaunay_edges(xy)
        length = np.hypot(*(xy[i] - xy[j]).T)
        sel = (gi[i] != gi[j]) & (length <= pc4_edge_km)
        a, b = gi[i][sel], gi[j][sel]
        kind = "nabij"
    else:
        xy = project_km(lat, lon)
        i, j = _delaunay_edges(xy)
        sel = np.hypot(*(xy[i] - xy[j]).T) <= centroid_edge_km
        a, b = i[sel], j[sel]
        kind = "nabij"
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    key = np.unique((lo * max(n, 1) + hi)[lo != hi])
    pairs = {(int(k // n), int(k % n)): kind for k in key}
    # connect every component other than the largest to the nearest gemeente of the largest
    labels = _components(n, np.array([p[0] for p in pairs], int),
                         np.array([p[1] for p in pairs], int))
    if n:
        main = np.bincount(labels).argmax()
        in_main = np.flatnonzero(labels == main)
        for comp in np.unique(labels):
            if comp == main:
                continue
            members = np.flatnonzero(labels == comp)
            d = haversine_km(lat[members][:, None], lon[members][:, None],
                             lat[in_main][None, :], lon[in_main][None, :])
            u, v = np.unravel_index(np.argmin(d), d.shape)
            x, y = int(members[u]), int(in_main[v])
            pairs[(min(x, y), max(x, y))] = "veer" if has_geom[members].all() else "nabij"
    rows = [(codes[x], codes[y], k) for (x, y), k in pairs.items()]
    out = pd.DataFrame(
        [(min(p, q), max(p, q), k) for p, q, k in rows], columns=GEMEENTE_COLUMNS
    )
    return out.sort_values(GEMEENTE_COLUMNS[:2], ignore_index=True)


def pc4_adjacency(
    pc4: pd.DataFrame,
    gemeente_buren: pd.DataFrame,
    *,
    max_cross_km: float = 10.0,
) -> pd.DataFrame:
    """Table ``pc4_buren`` (pc4_a < pc4_b): a connected Delaunay graph respecting gemeenten."""
    codes = pc4["pc4"].astype(str).to_numpy()
    gem = pc4["gemeente"].astype(str).to_numpy()
    n = len(codes)
    xy = project_km(pc4["lat"].to_numpy(float), pc4["lon"].to_numpy(float))
    i, j = _delaunay_edges(xy)
    length = np.hypot(*(xy[i] - xy[j]).T)
    g_codes, g = np.unique(gem, return_inverse=True)
    g_index = {c: k for k, c in enumerate(g_codes)}
    neighbours: dict[int, set[int]] = {k: set() for k in range(len(g_codes))}
    for p, q in zip(gemeente_buren["gemeente_a"].astype(str),
                    gemeente_buren["gemeente_b"].astype(str), strict=True):
        if p in g_index and q in g_index:
            neighbours[g_index[p]].add(g_index[q])
            neighbours[g_index[q]].add(g_index[p])
    if len(gemeente_buren):
        ga = gemeente_buren["gemeente_a"].astype(str).map(g_index)
        gb = gemeente_buren["gemeente_b"].astype(str).map(g_index)
        ok = ga.notna() & gb.notna()
        adj_keys = np.unique(np.concatenate([
            ga[ok].to_numpy(np.int64) * len(g_codes) + gb[ok].to_numpy(np.int64),
            gb[ok].to_numpy(np.int64) * len(g_codes) + ga[ok].to_numpy(np.int64),
        ]))
    else:
        adj_keys = np.zeros(0, np.int64)
    same = g[i] == g[j]
    adjacent = np.isin(g[i].astype(np.int64) * len(g_codes) + g[j], adj_keys)
    keep = same | (adjacent & (length <= max_cross_km))
    ei, ej = list(i[keep]), list(j[keep])

    # join the pieces of each gemeente (same-gemeente edges only)
    inner = same[keep]
    labels = _components(n, i[keep][inner], j[keep][inner])
    pieces = pd.DataFrame({"g": g, "label": labels}).groupby("g")["label"].nunique()
    for gk in pieces.index[pieces.to_numpy() > 1]:
        members = np.flatnonzero(g == gk)
        for x, y in _join_pieces(xy, members, labels[members]):
            ei.append(x)
            ej.append(y)

    # make the whole graph connected, preferring links into neighbouring gemeenten
    while n:
        labels = _components(n, np.array(ei, int), np.array(ej, int))
        n_comp = labels.max() + 1
        if n_comp <= 1:
            break
        main = np.bincount(labels).argmax()
        for comp in range(n_comp):
            if comp == main:
                continue
            members = np.flatnonzero(labels == comp)
            near = set().union(*(neighbours[k] for k in np.unique(g[members])))
            targets = np.flatnonzero(np.isin(g, list(near)) & (labels != comp))
            if len(targets) == 0:
                targets = np.flatnonzero(labels != comp)
            x, y = _nearest_pair(xy, members, targets)
            ei.append(x)
            ej.append(y)
    ea, eb = codes[np.array(ei, int)], codes[np.array(ej, int)]
    out = pd.DataFrame({"pc4_a": np.minimum(ea, eb), "pc4_b": np.maximum(ea, eb)})
    out = out[out["pc4_a"] != out["pc4_b"]].drop_duplicates()
    return out.sort_values(PC4_COLUMNS, ignore_index=True)


def _polygon_edges(
    codes: np.ndarray, geometry: dict, tolerance_deg: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of gemeente positions whose polygons are within the tolerance; + has-polygon mask."""
    has = np.array([geometry.get(c) is not None for c in codes], bool)
    pos = np.flatnonzero(has)
    geoms = np.array([geometry[codes[k]] for k in pos], dtype=object)
    if len(geoms) == 0:
        return np.zeros(0, int), np.zeros(0, int), has
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    tree = shapely.STRtree(geoms)
    if tolerance_deg > 0:
        a, b = tree.query(geoms, predicate="dwithin", distance=tolerance_deg)
    else:
        a, b = tree.query(geoms, predicate="intersects")
    sel = a < b
    return pos[a[sel]], pos[b[sel]], has


def _delaunay_edges(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique edges (i < j) of the Delaunay triangulation; a chain for < 3 or collinear points."""
    n = len(xy)
    if n < 2:
        return np.zeros(0, int), np.zeros(0, int)
    try:
        if n < 3:
            raise QhullError("too few points")
        tri = Delaunay(xy, qhull_options="QJ Qbb Pp")
        s = tri.simplices
        e = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    except (QhullError, ValueError):
        order = np.lexsort((xy[:, 1], xy[:, 0]))
        e = np.column_stack([order[:-1], order[1:]])
    e = np.sort(e, axis=1)
    e = np.unique(e[e[:, 0] != e[:, 1]], axis=0)
    return e[:, 0], e[:, 1]


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label of each of n nodes given undirected edges (a, b)."""
    if n == 0:
        return np.zeros(0, int)
    m = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    return connected_components(m, directed=False)[1]


def _nearest_pair(xy: np.ndarray, members: np.ndarray, targets: np.ndarray) -> tuple[int, int]:
    """The closest (member, target) pair of node positions."""
    d, k = cKDTree(xy[targets]).query(xy[members])
    best = int(np.argmin(d))
    return int(members[best]), int(targets[k[best]])


def _join_pieces(
    xy: np.ndarray, members: np.ndarray, labels: np.ndarray
) -> list[tuple[int, int]]:
    """Edges joining the pieces (labels) of one node set: grow the first piece by its nearest
    outside node until one piece remains (Prim-like over pieces)."""
    piece = {lab: k for k, lab in enumerate(np.unique(labels))}
    comp = np.array([piece[lab] for lab in labels])
    edges = []
    while comp.max() != comp.min():
        grow = comp[0]
        inside = comp == grow
        x, y = _nearest_pair(xy, members[inside], members[~inside])
        edges.append((x, y))
        other = comp[np.flatnonzero(members == y)[0]]
        comp[comp == other] = grow
    return edges
