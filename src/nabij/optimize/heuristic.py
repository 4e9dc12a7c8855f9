"""A fast heuristic for national scale: greedy construction, then tabu search with recombination.

1. **Construction.** (a) A warm start from the status quo: current regions, split into
   connected pieces inside each nesting unit, too-small pieces merged into the neighbour they
   share most with, too-large ones cut. (b) Randomised greedy region growing (as in max-p):
   start at a peripheral unassigned unit, add neighbours (most shared borders first, least
   overshoot of the minimum near the end, a path to the nearest missing provision type when
   covering) until the minimum is reached; units that cannot complete a region are attached to
   a neighbouring region afterwards. The best start (most regions first for ``maxp``) wins.
2. **Tabu search** over boundary moves (one unit to a neighbouring region) with the
   incremental objective of :class:`nabij.optimize.objective.State`. Every iteration all
   boundary moves are scored at once (numpy); moves that would break a region (articulation
   points of its subgraph, recomputed for the two regions a move touches), undercut the
   minimum, exceed the maximum or remove the last provision of a type are excluded; a moved
   unit is tabu for a few iterations unless the move gives a new best.
3. **Recombination** when the tabu search stalls: merge one, two or three neighbouring regions
   and cut them into one region more along random spanning trees (each part contiguous, above
   the minimum, covering); or merge two regions, when that improves the objective. Accepted
   when the objective improves. Then a random kick, and back to 2.

The search stops at the time limit or after ``patience`` rounds without improvement. For a
given seed the result is deterministic when the search ends by ``patience`` (timing only
matters when the time limit cuts it short).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nabij.optimize.objective import ObjectiveModel, State
from nabij.optimize.problem import Instance

Callback = Callable[[float, float, dict], bool | None]
_EPS = 1e-9


@dataclass
class SolveResult:
    """Unit labels of the best division found, its objective and the search history."""

    labels: np.ndarray
    value: float
    history: list[tuple[float, float]] = field(default_factory=list)
    iterations: int = 0
    status: str = "heuristiek"
    bound: float | None = None


# -- constraint checks -----------------------------------------------------------------------


def violations(instance: Instance, labels: np.ndarray) -> list[str]:
    """Dutch descriptions of every hard constraint a unit labelling breaks (empty if none)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    c = instance.constraints
    labels = np.asarray(labels)
    out = []
    n = instance.n
    e = instance.edge_list()
    same = labels[e[:, 0]] == labels[e[:, 1]] if len(e) else np.zeros(0, bool)
    m = coo_matrix((np.ones(same.sum()), (e[same, 0], e[same, 1])), shape=(n, n))
    _, comp = connected_components(m, directed=False)
    for r in np.unique(labels):
        idx = np.flatnonzero(labels == r)
        name = instance.unit_label(int(idx[0]))
        if len(np.unique(comp[idx])) > 1:
            out.append(f"regio rond {name} is niet aaneengesloten")
        p = instance.pupils[idx].sum()
        if p < c.min_pupils - 1e-6:
            out.append(f"regio rond {name} heeft {p:.0f} leerlingen, minder dan {c.min_pupils:.0f}")
        if c.max_pupils is not None and p > c.max_pupils + 1e-6:
            out.append(f"regio rond {name} heeft {p:.0f} leerlingen, meer dan {c.max_pupils:.0f}")
        if instance.provides.shape[1]:
            have = instance.provides[idx].sum(axis=0)
            for t, k in zip(instance.required_types, have, strict=True):
                if k == 0:
                    out.append(f"regio rond {name} heeft geen {t}")
    return out


class HeuristicSolver:
    """Construction + tabu search + recombination (see the module docstring)."""

    def __init__(
        self,
        time_limit: float = 60.0,
        seed: int = 0,
        callback: Callback | None = None,
        patience: int = 12,
        tenure: int | None = None,
        constructions: int | None = None,
    ) -> None:
        self.time_limit = float(time_limit)
        self.seed = seed
        self.callback = callback
        self.patience = patience
        self.tenure = tenure
        self.constructions = constructions

    # -- public ------------------------------------------------------------------------------
    def solve(self, instance: Instance, model: ObjectiveModel,
              start: np.ndarray | None = None) -> SolveResult:
        self.inst = instance
        self.model = model
        self.rng = np.random.default_rng(self.seed)
        self.pyrng = random.Random(self.seed)
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + self.time_limit
        self.history: list[tuple[float, float]] = []
        self._last_report = 0.0
        self.stopped = False
        c = instance.constraints
        self.min = float(c.min_pupils)
        self.max = float(c.max_pupils) if c.max_pupils is not None else np.inf
        self.lexi = model.weights.regions / max(model.p_max, 1) > 1.0

        ptr, adj = instance.adj_indptr, instance.adj_indices
        self.nbrs = [adj[ptr[u]:ptr[u + 1]].tolist() for u in range(instance.n)]
        starts = self._constructions(start)
        if not starts:
            return SolveResult(labels=np.zeros(0, np.int64), value=np.inf,
                               history=self.history, status="geen oplossing gevonden")
        self.state = State(model, starts[0])
        self.best_value = self.state.value
        self.best_labels = self.state.label.copy()
        self._record(force=True)
        self._setup_arcs()
        self.iterations = 0
        rounds_without = 0
        while not self._out_of_time() and rounds_without < self.patience:
            before = self.best_value
            self._tabu()
            self._recombine()
            if self.best_value < before - _EPS:
                rounds_without = 0
            else:
                rounds_without += 1
            if self._out_of_time() or rounds_without >= self.patience:
                break
            self._restore_best()
            self._kick()
        self._record(force=True)
        return SolveResult(labels=self.best_labels.copy(), value=self.best_value,
                           history=self.history, iterations=self.iterations)

    # -- bookkeeping -------------------------------------------------------------------------
    def _elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def _out_of_time(self) -> bool:
        return self.stopped or time.perf_counter() >= self.deadline

    def _record(self, force: bool = False) -> None:
        t = self._elapsed()
        if force or not self.history or self.history[-1][1] > self.best_value + _EPS:
            self.history.append((round(t, 4), float(self.best_value)))
        if self.callback is not None and (force or t - self._last_report > 0.2):
            self._last_report = t
            info = {"regios": int(len(np.unique(self.best_labels)))}
            if self.callback(t, float(self.best_value), info) is False:
                self.stopped = True

    def _update_best(self) -> bool:
        if self.state.value < self.best_value - _EPS:
            self.best_value = self.state.value
            self.best_labels = self.state.label.copy()
            self._record()
            return True
        return False

    def _restore_best(self) -> None:
        if np.array_equal(self.state.label, self.best_labels):
            return
        # a fresh state from the best labelling (cheaper than undoing the moves one by one)
        self.state = State(self.model, self.best_labels, capacity=self.state.capacity)
        self.best_labels = self.state.label.copy()
        self._refresh_ap()

    # -- construction ------------------------------------------------------------------------
    def _constructions(self, start: np.ndarray | None) -> list[np.ndarray]:
        cands: list[np.ndarray] = []
        if start is not None:
            lab = self._repair(np.asarray(start))
            if lab is not None:
                cands.append(lab)
        sq = self._status_quo_labels()
        if sq is not None:
            lab = self._repair(sq)
            if lab is not None:
                cands.append(lab)
        k = self.constructions or 16
        budget = 0.2 * self.time_limit
        t_start = time.perf_counter()
        for tries in range(k):
            if tries >= 1 and time.perf_counter() - t_start > budget:
                break
            lab = self._grow()
            if lab is not None:
                cands.append(lab)
        if not cands:
            return []
        ps = [len(np.unique(lab)) for lab in cands]
        if self.lexi:  # only the starts with the most regions can win
            best_p = max(ps)
            cands = [lab for lab, p in zip(cands, ps, strict=True) if p == best_p]
        scored = sorted((self.model.fast_value(lab), i) for i, lab in enumerate(cands))
        return [cands[i] for _, i in scored]

    def _status_quo_labels(self) -> np.ndarray | None:
        g = self.inst.graph
        if g.status_quo is None:
            return None
        sq = g.status_quo[self.inst.unit_areas[self.inst.unit_indptr[:-1]]]
        _, lab = np.unique(sq.astype(str), return_inverse=True)
        return lab

    def _components_of(self, labels: np.ndarray) -> np.ndarray:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        n = self.inst.n
        e = self.inst.edge_list()
        same = labels[e[:, 0]] == labels[e[:, 1]] if len(e) else np.zeros(0, bool)
        m = coo_matrix((np.ones(same.sum()), (e[same, 0], e[same, 1])), shape=(n, n))
        _, comp = connected_components(m, directed=False)
        return comp

    def _affinity(self, u_set: np.ndarray, labels: np.ndarray, r: int) -> float:
        """Pairwise objective change of putting units u_set together with region r."""
        q = self.model.Q
        members = np.flatnonzero(labels == r)
        if self.model.dense:
            return float(q[np.ix_(u_set, members)].sum())
        return float(q[u_set][:, members].sum())

    def _repair(self, labels: np.ndarray) -> np.ndarray | None:
        """Make a labelling feasible: split into pieces, merge small ones, cut large ones."""
        inst = self.inst
        lab = self._components_of(np.asarray(labels))
        adj_ptr, adj = inst.adj_indptr, inst.adj_indices
        for _ in range(inst.n + 1):
            regions = np.unique(lab)
            pup = np.bincount(lab, weights=inst.pupils)
            bad = []
            for r in regions:
                if pup[r] < self.min - _EPS or not self._covers(np.flatnonzero(lab == r)):
                    bad.append(r)
            if not bad:
                break
            r = min(bad, key=lambda x: (pup[x], x))
            units = np.flatnonzero(lab == r)
            nb = np.unique(lab[np.concatenate([adj[adj_ptr[u]:adj_ptr[u + 1]] for u in units])])
            nb = nb[nb != r]
            if len(nb) == 0:
                return None
            ok = [b for b in nb if pup[b] + pup[r] <= self.max + _EPS] or list(nb)
            b = min(ok, key=lambda x: (self._affinity(units, lab, x), x))
            lab[units] = b
        # too large regions: cut
        pup = np.bincount(lab, weights=inst.pupils)
        for r in np.unique(lab):
            if pup[r] > self.max + _EPS:
                units = np.flatnonzero(lab == r)
                k = int(np.ceil(pup[r] / self.max))
                parts = None
                while parts is None and k <= len(units) and k * self.min <= pup[r] + _EPS:
                    for _ in range(30):
                        parts = self._partition(units, k)
                        if parts is not None:
                            break
                    k += 1
                if parts is None:
                    return None
                nxt = lab.max() + 1
                for i, part in enumerate(parts[1:]):
                    lab[part] = nxt + i
        _, lab = np.unique(lab, return_inverse=True)
        if violations(inst, lab):
            return None
        return lab

    def _covers(self, units: np.ndarray) -> bool:
        p = self.inst.provides
        return not p.shape[1] or bool((p[units].sum(axis=0) > 0).all())

    def _grow(self) -> np.ndarray | None:
        """One randomised greedy max-p style construction; None if it fails.

        Phases: pick seeds in order of (free degree, random) -- peripheral units first --,
        grow each seed's region (:meth:`_grow_region`), and hand units of regions that could
        not reach the minimum to their neighbours afterwards (:meth:`_assign_enclaves`).
        """
        import heapq

        inst = self.inst
        n = inst.n
        lab = np.full(n, -1, dtype=np.int64)
        free_deg = np.diff(inst.adj_indptr).astype(np.int64)
        noise = self.rng.random(n)
        enclave = np.zeros(n, bool)
        region = 0
        heap = [(int(free_deg[u]), float(noise[u]), u) for u in range(n)]
        heapq.heapify(heap)
        while heap:
            d, _, s = heapq.heappop(heap)
            if lab[s] >= 0 or enclave[s]:
                continue
            if d != free_deg[s]:
                heapq.heappush(heap, (int(free_deg[s]), float(noise[s]), s))
                continue
            members, done = self._grow_region(s, region, lab, free_deg, enclave)
            if done:
                region += 1
            else:
                for u in members:  # enclave units stay counted as taken
                    lab[u] = -1
                    enclave[u] = True
        if region == 0:
            return None
        return self._assign_enclaves(lab)

    def _grow_region(self, s: int, region: int, lab: np.ndarray, free_deg: np.ndarray,
                     enclave: np.ndarray) -> tuple[list[int], bool]:
        """Grow one region from seed ``s`` until it is large enough and covering."""
        prov = self.inst.provides
        pupils = self.inst.pupils
        need_types = prov.shape[1] > 0
        have = prov[s].copy() if need_types else None
        links: dict[int, int] = {}
        members: list[int] = []
        total = 0.0

        def take(w: int) -> None:
            nonlocal total
            lab[w] = region
            members.append(w)
            total += pupils[w]
            if need_types:
                if w != s:
                    have[:] += prov[w]  # type: ignore[index]
            ptr, adj = self.inst.adj_indptr, self.inst.adj_indices
            for x in adj[ptr[w]:ptr[w + 1]]:
                x = int(x)
                free_deg[x] -= 1
                if lab[x] < 0 and not enclave[x]:
                    links[x] = links.get(x, 0) + 1

        def complete() -> bool:
            return total >= self.min - _EPS and (
                not need_types or bool(np.all(np.asarray(have) > 0)))

        take(s)
        while not complete() and links:
            w = self._best_link(links, total, have)
            if w < 0:
                break
            del links[w]
            take(w)
        return members, complete()

    def _best_link(self, links: dict[int, int], total: float, have: np.ndarray | None) -> int:
        """The neighbour to add next: shared borders, closing the gap to the minimum and new
        provision types score; a little noise breaks ties (-1 when none fits under the max)."""
        prov, pupils, rng = self.inst.provides, self.inst.pupils, self.rng
        need = self.min - total
        best, best_score = -1, -np.inf
        for w, k in links.items():
            pw = pupils[w]
            if total + pw > self.max + _EPS:
                continue
            score = k * 1.0
            if need > 0:
                if pw >= need:
                    score += 2.0 - (pw - need) / max(self.min, 1.0)
                else:
                    score += pw / max(need, 1.0) * 0.5
            if have is not None:
                score += 2.0 * float(((have == 0) & (prov[w] > 0)).sum())
            score += 0.6 * rng.random()
            if score > best_score:
                best, best_score = w, score
        return best

    def _assign_enclaves(self, lab: np.ndarray) -> np.ndarray | None:
        inst = self.inst
        ptr, adj = inst.adj_indptr, inst.adj_indices
        pup = np.bincount(lab[lab >= 0], weights=inst.pupils[lab >= 0])
        pending = set(np.flatnonzero(lab < 0).tolist())
        q = self.model.Q
        dense = self.model.dense
        while pending:
            progress = False
            for u in sorted(pending, key=lambda x: (self.rng.random(), x)):
                nb = adj[ptr[u]:ptr[u + 1]]
                regs = np.unique(lab[nb])
                regs = regs[regs >= 0]
                if len(regs) == 0:
                    continue
                ok = [r for r in regs if pup[r] + inst.pupils[u] <= self.max + _EPS]
                if not ok:
                    continue
                if len(ok) == 1:
                    r = ok[0]
                else:
                    scores = []
                    for r in ok:
                        m = np.flatnonzero(lab == r)
                        s = float(q[u, m].sum()) if dense else float(q[u][:, m].sum())
                        scores.append(s)
                    r = ok[int(np.argmin(scores))]
                lab[u] = r
                pup[r] += inst.pupils[u]
                pending.discard(u)
                progress = True
            if not progress:
                return None
        return lab

    # -- tabu search -------------------------------------------------------------------------
    def _setup_arcs(self) -> None:
        inst = self.inst
        self.arc_src = np.repeat(np.arange(inst.n), np.diff(inst.adj_indptr))
        self.arc_dst = inst.adj_indices
        self.tabu_until = np.zeros(inst.n, dtype=np.int64)
        self._failed: set[tuple] = set()
        self._full_budget = 600 if self.lexi else 150
        self._attempt_budget = self._full_budget
        # reverse arc of each arc (u -> w) is (w -> u)
        key = self.arc_src * inst.n + self.arc_dst
        rkey = self.arc_dst * inst.n + self.arc_src
        self.arc_rev = np.searchsorted(key, rkey)
        self._refresh_ap()

    def _refresh_ap(self) -> None:
        """Boundary arcs and articulation points of every region, from scratch."""
        lab = self.state.label
        self.boundary = lab[self.arc_src] != lab[self.arc_dst]
        self.is_ap = np.zeros(self.inst.n, bool)
        self.lab_list = self.state.label.tolist()
        for r in self.state.regions():
            self._update_ap(int(r))

    def _update_ap(self, r: int) -> None:
        members = self.state.members(r)
        self.is_ap[members] = False
        if len(members) > 2:
            aps = self._articulation(members.tolist(), r)
            if aps:
                self.is_ap[aps] = True

    def _articulation(self, members: list[int], r: int) -> list[int]:
        """Articulation points of region r's subgraph (iterative Tarjan, pure Python)."""
        lab = self.lab_list
        nbrs = self.nbrs
        root = members[0]
        disc = {root: 0}
        low = {root: 0}
        counter = 1
        root_children = 0
        aps = []
        stack = [(root, -1, iter(nbrs[root]))]
        while stack:
            x, parent, it = stack[-1]
            for y in it:
                if lab[y] != r:
                    continue
                if y not in disc:
                    disc[y] = low[y] = counter
                    counter += 1
                    if x == root:
                        root_children += 1
                    stack.append((y, x, iter(nbrs[y])))
                    break
                if y != parent and disc[y] < low[x]:
                    low[x] = disc[y]
            else:
                stack.pop()
                if stack:
                    u = stack[-1][0]
                    if low[x] < low[u]:
                        low[u] = low[x]
                    if u != root and low[x] >= disc[u]:
                        aps.append(u)
        if root_children > 1:
            aps.append(root)
        return aps

    def _sync_boundary(self, v: int) -> None:
        """Update the boundary flags of the arcs of unit v after it moved."""
        ptr = self.inst.adj_indptr
        out = np.arange(ptr[v], ptr[v + 1])
        lab = self.state.label
        flag = lab[v] != lab[self.arc_dst[out]]
        self.boundary[out] = flag
        self.boundary[self.arc_rev[out]] = flag

    def _candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Boundary moves that keep every hard constraint (contiguity via articulation points)."""
        st = self.state
        lab = st.label
        sel = np.flatnonzero(self.boundary)
        v = self.arc_src[sel]
        if len(v) == 0:
            return v, v
        b = lab[self.arc_dst[sel]]
        a = lab[v]
        pv = self.inst.pupils[v]
        ok = (st.size[a] > 1) & (st.pupils[a] - pv >= self.min - _EPS) & ~self.is_ap[v]
        if np.isfinite(self.max):
            ok &= st.pupils[b] + pv <= self.max + _EPS
        prov = self.inst.provides
        if prov.shape[1]:
            pvv = prov[v]
            ok &= ~((pvv > 0) & (st.count[a] - pvv < 1)).any(axis=1)
        return v[ok], b[ok]

    def _apply(self, v: int, b: int) -> None:
        a = int(self.state.label[v])
        self.state.move(v, b)
        self.lab_list[v] = b
        self._sync_boundary(v)
        self._update_ap(a)
        lab = self.lab_list
        inside = [u for u in self.nbrs[v] if lab[u] == b]
        if len(inside) == 1:  # v hangs on one unit of b: only that unit becomes a cut vertex
            self.is_ap[v] = False
            if self.state.size[b] > 2:
                self.is_ap[inside[0]] = True
        else:
            self._update_ap(b)

    def _tabu(self) -> None:
        n = self.inst.n
        tenure = self.tenure or max(5, min(25, n // 20))
        max_stall = max(30, min(400, n // 4))
        stall = 0
        while stall < max_stall and not self._out_of_time():
            v, b = self._candidates()
            if len(v) == 0:
                return
            d = self.state.move_deltas(v, b)
            it = self.iterations
            tabu = self.tabu_until[v] > it
            cur = self.state.value
            allowed = ~tabu | (cur + d < self.best_value - _EPS)
            d = np.where(allowed, d + 1e-12 * self.rng.random(len(d)), np.inf)
            i = int(np.argmin(d))
            if not np.isfinite(d[i]):
                return
            self._apply(int(v[i]), int(b[i]))
            self.tabu_until[v[i]] = it + tenure + int(self.rng.integers(0, max(2, tenure // 2)))
            self.iterations += 1
            if self._update_best():
                stall = 0
            else:
                stall += 1
            if self.callback is not None and self.iterations % 50 == 0:
                self._record()

    def _kick(self) -> None:
        n = self.inst.n
        k = max(3, min(50, n // 30))
        for _ in range(k):
            v, b = self._candidates()
            if len(v) == 0:
                return
            i = int(self.rng.integers(len(v)))
            self._apply(int(v[i]), int(b[i]))
            self.tabu_until[v[i]] = self.iterations + 3
        self.iterations += 1

    # -- recombination -----------------------------------------------------------------------
    def _region_graph(self) -> dict[int, set[int]]:
        lab = self.state.label
        la, lb = lab[self.arc_src], lab[self.arc_dst]
        sel = la != lb
        pairs = np.unique(np.column_stack([la[sel], lb[sel]]), axis=0)
        out: dict[int, set[int]] = {int(r): set() for r in self.state.regions()}
        for x, y in pairs:
            out[int(x)].add(int(y))
        return out

    def _recombine(self) -> None:
        """Try to add regions (split / recombine 2 or 3 into one more), or merge pairs."""
        st = self.state
        if self.model.weights.regions > 0 and st.p < self.inst.p_max:
            improved = True
            while improved and not self._out_of_time():
                improved = self._add_region_pass()
        if not self.lexi:
            self._merge_pass()

    def _signature(self, group: tuple[int, ...]) -> tuple:
        st = self.state
        return tuple(sorted(hash(st.members(r).tobytes()) for r in group))

    def _add_region_pass(self) -> bool:
        """One pass over single regions, pairs and triples that hold pupils for one more.

        Triples only for ``maxp``-like objectives; at most a fixed number of attempts.
        """
        st = self.state
        rg = self._region_graph()
        pup = st.pupils
        max_attempts = self._attempt_budget
        groups: list[tuple[int, ...]] = []
        for r in rg:
            groups.append((r,))
        for r, nbs in rg.items():
            for s in nbs:
                if r < s:
                    groups.append((r, s))
        if self.lexi:
            for r, nbs in rg.items():
                nb = sorted(nbs)
                for i in range(len(nb)):
                    for j in range(i + 1, len(nb)):
                        groups.append((nb[i], r, nb[j]))
        surplus = np.array([pup[list(g)].sum() - (len(g) + 1) * self.min for g in groups])
        keep = np.flatnonzero(surplus >= -_EPS)
        if len(keep) == 0:
            return False
        # largest surplus (per region in the group) first; random tie-break
        noise = self.rng.random(len(keep))
        order = sorted(keep.tolist(), key=lambda i: (-surplus[i] / len(groups[i]), noise[
            np.searchsorted(keep, i)]))
        attempts = 0
        for i in order:
            if self._out_of_time() or attempts >= max_attempts:
                return False
            g = groups[i]
            sig = self._signature(g)
            if sig in self._failed:
                continue
            units = np.concatenate([st.members(r) for r in g])
            tries = 4 if len(g) == 1 else 6
            for _ in range(tries):
                attempts += 1
                parts = self._partition(units, len(g) + 1)
                if parts is not None and self._try_parts(g, parts):
                    self._attempt_budget = self._full_budget
                    return True
            self._failed.add(sig)
        # nothing found: spend less on the next pass (until something succeeds again)
        self._attempt_budget = max(40, self._attempt_budget // 2)
        return False

    def _merge_pass(self) -> None:
        st = self.state
        rg = self._region_graph()
        best, best_d = None, -_EPS
        for r, nbs in rg.items():
            for s in nbs:
                if r >= s or st.pupils[r] + st.pupils[s] > self.max + _EPS:
                    continue
                mr = st.members(r)
                d = float(st.RQ[s, mr].sum())
                d += self.model.weights.regions / self.model.p_max
                if self.model.dist is not None:
                    ms = st.members(s)
                    both = np.concatenate([mr, ms])
                    md = self.model
                    d += st._wd * (md.region_distance(both) - md.region_distance(mr)
                                   - md.region_distance(ms))
                if d < best_d:
                    best, best_d = (r, s), d
        if best is not None:
            r, s = best
            for u in st.members(r):
                st.move(int(u), s)
                self.lab_list[int(u)] = s
                self._sync_boundary(int(u))
            self._update_ap(s)
            self._update_best()

    def _try_parts(self, group: tuple[int, ...], parts: list[np.ndarray]) -> bool:
        """Relabel the units of ``group`` as ``parts``; keep it if the objective improves."""
        st = self.state
        before = st.value
        if st.regroup_delta([st.members(r) for r in group], parts) >= -_EPS:
            return False
        old = {int(u): int(st.label[u]) for p in parts for u in p}
        assigned = self._slots(group, parts)
        moves = [(int(u), assigned[k]) for k, part in enumerate(parts) for u in part
                 if st.label[u] != assigned[k]]
        for u, r in moves:
            st.move(u, r)
        if st.value < before - _EPS:
            for u, r in moves:
                self.lab_list[u] = r
                self._sync_boundary(u)
            for r in set(assigned) | set(group):
                if st.size[r] > 0:
                    self._update_ap(int(r))
            self._update_best()
            return True
        # revert
        for u, _r in reversed(moves):
            st.move(u, old[u])
        return False

    def _slots(self, group: tuple[int, ...], parts: list[np.ndarray]) -> list[int]:
        """Region label for each part: the group's label sharing most units with it, else a
        free label of the group, else a new region."""
        st = self.state
        assigned: list[int] = []
        for part in parts:
            cnt = {r: int((st.label[part] == r).sum()) for r in group if r not in assigned}
            r = max(cnt, key=lambda x: (cnt[x], -x)) if cnt else -1
            assigned.append(r if r >= 0 and cnt[r] > 0 else -1)
        for k, r in enumerate(assigned):
            if r == -1:
                free = [c for c in group if c not in assigned]
                if free:
                    assigned[k] = free[0]
        return [r if r != -1 else st.new_region() for r in assigned]

    def _partition(self, units: np.ndarray, k: int) -> list[np.ndarray] | None:
        """Cut ``units`` into k contiguous parts meeting min/max/covering (random trees)."""
        parts: list[np.ndarray] = []
        rest = units
        for left in range(k, 1, -1):
            cut = self._tree_cut(rest, left)
            if cut is None:
                return None
            part, rest = cut
            parts.append(part)
        p = self.inst.pupils[rest].sum()
        if p < self.min - _EPS or p > self.max + _EPS or not self._covers(rest):
            return None
        parts.append(rest)
        return parts

    def _tree_cut(self, units: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Cut one region-sized subtree off a random spanning tree of ``units``.

        The part must hold >= min pupils (<= max, covering) and leave >= (k-1) x min.
        """
        m = len(units)
        if m < k:
            return None
        rnd = self.pyrng.random
        tree = self._random_tree(units)
        if tree is None:
            return None
        root, parent, order = tree
        cand = self._cut_candidates(units, k, root, parent, order)
        if not cand:
            return None
        # prefer tight parts (leave the surplus for the other parts), with some randomness
        cand.sort()
        top = cand[: min(3, len(cand))]
        _, i, comp = top[int(rnd() * len(top))]
        children: list[list[int]] = [[] for _ in range(m)]
        for j in order[1:]:
            children[parent[j]].append(j)
        stack, below = [i], []
        while stack:
            x = stack.pop()
            below.append(x)
            stack.extend(children[x])
        mask = np.zeros(m, bool)
        mask[below] = True
        if comp:
            return units[~mask], units[mask]
        return units[mask], units[~mask]

    def _random_tree(self, units: np.ndarray) -> tuple[int, list[int], list[int]] | None:
        """A random spanning tree of ``units`` (Prim with random priorities): root, parent
        (position in ``units``, -1 for the root) and visiting order; None if not connected."""
        import heapq

        m = len(units)
        rnd = self.pyrng.random
        ul = units.tolist()
        pos = dict(zip(ul, range(m), strict=True))
        root = int(rnd() * m)
        parent = [-1] * m
        seen = [False] * m
        order: list[int] = []
        heap = [(0.0, root, -1)]
        while heap:
            _, i, par = heapq.heappop(heap)
            if seen[i]:
                continue
            seen[i] = True
            parent[i] = par
            order.append(i)
            for w in self.nbrs[ul[i]]:
                j = pos.get(w)
                if j is not None and not seen[j]:
                    heapq.heappush(heap, (rnd(), j, i))
        return (root, parent, order) if len(order) == m else None

    def _cut_candidates(self, units: np.ndarray, k: int, root: int, parent: list[int],
                        order: list[int]) -> list[tuple[float, int, bool]]:
        """Tree edges whose cut gives a valid part: (part pupils, node, part is the rest)."""
        sub = self.inst.pupils[units].tolist()
        for i in reversed(order[1:]):
            sub[parent[i]] += sub[i]
        covering = self.inst.provides.shape[1] > 0
        if covering:
            subp = self.inst.provides[units].copy()
            for i in reversed(order[1:]):
                subp[parent[i]] += subp[i]
        total = sub[root]
        lo = self.min - _EPS
        hi = min(total - (k - 1) * self.min + _EPS, self.max + _EPS)
        rest_max = (k - 1) * self.max + _EPS
        cand = []
        for i in order[1:]:
            s_ = sub[i]
            c_ = total - s_
            if lo <= s_ <= hi and c_ <= rest_max:
                if not covering or ((subp[i] > 0).all() and (subp[root] - subp[i] >= k - 1).all()):
                    cand.append((s_, i, False))
            if lo <= c_ <= hi and s_ <= rest_max:
                if not covering or ((subp[root] - subp[i] > 0).all() and (subp[i] >= k - 1).all()):
                    cand.append((c_, i, True))
        return cand
