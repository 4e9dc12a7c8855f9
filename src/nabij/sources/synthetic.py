"""A deterministic synthetic Netherlands, calibrated to the national figures (FIGURES.md).

``synthetic_country(seed, scale)`` builds every required Atlas table (plus
``leerlingen_woongemeente`` and gemeente polygons) without reading any file; the atlas
builder derives adjacency and estimates pupil flows from it. Same seed and scale give
identical tables.

How the country is made (scale 1)
---------------------------------
* **Land**: a rough outline of the Netherlands with an IJsselmeer-like lake and five
  Wadden-like islands (fewer below scale 0.3), see :mod:`nabij.sources.synthetic_geo`.
* **Towns and PC4 areas**: 342 towns (18 big cities at roughly their real places, the rest
  spread with a Randstad/Brabant-heavy density); about 4,000 PC4 points: a cloud around each
  town (bigger towns, more and denser points), 30 % rural points on a jittered grid, 1-3 per
  island. PC4 areas are the Voronoi cells of the points clipped to the land.
* **People**: inhabitants per PC4 grow with address density (small cells = urban); 17.9 M in
  total. Children 4-11 (``kinderen_po``, 1.45 M) and 12-17 (``kinderen_vo``, 1.17 M) vary
  with urbanity; ``aandeel_uitkering`` and ``aandeel_eenouder`` are higher in cities and in
  the north-east; ``stedelijkheid`` 1-5 ranks the address density (10/16/17/22/35 % of the
  PC4 areas per class, most urban first).
* **Gemeenten**: contiguous regions grown over the PC4 adjacency from the towns towards
  their expected population; 12 provinces by (weighted) nearest province centre, made
  contiguous. Each island is one
  gemeente. Polygons are the dissolved PC4 cells, so mainland neighbours touch and islands
  do not touch anything.
* **Jeugdregio's (42)** and **SWVs (76 PO, 74 VO)**: contiguous groups of gemeenten grown
  inside each province (islands via the ferry to the nearest mainland gemeente), towards
  log-normal target sizes (long tail), then rebalanced by moving border gemeenten; grown
  independently, so they are not congruent. Only borders the atlas builder's PC4 graph also
  links (PC4 centroids at most 9 km apart) are used, so the groups stay contiguous there.
  Then a few gemeenten are split: one PC4 area on an SWV border moves to the neighbouring
  SWV (about 3 per sector).
* **Participation**: SBO/SO per PO pupil and PrO/VSO per VO pupil depend on
  ``aandeel_uitkering`` and ``aandeel_eenouder`` (explained), an effect per SWV (policy,
  unexplained) and noise per PC4; scaled so the national rates are SBO 2.4 %, SO 2.4 % of PO,
  VSO 4.0 % of VO+VSO, PrO 3.1 % of VO.
* **Schools**: see :mod:`nabij.sources.synthetic_schools`. Pupils in an SWV are counted at
  the school location (as DUO does): an SWV's pupils are those of schools in its PC4 areas.

Scale
-----
``scale`` multiplies the number of gemeenten, SWVs, jeugdregio's (at most 98: codes have two
digits), schools, boards, inhabitants and pupils. PC4 codes have four digits, so the number
of PC4 areas is ``min(4000 * scale, 9000)``: at scale 10 there are 3,420 gemeenten on 9,000
PC4 areas (more inhabitants per area), not 40,000 areas. The islands stay five.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from scipy.stats import norm

from nabij.geodesy import haversine_km
from nabij.sources.synthetic_geo import (
    ANCHORS,
    ISLANDS,
    cell_adjacency,
    components,
    connected_without,
    fix_tiny,
    geom_to_lonlat,
    grid_in,
    grow_regions,
    island_polygon,
    mainland,
    neighbour_lists,
    rebalance,
    sample_in,
    spread_seeds,
    to_km,
    to_lonlat,
    voronoi_cells,
)
from nabij.sources.synthetic_names import pick, place_names, region_names
from nabij.sources.synthetic_schools import SchoolInput, build_schools, largest_remainder
from nabij.tables import TableBundle

REFERENCE_YEAR = 2024
POPULATION = 17_900_000
KIDS_PO, KIDS_VO = 1_450_000, 1_170_000
PUPILS_PO, PUPILS_VO = 1_436_000, 975_000  # incl. SBO+SO / incl. VSO (NCOJ 2022/23)
RATE = {"SBO": 0.024, "SO": 0.024, "VSO": 0.040, "PRO": 0.031}
N_GEMEENTEN, N_PC4, N_JEUGDREGIOS, N_SWV = 342, 4000, 42, {"PO": 76, "VO": 74}
MAX_PC4 = 9000
MAX_CROSS_KM = 9.0
RURAL_SHARE = 0.30
ISLAND_POPULATION = (13_500, 4_900, 3_800, 1_100, 950)
SWV_SIGMA = {"PO": 0.44, "VO": 0.35}
"""Spread of the log target sizes of SWVs, tuned so that about 10 PO and 25 VO SWVs have fewer
than 10,000 pupils (FIGURES.md estimates 11 and 29 from the 2016 regions)."""
JZ_SIGMA = 0.55
STED_SHARES = (0.10, 0.16, 0.17, 0.22, 0.35)
"""Share of PC4 areas per stedelijkheid class 1 (very urban) .. 5 (rural)."""

PROVINCES: tuple[tuple[str, int, float, float, float], ...] = (
    # name, code number (as in SWV codes), centre lon, lat, relative reach
    ("Groningen", 20, 6.75, 53.22, 0.9), ("Friesland", 21, 5.80, 53.08, 1.1),
    ("Drenthe", 22, 6.55, 52.85, 0.9), ("Overijssel", 23, 6.45, 52.42, 1.0),
    ("Flevoland", 24, 5.50, 52.48, 0.55), ("Gelderland", 25, 5.95, 52.08, 1.3),
    ("Utrecht", 26, 5.20, 52.08, 0.65), ("Noord-Holland", 27, 4.85, 52.58, 1.1),
    ("Zuid-Holland", 28, 4.50, 51.97, 1.0), ("Zeeland", 29, 3.85, 51.50, 0.75),
    ("Noord-Brabant", 30, 5.20, 51.58, 1.25), ("Limburg", 31, 5.92, 51.20, 1.0),
)
PC4_ORDER = ("Noord-Holland", "Zuid-Holland", "Utrecht", "Zeeland", "Noord-Brabant", "Limburg",
             "Gelderland", "Overijssel", "Flevoland", "Friesland", "Drenthe", "Groningen")
"""Provinces in the order their postcodes run (1xxx Noord-Holland ... 9xxx Groningen)."""


def synthetic_country(seed: int = 2024, scale: float = 1.0) -> TableBundle:
    """A deterministic synthetic Netherlands (see the module docstring) as a TableBundle."""
    if not 0.05 <= scale <= 20:
        from nabij.errors import InputError

        raise InputError(f"--schaal {scale}: de schaal moet tussen 0,05 en 20 liggen")
    rng = np.random.default_rng([int(seed) % 2**63, int(round(scale * 1000))])
    land = _land(rng, scale)
    people = _people(rng, land, scale)
    gem = _gemeenten(rng, land, people)
    regions = _regions(rng, land, people, gem, scale)
    home = _home_pupils(rng, land, people, regions, scale)
    pc_order = gem["pc4_order"]
    inp = SchoolInput(
        pc4=gem["pc4_code"][pc_order],
        gemeente=gem["code"][gem["owner"]][pc_order],
        gemeente_naam=gem["naam"][gem["owner"]][pc_order],
        xy=land["xy"][pc_order],
        cells=land["cells"][pc_order],
        island=land["island"][pc_order],
        kinderen_po=people["kinderen_po"][pc_order],
        kinderen_vo=people["kinderen_vo"][pc_order],
        home={t: h[pc_order] for t, h in home.items()},
        swv_po=regions["swv_po"][pc_order],
        swv_vo=regions["swv_vo"][pc_order],
    )
    school_tables = build_schools(inp, scale, rng)
    tables = _tables(land, people, gem, regions) | school_tables
    return _bundle(seed, scale, tables, gem["geometry"])


def _pc4_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """n sorted unique PC4 codes; beyond 9,000 areas, sub-areas get a letter (1011A, 1011B)."""
    if n <= MAX_PC4:
        return (np.sort(rng.choice(MAX_PC4, n, replace=False)) + 1000).astype(str)
    per = -(-n // MAX_PC4)
    letters = [chr(ord("A") + i) for i in range(per)]
    pick = np.sort(rng.choice(MAX_PC4 * per, n, replace=False))
    return np.array([f"{1000 + i // per}{letters[i % per]}" for i in pick], dtype=object)


# -- land and PC4 points --------------------------------------------------------------------


def _land(rng: np.random.Generator, scale: float) -> dict:
    """PC4 points (km), their cells, adjacency, town and island membership, gemeente seeds."""
    n_pc4 = int(round(N_PC4 * scale))
    n_gem = max(int(round(N_GEMEENTEN * scale)), 8)
    n_isl = min(len(ISLANDS), max(1, int(15 * scale + 0.5)))
    islands = ISLANDS[:n_isl]
    isl_pc4 = [k if scale >= 0.5 else 1 for *_, k in islands]
    n_main_gem = n_gem - n_isl
    n_main = n_pc4 - sum(isl_pc4)
    land = mainland()

    town_xy, town_w = _towns(rng, land, n_main_gem, scale)
    n_rural = min(int(round(RURAL_SHARE * n_main)), n_main - n_main_gem)
    extra = largest_remainder(town_w ** 0.9, n_main - n_rural - n_main_gem)
    n_per_town = 1 + extra
    density = np.sqrt(n_pc4 / N_PC4)
    spacing = np.clip(2.3 * (town_w / np.median(town_w)) ** -0.12, 0.9, 2.6) / density
    sigma = 0.6 * spacing * np.sqrt(n_per_town)
    town_of = np.repeat(np.arange(n_main_gem), n_per_town)
    pts = town_xy[town_of] + rng.normal(0, 1, (len(town_of), 2)) * sigma[town_of, None]
    first = np.concatenate([[0], np.cumsum(n_per_town)[:-1]])
    pts[first] = town_xy
    shrink = 1.0
    for _ in range(60):
        bad = ~shapely.contains_xy(land, pts[:, 0], pts[:, 1])
        if not bad.any():
            break
        shrink *= 0.93
        pts[bad] = town_xy[town_of[bad]] + (
            rng.normal(0, 1, (bad.sum(), 2)) * sigma[town_of[bad], None] * shrink)
    bad = ~shapely.contains_xy(land, pts[:, 0], pts[:, 1])
    pts[bad] = town_xy[town_of[bad]]  # (never in practice) fall back to the town centre
    rural = grid_in(land, n_rural, rng)
    main_xy = np.vstack([pts, rural])
    main_xy = _separate(main_xy, land, rng, 0.15 / density)
    main_town = np.concatenate([town_of, np.full(n_rural, -1)])
    cells = [voronoi_cells(main_xy, land)]
    xy = [main_xy]
    island_of = [np.full(len(main_xy), -1)]
    isl_polys = []
    for k, ((lon, lat, hl, hw, ang, _), m) in enumerate(zip(islands, isl_pc4, strict=True)):
        poly = island_polygon(lon, lat, hl, hw, ang)
        isl_polys.append(poly)
        c = to_km([lon], [lat])[0]
        t = np.linspace(-0.55, 0.55, m) if m > 1 else np.zeros(1)
        a = np.radians(ang)
        p = c + np.column_stack([t * hl * np.cos(a), t * hl * np.sin(a)])
        xy.append(p)
        cells.append(voronoi_cells(p, poly))
        island_of.append(np.full(m, k))
    xy_all = np.vstack(xy)
    cells_all = np.concatenate(cells)
    island = np.concatenate(island_of)
    town = np.concatenate([main_town, np.full(len(xy_all) - len(main_town), -1)])
    edges = cell_adjacency(xy_all, cells_all)
    seeds = np.concatenate([first, len(main_xy) + np.concatenate(
        [[0], np.cumsum(isl_pc4)[:-1]]).astype(np.int64)])
    return {
        "xy": xy_all, "cells": cells_all, "island": island, "town": town, "edges": edges,
        "seeds": seeds.astype(np.int64), "town_w": town_w, "n_isl": n_isl,
        "island_polys": isl_polys, "mainland": land,
    }


def _towns(rng: np.random.Generator, land, n: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """n town centres (km) and their population weights: big cities first, then the rest."""
    n_anchor = min(len(ANCHORS), max(1, n // 6))
    a = np.array(ANCHORS[:n_anchor])
    xy = np.zeros((n, 2))
    xy[:n_anchor] = to_km(a[:, 0], a[:, 1])
    excl = np.zeros(n)
    excl[:n_anchor] = 30.0 * np.sqrt(a[:, 2])
    r_min = 5.0 / np.sqrt(scale)
    k = n_anchor
    while k < n:
        cand = sample_in(land, 2 * (n - k) + 16, rng)
        for c in cand:
            d = np.hypot(*(xy[:k] - c).T)
            if np.all(d >= np.maximum(excl[:k], r_min)):
                xy[k] = c
                k += 1
                if k == n:
                    break
        r_min *= 0.9
    w = rng.lognormal(0, 0.8, n)
    w[:n_anchor] = 0
    w *= (1 - a[:, 2].sum()) / w.sum()
    w[:n_anchor] = a[:, 2]
    return xy, w


def _separate(xy: np.ndarray, land, rng: np.random.Generator, min_km: float) -> np.ndarray:
    """Nudge points closer than ``min_km`` apart (degenerate Voronoi cells otherwise),
    keeping them on land."""
    xy = xy.copy()
    for _ in range(5):
        pairs = cKDTree(xy).query_pairs(min_km, output_type="ndarray")
        if not len(pairs):
            break
        j = np.unique(pairs[:, 1])
        moved = xy[j] + rng.normal(0, 2 * min_km, (len(j), 2))
        ok = shapely.contains_xy(land, moved[:, 0], moved[:, 1])
        xy[j[ok]] = moved[ok]
    return xy


# -- people ----------------------------------------------------------------------------------


def _people(rng: np.random.Generator, land: dict, scale: float) -> dict:
    """Inhabitants, children, urbanity and context per PC4 point."""
    n = len(land["xy"])
    area = np.maximum(shapely.area(land["cells"]), 0.3)
    isl = land["island"]
    raw = area ** -0.55 * rng.lognormal(0, 0.35, n)
    raw[rng.uniform(0, 1, n) < 0.03] *= 0.05  # industrial estates, nature: few inhabitants
    main = isl < 0
    inw = np.zeros(n)
    isl_pop = np.array(ISLAND_POPULATION[: land["n_isl"]], float) * scale
    inw[main] = raw[main] * (POPULATION * scale - isl_pop.sum()) / raw[main].sum()
    for k, pop in enumerate(isl_pop):
        m = isl == k
        share = rng.uniform(0.7, 1.3, m.sum())
        inw[m] = pop * share / share.sum()
    inw = np.round(np.maximum(inw, 5)).astype(np.int64)
    # urbanity: rank of address density; classes 1..5 with CBS-like shares of PC4 areas
    addr_density = inw / 2.2 / area
    urban = (np.argsort(np.argsort(addr_density, kind="stable"), kind="stable") + 0.5) / n
    sted = 1 + np.searchsorted(np.cumsum(STED_SHARES)[:-1], 1 - urban, side="right")
    lon, lat = to_lonlat(land["xy"])
    north_east = np.exp(-(((lon - 6.8) * 0.61) ** 2 + (lat - 53.15) ** 2) / (2 * 0.3 ** 2))
    limburg = np.exp(-(((lon - 5.9) * 0.61) ** 2 + (lat - 50.9) ** 2) / (2 * 0.15 ** 2))
    uitk = np.clip(0.045 + 0.05 * urban + 0.03 * north_east + 0.02 * limburg
                   + rng.normal(0, 0.012, n), 0.01, 0.35)
    eenouder = np.clip(0.13 + 0.12 * urban + 0.8 * (uitk - 0.075) + rng.normal(0, 0.03, n),
                       0.03, 0.6)
    child = inw * np.exp(rng.normal(0, 0.12, n)) * (1.15 - 0.35 * urban)
    kpo = child * KIDS_PO * scale / child.sum()
    kvo = kpo * 0.8 * np.exp(rng.normal(0, 0.07, n))
    kvo *= KIDS_VO * scale / kvo.sum()
    return {
        "inwoners": inw, "area": area, "stedelijkheid": sted.astype(float), "urban": urban,
        "aandeel_uitkering": np.round(uitk, 3), "aandeel_eenouder": np.round(eenouder, 3),
        "kinderen_po": np.round(kpo), "kinderen_vo": np.round(kvo),
    }


# -- gemeenten -------------------------------------------------------------------------------


def _gemeenten(rng: np.random.Generator, land: dict, people: dict) -> dict:
    """Gemeente per PC4 (grown from the towns), codes, names, provinces, polygons."""
    xy, seeds = land["xy"], land["seeds"]
    n = len(xy)
    inw = people["inwoners"].astype(float)
    nb = neighbour_lists(n, land["edges"])
    town = land["town"]
    own = np.bincount(town[town >= 0], weights=inw[town >= 0], minlength=len(land["town_w"]))
    targets = np.concatenate([own * inw[land["island"] < 0].sum() / own.sum(),
                              inw[seeds[len(own):]] + 1])
    owner = grow_regions(nb, xy, inw, seeds, targets)
    n_gem = len(seeds)
    polys_km = np.array([shapely.union_all(land["cells"][owner == g]) for g in range(n_gem)],
                        dtype=object)
    centroid = shapely.get_coordinates(shapely.centroid(polys_km))
    prov_xy = to_km([p[2] for p in PROVINCES], [p[3] for p in PROVINCES])
    reach = np.array([p[4] for p in PROVINCES])
    d = np.hypot(centroid[:, None, 0] - prov_xy[None, :, 0],
                 centroid[:, None, 1] - prov_xy[None, :, 1])
    prov = np.argmin(d / reach[None, :], axis=1)
    island = np.zeros(n_gem, bool)
    island[owner[land["island"] >= 0]] = True
    polys = geom_to_lonlat(polys_km)
    lonlat = shapely.get_coordinates(shapely.centroid(polys))
    nb, ferries = _gemeente_graph(land, owner, np.round(lonlat, 5), island)
    prov = _contiguous_provinces(nb, prov)
    # order: provinces in postcode order, then west->east in 15 km bands north->south
    prov_rank = np.array([PC4_ORDER.index(PROVINCES[p][0]) for p in prov])
    band = np.floor(-centroid[:, 1] / 15.0)
    xband = np.where(band % 2 == 0, centroid[:, 0], -centroid[:, 0])
    gem_order = np.lexsort((xband, band, prov_rank))
    rank_of_gem = np.empty(n_gem, np.int64)
    rank_of_gem[gem_order] = np.arange(n_gem)
    dist_seed = np.hypot(*(xy - xy[seeds[owner]]).T)
    pc4_order = np.lexsort((dist_seed, rank_of_gem[owner]))
    pc4_code = np.empty(n, dtype=object)
    pc4_code[pc4_order] = _pc4_codes(rng, n)

    names = np.array(place_names(n_gem - land["n_isl"], rng)
                     + place_names(land["n_isl"], rng, island=True), dtype=object)
    top = max(1999, 2 * n_gem)
    gm_numbers = np.sort(rng.choice(np.arange(1, top + 1), n_gem, replace=False))
    by_name = np.argsort(names.astype(str), kind="stable")
    code = np.empty(n_gem, dtype=object)
    code[by_name] = [f"GM{v:04d}" for v in gm_numbers]
    return {
        "owner": owner, "code": code, "naam": names, "province": prov, "centroid": centroid,
        "lon": lonlat[:, 0], "lat": lonlat[:, 1], "pc4_code": pc4_code, "pc4_order": pc4_order,
        "geometry": {code[g]: polys[g] for g in range(n_gem)}, "polys_km": polys_km,
        "n": n_gem, "island": island, "nb": nb, "ferries": ferries,
    }


def _gemeente_graph(
    land: dict, owner: np.ndarray, lonlat: np.ndarray, island: np.ndarray
) -> tuple[list[list[int]], np.ndarray]:
    """Gemeente adjacency lists (shared border, plus a ferry from every island gemeente to the
    nearest mainland gemeente by great-circle distance between the published centroids, exactly
    as the atlas builder links them) and ferry pairs."""
    def pairs(e: np.ndarray) -> np.ndarray:
        ge = np.sort(np.column_stack([owner[e[:, 0]], owner[e[:, 1]]]), axis=1)
        return np.unique(ge[ge[:, 0] != ge[:, 1]], axis=0).reshape(-1, 2)

    main = np.flatnonzero(~island)
    ferries = []
    for g in np.flatnonzero(island):
        d = haversine_km(lonlat[g, 1], lonlat[g, 0], lonlat[main, 1], lonlat[main, 0])
        ferries.append((g, int(main[np.argmin(d)])))
    ferries_arr = np.array(ferries, np.int64).reshape(-1, 2)
    edges = np.vstack([pairs(_linkable_edges(land, owner)), ferries_arr])
    # a gemeente cut off by dropping long links keeps its polygon neighbours
    lab = components(len(island), edges)
    main_lab = np.bincount(lab).argmax()
    full = pairs(land["edges"])
    off = (lab[full[:, 0]] != main_lab) | (lab[full[:, 1]] != main_lab)
    edges = np.vstack([edges, full[off]])
    return neighbour_lists(len(island), edges), ferries_arr


def _linkable_edges(land: dict, owner: np.ndarray) -> np.ndarray:
    """PC4 adjacencies that the atlas builder's PC4 graph is sure to contain too: all within a
    gemeente, and across gemeenten only when the centroids are at most ``MAX_CROSS_KM`` apart
    (it drops longer cross-border links). Regions grown over these stay contiguous there."""
    e, xy = land["edges"], land["xy"]
    length = np.hypot(*(xy[e[:, 0]] - xy[e[:, 1]]).T)
    return e[(owner[e[:, 0]] == owner[e[:, 1]]) | (length <= MAX_CROSS_KM)]


def _contiguous_provinces(nb: list[list[int]], prov: np.ndarray) -> np.ndarray:
    """Give every gemeente outside the largest piece of its province the province most of
    its neighbours have, until every province is one connected piece."""
    prov = prov.copy()
    for _ in range(50):
        changed = False
        for p in np.unique(prov):
            members = np.flatnonzero(prov == p)
            edges = np.array([(v, u) for v in members for u in nb[v] if prov[u] == p],
                             np.int64).reshape(-1, 2)
            local = np.full(len(prov), -1)
            local[members] = np.arange(len(members))
            lab = components(len(members), local[edges])
            if lab.max() == 0:
                continue
            main = np.argmax(np.bincount(lab))
            for v in members[lab != main]:
                other = [prov[u] for u in nb[v] if prov[u] != p]
                if other:
                    prov[v] = np.bincount(other).argmax()
                    changed = True
        if not changed:
            break
    return prov


# -- jeugdregio's and SWVs -------------------------------------------------------------------


def _partition(
    rng: np.random.Generator, gem: dict, nb: list[list[int]], weight: np.ndarray, k: int,
    sigma: float,
) -> np.ndarray:
    """k contiguous groups of gemeenten with log-normal target sizes, nested in provinces
    when every province can have at least two groups."""
    prov = gem["province"]
    xy = gem["centroid"]
    present = np.unique(prov)
    nest = k >= 2 * len(present)
    groups = [np.flatnonzero(prov == p) for p in present] if nest else [np.arange(gem["n"])]
    if nest:
        share = np.array([weight[g].sum() for g in groups])
        cap = np.array([len(g) for g in groups])
        counts = np.ones(len(groups), np.int64)
        for _ in range(k - len(groups)):
            room = counts < cap
            counts[np.argmax(np.where(room, share / counts, -1))] += 1
    else:
        counts = np.array([k])
    owner = np.full(gem["n"], -1, np.int64)
    next_id = 0
    for g, m in zip(groups, counts, strict=True):
        local = {int(v): i for i, v in enumerate(g)}
        sub = [[local[u] for u in nb[v] if u in local] for v in g]
        degree = np.array([len(x) for x in sub])
        seeds = spread_seeds(xy[g], weight[g], int(m), rng, ~gem["island"][g] & (degree >= 2))
        q = np.exp(sigma * norm.ppf((np.arange(len(seeds)) + 0.5) / len(seeds)))
        targets = np.sort(q)[::-1] * weight[g].sum() / q.sum()
        order = np.argsort(-weight[g][seeds], kind="stable")
        tg = np.empty(len(seeds))
        tg[order] = targets
        own = grow_regions(sub, xy[g], weight[g], seeds, tg, fill_nearest=False)
        own = rebalance(own, sub, weight[g], tg)
        own = fix_tiny(own, sub, xy[g], weight[g], tg, rng)
        owner[g] = np.where(own >= 0, own + next_id, -1)
        next_id += len(seeds)
    # gemeenten that could not be reached inside their province join a neighbouring group
    while (owner < 0).any():
        progress = False
        for v in np.flatnonzero(owner < 0):
            got = [owner[u] for u in nb[v] if owner[u] >= 0]
            if got:
                owner[v] = got[0]
                progress = True
        if not progress:  # (not expected: the graph is connected) nearest owned gemeente
            left, done = np.flatnonzero(owner < 0), np.flatnonzero(owner >= 0)
            _, k = cKDTree(xy[done]).query(xy[left])
            owner[left] = owner[done[k]]
    _, owner = np.unique(owner, return_inverse=True)
    return owner


def _region_codes(
    prefix: str, owner: np.ndarray, gem: dict, weight: np.ndarray
) -> np.ndarray:
    """SWV code per group: province number of its heaviest gemeente, then a serial number."""
    k = owner.max() + 1
    heaviest = np.array([np.flatnonzero(owner == r)[np.argmax(weight[owner == r])]
                         for r in range(k)])
    number = np.array([PROVINCES[p][1] for p in gem["province"][heaviest]])
    order = np.lexsort((-gem["centroid"][heaviest, 1], number))
    used: dict[int, int] = {}
    current: dict[int, int] = {}
    codes = np.empty(k, dtype=object)
    spare = iter(range(32, 100))  # a province with more than 99 SWVs (large scales) overflows
    for r in order:
        num = current.setdefault(int(number[r]), int(number[r]))
        if used.get(num, 0) >= 99:
            num = current[int(number[r])] = next(spare)
        used[num] = used.get(num, 0) + 1
        codes[r] = f"{prefix} {num:02d}-{used[num]:02d}"
    return codes


def _group_names(owner: np.ndarray, gem: dict, inw: np.ndarray, forms: tuple[str, ...],
                 rng: np.random.Generator) -> list[str]:
    k = owner.max() + 1
    main, second = [], []
    for r in range(k):
        m = np.flatnonzero(owner == r)
        m = m[np.argsort(-inw[m], kind="stable")]
        main.append(str(gem["naam"][m[0]]))
        second.append(str(gem["naam"][m[1]]) if len(m) >= 3 and rng.random() < 0.35 else None)
    regions = region_names(main, second)
    return [f.format(r) for f, r in zip(pick(forms, rng, k), regions, strict=True)]


def _regions(rng: np.random.Generator, land: dict, people: dict, gem: dict, scale: float) -> dict:
    """Jeugdregio per gemeente; PO and VO SWV per PC4 (with a few split gemeenten)."""
    owner = gem["owner"]
    nb, ferries = gem["nb"], gem["ferries"]
    inw_g = np.bincount(owner, weights=people["inwoners"], minlength=gem["n"])
    kpo_g = np.bincount(owner, weights=people["kinderen_po"], minlength=gem["n"])
    kvo_g = np.bincount(owner, weights=people["kinderen_vo"], minlength=gem["n"])
    n_jz = int(np.clip(round(N_JEUGDREGIOS * scale), 2, 98))
    jz_owner = _partition(rng, gem, nb, inw_g, n_jz, JZ_SIGMA)
    jz_numbers = [i for i in range(1, 100) if i != 40][: jz_owner.max() + 1]
    jz_codes = np.array([f"JZ{i:02d}" for i in jz_numbers], dtype=object)
    jz_names = _group_names(jz_owner, gem, inw_g, (
        "Jeugdregio {}", "Regio {}", "{} e.o.", "Jeugdzorgregio {}", "Samenwerking Jeugd {}"), rng)
    out = {"jz_code": jz_codes[jz_owner], "jz_table": pd.DataFrame(
        {"jeugdregio": jz_codes, "naam": jz_names})}
    protected = set(ferries[:, 1].tolist()) | set(ferries[:, 0].tolist())
    swv_rows = []
    for sector, weight, forms in (
        ("PO", kpo_g, ("Samenwerkingsverband Passend Primair Onderwijs {}", "SWV PO {}",
                       "Stichting Passend Onderwijs {} e.o.", "Passend Onderwijs {}")),
        ("VO", kvo_g, ("Samenwerkingsverband VO {}", "SWV Voortgezet Onderwijs {}",
                       "Stichting Passend VO {} e.o.", "Samenwerkingsverband {} VO")),
    ):
        k = max(2, int(round(N_SWV[sector] * scale)))
        g_owner = _partition(rng, gem, nb, weight, k, SWV_SIGMA[sector])
        codes = _region_codes(sector, g_owner, gem, weight)
        names = _group_names(g_owner, gem, inw_g, forms, rng)
        swv_rows += list(zip(codes, [sector] * len(codes), names, strict=True))
        pc_swv = g_owner[owner]
        pc_swv = _split_gemeenten(rng, land, owner, pc_swv, max(1, round(3 * scale)),
                                  protected)
        out[f"swv_{sector.lower()}"] = pc_swv
        out[f"swv_codes_{sector.lower()}"] = codes
    out["swv_table"] = pd.DataFrame(swv_rows, columns=["swv", "sector", "naam"])
    return out


def _split_gemeenten(
    rng: np.random.Generator, land: dict, owner: np.ndarray, pc_swv: np.ndarray, n_split: int,
    protected: set[int],
) -> np.ndarray:
    """Move one border PC4 area of ``n_split`` gemeenten to the neighbouring SWV, keeping every
    SWV connected and non-empty (islands and their ferry gemeenten are left whole)."""
    pc_swv = pc_swv.copy()
    e = _linkable_edges(land, owner)
    cross = e[(pc_swv[e[:, 0]] != pc_swv[e[:, 1]])]
    cand = np.vstack([cross, cross[:, ::-1]])  # (pc4 to move, pc4 in the other SWV)
    cand = cand[rng.permutation(len(cand))]
    size = np.bincount(owner)
    nb = neighbour_lists(len(owner), e)
    done: set[int] = set()
    for p, q in cand.tolist():
        if len(done) >= n_split:
            break
        g = int(owner[p])
        if g in done or g in protected or size[g] < 2 or owner[q] == g:
            continue
        src = pc_swv[p]
        members = np.flatnonzero(pc_swv == src)
        if len(members) < 3 or not connected_without(nb, members.tolist(), p):
            continue
        pc_swv[p] = pc_swv[q]
        done.add(g)
    return pc_swv


# -- pupils by home PC4 ----------------------------------------------------------------------


def _home_pupils(rng: np.random.Generator, land: dict, people: dict, regions: dict,
                 scale: float) -> dict[str, np.ndarray]:
    """Pupils living in each PC4 per school type: national totals and rates exact, the
    special-education share depending on context, SWV policy and noise."""
    n = len(land["xy"])

    def z(v: np.ndarray) -> np.ndarray:
        return (v - v.mean()) / (v.std() + 1e-12)

    zu, ze = z(people["aandeel_uitkering"]), z(people["aandeel_eenouder"])

    def share(rate: float, base: np.ndarray, swv: np.ndarray, bu: float, be: float,
              sd_swv: float) -> np.ndarray:
        effect = rng.normal(0, sd_swv, swv.max() + 1)
        w = np.exp(bu * zu + be * ze + effect[swv] + rng.normal(0, 0.2, n))
        return np.minimum(rate * w * base.sum() / (base * w).sum(), 0.3)

    po = people["kinderen_po"] * PUPILS_PO * scale / people["kinderen_po"].sum()
    vo_all = people["kinderen_vo"] * PUPILS_VO * scale / people["kinderen_vo"].sum()
    swv_po, swv_vo = regions["swv_po"], regions["swv_vo"]
    sbo = po * share(RATE["SBO"], po, swv_po, 0.30, 0.15, 0.25)
    so = po * share(RATE["SO"], po, swv_po, 0.25, 0.20, 0.22)
    vso = vo_all * share(RATE["VSO"], vo_all, swv_vo, 0.25, 0.20, 0.22)
    rest = vo_all - vso
    pro = rest * share(RATE["PRO"], rest, swv_vo, 0.35, 0.10, 0.25)
    return {"BAO": po - sbo - so, "SBO": sbo, "SO": so, "VO": rest - pro, "PRO": pro,
            "VSO": vso}


# -- tables and bundle -----------------------------------------------------------------------


def _tables(land: dict, people: dict, gem: dict, regions: dict) -> dict[str, pd.DataFrame]:
    owner = gem["owner"]
    o = gem["pc4_order"]
    lon, lat = to_lonlat(land["xy"])
    inw_g = np.bincount(owner, weights=people["inwoners"], minlength=gem["n"])
    kpo_g = np.bincount(owner, weights=people["kinderen_po"], minlength=gem["n"])
    gem_order = np.argsort(gem["code"].astype(str))
    gemeenten = pd.DataFrame({
        "gemeente": gem["code"], "naam": gem["naam"],
        "provincie": [PROVINCES[p][0] for p in gem["province"]],
        "jeugdregio": regions["jz_code"], "inwoners": inw_g.round().astype(np.int64),
        "inwoners_0_14": (kpo_g * 1.86).round().astype(np.int64),
        "lat": gem["lat"].round(5), "lon": gem["lon"].round(5),
    }).iloc[gem_order].reset_index(drop=True)
    pc4 = pd.DataFrame({
        "pc4": gem["pc4_code"][o], "gemeente": gem["code"][owner][o],
        "lat": lat[o].round(5), "lon": lon[o].round(5), "inwoners": people["inwoners"][o],
        "kinderen_po": people["kinderen_po"][o], "kinderen_vo": people["kinderen_vo"][o],
        "stedelijkheid": people["stedelijkheid"][o],
        "aandeel_eenouder": people["aandeel_eenouder"][o],
        "aandeel_uitkering": people["aandeel_uitkering"][o],
    })
    indeling = pd.DataFrame({
        "pc4": gem["pc4_code"][o],
        "swv_po": regions["swv_codes_po"][regions["swv_po"]][o],
        "swv_vo": regions["swv_codes_vo"][regions["swv_vo"]][o],
    })
    swv = regions["swv_table"].sort_values("swv", ignore_index=True)
    jz = regions["jz_table"].sort_values("jeugdregio", ignore_index=True)
    return {"gemeenten": gemeenten, "jeugdregios": jz, "pc4": pc4, "swv": swv,
            "indeling": indeling}


def _bundle(seed: int, scale: float, tables: dict, geometry: dict) -> TableBundle:
    source = f"synthetisch land (nabij), seed {seed}, schaal {scale:g}"
    note = ("Synthetisch: deze tabel is gegenereerd door nabij en beschrijft geen echte "
            "gemeenten, scholen of leerlingen.")
    tables["scholen"]["lat"] = tables["scholen"]["lat"].round(5)
    tables["scholen"]["lon"] = tables["scholen"]["lon"].round(5)
    provenance = {name: {"status": "modelled", "source": source, "notes": [note]}
                  for name in tables}
    provenance["scholen"]["notes"] = [note, "Leerlingaantallen per vestiging zijn "
                                      "gemodelleerd (zwaartekrachtregel vanuit woonpostcodes)."]
    provenance["indeling"]["notes"] = [note, "Leerlingen van een SWV worden geteld op de "
                                       "vestigingsplaats van de school, zoals DUO doet."]
    n_pc4 = len(tables["pc4"])
    notes = [
        f"Synthetisch Nederland (seed {seed}, schaal {scale:g}): alle tabellen zijn "
        "gegenereerd en gekalibreerd op landelijke cijfers (342 gemeenten, 42 jeugdregio's, "
        "76 PO- en 74 VO-samenwerkingsverbanden, 1,44 mln leerlingen PO en 0,97 mln VO op "
        "schaal 1); het zijn geen echte gegevens.",
        "Deelname SBO/SO/VSO/PrO hangt deels af van context (uitkeringen, eenoudergezinnen) "
        "en deels van een niet-verklaard effect per samenwerkingsverband.",
        "Leerlingen van een samenwerkingsverband worden geteld op de vestigingsplaats van "
        "de school (zoals DUO).",
    ]
    if n_pc4 > MAX_PC4:
        notes.append("Vier cijfers geven hoogstens 9.000 postcodes: boven dat aantal krijgen de "
                     "synthetische postcodegebieden een lettertoevoeging (bv. 1011B), als "
                     "deelgebieden van een postcode.")
    return TableBundle(
        name=f"Synthetisch Nederland (seed {seed}, schaal {scale:g})",
        reference_year=REFERENCE_YEAR,
        tables=tables,
        provenance=provenance,
        sources=[{"naam": source, "omschrijving": "gegenereerd door nabij.sources.synthetic; "
                  "kalibratie op landelijke cijfers van DUO, CBS en OCW (FIGURES.md)"}],
        notes=notes,
        geometry=geometry,
    )
