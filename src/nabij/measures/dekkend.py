"""Measure family 4 — dekkend netwerk: which provision types each region has."""

from __future__ import annotations

import numpy as np

from nabij.divisions.provision import PROVISION_TYPES, provision_label
from nabij.measures.context import DivisionView
from nabij.measures.definitions import SCHOOLS, Definition, Params, Part, in_family, num

FAMILY = "dekkend netwerk"


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "dekking": Definition(
            "Dekking (gem.)", "Gemiddeld over de regio's: aandeel van de vereiste "
            "voorzieningssoorten (PO: SBO, SO cluster 3 en 4; VO: VSO cluster 3 en 4, PrO) "
            "waarvan minstens één vestiging in de regio ligt. SO/VSO-vestigingen zonder "
            "clustergegevens tellen als cluster 3 en 4.", "aandeel", "hoger", SCHOOLS),
        "regios_dekkend": Definition(
            "Volledig dekkende regio's", "Aantal regio's met elke vereiste voorzieningssoort "
            "binnen de eigen grenzen.", "aantal", "hoger", SCHOOLS),
        "aandeel_regios_dekkend": Definition(
            "Aandeel dekkende regio's", "Aandeel van de regio's dat volledig dekkend is.",
            "aandeel", "hoger", SCHOOLS),
        "voorzieningen": Definition(
            "Voorzieningssoorten aanwezig", "Aantal vereiste voorzieningssoorten met minstens "
            "één vestiging in de regio.", "aantal", "hoger", SCHOOLS, "regio"),
        "ontbreekt": Definition(
            "Ontbrekende voorzieningen", "Vereiste voorzieningssoorten zonder vestiging in de "
            "regio.", "tekst", None, SCHOOLS, "regio"),
    }
    d["dekking_regio"] = Definition(
        "Dekking", "Aandeel van de vereiste voorzieningssoorten dat in de regio aanwezig is.",
        "aandeel", "hoger", SCHOOLS, "regio")
    for key in p.provisions:
        pt = PROVISION_TYPES[key]
        d[f"ontbreekt_{key}"] = Definition(
            f"Regio's zonder {pt.label}", f"Aantal regio's zonder vestiging met {pt.label}.",
            "aantal", "lager", SCHOOLS)
        d[f"heeft_{key}"] = Definition(
            f"{pt.label} aanwezig", f"De regio heeft minstens één vestiging met {pt.label}.",
            "ja/nee", None, SCHOOLS, "regio")
    return in_family(d, FAMILY)


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    keys = v.provision_keys()
    part = Part()
    present = np.zeros((v.R, len(keys)), bool)
    for i, key in enumerate(keys):
        m = ctx.supply[key].to_numpy()
        present[:, i] = v.count(v.school_rid[m]) > 0
    n = present.sum(axis=1)
    cover = n / len(keys) if keys else np.ones(v.R)
    part.regions["voorzieningen"] = n.astype(float)
    part.regions["dekking_regio"] = cover
    part.regions["ontbreekt"] = [
        ", ".join(provision_label(k) for k, has in zip(keys, row, strict=True) if not has)
        for row in present]
    for i, key in enumerate(keys):
        part.regions[f"heeft_{key}"] = present[:, i]
    full = n == len(keys)
    part.summary = {
        "dekking": num(cover.mean()) if v.R else None,
        "regios_dekkend": int(full.sum()),
        "aandeel_regios_dekkend": num(full.mean()) if v.R else None,
    } | {f"ontbreekt_{k}": int((~present[:, i]).sum()) for i, k in enumerate(keys)}
    return part
