"""Gemeenten 2024 (polygons, provinces) and jeugdregio's 2025 for the Netherlands import.

Polygons are read with :mod:`json` and :func:`shapely.geometry.shape` (no geopandas). The
gemeente file is in EPSG:4289 (Amersfoort geographic), which is WGS84 to within about 100 m —
well inside the 3-decimal simplification of the boundaries — so coordinates are used as they
are. The jeugdregio file is TopoJSON, decoded here into shapely polygons.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from nabij.sources.nl_files import bad_file, read_csv, require_file

GEMEENTEN_GEOJSON = "gemeenten_geo/gemeenten.geojson"
KOPPELCODES = "gemeenten_geo/KoppelCodes.csv"
JEUGDREGIO_TOPOJSON = "jeugdregio_2025/jeugdregio_2025.topojson"
PC4_CENTROIDS = "pc4/pc4_centroids_geonames.csv"

PROVINCE_NAMES = {
    "Noord Brabant": "Noord-Brabant",
    "Noord Holland": "Noord-Holland",
    "Zuid Holland": "Zuid-Holland",
}
"""KoppelCodes.csv writes three provinces without hyphen; the official spelling has one."""


def read_gemeente_polygons(data_dir: Path) -> dict[str, BaseGeometry]:
    """Gemeente code (GM0363) -> (Multi)Polygon in lon/lat degrees, from the 2024 GeoJSON."""
    path = require_file(data_dir, GEMEENTEN_GEOJSON)
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_file(GEMEENTEN_GEOJSON, f"geen geldige GeoJSON: {exc}") from exc
    out: dict[str, BaseGeometry] = {}
    for f in features:
        code = str((f.get("properties") or {}).get("gemeenteCode", ""))
        if not code.startswith("GM") or not f.get("geometry"):
            raise bad_file(GEMEENTEN_GEOJSON, "feature zonder gemeenteCode of geometrie")
        out[code] = valid_polygon(shape(f["geometry"]))
    return out


def valid_polygon(geom: BaseGeometry) -> BaseGeometry:
    """A valid (Multi)Polygon: repaired when invalid, keeping only the polygonal parts (a
    repair can leave slivers as lines or points in a GeometryCollection, which the atlas'
    folder format rightly refuses)."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    if fixed.geom_type in ("Polygon", "MultiPolygon"):
        return fixed
    polygons = [p for part in shapely.get_parts(fixed)
                for p in (part.geoms if part.geom_type == "MultiPolygon" else [part])
                if p.geom_type == "Polygon"]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def read_koppelcodes(data_dir: Path) -> pd.DataFrame:
    """Gemeenten 2024 with name and province: columns gemeente, naam, provincie."""
    df = read_csv(data_dir, KOPPELCODES, ["gemeentCode", "gemeenteNaam", "Provincie"],
                  sep=";", encoding="utf-8-sig", dtype=str)
    out = pd.DataFrame({
        "gemeente": df["gemeentCode"].str.strip(),
        "naam": df["gemeenteNaam"].str.strip(),
        "provincie": df["Provincie"].str.strip().replace(PROVINCE_NAMES),
    })
    if out["gemeente"].duplicated().any():
        raise bad_file(KOPPELCODES, "dubbele gemeentecodes")
    return out


def decode_topojson(topo: dict, name: str) -> list[tuple[dict, BaseGeometry]]:
    """Decode the (Multi)Polygons of TopoJSON object ``name``: [(properties, geometry)]."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)
        if tr:  # quantised: delta-encoded integer positions
            a = np.cumsum(a, axis=0) * tr["scale"] + tr["translate"]
        arcs.append(a)

    def ring(idx: list[int]) -> np.ndarray:
        parts = []
        for k, i in enumerate(idx):
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            parts.append(a if k == 0 else a[1:])
        return np.concatenate(parts)

    def polygon(rings: list[list[int]]) -> Polygon:
        return Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    out = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            geom: BaseGeometry = polygon(g["arcs"])
        elif g["type"] == "MultiPolygon":
            geom = MultiPolygon([polygon(p) for p in g["arcs"]])
        else:
            continue
        out.append((g.get("properties") or {}, valid_polygon(geom)))
    return out


def read_jeugdregios(data_dir: Path) -> tuple[pd.DataFrame, dict[str, BaseGeometry]]:
    """Jeugdregio's 2025 (statcode, statnaam) and their polygons, from the CBS TopoJSON."""
    path = require_file(data_dir, JEUGDREGIO_TOPOJSON)
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        decoded = decode_topojson(topo, next(iter(topo["objects"])))
    except (ValueError, KeyError, TypeError, IndexError, StopIteration) as exc:
        raise bad_file(JEUGDREGIO_TOPOJSON, f"geen geldige TopoJSON: {exc}") from exc
    rows = [(str(p.get("statcode", "")), str(p.get("statnaam", "")).strip()) for p, _ in decoded]
    frame = pd.DataFrame(rows, columns=["jeugdregio", "naam"])
    if not frame["jeugdregio"].str.fullmatch(r"JZ\d{2}").all():
        raise bad_file(JEUGDREGIO_TOPOJSON, "regio zonder geldige statcode (JZ01 ...)")
    polys = {code: geom for (code, _), (_, geom) in zip(rows, decoded, strict=True)}
    return frame.sort_values("jeugdregio", ignore_index=True), polys


def overlap_jeugdregio(
    gemeenten: dict[str, BaseGeometry], regions: dict[str, BaseGeometry]
) -> pd.Series:
    """Gemeente -> jeugdregio with the largest area overlap (planar in degrees)."""
    codes = list(regions)
    geoms = np.array([regions[c] for c in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    out = {}
    for gm, geom in gemeenten.items():
        cand = tree.query(geom)
        if len(cand) == 0:
            cand = np.atleast_1d(tree.query_nearest(geom))
        areas = shapely.area(shapely.intersection(geom, geoms[cand]))
        out[gm] = codes[int(cand[int(np.argmax(areas))])]
    return pd.Series(out, name="jeugdregio")


def locate_points(
    lat: np.ndarray, lon: np.ndarray, polygons: dict[str, BaseGeometry]
) -> tuple[np.ndarray, np.ndarray]:
    """Gemeente of each point: the polygon containing it, else the nearest polygon.

    Returns (codes, inside) where ``inside`` is False for points matched to the nearest
    polygon (on the coast or in a gap of the simplified boundaries).
    """
    codes = np.array(list(polygons), dtype=object)
    geoms = np.array([polygons[c] for c in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    pts = shapely.points(np.asarray(lon, float), np.asarray(lat, float))
    out = np.full(len(pts), None, dtype=object)
    inside = np.zeros(len(pts), dtype=bool)
    p_idx, g_idx = tree.query(pts, predicate="within")
    # a point on a shared border may match twice: keep the first
    first = np.unique(p_idx, return_index=True)[1]
    out[p_idx[first]] = codes[g_idx[first]]
    inside[p_idx[first]] = True
    rest = np.flatnonzero(~inside)
    if len(rest):
        q_idx, n_idx = tree.query_nearest(pts[rest], all_matches=False)
        out[rest[q_idx]] = codes[n_idx]
    return out.astype(str), inside


def centroids(polygons: dict[str, BaseGeometry]) -> pd.DataFrame:
    """Area-weighted centroid (lat, lon) of each gemeente polygon."""
    codes = list(polygons)
    c = shapely.centroid(np.array([polygons[k] for k in codes], dtype=object))
    return pd.DataFrame({"gemeente": codes, "lat": shapely.get_y(c), "lon": shapely.get_x(c)})


def read_pc4_centroids(data_dir: Path) -> pd.DataFrame:
    """PC4 centroids from geonames (2018; duplicates averaged): columns pc4, lat, lon."""
    df = read_csv(data_dir, PC4_CENTROIDS, ["pc4", "lat", "lon"], dtype={"pc4": str})
    out = pd.DataFrame({
        "pc4": df["pc4"].str.strip(),
        "lat": pd.to_numeric(df["lat"], errors="coerce"),
        "lon": pd.to_numeric(df["lon"], errors="coerce"),
    }).dropna()
    return out.groupby("pc4", as_index=False)[["lat", "lon"]].mean()
