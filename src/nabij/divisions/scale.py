"""The default maximum region size: the largest status-quo SWV of a sector.

The advice warns that "schaalvergroting voorbij het optimum zet de kwaliteit onder druk"
(seed 000) without a number. nabij takes the largest region that exists today as the default
upper bound: for PO and VO the largest SWV of that sector (pupils on its school locations), for
funderend onderwijs the largest pair of a PO and a VO SWV whose areas overlap.
"""

from __future__ import annotations

from nabij.atlas import Atlas
from nabij.divisions.graph import school_pupils
from nabij.divisions.natural import largest_pair
from nabij.divisions.status_quo import status_quo
from nabij.sectors import sector as sector_of


def largest_status_quo(atlas: Atlas, sector: str) -> float:
    """Pupils of the largest status-quo SWV of ``sector`` (PO+VO: the largest PO-VO pair)."""
    if sector == "PO+VO":
        return largest_pair(atlas)
    d = status_quo(atlas, sector)
    pupils = school_pupils(atlas, sector_of(sector).types)
    return float(pupils.groupby(d.assignment.reindex(pupils.index).to_numpy()).sum().max())


def max_rule_text(sector: str) -> str:
    """Dutch sentence naming the rule of the default maximum."""
    if sector == "PO+VO":
        return ("grootste bestaande paar van een PO- en een VO-SWV met overlappend gebied "
                "(aanname van nabij)")
    return f"grootste bestaande SWV {sector} (aanname van nabij)"
