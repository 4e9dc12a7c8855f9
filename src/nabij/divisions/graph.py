"""Shared pieces of the scenario builders: pupils per PC4 and a region graph to merge on.

Pupils "living in" a PC4 come from the atlas' ``stromen`` (home PC4 x school); pupils "of" a
region are those at school locations inside it (an SWV counts the pupils of its member
schools). :class:`RegionGraph` holds a division's regions with their size, adjacency (from
``pc4_buren``) and the pupil flows between them, and merges regions one pair at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.sectors import AGE_COLUMNS
from nabij.tables import PO_TYPES


def flow_rows(atlas: Atlas, pc4: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``stromen`` rows whose home PC4 and school (vestiging, soort) are known.

    Returns, per kept row, the home position in ``pc4``, the row position in
    ``atlas.scholen`` and the pupils; empty arrays when the atlas has no flows.
    """
    if not (atlas.has("stromen") and len(atlas.stromen)):
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    sch, st = atlas.scholen, atlas.stromen
    key = pd.MultiIndex.from_arrays([sch["vestiging"].astype(str), sch["soort"].astype(str)])
    row = key.get_indexer(pd.MultiIndex.from_arrays(
        [st["vestiging"].astype(str), st["soort"].astype(str)]))
    home = pc4.get_indexer(st["pc4"].astype(str))
    ok = (row >= 0) & (home >= 0)
    return home[ok], row[ok], st["leerlingen"].to_numpy(float)[ok]


class AtlasArrays:
    """Integer-coded PC4, school and flow arrays of one atlas (cached per atlas object)."""

    def __init__(self, atlas: Atlas) -> None:
        self.pc4 = pd.Index(atlas.pc4["pc4"].astype(str))
        sch = atlas.scholen
        self.school_pos = self.pc4.get_indexer(sch["pc4"].astype(str))
        self.school_type = sch["soort"].astype(str).to_numpy()
        self.school_pupils = sch["leerlingen"].fillna(0).to_numpy(float)
        b = atlas.pc4_buren
        self.buren = (self.pc4.get_indexer(b["pc4_a"].astype(str)),
                      self.pc4.get_indexer(b["pc4_b"].astype(str)))
        self.has_flows = atlas.has("stromen") and len(atlas.stromen) > 0
        self.flow_home, row, self.flow_w = flow_rows(atlas, self.pc4)
        self.flow_school = self.school_pos[row]
        self.flow_type = self.school_type[row]
        kids = {s: atlas.pc4[c].fillna(0).to_numpy(float) for s, c in AGE_COLUMNS.items()}
        self.kids = kids

    def flow_mask(self, types: Iterable[str]) -> np.ndarray:
        return np.isin(self.flow_type, tuple(types))

    def school_mask(self, types: Iterable[str]) -> np.ndarray:
        return np.isin(self.school_type, tuple(types))


_CACHE: dict[int, tuple[Atlas, AtlasArrays]] = {}


def arrays(atlas: Atlas) -> AtlasArrays:
    """The (cached) :class:`AtlasArrays` of an atlas; atlases are immutable."""
    hit = _CACHE.get(id(atlas))
    if hit is not None and hit[0] is atlas:
        return hit[1]
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    arr = AtlasArrays(atlas)
    _CACHE[id(atlas)] = (atlas, arr)
    return arr


def home_pupils(atlas: Atlas, types: Iterable[str]) -> pd.Series:
    """Pupils of the given school types per home PC4 (all atlas PC4s, 0 where none).

    From ``stromen``; without flows, the children of the matching age (``kinderen_po`` /
    ``kinderen_vo``) stand in.
    """
    types = tuple(types)
    arr = arrays(atlas)
    if arr.has_flows:
        m = arr.flow_mask(types)
        w = np.bincount(arr.flow_home[m], weights=arr.flow_w[m], minlength=len(arr.pc4))
    else:
        sectors = sorted({"PO" if t in PO_TYPES else "VO" for t in types})
        w = sum((arr.kids[s] for s in sectors), np.zeros(len(arr.pc4)))
    return pd.Series(w, index=arr.pc4, name="leerlingen")


def school_pupils(atlas: Atlas, types: Iterable[str]) -> pd.Series:
    """Pupils at school locations of the given types per PC4 where the school lies."""
    arr = arrays(atlas)
    m = arr.school_mask(tuple(types))
    w = np.bincount(arr.school_pos[m], weights=arr.school_pupils[m], minlength=len(arr.pc4))
    return pd.Series(w, index=arr.pc4, name="leerlingen")


def pc4_flows(atlas: Atlas, types: Iterable[str]) -> pd.DataFrame:
    """Flows home PC4 -> school PC4 (columns ``van``, ``naar``, ``leerlingen``), summed."""
    arr = arrays(atlas)
    m = arr.flow_mask(tuple(types))
    n = len(arr.pc4)
    key, inv = np.unique(arr.flow_home[m].astype(np.int64) * n + arr.flow_school[m],
                         return_inverse=True)
    w = np.bincount(inv, weights=arr.flow_w[m], minlength=len(key))
    return pd.DataFrame({"van": arr.pc4[key // n], "naar": arr.pc4[key % n], "leerlingen": w})


def merged_name(names: list[str]) -> str:
    """Readable name of a merged region: "A", "A + B", "A + B + 3 andere"."""
    names = list(dict.fromkeys(names))
    if len(names) <= 2:
        return " + ".join(names)
    return f"{names[0]} + {names[1]} + {len(names) - 2} andere"


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
        arr = arrays(atlas)
        a = assignment.astype(str)
        reg = a.reindex(arr.pc4)
        if reg.isna().any():
            raise ValueError("indeling deelt niet elke postcode van de atlas in")
        codes = pd.Index(sorted(reg.unique()))
        rid = codes.get_indexer(reg.to_numpy())
        nr = len(codes)
        sm = arr.school_mask(types)
        size = np.bincount(rid[arr.school_pos[sm]], weights=arr.school_pupils[sm], minlength=nr)
        ea, eb = arr.buren
        ok = (ea >= 0) & (eb >= 0)
        pairs = np.unique(rid[ea[ok]].astype(np.int64) * nr + rid[eb[ok]])
        edges = zip(codes[pairs // nr], codes[pairs % nr], strict=True)
        fm = arr.flow_mask(types)
        fa, fb = rid[arr.flow_home[fm]], rid[arr.flow_school[fm]]
        cross = fa != fb
        key, inv = np.unique(fa[cross].astype(np.int64) * nr + fb[cross], return_inverse=True)
        w = np.bincount(inv, weights=arr.flow_w[fm][cross], minlength=len(key))
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
