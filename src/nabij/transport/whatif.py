"""What-if for leerlingenvervoer: open inclusive provision near home, or close a location.

Method (greedy, documented; a heuristic, not an optimum)
---------------------------------------------------------
1. **Pieces.** Each modelled flow (home PC4 -> school, type t) of a type the what-if touches
   is split by cluster: a school with clusters C (``"3;4"``) sends cluster c in C the share
   w_c / sum_{c' in C} w_c' of its pupils, with the national SO mix w = (1: 1 %, 2: 17 %,
   3: 49 %, 4: 33 %) (FIGURES.md section 2); a school without clusters counts as all four.
   SBO has no clusters.
2. **Suitable places** for a piece of type t and cluster c: schools of type t that offer c (or
   have no clusters listed) and new provisions of type t that offer c (or list none).
3. **Closures first** (their pupils *must* move): every (piece, suitable place) pair is ranked
   by distance saving d_old - d_new (largest first: least extra travel); pupils go to the
   best pair while the place has room. Room: a new provision's capacity; an existing school's
   spare room = ``spare_share`` (default 10 %) x its pupils. Pupils left over go to the
   nearest suitable place regardless of room (reported as *boven capaciteit*).
4. **New provisions** then take pupils who gain from moving: pairs (piece, new provision)
   with a positive saving, largest saving first, until capacity is full.
5. **Costs** before and after with the same calibrated :class:`~nabij.transport.cost.CostModel`
   (same take-up, EUR fixed and EUR per km): savings come from shorter trips and from pupils
   who fall under the distance limit. Everything is reported by the pupil's home gemeente
   (who pays for transport) and is *gemodelleerd*.

:func:`nabij.fund.savings.savings_source` turns positive savings per gemeente into an
inclusiefonds source for the following years ("besparingen vloeien terug in het fonds").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.io import writers as export
from nabij.io.oserrors import os_reason
from nabij.privacy import DEFAULT_THRESHOLD, publish, publish_values, published_totals
from nabij.tables import NL_LAT, NL_LON, clusters_of
from nabij.transport.cost import (
    MODELLED,
    TRANSPORT_TYPES,
    CostModel,
    CostParams,
    by_level,
    calibrate,
    nl,
    totals_of,
    transport_trips,
)

MOVE_COLUMNS = ["i", "j", "x", "km", "over"]

CLUSTER_MIX = {1: 0.01, 2: 0.17, 3: 0.49, 4: 0.33}
"""National SO pupils by cluster (2021, ocwincijfers): the split of a multi-cluster school."""


@dataclass(frozen=True)
class Provision:
    """A new (inclusive) place: e.g. an OZA or an SO cluster-4 group in a regular school."""

    naam: str
    soort: str
    lat: float
    lon: float
    capaciteit: float
    clusters: frozenset[int] = frozenset()
    vorm: str = "inclusieve voorziening"

    def __post_init__(self) -> None:
        object.__setattr__(self, "clusters", frozenset(int(c) for c in self.clusters))
        problems = []
        if self.soort not in TRANSPORT_TYPES:
            problems.append(Problem(f"soort '{self.soort}' onbekend; kies SBO, SO of VSO",
                                    column="soort"))
        if not (NL_LAT[0] <= self.lat <= NL_LAT[1] and NL_LON[0] <= self.lon <= NL_LON[1]):
            problems.append(Problem(f"plaats {self.lat}, {self.lon} ligt niet in Nederland",
                                    column="plaats"))
        if not self.capaciteit > 0:
            problems.append(Problem("capaciteit moet groter dan 0 zijn", column="capaciteit"))
        if self.soort == "SBO" and self.clusters:
            problems.append(Problem("SBO kent geen clusters; laat cluster leeg",
                                    column="cluster"))
        if any(c not in CLUSTER_MIX for c in self.clusters):
            problems.append(Problem("cluster moet 1, 2, 3 of 4 zijn", column="cluster"))
        if problems:
            raise InputError(f"Voorziening '{self.naam}' is ongeldig", problems)


@dataclass(frozen=True)
class Closure:
    """Close an existing location (all its special types, or one ``soort``)."""

    vestiging: str
    soort: str | None = None


@dataclass
class WhatIfResult:
    """Before/after by home gemeente, per provision, the moves, totals (all modelled)."""

    model: CostModel
    per_gemeente: pd.DataFrame
    per_voorziening: pd.DataFrame
    verplaatsingen: pd.DataFrame
    totals: dict
    notes: list[str]
    trips_before: pd.DataFrame
    trips_after: pd.DataFrame
    threshold: int = DEFAULT_THRESHOLD
    provisions: tuple[Provision, ...] = field(default_factory=tuple)
    closures: tuple[Closure, ...] = field(default_factory=tuple)
    per_regio: pd.DataFrame | None = None
    suppress: bool = True

    def savings(self) -> pd.Series:
        """Positive yearly savings (EUR) per home gemeente."""
        s = self.per_gemeente.set_index("gemeente")["besparing"]
        return s[s > 0]

    def published(self) -> dict[str, pd.DataFrame]:
        """Every table as published, through :func:`nabij.privacy.publish`: counts below the
        threshold hidden, with complementary cells against the totals they add up to."""
        thr, sup = self.threshold, self.suppress
        moved_sum = ("vervoerd_voor", "vervoerd_na", "leerlingen_verplaatst")
        out = {
            "per_gemeente": publish(self.per_gemeente, threshold=thr, row_totals=[moved_sum],
                                    suppress=sup),
            "voorzieningen": publish(self.per_voorziening, threshold=thr, suppress=sup),
            "verplaatsingen": publish(self.verplaatsingen, ["leerlingen"], thr,
                                      totals=[(), ("gemeente",), ("naar",)], suppress=sup),
            "totaal": published_totals(self.totals, thr, sup),
        }
        if self.per_regio is not None:
            out["per_regio"] = publish(self.per_regio, threshold=thr,
                                       row_totals=[("vervoerd_voor", "vervoerd_na")],
                                       suppress=sup)
        return out

    def published_totals(self) -> dict:
        """The headline totals as published (counts below the threshold hidden)."""
        return publish_values(self.totals, self.threshold, suppress=self.suppress)

    def write(self, out: str | Path) -> list[Path]:
        paths = export.write_tables(
            out, "watals", self.published(), self.notes,
            "Wat-als leerlingenvervoer (gemodelleerd)",
            {"format": "nabij-vervoer-watals", "version": 1, "totaal": self.published_totals(),
             "toelichting": self.notes})
        s = self.savings().round(0).astype("int64")
        paths.append(export.write_csv(pd.DataFrame({"code": s.index, "bedrag": s.to_numpy()}),
                                      Path(out) / "besparing.csv"))
        return paths


# -- input -------------------------------------------------------------------------------------

def parse_place(text: str, atlas) -> tuple[float, float]:
    """``"52.09,5.12"`` (lat,lon) or a PC4 code of the Atlas (its centroid)."""
    t = text.strip()
    if t.isdigit() and len(t) == 4:
        pc4 = atlas.pc4
        row = pc4[pc4["pc4"].astype(str) == t]
        if row.empty:
            raise InputError(f"--plaats: postcode {t} komt niet voor in de atlas")
        return float(row["lat"].iloc[0]), float(row["lon"].iloc[0])
    parts = t.replace(";", ",").split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError as e:
        raise InputError(f"--plaats '{text}': geef 'breedte,lengte' (bijv. 52.09,5.12) of een "
                         "postcode van 4 cijfers") from e
    return lat, lon


def read_provisions(path: str | Path, atlas) -> tuple[list[Provision], list[Closure]]:
    """Read a CSV of changes: columns ``actie`` (open/sluit), ``naam``, ``soort``, ``cluster``,
    ``capaciteit``, ``lat``/``lon`` or ``pc4`` (open), ``vestiging`` (sluit).
    Problems name file, row and column (Dutch)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"voorzieningenbestand {path} kan niet gelezen worden: "
                         f"{os_reason(e)}") from e
    lines = text.splitlines()
    if not lines:
        raise InputError(f"voorzieningenbestand {path} is leeg")
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=sep)
    adds: list[Provision] = []
    closes: list[Closure] = []
    problems: list[Problem] = []
    known = set(atlas.scholen["vestiging"].astype(str))
    for row, rec in enumerate(reader, start=2):
        r = {str(k).strip().lower(): (v or "").strip() for k, v in rec.items() if k}
        actie = (r.get("actie") or "open").lower()
        if actie in ("sluit", "sluiten"):
            v = r.get("vestiging", "")
            if v not in known:
                problems.append(Problem(f"vestiging '{v}' komt niet voor in de atlas",
                                        str(path), row, "vestiging"))
            else:
                closes.append(Closure(v, r.get("soort") or None))
            continue
        if actie not in ("open", "openen", "nieuw"):
            problems.append(Problem(f"actie '{actie}' onbekend; gebruik open of sluit",
                                    str(path), row, "actie"))
            continue
        try:
            if r.get("pc4"):
                lat, lon = parse_place(r["pc4"], atlas)
            else:
                lat, lon = float(r.get("lat", "").replace(",", ".")), float(
                    r.get("lon", "").replace(",", "."))
        except (ValueError, InputError):
            problems.append(Problem("geef lat en lon (getallen) of een bekende pc4",
                                    str(path), row, "lat"))
            continue
        try:
            cap = float(r.get("capaciteit", "").replace(",", "."))
        except ValueError:
            problems.append(Problem(f"'{r.get('capaciteit', '')}' is geen getal", str(path), row,
                                    "capaciteit"))
            continue
        try:
            cl = clusters_of(r.get("cluster") or r.get("clusters") or None)
        except ValueError:
            problems.append(Problem("cluster moet bijv. 4 of 3;4 zijn", str(path), row,
                                    "cluster"))
            continue
        try:
            adds.append(Provision(r.get("naam") or f"voorziening rij {row}",
                                  (r.get("soort") or "").upper(), lat, lon, cap, frozenset(cl),
                                  r.get("vorm") or "inclusieve voorziening"))
        except InputError as e:
            problems += [Problem(p.message, str(path), row, p.column) for p in e.problems]
    if problems:
        raise InputError("Voorzieningenbestand is ongeldig; er is niets geschreven", problems)
    if not adds and not closes:
        raise InputError(f"voorzieningenbestand {path} bevat geen voorzieningen")
    return adds, closes


# -- the what-if ---------------------------------------------------------------------------------

@dataclass
class _Places:
    """Destinations of a what-if (existing schools 0..n_sch-1, new provision k at n_sch + k)
    and the pieces of flow that may move (their type, cluster, home, km, pupils left)."""

    n_sch: int
    room: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    type: np.ndarray
    clusters: list
    open: np.ndarray
    closed: set[int]
    p_lat: np.ndarray
    p_lon: np.ndarray
    p_type: np.ndarray
    p_cluster: np.ndarray
    km: np.ndarray
    remaining: np.ndarray
    moves: list[tuple[int, int, float, float, bool]]

    def suitable(self, t: str, c: int) -> np.ndarray:
        """Open places of type t that offer cluster c (or list no clusters)."""
        idx = np.flatnonzero((self.type == t) & self.open)
        if c > 0:
            idx = np.array([i for i in idx if not self.clusters[i] or c in self.clusters[i]],
                           dtype=np.int64)
        return idx

    def take(self, i: int, j: int, x: float, km: float, over: bool = False) -> None:
        self.moves.append((int(i), int(j), x, float(km), over))
        self.remaining[i] -= x
        self.room[j] -= x


def _places(atlas, pieces: pd.DataFrame, add: tuple[Provision, ...], closed: set[int],
            spare_share: float) -> _Places:
    sch = atlas.scholen
    room = np.concatenate([spare_share * sch["leerlingen"].to_numpy(float),
                           np.array([pv.capaciteit for pv in add], float)])
    room[list(closed)] = 0.0
    d_type = np.concatenate([sch["soort"].astype(str).to_numpy(object),
                             np.array([pv.soort for pv in add], object)])
    ok_dest = np.ones(len(d_type), bool)
    ok_dest[list(closed)] = False
    home = pieces["pc4_pos"].to_numpy()
    return _Places(
        n_sch=len(sch), room=room,
        lat=np.concatenate([sch["lat"].to_numpy(float), [pv.lat for pv in add]]),
        lon=np.concatenate([sch["lon"].to_numpy(float), [pv.lon for pv in add]]),
        type=d_type, clusters=cluster_sets(sch) + [set(pv.clusters) for pv in add],
        open=ok_dest, closed=closed,
        p_lat=atlas.pc4["lat"].to_numpy(float)[home], p_lon=atlas.pc4["lon"].to_numpy(float)[home],
        p_type=pieces["soort"].to_numpy(object), p_cluster=pieces["cluster"].to_numpy(),
        km=pieces["km"].to_numpy(float).copy(),
        remaining=pieces["leerlingen"].to_numpy(float).copy(), moves=[])


def what_if(
    atlas,
    add: Sequence[Provision] = (),
    close: Sequence[Closure] = (),
    model: CostModel | None = None,
    params: CostParams | None = None,
    spare_share: float = 0.10,
    threshold: int = DEFAULT_THRESHOLD,
    level=None,
) -> WhatIfResult:
    """Run the what-if of the module docstring on ``atlas``.

    Phases: the pieces of flow of the affected types and the places they may go
    (:func:`_places`), the mandatory moves out of closed locations (:func:`_closure_moves`),
    the optional moves into new provisions (:func:`_addition_moves`), then costs before and
    after, tables and notes. ``level`` (optional): a fund level name or a Division for an
    extra per-region table.
    """
    add, close = tuple(add), tuple(close)
    if not add and not close:
        raise InputError("geef minstens één nieuwe voorziening of één sluiting op")
    p = model.params if model is not None else (params or CostParams())
    trips = transport_trips(atlas, p)
    model = model or calibrate(trips, p)
    sch = atlas.scholen
    closed = _closed_positions(sch, close)
    types = sorted({pv.soort for pv in add} | {str(sch["soort"].iloc[i]) for i in closed})
    pieces = _pieces(trips, sch, types)
    places = _places(atlas, pieces, add, closed, spare_share)
    displaced = np.flatnonzero(np.isin(pieces["school_pos"].to_numpy(), list(closed))) \
        if closed else np.zeros(0, int)
    _closure_moves(places, displaced, p)
    if add:
        _addition_moves(places, displaced, add, p)
    moves = places.moves
    after = _apply(pieces, places.remaining, moves)
    untouched = trips[~trips["soort"].isin(types).to_numpy()]
    cols = ["pc4_pos", "gem_pos", "school_pos", "soort", "leerlingen", "km"]
    trips_after = pd.concat([untouched[cols], after[cols]], ignore_index=True)
    ev0, ev1 = model.evaluate(trips), model.evaluate(trips_after)
    n_sch = places.n_sch
    gem_codes = atlas.gemeenten["gemeente"].astype(str).to_numpy(object)
    totals = _whatif_totals(totals_of(ev0, model), totals_of(ev1, model), moves)
    result = WhatIfResult(model, _per_gemeente(ev0, ev1, moves, pieces, atlas),
                          _per_provision(add, moves, pieces, n_sch),
                          _moves_table(moves, pieces, sch, add, n_sch, gem_codes), totals,
                          _whatif_notes(add, close, spare_share, model, totals), ev0, ev1,
                          threshold, add, close)
    if level is not None:
        result.per_regio = unit_table(result, atlas, level)
    return result


def _closure_moves(pl: _Places, displaced: np.ndarray, p: CostParams) -> None:
    """Pupils of closed locations must move: largest distance saving first, within room;
    leftovers go to the nearest suitable place regardless of room."""
    if not len(displaced):
        return
    parts = []
    for (t, c), grp in pd.Series(displaced).groupby(
            [pl.p_type[displaced], pl.p_cluster[displaced]]):
        cand = pl.suitable(str(t), int(c))
        if len(cand) == 0:
            continue
        g = grp.to_numpy()
        dk = np.asarray(p.distance.km(pl.p_lat[g][:, None], pl.p_lon[g][:, None],
                                      pl.lat[cand][None, :], pl.lon[cand][None, :]), float)
        ii, jj = np.repeat(g, len(cand)), np.tile(cand, len(g))
        parts.append((pl.km[ii] - dk.ravel(), ii, jj, dk.ravel()))
    if parts:
        gain, pi, pj, pd_ = (np.concatenate(x) for x in zip(*parts, strict=True))
        _fill_by_gain(pl, gain, pi, pj, pd_)
        _leftovers(pl, pi, pj, pd_)
    if (pl.remaining[displaced] > 1e-12).any():
        raise InputError("Na sluiting is er voor sommige leerlingen geen passende plek van "
                         "dezelfde soort en cluster meer in de atlas")


def _fill_by_gain(pl: _Places, gain, pi, pj, pd_) -> None:
    order = np.lexsort((pj, pi, -gain))
    open_pieces = len(np.unique(pi))
    for o in order:
        if open_pieces == 0:
            break
        i, j = pi[o], pj[o]
        if pl.remaining[i] <= 0 or pl.room[j] <= 0:
            continue
        pl.take(i, j, min(pl.remaining[i], pl.room[j]), pd_[o])
        if pl.remaining[i] <= 1e-12:
            pl.remaining[i] = 0.0
            open_pieces -= 1


def _leftovers(pl: _Places, pi, pj, pd_) -> None:
    left = pl.remaining[pi] > 1e-12
    if not left.any():
        return
    order = np.lexsort((pj[left], pd_[left], pi[left]))
    li, lj, ld = pi[left][order], pj[left][order], pd_[left][order]
    first = np.r_[True, li[1:] != li[:-1]]
    for i, j, dk_ in zip(li[first], lj[first], ld[first], strict=True):
        pl.moves.append((int(i), int(j), pl.remaining[i], float(dk_), True))
        pl.remaining[i] = 0.0


def _addition_moves(pl: _Places, displaced: np.ndarray, add: tuple[Provision, ...],
                    p: CostParams) -> None:
    """New provisions fill with the pupils who gain most distance (greedy, positive gain);
    moves out of closures may already have filled part of their room."""
    stay = np.flatnonzero(~np.isin(np.arange(len(pl.km)), displaced))
    cand_pairs = []
    for k, pv in enumerate(add):
        j = pl.n_sch + k
        sel = stay[pl.p_type[stay] == pv.soort]
        if pv.clusters:
            sel = sel[np.isin(pl.p_cluster[sel], list(pv.clusters))]
        if len(sel) == 0:
            continue
        dk = np.asarray(p.distance.km(pl.p_lat[sel], pl.p_lon[sel], pv.lat, pv.lon), float)
        gain = pl.km[sel] - dk
        pos = gain > 0
        cand_pairs.append(pd.DataFrame({"gain": gain[pos], "i": sel[pos], "j": j,
                                        "dk": dk[pos]}))
    if not cand_pairs:
        return
    cp = pd.concat(cand_pairs, ignore_index=True).sort_values(
        ["gain", "i", "j"], ascending=[False, True, True], kind="stable")
    for _gain, i, j, dk in cp.itertuples(index=False):
        if pl.room[j] <= 0:
            if not (pl.room[pl.n_sch:] > 0).any():
                break
            continue
        if pl.remaining[i] <= 1e-12:
            continue
        pl.take(i, j, min(pl.remaining[i], pl.room[j]), dk)


def _whatif_totals(t0: dict, t1: dict, moves: list) -> dict:
    return {
        "leerlingen_verplaatst": round(float(sum(m[2] for m in moves)), 1),
        "vervoerd_voor": t0["vervoerde_leerlingen"], "vervoerd_na": t1["vervoerde_leerlingen"],
        "leerlingkm_voor": t0["leerlingkm_per_jaar"], "leerlingkm_na": t1["leerlingkm_per_jaar"],
        "leerlingkm_bespaard": t0["leerlingkm_per_jaar"] - t1["leerlingkm_per_jaar"],
        "reisuren_bespaard": t0["reisuren_per_jaar"] - t1["reisuren_per_jaar"],
        "kosten_voor": t0["kosten"], "kosten_na": t1["kosten"],
        "besparing": t0["kosten"] - t1["kosten"],
        "boven_capaciteit": round(float(sum(m[2] for m in moves if m[4])), 1),
    }


def _whatif_notes(add, close, spare_share: float, model: CostModel, totals: dict) -> list[str]:
    return [
        "Wat-als leerlingenvervoer; leerlingstromen, verplaatsingen en kosten zijn "
        "gemodelleerd.",
        *[f"Nieuw: {pv.naam} ({pv.vorm}, {pv.soort}"
          + (f" cluster {', '.join(map(str, sorted(pv.clusters)))}" if pv.clusters else "")
          + f", capaciteit {nl(pv.capaciteit)}) op {pv.lat:.4f}, {pv.lon:.4f}." for pv in add],
        *[f"Gesloten: vestiging {c.vestiging}" + (f" ({c.soort})" if c.soort else "") + "."
          for c in close],
        "Toewijzing: eerst moeten leerlingen van gesloten vestigingen naar een passende plek "
        f"(zelfde soort en cluster; bestaande scholen hebben {100 * spare_share:.0f} % "
        "ruimte), grootste afstandsbesparing eerst; daarna vullen nieuwe voorzieningen zich met "
        "de leerlingen die er het meest aan afstand op winnen (gretig, geen optimum).",
        *model.notes,
        f"Besparing per jaar: € {nl(totals['besparing'])}; "
        f"{nl(totals['leerlingkm_bespaard'])} leerlingkilometers en "
        f"{nl(totals['reisuren_bespaard'])} reisuren minder.",
    ]


def _closed_positions(sch: pd.DataFrame, close: Iterable[Closure]) -> set[int]:
    out: set[int] = set()
    vest = sch["vestiging"].astype(str).to_numpy(object)
    soort = sch["soort"].astype(str).to_numpy(object)
    problems = []
    for c in close:
        sel = (vest == c.vestiging) & np.isin(soort, TRANSPORT_TYPES)
        if c.soort:
            sel &= soort == c.soort
        if not sel.any():
            problems.append(Problem(f"vestiging '{c.vestiging}'"
                                    + (f" ({c.soort})" if c.soort else "")
                                    + " is geen SBO/SO/VSO-locatie in de atlas",
                                    column="vestiging"))
        out |= set(np.flatnonzero(sel).tolist())
    if problems:
        raise InputError("Sluiting is ongeldig", problems)
    return out


def cluster_sets(sch: pd.DataFrame) -> list[set[int]]:
    """Clusters offered by each school row (empty set when unknown or not SO/VSO)."""
    if "clusters" not in sch:
        return [set() for _ in range(len(sch))]
    col = sch["clusters"]
    vals = col.astype(object).where(col.notna().to_numpy(), None)
    return [clusters_of(v) for v in vals]


def _pieces(trips: pd.DataFrame, sch: pd.DataFrame, types: list[str]) -> pd.DataFrame:
    """Trips of ``types`` split by cluster (see module docstring); cluster 0 for SBO."""
    t = trips[trips["soort"].isin(types).to_numpy()].reset_index(drop=True)
    cl = cluster_sets(sch)
    w = np.array([CLUSTER_MIX[c] for c in (1, 2, 3, 4)])
    member = np.array([[c in s for c in (1, 2, 3, 4)] for s in cl], bool).reshape(len(sch), 4)
    member[~member.any(axis=1)] = True
    sp = t["school_pos"].to_numpy()
    m = member[sp] * w[None, :]
    share = m / m.sum(axis=1, keepdims=True)
    is_sbo = (t["soort"].astype(str) == "SBO").to_numpy()
    share[is_sbo] = 0.0
    rows, cols = np.nonzero(share > 0)
    base = t[["pc4_pos", "school_pos", "gem_pos", "soort", "km"]]
    a = base.iloc[rows].assign(cluster=cols + 1,
                               leerlingen=t["leerlingen"].to_numpy()[rows] * share[rows, cols])
    sbo = np.flatnonzero(is_sbo)
    b = base.iloc[sbo].assign(cluster=0, leerlingen=t["leerlingen"].to_numpy()[sbo])
    return pd.concat([a, b], ignore_index=True)


def _apply(pieces: pd.DataFrame, remaining: np.ndarray, moves) -> pd.DataFrame:
    """Pieces after the moves: what stays plus one row per move (``school_pos`` >= the number
    of schools for new provisions)."""
    stay = pieces.assign(leerlingen=remaining)
    stay = stay[stay["leerlingen"] > 1e-12]
    if not moves:
        return stay
    mv = pd.DataFrame(moves, columns=MOVE_COLUMNS)
    src = pieces.iloc[mv["i"].to_numpy()].reset_index(drop=True)
    moved = src.assign(school_pos=mv["j"].to_numpy(), km=mv["km"].to_numpy(float),
                       leerlingen=mv["x"].to_numpy(float))
    return pd.concat([stay, moved], ignore_index=True)


def _per_gemeente(ev0, ev1, moves, pieces, atlas) -> pd.DataFrame:
    g = atlas.gemeenten
    codes = g["gemeente"].astype(str).tolist()
    m = len(codes)

    def tot(ev: pd.DataFrame, col: str) -> np.ndarray:
        return np.bincount(ev["gem_pos"].to_numpy(), weights=ev[col].to_numpy(float),
                           minlength=m)

    moved: np.ndarray = np.zeros(m)
    if moves:
        mv = pd.DataFrame(moves, columns=MOVE_COLUMNS)
        moved = np.bincount(pieces["gem_pos"].to_numpy()[mv["i"].to_numpy()],
                            weights=mv["x"].to_numpy(float), minlength=m)
    b = {c: tot(ev0, c) for c in ("vervoerd", "leerlingkm", "reisuren", "kosten")}
    a = {c: tot(ev1, c) for c in ("vervoerd", "leerlingkm", "reisuren", "kosten")}
    out = pd.DataFrame({
        "gemeente": codes, "naam": g["naam"].astype(str).tolist(),
        "leerlingen_verplaatst": moved.round(1),
        "vervoerd_voor": b["vervoerd"].round(1), "vervoerd_na": a["vervoerd"].round(1),
        "leerlingkm_voor": b["leerlingkm"].round(0), "leerlingkm_na": a["leerlingkm"].round(0),
        "leerlingkm_bespaard": (b["leerlingkm"] - a["leerlingkm"]).round(0),
        "reisuren_bespaard": (b["reisuren"] - a["reisuren"]).round(0),
        "kosten_voor": b["kosten"].round(0), "kosten_na": a["kosten"].round(0),
        "besparing": (b["kosten"] - a["kosten"]).round(0),
        "herkomst": MODELLED,
    })
    changed = (out["leerlingen_verplaatst"] > 0) | (out["besparing"] != 0)
    return out[changed].sort_values("besparing", ascending=False, kind="stable").reset_index(
        drop=True)


def _per_provision(add, moves, pieces, n_sch) -> pd.DataFrame:
    rows = []
    mv = pd.DataFrame(moves, columns=MOVE_COLUMNS) if moves else None
    for k, pv in enumerate(add):
        sel = mv[mv["j"] == n_sch + k] if mv is not None else pd.DataFrame(columns=MOVE_COLUMNS)
        x = float(sel["x"].sum()) if len(sel) else 0.0
        old = float((sel["x"] * pieces["km"].to_numpy()[sel["i"].to_numpy()]).sum() / x) \
            if x > 0 else None
        new = float((sel["x"] * sel["km"]).sum() / x) if x > 0 else None
        gem = pieces["gem_pos"].to_numpy()[sel["i"].to_numpy()] if x > 0 else []
        rows.append({"voorziening": pv.naam, "vorm": pv.vorm, "soort": pv.soort,
                     "clusters": ";".join(map(str, sorted(pv.clusters))),
                     "lat": pv.lat, "lon": pv.lon, "capaciteit": pv.capaciteit,
                     "geplaatst": round(x, 1),
                     "afstand_voor_km": None if old is None else round(old, 2),
                     "afstand_na_km": None if new is None else round(new, 2),
                     "woongemeenten": len(set(gem)), "herkomst": MODELLED})
    return pd.DataFrame(rows, columns=["voorziening", "vorm", "soort", "clusters", "lat", "lon",
                                       "capaciteit", "geplaatst", "afstand_voor_km",
                                       "afstand_na_km", "woongemeenten", "herkomst"])


def _moves_table(moves, pieces, sch, add, n_sch, gem_codes) -> pd.DataFrame:
    cols = ["gemeente", "van", "naar", "leerlingen", "km_voor", "km_na", "boven_capaciteit",
            "herkomst"]
    if not moves:
        return pd.DataFrame(columns=cols)
    mv = pd.DataFrame(moves, columns=MOVE_COLUMNS)
    i = mv["i"].to_numpy()
    labels = np.array([f"{n} ({v})" for n, v in zip(sch["naam"].astype(str),
                                                    sch["vestiging"].astype(str), strict=True)]
                      + [pv.naam for pv in add], dtype=object)
    naar = labels[mv["j"].to_numpy()]
    van = labels[pieces["school_pos"].to_numpy()[i]]
    df = pd.DataFrame({"gemeente": gem_codes[pieces["gem_pos"].to_numpy()[i]], "van": van,
                       "naar": naar, "leerlingen": mv["x"].to_numpy(),
                       "km_voor_x": mv["x"].to_numpy() * pieces["km"].to_numpy()[i],
                       "km_na_x": mv["x"].to_numpy() * mv["km"].to_numpy(),
                       "boven_capaciteit": mv["over"].to_numpy()})
    g = df.groupby(["gemeente", "van", "naar"], as_index=False).agg(
        leerlingen=("leerlingen", "sum"), km_voor_x=("km_voor_x", "sum"),
        km_na_x=("km_na_x", "sum"), boven_capaciteit=("boven_capaciteit", "any"))
    g["km_voor"] = (g["km_voor_x"] / g["leerlingen"]).round(2)
    g["km_na"] = (g["km_na_x"] / g["leerlingen"]).round(2)
    g["leerlingen"] = g["leerlingen"].round(1)
    g["boven_capaciteit"] = np.where(g["boven_capaciteit"], "ja", "nee")
    g["herkomst"] = MODELLED
    return g[cols].sort_values("leerlingen", ascending=False, kind="stable").reset_index(
        drop=True)


def unit_table(result: WhatIfResult, atlas, level) -> pd.DataFrame:
    """Before/after per region of a fund level or a Division (from the trips)."""
    cols = ["vervoerd", "leerlingkm", "kosten"]
    b = by_level(result.trips_before, atlas, level).set_index(["eenheid", "naam"])[cols]
    a = by_level(result.trips_after, atlas, level).set_index(["eenheid", "naam"])[cols]
    df = b.add_suffix("_voor").join(a.add_suffix("_na"), how="outer").fillna(0.0).reset_index()
    df["besparing"] = df["kosten_voor"] - df["kosten_na"]
    df["herkomst"] = MODELLED
    return df
