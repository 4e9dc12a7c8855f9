"""An exact CP-SAT (OR-Tools) model for small instances: optimal divisions and bounds.

Formulation (units i, j in index order; a region is *represented* by its lowest unit):

* ``y[i, j]`` = 1 when unit i is in the region represented by unit j (j <= i, same nesting
  component); ``y[j, j]`` = 1 when j represents a region. Every unit is in exactly one region:
  ``sum_j y[i, j] = 1`` and ``y[i, j] <= y[j, j]``. Labelling regions by their lowest unit
  removes the symmetry of interchangeable region numbers.
* Minimum / maximum pupils: ``min * y[j, j] <= sum_i pupils_i y[i, j] <= max * y[j, j]``
  (pupils scaled to integers, rounded so that the integer constraint implies the real one).
* Covering: ``sum_{i providing t} y[i, j] >= y[j, j]`` for each required type t.
* Contiguity by single-commodity flow (Shirabe 2005): the representative j sends one unit of
  flow to every other member of its region along arcs whose two ends are both members
  (``f[j, u, w] <= (n_j - 1) y[u, j]`` and ``<= (n_j - 1) y[w, j]``), and each member absorbs one.
* Objective: the pairwise terms as ``sum Q[u, v] s[u, v]`` with ``s[u, v] = sum_j y[u, j] AND
  y[v, j]`` (only the linearisation direction the sign of Q needs), the distance term by
  choosing for each area and type at most one site inside its region (``z <= s``) or the
  capped outside distance, and the reward for regions ``-w_P / P_max sum_j y[j, j]``.
  Coefficients are scaled to integers; the reported objective is re-evaluated exactly.

Use it for up to a few dozen units; the heuristic is for national scale.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from nabij.optimize.heuristic import SolveResult
from nabij.optimize.objective import ObjectiveModel
from nabij.optimize.problem import Instance

_SCALE_TOP = 1e12


class _CpBuilder:
    """Builds the CP-SAT model in named phases: assignment, size and covering, contiguity,
    then the objective terms (pairwise, regions, distance)."""

    def __init__(self, inst: Instance, model: ObjectiveModel) -> None:
        from ortools.sat.python import cp_model

        self.inst, self.model = inst, model
        self.n = inst.n
        self.m = cp_model.CpModel()
        self.terms: list[tuple[float, object]] = []
        self.const = model.const
        self._same: dict[tuple[int, int], Any] = {}
        self._done: dict[tuple[int, int], set] = {}

    # -- constraints ------------------------------------------------------------------------
    def assignment(self) -> None:
        """y[i, j]: unit i in the region represented by unit j (j <= i, same component)."""
        n, comp, m = self.n, self.inst.component, self.m
        self.reps_of = [[j for j in range(i + 1) if comp[j] == comp[i]] for i in range(n)]
        self.y = y = {(i, j): m.new_bool_var(f"y{i}_{j}") for i in range(n)
                      for j in self.reps_of[i]}
        for i in range(n):
            m.add_exactly_one(y[i, j] for j in self.reps_of[i])
            for j in self.reps_of[i]:
                if j != i:
                    m.add_implication(y[i, j], y[j, j])
        self.members_of = {j: [i for i in range(j, n) if (i, j) in y] for j in range(n)}

    def size_and_cover(self) -> None:
        """Minimum / maximum pupils (scaled to integers) and the covering of provisions."""
        inst, c, m, y = self.inst, self.inst.constraints, self.m, self.y
        s_pup = 1000.0
        lo = [int(np.floor(p * s_pup)) for p in inst.pupils]
        hi = [int(np.ceil(p * s_pup)) for p in inst.pupils]
        for j in range(self.n):
            mem = self.members_of[j]
            if c.min_pupils > 0:
                need = int(np.ceil(c.min_pupils * s_pup - 1e-6))
                m.add(sum(lo[i] * y[i, j] for i in mem) >= need * y[j, j])
            if c.max_pupils is not None:
                cap = int(np.floor(c.max_pupils * s_pup + 1e-6))
                m.add(sum(hi[i] * y[i, j] for i in mem) <= cap * y[j, j])
            for t in range(inst.provides.shape[1]):
                prov = [i for i in mem if inst.provides[i, t] > 0]
                m.add(sum(y[i, j] for i in prov) >= y[j, j])

    def contiguity(self) -> None:
        """Single-commodity flow from each representative along arcs inside its region."""
        edges = self.inst.edge_list()
        for j in range(self.n):
            mem = self.members_of[j]
            if len(mem) > 1:
                self._region_flow(j, mem, edges)

    def _region_flow(self, j: int, mem: list[int], edges) -> None:
        m, y = self.m, self.y
        memset = set(mem)
        big = len(mem) - 1
        arcs = [(u, w) for u, w in edges if u in memset and w in memset]
        arcs += [(w, u) for u, w in arcs]
        f = {a: m.new_int_var(0, big, f"f{j}_{a[0]}_{a[1]}") for a in arcs}
        out_of: dict[int, list] = {u: [] for u in mem}
        into: dict[int, list] = {u: [] for u in mem}
        for (u, w), var in f.items():
            m.add(var <= big * y[u, j])
            m.add(var <= big * y[w, j])
            out_of[u].append(var)
            into[w].append(var)
        m.add(sum(out_of[j]) - sum(into[j]) == sum(y[i, j] for i in mem if i != j))
        for u in mem:
            if u != j:
                m.add(sum(into[u]) - sum(out_of[u]) == y[u, j])

    # -- objective --------------------------------------------------------------------------
    def same(self, u: int, v: int, lower: bool) -> Any:
        """s[u, v] = 1 iff u and v share a region; only the direction the objective needs is
        enforced (upper bounds when s is rewarded, lower bounds when it is penalised)."""
        key = (min(u, v), max(u, v))
        u, v = key
        if key not in self._same:
            common = [j for j in self.reps_of[u] if (v, j) in self.y]
            self._same[key] = self.m.new_bool_var(f"s{u}_{v}") if common else 0
            self._done[key] = set()
        s = self._same[key]
        side = "lower" if lower else "upper"
        if isinstance(s, int) or side in self._done[key]:
            return s
        self._done[key].add(side)
        if lower:
            self._same_lower(s, u, v)
        else:
            self._same_upper(s, u, v)
        return s

    def _same_lower(self, s, u: int, v: int) -> None:
        for j in self.reps_of[u]:
            if (v, j) in self.y:
                self.m.add_bool_or([s, self.y[u, j].negated(), self.y[v, j].negated()])

    def _same_upper(self, s, u: int, v: int) -> None:
        m = self.m
        for j in set(self.reps_of[u]) | set(self.reps_of[v]):
            yu, yv = self.y.get((u, j)), self.y.get((v, j))
            if yu is not None and yv is not None:
                m.add_bool_or([s.negated(), yu.negated(), yv])
                m.add_bool_or([s.negated(), yu, yv.negated()])
            elif yu is not None:
                m.add_implication(s, yu.negated())
            elif yv is not None:
                m.add_implication(s, yv.negated())

    def pairwise_terms(self) -> None:
        model, n = self.model, self.n
        q = model.Q
        if model.dense:
            iu, iv = np.triu_indices(n, 1)
            qv = q[iu, iv]
        else:
            qc = q.tocoo()
            sel = qc.row < qc.col
            iu, iv, qv = qc.row[sel], qc.col[sel], qc.data[sel]
        for u, v, coef in zip(iu.tolist(), iv.tolist(), qv.tolist(), strict=True):
            if coef == 0:
                continue
            s = self.same(u, v, lower=coef > 0)
            if not isinstance(s, int):
                self.terms.append((coef, s))

    def region_terms(self, fixed_p: int | None) -> None:
        wr = self.model.weights.regions / self.model.p_max
        reps = [self.y[j, j] for j in range(self.n)]
        if fixed_p is not None:
            self.m.add(sum(reps) == fixed_p)
            self.const -= wr * fixed_p
        elif wr:
            self.terms += [(-wr, r) for r in reps]

    def distance_terms(self) -> None:
        """Per area and type at most one site inside its region, else the capped distance."""
        model = self.model
        dd = model.dist
        wd = model.weights.distance / model.norm_distance if dd is not None else 0.0
        if not wd or dd is None:
            return
        for x in np.flatnonzero(dd.kids > 0):
            s0, e0 = dd.c_indptr[x], dd.c_indptr[x + 1]
            kx, capx = float(dd.kids[x]), float(dd.cap[x])
            self.const += wd * kx * capx
            u = int(dd.row_unit[x])
            zs = []
            for k, km in zip(dd.c_unit[s0:e0].tolist(), dd.c_km[s0:e0].tolist(), strict=True):
                z = self.m.new_bool_var(f"z{x}_{k}")
                if k != u:
                    sv = self.same(u, k, lower=False)
                    if isinstance(sv, int):
                        self.m.add(z == 0)
                    else:
                        self.m.add_implication(z, sv)
                zs.append(z)
                self.terms.append((wd * kx * (km - capx), z))
            if zs:
                self.m.add_at_most_one(zs)


def _build(inst: Instance, model: ObjectiveModel, regions_only: bool = False,
           fixed_p: int | None = None):
    """The CP-SAT model: variables y, objective terms [(coef, var)] and the constant."""
    b = _CpBuilder(inst, model)
    b.assignment()
    b.size_and_cover()
    b.contiguity()
    if regions_only:
        return b.m, b.y, [(-1.0, b.y[j, j]) for j in range(b.n)], 0.0
    b.pairwise_terms()
    b.region_terms(fixed_p)
    b.distance_terms()
    return b.m, b.y, b.terms, b.const


def solve_exact(
    instance: Instance,
    model: ObjectiveModel,
    time_limit: float = 60.0,
    seed: int = 0,
    hint: np.ndarray | None = None,
    workers: int = 2,
) -> SolveResult:
    """Solve with CP-SAT; ``status`` is ``optimaal`` when proven, else ``toegelaten``.

    When the reward for regions dominates (``maxp``), the model is solved in two stages: first
    the largest number of regions, then the rest of the objective with that number fixed.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    lexi = model.weights.regions / max(model.p_max, 1) > 1.0
    fixed = None
    proven = True
    if lexi:
        m, y, terms, const = _build(instance, model, regions_only=True)
        res = _run(m, y, terms, const, instance.n, 0.5 * time_limit, seed, hint, workers)
        if res is None or res[0] == "onhaalbaar":
            return _fail(res)
        status, labels, _ = res
        fixed = len(np.unique(labels))
        proven = status == "optimaal"
        hint = labels
    m, y, terms, const = _build(instance, model, fixed_p=fixed)
    res = _run(m, y, terms, const, instance.n, max(deadline - time.perf_counter(), 0.1), seed,
               hint, workers)
    if res is None or res[0] == "onhaalbaar":
        return _fail(res)
    status, labels, bound = res
    value = model.value(labels)
    if not proven:
        status = "toegelaten"
        bound = None
    t = time.perf_counter() - t0
    return SolveResult(labels=labels, value=value, history=[(round(t, 4), value)],
                       status=status, bound=bound)


def _fail(res) -> SolveResult:
    what = res[0] if res is not None else "geen oplossing gevonden"
    return SolveResult(labels=np.zeros(0, np.int64), value=np.inf, status=what)


def _run(m, y, terms, const, n, time_limit, seed, hint, workers):
    from ortools.sat.python import cp_model

    if terms:
        top = max(abs(cf) for cf, _ in terms)
        scale = _SCALE_TOP / top if top > 0 else 1.0
        m.minimize(sum(int(round(cf * scale)) * var for cf, var in terms))
    else:
        scale = 1.0
    if hint is not None:
        reps: dict[int, int] = {}
        for i in range(n):
            reps.setdefault(int(hint[i]), i)
        for (i, j), var in y.items():
            m.add_hint(var, 1 if reps[int(hint[i])] == j else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(max(time_limit, 0.1))
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return ("onhaalbaar", None, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    labels = np.empty(n, dtype=np.int64)
    for (i, j), var in y.items():
        if solver.value(var):
            labels[i] = j
    bound = float(solver.best_objective_bound) / scale + const if terms else None
    return ("optimaal" if status == cp_model.OPTIMAL else "toegelaten", labels, bound)
