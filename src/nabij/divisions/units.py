"""Geographic units to aggregate PC4 data to: gemeente, SWV PO/VO, jeugdregio or a Division.

Shared by the inclusiefonds (allocation levels) and pupil transport (cost tables per region).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from nabij.divisions.division import Division
from nabij.errors import InputError, Problem

LEVELS: dict[str, str] = {
    "gemeente": "gemeente",
    "swv-po": "samenwerkingsverband PO",
    "swv-vo": "samenwerkingsverband VO",
    "jeugdregio": "jeugdregio",
}
"""Built-in allocation levels and their Dutch names (any Division works too)."""


@dataclass(frozen=True)
class Units:
    """The geography of an allocation: PC4 -> unit code, unit names and a Dutch label."""

    level: str
    label: str
    of_pc4: pd.Series
    names: Mapping[str, str] = field(default_factory=dict)


def units_for(atlas, level: str | Division = "gemeente") -> Units:
    """Units of a built-in level (gemeente, swv-po, swv-vo, jeugdregio) or a Division."""
    pc4 = atlas.pc4.assign(pc4=atlas.pc4["pc4"].astype(str)).set_index("pc4")
    if isinstance(level, Division):
        level.validate(pc4.index)
        names = {r: level.region_name(r) for r in level.regions}
        return Units(level.name, f"regio ({level.name})", level.assignment, names)
    if level == "gemeente":
        g = atlas.gemeenten
        return Units(level, LEVELS[level], pc4["gemeente"].astype(str),
                     dict(zip(g["gemeente"], g["naam"], strict=False)))
    if level in ("swv-po", "swv-vo"):
        col = "swv_po" if level == "swv-po" else "swv_vo"
        ind = atlas.indeling.assign(pc4=atlas.indeling["pc4"].astype(str)).set_index("pc4")
        s = atlas.swv
        return Units(level, LEVELS[level], ind[col].astype(str).reindex(pc4.index),
                     dict(zip(s["swv"], s["naam"], strict=False)))
    if level == "jeugdregio":
        g = atlas.gemeenten.set_index("gemeente")["jeugdregio"].astype(str)
        j = atlas.jeugdregios
        return Units(level, LEVELS[level], pc4["gemeente"].map(g),
                     dict(zip(j["jeugdregio"], j["naam"], strict=False)))
    raise InputError("Onbekend niveau", [Problem(
        f"niveau '{level}': kies uit {', '.join(LEVELS)} of een eigen indeling")])
