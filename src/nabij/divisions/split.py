"""Split a region into the fewest contiguous parts within pupil bounds (balanced tree cuts).

Used by S2 (:mod:`nabij.divisions.jeugdregio`): a jeugdregio above the maximum becomes
several SWVs that each lie inside it. The parts are built from *units* (whole gemeenten where
possible, PC4 areas where needed) on the ONE adjacency of the atlas index (its PC4 links,
ferry links included, contracted to the units), so a connected set of units is contiguous by
the measures' own count.

For ``k`` parts (from ``ceil(total / max)`` upwards) a spanning tree of the unit graph is cut
at the edge that leaves one side within ``[min, max]`` and the rest able to hold ``k - 1``
parts, the side nearest to ``total / k`` first (balanced); the rest is split again the same
way. The first tree is the shortest one (centroid distances, compact parts); further trees
use seeded random edge weights, so the result is reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

TREES_PER_K = 60
"""Spanning trees tried per number of parts before trying one part more."""


@dataclass(frozen=True)
class SplitResult:
    """Parts (lists of unit ids) and whether the bounds were met."""

    parts: list[list[int]]
    within: bool


def unit_graph(a: np.ndarray, b: np.ndarray, unit: np.ndarray, keep: np.ndarray) -> nx.Graph:
    """Graph of units (``unit[node]``, nodes where ``keep``) from node links ``a``-``b``."""
    g = nx.Graph()
    g.add_nodes_from(np.unique(unit[keep]).tolist())
    ok = keep[a] & keep[b] & (unit[a] != unit[b])
    g.add_edges_from(zip(unit[a[ok]].tolist(), unit[b[ok]].tolist(), strict=True))
    return g


def split_bounded(g: nx.Graph, weight: dict[int, float], xy: dict[int, np.ndarray],
                  lo: float, hi: float, seed: int = 0) -> SplitResult | None:
    """Fewest parts of the connected graph ``g``, each connected with weight in
    ``[lo, hi]``; ``None`` when no such split was found."""
    total = sum(weight[n] for n in g)
    if total <= hi:
        return SplitResult([sorted(g)], total >= lo)
    k_max = min(len(g), math.floor(total / lo) if lo > 0 else len(g))
    rng = np.random.default_rng(seed)
    for k in range(math.ceil(total / hi), k_max + 1):
        budget = [TREES_PER_K]
        parts = _cut(g, weight, xy, k, lo, hi, rng, budget)
        if parts is not None:
            return SplitResult(sorted(sorted(p) for p in parts), True)
    return None


def _cut(g: nx.Graph, weight: dict[int, float], xy: dict[int, np.ndarray], k: int,
         lo: float, hi: float, rng: np.random.Generator, budget: list[int]
         ) -> list[set[int]] | None:
    total = sum(weight[n] for n in g)
    if k == 1:
        return [set(g)] if lo - 1e-9 <= total <= hi + 1e-9 else None
    first = True
    while budget[0] > 0:
        budget[0] -= 1
        tree = _tree(g, xy, rng, first)
        first = False
        for part in _candidates(tree, weight, total, k, lo, hi):
            rest = _cut(g.subgraph(set(g) - part).copy(), weight, xy, k - 1, lo, hi, rng,
                        budget)
            if rest is not None:
                return [part, *rest]
            break  # one candidate per tree: a fresh tree next
    return None


def _tree(g: nx.Graph, xy: dict[int, np.ndarray], rng: np.random.Generator,
          shortest: bool) -> nx.Graph:
    for u, v in g.edges:
        g.edges[u, v]["w"] = (float(np.hypot(*(xy[u] - xy[v]))) if shortest
                              else float(rng.random()))
    return nx.minimum_spanning_tree(g, weight="w")


def _candidates(tree: nx.Graph, weight: dict[int, float], total: float, k: int,
                lo: float, hi: float) -> list[set[int]]:
    """One-part sides of tree edges whose rest can hold ``k - 1`` parts, balanced first."""
    root = min(tree)
    parent = nx.dfs_predecessors(tree, root)
    order = list(nx.dfs_postorder_nodes(tree, root))
    sub = {n: weight[n] for n in order}
    for n in order:
        if n in parent:
            sub[parent[n]] += sub[n]
    eps = 1e-9
    found: list[tuple[float, int, int, bool]] = []
    for n in order:
        if n == root:
            continue
        for part, rest, inside in ((sub[n], total - sub[n], True),
                                   (total - sub[n], sub[n], False)):
            if (lo - eps <= part <= hi + eps
                    and (k - 1) * lo - eps <= rest <= (k - 1) * hi + eps):
                found.append((abs(part - total / k), n, 0 if inside else 1, inside))
    found.sort()
    out = []
    for _, n, _, inside in found[:1]:
        below = _subtree(tree, parent, n)
        out.append(below if inside else set(tree) - below)
    return out


def _subtree(tree: nx.Graph, parent: dict, n: int) -> set[int]:
    """Nodes below ``n`` (``n`` included) in the tree rooted by ``parent``."""
    t = tree.copy()
    t.remove_edge(n, parent[n])
    return set(nx.node_connected_component(t, n))
