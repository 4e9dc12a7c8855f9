"""The regionalization problem: an area graph (gemeenten or PC4) and its hard constraints.

:class:`AreaGraph` holds everything the objective and the constraints need, as numpy arrays:
pupils per area (the quantity the minimum and maximum apply to), adjacency (shared borders and
ferry links, so islands are attached to the mainland), pupil flows between areas, provision
sites per type, nesting labels (jeugdregio, provincie), the status quo and context attributes.
Build it from an Atlas with :func:`area_graph`, or from plain arrays with
:meth:`AreaGraph.from_arrays` (hand-made graphs in tests, synthetic grids in the benchmark).

:class:`Constraints` are the hard constraints; :func:`compile_instance` turns a graph plus
constraints into an :class:`Instance`, the working graph the solvers use: edges that cross a
nesting border are removed (so a contiguous region can never cross it) and locked groups are
contracted into one *unit* each (so they always stay together). Solvers assign units to
regions; :meth:`Instance.area_labels` expands a unit labelling back to areas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from nabij.atlas.distance import DistanceModel, StraightLineDetour
from nabij.atlas.index import Adjacency
from nabij.defaults import MIN_REGION_PUPILS
from nabij.divisions.provision import DEFAULT_PROVISIONS, provision_types, supply_matrix
from nabij.sectors import SECTORS, parse_level, parse_sector

LEVELS = ("gemeente", "pc4")
NESTS = ("jeugdregio", "provincie")
SECTOR_TYPES: dict[str, tuple[str, ...]] = {code: s.types for code, s in SECTORS.items()}
"""School types whose pupils count for a sector."""


def sector_provisions(sector: str, keys: Sequence[str] | None = None) -> tuple[str, ...]:
    """Provision keys of a sector (default: SBO, SO3, SO4 for PO; VSO3, VSO4, PRO for VO)."""
    return tuple(p.key for p in provision_types(keys or DEFAULT_PROVISIONS,
                                                SECTORS[sector].sectors))

DEFAULT_ATTRIBUTES = ("stedelijkheid", "aandeel_eenouder", "aandeel_uitkering")
"""PC4 context columns whose (child-weighted, standardised) area means feed heterogeneity."""


@dataclass(frozen=True)
class AreaGraph:
    """Areas to be grouped into regions, with all data the objective and constraints use.

    Arrays are indexed by area (0..n-1). ``edges`` holds each undirected edge once (i < j),
    ``edge_kind`` says why two areas are neighbours (``grens``, ``veer``, ``nabij``).
    ``flows[i, j]`` are pupils living in area i attending a school in area j. ``sites`` maps
    a provision type to ``(area, lat, lon)`` arrays of its school locations and ``kids`` maps
    it to the children per area who may need it. ``status_quo`` holds a region label per area
    and ``status_quo_same`` per edge the share of sectors (0, 0.5 or 1) in which both ends
    are in the same status-quo region.
    """

    codes: np.ndarray
    names: np.ndarray
    pupils: np.ndarray
    edges: np.ndarray
    edge_kind: np.ndarray
    level: str = "gemeente"
    sector: str = "PO"
    flows: csr_matrix | None = None
    lat: np.ndarray | None = None
    lon: np.ndarray | None = None
    sites: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    kids: dict[str, np.ndarray] = field(default_factory=dict)
    nests: dict[str, np.ndarray] = field(default_factory=dict)
    nest_names: dict[str, dict[str, str]] = field(default_factory=dict)
    status_quo: np.ndarray | None = None
    status_quo_same: np.ndarray | None = None
    status_quo_names: dict[str, str] = field(default_factory=dict)
    attributes: np.ndarray | None = None
    attribute_names: tuple[str, ...] = ()
    members: pd.Series | None = None
    notes: tuple[str, ...] = ()
    distance: DistanceModel = field(default_factory=StraightLineDetour)

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def provision_types(self) -> tuple[str, ...]:
        return tuple(self.sites)

    def label(self, i: int) -> str:
        """``GM0088 Schiermonnikoog`` style label of area i for messages."""
        code, name = str(self.codes[i]), str(self.names[i])
        return code if not name or name == code else f"{code} {name}"

    def provides(self, types: Sequence[str]) -> np.ndarray:
        """(n, len(types)) int matrix: provision sites of each type per area."""
        out = np.zeros((self.n, len(types)), dtype=np.int64)
        for k, t in enumerate(types):
            if t in self.sites:
                out[:, k] = np.bincount(self.sites[t][0], minlength=self.n)
        return out

    @classmethod
    def from_arrays(
        cls,
        pupils: Sequence[float] | np.ndarray,
        edges: Sequence[tuple[int, int]] | np.ndarray,
        *,
        codes: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        flows: np.ndarray | csr_matrix | None = None,
        lat: Sequence[float] | None = None,
        lon: Sequence[float] | None = None,
        sites: dict[str, Sequence[int]] | None = None,
        kids: dict[str, Sequence[float]] | None = None,
        nests: dict[str, Sequence[str]] | None = None,
        status_quo: Sequence[str] | None = None,
        attributes: np.ndarray | None = None,
        level: str = "gemeente",
        sector: str = "PO",
    ) -> AreaGraph:
        """A graph from plain arrays (tests, synthetic grids); sites are given by area index."""
        pupils_a = np.asarray(pupils, dtype=float)
        n = len(pupils_a)
        e = _clean_edges(np.asarray(edges, dtype=np.int64).reshape(-1, 2), n)
        codes_arr = np.asarray(codes if codes is not None else [f"A{i:04d}" for i in range(n)],
                               dtype=object)
        names_arr = np.asarray(names if names is not None else codes_arr, dtype=object)
        lat_a = None if lat is None else np.asarray(lat, float)
        lon_a = None if lon is None else np.asarray(lon, float)
        site_map = {}
        for t, areas in (sites or {}).items():
            a = np.asarray(areas, dtype=np.int64)
            if lat_a is None or lon_a is None:
                raise ValueError("sites need lat/lon")
            site_map[t] = (a, lat_a[a], lon_a[a])
        kid_map = {t: np.asarray(v, float) for t, v in (kids or {}).items()}
        for t in site_map:
            kid_map.setdefault(t, np.zeros(n))
        f = None
        if flows is not None:
            f = csr_matrix(flows, dtype=float, shape=(n, n))
        sq = None if status_quo is None else np.asarray(status_quo, dtype=object)
        same = None
        if sq is not None:
            same = (sq[e[:, 0]] == sq[e[:, 1]]).astype(float)
        att = None
        if attributes is not None:
            att = np.asarray(attributes, float).reshape(n, -1)
        return cls(
            codes=codes_arr, names=names_arr, pupils=pupils_a, edges=e,
            edge_kind=np.full(len(e), "grens", dtype=object), level=level, sector=sector,
            flows=f, lat=lat_a, lon=lon_a, sites=site_map, kids=kid_map,
            nests={k: np.asarray(v, dtype=object) for k, v in (nests or {}).items()},
            status_quo=sq, status_quo_same=same, attributes=att,
            attribute_names=tuple(f"x{k}" for k in range(att.shape[1])) if att is not None
            else (),
        )


def grid_graph(
    rows: int,
    cols: int,
    seed: int = 0,
    pupils: tuple[int, int] = (100, 1000),
    n_attributes: int = 1,
) -> AreaGraph:
    """A synthetic lattice (rook contiguity) with random pupils and attributes (benchmarks)."""
    rng = np.random.default_rng(seed)
    n = rows * cols
    idx = np.arange(n).reshape(rows, cols)
    edges = np.vstack([
        np.column_stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()]),
        np.column_stack([idx[:-1, :].ravel(), idx[1:, :].ravel()]),
    ])
    return AreaGraph.from_arrays(
        rng.integers(pupils[0], pupils[1], n).astype(float), edges,
        codes=[f"C{r:03d}{c:03d}" for r in range(rows) for c in range(cols)],
        attributes=rng.random((n, n_attributes)), level="grid",
    )


def _clean_edges(e: np.ndarray, n: int) -> np.ndarray:
    if len(e) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if e.min() < 0 or e.max() >= n:
        raise ValueError("edge refers to an unknown area")
    e = np.sort(e, axis=1)
    e = e[e[:, 0] != e[:, 1]]
    return np.unique(e, axis=0)


# -- from an Atlas ------------------------------------------------------------------------


def area_graph(
    atlas,
    sector: str = "PO",
    level: str = "gemeente",
    attributes: Sequence[str] | None = None,
    provisions: Sequence[str] | None = None,
) -> AreaGraph:
    """Build the area graph of ``atlas`` for a sector at gemeente (default) or PC4 level.

    Everything comes from the atlas index (:mod:`nabij.atlas.index`), so the optimizer sees
    what the measures see: areas, adjacency (ferry links included) and the distance model.
    Pupils per area are the pupils at the area's school locations of the sector's types (the
    measure of an SWV's size, as in the fusie scenario and the measures); flows between areas
    are the Atlas flows from home PC4 to the school's PC4, aggregated to areas.
    Provision sites are the school locations supplying the sector's provision types
    (``provisions``, default SBO, SO3, SO4 / VSO3, VSO4, PRO, as in scenario S3; see
    :func:`nabij.divisions.supply_matrix`); their children are the type's age group. The
    status quo is the current SWV of each area (for gemeenten the SWV of most of its
    children; for PO+VO both sectors count for the per-edge status quo and the PO SWV is the
    starting label).
    """
    kind = parse_sector(sector)
    level = parse_level(level, LEVELS)
    ix = atlas.index
    codes, names, area_of_pc4, gem_of_area, adj = _areas(ix, level)
    n = len(codes)
    w = ix.kids["PO"] + ix.kids["VO"] + 1e-9
    lat, lon = _centroids(ix, area_of_pc4, gem_of_area, w, n, level)
    pupils, flows = _pupils_and_flows(ix, kind.types, area_of_pc4, n)
    sites, kids = _provision_sites(atlas, ix, kind.sectors, provisions, area_of_pc4, n)
    nests, nest_names = _nests(atlas, ix, gem_of_area)
    sq, same, sq_names = _status_quo(atlas, ix, kind.sectors, area_of_pc4, w, adj.edges, n)
    att_names, att = _attributes(atlas.pc4, attributes, area_of_pc4, w, n)
    members = pd.Series(area_of_pc4, index=pd.Index(ix.pc4, name="pc4"))
    return AreaGraph(
        codes=codes.astype(object), names=names.astype(object), pupils=pupils,
        edges=adj.edges, edge_kind=adj.kind.astype(object), level=level, sector=kind.code,
        flows=flows, lat=lat, lon=lon, sites=sites, kids=kids, nests=nests,
        nest_names=nest_names, status_quo=sq, status_quo_same=same, status_quo_names=sq_names,
        attributes=att, attribute_names=att_names, members=members, notes=ix.link_notes,
        distance=ix.distance,
    )


def _areas(ix, level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Adjacency]:
    """Area codes and names, the area of each PC4, the gemeente of each area, the links."""
    if level == "gemeente":
        codes = ix.gemeenten.to_numpy(object)
        return (codes, ix.gemeente_names, ix.gem_of_pc4, np.arange(len(codes)),
                ix.gemeente_adjacency)
    gem_of_area = ix.gem_of_pc4
    return (ix.pc4.to_numpy(object), ix.gemeente_names[gem_of_area], np.arange(ix.n),
            gem_of_area, ix.pc4_adjacency)


def _centroids(ix, area_of_pc4, gem_of_area, w, n, level) -> tuple[np.ndarray, np.ndarray]:
    """Child-weighted centroids (the gemeente's own point for gemeenten without children)."""
    wsum = np.bincount(area_of_pc4, weights=w, minlength=n)
    safe = np.where(wsum > 0, wsum, 1.0)
    lat = np.bincount(area_of_pc4, weights=w * ix.lat, minlength=n) / safe
    lon = np.bincount(area_of_pc4, weights=w * ix.lon, minlength=n) / safe
    if level == "gemeente":
        empty = wsum <= 1e-6
        lat[empty] = ix.gem_lat[gem_of_area[empty]]
        lon[empty] = ix.gem_lon[gem_of_area[empty]]
    return lat, lon


def _pupils_and_flows(ix, types, area_of_pc4, n) -> tuple[np.ndarray, csr_matrix]:
    """Pupils at the sector's school locations per area; flows home area -> school area."""
    m = ix.school_mask(types)
    pupils = np.bincount(area_of_pc4[ix.school_pos[m]], weights=ix.school_pupils[m],
                         minlength=n)
    f = ix.flow_mask(types)
    flows = coo_matrix((ix.flow_w[f], (area_of_pc4[ix.flow_home[f]],
                                       area_of_pc4[ix.flow_school[f]])), shape=(n, n)).tocsr()
    flows.sum_duplicates()
    return pupils, flows


def _provision_sites(atlas, ix, sectors, provisions, area_of_pc4, n) -> tuple[dict, dict]:
    """School locations supplying each provision type (area, lat, lon) and their children."""
    sch = atlas.scholen
    supply = supply_matrix(sch, provision_types(provisions or DEFAULT_PROVISIONS, sectors))
    site_area = area_of_pc4[ix.school_pos]
    sites, kids = {}, {}
    for p in provision_types(supply.columns):
        sel = supply[p.key].to_numpy()
        sites[p.key] = (site_area[sel].astype(np.int64), ix.school_lat[sel], ix.school_lon[sel])
        kids[p.key] = np.bincount(area_of_pc4, weights=ix.kids[p.sector], minlength=n)
    return sites, kids


def _nests(atlas, ix, gem_of_area) -> tuple[dict, dict]:
    """Jeugdregio and provincie of every area, with the jeugdregio names."""
    nests = {
        "jeugdregio": ix.jeugdregios.to_numpy(object)[ix.jz_of_gem[gem_of_area]],
        "provincie": ix.provincie_of_gem[gem_of_area].astype(object),
    }
    jr = atlas.jeugdregios
    names = {"jeugdregio": dict(zip(jr["jeugdregio"].astype(str), jr["naam"].astype(str),
                                    strict=True)), "provincie": {}}
    return nests, names


def _status_quo(atlas, ix, sectors, area_of_pc4, w, edges, n) -> tuple:
    """SWV per area (majority of children), per-edge co-membership and SWV names."""
    labels = {}
    for s in ("PO", "VO"):
        df = pd.DataFrame({"area": area_of_pc4, "swv": ix.swv[s], "w": w})
        df = df[df["swv"] != ""]
        best = (df.groupby(["area", "swv"])["w"].sum().reset_index()
                .sort_values(["area", "w", "swv"], ascending=[True, False, True])
                .drop_duplicates("area"))
        lab = np.full(n, "", dtype=object)
        lab[best["area"].to_numpy(np.int64)] = best["swv"].to_numpy()
        labels[s] = lab
    same = np.mean([(labels[s][edges[:, 0]] == labels[s][edges[:, 1]]).astype(float)
                    for s in sectors], axis=0) if len(edges) else np.zeros(0)
    swv = atlas.swv
    names = dict(zip(swv["swv"].astype(str), swv["naam"].astype(str), strict=True))
    return labels[sectors[0]], same, names


def _attributes(pc4, attributes, area_of_pc4, w, n) -> tuple[tuple[str, ...], np.ndarray | None]:
    """Context attributes: child-weighted means per area, standardised."""
    att_names = tuple(a for a in (attributes if attributes is not None else DEFAULT_ATTRIBUTES)
                      if a in pc4.columns)
    if not att_names:
        return att_names, None
    cols = []
    for a in att_names:
        v = pc4[a].to_numpy(dtype=float, na_value=np.nan)
        good = ~np.isnan(v)
        num = np.bincount(area_of_pc4[good], weights=(w * v)[good], minlength=n)
        den = np.bincount(area_of_pc4[good], weights=w[good], minlength=n)
        m = np.divide(num, den, out=np.full(n, np.nan), where=den > 0)
        m[np.isnan(m)] = np.nanmean(m) if np.isfinite(m).any() else 0.0
        sd = m.std()
        cols.append((m - m.mean()) / sd if sd > 0 else m * 0.0)
    return att_names, np.column_stack(cols)


def _components(n: int, edges: np.ndarray) -> tuple[int, np.ndarray]:
    if n == 0:
        return 0, np.zeros(0, dtype=np.int64)
    m = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    k, comp = connected_components(m, directed=False)
    return int(k), comp


# -- constraints and the compiled instance ----------------------------------------------------


@dataclass(frozen=True)
class Constraints:
    """Hard constraints every region must satisfy.

    ``min_pupils``/``max_pupils`` bound the pupils per region; ``nest`` names a nesting level
    whose borders no region may cross (``jeugdregio`` or ``provincie``); ``covering`` demands
    at least one site of each of ``provision_types`` (default: the sector's special
    provisions) in every region; ``locked`` lists groups of area indices that must share a
    region. Contiguity is always required.
    """

    min_pupils: float = MIN_REGION_PUPILS
    max_pupils: float | None = None
    nest: str | None = None
    covering: bool = False
    provision_types: tuple[str, ...] | None = None
    locked: tuple[tuple[int, ...], ...] = ()


@dataclass
class Instance:
    """The working graph of the solvers: units (areas or contracted locked groups).

    ``adj_indptr``/``adj_indices`` are the CSR adjacency of units *within* the same nesting
    unit; ``component`` numbers the connected components of that graph (no region can span
    two). ``provides[u, t]`` counts sites of required type t in unit u (covering).
    """

    graph: AreaGraph
    constraints: Constraints
    unit_of: np.ndarray
    unit_indptr: np.ndarray
    unit_areas: np.ndarray
    pupils: np.ndarray
    adj_indptr: np.ndarray
    adj_indices: np.ndarray
    component: np.ndarray
    n_components: int
    required_types: tuple[str, ...]
    provides: np.ndarray
    p_max: int
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.pupils)

    def neighbors(self, u: int) -> np.ndarray:
        return self.adj_indices[self.adj_indptr[u]:self.adj_indptr[u + 1]]

    def areas_of(self, u: int) -> np.ndarray:
        return self.unit_areas[self.unit_indptr[u]:self.unit_indptr[u + 1]]

    def area_labels(self, unit_labels: np.ndarray) -> np.ndarray:
        return np.asarray(unit_labels)[self.unit_of]

    def unit_label(self, u: int) -> str:
        """A Dutch label of unit u: its largest area, plus the number of others."""
        areas = self.areas_of(u)
        big = int(areas[np.argmax(self.graph.pupils[areas])])
        more = len(areas) - 1
        return self.graph.label(big) + (f" (+{more} gebieden)" if more else "")

    def edge_list(self) -> np.ndarray:
        """Unit edges (i < j) of the working graph."""
        src = np.repeat(np.arange(self.n), np.diff(self.adj_indptr))
        sel = src < self.adj_indices
        return np.column_stack([src[sel], self.adj_indices[sel]])


def locked_groups(graph: AreaGraph, locked: Sequence) -> tuple[tuple[int, ...], ...]:
    """Turn user ``locked`` items into groups of area indices.

    An item is a status-quo region code (``"PO 27-07"``: that SWV stays together), an area
    code (``"GM0363"``: the area stays with the rest of its current SWV) or a sequence of
    area codes (these areas stay together). Unknown codes raise :class:`InputError`.
    """
    from nabij.errors import InputError, Problem

    pos = {str(c): i for i, c in enumerate(graph.codes)}
    sq = graph.status_quo
    groups, problems = [], []
    for item in locked:
        if isinstance(item, str):
            if sq is not None and item in set(sq):
                groups.append(tuple(np.flatnonzero(sq == item).tolist()))
            elif item in pos:
                i = pos[item]
                if sq is None or not sq[i]:
                    problems.append(Problem(f"{item} heeft geen huidige regio om bij te blijven"))
                    continue
                groups.append(tuple(np.flatnonzero(sq == sq[i]).tolist()))
            else:
                problems.append(Problem(f"onbekende code '{item}' in de vergrendelde gebieden"))
        else:
            idx = []
            for c in item:
                if str(c) in pos:
                    idx.append(pos[str(c)])
                else:
                    problems.append(Problem(f"onbekende code '{c}' in de vergrendelde gebieden"))
            if idx:
                groups.append(tuple(idx))
    if problems:
        raise InputError("Vergrendelde gebieden kloppen niet", problems)
    return tuple(groups)


def compile_instance(graph: AreaGraph, constraints: Constraints) -> Instance:
    """Filter edges by nesting, contract locked groups, and precompute unit arrays.

    Locked groups that are not connected are joined through the shortest path of areas in
    the same nesting unit; the added areas are noted. Infeasibility is not checked here
    (see :mod:`nabij.optimize.infeasible`).
    """
    n = graph.n
    c = constraints
    notes: list[str] = []
    edges = graph.edges
    nest = None
    if c.nest is not None:
        if c.nest not in graph.nests:
            raise ValueError(f"onbekende nesting {c.nest!r}; kies jeugdregio of provincie")
        nest = graph.nests[c.nest]
        edges = edges[nest[edges[:, 0]] == nest[edges[:, 1]]]
    # area CSR adjacency (nest-filtered)
    a_indptr, a_indices = _csr(n, edges)

    # locked groups -> union-find, with connecting paths
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in c.locked:
        g = sorted(set(int(i) for i in group))
        if len(g) < 2:
            continue
        g, added = _connect_group(g, a_indptr, a_indices)
        if added:
            notes.append(
                "Om een vergrendelde groep aaneengesloten te houden zijn ook "
                + ", ".join(graph.label(i) for i in added[:5])
                + (f" en nog {len(added) - 5}" if len(added) > 5 else "")
                + " bij die groep gevoegd."
            )
        r0 = find(g[0])
        for i in g[1:]:
            parent[find(i)] = r0
    roots = np.array([find(i) for i in range(n)])
    uniq, unit_of = np.unique(roots, return_inverse=True)
    nu = len(uniq)
    order = np.argsort(unit_of, kind="stable")
    unit_indptr = np.concatenate([[0], np.cumsum(np.bincount(unit_of, minlength=nu))])
    unit_areas = order
    pupils = np.bincount(unit_of, weights=graph.pupils, minlength=nu)

    ue = unit_of[edges] if len(edges) else np.zeros((0, 2), np.int64)
    ue = ue[ue[:, 0] != ue[:, 1]]
    ue = np.unique(np.sort(ue, axis=1), axis=0) if len(ue) else ue
    u_indptr, u_indices = _csr(nu, ue)
    k, comp = _components(nu, ue)

    req = tuple(c.provision_types or graph.provision_types) if c.covering else ()
    prov_area = graph.provides(req)
    provides = np.zeros((nu, len(req)), dtype=np.int64)
    np.add.at(provides, unit_of, prov_area)

    if c.min_pupils > 0:
        comp_pupils = np.bincount(comp, weights=pupils, minlength=k)
        p_max = int(np.sum(np.floor(comp_pupils / c.min_pupils + 1e-9)))
    else:
        p_max = nu
    return Instance(
        graph=graph, constraints=c, unit_of=unit_of, unit_indptr=unit_indptr,
        unit_areas=unit_areas, pupils=pupils, adj_indptr=u_indptr, adj_indices=u_indices,
        component=comp, n_components=k, required_types=req, provides=provides,
        p_max=max(p_max, 1), notes=list(graph.notes) + notes,
    )


def _csr(n: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(edges) == 0:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    src = np.concatenate([edges[:, 0], edges[:, 1]])
    dst = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    return indptr.astype(np.int64), dst.astype(np.int64)


def _connect_group(group: list[int], indptr: np.ndarray, indices: np.ndarray
                   ) -> tuple[list[int], list[int]]:
    """Add shortest-path areas until ``group`` is connected (BFS); returns (group, added)."""
    from collections import deque

    members = set(group)
    added: list[int] = []
    while True:
        # component of the first member inside the group
        start = group[0]
        seen = {start}
        dq = deque([start])
        while dq:
            x = dq.popleft()
            for y in indices[indptr[x]:indptr[x + 1]]:
                y = int(y)
                if y in members and y not in seen:
                    seen.add(y)
                    dq.append(y)
        if len(seen) == len(members):
            return sorted(members), added
        # BFS from that component to the nearest other member
        prev = {x: -1 for x in seen}
        dq = deque(seen)
        target = -1
        while dq and target < 0:
            x = dq.popleft()
            for y in indices[indptr[x]:indptr[x + 1]]:
                y = int(y)
                if y in prev:
                    continue
                prev[y] = x
                if y in members:
                    target = y
                    break
                dq.append(y)
        if target < 0:  # unreachable within the nesting unit: leave it to infeasible.py
            return sorted(members), added
        x = prev[target]
        while x not in seen:
            members.add(x)
            added.append(x)
            x = prev[x]
        group = sorted(members)
