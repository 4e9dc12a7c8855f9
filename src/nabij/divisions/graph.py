"""Shared pieces of the scenario builders: pupils per PC4 and a region graph to merge on.

Pupils "living in" a PC4 come from the atlas' ``stromen`` (home PC4 x school); pupils "of" a
region are those at school locations inside it (an SWV counts the pupils of its member
schools); both via the atlas index (:mod:`nabij.atlas.index`). :class:`RegionGraph` holds a
division's regions with their size, adjacency (the index's PC4 adjacency, ferry links
included) and the pupil flows between them, and merges regions one pair at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.errors import InputError, Problem


def home_pupils(atlas: Atlas, types: Iterable[str]) -> pd.Series:
    """Pupils of the given school types per home PC4 (all atlas PC4s, 0 where none).

    From ``stromen``; without flows, the children of the matching age (``kinderen_po`` /
    ``kinderen_vo``) stand in.
    """
    ix = atlas.index
    return pd.Series(ix.home_pupils(tuple(types)), index=ix.pc4, name="leerlingen")


def school_pupils(atlas: Atlas, types: Iterable[str]) -> pd.Series:
    """Pupils at school locations of the given types per PC4 where the school lies."""
    ix = atlas.index
    return pd.Series(ix.school_pupils_by_pc4(tuple(types)), index=ix.pc4, name="leerlingen")


def pc4_flows(atlas: Atlas, types: Iterable[str]) -> pd.DataFrame:
    """Flows home PC4 -> school PC4 (columns ``van``, ``naar``, ``leerlingen``), summed."""
    ix = atlas.index
    m = ix.flow_mask(tuple(types))
    n = ix.n
    key, inv = np.unique(ix.flow_home[m].astype(np.int64) * n + ix.flow_school[m],
                         return_inverse=True)
    w = np.bincount(inv, weights=ix.flow_w[m], minlength=len(key))
    return pd.DataFrame({"van": ix.pc4[key // n], "naar": ix.pc4[key % n], "leerlingen": w})


def merged_name(names: list[str]) -> str:
    """Readable name of a merged region: "A", "A + B", "A + B + 3 andere"."""
    names = list(dict.fromkeys(names))
    if len(names) <= 2:
        return " + ".join(names)
    return f"{names[0]} + {names[1]} + {len(names) - 2} andere"


DENSE_PAIRS = 4_000_000
"""Up to this many (region, region) pairs, pair sums use one dense ``bincount`` (no sort)."""


def pair_sums(a: np.ndarray, b: np.ndarray, n: int, weights: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``a * n + b`` that occur (sorted) and the sum of ``weights`` (or the count)
    of each."""
    key = a.astype(np.int64) * n + b
    if n * n <= DENSE_PAIRS:
        total = np.bincount(key, weights=weights, minlength=n * n)
        seen = np.bincount(key, minlength=n * n) > 0
        pairs = np.flatnonzero(seen)
        return pairs, total[pairs]
    pairs, inv = np.unique(key, return_inverse=True)
    return pairs, np.bincount(inv, weights=weights, minlength=len(pairs))


class RegionGraph:
    """Regions of a division with size, adjacency and flows; supports pairwise merging.

    ``size`` holds the pupils of each region, ``flow[a][b]`` the pupils living in a and going
    to school in b plus those living in b and going to school in a (symmetric), ``nbr`` the
    adjacent regions. ``members`` records which original regions each region holds.
    """

    def __init__(
        self,
        assignment: pd.Series,
        size: Mapping[str, float],
        edges: Iterable[tuple[str, str]],
        flows: Iterable[tuple[str, str, float]],
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.assignment = assignment.astype(str)
        regions = sorted(self.assignment.unique())
        self.size: dict[str, float] = {r: float(size.get(r, 0.0)) for r in regions}
        self.nbr: dict[str, set[str]] = {r: set() for r in regions}
        for a, b in edges:
            if a != b and a in self.nbr and b in self.nbr:
                self.nbr[a].add(b)
                self.nbr[b].add(a)
        self.flow: dict[str, dict[str, float]] = {r: {} for r in regions}
        for a, b, w in flows:
            if a != b and a in self.flow and b in self.flow and w > 0:
                self.flow[a][b] = self.flow[a].get(b, 0.0) + float(w)
                self.flow[b][a] = self.flow[b].get(a, 0.0) + float(w)
        self.members: dict[str, list[str]] = {r: [r] for r in regions}
        self.names = dict(names or {})
        self.merges: list[dict] = []

    @classmethod
    def from_assignment(
        cls,
        atlas: Atlas,
        assignment: pd.Series,
        types: Iterable[str],
        names: Mapping[str, str] | None = None,
    ) -> RegionGraph:
        """Graph of ``assignment`` (pc4 -> region) measured with pupils of ``types``."""
        types = tuple(types)
        ix = atlas.index
        a = assignment.astype(str)
        reg = a.reindex(ix.pc4)
        if reg.isna().any():
            raise InputError("Indeling is ongeldig",
                             [Problem("indeling deelt niet elke postcode van de atlas in")])
        codes = pd.Index(sorted(reg.unique()))
        rid = codes.get_indexer(reg.to_numpy())
        nr = len(codes)
        sm = ix.school_mask(types)
        size = np.bincount(rid[ix.school_pos[sm]], weights=ix.school_pupils[sm], minlength=nr)
        adj = ix.pc4_adjacency
        pairs, _ = pair_sums(rid[adj.a], rid[adj.b], nr)
        edges = zip(codes[pairs // nr], codes[pairs % nr], strict=True)
        fm = ix.flow_mask(types)
        fa, fb = rid[ix.flow_home[fm]], rid[ix.flow_school[fm]]
        cross = fa != fb
        key, w = pair_sums(fa[cross], fb[cross], nr, ix.flow_w[fm][cross])
        flows = zip(codes[key // nr], codes[key % nr], w, strict=True)
        return cls(a, dict(zip(codes, size, strict=True)), edges, flows, names)

    @property
    def regions(self) -> list[str]:
        return sorted(self.size)

    def between(self, a: str, b: str) -> float:
        return self.flow[a].get(b, 0.0)

    def name(self, region: str) -> str:
        return merged_name([self.names.get(m, m) for m in self.members[region]])

    def merge(self, a: str, b: str, reason: str = "") -> str:
        """Merge regions a and b; the larger (then the smaller code) keeps its code."""
        keep, gone = (a, b) if (-self.size[a], a) <= (-self.size[b], b) else (b, a)
        self.merges.append({"van": gone, "naar": keep, "leerlingen_van": round(self.size[gone]),
                            "leerlingen_naar": round(self.size[keep])}
                           | ({"reden": reason} if reason else {}))
        self.size[keep] += self.size.pop(gone)
        for n in self.nbr.pop(gone):
            self.nbr[n].discard(gone)
            if n != keep:
                self.nbr[n].add(keep)
                self.nbr[keep].add(n)
        self.nbr[keep].discard(gone)
        for n, w in self.flow.pop(gone).items():
            self.flow[n].pop(gone, None)
            if n != keep:
                self.flow[n][keep] = self.flow[n].get(keep, 0.0) + w
                self.flow[keep][n] = self.flow[keep].get(n, 0.0) + w
        self.flow[keep].pop(gone, None)
        self.members[keep] += self.members.pop(gone)
        return keep

    def final_assignment(self) -> pd.Series:
        """pc4 -> surviving region code."""
        to = {m: r for r, ms in self.members.items() for m in ms}
        return self.assignment.map(to)

    def final_names(self) -> dict[str, str]:
        return {r: self.name(r) for r in self.members}
