"""Measure family 9 — verschillen: participation in special education per region.

Participation (deelname) is counted by residence: pupils living in the region who attend
SBO or SO (PO), VSO (VO), or any of the three (funderend), per pupil of the sector(s) living
in the region. Each region is compared with the national rate and with the rate *expected
from its context* by a transparent linear model, fitted by ordinary least squares across the
regions of the division (one observation per region)::

    deelname = b0 + b1 * stedelijkheid + b2 * aandeel_eenouder + b3 * aandeel_uitkering

with the region's context the child-weighted mean of its PC4 values (covariates missing in the
atlas are left out; with fewer than ``len(covariates) + 6`` regions the model has only the
intercept, so the expected rate is the mean over the regions). A region is *opvallend* when
its residual lies more than ``z_threshold`` (default 2) standard deviations of the residuals
from the expected rate.
"""

from __future__ import annotations

import numpy as np

from nabij.measures.context import CONTEXT_COLUMNS, DivisionView
from nabij.measures.definitions import FLOWS, Definition, Params, Part, in_family, num, ratio
from nabij.tables import PO_TYPES, VO_TYPES

FAMILY = "verschillen"
SPECIAL = {"PO": ("SBO", "SO"), "VO": ("VSO",), "PO+VO": ("SBO", "SO", "VSO")}
CONTEXT_LABEL = {"stedelijkheid": "Stedelijkheid (1 zeer sterk - 5 niet stedelijk)",
                 "aandeel_eenouder": "Aandeel eenoudergezinnen",
                 "aandeel_uitkering": "Aandeel uitkeringen"}


def definitions(p: Params) -> dict[str, Definition]:
    z = f"{p.z_threshold:g}".replace(".", ",")
    d = {
        "deelname_landelijk": Definition(
            "Deelname speciale voorzieningen (landelijk)", "Landelijk aandeel leerlingen in "
            "SBO en SO (PO), VSO (VO) of alle drie (funderend) per leerling van de sector(en), "
            "naar woonplaats.", "aandeel", None, FLOWS),
        "deelname_min": Definition("Deelname laagste regio", "Laagste deelnamepercentage van "
                                   "een regio.", "aandeel", None, FLOWS),
        "deelname_max": Definition("Deelname hoogste regio", "Hoogste deelnamepercentage van "
                                   "een regio.", "aandeel", None, FLOWS),
        "deelname_spreiding": Definition(
            "Spreiding deelname", "Standaarddeviatie van het deelnamepercentage over de "
            "regio's.", "aandeel", "lager", FLOWS),
        "r2_context": Definition(
            "Verklaard door context (R²)", "Deel van de verschillen in deelname tussen regio's "
            "dat het contextmodel verklaart (kleinste-kwadratenregressie op stedelijkheid, "
            "aandeel eenoudergezinnen en aandeel uitkeringen; één waarneming per regio).",
            "aandeel", None, FLOWS),
        "regios_opvallend": Definition(
            "Onverklaard afwijkende regio's", f"Aantal regio's waarvan de deelname meer dan "
            f"{z} standaarddeviaties van de residuen afwijkt van wat de context doet "
            "verwachten.", "aantal", "lager", FLOWS),
        "deelname": Definition(
            "Deelname", "Aandeel van de leerlingen die in de regio wonen dat naar SBO/SO "
            "(PO), VSO (VO) of een van de drie (funderend) gaat.", "aandeel", None, FLOWS,
            "regio"),
        "deelname_verwacht": Definition(
            "Verwachte deelname", "Deelname die het contextmodel voor de regio voorspelt.",
            "aandeel", None, FLOWS, "regio"),
        "verschil_landelijk": Definition(
            "Verschil met landelijk", "Deelname min het landelijke deelnamepercentage.",
            "aandeel", None, FLOWS, "regio"),
        "residu": Definition("Onverklaard verschil", "Deelname min verwachte deelname.",
                             "aandeel", None, FLOWS, "regio"),
        "z": Definition("z-score", "Onverklaard verschil gedeeld door de standaarddeviatie "
                        "van de onverklaarde verschillen.", "index", None, FLOWS, "regio"),
        "opvallend": Definition(
            "Opvallend", f"'hoger' of 'lager' wanneer de z-score buiten ±{z} ligt, anders "
            "leeg.", "tekst", None, FLOWS, "regio"),
    }
    for t in ("SBO", "SO", "VSO"):
        d[f"deelname_{t}"] = Definition(
            f"Deelname {t}", f"Aandeel van de leerlingen ({'PO' if t != 'VSO' else 'VO'}) "
            f"die in de regio wonen dat naar {t} gaat.", "aandeel", None, FLOWS, "regio")
    for c, lab in CONTEXT_LABEL.items():
        d[c] = Definition(lab, f"{lab}: kindgewogen gemiddelde over de postcodegebieden van "
                          "de regio (CBS).", "index" if c == "stedelijkheid" else "aandeel",
                          niveau="regio")
    return in_family(d, FAMILY)


def fit_context(y: np.ndarray, x: np.ndarray, z_threshold: float
                ) -> tuple[np.ndarray, np.ndarray, float | None]:
    """OLS of y on [1, x]: expected values, z-scores of the residuals and R².

    Rows with missing values get NaN. With too few complete rows (< columns + 5) the expected
    value is the plain mean of y. z uses the residual standard deviation with ``n - k``
    degrees of freedom.
    """
    x = x[:, np.isfinite(x).any(axis=0)]  # covariates absent from the atlas
    ok = np.isfinite(y) & np.all(np.isfinite(x), axis=1)
    n = int(ok.sum())
    x = x[:, np.std(x[ok], axis=0) > 0] if n else x[:, :0]  # constant columns
    design = np.column_stack([np.ones(len(y)), x])
    if n < design.shape[1] + 5:
        design = design[:, :1]
    expected = np.full(len(y), np.nan)
    z = np.full(len(y), np.nan)
    if n == 0:
        return expected, z, None
    beta, *_ = np.linalg.lstsq(design[ok], y[ok], rcond=None)
    expected[ok] = design[ok] @ beta
    resid = y - expected
    dof = n - design.shape[1]
    if dof > 0:
        sd = float(np.sqrt(np.nansum(resid[ok] ** 2) / dof))
        if sd > 1e-12 * max(1.0, float(np.abs(y[ok]).max())):
            z[ok] = resid[ok] / sd
    ss_tot = float(((y[ok] - y[ok].mean()) ** 2).sum())
    r2 = 1 - float((resid[ok] ** 2).sum()) / ss_tot if ss_tot > 0 and design.shape[1] > 1 \
        else (0.0 if ss_tot > 0 else None)
    return expected, z, r2


def measure(v: DivisionView, p: Params) -> Part:
    ctx = v.ctx
    sector = v.division.sector
    all_w = v.home_pupils()
    special = ctx.home_pupils(SPECIAL[sector])
    den = v.count(v.rid, all_w)
    rate = ratio(v.count(v.rid, special), den)
    national = special.sum() / all_w.sum() if all_w.sum() > 0 else np.nan
    part = Part()
    part.regions["deelname"] = rate
    for t in ("SBO", "SO", "VSO"):
        sec = "VO" if t == "VSO" else "PO"
        if sec in v.sectors:
            base = ctx.home_pupils(PO_TYPES if sec == "PO" else VO_TYPES)
            part.regions[f"deelname_{t}"] = ratio(v.count(v.rid, ctx.home_pupils((t,))),
                                                  v.count(v.rid, base))
    kids = sum(ctx.kids[s] for s in v.sectors)
    cols = []
    for c in CONTEXT_COLUMNS:
        if c not in ctx.covariates:
            continue
        val = ctx.covariates[c]
        has = np.isfinite(val)
        region_val = ratio(v.count(v.rid[has], (val * kids)[has]), v.count(v.rid[has], kids[has]))
        part.regions[c] = region_val
        cols.append(region_val)
    x = np.column_stack(cols) if cols else np.zeros((v.R, 0))
    expected, z, r2 = fit_context(rate, x, p.z_threshold)
    part.regions["deelname_verwacht"] = expected
    part.regions["verschil_landelijk"] = rate - national
    part.regions["residu"] = rate - expected
    part.regions["z"] = z
    flag = np.where(z > p.z_threshold, "hoger", np.where(z < -p.z_threshold, "lager", ""))
    part.regions["opvallend"] = list(flag)
    fin = rate[np.isfinite(rate)]
    part.summary = {
        "deelname_landelijk": num(national),
        "deelname_min": num(fin.min()) if len(fin) else None,
        "deelname_max": num(fin.max()) if len(fin) else None,
        "deelname_spreiding": num(fin.std(ddof=1)) if len(fin) > 1 else None,
        "r2_context": num(r2),
        "regios_opvallend": int((np.abs(np.nan_to_num(z)) > p.z_threshold).sum()),
    }
    return part
