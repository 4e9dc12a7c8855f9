"""The optimizer's front door: configure a :class:`Regionalizer`, ``fit(atlas)``, get a Division.

    >>> from nabij.optimize import Regionalizer
    >>> result = Regionalizer(sector="PO", min_pupils=12_000, nest="jeugdregio",
    ...                       objective="evenwichtig", time_limit=20).fit(atlas)
    >>> result.division.n_regions, result.objective, result.report

``method="auto"`` uses the heuristic (:mod:`nabij.optimize.heuristic`) and, on small
instances (at most :data:`EXACT_MAX_UNITS` units), continues with the exact CP-SAT model
(:mod:`nabij.optimize.exact`) warm-started from the heuristic's division, which proves
optimality when it finishes in time.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nabij.defaults import (
    MIN_REGION_PUPILS,
    OPTIMIZE_LEVEL,
    OPTIMIZE_OBJECTIVE,
    OPTIMIZE_SEED,
    OPTIMIZE_TIME_LIMIT_S,
)
from nabij.divisions import Division
from nabij.errors import InputError, Problem
from nabij.optimize.exact import solve_exact
from nabij.optimize.heuristic import Callback, HeuristicSolver, SolveResult, violations
from nabij.optimize.infeasible import check_feasible, fmt, search_failed
from nabij.optimize.objective import ObjectiveModel, Weights
from nabij.optimize.problem import (
    LEVELS,
    NESTS,
    AreaGraph,
    Constraints,
    area_graph,
    compile_instance,
    locked_groups,
    sector_provisions,
)
from nabij.sectors import SECTORS, parse_level, parse_sector

EXACT_MAX_UNITS = 24
"""``method="auto"`` also runs the exact model up to this many units."""
EXACT_LIMIT = 80
"""``method="exact"`` refuses larger instances (the model grows with the square of units)."""

METHODS = ("auto", "heuristic", "exact")
SECTOR_LABEL = {code: s.label for code, s in SECTORS.items()}


@dataclass
class OptimizeResult:
    """What :meth:`Regionalizer.fit` returns.

    ``division`` is a :class:`nabij.divisions.Division` named ``optimaal`` (None when the
    graph has no PC4 areas, e.g. a synthetic grid); ``labels`` maps each area code to its
    region code; ``objective`` is the value of the objective (lower is better) and
    ``components`` its raw parts (``regios``, ``grensverkeer`` in pupils, ``afstand`` in
    child-km, ``verandering``, ``heterogeniteit``); ``history`` lists (seconds, best objective)
    pairs; ``report`` holds Dutch notes (islands, locked groups, status, modelled data).
    """

    division: Division | None
    labels: pd.Series
    objective: float
    components: dict[str, float]
    history: list[tuple[float, float]]
    report: list[str]
    status: str
    method: str
    seconds: float
    bound: float | None = None
    region_names: dict[str, str] = field(default_factory=dict)

    @property
    def n_regions(self) -> int:
        return int(self.labels.nunique())


class Regionalizer:
    """Find a division of areas into regions under hard constraints (estimator style).

    Parameters mirror ``nabij optimize``: ``sector`` (PO, VO, PO+VO), ``min_pupils`` and
    ``max_pupils`` per region, ``nest`` (``jeugdregio``/``provincie``: no region crosses their
    borders), ``covering`` (every region holds each of ``provision_types``), ``locked``
    (status-quo region codes, area codes or lists of area codes that must stay together; see
    :func:`nabij.optimize.problem.locked_groups`), ``objective`` (preset name) with optional
    ``weights`` overrides, ``level`` (``gemeente`` or ``pc4``), ``method``, ``time_limit``
    (seconds) and ``seed``. ``attributes`` names the PC4 columns of the heterogeneity term;
    ``callback(seconds, best, info)`` is called with progress (return False to stop).
    """

    def __init__(
        self,
        sector: str = "PO",
        min_pupils: float = MIN_REGION_PUPILS,
        max_pupils: float | None = None,
        nest: str | None = None,
        covering: bool = False,
        provision_types: Sequence[str] | None = None,
        locked: Sequence | None = None,
        objective: str | Weights | dict = OPTIMIZE_OBJECTIVE,
        weights: dict | None = None,
        level: str = OPTIMIZE_LEVEL,
        method: str = "auto",
        time_limit: float = OPTIMIZE_TIME_LIMIT_S,
        seed: int = OPTIMIZE_SEED,
        attributes: Sequence[str] | None = None,
        callback: Callback | None = None,
    ) -> None:
        sector = parse_sector(sector).code
        if nest is not None:
            nest = parse_level(nest, NESTS, option="nest")
        level = parse_level(level, LEVELS)
        method = parse_level(method, METHODS, option="methode")
        self.sector = sector
        self.min_pupils = float(min_pupils)
        self.max_pupils = None if max_pupils is None else float(max_pupils)
        self.nest = nest
        self.covering = covering
        self.provision_types = tuple(provision_types) if provision_types else None
        self.locked = list(locked or [])
        self.objective = objective
        self.weights = dict(weights or {})
        self.level = level
        self.method = method
        self.time_limit = float(time_limit)
        self.seed = int(seed)
        self.attributes = attributes
        self.callback = callback
        Weights.of(objective, self.weights)  # validate early

    # -- recipe --------------------------------------------------------------------------
    def recipe(self) -> dict:
        """All parameters, as recorded in the Division's recipe (Dutch keys)."""
        w = Weights.of(self.objective, self.weights)
        return {
            "bouwer": "optimaal",
            "scenario": "optimaal",
            "sector": self.sector,
            "min_leerlingen": self.min_pupils,
            "maat": "leerlingen op schoolvestigingen in de regio",
            "max_leerlingen": self.max_pupils,
            "binnen": self.nest,
            "dekkend": self.covering,
            "voorzieningen": list(self.provision_types or sector_provisions(self.sector)),
            "vergrendeld": [x if isinstance(x, str) else list(x) for x in self.locked],
            "doel": self.objective if isinstance(self.objective, str) else "eigen gewichten",
            "gewichten": w.as_dutch(),
            "niveau": self.level,
            "methode": self.method,
            "tijdslimiet_s": self.time_limit,
            "seed": self.seed,
            "kenmerken": list(self.attributes) if self.attributes is not None else None,
        }

    # -- fitting -------------------------------------------------------------------------
    def fit(self, atlas) -> OptimizeResult:
        """Optimise the division of ``atlas``'s areas; raises InfeasibleError when impossible."""
        graph = area_graph(atlas, self.sector, self.level, self.attributes,
                           self.provision_types)
        result = self.fit_graph(graph)
        if atlas.meta.status("stromen") != "observed":
            result.report.append(
                "Grensverkeer is berekend met gemodelleerde leerlingstromen (geschat, niet "
                "waargenomen).")
        return result

    def fit_graph(self, graph: AreaGraph) -> OptimizeResult:
        """Optimise a prepared :class:`AreaGraph` (tests, benchmarks, custom graphs)."""
        t0 = time.perf_counter()
        groups = locked_groups(graph, self.locked) if self.locked else ()
        covering_types = (self.provision_types or graph.provision_types) if self.covering \
            else ()
        c = Constraints(
            min_pupils=self.min_pupils, max_pupils=self.max_pupils, nest=self.nest,
            covering=self.covering, provision_types=tuple(covering_types) or None,
            locked=groups,
        )
        check_feasible(graph, c, tuple(covering_types))
        inst = compile_instance(graph, c)
        model = ObjectiveModel(inst, Weights.of(self.objective, self.weights))
        # the time limit covers everything: leave a little for building the result
        budget = self.time_limit - (time.perf_counter() - t0)
        budget -= min(0.05 * self.time_limit, 0.02 + 2e-5 * graph.n)
        res, method = self._solve(inst, model, max(budget, 0.01))
        if res.labels.size == 0:
            raise search_failed([])
        bad = violations(inst, res.labels)
        if bad:
            raise search_failed(bad)
        seconds = time.perf_counter() - t0
        return self._result(graph, inst, model, res, method, seconds)

    def _solve(self, inst, model, budget: float) -> tuple[SolveResult, str]:
        method = self.method
        small = inst.n <= EXACT_MAX_UNITS
        if method == "exact":
            if inst.n > EXACT_LIMIT:
                raise InputError("Te groot voor het exacte model", [Problem(
                    f"{inst.n} gebieden; het exacte model (CP-SAT) kan hoogstens {EXACT_LIMIT} "
                    "aan: kies de heuristiek (--methode heuristiek)")])
            res = solve_exact(inst, model, budget, self.seed)
            if res.labels.size == 0 and res.status == "onhaalbaar":
                raise search_failed(["het exacte model bewijst dat er geen indeling bestaat "
                                     "die aan alle randvoorwaarden voldoet"])
            return res, "exact"
        share = 0.3 if (method == "auto" and small) else 1.0
        h = HeuristicSolver(time_limit=budget * share, seed=self.seed,
                            callback=self.callback).solve(inst, model)
        if method == "heuristic" or not small:
            return h, "heuristic"
        left = max(budget - h.history[-1][0] if h.history else budget, 0.2)
        e = solve_exact(inst, model, left, self.seed,
                        hint=h.labels if h.labels.size else None)
        if e.labels.size and (not h.labels.size or e.value <= h.value + 1e-12):
            e.history = h.history + [(round(h.history[-1][0] + e.history[-1][0], 4)
                                      if h.history else e.history[-1][0], e.value)]
            if self.callback is not None:
                self.callback(e.history[-1][0], e.value, {"regios": len(set(e.labels))})
            return e, "exact"
        if e.status == "optimaal":
            h.status = "optimaal"
            h.bound = e.bound
        return h, "heuristic"

    # -- output --------------------------------------------------------------------------
    def _result(self, graph, inst, model, res, method, seconds) -> OptimizeResult:
        area_lab = inst.area_labels(res.labels)
        codes, names = _region_codes(graph, area_lab)
        labels = pd.Series(codes, index=pd.Index(graph.codes.astype(str), name="gebied"),
                           name="regio")
        comp = model.components(res.labels)
        report = list(inst.notes)
        p = int(comp["regios"])
        report.append(f"{p} regio's gevonden (bovengrens {inst.p_max} bij minimaal "
                      f"{fmt(self.min_pupils)} leerlingen per regio).")
        if res.status == "optimaal":
            report.append("De indeling is bewezen optimaal voor het gekozen doel.")
        elif res.bound is not None:
            report.append(f"Heuristische oplossing; ondergrens van het doel {res.bound:.6g}.")
        else:
            report.append("Heuristische oplossing (niet bewezen optimaal).")
        division = None
        if graph.members is not None:
            assignment = pd.Series(labels.to_numpy()[graph.members.to_numpy()],
                                   index=graph.members.index.astype(str))
            recipe = self.recipe() | {
                "doelwaarde": float(res.value),
                "onderdelen": {k: float(v) for k, v in comp.items()},
                "status": res.status,
                "gebruikte_methode": method,
                "rekentijd_s": round(seconds, 2),
                "notities": report,
            }
            division = Division("optimaal", self.sector, assignment, recipe, names)
        return OptimizeResult(
            division=division, labels=labels, objective=float(res.value), components=comp,
            history=list(res.history), report=report, status=res.status, method=method,
            seconds=seconds, bound=res.bound, region_names=names,
        )


def _region_codes(graph: AreaGraph, area_lab: np.ndarray) -> tuple[np.ndarray, dict]:
    """Region codes ``OPT-01``.. numbered north to south; named after their largest area."""
    uniq = np.unique(area_lab)
    w = graph.pupils + 1e-9
    if graph.lat is not None and graph.lon is not None:
        lat = np.array([np.average(graph.lat[area_lab == r], weights=w[area_lab == r])
                        for r in uniq])
        lon = np.array([np.average(graph.lon[area_lab == r], weights=w[area_lab == r])
                        for r in uniq])
        order = np.lexsort((lon, -np.round(lat, 3)))
    else:
        first = np.array([np.flatnonzero(area_lab == r)[0] for r in uniq])
        order = np.argsort(first)
    width = max(2, len(str(len(uniq))))
    code_of = {}
    names = {}
    for k, i in enumerate(order):
        r = uniq[i]
        code = f"OPT-{k + 1:0{width}d}"
        code_of[r] = code
        idx = np.flatnonzero(area_lab == r)
        big = idx[np.argmax(graph.pupils[idx])]
        names[code] = f"Regio {graph.names[big]}"
    return np.array([code_of[r] for r in area_lab], dtype=object), names
