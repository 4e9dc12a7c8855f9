"""Measure family 6 — congruentie with the jeugdzorgregio's and (when the atlas has them)
the RMC regions.

Includes an adjusted Rand index (Hubert & Arabie 1985) between two labelings, implemented on
a contingency table so that no machine-learning dependency is needed.
"""

from __future__ import annotations

import numpy as np

from nabij.measures.context import DivisionView
from nabij.measures.definitions import FLOWS, Definition, Params, Part, in_family, num, ratio

FAMILY = "congruentie"


def _comb2(x: np.ndarray | float) -> np.ndarray:
    return np.asarray(x, float) * (np.asarray(x, float) - 1) / 2


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """ARI of two labelings of the same items: 1 = identical partitions, ~0 = chance level.

    ``ARI = (sum_ij C(n_ij,2) - E) / (max - E)`` with ``E = sum_i C(a_i,2) sum_j C(b_j,2) /
    C(n,2)`` and ``max = (sum_i C(a_i,2) + sum_j C(b_j,2)) / 2``, where n_ij is the
    contingency table and a_i, b_j its margins. Two identical trivial partitions give 1.
    """
    a = np.unique(np.asarray(a), return_inverse=True)[1]
    b = np.unique(np.asarray(b), return_inverse=True)[1]
    n = len(a)
    if n < 2:
        return 1.0
    nb = int(b.max()) + 1
    na = int(a.max()) + 1
    if na * nb <= 4_000_000:  # dense contingency table: no sort
        nij = np.bincount(a.astype(np.int64) * nb + b, minlength=na * nb)
    else:
        _, nij = np.unique(a.astype(np.int64) * nb + b, return_counts=True)
    sum_ij = _comb2(nij).sum()
    sum_a = _comb2(np.bincount(a)).sum()
    sum_b = _comb2(np.bincount(b)).sum()
    expected = sum_a * sum_b / _comb2(n)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return float((sum_ij - expected) / (maximum - expected))


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "congruentie": Definition(
            "Congruentie met jeugdregio", "Aandeel van alle leerlingen (naar woonpostcode) dat "
            "woont in de dominante jeugdregio van zijn regio; de dominante jeugdregio is die "
            "waarin de meeste leerlingen van de regio wonen. 100% = elke regio ligt binnen "
            "één jeugdregio.", "aandeel", "hoger", FLOWS),
        "ari_jeugdregio": Definition(
            "Overeenkomst met jeugdregio's (ARI)", "Adjusted Rand index tussen de indeling en "
            "de jeugdregio's, over de postcodegebieden: 1 = dezelfde indeling, 0 = niet meer "
            "overeenkomst dan toeval.", "index", "hoger"),
        "jeugdregios_gesplitst": Definition(
            "Gesplitste jeugdregio's", "Aantal jeugdzorgregio's waarvan de postcodegebieden "
            "over meer dan één regio verdeeld zijn.", "aantal", "lager"),
        "congruentie_rmc": Definition(
            "Congruentie met RMC-regio", "Aandeel van alle leerlingen (naar woonpostcode) dat "
            "woont in de dominante RMC-regio van zijn regio (RMC-regio's uit de regioatlas "
            "2016, doorgezet naar de gemeenten van nu); leeg als de atlas geen RMC-regio's "
            "heeft.", "aandeel", "hoger", FLOWS),
        "ari_rmc": Definition(
            "Overeenkomst met RMC-regio's (ARI)", "Adjusted Rand index tussen de indeling en "
            "de RMC-regio's, over de postcodegebieden.", "index", "hoger"),
        "jeugdregio_dominant": Definition(
            "Dominante jeugdregio", "Jeugdregio waarin de meeste leerlingen van de regio "
            "wonen.", "tekst", niveau="regio"),
        "aandeel_dominante_jeugdregio": Definition(
            "Aandeel in dominante jeugdregio", "Aandeel van de leerlingen van de regio dat in "
            "de dominante jeugdregio woont.", "aandeel", "hoger", FLOWS, "regio"),
    }
    return in_family(d, FAMILY)


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    w = v.home_pupils()
    nj = len(ctx.jeugdregios)
    table = np.bincount(v.rid.astype(np.int64) * nj + ctx.jz_id, weights=w,
                        minlength=v.R * nj).reshape(v.R, nj)
    dom = table.argmax(axis=1)
    top = table.max(axis=1)
    rows = table.sum(axis=1)
    part = Part()
    part.regions["jeugdregio_dominant"] = list(ctx.jeugdregios[dom])
    part.regions["aandeel_dominante_jeugdregio"] = ratio(top, rows)
    split = np.bincount(np.unique(ctx.jz_id.astype(np.int64) * v.R + v.rid) // v.R,
                        minlength=nj)
    part.summary = {
        "congruentie": num(top.sum() / rows.sum()) if rows.sum() > 0 else None,
        "ari_jeugdregio": num(adjusted_rand_index(v.rid, ctx.jz_id)),
        "jeugdregios_gesplitst": int((split > 1).sum()),
    }
    if ctx.rmc_id is not None:
        nr = len(ctx.rmcs)
        rt = np.bincount(v.rid.astype(np.int64) * nr + ctx.rmc_id, weights=w,
                         minlength=v.R * nr).reshape(v.R, nr)
        part.summary["congruentie_rmc"] = (num(rt.max(axis=1).sum() / rt.sum())
                                           if rt.sum() > 0 else None)
        part.summary["ari_rmc"] = num(adjusted_rand_index(v.rid, ctx.rmc_id))
    return part
