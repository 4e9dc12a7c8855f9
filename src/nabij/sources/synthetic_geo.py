"""Geography of the synthetic country: outline, islands, PC4 points, cells and region growing.

Everything geometric is computed in planar km (equirectangular projection at 52.2 N, the
same convention as the atlas distance module) and converted back to WGS84 at the end.
The outline is a rough, hand-drawn Netherlands (about 40 vertices) with a simplified
IJsselmeer as an inland lake; the Wadden islands are small ellipses north of the coast,
separated from the mainland (and each other) by water.
"""

from __future__ import annotations

import heapq

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.spatial import Delaunay, cKDTree
from shapely.geometry import MultiPoint, Polygon

EARTH_KM_PER_DEG = np.pi / 180 * 6371.0088
REF_LAT = 52.2
KX = EARTH_KM_PER_DEG * np.cos(np.radians(REF_LAT))
KY = EARTH_KM_PER_DEG

MAINLAND_LONLAT: tuple[tuple[float, float], ...] = (
    (3.37, 51.37), (3.55, 51.29), (3.85, 51.21), (4.20, 51.37), (4.42, 51.36), (4.55, 51.44),
    (4.80, 51.43), (5.05, 51.47), (5.10, 51.33), (5.25, 51.27), (5.50, 51.28), (5.66, 51.19),
    (5.85, 51.15), (5.75, 51.00), (5.65, 50.87), (5.68, 50.76), (5.90, 50.76), (6.02, 50.76),
    (6.07, 50.86), (5.88, 51.04), (6.10, 51.12), (6.19, 51.22), (6.23, 51.36), (6.22, 51.52),
    (6.10, 51.66), (5.96, 51.74), (5.97, 51.83), (6.17, 51.86), (6.40, 51.83), (6.73, 51.89),
    (6.82, 51.98), (6.70, 52.05), (6.87, 52.13), (7.05, 52.23), (7.07, 52.40), (6.95, 52.44),
    (6.98, 52.47), (7.07, 52.63), (7.03, 52.87), (7.21, 53.00), (7.22, 53.18), (7.10, 53.25),
    (6.93, 53.33), (6.75, 53.42), (6.45, 53.42), (6.20, 53.39), (5.95, 53.39), (5.65, 53.32),
    (5.45, 53.25), (5.40, 53.12), (5.05, 52.98), (4.88, 52.95), (4.76, 52.96), (4.70, 52.90),
    (4.62, 52.70), (4.55, 52.45), (4.42, 52.22), (4.20, 52.03), (4.03, 51.97), (3.85, 51.82),
    (3.70, 51.72), (3.45, 51.55),
)
"""A rough outline of the Dutch mainland (lon, lat), clockwise from Cadzand."""

LAKE_LONLAT: tuple[tuple[float, float], ...] = (
    (5.05, 52.86), (5.30, 52.96), (5.45, 52.86), (5.62, 52.80), (5.55, 52.67), (5.35, 52.62),
    (5.20, 52.50), (5.05, 52.42), (5.02, 52.55), (5.10, 52.70),
)
"""A simplified IJsselmeer/Markermeer: water inside the outline."""

ISLANDS: tuple[tuple[float, float, float, float, float, int], ...] = (
    # lon, lat, half length km, half width km, angle (deg from east), PC4 areas at scale 1
    (4.82, 53.11, 11.0, 4.0, 70.0, 3),   # Texel-like
    (5.33, 53.40, 13.0, 2.5, 15.0, 2),   # Terschelling-like
    (5.75, 53.45, 11.0, 2.2, 5.0, 2),    # Ameland-like
    (5.02, 53.26, 8.0, 1.8, 30.0, 1),    # Vlieland-like
    (6.20, 53.485, 7.0, 1.8, 0.0, 1),    # Schiermonnikoog-like
)

ANCHORS: tuple[tuple[float, float, float], ...] = (
    # lon, lat, share of the national population: the big cities, roughly where they are
    (4.90, 52.37, 0.052), (4.48, 51.92, 0.037), (4.30, 52.07, 0.031), (5.12, 52.09, 0.021),
    (5.47, 51.44, 0.0135), (6.57, 53.22, 0.0135), (5.08, 51.56, 0.0125), (5.22, 52.37, 0.0122),
    (4.78, 51.59, 0.0105), (5.85, 51.84, 0.0101), (5.96, 52.21, 0.0092), (5.91, 51.98, 0.0095),
    (4.64, 52.38, 0.0091), (6.89, 52.22, 0.0092), (5.39, 52.16, 0.0089), (6.09, 52.51, 0.0075),
    (5.69, 50.85, 0.0069), (5.80, 53.20, 0.0072),
)

DENSITY_BUMPS: tuple[tuple[float, float, float, float], ...] = (
    # lon, lat, radius (deg), weight: Randstad, Brabant, Arnhem-Nijmegen, Twente, Zuid-Limburg
    (4.60, 52.10, 0.35, 2.5), (5.20, 51.55, 0.40, 1.3), (5.90, 51.90, 0.25, 0.8),
    (6.80, 52.25, 0.20, 0.6), (5.85, 50.90, 0.15, 0.8), (6.57, 53.22, 0.10, 0.5),
)


def to_km(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """(lon, lat) degrees -> planar km, shape (n, 2)."""
    return np.column_stack([np.asarray(lon, float) * KX, np.asarray(lat, float) * KY])


def to_lonlat(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Planar km (n, 2) -> (lon, lat) degrees."""
    return xy[:, 0] / KX, xy[:, 1] / KY


def geom_to_lonlat(geoms):
    """Shapely geometry (or array) in km -> WGS84 degrees."""
    return shapely.transform(geoms, lambda c: c / np.array([KX, KY]))


def mainland() -> Polygon:
    """The mainland polygon (km), with the lake as a hole."""
    shell = to_km(*np.array(MAINLAND_LONLAT).T)
    hole = to_km(*np.array(LAKE_LONLAT).T)
    return shapely.make_valid(Polygon(shell, [hole]))


def island_polygon(lon: float, lat: float, half_len: float, half_wid: float,
                   angle: float) -> Polygon:
    """An elliptic island (km) around (lon, lat)."""
    t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    a = np.radians(angle)
    x, y = half_len * np.cos(t), half_wid * np.sin(t)
    cx, cy = to_km([lon], [lat])[0]
    return Polygon(np.column_stack([cx + x * np.cos(a) - y * np.sin(a),
                                    cy + x * np.sin(a) + y * np.cos(a)]))


def density(xy: np.ndarray) -> np.ndarray:
    """Relative settlement density at km points (Randstad high, north-east low)."""
    lon, lat = to_lonlat(xy)
    f = np.full(len(xy), 0.45)
    for blon, blat, r, w in DENSITY_BUMPS:
        d2 = ((lon - blon) * np.cos(np.radians(REF_LAT))) ** 2 + (lat - blat) ** 2
        f += w * np.exp(-d2 / (2 * r * r))
    return f


def sample_in(poly, n: int, rng: np.random.Generator, weighted: bool = True) -> np.ndarray:
    """n points (km) inside ``poly``, density-weighted by rejection when ``weighted``."""
    x0, y0, x1, y1 = poly.bounds
    out = np.zeros((0, 2))
    fmax = 0.45 + sum(b[3] for b in DENSITY_BUMPS)
    while len(out) < n:
        m = max(4 * (n - len(out)), 256)
        cand = np.column_stack([rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)])
        keep = shapely.contains_xy(poly, cand[:, 0], cand[:, 1])
        if weighted:
            keep &= rng.uniform(0, fmax, m) < density(cand)
        out = np.vstack([out, cand[keep]])
    return out[:n]


def grid_in(poly, n: int, rng: np.random.Generator) -> np.ndarray:
    """About n evenly spread points (km) inside ``poly``: a jittered square grid, thinned or
    topped up at random to exactly n."""
    if n <= 0:
        return np.zeros((0, 2))
    step = np.sqrt(poly.area / n) * 0.97
    x0, y0, x1, y1 = poly.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    pts = np.column_stack([gx.ravel(), gy.ravel()]) + rng.uniform(-0.3, 0.3, (gx.size, 2)) * step
    pts = pts[shapely.contains_xy(poly, pts[:, 0], pts[:, 1])]
    if len(pts) > n:
        pts = pts[np.sort(rng.choice(len(pts), n, replace=False))]
    elif len(pts) < n:
        pts = np.vstack([pts, sample_in(poly, n - len(pts), rng, weighted=False)])
    return pts


def voronoi_cells(points: np.ndarray, clip) -> np.ndarray:
    """Voronoi cells (km) of ``points`` clipped to ``clip``; one polygon per point.

    A cell cut into pieces by the clip (a bay, the lake) keeps the piece with its point.
    """
    if len(points) == 1:
        return np.array([clip], dtype=object)
    env = shapely.buffer(clip.envelope, 50.0)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=env, ordered=True)
    cells = np.array(shapely.get_parts(cells), dtype=object)
    cells = shapely.intersection(cells, clip)
    pts = shapely.points(points)
    multi = np.flatnonzero(shapely.get_num_geometries(cells) > 1)
    for i in multi:
        parts = shapely.get_parts(cells[i])
        hit = shapely.intersects(parts, shapely.buffer(pts[i], 1e-6))
        cells[i] = parts[np.argmax(hit)] if hit.any() else parts[np.argmax(shapely.area(parts))]
    return cells


def cell_adjacency(points: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of cells sharing a boundary segment, shape (m, 2)."""
    tri = Delaunay(points)
    s = tri.simplices
    e = np.sort(np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]), axis=1)
    e = np.unique(e, axis=0)
    shared = shapely.relate_pattern(cells[e[:, 0]], cells[e[:, 1]], "****1****")
    return e[shared]


def components(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component label per node."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if len(edges) == 0:
        return np.arange(n)
    m = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return connected_components(m, directed=False)[1]


def neighbour_lists(n: int, edges: np.ndarray) -> list[list[int]]:
    """Adjacency lists of an undirected graph."""
    nb: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges.tolist():
        nb[a].append(b)
        nb[b].append(a)
    return nb


def grow_regions(
    neighbours: list[list[int]],
    xy: np.ndarray,
    weight: np.ndarray,
    seeds: np.ndarray,
    targets: np.ndarray,
    fallback: list[list[int]] | None = None,
    fill_nearest: bool = True,
) -> np.ndarray:
    """Contiguous regions grown from ``seeds`` over the graph towards weight ``targets``.

    The region furthest below its target (smallest weight/target) takes the unassigned
    neighbour nearest to its seed, until no region can grow. Nodes left over (a component
    without a seed) join a neighbouring region over ``fallback`` edges, else the nearest
    seed's region (or stay -1 when not ``fill_nearest``). Returns the region of every node.
    """
    n = len(xy)
    owner = np.full(n, -1, dtype=np.int64)
    load = np.zeros(len(seeds))
    frontier: list[list[tuple[float, int]]] = [[] for _ in seeds]
    heap: list[tuple[float, int]] = []
    for r, s in enumerate(seeds.tolist()):
        owner[s] = r
        load[r] = weight[s]
    for r, s in enumerate(seeds.tolist()):
        sx, sy = xy[s]
        for v in neighbours[s]:
            if owner[v] < 0:
                frontier[r].append((float(np.hypot(xy[v, 0] - sx, xy[v, 1] - sy)), v))
        heapq.heapify(frontier[r])
        heap.append((load[r] / targets[r], r))
    heapq.heapify(heap)
    while heap:
        _, r = heapq.heappop(heap)
        fr = frontier[r]
        while fr and owner[fr[0][1]] >= 0:
            heapq.heappop(fr)
        if not fr:
            continue
        _, v = heapq.heappop(fr)
        owner[v] = r
        load[r] += weight[v]
        sx, sy = xy[seeds[r]]
        for u in neighbours[v]:
            if owner[u] < 0:
                heapq.heappush(fr, (float(np.hypot(xy[u, 0] - sx, xy[u, 1] - sy)), u))
        heapq.heappush(heap, (load[r] / targets[r], r))
    left = np.flatnonzero(owner < 0)
    if len(left):
        nb = fallback or neighbours
        changed = True
        while changed and (owner < 0).any():
            changed = False
            for v in np.flatnonzero(owner < 0).tolist():
                owned = [owner[u] for u in nb[v] if owner[u] >= 0]
                if owned:
                    owner[v] = owned[0]
                    changed = True
        rest = np.flatnonzero(owner < 0)
        if len(rest) and fill_nearest:
            _, k = cKDTree(xy[seeds]).query(xy[rest])
            owner[rest] = k
    return owner


def spread_seeds(
    xy: np.ndarray, weight: np.ndarray, k: int, rng: np.random.Generator,
    eligible: np.ndarray | None = None,
) -> np.ndarray:
    """k well-spread seed nodes: first the heaviest, then farthest-point sampling weighted by
    sqrt(weight), with a little noise to break ties. Only ``eligible`` nodes become seeds
    (unless there are fewer of them than k)."""
    k = min(k, len(xy))
    if eligible is None or eligible.sum() < k:
        eligible = np.ones(len(xy), bool)
    chosen = [int(np.argmax(np.where(eligible, weight, -1)))]
    dmin = np.hypot(*(xy - xy[chosen[0]]).T)
    score_w = np.sqrt(weight / weight.max()) * rng.uniform(0.8, 1.2, len(xy)) * eligible
    for _ in range(k - 1):
        score = dmin * score_w
        score[chosen] = -1
        c = int(np.argmax(score))
        chosen.append(c)
        dmin = np.minimum(dmin, np.hypot(*(xy - xy[c]).T))
    return np.array(chosen, dtype=np.int64)


def connected_without(nb: list[list[int]], members, drop: int) -> bool:
    """Whether ``members`` minus ``drop`` is still one connected piece of the graph."""
    rest = set(members) - {drop}
    if not rest:
        return False
    start = next(iter(rest))
    seen = {start}
    stack = [start]
    while stack:
        v = stack.pop()
        for u in nb[v]:
            if u in rest and u not in seen:
                seen.add(u)
                stack.append(u)
    return len(seen) == len(rest)


def rebalance(
    owner: np.ndarray, neighbours: list[list[int]], weight: np.ndarray, targets: np.ndarray,
    passes: int = 30,
) -> np.ndarray:
    """Local search towards the targets: a region below its target takes a border node from
    a neighbouring region when that brings both closer to their targets (in relative terms)
    and keeps the donor connected. Nodes with owner -1 are ignored."""
    owner = owner.copy()
    k = len(targets)
    for _ in range(passes):
        load = np.bincount(owner[owner >= 0], weights=weight[owner >= 0], minlength=k)
        moved = False
        for r in np.argsort(load / targets).tolist():
            if load[r] >= targets[r]:
                break
            members = np.flatnonzero(owner == r)
            border = {u for v in members.tolist() for u in neighbours[v]
                      if owner[u] >= 0 and owner[u] != r}
            best, gain = -1, 0.0
            for v in sorted(border):
                s = owner[v]
                before = abs(load[r] / targets[r] - 1) + abs(load[s] / targets[s] - 1)
                after = (abs((load[r] + weight[v]) / targets[r] - 1)
                         + abs((load[s] - weight[v]) / targets[s] - 1))
                if before - after > gain + 1e-9:
                    donors = np.flatnonzero(owner == s).tolist()
                    if connected_without(neighbours, donors, v):
                        best, gain = v, before - after
            if best >= 0:
                s = owner[best]
                owner[best] = r
                load[r] += weight[best]
                load[s] -= weight[best]
                moved = True
        if not moved:
            break
    return owner


def fix_tiny(
    owner: np.ndarray, neighbours: list[list[int]], xy: np.ndarray, weight: np.ndarray,
    targets: np.ndarray, rng: np.random.Generator, min_ratio: float = 0.45, rounds: int = 8,
) -> np.ndarray:
    """Replace regions far below their target (a seed boxed in by big neighbours): merge such
    a region into its smallest neighbour and split another region in two instead (keeping
    the number of regions): the most oversized region whose halves both reach
    ``min_ratio`` of their targets. Then rebalance."""
    owner = owner.copy()
    k = len(targets)
    for _ in range(rounds):
        load = np.bincount(owner[owner >= 0], weights=weight[owner >= 0], minlength=k)
        ratio = load / targets
        r = int(np.argmin(ratio))
        if ratio[r] >= min_ratio:
            break
        members = np.flatnonzero(owner == r)
        nbr = {int(owner[u]) for v in members.tolist() for u in neighbours[v]
               if owner[u] >= 0 and owner[u] != r}
        if not nbr:
            break
        s = min(nbr, key=lambda q: ratio[q])
        trial = owner.copy()
        trial[members] = s
        load = np.bincount(trial[trial >= 0], weights=weight[trial >= 0], minlength=k)
        done = False
        for big in np.argsort(-(load / targets)).tolist():
            part = np.flatnonzero(trial == big)
            if big == r or len(part) < 2:
                continue
            two = _split(part, neighbours, xy, weight, np.array([targets[big], targets[r]]), rng)
            w1 = weight[part][two == 1].sum()
            if min((load[big] - w1) / targets[big], w1 / targets[r]) >= min_ratio:
                trial[part[two == 1]] = r
                done = True
                break
        if not done:
            break
        owner = rebalance(trial, neighbours, weight, targets)
    return owner


def _split(part: np.ndarray, neighbours: list[list[int]], xy: np.ndarray, weight: np.ndarray,
           t2: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split the connected node set ``part`` in two grown regions (0: heaviest node's side)."""
    local = {int(v): i for i, v in enumerate(part)}
    sub = [[local[u] for u in neighbours[v] if u in local] for v in part]
    degree = np.array([len(x) for x in sub])
    seeds = spread_seeds(xy[part], weight[part], 2, rng, degree >= 2)
    if weight[part][seeds[0]] < weight[part][seeds[1]]:
        seeds = seeds[::-1]
    return grow_regions(sub, xy[part], weight[part], seeds, t2)
