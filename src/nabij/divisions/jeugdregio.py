"""Scenario 2: SWV regions congruent with the jeugdzorgregio's (per sector or funderend)."""

from __future__ import annotations

from nabij.atlas import Atlas
from nabij.divisions.division import Division, named_division
from nabij.sectors import sector as sector_of


def jeugdregio_division(atlas: Atlas, sector: str = "PO+VO") -> Division:
    """Every PC4 in the jeugdregio of its gemeente."""
    gem = atlas.gemeenten.set_index(atlas.gemeenten["gemeente"].astype(str))["jeugdregio"]
    pc4 = atlas.pc4
    assignment = pc4["gemeente"].astype(str).map(gem.astype(str))
    assignment.index = pc4["pc4"].astype(str).to_numpy()
    recipe = {"bouwer": "jeugdregio", "scenario": "s2", "sector": sector,
              "regel": "elk postcodegebied hoort bij de jeugdzorgregio van zijn gemeente",
              "bron": "jeugdregio van de gemeente van elk postcodegebied"}
    return named_division(f"S2 Jeugdregio {sector_of(sector).label}", sector, assignment, recipe,
                          atlas.jeugdregios, "jeugdregio")
