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
    Distances are the atlas index's distance model (great-circle km x the calibrated detour
    factor) from the child-weighted centre of the area.
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

What the weights mean: since P_max ~ pupils / minimum, one region more is worth w_P x minimum
pupils of border traffic (w_P = 0.1 and a minimum of 10,000: 1,000 pupils); one km less for
every child is worth w_D / 10 of all pupils crossing; 10 % less change is worth w_C / 10.

Presets (:data:`PRESETS`):

* ``maxp``: w_P = 10^6, w_H = 1. The number of regions first (one region more outweighs any
  heterogeneity), then heterogeneity: the objective of ``spopt.region.MaxPHeuristic``.
* ``grensverkeer``: w_B = 1, w_P = 0.1. Least border traffic; a region more is worth 1,000
  pupils crossing (at a minimum of 10,000), so regions are not larger than that pays for.
* ``evenwichtig`` (balanced, the default): w_B = 1, w_D = 0.2, w_C = 0.1, w_P = 0.1. On the
  real 2024 PO data (342 gemeenten, minimum 10,000) this gives 68 regions (76 SWVs today, 12
  of them below the minimum), none below the minimum, with less border traffic (3.7 % of
  pupils against 4.4 % today, as ``nabij scenario compare`` measures it) and about 15 %
  change.

Incremental evaluation
----------------------
Border traffic, change and heterogeneity are all *pairwise*: they equal a constant plus the
sum of a coefficient Q[u, v] over pairs of units in the same region. :class:`State` keeps the
matrix ``RQ[r, u] = sum of Q[u, v] over v in region r``, so the pairwise change of moving unit
u from region A to B is ``RQ[B, u] - RQ[A, u]`` (O(1)); after a move two rows of RQ are
updated (O(n), or O(degree) when Q is sparse). Distance keeps, per type, the nearest site in
each region for every area (``NEAR[a, r]``), updated only for the areas near a moved site.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial.distance import pdist, squareform

from nabij.defaults import OPTIMIZE_CHANGE_WEIGHT
from nabij.optimize.problem import Instance

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

    def as_dutch(self) -> dict[str, float]:
        """The weights under their Dutch component names (recipes, reports)."""
        return {nl: getattr(self, en) for nl, en in DUTCH_KEYS.items()}


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
    "grensverkeer": Weights(border=1.0, regions=0.1),
    "evenwichtig": Weights(border=1.0, distance=0.2, change=OPTIMIZE_CHANGE_WEIGHT, regions=0.1),
}
"""Named objectives: ``maxp``, ``grensverkeer`` and ``evenwichtig`` (default)."""


def _ranges(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flattened CSR entries of ``rows``: (entry indices, position of their row in ``rows``)."""
    starts, ends = indptr[rows], indptr[rows + 1]
    cnt = ends - starts
    total = int(cnt.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    idx = np.repeat(ends - np.cumsum(cnt), cnt) + np.arange(total)
    return idx, np.repeat(np.arange(len(rows)), cnt)


@dataclass
class _Distances:
    """Distance data of all provision types, flattened to rows (type t, area a) = t * na + a.

    Per row: children ``kids``, the outside cap (nearest site anywhere + penalty), the distance
    to the own unit's sites, and the candidate provider units within the cap (sorted by km).
    Per provider unit: the rows that list it (reverse index). ``unit_rows`` lists the rows
    of each unit's areas.
    """

    kids: np.ndarray
    cap: np.ndarray
    self_km: np.ndarray
    row_unit: np.ndarray
    c_indptr: np.ndarray
    c_unit: np.ndarray
    c_km: np.ndarray
    r_indptr: np.ndarray
    r_row: np.ndarray
    r_km: np.ndarray
    u_indptr: np.ndarray
    u_row: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.kids)


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
            assert sq is not None
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
        self._pair_parts = (fsym, cu, across, const_change)
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
        self.dist: _Distances | None = None
        self.norm_distance = 1.0
        self.is_provider = np.zeros(n, bool)
        if weights.distance > 0 and g.sites and g.lat is not None:
            parts = []
            for t, (s_area, s_lat, s_lon) in g.sites.items():
                kids = g.kids.get(t, np.zeros(na))
                if len(s_area) == 0 or kids.sum() <= 0:
                    continue
                parts.append(_type_rows(kids, g.lat, g.lon, uo[s_area], s_lat, s_lon, uo,
                                        g.distance))
            if parts:
                self.dist = _stack_rows(parts, uo, n)
                self.norm_distance = max(float(self.dist.kids.sum()) * REFERENCE_KM, _EPS)
                self.is_provider = np.diff(self.dist.r_indptr) > 0
        self._rd_cache: dict[int, float] = {}

    def reweighted(self, weights: Weights) -> ObjectiveModel:
        """The same model under other border/change weights, without rebuilding distances.

        Falls back to a full build when heterogeneity is weighted or the distance term is
        switched on or off."""
        if (weights.heterogeneity > 0 or self.has_het
                or (weights.distance > 0) != (self.dist is not None)):
            return ObjectiveModel(self.instance, weights)
        import copy

        out = copy.copy(self)
        out.weights = weights
        fsym, cu, across, const_change = self._pair_parts
        q = (-(weights.border / self.norm_border) * fsym
             + (weights.change / self.norm_change) * cu).tocsr()
        q.setdiag(0)
        q.eliminate_zeros()
        out.Q = q.toarray() if self.dense else q
        out.const = (weights.border / self.norm_border) * across \
            + (weights.change / self.norm_change) * const_change
        out._rd_cache = {}
        return out

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
        out["afstand"] = float(self.row_costs(unit_labels).sum()) if self.dist else 0.0
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

    def fast_value(self, unit_labels: np.ndarray) -> float:
        """The objective from the unit-level pairwise matrix (same value as :meth:`value`)."""
        lab = np.asarray(unit_labels)
        order = np.argsort(lab, kind="stable")
        cuts = np.flatnonzero(lab[order][1:] != lab[order][:-1]) + 1
        pair = self.const
        q = self.Q
        for idx in np.split(order, cuts):
            if len(idx) > 1:
                sub = q[np.ix_(idx, idx)] if self.dense else q[idx][:, idx]
                pair += float(sub.sum()) / 2
        w = self.weights
        dist = float(self.row_costs(lab).sum()) if self.dist is not None else 0.0
        return (pair + w.distance * dist / self.norm_distance
                - w.regions * (len(cuts) + 1) / self.p_max)

    def row_costs(self, unit_labels: np.ndarray) -> np.ndarray:
        """Kid-weighted km per (type, area) row under a labelling."""
        d = self.dist
        assert d is not None  # only called when the distance term is on
        lab = np.asarray(unit_labels)
        reg = lab[d.row_unit]
        owner = np.repeat(np.arange(d.rows), np.diff(d.c_indptr))
        ok = lab[d.c_unit] == reg[owner]
        best = d.cap.copy()
        np.minimum.at(best, owner[ok], d.c_km[ok])
        return d.kids * best

    def region_distance(self, units: np.ndarray) -> float:
        """Kid-weighted km of the areas of ``units`` if they formed one region on their own."""
        if self.dist is None:
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
        d = self.dist
        assert d is not None  # only called when the distance term is on
        mask = np.zeros(self.instance.n, bool)
        mask[units] = True
        ridx, _ = _ranges(d.u_indptr, units)
        rows = d.u_row[ridx]
        idx, owner = _ranges(d.c_indptr, rows)
        ok = mask[d.c_unit[idx]]
        best = d.cap[rows].copy()
        np.minimum.at(best, owner[ok], d.c_km[idx[ok]])
        return float((d.kids[rows] * best).sum())


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


def _type_rows(kids, lat, lon, site_unit, s_lat, s_lon, unit_of, distance) -> dict:
    """Candidates of one provision type: per area the provider units within its cap."""
    d = np.asarray(distance.km(lat[:, None], lon[:, None], s_lat[None, :], s_lon[None, :]),
                   float)
    cap = d.min(axis=1) + PENALTY_KM
    rows, cols = np.nonzero(d < cap[:, None])
    km = d[rows, cols]
    units = site_unit[cols]
    # min km per (area, unit), only for areas with children
    order = np.lexsort((km, units, rows))
    rows, units, km = rows[order], units[order], km[order]
    first = np.ones(len(rows), bool)
    first[1:] = (rows[1:] != rows[:-1]) | (units[1:] != units[:-1])
    rows, units, km = rows[first], units[first], km[first]
    keep = kids[rows] > 0
    rows, units, km = rows[keep], units[keep], km[keep]
    o = np.lexsort((km, rows))
    self_km = cap.copy()
    own = units == unit_of[rows]
    np.minimum.at(self_km, rows[own], km[own])
    return {"kids": kids, "cap": cap, "self_km": self_km, "rows": rows[o], "units": units[o],
            "km": km[o]}


def _stack_rows(parts: list[dict], unit_of: np.ndarray, n_units: int) -> _Distances:
    """Flatten per-type candidates into one row space (type t, area a) -> t * na + a."""
    na = len(unit_of)
    nr = na * len(parts)
    kids = np.concatenate([p["kids"] for p in parts])
    cap = np.concatenate([p["cap"] for p in parts])
    self_km = np.concatenate([p["self_km"] for p in parts])
    rows = np.concatenate([p["rows"] + t * na for t, p in enumerate(parts)])
    units = np.concatenate([p["units"] for p in parts])
    km = np.concatenate([p["km"] for p in parts])
    c_indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=nr))])
    o = np.lexsort((rows, units))
    r_indptr = np.concatenate([[0], np.cumsum(np.bincount(units, minlength=n_units))])
    row_unit = np.tile(unit_of, len(parts))
    ou = np.argsort(row_unit, kind="stable")
    u_indptr = np.concatenate([[0], np.cumsum(np.bincount(row_unit, minlength=n_units))])
    return _Distances(kids=kids, cap=cap, self_km=self_km, row_unit=row_unit,
                      c_indptr=c_indptr, c_unit=units, c_km=km, r_indptr=r_indptr,
                      r_row=rows[o], r_km=km[o], u_indptr=u_indptr, u_row=ou)


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
            self.RQ = np.ascontiguousarray(onehot.T @ model.Q) if n else np.zeros((cap, 0))
        else:
            self.RQ = np.ascontiguousarray((onehot.T @ model.Q).todense())
        self.pair = model.const + float((self.RQ[labels, np.arange(n)]).sum()) / 2
        self.member_sets: list[set[int]] = [set() for _ in range(cap)]
        for u, r in enumerate(labels.tolist()):
            self.member_sets[r].add(u)
        # distance part: NEAR[row, r] = nearest site of the row's type in region r (capped)
        d = model.dist
        self.dist = 0.0
        if d is not None:
            self.near = np.repeat(d.cap[:, None], cap, axis=1)
            owner = np.repeat(np.arange(d.rows), np.diff(d.c_indptr))
            np.minimum.at(self.near, (owner, labels[d.c_unit]), d.c_km)
            self.cost = self.near[np.arange(d.rows), labels[d.row_unit]]
            self.dist = float((d.kids * self.cost).sum())
        self._init_pcache()
        self.p = int((self.size > 0).sum())
        self.free = [r for r in range(cap - 1, -1, -1) if self.size[r] == 0]

    def _init_pcache(self) -> None:
        """Cache of provider effects per (unit, target region), valid while the versions of
        the source and target region are unchanged."""
        rows = self.inst.n if self.model.dist is not None else 0
        shape = (rows, self.capacity)
        self._pc_val = np.zeros(shape)
        self._pc_a = np.full(shape, -1, dtype=np.int64)
        self._pc_va = np.full(shape, -1, dtype=np.int64)
        self._pc_vb = np.full(shape, -1, dtype=np.int64)

    # -- value ---------------------------------------------------------------------------
    @property
    def value(self) -> float:
        return self.pair + self._wd * self.dist - self._wr * self.p

    def members(self, r: int) -> np.ndarray:
        """Units of region r, sorted."""
        return np.array(sorted(self.member_sets[r]), dtype=np.int64)

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
        self.RQ = np.vstack([self.RQ, np.zeros((pad, self.RQ.shape[1]))])
        self.member_sets.extend(set() for _ in range(pad))
        if self.model.dist is not None:
            self.near = np.hstack([self.near,
                                   np.repeat(self.model.dist.cap[:, None], pad, axis=1)])
        self.free.extend(range(new - 1, old - 1, -1))
        self._init_pcache()

    # -- deltas --------------------------------------------------------------------------
    def move_deltas(self, v: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Objective change of moving each unit v[i] to region b[i] (vectorised)."""
        a = self.label[v]
        d = self.RQ[b, v] - self.RQ[a, v]
        if self.model.dist is not None:
            d = d + self._wd * self._dist_deltas(v, a, b)
        empty = self.size[a] == 1
        if empty.any():
            d = d + self._wr * empty
        newr = self.size[b] == 0
        if newr.any():
            d = d - self._wr * newr
        stay = a == b
        if stay.any():
            d = np.where(stay, 0.0, d)
        return d

    def move_delta(self, v: int, b: int) -> float:
        return float(self.move_deltas(np.array([v]), np.array([b]))[0])

    def _dist_deltas(self, v: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Kid-km change: the moved unit's own rows, plus (cached) effects of its sites."""
        dd = self.model.dist
        assert dd is not None  # only called when the distance term is on
        near = self.near
        idx, owner = _ranges(dd.u_indptr, v)
        rows = dd.u_row[idx]
        after = np.minimum(near[rows, b[owner]], dd.self_km[rows])
        own = dd.kids[rows] * (after - near[rows, a[owner]])
        out = np.bincount(owner, weights=own, minlength=len(v))
        prov = np.flatnonzero(self.model.is_provider[v])
        if len(prov):
            pv, pa, pb = v[prov], a[prov], b[prov]
            ver = self.version
            valid = (self._pc_a[pv, pb] == pa) & (self._pc_va[pv, pb] == ver[pa]) & \
                (self._pc_vb[pv, pb] == ver[pb])
            bad = np.flatnonzero(~valid)
            if len(bad):
                bv, ba, bb = pv[bad], pa[bad], pb[bad]
                self._pc_val[bv, bb] = self._provider_deltas(bv, ba, bb)
                self._pc_a[bv, bb] = ba
                self._pc_va[bv, bb] = ver[ba]
                self._pc_vb[bv, bb] = ver[bb]
            out[prov] += self._pc_val[pv, pb]
        return out

    def _provider_deltas(self, v: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Kid-km change for *other* units' rows when provider units v move from a to b."""
        dd = self.model.dist
        assert dd is not None  # only called when the distance term is on
        near = self.near
        idx, k = _ranges(dd.r_indptr, v)
        rows, km = dd.r_row[idx], dd.r_km[idx]
        ru = dd.row_unit[rows]
        reg = self.label[ru]
        out = np.zeros(len(v))
        # rows in b gain v's sites
        g = reg == b[k]
        if g.any():
            gain = dd.kids[rows[g]] * np.maximum(near[rows[g], b[k[g]]] - km[g], 0.0)
            out -= np.bincount(k[g], weights=gain, minlength=len(v))
        # rows in a whose nearest site in a is v's lose it
        la = (reg == a[k]) & (ru != v[k])
        la[la] = km[la] <= near[rows[la], a[k[la]]] + 1e-9
        if la.any():
            hr, hk = rows[la], k[la]
            nw = self._nearest_in(hr, a[hk], skip=v[hk])
            loss = dd.kids[hr] * (nw - near[hr, a[hk]])
            out += np.bincount(hk, weights=loss, minlength=len(v))
        return out

    def _nearest_in(self, rows: np.ndarray, r: np.ndarray | int, skip: np.ndarray | int = -1
                    ) -> np.ndarray:
        """Nearest site in region r (not in unit ``skip``) for each row (capped), vectorised.

        ``r`` and ``skip`` are scalars or arrays aligned with ``rows``.
        """
        dd = self.model.dist
        assert dd is not None  # only called when the distance term is on
        best = dd.cap[rows].copy()
        idx, owner = _ranges(dd.c_indptr, rows)
        if len(idx):
            units = dd.c_unit[idx]
            rr = r[owner] if isinstance(r, np.ndarray) else r
            ss = skip[owner] if isinstance(skip, np.ndarray) else skip
            ok = (self.label[units] == rr) & (units != ss)
            np.minimum.at(best, owner[ok], dd.c_km[idx[ok]])
        return best

    def within(self, units: np.ndarray) -> float:
        """Sum of Q over the pairs inside ``units``."""
        q = self.model.Q
        if self.model.dense:
            return float(q[np.ix_(units, units)].sum()) / 2
        return float(q[units][:, units].sum()) / 2

    def regroup_delta(self, old: list[np.ndarray], new: list[np.ndarray]) -> float:
        """Objective change of replacing the regions ``old`` by the unit sets ``new``."""
        d = sum(self.within(u) for u in new) - sum(self.within(u) for u in old)
        if self.model.dist is not None:
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
        self.pair += self.RQ[b, v] - self.RQ[a, v]
        if model.dense:
            col = model.Q[v]
            self.RQ[a] -= col
            self.RQ[b] += col
        else:
            q = model.Q
            s, e = q.indptr[v], q.indptr[v + 1]
            idx, val = q.indices[s:e], q.data[s:e]
            self.RQ[a, idx] -= val
            self.RQ[b, idx] += val
        self.label[v] = b
        self.member_sets[a].discard(v)
        self.member_sets[b].add(v)
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
        dd = model.dist
        if dd is not None:
            near = self.near
            idx, _ = _ranges(dd.u_indptr, np.array([v]))
            touched = dd.u_row[idx]
            s0, e0 = dd.r_indptr[v], dd.r_indptr[v + 1]
            if e0 > s0:
                rows, km = dd.r_row[s0:e0], dd.r_km[s0:e0]
                near[rows, b] = np.minimum(near[rows, b], km)
                hit = rows[km <= near[rows, a] + 1e-9]
                if len(hit):
                    near[hit, a] = self._nearest_in(hit, a)
                touched = np.concatenate([touched, rows])
            new = near[touched, self.label[dd.row_unit[touched]]]
            # rows may repeat in ``touched``: take each once
            touched, first = np.unique(touched, return_index=True)
            new = new[first]
            self.dist += float((dd.kids[touched] * (new - self.cost[touched])).sum())
            self.cost[touched] = new

    # -- checks --------------------------------------------------------------------------
    def recompute(self) -> float:
        """Value from scratch (tests and debugging)."""
        return self.model.value(self.label)
