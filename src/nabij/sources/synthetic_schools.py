"""Schools, boards and pupils of the synthetic country.

School locations are placed on PC4 areas by systematic PPS sampling along the PC4 code order
(which follows the map), so they are spread over the country in proportion to the children
living there. Pupils living in a PC4 area are sent to nearby schools of their type with a
gravity rule (attractiveness x exp(-distance / lambda)) over the k nearest locations; the
school counts and the counts by home gemeente are rounded together so that every national
total per school type is identical in both tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from nabij.sources.synthetic_geo import to_lonlat
from nabij.sources.synthetic_names import board_names, school_names

# locations per school type at scale 1 (FIGURES.md section 3)
N_BAO, N_SBO, N_VO, N_PRO = 6200, 270, 1450, 180
N_SPECIAL_COMBINED, N_SO_ONLY, N_VSO_ONLY = 140, 160, 160
N_BOARDS = {"PO": 850, "VO": 280, "SO": 86}

# gravity rule: (k nearest locations, distance decay lambda in km)
GRAVITY = {"BAO": (8, 1.5), "SBO": (6, 6.0), "VO": (8, 5.0), "PRO": (6, 8.0)}
CLUSTER_GRAVITY = {1: (8, 80.0), 2: (8, 30.0), 3: (8, 15.0), 4: (8, 15.0)}
CLUSTER_SHARE = {  # share of SO / VSO pupils per cluster (FIGURES.md: SO ~1/17/50/33 %)
    "SO": {1: 0.01, 2: 0.17, 3: 0.49, 4: 0.33},
    "VSO": {1: 0.01, 2: 0.07, 3: 0.40, 4: 0.52},
}


SCHOLEN_COLUMNS = ["vestiging", "brin", "naam", "soort", "clusters", "bestuur", "gemeente", "pc4",
                   "lat", "lon", "leerlingen", "leerlingen_gemodelleerd"]


@dataclass
class SchoolInput:
    """What the school generator needs to know about the PC4 areas (in PC4 code order)."""

    pc4: np.ndarray  # codes
    gemeente: np.ndarray  # gemeente code per PC4
    gemeente_naam: np.ndarray  # gemeente name per PC4
    xy: np.ndarray  # km
    cells: np.ndarray  # shapely polygons, km
    island: np.ndarray  # island index or -1
    kinderen_po: np.ndarray
    kinderen_vo: np.ndarray
    home: dict[str, np.ndarray]  # school type -> pupils living in each PC4 (float)
    swv_po: np.ndarray  # PO SWV (group number) per PC4
    swv_vo: np.ndarray  # VO SWV (group number) per PC4


def largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    """Non-negative integers close to ``values`` that add up to ``total`` exactly."""
    values = np.clip(np.asarray(values, float), 0, None)
    s = values.sum()
    if s <= 0:
        out = np.zeros(len(values), np.int64)
        if total and len(values):
            out[0] = total
        return out
    scaled = values * (total / s)
    base = np.floor(scaled).astype(np.int64)
    rest = int(total - base.sum())
    if rest > 0:
        order = np.argsort(-(scaled - base), kind="stable")[:rest]
        base[order] += 1
    return base


def pps(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Systematic PPS sample of n positions (with repeats) along the array order."""
    cum = np.cumsum(np.clip(weights, 0, None))
    step = cum[-1] / n
    return np.searchsorted(cum, rng.uniform(0, step) + step * np.arange(n), side="right")


def pps_per_group(
    weights: np.ndarray, n: int, group: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Like :func:`pps`, but first one position in every group (drawn with probability
    proportional to weight within the group): every SWV gets at least one location."""
    key = rng.exponential(1.0, len(weights)) / np.maximum(weights, 1e-9)
    order = np.lexsort((key, group))
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]]
    rest = pps(weights, n - len(first), rng) if n > len(first) else np.zeros(0, np.int64)
    return np.sort(np.concatenate([first, rest]))


def gravity(
    home: np.ndarray, pc_xy: np.ndarray, school_xy: np.ndarray, school_pc: np.ndarray,
    attract: np.ndarray, k: int, lam: float,
) -> np.ndarray:
    """Pupils per school when each PC4's pupils spread over its k nearest schools (and every
    school also draws from its own PC4 area)."""
    n_s = len(school_xy)
    k = min(k, n_s)
    d, j = cKDTree(school_xy).query(pc_xy, k)
    d, j = d.reshape(len(pc_xy), k), j.reshape(len(pc_xy), k)
    i = np.repeat(np.arange(len(pc_xy), dtype=np.int64), k)
    key = np.unique(np.concatenate([i * n_s + j.ravel(), school_pc * n_s + np.arange(n_s)]))
    pi, sj = key // n_s, key % n_s
    dist = np.maximum(np.hypot(*(pc_xy[pi] - school_xy[sj]).T), 0.3)
    dmin = np.full(len(pc_xy), np.inf)
    np.minimum.at(dmin, pi, dist)
    w = attract[sj] * np.exp(-(dist - dmin[pi]) / lam)
    norm = np.bincount(pi, weights=w, minlength=len(pc_xy))
    return np.bincount(sj, weights=home[pi] * w / norm[pi], minlength=n_s)


def _locations(
    inp: SchoolInput, pc_idx: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Positions (km) of school locations in PC4 areas ``pc_idx``: near the PC4 centre."""
    area = shapely.area(inp.cells[pc_idx])
    r = 0.3 * np.sqrt(area / np.pi)
    ang = rng.uniform(0, 2 * np.pi, len(pc_idx))
    rad = r * np.sqrt(rng.uniform(0, 1, len(pc_idx)))
    xy = inp.xy[pc_idx] + np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    inside = shapely.contains_xy(inp.cells[pc_idx], xy[:, 0], xy[:, 1])
    xy[~inside] = inp.xy[pc_idx][~inside]
    return xy, pc_idx


def _ensure_islands(inp: SchoolInput, idx: np.ndarray, min_pc4: int) -> np.ndarray:
    """Add a location on every island (with at least ``min_pc4`` PC4 areas) that has none."""
    extra = []
    for isl in np.unique(inp.island[inp.island >= 0]):
        members = np.flatnonzero(inp.island == isl)
        if len(members) >= min_pc4 and not np.isin(idx, members).any():
            extra.append(members[0])
    return np.sort(np.concatenate([idx, np.array(extra, np.int64)]))


def _chunks(n_items: int, n_groups: int, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Group label per item: n_groups consecutive groups, sizes 1 + heavy-tailed extra."""
    n_groups = max(1, min(n_groups, n_items))
    extra = largest_remainder(rng.lognormal(0, sigma, n_groups), n_items - n_groups)
    return np.repeat(np.arange(n_groups), 1 + extra)


def _institutions(board: np.ndarray, cont: float, rng: np.random.Generator) -> tuple[
        np.ndarray, np.ndarray]:
    """Institution label and location number for locations ordered by board: a location
    continues the previous institution with probability ``cont`` (never across boards)."""
    n = len(board)
    new = rng.uniform(0, 1, n) >= cont
    if n:
        new[0] = True
    new[1:] |= board[1:] != board[:-1]
    inst = np.cumsum(new) - 1
    pos = pd.Series(inst).groupby(inst).cumcount().to_numpy()
    inst = inst * 1000 + pos // 99  # never more than 99 locations under one BRIN
    _, inst = np.unique(inst, return_inverse=True)
    pos = pos % 99
    return inst, pos


def _brins(n: int, rng: np.random.Generator) -> np.ndarray:
    """n unique BRIN codes: two digits, a digit or letter, a letter (e.g. 12AB, 04T7 is not)."""
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    third = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    v = rng.choice(100 * 36 * 26, n, replace=False)
    d, v = v // (36 * 26), v % (36 * 26)
    t, last = v // 26, v % 26
    return np.array([f"{a:02d}{b}{c}" for a, b, c in zip(d, third[t], letters[last],
                                                         strict=True)])


def _location_frames(groups: list, inp: SchoolInput, clusters: np.ndarray,
                     rng: np.random.Generator) -> tuple[list[pd.DataFrame], int]:
    """One frame per location group (types, PC4, position, board, pupils, names) and the
    number of institutions (BRIN) they use."""
    frames = []
    n_inst = 0
    for types, pc, xy, board, cont, name_kind, pup in groups:
        o = np.lexsort((pc, board.astype(str)))
        inst, pos = _institutions(board[o].astype(str), cont, rng)
        places = list(inp.gemeente_naam[pc[o]])
        if name_kind == "VO":
            names = np.where(types[o] == "PRO", school_names("PRO", places, rng),
                             school_names("VO", places, rng))
        else:
            names = np.array(school_names(name_kind, places, rng))
        lon, lat = to_lonlat(xy[o])
        loc = pd.DataFrame({
            "kind": types[o], "inst": inst + n_inst, "pos": pos, "naam": names,
            "bestuur": board[o], "gemeente": inp.gemeente[pc[o]], "pc4": inp.pc4[pc[o]],
            "lat": lat, "lon": lon,
            "clusters": clusters[o] if name_kind == "SO/VSO" else None,
        })
        for t, p in pup.items():
            loc["_" + t] = p[o]
        frames.append(loc)
        n_inst += int(inst.max()) + 1 if len(inst) else 0
    return frames, n_inst


def build_schools(inp: SchoolInput, scale: float, rng: np.random.Generator) -> dict[
        str, pd.DataFrame]:
    """Tables ``scholen``, ``besturen`` and ``leerlingen_woongemeente``."""
    def n(x: float) -> int:
        return max(1, int(round(x * scale)))

    kpo, kvo = inp.kinderen_po, inp.kinderen_vo

    # -- locations -------------------------------------------------------------------
    bao = _ensure_islands(inp, pps(kpo ** 0.6, n(N_BAO), rng), 1)
    sbo = pps_per_group(kpo, n(N_SBO), inp.swv_po, rng)
    vo = _ensure_islands(inp, pps(kvo ** 0.8, n(N_VO), rng), 2)
    pro = pps_per_group(kvo, n(N_PRO), inp.swv_vo, rng)
    n_comb, n_so, n_vso = n(N_SPECIAL_COMBINED), n(N_SO_ONLY), n(N_VSO_ONLY)
    spec = pps(kpo + kvo, n_comb + n_so + n_vso, rng)
    kind = rng.permutation(np.repeat(np.array(["C", "S", "V"]), [n_comb, n_so, n_vso]))
    clusters = rng.choice(np.array(["3", "4", "3;4"]), len(spec), p=[0.38, 0.42, 0.20])
    comb = np.flatnonzero(kind == "C")
    n_c1, n_c2 = max(1, round(4 * scale)), max(1, round(28 * scale))
    clusters[comb[:n_c1]] = "1"
    clusters[comb[n_c1:n_c1 + n_c2]] = "2"
    if len(comb) > n_c1 + n_c2:
        clusters[comb[n_c1 + n_c2]] = "3;4"  # every cluster 3 and 4 is offered in SO and VSO

    # -- pupils ------------------------------------------------------------------------
    locs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for t, idx in (("BAO", bao), ("SBO", sbo), ("VO", vo), ("PRO", pro)):
        locs[t] = _locations(inp, idx, rng)
    spec_xy, _ = _locations(inp, spec, rng)
    pupils: dict[str, np.ndarray] = {}
    for t in ("BAO", "SBO", "VO", "PRO"):
        xy, pc = locs[t]
        k, lam = GRAVITY[t]
        attract = rng.lognormal(0, 0.4, len(pc))
        pupils[t] = gravity(inp.home[t], inp.xy, xy, pc, attract, k, lam)
    spec_attract = rng.lognormal(0, 0.4, len(spec))
    sets = [set(c.split(";")) for c in clusters]
    for t, ok_kind in (("SO", ("C", "S")), ("VSO", ("C", "V"))):
        tot = np.zeros(len(spec))
        for c, share in CLUSTER_SHARE[t].items():
            sel = np.flatnonzero(np.isin(kind, ok_kind) & np.array([str(c) in s for s in sets]))
            k, lam = CLUSTER_GRAVITY[c]
            tot[sel] += gravity(inp.home[t] * share, inp.xy, spec_xy[sel], spec[sel],
                                spec_attract[sel], k, lam)
        pupils[t] = tot
    totals = {t: int(round(inp.home[t].sum())) for t in inp.home}

    # -- boards, BRIN, rows ---------------------------------------------------------------
    board_rows: list[tuple[str, str, str]] = []
    board_ids = iter(rng.choice(90000, sum(n(v) for v in N_BOARDS.values()) + 10,
                                replace=False) + 10**4)  # five-digit board numbers

    def boards(sector: str, order_pc: np.ndarray, sigma: float) -> np.ndarray:
        labels = _chunks(len(order_pc), n(N_BOARDS[sector]), rng, sigma)
        ids = np.array([str(next(board_ids)) for _ in range(labels.max() + 1)])
        first = pd.Series(order_pc).groupby(labels).first().to_numpy()
        names = board_names(sector, list(inp.gemeente_naam[first]), rng)
        board_rows.extend(zip(ids, names, [sector] * len(ids), strict=True))
        return ids[labels]

    # PO: BAO locations in PC4 order; SBO joins the board of the nearest BAO location
    order = np.argsort(locs["BAO"][1], kind="stable")
    bao_board = np.empty(len(order), dtype=object)
    bao_board[order] = boards("PO", locs["BAO"][1][order], 1.3)
    _, near = cKDTree(locs["BAO"][0]).query(locs["SBO"][0])
    sbo_board = bao_board[np.atleast_1d(near)]
    # VO and PrO together, in PC4 order
    vp_pc = np.concatenate([locs["VO"][1], locs["PRO"][1]])
    vp_type = np.array(["VO"] * len(locs["VO"][1]) + ["PRO"] * len(locs["PRO"][1]))
    vp_order = np.argsort(vp_pc, kind="stable")
    vp_board = np.empty(len(vp_pc), dtype=object)
    vp_board[vp_order] = boards("VO", vp_pc[vp_order], 1.0)
    sp_order = np.argsort(spec, kind="stable")
    sp_board = np.empty(len(spec), dtype=object)
    sp_board[sp_order] = boards("SO", spec[sp_order], 0.8)

    # one frame per location group: types per location, PC4, position, board, pupils
    vp_xy = np.vstack([locs["VO"][0], locs["PRO"][0]])
    vp_pupils = np.concatenate([pupils["VO"], pupils["PRO"]])
    groups = [  # (type per location, pc4 idx, xy, board, continue-probability, name kind)
        (np.full(len(bao_board), "BAO"), locs["BAO"][1], locs["BAO"][0], bao_board, 0.02, "BAO",
         {"BAO": pupils["BAO"]}),
        (np.full(len(sbo_board), "SBO"), locs["SBO"][1], locs["SBO"][0], sbo_board, 0.0, "SBO",
         {"SBO": pupils["SBO"]}),
        (vp_type, vp_pc, vp_xy, vp_board, 0.6, "VO", {"VO": vp_pupils, "PRO": vp_pupils}),
        (kind, spec, spec_xy, sp_board, 0.43, "SO/VSO", {"SO": pupils["SO"],
                                                        "VSO": pupils["VSO"]}),
    ]
    frames, n_inst = _location_frames(groups, inp, clusters, rng)
    brin = _brins(n_inst, rng)
    rows = []
    for loc in frames:
        loc["brin"] = brin[loc["inst"].to_numpy()]
        loc["vestiging"] = loc["brin"] + loc["pos"].map("{:02d}".format)
        kinds: tuple[tuple[str, tuple[str, ...]], ...] = (
            ("BAO", ("BAO",)), ("SBO", ("SBO",)), ("VO", ("VO",)), ("PRO", ("PRO",)),
            ("SO", ("C", "S")), ("VSO", ("C", "V")))
        for t, kinds_ok in kinds:
            if "_" + t not in loc:
                continue
            sel = loc[loc["kind"].isin(kinds_ok)]
            rows.append(sel.assign(soort=t, _p=sel["_" + t]))
    scholen = pd.concat(rows, ignore_index=True)
    scholen["leerlingen"] = 0
    for t, total in totals.items():
        sel = (scholen["soort"] == t).to_numpy()
        scholen.loc[sel, "leerlingen"] = largest_remainder(scholen.loc[sel, "_p"].to_numpy(),
                                                           total)
    scholen["leerlingen_gemodelleerd"] = True
    scholen = scholen[SCHOLEN_COLUMNS].reset_index(drop=True)

    # -- pupils by home gemeente ----------------------------------------------------------
    gem_codes, gem_idx = np.unique(inp.gemeente, return_inverse=True)
    lw = []
    for t, total in totals.items():
        per_gem = np.bincount(gem_idx, weights=inp.home[t], minlength=len(gem_codes))
        lw.append(pd.DataFrame({"gemeente": gem_codes, "soort": t,
                                "leerlingen": largest_remainder(per_gem, total)}))
    woon = pd.concat(lw, ignore_index=True)
    besturen = pd.DataFrame(board_rows, columns=["bestuur", "naam", "sectoren"])
    return {"scholen": scholen, "besturen": besturen, "leerlingen_woongemeente": woon}
