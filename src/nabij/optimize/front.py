"""Optimum scale as a visible trade-off: the Pareto front over the weight on change.

The advice asks for an "optimale schaal" (seed 000, advies 1) but no single objective says what
a policy officer is willing to give up for it. :func:`pareto_front` makes the trade-off
visible: for a range of weights on *verandering* (change against the status quo) it optimises
the division (grensverkeer and thuisnabijheid in the objective, every region contiguous, at
least the minimum and at most the maximum of pupils), warm-starting each run from the previous
one, and measures every division with the measures of :mod:`nabij.measures` (so the front and
the comparison table count the same way):

* ``verandering`` — share of pupils that change region (``verandering_leerlingen``),
* ``grensverkeer`` — share of pupils at school outside their home region,
* ``thuisnabij`` — share of children with each required provision within 20 km
  (``thuisnabij_binnen_20km``; higher is better).

A division on the front is *valid* when the measures count 0 regions below the minimum, 0 above
the maximum and 0 non-contiguous ones; divisions that another division of the front or a seed
scenario (status quo, S1, S2, S3, fusie) beats on (verandering, grensverkeer) are left out and
listed. The division called "optimaal" is the *knee* of the front: on the curve of grensverkeer
against verandering (both scaled to 0..1 over the front), the point farthest below the straight
line between the two ends — where one more percent of pupils changing region stops buying much
less grensverkeer.

The optimizer works on PC4 areas here (so status-quo SWVs that split a gemeente can stay as
they are), on the one adjacency of the atlas index (ferry links included) that the measures use
too: a region contiguous for the optimizer is contiguous for the measures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.defaults import (
    FRONT_CHANGE_WEIGHTS,
    FRONT_DISTANCE_WEIGHT,
    FRONT_MIN_POINTS,
    FRONT_TIME_PER_POINT_S,
    MIN_REGION_PUPILS,
)
from nabij.divisions import Division
from nabij.divisions.scale import largest_status_quo, max_rule_text
from nabij.errors import InputError, Problem
from nabij.measures.definitions import Params
from nabij.measures.engine import front_summary
from nabij.optimize.heuristic import HeuristicSolver, violations
from nabij.optimize.infeasible import InfeasibleError, check_feasible, fmt
from nabij.optimize.objective import ObjectiveModel, Weights
from nabij.optimize.problem import AreaGraph, Constraints, area_graph, compile_instance
from nabij.optimize.regionalizer import _region_codes

FRONT_BASE_WEIGHTS = Weights(border=1.0, distance=FRONT_DISTANCE_WEIGHT, regions=0.0)
"""The rest of the objective on the front: grensverkeer and distance, no reward for more
regions (the minimum and the maximum bound the scale)."""

AXES = {"verandering": "verandering_leerlingen", "grensverkeer": "grensverkeer",
        "thuisnabij": "thuisnabij_binnen_20km"}
"""Front axis -> measure key."""


@dataclass
class FrontPoint:
    """One division with its position on the axes and its validity counts."""

    name: str
    division: Division
    values: dict[str, float]
    weight: float | None = None  # weight on change (None: a seed scenario)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return all(v == 0 for v in self.counts.values())

    def as_dict(self) -> dict:
        return {"naam": self.name, "gewicht_verandering": self.weight,
                "regios": self.division.n_regions} | self.values | self.counts


@dataclass
class Front:
    """The Pareto front, the seed scenarios on the same axes, and the knee."""

    sector: str
    min_pupils: float
    max_pupils: float
    points: list[FrontPoint]
    seeds: list[FrontPoint]
    knee: int
    left_out: list[dict]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def optimum(self) -> Division:
        return self.points[self.knee].division

    def table(self) -> pd.DataFrame:
        rows = [p.as_dict() | {"soort": "front", "knik": i == self.knee}
                for i, p in enumerate(self.points)]
        rows += [s.as_dict() | {"soort": "scenario", "knik": False} for s in self.seeds]
        return pd.DataFrame(rows)

    def recipe(self) -> dict:
        """What the knee's recipe records about the front (JSON-safe)."""
        return {
            "front": [p.as_dict() | {"knik": i == self.knee} for i, p in enumerate(self.points)],
            "front_scenarios": [s.as_dict() for s in self.seeds],
            "front_weggelaten": self.left_out,
            "knik_uitleg": knee_text(self),
            "max_regel": max_rule_text(self.sector),
        }


def _division(graph: AreaGraph, labels: np.ndarray, name: str, recipe: dict) -> Division:
    codes, names = _region_codes(graph, labels)
    members = graph.members
    assert members is not None  # graphs built from an atlas have PC4 members
    assignment = pd.Series(codes[members.to_numpy()], index=members.index.astype(str))
    return Division(name, graph.sector, assignment, recipe, names)


def _start_labels(graph: AreaGraph, inst, division: Division | None) -> np.ndarray | None:
    """Unit labels from a division (each gemeente to the region of most of its PC4 areas)."""
    if division is None or graph.members is None:
        return None
    reg = division.assignment.reindex(graph.members.index.astype(str))
    df = pd.DataFrame({"area": graph.members.to_numpy(), "r": reg.to_numpy()}).dropna()
    top = (df.groupby(["area", "r"]).size().reset_index(name="n")
           .sort_values(["area", "n", "r"], ascending=[True, False, True])
           .drop_duplicates("area").set_index("area")["r"])
    filled = top.reindex(range(graph.n)).fillna(top.iloc[0]).to_numpy()
    area_lab = pd.Index(sorted(set(filled))).get_indexer(filled)
    unit = np.zeros(inst.n, np.int64)
    unit[inst.unit_of] = area_lab
    return unit


def optimise_points(
    atlas: Atlas,
    sector: str,
    min_pupils: float,
    max_pupils: float,
    weights: Sequence[float] = FRONT_CHANGE_WEIGHTS,
    time_per_point: float = FRONT_TIME_PER_POINT_S,
    seed: int = 0,
    start: Division | None = None,
    provisions: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    level: str = "pc4",
) -> list[tuple[float, Division]]:
    """One optimised division per weight on change (warm-started from the previous one)."""
    graph = area_graph(atlas, sector, level, None, provisions)
    c = Constraints(min_pupils=min_pupils, max_pupils=max_pupils)
    check_feasible(graph, c, ())
    inst = compile_instance(graph, c)
    prev = _start_labels(graph, inst, start)
    out = []
    base = ObjectiveModel(inst, replace(FRONT_BASE_WEIGHTS, change=1.0))
    for k, w in enumerate(weights):
        if progress:
            progress(f"punt {k + 1} van {len(weights)} (gewicht verandering {w:g})")
        model = base.reweighted(replace(FRONT_BASE_WEIGHTS, change=float(w)))
        res = HeuristicSolver(time_limit=time_per_point, seed=seed + k).solve(inst, model,
                                                                              start=prev)
        if res.labels.size == 0 or violations(inst, res.labels):
            continue
        prev = res.labels
        recipe = {
            "bouwer": "optimaal-front", "scenario": "optimaal", "sector": sector,
            "regel": "Pareto-front over het gewicht op verandering; elke regio aaneengesloten, "
                     f"minstens {fmt(min_pupils)} en hoogstens {fmt(max_pupils)} leerlingen",
            "min_leerlingen": min_pupils, "max_leerlingen": max_pupils,
            "gewichten": replace(FRONT_BASE_WEIGHTS, change=float(w)).as_dutch(),
            "tijd_per_punt_s": time_per_point, "seed": seed + k, "niveau": level,
        }
        out.append((float(w), _division(graph, inst.area_labels(res.labels),
                                        f"Front {sector} (verandering x{w:g})", recipe)))
    return out


def seed_divisions(atlas: Atlas, sector: str) -> list[Division]:
    """The seed scenarios of one sector: status quo, S1, S2, S3, fusie."""
    from nabij.divisions import (
        dekkend_division,
        funderend_division,
        fusie_division,
        jeugdregio_division,
        status_quo,
    )
    from nabij.divisions.natural import natural_funderend

    if sector == "PO+VO":
        return [funderend_division(atlas), jeugdregio_division(atlas, "PO+VO")]
    s1 = next(d for d in natural_funderend(atlas) if d.sector == sector)
    return [status_quo(atlas, sector), s1, jeugdregio_division(atlas, sector),
            dekkend_division(atlas, sector), fusie_division(atlas, sector)]


def _dominates(a: dict[str, float], b: dict[str, float], keys: Sequence[str]) -> bool:
    """a is at least as good on every key and better on one (all keys: lower is better)."""
    le = all(a[k] <= b[k] + 1e-12 for k in keys)
    return le and any(a[k] < b[k] - 1e-12 for k in keys)


def _lower(values: dict[str, float]) -> dict[str, float]:
    return {"verandering": values["verandering"], "grensverkeer": values["grensverkeer"],
            "thuisnabij": -values["thuisnabij"]}


def knee_index(points: Sequence[FrontPoint]) -> int:
    """Point farthest below the chord of grensverkeer against verandering (scaled 0..1); with
    fewer than three points the one with least change."""
    if len(points) <= 2:
        return int(np.argmin([p.values["verandering"] for p in points])) if points else 0
    v = np.array([p.values["verandering"] for p in points])
    g = np.array([p.values["grensverkeer"] for p in points])
    vs = (v - v.min()) / max(v.max() - v.min(), 1e-12)
    gs = (g - g.min()) / max(g.max() - g.min(), 1e-12)
    i0, i1 = int(np.argmin(v)), int(np.argmax(v))
    # distance below the line from (vs[i0], gs[i0]) to (vs[i1], gs[i1])
    dx, dy = vs[i1] - vs[i0], gs[i1] - gs[i0]
    below = (dx * (gs - gs[i0]) - dy * (vs - vs[i0])) / max(np.hypot(dx, dy), 1e-12)
    return int(np.argmin(below))


def pct(x: float) -> str:
    return f"{100 * x:.1f}%".replace(".", ",")


def knee_text(front: Front) -> str:
    """Dutch explanation of why the knee is called optimaal."""
    p = front.points[front.knee]
    if len(front.points) < 3:
        return (f"De front heeft {len(front.points)} punt(en): bij elk gewicht op verandering "
                "vond de optimalisator (binnen de rekentijd) dezelfde of een slechtere indeling. "
                f"'Optimaal' is daarom het punt met de minste verandering "
                f"({pct(p.values['verandering'])} van de leerlingen wisselt van regio, "
                f"grensverkeer {pct(p.values['grensverkeer'])}); een knik is niet te bepalen.")
    lo = min(front.points, key=lambda x: x.values["verandering"])
    hi = max(front.points, key=lambda x: x.values["verandering"])

    return (
        f"'Optimaal' is de knik van de front: {pct(p.values['verandering'])} van de leerlingen "
        f"wisselt van regio en het grensverkeer is {pct(p.values['grensverkeer'])}. Van de "
        f"kleinste verandering op de front ({pct(lo.values['verandering'])}, grensverkeer "
        f"{pct(lo.values['grensverkeer'])}) tot hier koopt elke extra procent leerlingen dat "
        "van regio wisselt veel minder grensverkeer; daarna, tot de grootste verandering "
        f"({pct(hi.values['verandering'])}, grensverkeer {pct(hi.values['grensverkeer'])}), "
        "koopt het nog maar weinig. De knik is het punt dat het verst onder de rechte lijn "
        "tussen beide uiteinden ligt (verandering en grensverkeer geschaald van 0 tot 1 over "
        "de front); meer verandering dan daar kost vooral onrust, minder laat veel "
        "grensverkeer liggen.")


def _points(summaries: Sequence[dict], divisions: Sequence[Division],
            weights: Sequence[float | None]) -> list[FrontPoint]:
    out = []
    for s, d, w in zip(summaries, divisions, weights, strict=True):
        values = {axis: float(s.get(key) or 0.0) for axis, key in AXES.items()}
        counts = {"regios_klein": int(s["regios_klein"]), "regios_groot": int(s["regios_groot"]),
                  "niet_aaneengesloten": int(s["niet_aaneengesloten"])}
        out.append(FrontPoint(d.name, d, values, w, counts))
    return out


def _filter(points: list[FrontPoint], seeds: list[FrontPoint]) -> tuple[list, list[dict]]:
    """Drop invalid and dominated points; return (kept, left-out records)."""
    left: list[dict] = []
    kept = []
    for p in points:
        if not p.valid:
            left.append({"naam": p.name, "reden": "ongeldig"} | p.counts)
            continue
        beaten = next((s for s in seeds if _dominates(s.values, p.values,
                                                      ("verandering", "grensverkeer"))), None)
        if beaten is not None:
            left.append({"naam": p.name, "reden": f"verslagen door {beaten.name}"})
            continue
        kept.append(p)
    front: list[FrontPoint] = []
    for p in kept:
        other = next((q for q in kept if q is not p and _dominates(
            _lower(q.values), _lower(p.values), ("verandering", "grensverkeer", "thuisnabij"))),
            None)
        if other is not None:
            left.append({"naam": p.name, "reden": f"verslagen door {other.name}"})
            continue
        if any(_lower(q.values) == _lower(p.values) for q in front):
            left.append({"naam": p.name, "reden": "dezelfde uitkomst als een ander punt"})
            continue
        front.append(p)
    front.sort(key=lambda p: p.values["verandering"])
    return front, left


def pareto_front(
    atlas: Atlas,
    sector: str = "PO",
    min_pupils: float = MIN_REGION_PUPILS,
    max_pupils: float | None = None,
    weights: Sequence[float] = FRONT_CHANGE_WEIGHTS,
    time_per_point: float = FRONT_TIME_PER_POINT_S,
    seed: int = 0,
    provisions: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Front:
    """The front of valid divisions over ``weights`` on change, seeds on the same axes."""
    t0 = time.perf_counter()
    if max_pupils is None:
        max_pupils = largest_status_quo(atlas, sector)
    if max_pupils < min_pupils:
        raise InfeasibleError("Maximum kleiner dan minimum", [Problem(
            f"het maximum ({fmt(max_pupils)} leerlingen) is kleiner dan het minimum "
            f"({fmt(min_pupils)})")])
    seeds = seed_divisions(atlas, sector)
    fusie = next((d for d in seeds if d.recipe.get("scenario") == "fusie"), None)
    pts = optimise_points(atlas, sector, min_pupils, max_pupils, weights, time_per_point, seed,
                          fusie, provisions, progress)
    if progress:
        progress("meten")
    divisions = [d for _, d in pts] + seeds
    params = Params(small_region=min_pupils, large_region=max_pupils)
    sums = front_summary(atlas, divisions, params, provisions)
    points = _points(sums[:len(pts)], [d for _, d in pts], [w for w, _ in pts])
    seed_pts = _points(sums[len(pts):], seeds, [None] * len(seeds))
    front, left = _filter(points, seed_pts)
    notes = []
    if not front:  # every valid point is beaten by a scenario: show them, and say so
        front, left = _filter(points, [])
        notes.append("Elke gevonden indeling wordt door een van de scenario's verslagen op "
                     "verandering en grensverkeer; de front toont ze toch.")
    if not front:
        raise InputError("Geen geldige indeling op de front", [Problem(
            "geen enkele gevonden indeling voldoet aan minimum, maximum en aaneengeslotenheid; "
            "geef meer rekentijd (--tijd)")])
    if len(front) < FRONT_MIN_POINTS:
        notes.append(f"De front heeft {len(front)} punten (minder dan {FRONT_MIN_POINTS}): "
                     "meerdere gewichten gaven dezelfde of een door een scenario verslagen "
                     "indeling; geef meer rekentijd (--tijd).")
    out = Front(sector, min_pupils, max_pupils, front, seed_pts, 0, left,
                time.perf_counter() - t0, notes)
    out.knee = knee_index(front)
    return out


def optimum_division(front: Front, name: str) -> Division:
    """The knee of the front as the "optimaal" division, its recipe recording the front."""
    d = front.optimum
    return d.renamed(name, **front.recipe())
