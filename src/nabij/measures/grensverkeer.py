"""Measure family 3 — grensverkeer: pupils whose school lies outside their home region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.measures.context import DivisionView
from nabij.measures.definitions import FLOWS, Definition, Params, Part, in_family, ratio, share
from nabij.measures.size import TYPE_LABEL
from nabij.tables import SCHOOL_TYPES

FAMILY = "grensverkeer"
SPECIAL = ("SBO", "SO", "VSO", "PRO")


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "grensverkeer": Definition(
            "Grensverkeer", "Aandeel van de leerlingen van de sector(en) dat naar een school "
            "gaat in een andere regio dan de regio waar het woont (woonpostcode -> "
            "schoolvestiging).", "aandeel", "lager", FLOWS),
        "grensverkeer_speciaal": Definition(
            "Grensverkeer speciale voorzieningen", "Als grensverkeer, alleen voor leerlingen "
            "van SBO, SO, VSO en PrO.", "aandeel", "lager", FLOWS),
        "grensverkeer_uit": Definition(
            "Grensverkeer uit de regio", "Aandeel van de leerlingen die in de regio wonen dat "
            "buiten de regio naar school gaat.", "aandeel", "lager", FLOWS, "regio"),
        "grensverkeer_in": Definition(
            "Grensverkeer de regio in", "Aandeel van de leerlingen op scholen in de regio dat "
            "buiten de regio woont.", "aandeel", "lager", FLOWS, "regio"),
    }
    for t in SCHOOL_TYPES:
        d[f"grensverkeer_{t}"] = Definition(
            f"Grensverkeer {TYPE_LABEL[t]}", f"Aandeel van de leerlingen {TYPE_LABEL[t]} dat "
            "naar een vestiging in een andere regio gaat dan waar het woont.", "aandeel",
            "lager", FLOWS)
    return in_family(d, FAMILY)


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    m = v.flow_in
    hr = v.rid[ctx.flow_home[m]]
    sr = v.rid[ctx.flow_school[m]]
    w = ctx.flow_w[m]
    ft = ctx.flow_type[m]
    cross = hr != sr
    part = Part()
    part.summary["grensverkeer"] = share(w[cross].sum(), w.sum())
    spec = ctx.index.type_lookup(SPECIAL)[ft]
    part.summary["grensverkeer_speciaal"] = share(w[cross & spec].sum(), w[spec].sum())
    for t in v.types:
        mt = ft == SCHOOL_TYPES.index(t)
        part.summary[f"grensverkeer_{t}"] = share(w[cross & mt].sum(), w[mt].sum())
    part.regions = {
        "grensverkeer_uit": ratio(v.count(hr, w * cross), v.count(hr, w)),
        "grensverkeer_in": ratio(v.count(sr, w * cross), v.count(sr, w)),
    }
    pair = hr.astype(np.int64) * v.R + sr
    if v.R * v.R <= 4_000_000:  # dense pair counts: one bincount, no sort
        total = np.bincount(pair, weights=w, minlength=v.R * v.R)
        key = np.flatnonzero(total > 0)
        total = total[key]
    else:
        key, inv = np.unique(pair, return_inverse=True)
        total = np.bincount(inv, weights=w, minlength=len(key))
        keep = total > 0
        key, total = key[keep], total[keep]
    part.tables["grensverkeer"] = pd.DataFrame({
        "van": v.regions[key // v.R], "naar": v.regions[key % v.R], "leerlingen": total})
    return part
