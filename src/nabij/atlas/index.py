"""AtlasIndex: the integer-coded view of one Atlas that every calculation shares.

Built once per :class:`~nabij.atlas.Atlas` (``atlas.index``, cached on the immutable atlas),
it holds what measures, scenario builders, the optimizer, the fund and pupil transport used
to derive each on their own:

* **positions**: PC4 areas (atlas order), gemeenten and jeugdregio's (sorted codes) with the
  gemeente/jeugdregio/provincie of every PC4; school rows with their PC4 position, type code,
  pupils and coordinates;
* **pupils**: the flow -> school match (home PC4, school row, school PC4, type, pupils) and the
  pupils per home PC4 and school type (from the flows; children of the age without flows);
* **status quo**: the SWV PO and VO of every PC4 (table ``indeling``);
* **one adjacency** (:class:`Adjacency`) at PC4 and at gemeente level, ferry links included,
  every link labelled with its kind (``binnen``, ``grens``, ``veer``, ``nabij``). The PC4
  graph contains, for every gemeente link, a link between the nearest PC4 areas of the two
  gemeenten, and every gemeente's own PC4 areas are connected; so a set of whole gemeenten
  that is contiguous at gemeente level is contiguous at PC4 level too, and what the optimizer
  calls contiguous the measures call contiguous;
* **one distance model** (:class:`~nabij.atlas.distance.DistanceModel`, default straight line
  x :data:`nabij.defaults.DETOUR_FACTOR`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from nabij.atlas.distance import DistanceModel, StraightLineDetour, project_km
from nabij.defaults import NEAREST_CANDIDATES
from nabij.sectors import AGE_COLUMNS
from nabij.tables import SCHOOL_TYPES, SECTOR_OF_TYPE

if TYPE_CHECKING:
    from nabij.atlas.atlas import Atlas

T = TypeVar("T")

LINK_KINDS: dict[str, str] = {
    "binnen": "buren binnen dezelfde gemeente",
    "grens": "gemeenten met een gemeenschappelijke grens",
    "veer": "veerverbinding (eiland)",
    "nabij": "dichtstbijzijnde buur zonder grens (geen landgrens in de atlas)",
}
"""Kinds of adjacency links, with their Dutch meaning."""


# -- matching ---------------------------------------------------------------------------------
def _arrow(values) -> pa.Array:
    arr = values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(
        values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.string() else arr.cast(pa.string())


def positions(values, keys) -> np.ndarray:
    """Position of each value among ``keys`` (compared as strings), -1 where absent."""
    idx = pc.index_in(_arrow(values), value_set=_arrow(keys))
    return np.asarray(idx.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def school_rows(stromen: pd.DataFrame, scholen: pd.DataFrame) -> np.ndarray:
    """Row of ``scholen`` for each flow, matched on (vestiging, soort); -1 where absent."""
    def key(df: pd.DataFrame) -> pa.Array:
        return pc.binary_join_element_wise(_arrow(df["vestiging"]), _arrow(df["soort"]), "|")

    return positions(key(stromen), key(scholen))


# -- adjacency --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Adjacency:
    """Undirected links between ``n`` nodes: ``a[k] < b[k]``, each once, with its kind."""

    n: int
    a: np.ndarray
    b: np.ndarray
    kind: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, n: int, a, b, kind) -> Adjacency:
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        kind = np.asarray(kind, dtype=object)
        ok = (a >= 0) & (b >= 0) & (a != b)
        lo, hi, kind = np.minimum(a, b)[ok], np.maximum(a, b)[ok], kind[ok]
        _, first = np.unique(lo * max(n, 1) + hi, return_index=True)
        first.sort()
        return cls(n, lo[first], hi[first], kind[first])

    @property
    def edges(self) -> np.ndarray:
        """(m, 2) int array of the links."""
        return np.column_stack([self.a, self.b])

    def components(self, keep: np.ndarray | None = None) -> tuple[int, np.ndarray]:
        """Connected components over the links where ``keep`` (default all) is true."""
        a, b = (self.a, self.b) if keep is None else (self.a[keep], self.b[keep])
        g = coo_matrix((np.ones(len(a)), (a, b)), shape=(self.n, self.n))
        k, labels = connected_components(g, directed=False)
        return int(k), labels

    def pieces(self, labels: np.ndarray, n_labels: int | None = None) -> np.ndarray:
        """Connected pieces per label (label ids 0..R-1 per node): 1 = contiguous."""
        labels = np.asarray(labels, np.int64)
        r = int(labels.max()) + 1 if n_labels is None and len(labels) else int(n_labels or 0)
        _, comp = self.components(labels[self.a] == labels[self.b])
        pairs = np.unique(labels.astype(np.int64) * self.n + comp)
        return np.bincount(pairs // max(self.n, 1), minlength=r)

    def frame(self, codes: pd.Index, names: tuple[str, str]) -> pd.DataFrame:
        """As a table of codes: columns ``names`` and ``soort``."""
        return pd.DataFrame({names[0]: codes[self.a], names[1]: codes[self.b],
                             "soort": self.kind})


def _nearest_pair(xy: np.ndarray, left: np.ndarray, right: np.ndarray) -> tuple[int, int]:
    """The closest (left, right) pair of node positions (planar km)."""
    if len(right) > 64:
        d, j = cKDTree(xy[right]).query(xy[left])
        i = int(np.argmin(d))
        return int(left[i]), int(right[j[i]])
    d = np.hypot(*(xy[left][:, None, :] - xy[right][None, :, :]).transpose(2, 0, 1))
    a, b = np.unravel_index(np.argmin(d), d.shape)
    return int(left[a]), int(right[b])


def _connect(n: int, a: list, b: list, kind: list, xy: np.ndarray, weight: np.ndarray,
             added: list[tuple[int, int]]) -> None:
    """Link every component other than the heaviest to its nearest node elsewhere (nabij)."""
    while True:
        adj = Adjacency.build(n, a, b, kind)
        k, comp = adj.components()
        if k <= 1:
            return
        main = int(np.argmax(np.bincount(comp, weights=weight + 1e-9)))
        piece = next(c for c in range(k) if c != main)
        left, right = np.flatnonzero(comp == piece), np.flatnonzero(comp != piece)
        i, j = _nearest_pair(xy, left, right)
        a.append(i)
        b.append(j)
        kind.append("nabij")
        added.append((i, j))


# -- the index --------------------------------------------------------------------------------
class AtlasIndex:
    """Integer-coded positions, pupils, status quo, adjacency and distance of one Atlas."""

    def __init__(self, atlas: Atlas, distance: DistanceModel | None = None) -> None:
        self.atlas = atlas
        self.distance: DistanceModel = distance or StraightLineDetour()
        self._memo: dict = {}
        self._areas(atlas)
        self._schools(atlas)
        self._flows(atlas)
        self._status_quo(atlas)

    # -- build phases ---------------------------------------------------------------------
    def _areas(self, atlas: Atlas) -> None:
        pc4 = atlas.pc4
        self.pc4 = pd.Index(pc4["pc4"].astype(str).to_numpy(object), name="pc4")
        self.n = len(self.pc4)
        self.lat = pc4["lat"].to_numpy(float)
        self.lon = pc4["lon"].to_numpy(float)
        self.xy = project_km(self.lat, self.lon)
        gem = atlas.gemeenten
        self.gemeenten = pd.Index(sorted(gem["gemeente"].astype(str)), name="gemeente")
        self.n_gem = len(self.gemeenten)
        g = gem.set_index(gem["gemeente"].astype(str)).reindex(self.gemeenten)
        self.gemeente_names = g["naam"].astype(str).to_numpy(object)
        self.gem_lat = g["lat"].to_numpy(float)
        self.gem_lon = g["lon"].to_numpy(float)
        self.gem_of_pc4 = positions(pc4["gemeente"], self.gemeenten)
        jz = g["jeugdregio"].astype(str).to_numpy(object)
        self.jeugdregios = pd.Index(sorted(set(jz)), name="jeugdregio")
        self.jz_of_gem = positions(jz, self.jeugdregios)
        self.jz_of_pc4 = np.where(self.gem_of_pc4 >= 0,
                                  self.jz_of_gem[np.maximum(self.gem_of_pc4, 0)], -1)
        self.provincie_of_gem = (g["provincie"].astype(str).to_numpy(object)
                                 if "provincie" in g else np.full(self.n_gem, "", object))
        self.kids = {s: pc4[c].fillna(0).to_numpy(float) for s, c in AGE_COLUMNS.items()}

    def _schools(self, atlas: Atlas) -> None:
        sch = atlas.scholen
        self.school_type = positions(sch["soort"], list(SCHOOL_TYPES))
        self.school_pupils = sch["leerlingen"].fillna(0).to_numpy(float)
        self.school_lat = sch["lat"].to_numpy(float)
        self.school_lon = sch["lon"].to_numpy(float)
        self.school_xy = project_km(self.school_lat, self.school_lon)
        pos = positions(sch["pc4"], self.pc4)
        unknown = pos < 0
        if unknown.any() and self.n:  # not in the atlas' PC4s: the nearest PC4 centroid
            _, near = cKDTree(self.xy).query(self.school_xy[unknown])
            pos[unknown] = near
        self.school_pos = pos

    def _flows(self, atlas: Atlas) -> None:
        self.has_flows = atlas.has("stromen") and len(atlas.stromen) > 0
        ntypes = len(SCHOOL_TYPES)
        self.home = np.zeros((self.n, ntypes))
        if not self.has_flows:
            self.flow_home = self.flow_row = self.flow_school = self.flow_type = \
                np.zeros(0, np.int64)
            self.flow_w = np.zeros(0)
            for t, soort in enumerate(SCHOOL_TYPES):
                self.home[:, t] = self.kids[SECTOR_OF_TYPE[soort]]
            return
        st = atlas.stromen
        row = school_rows(st, atlas.scholen)
        home = positions(st["pc4"], self.pc4)
        ok = (row >= 0) & (home >= 0)
        self.flow_home, self.flow_row = home[ok], row[ok]
        self.flow_w = st["leerlingen"].to_numpy(float)[ok]
        self.flow_school = self.school_pos[self.flow_row]
        self.flow_type = self.school_type[self.flow_row]
        np.add.at(self.home, (self.flow_home, self.flow_type), self.flow_w)

    def _status_quo(self, atlas: Atlas) -> None:
        self.swv: dict[str, np.ndarray] = {}
        ind = atlas.indeling if atlas.has("indeling") else None
        for s in ("PO", "VO"):
            if ind is None:
                self.swv[s] = np.full(self.n, "", object)
                continue
            col = ind.set_index(ind["pc4"].astype(str))[f"swv_{s.lower()}"].astype(str)
            self.swv[s] = col.reindex(self.pc4).fillna("").to_numpy(object)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per key for this atlas (the atlas is immutable): a cache for
        derived values that depend on parameters, e.g. a supply matrix per provision set."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    # -- masks and sums ---------------------------------------------------------------------
    @staticmethod
    def type_mask(types) -> np.ndarray:
        """Boolean over :data:`SCHOOL_TYPES`."""
        return np.isin(np.array(SCHOOL_TYPES), tuple(types))

    def type_codes(self, types) -> np.ndarray:
        return np.flatnonzero(self.type_mask(types))

    @classmethod
    def type_lookup(cls, types) -> np.ndarray:
        """Boolean over type codes with a last False entry, so ``lookup[code]`` works for
        unknown types (code -1) too: ``type_lookup(types)[codes]`` is the mask of ``types``."""
        return np.append(cls.type_mask(types), False)

    def school_mask(self, types) -> np.ndarray:
        return self.type_lookup(types)[self.school_type]

    def flow_mask(self, types) -> np.ndarray:
        """Flows to schools of ``types`` (cached per set of types)."""
        key = ("flow_mask", tuple(sorted(types)))
        return self.memo(key, lambda: self.type_lookup(types)[self.flow_type])

    def home_pupils(self, types) -> np.ndarray:
        """Pupils of ``types`` living in each PC4 (children of the age without flows)."""
        return self.home[:, self.type_mask(types)].sum(axis=1)

    def school_pupils_by_pc4(self, types) -> np.ndarray:
        """Pupils at school locations of ``types`` per PC4 where the school lies."""
        m = self.school_mask(types)
        return np.bincount(self.school_pos[m], weights=self.school_pupils[m], minlength=self.n)

    def trips(self, types, distance: DistanceModel | None = None) -> pd.DataFrame:
        """Flows of ``types`` with km (home PC4 centroid -> school) by the distance model.

        Columns ``soort`` (categorical over ``types``), ``leerlingen``, ``km``, ``pc4_pos``
        (row of ``atlas.pc4``), ``school_pos`` (row of ``atlas.scholen``).
        """
        types = list(types)
        m = self.flow_mask(types)
        pp, sp = self.flow_home[m], self.flow_row[m]
        km = np.asarray((distance or self.distance).km(
            self.lat[pp], self.lon[pp], self.school_lat[sp], self.school_lon[sp]), float)
        codes = positions(np.array(SCHOOL_TYPES, object)[self.flow_type[m]], types)
        return pd.DataFrame({"soort": pd.Categorical.from_codes(codes, categories=types),
                             "leerlingen": self.flow_w[m], "km": km, "pc4_pos": pp,
                             "school_pos": sp})

    # -- distance ---------------------------------------------------------------------------
    def nearest(self, mask: np.ndarray, pc4_region: np.ndarray | None = None,
                school_region: np.ndarray | None = None,
                distance: DistanceModel | None = None) -> np.ndarray:
        """Model km from each PC4 to the nearest school of ``mask`` (NaN when none).

        With ``pc4_region``/``school_region`` only schools in the PC4's own region count:
        regions are separated in a third coordinate (region id x 1e6 km), so one k-d tree
        query finds the nearest candidates inside each PC4's own region.
        """
        out = np.full(self.n, np.nan)
        idx = np.flatnonzero(mask)
        if len(idx) == 0 or self.n == 0:
            return out
        sx, px = self.school_xy[idx], self.xy
        if pc4_region is not None and school_region is not None:
            sx = np.column_stack([sx, school_region[idx] * 1e6])
            px = np.column_stack([px, pc4_region * 1e6])
        k = min(NEAREST_CANDIDATES, len(idx))
        _, nn = cKDTree(sx).query(px, k=k)
        cand = idx[np.asarray(nn).reshape(self.n, k)]
        km = np.asarray((distance or self.distance).km(
            np.repeat(self.lat, k), np.repeat(self.lon, k),
            self.school_lat[cand.ravel()], self.school_lon[cand.ravel()]),
            float).reshape(self.n, k)
        if pc4_region is not None and school_region is not None:
            km = np.where(school_region[cand] == pc4_region[:, None], km, np.inf)
        best = km.min(axis=1)
        out[np.isfinite(best)] = best[np.isfinite(best)]
        return out

    # -- adjacency --------------------------------------------------------------------------
    @cached_property
    def gemeente_adjacency(self) -> Adjacency:
        """Gemeente links: borders, ferries, proximity; connected (``nabij`` links added)."""
        return self._adjacency[0]

    @cached_property
    def pc4_adjacency(self) -> Adjacency:
        """PC4 links: ``pc4_buren`` plus one link per gemeente link and within gemeenten."""
        return self._adjacency[1]

    @cached_property
    def link_notes(self) -> tuple[str, ...]:
        """Dutch notes on links that are not land borders (islands, added links)."""
        return self._adjacency[2]

    @cached_property
    def _adjacency(self) -> tuple[Adjacency, Adjacency, tuple[str, ...]]:
        ga, gb, gk = self._gemeente_links()
        pa_, pb, pk = self._pc4_links()
        notes: list[str] = []
        self._cross_links(pa_, pb, pk, ga, gb, gk)
        added: list[tuple[int, int]] = []
        gxy = project_km(self.gem_lat, self.gem_lon)
        weight = np.bincount(self.gem_of_pc4[self.gem_of_pc4 >= 0], minlength=self.n_gem)
        _connect(self.n_gem, ga, gb, gk, gxy, weight.astype(float), added)
        for i, j in added:
            notes.append(f"{self.gemeente_label(i)} heeft geen buren in de atlas en is gekoppeld "
                         f"aan de dichtstbijzijnde {self.gemeente_label(j)}.")
        gem = Adjacency.build(self.n_gem, ga, gb, gk)
        for i, j, kind in zip(gem.a, gem.b, gem.kind, strict=True):
            if kind == "veer":
                notes.append(f"Eiland: {self.gemeente_label(i)} en {self.gemeente_label(j)} "
                             "zijn buren via een veerverbinding.")
        self._lift(pa_, pb, pk, gem)
        _connect(self.n, pa_, pb, pk, self.xy, self.home.sum(axis=1), [])
        return gem, Adjacency.build(self.n, pa_, pb, pk), tuple(notes)

    def gemeente_label(self, i: int) -> str:
        """``GM0088 Schiermonnikoog``."""
        code, name = str(self.gemeenten[i]), str(self.gemeente_names[i])
        return code if not name or name == code else f"{code} {name}"

    def _gemeente_links(self) -> tuple[list, list, list]:
        if not self.atlas.has("gemeente_buren"):
            return [], [], []
        eb = self.atlas.gemeente_buren
        return (list(positions(eb["gemeente_a"], self.gemeenten)),
                list(positions(eb["gemeente_b"], self.gemeenten)),
                list(eb["soort"].astype(str)))

    def _pc4_links(self) -> tuple[list, list, list]:
        if not self.atlas.has("pc4_buren"):
            return [], [], []
        eb = self.atlas.pc4_buren
        a, b = positions(eb["pc4_a"], self.pc4), positions(eb["pc4_b"], self.pc4)
        ok = (a >= 0) & (b >= 0)
        a, b = a[ok], b[ok]
        ga, gb = self.gem_of_pc4[a], self.gem_of_pc4[b]
        kind = np.where(ga == gb, "binnen", "grens").astype(object)
        return list(a), list(b), list(kind)

    def _cross_links(self, pa_, pb, pk, ga, gb, gk) -> None:
        """Gemeente pairs linked only at PC4 level become gemeente links (``nabij``)."""
        a, b = np.asarray(pa_, np.int64), np.asarray(pb, np.int64)
        x, y = self.gem_of_pc4[a], self.gem_of_pc4[b]
        cross = (x != y) & (x >= 0) & (y >= 0)
        have = {(min(i, j), max(i, j)) for i, j in zip(ga, gb, strict=True)}
        for i, j in {(min(i, j), max(i, j)) for i, j in zip(x[cross], y[cross], strict=True)}:
            if (i, j) not in have:
                ga.append(i)
                gb.append(j)
                gk.append("nabij")
        kinds = {(min(i, j), max(i, j)): k for i, j, k in zip(ga, gb, gk, strict=True)}
        for k in np.flatnonzero(cross):
            pk[k] = kinds.get((min(x[k], y[k]), max(x[k], y[k])), "nabij")

    def _lift(self, pa_, pb, pk, gem: Adjacency) -> None:
        """Connect each gemeente's PC4s, then give every gemeente link a PC4 link."""
        g = self.gem_of_pc4
        members = pd.Series(np.arange(self.n)).groupby(g).indices if self.n else {}
        a, b = np.asarray(pa_, np.int64), np.asarray(pb, np.int64)
        inside = (g[a] == g[b]) if len(a) else np.zeros(0, bool)
        k, comp = Adjacency.build(self.n, a[inside], b[inside], ["binnen"] * int(inside.sum())
                                  ).components()
        for gi, idx in members.items():
            if gi < 0:
                continue
            pieces = np.unique(comp[idx])
            for p in pieces[1:]:  # join each extra piece to the first
                i, j = _nearest_pair(self.xy, idx[comp[idx] == p], idx[comp[idx] != p])
                pa_.append(i)
                pb.append(j)
                pk.append("binnen")
                comp[comp == comp[i]] = comp[j]
        have = set(zip(np.minimum(g[a], g[b]).tolist(), np.maximum(g[a], g[b]).tolist(),
                       strict=True))
        for i, j, kind in zip(gem.a, gem.b, gem.kind, strict=True):
            if (i, j) in have or i not in members or j not in members:
                continue
            x, y = _nearest_pair(self.xy, members[i], members[j])
            pa_.append(x)
            pb.append(y)
            pk.append(kind)

    def region_pieces(self, region_of_pc4: np.ndarray, n_regions: int) -> np.ndarray:
        """Connected pieces of each region on the PC4 adjacency (1 = contiguous)."""
        return self.pc4_adjacency.pieces(region_of_pc4, n_regions)

