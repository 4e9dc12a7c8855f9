"""Measure family 5 — thuisnabijheid: distance from home to the nearest provision.

For each PC4 and provision type: the modelled travel distance (the context's
:class:`~nabij.atlas.distance.DistanceModel`, by default straight line x 1.3) to the nearest
location of that type anywhere, and to the nearest one inside the PC4's own region (the region
that must arrange the provision). Statistics are weighted by the children of the provision's
age living in the PC4 (4-11 for SBO/SO, 12-17 for VSO/PrO).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.divisions.provision import PROVISION_TYPES
from nabij.measures.context import DivisionView
from nabij.measures.definitions import Definition, Params, Part, in_family, num, ratio, wquantile

FAMILY = "thuisnabijheid"


def definitions(p: Params) -> dict[str, Definition]:
    how = (f"Afstand is de gemodelleerde reisafstand ({p.distance_text}) van het middelpunt "
           "van het postcodegebied naar de dichtstbijzijnde vestiging; gewogen met het aantal "
           "kinderen van de leeftijd van de voorziening (4-11 jaar voor SBO/SO, 12-17 jaar "
           "voor VSO/PrO) per postcodegebied.")
    bands = " / ".join(str(b) for b in p.km_bands)
    thuis = ("Per kind en voorzieningssoort: de afstand naar de dichtstbijzijnde vestiging "
             "binnen de eigen regio; een kind in een regio zonder die voorziening telt mee met "
             "de afstand naar de dichtstbijzijnde vestiging waar dan ook (en in 'zonder eigen "
             "voorziening'). ")
    d = {
        "zonder_eigen_voorziening": Definition(
            "Zonder eigen voorziening", "Aandeel van de kinderen (opgeteld over de vereiste "
            "voorzieningssoorten) dat in een regio woont zonder vestiging van die soort.",
            "aandeel", "lager"),
        "thuisnabij_mediaan": Definition(
            "Thuisnabijheid (mediaan)", "Gewogen mediaan over alle kinderen en vereiste "
            "voorzieningssoorten. " + thuis + how, "km", "lager", True),
    }
    for band in p.km_bands:
        d[f"thuisnabij_binnen_{band}km"] = Definition(
            f"Thuisnabij binnen {band} km", f"Aandeel van de kinderen (opgeteld over de "
            f"vereiste voorzieningssoorten) met een voorziening binnen {band} km. " + thuis
            + f"Kopcijfers: binnen {bands} km en de mediaan.", "aandeel", "hoger", True)
    d |= {
        "afstand_eigen_gem": Definition(
            "Afstand eigen regio (gem. over voorzieningen)", "Gemiddelde over de vereiste "
            "voorzieningssoorten van de gemiddelde afstand naar de dichtstbijzijnde vestiging "
            "binnen de eigen regio. " + how, "km", "lager", True),
    }
    for key in p.provisions:
        pt = PROVISION_TYPES[key]
        lab = pt.label
        for scope, where, wlabel in (("", "waar dan ook", ""), ("eigen_", "binnen de eigen "
                                     "regio (die de voorziening moet regelen)", " eigen regio")):
            base = f"afstand_{scope}{key}"
            d[f"{base}_gem"] = Definition(
                f"Afstand {lab}{wlabel} (gem.)", f"Gemiddelde afstand naar de "
                f"dichtstbijzijnde vestiging met {lab} {where}. " + how
                + (" Kinderen in een regio zonder deze voorziening tellen niet mee in het "
                   "gemiddelde (zie 'zonder eigen')." if scope else ""), "km", "lager", True)
            d[f"{base}_mediaan"] = Definition(
                f"Afstand {lab}{wlabel} (mediaan)", f"Gewogen mediaan van de afstand naar "
                f"{lab} {where}; kinderen zonder voorziening tellen als oneindig ver.", "km",
                "lager", True)
            d[f"{base}_p90"] = Definition(
                f"Afstand {lab}{wlabel} (p90)", f"Afstand waarbinnen 90% van de kinderen een "
                f"vestiging met {lab} {where} heeft (gewogen 90e percentiel; leeg als meer "
                "dan 10% geen voorziening heeft).", "km", "lager", True)
            for band in p.km_bands:
                d[f"{base}_binnen_{band}km"] = Definition(
                    f"{lab}{wlabel} binnen {band} km", f"Aandeel kinderen met een vestiging "
                    f"met {lab} {where} binnen {band} km.", "aandeel", "hoger", True)
            d[f"afstand_{scope}{key}"] = Definition(
                f"Afstand {lab}{wlabel}", f"Per regio: kindgewogen gemiddelde afstand naar "
                f"{lab} {where}. " + how, "km", "lager", True, "regio")
        for band in p.km_bands:
            d[f"thuis_{key}_binnen_{band}km"] = Definition(
                f"{lab} thuisnabij binnen {band} km", f"Aandeel kinderen met {lab} binnen "
                f"{band} km. " + thuis, "aandeel", "hoger", True)
        d[f"thuis_{key}_mediaan"] = Definition(
            f"{lab} thuisnabij (mediaan)", f"Gewogen mediaan van de afstand naar {lab}. "
            + thuis, "km", "lager", True)
        d[f"zonder_eigen_{key}"] = Definition(
            f"Zonder {lab} in eigen regio", f"Aandeel kinderen dat in een regio woont zonder "
            f"vestiging met {lab}.", "aandeel", "lager")
    return in_family(d, FAMILY)


def _stats(dist: np.ndarray, w: np.ndarray, base: str, bands: tuple[int, ...]) -> dict:
    has = np.isfinite(dist)
    tot = w.sum()
    out = {
        f"{base}_gem": num((dist[has] * w[has]).sum() / w[has].sum()) if w[has].sum() > 0
        else None,
        f"{base}_mediaan": wquantile(dist, w, 0.5),
        f"{base}_p90": wquantile(dist, w, 0.9),
    }
    for band in bands:
        within = has & (np.nan_to_num(dist, nan=np.inf) <= band)
        out[f"{base}_binnen_{band}km"] = num(w[within].sum() / tot) if tot > 0 else None
    return out


def _home_stats(dist: np.ndarray, w: np.ndarray, base: str, bands: tuple[int, ...]) -> dict:
    """Share within each band and the weighted median (every child counts)."""
    tot = w.sum()
    d = np.nan_to_num(dist, nan=np.inf)
    out = {f"{base}_mediaan": wquantile(d, w, 0.5)}
    for band in bands:
        out[f"{base}_binnen_{band}km"] = num(w[d <= band].sum() / tot) if tot > 0 else None
    return out


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    part = Part()
    table = {"pc4": ctx.pc4.to_numpy()}
    kids = sum(ctx.kids[s] for s in v.sectors)
    table["kinderen"] = kids
    if len(v.sectors) > 1:
        table["kinderen_po"] = ctx.kids["PO"]
        table["kinderen_vo"] = ctx.kids["VO"]
    own_means = []
    pooled: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for key in v.provision_keys():
        w = ctx.provision_kids(key)
        anywhere = ctx.nearest_any(key)
        own = ctx.nearest(ctx.supply[key].to_numpy(), v.rid, v.school_rid)
        table[f"afstand_{key}"] = anywhere
        table[f"afstand_eigen_{key}"] = own
        part.summary |= _stats(anywhere, w, f"afstand_{key}", p.km_bands)
        part.summary |= _stats(own, w, f"afstand_eigen_{key}", p.km_bands)
        has = np.isfinite(own)
        home = np.where(has, own, anywhere)
        table[f"afstand_thuis_{key}"] = home
        part.summary |= _home_stats(home, w, f"thuis_{key}", p.km_bands)
        pooled.append((home, w, has))
        part.summary[f"zonder_eigen_{key}"] = num(w[~has].sum() / w.sum()) if w.sum() else None
        own_means.append(part.summary[f"afstand_eigen_{key}_gem"])
        fa = np.isfinite(anywhere)
        part.regions[f"afstand_{key}"] = ratio(v.count(v.rid[fa], (anywhere * w)[fa]),
                                               v.count(v.rid[fa], w[fa]))
        part.regions[f"afstand_eigen_{key}"] = ratio(v.count(v.rid[has], (own * w)[has]),
                                                     v.count(v.rid[has], w[has]))
    if pooled:
        home = np.concatenate([x[0] for x in pooled])
        w = np.concatenate([x[1] for x in pooled])
        has = np.concatenate([x[2] for x in pooled])
        stats = _home_stats(home, w, "thuisnabij", p.km_bands)
        part.summary |= stats
        part.summary["zonder_eigen_voorziening"] = (num(w[~has].sum() / w.sum()) if w.sum()
                                                    else None)
    valid = [m for m in own_means if m is not None]
    part.summary["afstand_eigen_gem"] = (num(np.mean(valid)) if valid and
                                         len(valid) == len(own_means) else None)
    part.tables["thuisnabijheid"] = pd.DataFrame(table)
    return part
