"""Measure family 7 — doorgaande lijn PO -> VO: do PO and VO regions line up?

For a PO division paired with a VO division (same scenario, or the status quo): the *partner*
of a PO region is the VO region where most of its PO pupils live. The doorgaande lijn is the
share of PO pupils whose home PC4 lies in the partner VO region of their PO region. For a VO
division the mirror (VO pupils, partner PO region); for a funderend division it is 100% by
construction.
"""

from __future__ import annotations

import numpy as np

from nabij.measures.context import DivisionView
from nabij.measures.definitions import FLOWS, Definition, Params, Part, in_family, num, ratio

FAMILY = "doorgaande lijn"


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "doorgaande_lijn": Definition(
            "Doorgaande lijn PO-VO", "Aandeel PO-leerlingen (naar woonpostcode) wier VO-regio "
            "de partner is van hun PO-regio; de partner is de VO-regio waarin de meeste "
            "PO-leerlingen van de PO-regio wonen. Bij een VO-indeling gespiegeld (VO-leerlingen, "
            "partner-PO-regio); bij één regio voor funderend onderwijs per definitie 100%.",
            "aandeel", "hoger", FLOWS),
        "partner": Definition(
            "Partnerregio", "De regio van de andere sector waarin de meeste leerlingen van de "
            "regio wonen.", "tekst", niveau="regio"),
        "doorgaande_lijn_regio": Definition(
            "Doorgaande lijn", "Aandeel leerlingen van de regio dat in de partnerregio woont.",
            "aandeel", "hoger", FLOWS, "regio"),
    }
    return in_family(d, FAMILY)


def measure(v: DivisionView, partner: DivisionView | None, p: Params) -> Part:
    part = Part()
    if v.division.sector == "PO+VO" or partner is None:
        part.regions["partner"] = list(v.regions)
        part.regions["doorgaande_lijn_regio"] = np.ones(v.R)
        part.summary["doorgaande_lijn"] = 1.0 if v.division.sector == "PO+VO" else None
        return part
    w = v.home_pupils()
    table = np.bincount(v.rid.astype(np.int64) * partner.R + partner.rid, weights=w,
                        minlength=v.R * partner.R).reshape(v.R, partner.R)
    best = table.argmax(axis=1)
    on = partner.rid == best[v.rid]
    part.regions["partner"] = list(partner.regions[best])
    part.regions["doorgaande_lijn_regio"] = ratio(v.count(v.rid, w * on), v.count(v.rid, w))
    part.summary["doorgaande_lijn"] = num(w[on].sum() / w.sum()) if w.sum() > 0 else None
    return part
