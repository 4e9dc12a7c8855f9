"""Scenario 2: SWV regions congruent with the jeugdzorgregio's (per sector or funderend).

Seed 000: "SWV-grenzen congruent met de jeugdregio's". The default rule keeps every SWV inside
one jeugdregio, but a jeugdregio above the maximum (the largest status-quo SWV of the sector,
:mod:`nabij.divisions.scale`) is split into the fewest contiguous parts with each at least the
minimum (fusie threshold) and at most the maximum (:mod:`nabij.divisions.split`): whole
gemeenten first, then with only the gemeenten above the maximum split into PC4 areas, then at
PC4 level. ``split=False`` gives the plain jeugdregio's (variant "ongedeeld", which may exceed
the maximum).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.defaults import FUSIE_MIN_REGION_PUPILS, OPTIMIZE_SEED
from nabij.divisions.division import Division, named_division
from nabij.divisions.split import split_bounded, unit_graph
from nabij.sectors import sector as sector_of

LEVELS = ("gemeenten heel", "alleen gemeenten boven het maximum gesplitst", "postcodegebieden")
"""Unit levels tried in order: keep gemeenten whole where possible."""


def _nl(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def jeugdregio_division(atlas: Atlas, sector: str = "PO+VO", split: bool = True,
                        max_pupils: float | None = None,
                        min_pupils: float = FUSIE_MIN_REGION_PUPILS) -> Division:
    """Every PC4 in the jeugdregio of its gemeente; with ``split`` a jeugdregio above
    ``max_pupils`` (default: the largest status-quo SWV) is divided into contiguous parts."""
    gem = atlas.gemeenten.set_index(atlas.gemeenten["gemeente"].astype(str))["jeugdregio"]
    pc4 = atlas.pc4
    assignment = pc4["gemeente"].astype(str).map(gem.astype(str))
    assignment.index = pc4["pc4"].astype(str).to_numpy()
    label = sector_of(sector).label
    if not split:
        plain = {"bouwer": "jeugdregio", "scenario": "s2-ongedeeld", "sector": sector,
                 "regel": "elk postcodegebied hoort bij de jeugdzorgregio van zijn gemeente; "
                          "een jeugdregio kan groter zijn dan het maximum",
                 "bron": "jeugdregio van de gemeente van elk postcodegebied"}
        return named_division(f"S2 Jeugdregio ongedeeld {label}", sector, assignment, plain,
                              atlas.jeugdregios, "jeugdregio")
    if max_pupils is None:
        from nabij.divisions.scale import largest_status_quo, max_rule_text

        max_pupils, max_rule = largest_status_quo(atlas, sector), max_rule_text(sector)
    else:
        max_rule = "opgegeven maximum"
    names = dict(zip(atlas.jeugdregios["jeugdregio"].astype(str),
                     atlas.jeugdregios["naam"].astype(str), strict=True))
    region, region_names, splits = _split_all(atlas, sector, assignment, names,
                                              float(max_pupils), float(min_pupils))
    recipe: dict[str, object] = {
        "bouwer": "jeugdregio", "scenario": "s2", "sector": sector,
        "regel": "elk SWV ligt binnen één jeugdzorgregio; een jeugdregio boven het maximum "
                 f"({_nl(max_pupils)} leerlingen) wordt verdeeld in zo weinig mogelijk "
                 f"aaneengesloten delen van elk minstens {_nl(min_pupils)} en hoogstens "
                 f"{_nl(max_pupils)} leerlingen, met gemeenten zo veel mogelijk heel",
        "bron": "jeugdregio van de gemeente van elk postcodegebied",
        "max_leerlingen": float(max_pupils), "max_regel": max_rule,
        "min_leerlingen": float(min_pupils),
        "maat": "leerlingen op schoolvestigingen in de regio",
        "methode": "gebalanceerde snede in een opspannende boom van de buurrelaties van de "
                   f"atlas (veerverbindingen meegeteld), vaste seed {OPTIMIZE_SEED}",
        "gesplitst": splits,
    }
    return Division(f"S2 Jeugdregio {label}", sector, region, recipe, region_names)


def _split_all(atlas: Atlas, sector: str, assignment: pd.Series, names: dict[str, str],
               hi: float, lo: float) -> tuple[pd.Series, dict[str, str], list[dict]]:
    """Split every jeugdregio above ``hi``: the new assignment, region names and the
    splits made (Dutch, for the recipe and report)."""
    ix = atlas.index
    w = ix.school_pupils_by_pc4(sector_of(sector).types)
    codes = assignment.reindex(ix.pc4).to_numpy(object)
    out = codes.copy()
    region_names = {c: names.get(c, c) for c in set(codes)}
    size = pd.Series(w).groupby(codes).sum()
    splits = []
    for jz in sorted(size[size > hi + 1e-6].index):
        keep = codes == jz
        parts, level, within = _split_one(ix, w, keep, hi, lo)
        del region_names[jz]
        for i, members in enumerate(parts, start=1):
            code = f"{jz}-{i}"
            out[members] = code
            gem = pd.unique(ix.gemeente_names[ix.gem_of_pc4[members]])
            region_names[code] = (f"{names.get(jz, jz)} deel {i} ("
                                  + ", ".join(map(str, gem[:3]))
                                  + (f" + {len(gem) - 3} andere" if len(gem) > 3 else "")
                                  + ")")
        splits.append({
            "regio": jz, "naam": names.get(jz, jz), "leerlingen": round(float(size[jz])),
            "delen": len(parts), "niveau": level,
            "leerlingen_delen": [round(float(w[m].sum())) for m in parts],
            "reden": f"{_nl(size[jz])} leerlingen, boven het maximum van {_nl(hi)}"
                     + ("" if within else f"; delen van minstens {_nl(lo)} leerlingen zijn "
                        "niet mogelijk, alleen het maximum is gehaald"),
        })
    return pd.Series(out, index=ix.pc4), region_names, splits


def _split_one(ix, w: np.ndarray, keep: np.ndarray, hi: float, lo: float
               ) -> tuple[list[np.ndarray], str, bool]:
    """PC4 positions of each part of one jeugdregio, the unit level used, within bounds."""
    gem_w = np.bincount(ix.gem_of_pc4[keep], weights=w[keep], minlength=ix.n_gem)
    pc4_ids = np.arange(ix.n)
    units = [ix.n + ix.gem_of_pc4,
             np.where(gem_w[ix.gem_of_pc4] > hi, pc4_ids, ix.n + ix.gem_of_pc4),
             pc4_ids]
    for bound in (lo, 0.0):  # 0.0: the minimum cannot be met, only the maximum
        tried: list[np.ndarray] = []
        for level, unit in zip(LEVELS, units, strict=True):
            if any(np.array_equal(unit[keep], t) for t in tried):
                continue
            tried.append(unit[keep])
            parts = _split_units(ix, w, keep, unit, hi, bound)
            if parts is not None:
                return parts, level, bound == lo
    return [np.flatnonzero(keep)], "niet gesplitst", False


def _split_units(ix, w: np.ndarray, keep: np.ndarray, unit: np.ndarray, hi: float, lo: float
                 ) -> list[np.ndarray] | None:
    """Split each connected piece of the region (on the atlas adjacency) into parts."""
    adj = ix.pc4_adjacency
    g = unit_graph(adj.a, adj.b, unit, keep)
    idx = np.flatnonzero(keep)
    uw = pd.Series(w[idx]).groupby(unit[idx]).sum().to_dict()
    uxy = {u: v for u, v in zip(*_centroids(ix.xy[idx], unit[idx]), strict=True)}
    parts = []
    for comp in sorted(nx.connected_components(g), key=min):
        res = split_bounded(g.subgraph(comp).copy(), uw, uxy, lo, hi, seed=OPTIMIZE_SEED)
        if res is None:
            return None
        parts += res.parts
    return [idx[np.isin(unit[idx], p)] for p in parts]


def _centroids(xy: np.ndarray, unit: np.ndarray) -> tuple[list[int], list[np.ndarray]]:
    keys, inv = np.unique(unit, return_inverse=True)
    n = np.bincount(inv)
    cx = np.bincount(inv, weights=xy[:, 0]) / n
    cy = np.bincount(inv, weights=xy[:, 1]) / n
    return keys.tolist(), [np.array([x, y]) for x, y in zip(cx, cy, strict=True)]
