"""Fusie kleine SWV's: merge regions below a pupil threshold with their strongest neighbour.

Repeatedly, the smallest region below ``threshold`` pupils (pupils at school locations of the
sector's types inside the region) merges with the adjacent region (``pc4_buren``) that it
exchanges most pupils with (living in one, at school in the other, both directions); ties go
to the smaller neighbour, then the lower code. The larger of the two keeps its code. A region
without any neighbour left (an isolated part of the adjacency graph that is small in total)
is reported as impossible in the recipe.

Exemption (seed 000, advies 1b: fusie of small SWVs "die geen geografisch afgebakend gebied
vormen"): regions that include an area connected to the mainland only over the water
(:mod:`nabij.divisions.bounded`: the Wadden islands, Zeeuws-Vlaanderen) do not have to merge,
and one lying entirely in such an area (Zeeuws-Vlaanderen) takes no part in any merge;
``exempt_add`` / ``exempt_remove`` adjust that list by region code. The recipe lists the
exempted regions with their reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from nabij.atlas import Atlas
from nabij.defaults import FUSIE_MIN_REGION_PUPILS
from nabij.divisions.bounded import closed_regions, exempt_regions
from nabij.divisions.division import Division
from nabij.divisions.graph import RegionGraph
from nabij.divisions.status_quo import status_quo
from nabij.sectors import sector as sector_of

DEFAULT_THRESHOLD = FUSIE_MIN_REGION_PUPILS


def fusie_division(
    atlas: Atlas,
    sector: str = "PO",
    threshold: float = DEFAULT_THRESHOLD,
    base: Division | None = None,
    name: str | None = None,
    exempt: bool = True,
    exempt_add: Iterable[str] = (),
    exempt_remove: Iterable[str] = (),
    max_pupils: float | None = None,
) -> Division:
    """Merge small regions of ``base`` (default: the status quo of ``sector``), except the
    geographically bounded ones (``exempt=False`` merges those too)."""
    base = base or status_quo(atlas, sector)
    sector = base.sector
    graph = RegionGraph.from_assignment(atlas, base.assignment, sector_of(sector).types,
                                        base.region_names)
    free = exempt_regions(atlas, base.assignment, exempt_add, exempt_remove) if exempt else {}
    size = dict(graph.size)  # before merging
    closed = closed_regions(atlas, base.assignment) & set(free) if exempt else set()
    if max_pupils is None:
        from nabij.divisions.scale import largest_status_quo

        max_pupils = largest_status_quo(atlas, sector)
    impossible = merge_small(graph, threshold, set(free), closed, max_pupils)
    assignment = graph.final_assignment()
    label = sector_of(sector).label
    recipe = {
        "bouwer": "fusie",
        "scenario": "fusie",
        "sector": sector,
        "drempel_leerlingen": threshold,
        "max_leerlingen": max_pupils,
        "regel": f"SWV's met minder dan {_nl(threshold)} leerlingen fuseren met de buur "
                 "waarmee ze de meeste leerlingen uitwisselen, bij voorkeur zonder boven "
                 f"{_nl(max_pupils)} leerlingen (het grootste bestaande SWV) uit te komen; "
                 "geografisch afgebakende gebieden zijn uitgezonderd",
        "basis": base.name,
        "maat": "leerlingen op schoolvestigingen in de regio",
        "fusies": graph.merges,
        "uitgezonderd": [{"regio": r, "naam": base.region_name(r),
                          "leerlingen": round(size[r]), "reden": why}
                         for r, why in free.items() if size[r] < threshold],
        "regel_uitzondering": "SWV's met een gebied dat alleen over het water met de rest "
                              "van Nederland verbonden is (Waddeneilanden, Zeeuws-Vlaanderen) "
                              "fuseren niet: 'die geen geografisch afgebakend gebied vormen' "
                              "(advies 1b)" if exempt else "geen uitzonderingen",
        "onmogelijk": [{"regio": r, "leerlingen": round(graph.size[r])} for r in impossible],
        "regios_voor": base.n_regions,
        "regios_na": len(graph.members),
    }
    return Division(name or f"Fusie kleine SWV's {label}", sector, assignment, recipe,
                    graph.final_names())


def _nl(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def merge_small(graph: RegionGraph, threshold: float,
                exempt: set[str] | frozenset[str] = frozenset(),
                closed: set[str] | frozenset[str] = frozenset(),
                max_pupils: float = float("inf")) -> list[str]:
    """Merge until no region is below ``threshold``; returns the regions that cannot merge.

    ``exempt`` regions start no merge; ``closed`` regions do not receive one either. Partners
    that keep the merged region at or below ``max_pupils`` go first."""
    stuck: set[str] = set()
    while True:
        small = [r for r, s in graph.size.items()
                 if s < threshold and r not in stuck and r not in exempt]
        if not small:
            break
        r = min(small, key=lambda x: (graph.size[x], x))
        cands = graph.nbr[r] - closed
        if not cands:
            stuck.add(r)
            continue
        best = min(cands, key=lambda s: (graph.size[r] + graph.size[s] > max_pupils,
                                         -graph.between(r, s), graph.size[s], s))
        graph.merge(r, best, reason="kleiner dan drempel")
    return sorted(r for r in stuck if r in graph.size and graph.size[r] < threshold)

