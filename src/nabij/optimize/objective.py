"""The objective of the regionalization optimizer, and its incremental evaluation.

A division of the areas into regions r(a) is scored by a weighted sum of five components,
each normalised so that the weights are comparable across instances:

``grensverkeer`` (border traffic)
    B = sum of pupils whose school lies in another region than their home, divided by all
    pupils (Atlas flows, aggregated to areas). Lower is better.
``afstand`` (distance)
    D = child-weighted distance to the nearest provision of each type *inside the own
    region*, in units of 10 km. For a child in area a and type t the distance is
    ``min(nearest site of t in r(a), nearest site of t anywhere + 25 km)``: a child may be
    placed outside the region, at a penalty of 25 km (the cost of crossing the border).
    Distances are great-circle km x 1.3 (road-ish) from the child-weighted centre of the area.
``verandering`` (change)
    C = share of neighbouring area pairs, weighted by their pupils, whose being together
    differs from the status quo (for PO+VO the status quo of both sectors counts half).
``regios`` (regions; a reward)
    P = number of regions divided by its upper bound floor(pupils / minimum). As in max-p:
    more, smaller and nearer regions are better when otherwise equal.
``heterogeniteit`` (heterogeneity; spopt's max-p objective)
    H = sum over pairs of areas in the same region of the city-block distance of their
    (standardised) attributes, divided by the same sum over all pairs.

    f = w_B B + w_D D + w_C C + w_H H - w_P P        (minimised)

Presets (:data:`PRESETS`): ``maxp`` maximises the number of regions first (w_P = 10^6, so
one region more outweighs any heterogeneity) and then minimises heterogeneity, like
``spopt.region.MaxPHeuristic``; ``grensverkeer`` minimises border traffic, with a small reward
for more regions; ``evenwichtig`` (balanced, the default) weighs border traffic, distance to
provisions, change and the number of regions.

Incremental evaluation
----------------------
Border traffic, change and heterogeneity are all *pairwise*: they equal a constant plus the
sum of a coefficient Q[u, v] over pairs of units in the same region. :class:`State` keeps the
matrix ``RQ[u, r] = sum of Q[u, v] over v in region r``, so the pairwise change of moving unit
u from region A to B is ``RQ[u, B] - RQ[u, A]`` (O(1)); after a move two columns of RQ are
updated (O(n), or O(degree) when Q is sparse). Distance keeps, per type, the nearest site in
each region for every area (``NEAR[a, r]``), updated only for the areas near a moved site.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial.distance import pdist, squareform

from nabij.atlas.distance import haversine_km
from nabij.optimize.problem import Instance

DETOUR = 1.3
PENALTY_KM = 25.0
REFERENCE_KM = 10.0
_EPS = 1e-9
DENSE_MAX_UNITS = 4500
"""Up to this many units Q is kept as a dense matrix (fast column updates and sums)."""


@dataclass(frozen=True)
class Weights:
    """Weights of the objective components (see the module docstring)."""

    border: float = 0.0
    distance: float = 0.0
    change: float = 0.0
    regions: float = 0.0
    heterogeneity: float = 0.0

    @classmethod
    def of(cls, objective: str | Weights | dict, overrides: dict | None = None) -> Weights:
        """A preset name, Weights or dict, with optional per-component overrides."""
        if isinstance(objective, Weights):
            base = objective
        elif isinstance(objective, dict):
            base = cls(**{_key(k): float(v) for k, v in objective.items()})
        elif objective in PRESETS:
            base = PRESETS[objective]
        else:
            raise ValueError(f"onbekend doel {objective!r}; kies {', '.join(PRESETS)}")
        if overrides:
            d = {f.name: getattr(base, f.name) for f in fields(cls)}
            d.update({_key(k): float(v) for k, v in overrides.items()})
            base = cls(**d)
        return base

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DUTCH_KEYS = {
    "grensverkeer": "border", "afstand": "distance", "verandering": "change",
    "regios": "regions", "heterogeniteit": "heterogeneity",
}


def _key(k: str) -> str:
    k = DUTCH_KEYS.get(k, k)
    if k not in {f.name for f in fields(Weights)}:
        raise ValueError(f"onbekend gewicht {k!r}; kies {', '.join(DUTCH_KEYS)}")
    return k


PRESETS: dict[str, Weights] = {
    "maxp": Weights(regions=1e6, heterogeneity=1.0),
    "grensverkeer": Weights(border=1.0, regions=0.02),
    "evenwichtig": Weights(border=1.0, distance=0.05, change=0.02, regions=0.05),
}
"""Named objectives: ``maxp``, ``grensverkeer`` and ``evenwichtig`` (default)."""


@dataclass
class _TypeDistances:
    """Candidate sites of one provision type: per area the provider units within its cap."""

    kids: np.ndarray          # (n_areas,)
    cap: np.ndarray           # (n_areas,) nearest anywhere + penalty (km)
    self_km: np.ndarray       # (n_areas,) distance to the own unit's sites (capped)
    c_indptr: np.ndarray      # CSR over areas -> candidate (unit, km)
    c_unit: np.ndarray
    c_km: np.ndarray
    r_indptr: np.ndarray      # CSR over provider units -> (area, km)
    r_area: np.ndarray
    r_km: np.ndarray


class ObjectiveModel:
    """The objective compiled for one :class:`Instance`: pairwise matrix Q, distances, norms."""

    def __init__(self, instance: Instance, weights: Weights) -> None:
        self.instance = instance
        self.weights = weights
        g = instance.graph
        n = instance.n
        uo = instance.unit_of
        na = g.n
        self.p_max = instance.p_max

        # -- border traffic
        if g.flows is not None and g.flows.nnz:
            f = g.flows.tocoo()
            self.total_flow = float(f.data.sum())
            fu = coo_matrix((f.data, (uo[f.row], uo[f.col])), shape=(n, n)).tocsr()
            fu.sum_duplicates()
        else:
            self.total_flow = 0.0
            fu = csr_matrix((n, n))
        self.flow_units = fu
        fsym = (fu + fu.T).tocsr()
        fsym.setdiag(0)
        fsym.eliminate_zeros()
        across = float(fu.sum() - fu.diagonal().sum())
        self.norm_border = max(self.total_flow, _EPS)

        # -- change against the status quo
        e = g.edges
        self.has_change = g.status_quo_same is not None and len(e) > 0
        if self.has_change:
            we = g.pupils[e[:, 0]] + g.pupils[e[:, 1]] + _EPS
            sq = g.status_quo_same
            self.edge_w, self.edge_sq = we, sq
            self.norm_change = float(we.sum())
            ue = uo[e]
            inside = ue[:, 0] == ue[:, 1]
            cross = ~inside
            coef = we * (1 - 2 * sq)
            cu = coo_matrix((coef[cross], (ue[cross, 0], ue[cross, 1])), shape=(n, n)).tocsr()
            cu = (cu + cu.T).tocsr()
            const_change = float((we[cross] * sq[cross]).sum() + (we[inside] * (1 - sq[inside])
                                                                  ).sum())
        else:
            self.norm_change = 1.0
            cu = csr_matrix((n, n))
            const_change = 0.0

        # -- heterogeneity (dense)
        self.has_het = weights.heterogeneity > 0 and g.attributes is not None
        const_het = 0.0
        if g.attributes is not None:
            self.area_dist = None
            x = g.attributes
            self.norm_het = max(float(pdist(x, "cityblock").sum()), _EPS) if na > 1 else 1.0
        else:
            self.norm_het = 1.0
        if self.has_het:
            d = squareform(pdist(g.attributes, "cityblock"))
            if n != na:
                p = csr_matrix((np.ones(na), (np.arange(na), uo)), shape=(na, n))
                du = np.asarray((p.T @ (p.T @ d).T).T)
                const_het = float(np.trace(du)) / 2
                np.fill_diagonal(du, 0.0)
            else:
                du = d
            self.area_dist = d
        w = weights
        sparse_q = (-(w.border / self.norm_border) * fsym
                    + (w.change / self.norm_change) * cu).tocsr()
        sparse_q.setdiag(0)
        sparse_q.eliminate_zeros()
        if self.has_het:
            q = (w.heterogeneity / self.norm_het) * du
            q = q + sparse_q.toarray()
            np.fill_diagonal(q, 0.0)
            self.Q = q
            self.dense = True
        elif n <= DENSE_MAX_UNITS:
            self.Q = sparse_q.toarray()
            self.dense = True
        else:
            self.Q = sparse_q
            self.dense = False
        self.const = (w.border / self.norm_border) * across \
            + (w.change / self.norm_change) * const_change \
            + (w.heterogeneity / self.norm_het) * const_het * self.has_het

        # -- distance to provisions
        self.types: dict[str, _TypeDistances] = {}
        self.norm_distance = 1.0
        if weights.distance > 0 and g.sites and g.lat is not None:
            total_kids = 0.0
            for t, (s_area, s_lat, s_lon) in g.sites.items():
                kids = g.kids.get(t, np.zeros(na))
                if len(s_area) == 0 or kids.sum() <= 0:
                    continue
                self.types[t] = _type_distances(kids, g.lat, g.lon, uo[s_area], s_lat,
                                                s_lon, uo, n)
                total_kids += kids.sum()
            self.norm_distance = max(total_kids * REFERENCE_KM, _EPS)
        self._rd_cache: dict[int, float] = {}
        self.is_provider = np.zeros(n, bool)
        for td in self.types.values():
            self.is_provider |= np.diff(td.r_indptr) > 0

    # -- full evaluation ---------------------------------------------------------------

    def components(self, unit_labels: np.ndarray) -> dict[str, float]:
        """Raw components of a unit labelling, computed from scratch at area level."""
        g = self.instance.graph
        lab = np.asarray(unit_labels)[self.instance.unit_of]
        out = {"regios": float(len(np.unique(unit_labels)))}
        if g.flows is not None and g.flows.nnz:
            f = g.flows.tocoo()
            out["grensverkeer"] = float(f.data[lab[f.row] != lab[f.col]].sum())
        else:
            out["grensverkeer"] = 0.0
        if self.has_change:
            e = g.edges
            same = (lab[e[:, 0]] == lab[e[:, 1]]).astype(float)
            out["verandering"] = float((self.edge_w * np.abs(same - self.edge_sq)).sum())
        else:
            out["verandering"] = 0.0
        out["heterogeniteit"] = heterogeneity(g.attributes, lab) if g.attributes is not None \
            else 0.0
        out["afstand"] = float(sum(self._type_cost(td, unit_labels).sum()
                                   for td in self.types.values()))
        return out

    def value_of(self, comp: dict[str, float]) -> float:
        w = self.weights
        return (w.border * comp["grensverkeer"] / self.norm_border
                + w.distance * comp["afstand"] / self.norm_distance
                + w.change * comp["verandering"] / self.norm_change
                + w.heterogeneity * comp["heterogeniteit"] / self.norm_het
                - w.regions * comp["regios"] / self.p_max)

    def value(self, unit_labels: np.ndarray) -> float:
        return self.value_of(self.components(unit_labels))

    def _type_cost(self, td: _TypeDistances, unit_labels: np.ndarray) -> np.ndarray:
        """Kid-weighted km per area for one type under a labelling."""
        uo = self.instance.unit_of
        lab_units = np.asarray(unit_labels)
        area_region = lab_units[uo]
        cand_area = np.repeat(np.arange(len(td.kids)), np.diff(td.c_indptr))
        ok = lab_units[td.c_unit] == area_region[cand_area]
        best = td.cap.copy()
        np.minimum.at(best, cand_area[ok], td.c_km[ok])
        return td.kids * best

    def region_distance(self, units: np.ndarray) -> float:
        """Kid-weighted km of the areas of ``units`` if they formed one region on their own."""
        if not self.types:
            return 0.0
        units = np.sort(np.asarray(units, dtype=np.int64))
        key = hash(units.tobytes())
        hit = self._rd_cache.get(key)
        if hit is None:
            if len(self._rd_cache) > 200_000:
                self._rd_cache.clear()
            hit = self._region_distance(units)
            self._rd_cache[key] = hit
        return hit

    def _region_distance(self, units: np.ndarray) -> float:
        inst = self.instance
        mask = np.zeros(inst.n, bool)
        mask[units] = True
        areas = np.concatenate([inst.areas_of(u) for u in units]) if len(units) else \
            np.zeros(0, np.int64)
        total = 0.0
        for td in self.types.values():
            starts, ends = td.c_indptr[areas], td.c_indptr[areas + 1]
            cnt = ends - starts
            idx = np.repeat(ends - cnt.cumsum(), cnt) + np.arange(cnt.sum()) if cnt.sum() else \
                np.zeros(0, np.int64)
            owner = np.repeat(np.arange(len(areas)), cnt)
            ok = mask[td.c_unit[idx]]
            best = td.cap[areas].copy()
            np.minimum.at(best, owner[ok], td.c_km[idx][ok])
            total += float((td.kids[areas] * best).sum())
        return total


def heterogeneity(x: np.ndarray, labels: np.ndarray) -> float:
    """spopt's max-p objective: sum over regions of pairwise city-block attribute distances."""
    total = 0.0
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    lab = labels[order]
    cuts = np.flatnonzero(lab[1:] != lab[:-1]) + 1
    for idx in np.split(order, cuts):
        if len(idx) > 1:
            total += float(pdist(x[idx], "cityblock").sum())
    return total


def _type_distances(kids, lat, lon, site_unit, s_lat, s_lon, unit_of, n_units
                    ) -> _TypeDistances:
    na = len(kids)
    d = DETOUR * haversine_km(lat[:, None], lon[:, None], s_lat[None, :], s_lon[None, :])
    nearest = d.min(axis=1)
    cap = nearest + PENALTY_KM
    # min km per (area, provider unit), only pairs within the cap
    rows, cols = np.nonzero(d < cap[:, None])
    km = d[rows, cols]
    units = site_unit[cols]
    key = rows * n_units + units
    order = np.lexsort((km, key))
    key, km, rows, units = key[order], km[order], rows[order], units[order]
    first = np.ones(len(key), bool)
    first[1:] = key[1:] != key[:-1]
    rows, units, km = rows[first], units[first], km[first]
    keep = kids[rows] > 0
    rows, units, km = rows[keep], units[keep], km[keep]
    o = np.lexsort((km, rows))
    rows, units, km = rows[o], units[o], km[o]
    c_indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=na))])
    self_km = cap.copy()
    own = units == unit_of[rows]
    np.minimum.at(self_km, rows[own], km[own])
    o2 = np.lexsort((rows, units))
    r_indptr = np.concatenate([[0], np.cumsum(np.bincount(units[o2], minlength=n_units))])
    return _TypeDistances(kids=kids, cap=cap, self_km=self_km, c_indptr=c_indptr,
                          c_unit=units, c_km=km, r_indptr=r_indptr, r_area=rows[o2],
                          r_km=km[o2])


class State:
    """A labelling of units with incrementally maintained objective (see module docstring).

    Regions live in slots 0..capacity-1; empty slots are free. ``value`` is the objective.
    Moves do not check constraints: the solver does (see :mod:`nabij.optimize.heuristic`).
    """

    def __init__(self, model: ObjectiveModel, labels: np.ndarray, capacity: int | None = None
                 ) -> None:
        inst = model.instance
        self.model = model
        self.inst = inst
        n = inst.n
        labels = np.asarray(labels, dtype=np.int64)
        _, labels = np.unique(labels, return_inverse=True)
        k = int(labels.max()) + 1 if n else 0
        cap = max(capacity or 0, k, min(n, inst.p_max + 2), 1)
        self.capacity = cap
        self.label = labels.astype(np.int64)
        self.size = np.bincount(labels, minlength=cap).astype(np.int64)
        self.pupils = np.bincount(labels, weights=inst.pupils, minlength=cap)
        t = inst.provides.shape[1]
        self.count = np.zeros((cap, t), dtype=np.int64)
        if t:
            np.add.at(self.count, labels, inst.provides)
        self.version = np.zeros(cap, dtype=np.int64)
        w = model.weights
        self._wr = w.regions / model.p_max
        self._wd = w.distance / model.norm_distance
        # pairwise part
        onehot = csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, cap))
        if model.dense:
            self.RQ = np.asarray(onehot.T @ model.Q.T).T.copy() if n else np.zeros((0, cap))
        else:
            self.RQ = np.asarray((model.Q @ onehot).todense())
        self.pair = model.const + float((self.RQ[np.arange(n), labels]).sum()) / 2
        # distance part
        self.near: dict[str, np.ndarray] = {}
        self.cost: dict[str, np.ndarray] = {}
        self.dist = 0.0
        for name, td in model.types.items():
            na = len(td.kids)
            near = np.repeat(td.cap[:, None], cap, axis=1)
            cand_area = np.repeat(np.arange(na), np.diff(td.c_indptr))
            np.minimum.at(near, (cand_area, labels[td.c_unit]), td.c_km)
            self.near[name] = near
            c = near[np.arange(na), labels[inst.unit_of]]
            self.cost[name] = c
            self.dist += float((td.kids * c).sum())
        self._pcache: dict[tuple[int, int, int], tuple[int, int, float]] = {}
        self.p = int((self.size > 0).sum())
        self.free = [r for r in range(cap - 1, -1, -1) if self.size[r] == 0]

    # -- value ---------------------------------------------------------------------------
    @property
    def value(self) -> float:
        return self.pair + self._wd * self.dist - self._wr * self.p

    def members(self, r: int) -> np.ndarray:
        return np.flatnonzero(self.label == r)

    def regions(self) -> np.ndarray:
        return np.flatnonzero(self.size > 0)

    def new_region(self) -> int:
        """A free slot (grows capacity when needed)."""
        while self.free:
            r = self.free.pop()
            if self.size[r] == 0:
                return r
        self._grow()
        return self.new_region()

    def _grow(self) -> None:
        old = self.capacity
        new = max(2 * old, old + 4)
        pad = new - old
        self.capacity = new
        self.size = np.concatenate([self.size, np.zeros(pad, np.int64)])
        self.pupils = np.concatenate([self.pupils, np.zeros(pad)])
        self.count = np.vstack([self.count, np.zeros((pad, self.count.shape[1]), np.int64)])
        self.version = np.concatenate([self.version, np.zeros(pad, np.int64)])
        self.RQ = np.hstack([self.RQ, np.zeros((self.RQ.shape[0], pad))])
        for name, td in self.model.types.items():
            self.near[name] = np.hstack([self.near[name],
                                         np.repeat(td.cap[:, None], pad, axis=1)])
        self.free.extend(range(new - 1, old - 1, -1))

    # -- deltas --------------------------------------------------------------------------
    def move_deltas(self, v: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Objective change of moving each unit v[i] to region b[i] (vectorised)."""
        a = self.label[v]
        d = self.RQ[v, b] - self.RQ[v, a]
        if self.model.types:
            d = d + self._wd * self._dist_deltas(v, a, b)
        empty = self.size[a] == 1
        if empty.any():
            d = d + self._wr * empty
        newr = self.size[b] == 0
        if newr.any():
            d = d - self._wr * newr
        return d

    def move_delta(self, v: int, b: int) -> float:
        return float(self.move_deltas(np.array([v]), np.array([b]))[0])

    def _dist_deltas(self, v: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        inst = self.inst
        sizes = inst.unit_indptr[v + 1] - inst.unit_indptr[v]
        if (sizes == 1).all():
            areas = inst.unit_areas[inst.unit_indptr[v]]
            owner = np.arange(len(v))
        else:
            owner = np.repeat(np.arange(len(v)), sizes)
            starts = inst.unit_indptr[v]
            areas = inst.unit_areas[np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
                                    + np.arange(sizes.sum())]
        out = np.zeros(len(v))
        ao, bo = a[owner], b[owner]
        for name, td in self.model.types.items():
            near = self.near[name]
            after = np.minimum(near[areas, bo], td.self_km[areas])
            own = td.kids[areas] * (after - near[areas, ao])
            out += np.bincount(owner, weights=own, minlength=len(v))
        ver = self.version
        cache = self._pcache
        for i in np.flatnonzero(self.model.is_provider[v]):
            vi, ai, bi = int(v[i]), int(a[i]), int(b[i])
            key = (vi, ai, bi)
            hit = cache.get(key)
            va, vb = int(ver[ai]), int(ver[bi])
            if hit is None or hit[0] != va or hit[1] != vb:
                total = 0.0
                for name, td in self.model.types.items():
                    if td.r_indptr[vi + 1] > td.r_indptr[vi]:
                        total += self._provider_delta(td, self.near[name], vi, ai, bi)
                hit = (va, vb, total)
                cache[key] = hit
            out[i] += hit[2]
        return out

    def _provider_delta(self, td: _TypeDistances, near: np.ndarray, v: int, a: int, b: int
                        ) -> float:
        """Change for *other* units' areas when provider unit v moves from a to b."""
        s, e = td.r_indptr[v], td.r_indptr[v + 1]
        areas, km = td.r_area[s:e], td.r_km[s:e]
        reg = self.label[self.inst.unit_of[areas]]
        delta = 0.0
        inb = reg == b
        if inb.any():
            cur = near[areas[inb], b]
            delta -= float((td.kids[areas[inb]] * np.maximum(cur - km[inb], 0.0)).sum())
        ina = (reg == a) & (self.inst.unit_of[areas] != v)
        if ina.any():
            aa, kk = areas[ina], km[ina]
            cur = near[aa, a]
            hit = kk <= cur + 1e-9
            for x in aa[hit]:
                nw = self._nearest_without(td, int(x), a, v)
                delta += float(td.kids[x] * (nw - near[x, a]))
        return delta

    def _nearest_in(self, td: _TypeDistances, areas: np.ndarray, r: int) -> np.ndarray:
        """Nearest site in region r for each of ``areas`` (capped), vectorised."""
        starts, ends = td.c_indptr[areas], td.c_indptr[areas + 1]
        cnt = ends - starts
        best = td.cap[areas].copy()
        total = int(cnt.sum())
        if total:
            idx = np.repeat(ends - np.cumsum(cnt), cnt) + np.arange(total)
            owner = np.repeat(np.arange(len(areas)), cnt)
            ok = self.label[td.c_unit[idx]] == r
            np.minimum.at(best, owner[ok], td.c_km[idx[ok]])
        return best

    def _nearest_without(self, td: _TypeDistances, x: int, r: int, skip: int) -> float:
        s, e = td.c_indptr[x], td.c_indptr[x + 1]
        units = td.c_unit[s:e]
        ok = (self.label[units] == r) & (units != skip)
        if ok.any():
            return float(td.c_km[s:e][ok][0])
        return float(td.cap[x])

    def within(self, units: np.ndarray) -> float:
        """Sum of Q over the pairs inside ``units``."""
        q = self.model.Q
        if self.model.dense:
            return float(q[np.ix_(units, units)].sum()) / 2
        return float(q[units][:, units].sum()) / 2

    def regroup_delta(self, old: list[np.ndarray], new: list[np.ndarray]) -> float:
        """Objective change of replacing the regions ``old`` by the unit sets ``new``."""
        d = sum(self.within(u) for u in new) - sum(self.within(u) for u in old)
        if self.model.types:
            md = self.model
            d += self._wd * (sum(md.region_distance(u) for u in new)
                             - sum(md.region_distance(u) for u in old))
        return d - self._wr * (len(new) - len(old))

    # -- moves ---------------------------------------------------------------------------
    def move(self, v: int, b: int) -> None:
        """Move unit v to region b (no constraint checks); updates the objective."""
        a = int(self.label[v])
        if a == b:
            return
        inst = self.inst
        model = self.model
        if self.size[b] == 0:
            self.p += 1
            if b in self.free:
                self.free.remove(b)
        # pairwise part
        self.pair += self.RQ[v, b] - self.RQ[v, a]
        if model.dense:
            col = model.Q[:, v]
            self.RQ[:, a] -= col
            self.RQ[:, b] += col
        else:
            q = model.Q
            s, e = q.indptr[v], q.indptr[v + 1]
            idx, val = q.indices[s:e], q.data[s:e]
            self.RQ[idx, a] -= val
            self.RQ[idx, b] += val
        self.label[v] = b
        self.size[a] -= 1
        self.size[b] += 1
        pv = inst.pupils[v]
        self.pupils[a] -= pv
        self.pupils[b] += pv
        if self.count.shape[1]:
            self.count[a] -= inst.provides[v]
            self.count[b] += inst.provides[v]
        self.version[a] += 1
        self.version[b] += 1
        if self.size[a] == 0:
            self.p -= 1
            self.pupils[a] = 0.0
            self.free.append(a)
        # distance part
        if model.types:
            own_areas = inst.areas_of(v)
            for name, td in model.types.items():
                near = self.near[name]
                cost = self.cost[name]
                s, e = td.r_indptr[v], td.r_indptr[v + 1]
                touched = own_areas
                if e > s:
                    areas, km = td.r_area[s:e], td.r_km[s:e]
                    np.minimum.at(near, (areas, np.full(len(areas), b)), km)
                    hit = areas[km <= near[areas, a] + 1e-9]
                    if len(hit):
                        near[hit, a] = self._nearest_in(td, hit, a)
                    touched = np.union1d(own_areas, areas)
                reg = self.label[inst.unit_of[touched]]
                new = near[touched, reg]
                self.dist += float((td.kids[touched] * (new - cost[touched])).sum())
                cost[touched] = new

    # -- checks --------------------------------------------------------------------------
    def recompute(self) -> float:
        """Value from scratch (tests and debugging)."""
        return self.model.value(self.label)
