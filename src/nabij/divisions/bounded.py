"""Geographically bounded areas ("geografisch afgebakend gebied", seed 000, advies 1b).

The advice asks to merge (too) small SWVs "die geen geografisch afgebakend gebied vormen". nabij
derives the bounded areas from the atlas' gemeente adjacency: without the ``veer`` links
(ferry, or for Zeeuws-Vlaanderen the Westerschelde crossing: on land it borders only Belgium),
the gemeente graph falls apart; every piece other than the mainland (the piece with most
inhabitants) is a bounded area. On the real 2024 map these are Texel, Vlieland, Terschelling,
Ameland, Schiermonnikoog and Zeeuws-Vlaanderen (Sluis, Terneuzen, Hulst).

An SWV (a region of a division) is *exempt* from fusie when it includes such an area: it does
not have to merge, because its island pupils cannot be served from further away without a
longer crossing. One that lies entirely in such an area is also *closed*: nobody merges into
it. The user adds or removes exemptions by region code (``--uitzondering``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from nabij.atlas import Atlas
from nabij.errors import InputError, Problem

KNOWN_AREAS: dict[frozenset[str], str] = {
    frozenset({"GM0677", "GM0715", "GM1714"}): "Zeeuws-Vlaanderen",
}
"""Names of multi-gemeente bounded areas (Hulst, Terneuzen, Sluis); others list gemeenten."""


@dataclass(frozen=True)
class BoundedArea:
    """A group of gemeenten connected to the mainland only by water."""

    gemeenten: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def label(self) -> str:
        known = KNOWN_AREAS.get(frozenset(self.gemeenten))
        return f"{known} ({', '.join(self.names)})" if known else ", ".join(self.names)


def bounded_areas(atlas: Atlas) -> list[BoundedArea]:
    """Pieces of the gemeente graph without ``veer`` links, other than the mainland."""
    gem = atlas.gemeenten
    codes = gem["gemeente"].astype(str).tolist()
    names = dict(zip(codes, gem["naam"].astype(str), strict=True))
    people = dict(zip(codes, pd.to_numeric(gem["inwoners"], errors="coerce").fillna(0),
                      strict=True))
    gb = atlas.gemeente_buren
    land = gb[gb["soort"].astype(str) != "veer"]
    g = nx.Graph()
    g.add_nodes_from(codes)
    g.add_edges_from(zip(land["gemeente_a"].astype(str), land["gemeente_b"].astype(str),
                         strict=True))
    has_ferry = set(gb.loc[gb["soort"].astype(str) == "veer", ["gemeente_a", "gemeente_b"]]
                    .astype(str).to_numpy().ravel())
    pieces = sorted(nx.connected_components(g),
                    key=lambda c: (-sum(people[x] for x in c), min(c)))
    out = []
    for piece in pieces[1:]:
        if not piece & has_ferry:  # an isolated piece without a ferry is a data gap
            continue
        members = tuple(sorted(piece))
        out.append(BoundedArea(members, tuple(names[x] for x in members)))
    return out


def closed_regions(atlas: Atlas, assignment: pd.Series) -> set[str]:
    """Regions lying entirely in one bounded area (no merge in either direction)."""
    pc4 = atlas.pc4
    region = assignment.astype(str).reindex(pc4["pc4"].astype(str)).to_numpy()
    gem = pd.Series(pc4["gemeente"].astype(str).to_numpy())
    out = set()
    for area in bounded_areas(atlas):
        inside = gem.isin(area.gemeenten).to_numpy()
        out |= {r for r in set(region[inside]) if inside[region == r].all()}
    return out


def exempt_regions(
    atlas: Atlas,
    assignment: pd.Series,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> dict[str, str]:
    """Region code -> Dutch reason, for the regions of ``assignment`` exempt from fusie."""
    pc4 = atlas.pc4
    region = assignment.astype(str).reindex(pc4["pc4"].astype(str)).to_numpy()
    gem = pc4["gemeente"].astype(str).to_numpy()
    whole: dict[str, list[str]] = {}
    part: dict[str, list[str]] = {}
    for area in bounded_areas(atlas):
        inside = pd.Series(gem).isin(area.gemeenten).to_numpy()
        for r in sorted(set(region[inside])):
            (whole if bool(inside[region == r].all()) else part).setdefault(r, []).append(
                area.label)
    out: dict[str, str] = {}
    for r, labels in whole.items():
        out[r] = (f"ligt geheel in {' en '.join(labels)}: alleen over het water (veer of "
                  "Westerschelde) met de rest van Nederland verbonden, een geografisch "
                  "afgebakend gebied")
    for r, labels in part.items():
        if r not in out:
            out[r] = (f"omvat {', '.join(labels)}: alleen over het water met de rest van "
                      "Nederland verbonden; een fusie zou dat gebied verder van zijn SWV "
                      "brengen")
    known = set(region)
    for c in remove:
        out.pop(c, None)
    for c in add:
        if c in known:
            out.setdefault(c, USER_REASON)
    return {r: out[r] for r in sorted(out)}


USER_REASON = "op verzoek van de gebruiker uitgezonderd (--uitzondering)"


def check_codes(atlas: Atlas, codes: Iterable[str]) -> None:
    """InputError (Dutch) for exemption codes that are no SWV of the atlas."""
    known = set(atlas.swv["swv"].astype(str))
    problems = [Problem(f"'{c}' is geen samenwerkingsverband van de atlas (bv. 'PO 29-03')")
                for c in codes if c not in known]
    if problems:
        raise InputError("Uitzonderingen voor fusie kloppen niet", problems)
