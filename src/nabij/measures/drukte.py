"""Measure family 2 — bestuurlijke drukte: partners per region, regions per partner."""

from __future__ import annotations

import numpy as np

from nabij.measures.context import DivisionView
from nabij.measures.definitions import Definition, Params, Part, in_family, num

FAMILY = "bestuurlijke drukte"


def definitions(p: Params) -> dict[str, Definition]:
    d = {
        "gemeenten_per_regio": Definition(
            "Gemeenten per regio (gem.)", "Gemiddeld aantal gemeenten waarmee een regio "
            "OOGO voert: gemeenten met minstens één postcodegebied in de regio.", "aantal",
            "lager"),
        "gemeenten_per_regio_max": Definition(
            "Gemeenten per regio (max.)", "Grootste aantal gemeenten in één regio.", "aantal",
            "lager"),
        "besturen_per_regio": Definition(
            "Schoolbesturen per regio (gem.)", "Gemiddeld aantal schoolbesturen met minstens "
            "één vestiging van de sector(en) in de regio.", "aantal"),
        "jeugdregios_per_regio": Definition(
            "Jeugdregio's per regio (gem.)", "Gemiddeld aantal jeugdzorgregio's waarmee een "
            "regio overlapt (minstens één postcodegebied gemeen).", "aantal", "lager"),
        "regios_per_gemeente": Definition(
            "Regio's per gemeente (gem.)", "Gemiddeld over de gemeenten: aantal regio's "
            "waarin de gemeente postcodegebieden heeft (1 = de gemeente ligt in één regio).",
            "aantal", "lager"),
        "oogo_partners_per_gemeente": Definition(
            "OOGO-partners per gemeente (PO en VO samen)", "Gemiddeld over de gemeenten: aantal "
            "samenwerkingsverbanden waarmee de gemeente OOGO voert, PO en VO samen (een SWV "
            "funderend telt één keer): bij een "
            "indeling per sector de regio's van deze indeling plus die van de andere sector "
            "(uit hetzelfde scenario, anders de status quo); bij een indeling funderend de "
            "regio's van deze indeling (één SWV voor PO en VO). Zo zijn sector- en "
            "funderende indelingen vergelijkbaar.", "aantal", "lager"),
        "gesplitste_gemeenten": Definition(
            "Gesplitste gemeenten", "Aantal gemeenten waarvan de postcodegebieden over meer "
            "dan één regio verdeeld zijn.", "aantal", "lager"),
        "regios_per_bestuur": Definition(
            "Regio's per schoolbestuur (gem.)", "Gemiddeld over de schoolbesturen van de "
            "sector(en): aantal regio's waarin het bestuur vestigingen heeft.", "aantal",
            "lager"),
        "besturen_meerdere_regios": Definition(
            "Besturen in meer regio's", "Aantal schoolbesturen met vestigingen in meer dan één "
            "regio.", "aantal", "lager"),
        "gemeenten": Definition("Gemeenten (OOGO)", "Aantal gemeenten met minstens één "
                                "postcodegebied in de regio.", "aantal", "lager",
                                niveau="regio"),
        "besturen": Definition("Schoolbesturen", "Aantal schoolbesturen met een vestiging van "
                               "de sector(en) in de regio.", "aantal", niveau="regio"),
        "jeugdregios": Definition("Jeugdregio's", "Aantal jeugdzorgregio's waarmee de regio "
                                  "overlapt.", "aantal", "lager", niveau="regio"),
    }
    return in_family(d, FAMILY)


def _pairs(a: np.ndarray, b: np.ndarray, nb: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique (a, b) pairs as two arrays."""
    key = np.unique(a.astype(np.int64) * nb + b)
    return key // nb, key % nb


def partners_per_gemeente(views: list[DivisionView]) -> np.ndarray:
    """Distinct region codes (organisations) per gemeente over one or more divisions; a
    funderend SWV with the same code in the PO and the VO division counts once."""
    ctx = views[0].ctx
    gem = np.concatenate([ctx.gem_id for _ in views])
    code = np.concatenate([np.asarray(v.regions, dtype=object)[v.rid] for v in views])
    _, cid = np.unique(code.astype(str), return_inverse=True)
    key = np.unique(gem.astype(np.int64) * (cid.max() + 1) + cid)
    return np.bincount(key // (cid.max() + 1), minlength=len(ctx.gemeenten))


def measure(v: DivisionView, p: Params, partner: DivisionView | None = None) -> Part:
    """``partner`` is the other-sector division a sector division is counted with."""
    ctx = v.ctx
    part = Part()
    r, g = _pairs(v.rid, ctx.gem_id, len(ctx.gemeenten))
    gem_per_region = v.count(r)
    regions_per_gem = np.bincount(g, minlength=len(ctx.gemeenten))
    views = [v] if partner is None or v.division.sector == "PO+VO" else [v, partner]
    partners = partners_per_gemeente(views)
    r2, j = _pairs(v.rid, ctx.jz_id, len(ctx.jeugdregios))
    jz_per_region = v.count(r2)
    m = v.school_in
    r3, b = _pairs(v.school_rid[m], ctx.board_id[m], len(ctx.boards))
    boards_per_region = v.count(r3)
    regions_per_board = np.bincount(b, minlength=len(ctx.boards))
    regions_per_board = regions_per_board[regions_per_board > 0]
    part.regions = {"gemeenten": gem_per_region, "besturen": boards_per_region,
                    "jeugdregios": jz_per_region}
    part.summary = {
        "gemeenten_per_regio": num(gem_per_region.mean()) if v.R else None,
        "gemeenten_per_regio_max": num(gem_per_region.max()) if v.R else None,
        "besturen_per_regio": num(boards_per_region.mean()) if v.R else None,
        "jeugdregios_per_regio": num(jz_per_region.mean()) if v.R else None,
        "regios_per_gemeente": num(regions_per_gem[regions_per_gem > 0].mean()),
        "oogo_partners_per_gemeente": num(partners[regions_per_gem > 0].mean()),
        "gesplitste_gemeenten": int((regions_per_gem > 1).sum()),
        "regios_per_bestuur": num(regions_per_board.mean()) if len(regions_per_board) else None,
        "besturen_meerdere_regios": int((regions_per_board > 1).sum()),
    }
    return part
