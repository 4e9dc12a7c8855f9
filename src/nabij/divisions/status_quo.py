"""The status quo: the SWV PO and VO divisions recorded in the Atlas (table ``indeling``)."""

from __future__ import annotations

from nabij.atlas import Atlas
from nabij.divisions.division import Division, named_division
from nabij.errors import InputError, Problem


def status_quo(atlas: Atlas, sector: str) -> Division:
    """The current SWV division of one sector (``PO`` or ``VO``)."""
    if sector not in ("PO", "VO"):
        raise InputError("de status quo bestaat alleen per sector",
                         [Problem(f"sector '{sector}': kies PO of VO")])
    ind = atlas.indeling
    col = f"swv_{sector.lower()}"
    assignment = ind.set_index(ind["pc4"].astype(str))[col].astype(str)
    source = str(atlas.meta.provenance.get("indeling", {}).get("source", ""))
    pc4_gem = atlas.pc4.set_index(atlas.pc4["pc4"].astype(str))["gemeente"].astype(str)
    per_gem = assignment.groupby(pc4_gem.reindex(assignment.index).to_numpy()).nunique()
    split = int((per_gem > 1).sum())
    label = (f"Regeling 2015 op gemeenten {atlas.meta.reference_year}"
             if source.startswith("Regeling") else (source or "tabel indeling van de atlas"))
    recipe = {"bouwer": "status_quo", "scenario": "status-quo", "sector": sector,
              "regel": f"{label}: de SWV's {sector} van de atlas ({split} gemeenten liggen "
                       f"in meer dan één SWV {sector})",
              "label": label, "gesplitste_gemeenten": split, "bron": source or "atlas"}
    return named_division(f"Status quo {sector}", sector, assignment, recipe, atlas.swv, "swv")


def status_quo_all(atlas: Atlas) -> list[Division]:
    """Status quo PO and VO."""
    return [status_quo(atlas, "PO"), status_quo(atlas, "VO")]
