"""Measure family 1 — omvang: pupils per region, number of regions, small regions."""

from __future__ import annotations

import numpy as np

from nabij.io.numbers import nl_int
from nabij.measures.context import DivisionView
from nabij.measures.definitions import FLOWS, SCHOOLS, Definition, Params, Part, in_family, num
from nabij.tables import SCHOOL_TYPES

FAMILY = "omvang"
TYPE_LABEL = {"BAO": "basisonderwijs", "SBO": "SBO", "SO": "SO", "VO": "VO", "PRO": "PrO",
              "VSO": "VSO"}


def definitions(p: Params) -> dict[str, Definition]:
    small = nl_int(p.small_region)
    d = {
        "regios": Definition("Aantal regio's", "Aantal regio's in de indeling.", "aantal"),
        "leerlingen_totaal": Definition(
            "Leerlingen totaal", "Leerlingen op alle schoolvestigingen van de sector(en) van "
            "de indeling (teldatum 1 oktober).", "leerlingen", gemodelleerd=SCHOOLS),
        "leerlingen_min": Definition(
            "Kleinste regio (leerlingen)", "Aantal leerlingen van de kleinste regio: "
            "leerlingen op de schoolvestigingen die in de regio liggen.", "leerlingen",
            gemodelleerd=SCHOOLS),
        "leerlingen_mediaan": Definition(
            "Mediane regio (leerlingen)", "Mediaan over de regio's van het aantal leerlingen "
            "op schoolvestigingen in de regio.", "leerlingen", gemodelleerd=SCHOOLS),
        "leerlingen_max": Definition(
            "Grootste regio (leerlingen)", "Aantal leerlingen van de grootste regio.",
            "leerlingen", gemodelleerd=SCHOOLS),
        "regios_klein": Definition(
            f"Regio's < {small} leerlingen", f"Aantal regio's met minder dan {small} "
            "leerlingen op hun schoolvestigingen: de grens voor '(te) kleine' "
            "samenwerkingsverbanden uit het advies.", "aantal", "lager", SCHOOLS),
        "regios_groot": Definition(
            "Regio's boven het maximum", "Aantal regio's met meer leerlingen dan het maximum: "
            + (nl_int(p.large_region) + " leerlingen"
               if p.large_region is not None else "standaard het grootste bestaande SWV van "
               "de sector (funderend: het grootste bestaande paar PO- en VO-SWV; aanname van "
               "nabij, het advies noemt geen getal)") + ".", "aantal", "lager", SCHOOLS),
        "max_leerlingen": Definition(
            "Maximum (leerlingen)", "Het maximum waarmee 'Regio's boven het maximum' telt.",
            "leerlingen"),
        "niet_aaneengesloten": Definition(
            "Niet-aaneengesloten regio's", "Aantal regio's die op de kaart uit meer dan één "
            "los stuk bestaan (volgens de buurrelaties tussen postcodegebieden).", "aantal",
            "lager"),
        "leerlingen": Definition(
            "Leerlingen", "Leerlingen op de schoolvestigingen in de regio, van de sector(en) "
            "van de indeling.", "leerlingen", gemodelleerd=SCHOOLS, niveau="regio"),
        "leerlingen_woonachtig": Definition(
            "Leerlingen woonachtig", "Leerlingen van de sector(en) die in de regio wonen, "
            "waar ze ook naar school gaan (uit de leerlingstromen).", "leerlingen",
            gemodelleerd=FLOWS, niveau="regio"),
        "pc4": Definition("Postcodegebieden", "Aantal postcodegebieden (PC4) in de regio.",
                          "aantal", niveau="regio"),
        "delen": Definition("Losse delen", "Aantal losse stukken waaruit de regio bestaat "
                            "(1 = aaneengesloten).", "aantal", "lager", niveau="regio"),
    }
    for t in SCHOOL_TYPES:
        d[f"leerlingen_{t}"] = Definition(
            f"Leerlingen {TYPE_LABEL[t]}", f"Leerlingen op vestigingen {TYPE_LABEL[t]} in de "
            "regio.", "leerlingen", gemodelleerd=SCHOOLS, niveau="regio")
    return in_family(d, FAMILY)


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    part = Part()
    total: np.ndarray = np.zeros(v.R)
    for t in v.types:
        m = ctx.school_type == SCHOOL_TYPES.index(t)
        c = v.count(v.school_rid[m], ctx.school_pupils[m])
        part.regions[f"leerlingen_{t}"] = c
        total += c
    part.regions = {"leerlingen": total, **part.regions}
    part.regions["leerlingen_woonachtig"] = v.count(v.rid, v.home_pupils())
    part.regions["pc4"] = v.count(v.rid)
    delen = ctx.index.region_pieces(v.rid, v.R)
    part.regions["delen"] = delen.astype(float)
    limit = p.large_region if p.large_region is not None else ctx.largest_status_quo(
        v.division.sector)
    part.summary = {
        "regios": v.R,
        "leerlingen_totaal": float(total.sum()),
        "leerlingen_min": num(total.min()) if v.R else None,
        "leerlingen_mediaan": num(np.median(total)) if v.R else None,
        "leerlingen_max": num(total.max()) if v.R else None,
        "regios_klein": int((total < p.small_region).sum()),
        "regios_groot": int((total > limit + 1e-6).sum()),
        "max_leerlingen": float(limit),
        "niet_aaneengesloten": int((delen > 1).sum()),
    }
    return part
