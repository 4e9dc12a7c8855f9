"""Measure family 8 — verandering against the status quo.

New and old regions are matched one-to-one by a maximum-weight assignment on the pupils they
share (Hungarian method): a new region *continues* the status-quo region with which it shares
most pupils, and each old region continues in at most one new region. A PC4 changes when its
new region does not continue its old region: merging region A into B changes A's pupils, not
B's. A funderend division is compared with the status quo PO (PO pupils) and VO (VO pupils).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from nabij.measures.congruentie import adjusted_rand_index
from nabij.measures.context import DivisionView
from nabij.measures.definitions import FLOWS, Definition, Params, Part, in_family, num, ratio
from nabij.tables import PO_TYPES, VO_TYPES

FAMILY = "verandering"


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "verandering_leerlingen": Definition(
            "Leerlingen naar andere regio", "Aandeel leerlingen (naar woonpostcode) dat in een "
            "andere regio komt dan in de status quo. Elke nieuwe regio zet hoogstens één oude "
            "voort (koppeling met de meeste gedeelde leerlingen); wie in een regio terechtkomt "
            "die zijn oude regio niet voortzet, verandert van regio.", "aandeel", "lager",
            FLOWS),
        "verandering_pc4": Definition(
            "Postcodegebieden naar andere regio", "Aandeel postcodegebieden dat in een andere "
            "regio komt dan in de status quo (zelfde koppeling).", "aandeel", "lager"),
        "verandering_gemeenten": Definition(
            "Gemeenten met verandering", "Aandeel gemeenten met minstens één postcodegebied "
            "dat van regio verandert (hun OOGO-partner verandert).", "aandeel", "lager"),
        "ari_status_quo": Definition(
            "Overeenkomst met status quo (ARI)", "Adjusted Rand index tussen de indeling en de "
            "status quo van dezelfde sector, over de postcodegebieden (funderend: gemiddelde "
            "van PO en VO). 1 = ongewijzigd.", "index"),
        "herkomst": Definition(
            "Voortzetting van", "Het samenwerkingsverband uit de status quo dat deze regio "
            "voortzet (leeg als de regio er geen voortzet).", "tekst", niveau="regio"),
        "aandeel_nieuw": Definition(
            "Aandeel nieuwe leerlingen", "Aandeel van de leerlingen van de regio (naar "
            "woonpostcode) dat in de status quo bij een ander samenwerkingsverband hoorde.",
            "aandeel", niveau="regio"),
    }
    return in_family(d, FAMILY)


def match(old: DivisionView, new: DivisionView, w: np.ndarray) -> np.ndarray:
    """For each new region the old region it continues (-1 if none)."""
    table = np.zeros((old.R, new.R))
    np.add.at(table, (old.rid, new.rid), w + 1e-9)
    # every pair is an edge (weights shifted by 1, which leaves the best full matching of the
    # smaller side unchanged); csgraph's LAPJVsp instead of scipy.optimize, whose import alone
    # costs more than all measures of a division
    rows, cols = min_weight_full_bipartite_matching(csr_matrix(table + 1.0), maximize=True)
    out = np.full(new.R, -1)
    keep = table[rows, cols] > 0
    out[cols[keep]] = rows[keep]
    return out


def measure(v: DivisionView, status_quo: dict[str, DivisionView], p: Params) -> Part:
    ctx = v.ctx
    changed_pc4 = np.zeros(ctx.n, bool)
    changed_w = np.zeros(ctx.n)
    total_w = np.zeros(ctx.n)
    origin: list[list[str]] = [[] for _ in range(v.R)]
    aris = []
    for sector in v.sectors:
        old = status_quo[sector]
        w = ctx.home_pupils(PO_TYPES if sector == "PO" else VO_TYPES)
        cont = match(old, v, w)
        changed = cont[v.rid] != old.rid
        changed_pc4 |= changed
        changed_w += w * changed
        total_w += w
        for j, i in enumerate(cont):
            if i >= 0:
                origin[j].append(str(old.regions[i]))
        aris.append(adjusted_rand_index(old.rid, v.rid))
    gem_changed = np.bincount(ctx.gem_id, weights=changed_pc4.astype(float),
                              minlength=len(ctx.gemeenten)) > 0
    part = Part()
    part.regions["herkomst"] = [" / ".join(o) for o in origin]
    part.regions["aandeel_nieuw"] = ratio(v.count(v.rid, changed_w), v.count(v.rid, total_w))
    part.summary = {
        "verandering_leerlingen": num(changed_w.sum() / total_w.sum())
        if total_w.sum() > 0 else None,
        "verandering_pc4": num(changed_pc4.mean()) if ctx.n else None,
        "verandering_gemeenten": num(gem_changed.mean()) if len(gem_changed) else None,
        "ari_status_quo": num(np.mean(aris)),
    }
    return part
