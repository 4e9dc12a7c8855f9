"""Scenario 3: every region offers a fully covering network (volledig dekkend netwerk).

A region *covers* a provision type when at least one school location inside it supplies it
(:func:`nabij.divisions.provision.supply_matrix`). Repeatedly, the uncovered region missing
most types (then the smallest, then the lowest code) merges with the adjacent region that
supplies most of its missing types; ties go to the neighbour it exchanges most pupils with,
then the smaller one. Neighbours with which the merged region stays at or below ``max_pupils``
(default: the largest status-quo SWV of the sector) go first. A region none of whose
neighbours supplies a missing type waits; when no uncovered region can merge any more, the
remaining ones are reported in the recipe.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions.division import Division
from nabij.divisions.graph import RegionGraph
from nabij.divisions.provision import (
    DEFAULT_ASSUME_CLUSTERS,
    DEFAULT_PROVISIONS,
    RandomSplit,
    provision_label,
    provision_types,
    supply_matrix,
)
from nabij.divisions.status_quo import status_quo
from nabij.sectors import sector as sector_of


def region_provisions(
    atlas: Atlas,
    assignment: pd.Series,
    keys: Sequence[str],
    assume_clusters: Sequence[int] | RandomSplit = DEFAULT_ASSUME_CLUSTERS,
    guessed: str | None = None,
) -> dict[str, set[str]]:
    """Provision types present in each region (every region of ``assignment`` is a key)."""
    sch = atlas.scholen
    sup = supply_matrix(sch, keys, assume_clusters, guessed)
    region = sch["pc4"].astype(str).map(assignment.astype(str)).to_numpy()
    out: dict[str, set[str]] = {r: set() for r in assignment.astype(str).unique()}
    for key in sup.columns:
        for r in set(region[sup[key].to_numpy()]):
            if isinstance(r, str):
                out[r].add(key)
    return out


def dekkend_division(
    atlas: Atlas,
    sector: str = "PO",
    provisions: Sequence[str] | None = None,
    base: Division | None = None,
    assume_clusters: Sequence[int] | RandomSplit = DEFAULT_ASSUME_CLUSTERS,
    name: str | None = None,
    guessed: str | None = None,
    max_pupils: float | None = None,
) -> Division:
    """Merge regions of ``base`` (default: status quo of ``sector``) until each is covering.

    The required types are ``provisions`` (default :data:`DEFAULT_PROVISIONS`) restricted to
    the division's sector(s): PO needs SBO, SO 3, SO 4; VO needs VSO 3, VSO 4, PrO.
    """
    base = base or status_quo(atlas, sector)
    sector = base.sector
    keys = [p.key for p in provision_types(provisions or DEFAULT_PROVISIONS,
                                           sector_of(sector).sectors)]
    graph = RegionGraph.from_assignment(atlas, base.assignment, sector_of(sector).types,
                                        base.region_names)
    have = region_provisions(atlas, base.assignment, keys, assume_clusters, guessed)
    if max_pupils is None:
        from nabij.divisions.scale import largest_status_quo

        max_pupils = largest_status_quo(atlas, sector)
    need = set(keys)
    national = set().union(*have.values()) if have else set()

    waiting: set[str] = set()
    while True:
        lacking = {r: need - have[r] for r in graph.size if need - have[r] and r not in waiting}
        if not lacking:
            break
        r = min(lacking, key=lambda x: (-len(lacking[x]), graph.size[x], x))
        miss = lacking[r]
        cands = [s for s in graph.nbr[r] if have[s] & miss]
        if not cands:
            waiting.add(r)
            continue
        best = min(cands, key=lambda s: (graph.size[r] + graph.size[s] > max_pupils,
                                         -len(have[s] & miss), -graph.between(r, s),
                                         graph.size[s], s))
        keep = graph.merge(r, best, reason="ontbreekt: " + ", ".join(
            provision_label(k) for k in sorted(have[best] & miss)))
        gone = best if keep == r else r
        have[keep] = have[keep] | have.pop(gone)
        waiting.clear()

    incomplete = [
        {"regio": r, "ontbreekt": [provision_label(k) for k in keys if k not in have[r]]}
        for r in sorted(graph.size) if need - have[r]
    ]
    label = sector_of(sector).label
    recipe = {
        "bouwer": "dekkend",
        "scenario": "s3",
        "sector": sector,
        "basis": base.name,
        "voorzieningen": [provision_label(k) for k in keys],
        "max_leerlingen": max_pupils,
        "regel": "een regio zonder elke vereiste voorziening gaat op in de buurregio die de "
                 "meeste ontbrekende voorzieningen heeft, bij voorkeur zonder boven het "
                 "grootste bestaande SWV uit te komen",
        "clusters_aangenomen_zonder_gegevens": list(assume_clusters),
        "fusies": graph.merges,
        "niet_dekkend": incomplete,
        "landelijk_afwezig": [provision_label(k) for k in keys if k not in national],
        "regios_voor": base.n_regions,
        "regios_na": len(graph.members),
    }
    return Division(name or f"S3 Dekkend netwerk {label}", sector, graph.final_assignment(),
                    recipe, graph.final_names())
