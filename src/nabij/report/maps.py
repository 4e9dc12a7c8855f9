"""SVG maps drawn server-side from the Atlas polygons: regions, gemeenten, thuisnabijheid.

Geometry is handled in a planar frame: an equirectangular projection at 52 N
(x = lon * cos 52°, y = lat, both in degrees), close enough to true shape over the
Netherlands. Region polygons are dissolved from gemeente polygons when a gemeente lies wholly
in one region, and from PC4 cells (Voronoi cells of the PC4 centroids clipped to their
gemeente) where a gemeente is split. Without any gemeente polygons (a user's own tables), PC4
Voronoi cells clipped to a buffered outline of the points stand in for them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

REF_LAT = 52.0
KX = math.cos(math.radians(REF_LAT))

CATEGORICAL = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
               "#AAAA00", "#DDDDDD")
"""Paul Tol's 'light' palette: colour-blind safe, light enough for dark labels on top."""

SEQUENTIAL = ("#FFF7BC", "#FEE391", "#FEC44F", "#FB9A29", "#CC4C02", "#662506")
"""Paul Tol's YlOrBr (6 of 9 classes): colour-blind safe and readable in grey print."""

DISTANCE_BREAKS = (2.5, 5.0, 10.0, 20.0, 30.0)
"""Class limits (km) of the thuisnabijheid maps; one more class than limits."""

NO_DATA = "#FFFFFF"
NOT_IN_REGION = "url(#arcering)"


# --------------------------------------------------------------------------- geometry
def to_plane(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 lon/lat -> planar (lon * cos 52°, lat)."""
    return shapely.transform(geom, lambda c: c * np.array([KX, 1.0]))


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """Planar (lon * cos 52°, lat) -> WGS84 lon/lat."""
    return shapely.transform(geom, lambda c: c / np.array([KX, 1.0]))


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Keep only the (Multi)Polygon part of a geometry; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


def voronoi_cells(points: np.ndarray, clip: BaseGeometry) -> list[BaseGeometry | None]:
    """Voronoi cell of each point (planar), clipped to ``clip``; in input order."""
    n = len(points)
    if n == 0:
        return []
    if n == 1:
        return [clip]
    uniq, inverse = np.unique(np.round(points, 9), axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    if len(uniq) == 1:
        return [clip] + [None] * (n - 1)
    env = clip.envelope.buffer(1.0)
    try:
        cells = shapely.voronoi_polygons(MultiPoint(uniq), extend_to=env, ordered=True)
        parts = list(cells.geoms)
    except shapely.errors.GEOSException:  # collinear points
        parts = []
    if len(parts) != len(uniq):
        # collinear or degenerate input: nearest-point split of a fine grid is overkill;
        # fall back to buffers around the points, clipped.
        r = max(clip.envelope.length / 40, 1e-3)
        parts = [shapely.Point(p).buffer(r) for p in uniq]
    clipped = shapely.intersection(np.array(parts, dtype=object), clip)
    out: list[BaseGeometry | None] = [None] * n
    first: set[int] = set()
    for i, u in enumerate(inverse):
        if u in first:
            continue  # duplicate centroid: the first PC4 takes the cell
        first.add(int(u))
        out[i] = _polygonal(clipped[u])
    return out


def points_outline(points: np.ndarray) -> BaseGeometry:
    """A blobby outline around points (planar): union of buffers, smoothed."""
    if len(points) < 2:
        return shapely.Point(points[0]).buffer(0.02)
    from scipy.spatial import cKDTree

    d, _ = cKDTree(points).query(points, k=2)
    nn = float(np.median(d[:, 1])) or 0.01
    r = 1.6 * nn
    blobs = shapely.union_all(shapely.buffer(shapely.points(points), r, quad_segs=4))
    return blobs.buffer(r * 0.5, quad_segs=4).buffer(-r * 0.5, quad_segs=4)


@dataclass
class Geography:
    """Planar shapes of gemeenten and, on demand, PC4 cells, for one Atlas."""

    gemeenten: dict[str, BaseGeometry]
    pc4: pd.DataFrame  # pc4, gemeente, x, y (planar)
    gemeente_names: dict[str, str] = field(default_factory=dict)
    _cells: dict[str, BaseGeometry | None] = field(default_factory=dict)
    _cells_done: set[str] = field(default_factory=set)
    _regions: dict[tuple, dict[str, BaseGeometry]] = field(default_factory=dict)

    @classmethod
    def from_atlas(cls, atlas) -> Geography:
        """Gemeente polygons from the Atlas, or PC4 Voronoi cells dissolved per gemeente."""
        pc4 = atlas.pc4[["pc4", "gemeente", "lon", "lat"]].copy()
        pc4["pc4"] = pc4["pc4"].astype(str)
        pc4["x"] = pc4["lon"].astype(float) * KX
        pc4["y"] = pc4["lat"].astype(float)
        pc4 = pc4[["pc4", "gemeente", "x", "y"]].reset_index(drop=True)
        names = dict(zip(atlas.gemeenten["gemeente"], atlas.gemeenten["naam"], strict=False))
        geo = cls(gemeenten={}, pc4=pc4, gemeente_names=names)
        source = atlas.geometry or {}
        shapes = {}
        for code in atlas.gemeenten["gemeente"]:
            g = source.get(code)
            if g is not None and not g.is_empty:
                g = g if g.is_valid else shapely.make_valid(g)
                g = _polygonal(to_plane(g))
                if g is not None:
                    shapes[code] = g
        missing = [c for c in atlas.gemeenten["gemeente"] if c not in shapes]
        if missing:
            geo._cells_from_outline(set(missing), shapes)
            sub = pc4[pc4["gemeente"].isin(missing)]
            for code, grp in sub.groupby("gemeente"):
                cells = [geo._cells.get(p) for p in grp["pc4"]]
                cells = [c for c in cells if c is not None]
                if cells:
                    shapes[code] = shapely.union_all(cells)
        geo.gemeenten = shapes
        return geo

    def _cells_from_outline(self, gemeenten: set[str], shapes: Mapping) -> None:
        """Voronoi cells of all PC4 points clipped to their outline, minus known polygons."""
        pts = self.pc4[["x", "y"]].to_numpy()
        outline = points_outline(pts)
        if shapes:
            outline = outline.difference(shapely.union_all(list(shapes.values())))
        cells = voronoi_cells(pts, outline)
        for code, gm, cell in zip(self.pc4["pc4"], self.pc4["gemeente"], cells, strict=True):
            if gm in gemeenten:
                self._cells[code] = cell
        self._cells_done |= gemeenten

    def _pc4_by_gemeente(self) -> dict[str, pd.DataFrame]:
        if not hasattr(self, "_by_gm"):
            object.__setattr__(self, "_by_gm", dict(tuple(self.pc4.groupby("gemeente"))))
        return self._by_gm  # type: ignore[attr-defined]

    def pc4_cells(self, gemeente: str) -> dict[str, BaseGeometry | None]:
        """PC4 cells of one gemeente: Voronoi cells clipped to the gemeente polygon."""
        sub = self._pc4_by_gemeente().get(gemeente, self.pc4.iloc[:0])
        if gemeente not in self._cells_done:
            shape = self.gemeenten.get(gemeente)
            if shape is None:
                cells = [None] * len(sub)
            else:
                cells = voronoi_cells(sub[["x", "y"]].to_numpy(), shape)
            self._cells.update(zip(sub["pc4"], cells, strict=True))
            self._cells_done.add(gemeente)
        return {p: self._cells.get(p) for p in sub["pc4"]}

    def regions(self, assignment: pd.Series) -> dict[str, BaseGeometry]:
        """Planar polygon per region of a PC4 -> region assignment (dissolved; the same
        assignment is dissolved once per Geography, e.g. for the HTML map and the GeoJSON)."""
        a = assignment.copy()
        a.index = a.index.astype(str)
        key = (tuple(a.index), tuple(a.to_numpy(object)))
        if key not in self._regions:
            self._regions[key] = self._dissolve(a)
        return dict(self._regions[key])

    def _dissolve(self, a: pd.Series) -> dict[str, BaseGeometry]:
        reg = self.pc4["pc4"].map(a).to_numpy(object)
        gms = self.pc4["gemeente"].to_numpy(object)
        codes = self.pc4["pc4"].to_numpy(object)
        by_gm: dict[str, list[int]] = {}
        for i, (g, r) in enumerate(zip(gms, reg, strict=True)):
            if isinstance(r, str):
                by_gm.setdefault(g, []).append(i)
        pieces: dict[str, list[BaseGeometry]] = {}
        for gm, idx in by_gm.items():
            regs = {reg[i] for i in idx}
            if len(regs) == 1 and gm in self.gemeenten:
                pieces.setdefault(reg[idx[0]], []).append(self.gemeenten[gm])
                continue
            cells = self.pc4_cells(gm)
            for i in idx:
                c = cells.get(codes[i])
                if c is not None:
                    pieces.setdefault(reg[i], []).append(c)
        out = {}
        for r, geoms in pieces.items():
            u = _polygonal(shapely.union_all(geoms, grid_size=1e-5))
            if u is not None:
                out[str(r)] = u
        return out

    def bounds(self) -> tuple[float, float, float, float]:
        geoms = list(self.gemeenten.values())
        if geoms:
            return tuple(shapely.total_bounds(np.array(geoms, dtype=object)))  # type: ignore
        x, y = self.pc4["x"], self.pc4["y"]
        return (float(x.min()), float(y.min()), float(x.max()), float(y.max()))


# --------------------------------------------------------------------------- SVG
@dataclass(frozen=True)
class Canvas:
    """Affine map from the planar frame to SVG pixels (y down), fitted to bounds."""

    minx: float
    maxy: float
    scale: float
    width: float
    height: float
    pad: float = 6.0

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: float = 560) -> Canvas:
        minx, miny, maxx, maxy = bounds
        pad = 6.0
        span = max(maxx - minx, 1e-9)
        scale = (width - 2 * pad) / span
        height = (maxy - miny) * scale + 2 * pad
        return cls(minx, maxy, scale, width, round(height, 1), pad)

    def pixels(self, geom: BaseGeometry) -> BaseGeometry:
        s, p, mx, my = self.scale, self.pad, self.minx, self.maxy
        return shapely.transform(
            geom, lambda c: np.column_stack([(c[:, 0] - mx) * s + p, (my - c[:, 1]) * s + p]))

    def point(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.minx) * self.scale + self.pad, (self.maxy - y) * self.scale + self.pad)

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _rings(geom: BaseGeometry) -> Iterable[np.ndarray]:
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.geom_type == "MultiPolygon":
            yield from _rings(poly)
            continue
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        yield np.asarray(poly.exterior.coords)
        for r in poly.interiors:
            yield np.asarray(r.coords)


def svg_path(geom: BaseGeometry | None) -> str:
    """SVG path data of a (Multi)Polygon in pixel space; relative moves, 1 decimal."""
    if geom is None:
        return ""
    out = []
    for ring in _rings(geom):
        q = np.round(ring[:-1] * 10).astype(np.int64)
        if len(q) < 3:
            continue
        keep = np.ones(len(q), bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)
        q = q[keep]
        if len(q) < 3:
            continue
        d = np.diff(q, axis=0)
        head = f"M{q[0, 0] / 10:g} {q[0, 1] / 10:g}l"
        body = " ".join(f"{dx / 10:g} {dy / 10:g}" for dx, dy in d)
        out.append(head + body.replace(" -", "-") + "z")
    return "".join(out)


def simplify_coverage(shapes: Mapping[str, BaseGeometry], tolerance: float) -> dict:
    """Simplify polygons that share borders without opening gaps (falls back per shape)."""
    keys = list(shapes)
    geoms = np.array([shapes[k] for k in keys], dtype=object)
    try:
        simple = shapely.coverage_simplify(geoms, tolerance)
    except Exception:  # GEOS without coverage support, or invalid coverage
        simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out = {}
    for k, g, orig in zip(keys, simple, geoms, strict=True):
        g = _polygonal(g) if g is not None else None
        out[k] = g if g is not None and not g.is_empty else orig
    return out


def colour_regions(regions: list[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Colour regions so that neighbours differ (DSATUR greedy colouring, ≤ 9 colours)."""
    g = nx.Graph()
    g.add_nodes_from(regions)
    g.add_edges_from((a, b) for a, b in edges if a != b and a in g and b in g)
    colouring = nx.coloring.greedy_color(g, strategy="saturation_largest_first")
    return {r: CATEGORICAL[colouring.get(r, 0) % len(CATEGORICAL)] for r in regions}


def region_edges(assignment: pd.Series, pc4_buren: pd.DataFrame | None,
                 shapes: Mapping[str, BaseGeometry]) -> set[tuple[str, str]]:
    """Pairs of adjacent regions: from the PC4 adjacency, else from touching polygons."""
    if pc4_buren is not None and len(pc4_buren):
        a = assignment.copy()
        a.index = a.index.astype(str)
        ra = pc4_buren["pc4_a"].astype(str).map(a)
        rb = pc4_buren["pc4_b"].astype(str).map(a)
        ok = ra.notna() & rb.notna() & (ra != rb)
        return {tuple(sorted(p)) for p in zip(ra[ok], rb[ok], strict=True)}  # type: ignore
    keys = list(shapes)
    geoms = np.array([shapes[k].buffer(1e-4) for k in keys], dtype=object)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    return {tuple(sorted((keys[a], keys[b]))) for a, b in zip(i, j, strict=True) if a != b}


def distance_class(km: float | None) -> int | None:
    """Index of the distance class of a value; None for missing."""
    if km is None or not np.isfinite(km):
        return None
    return int(np.searchsorted(DISTANCE_BREAKS, km, side="right"))


def distance_legend() -> list[tuple[str, str]]:
    """(colour, Dutch label) per distance class, then the 'not in own region' swatch."""
    labels = []
    lo = 0.0
    for hi, col in zip((*DISTANCE_BREAKS, None), SEQUENTIAL, strict=True):
        lo_s = f"{lo:g}".replace(".", ",")
        if hi is None:
            labels.append((col, f"{lo_s} km of meer"))
        else:
            labels.append((col, f"{lo_s} tot {f'{hi:g}'.replace('.', ',')} km"))
            lo = hi
    return labels


@dataclass
class MapKit:
    """Everything needed to draw the maps of one report: canvas and pixel-space shapes."""

    geo: Geography
    canvas: Canvas
    gemeente_paths: dict[str, str]
    tolerance: float

    @classmethod
    def build(cls, geo: Geography, width: float = 560, tolerance_px: float = 0.7) -> MapKit:
        canvas = Canvas.fit(geo.bounds(), width)
        tol = tolerance_px / canvas.scale
        simple = simplify_coverage(geo.gemeenten, tol) if geo.gemeenten else {}
        paths = {k: svg_path(canvas.pixels(g)) for k, g in simple.items()}
        return cls(geo, canvas, paths, tol)

    def gemeente_id(self, code: str) -> str:
        return f"gm-{code}"

    def defs_svg(self) -> str:
        """A hidden SVG holding each gemeente path once, re-used by ``<use>`` in every map."""
        parts = [f'<path id="{self.gemeente_id(k)}" d="{d}"/>'
                 for k, d in self.gemeente_paths.items() if d]
        pattern = ('<pattern id="arcering" width="4" height="4" patternUnits="userSpaceOnUse" '
                   'patternTransform="rotate(45)"><rect width="4" height="4" fill="#DDDDDD"/>'
                   '<line x1="0" y1="0" x2="0" y2="4" stroke="#444444" stroke-width="1.6"/>'
                   '</pattern>')
        return ('<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0">'
                f'<defs>{pattern}{"".join(parts)}</defs></svg>')

    def thumbnail(self, map_id: str, title: str) -> str:
        """A small copy of a region map (``<use>`` of its regions: costs a few bytes)."""
        return (f'<svg class="kaart duimnagel" viewBox="{self.canvas.viewbox}" role="img" '
                f'aria-label="{escape(title)}"><use href="#{map_id}-regios"/></svg>')

    def region_shapes(self, assignment: pd.Series) -> dict[str, BaseGeometry]:
        """Simplified planar polygons of the regions of an assignment."""
        shapes = self.geo.regions(assignment)
        return simplify_coverage(shapes, self.tolerance) if shapes else {}

    def region_map(
        self,
        map_id: str,
        assignment: pd.Series,
        labels: Mapping[str, str],
        numbers: Mapping[str, int],
        title: str,
        pc4_buren: pd.DataFrame | None = None,
        shapes: Mapping[str, BaseGeometry] | None = None,
    ) -> str:
        """Choropleth of the regions: one focusable path per region with a title.

        ``labels`` holds the accessible text per region (name, pupils, gemeenten) and
        ``numbers`` the index shown on the map and in the region table.
        """
        shapes = shapes if shapes is not None else self.region_shapes(assignment)
        regions = sorted(shapes, key=lambda r: numbers.get(r, 10**9))
        colours = colour_regions(regions, region_edges(assignment, pc4_buren, shapes))
        paths, marks = [], []
        show_numbers = len(regions) <= 120
        for r in regions:
            px = self.canvas.pixels(shapes[r])
            d = svg_path(px)
            if not d:
                continue
            text = escape(labels.get(r, r))
            paths.append(
                f'<path class="regio" d="{d}" fill="{colours[r]}" tabindex="0" role="img" '
                f'aria-label="{text}" data-regio="{escape(r)}"><title>{text}</title></path>')
            if show_numbers and r in numbers:
                pt = shapely.point_on_surface(px)
                marks.append(f'<text x="{pt.x:.1f}" y="{pt.y:.1f}">{numbers[r]}</text>')
        borders = "".join(f'<use href="#{self.gemeente_id(k)}"/>'
                          for k, d in self.gemeente_paths.items() if d)
        return (
            f'<svg id="{map_id}" class="kaart regiokaart" viewBox="{self.canvas.viewbox}" '
            f'role="group" aria-label="{escape(title)}">'
            f'<g class="regios" id="{map_id}-regios">{"".join(paths)}</g>'
            f'<g class="gemeentegrenzen" aria-hidden="true">{borders}</g>'
            f'<g class="nummers" aria-hidden="true">{"".join(marks)}</g></svg>')

    def value_map(
        self,
        map_id: str,
        values: Mapping[str, float | None],
        title: str,
        region_outline: Mapping[str, BaseGeometry] | None = None,
        missing_means_absent: bool = False,
    ) -> str:
        """Sequential choropleth of gemeenten by distance (km), with region borders on top.

        Gemeenten with a missing value are hatched when ``missing_means_absent`` (no
        provision inside the own region) and white otherwise (no children).
        """
        uses = []
        for code, d in self.gemeente_paths.items():
            if not d:
                continue
            v = values.get(code)
            cls = distance_class(v)
            if cls is None:
                fill = NOT_IN_REGION if (missing_means_absent and code in values) else NO_DATA
                label = "geen voorziening in eigen regio" if fill == NOT_IN_REGION \
                    else "geen gegevens"
            else:
                fill = SEQUENTIAL[cls]
                label = f"{v:.1f} km".replace(".", ",")
            name = escape(self.geo.gemeente_names.get(code, code))
            uses.append(f'<use href="#{self.gemeente_id(code)}" fill="{fill}">'
                        f'<title>{name}: {label}</title></use>')
        outline = ""
        if region_outline:
            outline = "".join(
                f'<path d="{svg_path(self.canvas.pixels(g))}"/>' for g in region_outline.values())
        return (
            f'<svg id="{map_id}" class="kaart waardekaart" viewBox="{self.canvas.viewbox}" '
            f'role="img" aria-label="{escape(title)}">'
            f'<g class="vlakken">{"".join(uses)}</g>'
            f'<g class="regiogrenzen">{outline}</g></svg>')


def gemeente_means(pc4_values: pd.DataFrame, column: str, pc4_gemeente: pd.Series,
                   weights: np.ndarray | None = None) -> dict[str, float | None]:
    """Weighted mean of a PC4 column per gemeente (None where no finite value)."""
    gm = pc4_values["pc4"].astype(str).map(pc4_gemeente).to_numpy(object)
    w = np.ones(len(pc4_values)) if weights is None else np.asarray(weights, float)
    v = pd.to_numeric(pc4_values[column], errors="coerce").to_numpy(float)
    known = pd.notna(gm)
    ok = known & np.isfinite(v)
    out: dict[str, float | None] = {str(g): None for g in pd.unique(gm[known])}
    grp = pd.DataFrame({"g": gm[ok], "w": w[ok] + 1e-9, "wv": (w[ok] + 1e-9) * v[ok]})
    sums = grp.groupby("g")[["w", "wv"]].sum()
    for g, sw, swv in zip(sums.index, sums["w"], sums["wv"], strict=True):
        out[str(g)] = float(swv / sw)
    return out
