"""Modelled pupil flows (table ``stromen``): a doubly-constrained gravity model per school type.

When a source has no observed flows (DUO "leerlingen per vestiging naar postcode"), the atlas
builder estimates them with this model and labels the table *modelled*.

Model
-----
For each school type t in BAO, SBO, SO, VSO, VO, PRO separately:

* **Origins** i are PC4 areas. Their pupil total O_i is either

  - *uncalibrated*: ``O_i = p_t * K_i``, with K_i the children of the sector's age in PC4 i
    (``kinderen_po`` for BAO/SBO/SO, ``kinderen_vo`` for VO/PRO/VSO) and p_t a national
    participation factor (:data:`DEFAULT_PARTICIPATION`, roughly national pupils of the type
    divided by the children of that age: BAO 0.95, SBO 0.024, SO 0.024, VO 0.755, PRO 0.025,
    VSO 0.032); or
  - *calibrated*: when a target table ``leerlingen_woongemeente`` (CBS 85701NED: pupils by home
    gemeente and type) gives a total L_gt for gemeente g, ``O_i = L_gt * K_i / sum_{i' in g}
    K_i'``, so that the totals per gemeente and school type match CBS exactly. A gemeente with
    target 0 sends no pupils of that type; a target for a gemeente whose PC4 areas have no
    children is spread evenly over its PC4 areas. Gemeenten without a target row for the type
    fall back to the uncalibrated rule; targets for gemeenten without PC4 areas cannot be
    placed (reported as ``unplaced_target`` in :class:`FlowResult`).

* **Destinations** j are the school locations of type t with capacity D_j = ``leerlingen``
  (> 0; locations with 0 pupils receive nothing). Origins are authoritative: when the
  national totals differ, the capacities are scaled by ``s = sum O / sum D`` so both margins
  add up to the same total (the origin totals come from CBS or the population, the school
  counts may be modelled or from another year).

* **Cost** c_ij is a road-ish distance: great-circle (haversine) km times a detour factor
  (default 1.3, :class:`nabij.atlas.distance.StraightLineDetour`; any
  :class:`~nabij.atlas.distance.DistanceModel` can be plugged in), with distance decay
  ``f(c) = exp(-c / beta_t)``. Default betas (km): BAO 1.5, VO 5, SBO 6, PRO 8, SO 12, VSO 12
  (:data:`DEFAULT_BETA_KM`): primary pupils go to a nearby school, special-school pupils travel
  much further.

* **Flows** ``T_ij = A_i O_i * B_j s D_j * f(c_ij)`` on a *sparse candidate set* of pairs:
  for each origin its k_t nearest schools of the type (k: BAO 12, SBO 12, PRO 12, VO 15,
  SO 25, VSO 25 by default, :data:`DEFAULT_K_NEAREST`; nearest in a planar projection), plus
  for each school its ``pc4_per_school`` (default 3) nearest origins and the PC4 area it lies
  in, so that every school can be reached. Pairs outside the set have no flow. The k are
  chosen so that the k-th nearest school is typically at least about 3 beta_t away at Dutch
  school densities: the decay, not the cut-off, shapes the flows.

* **Balancing** (Furness / iterative proportional fitting as sparse matrix-vector products):
  alternately ``A_i = 1 / sum_j B_j s D_j f_ij`` (rows: sum_j T_ij = O_i) and
  ``B_j = 1 / sum_i A_i O_i f_ij`` (columns: sum_i T_ij = s D_j), starting from B_j = 1.
  B_j is kept within [1/M, M] (``max_factor`` M = 1,000: a school is at most 1,000 times more
  or less attractive than its size says), so where the sparse problem is infeasible (a big
  school with little demand within reach) the factors cannot diverge and the school stays
  under- or over-filled instead. Iteration stops when, after a row step, the largest relative
  column error ``|sum_i T_ij - s D_j| / (s D_j)`` is below ``tol`` (1 %), when ``max_iter``
  (1,000) is reached, or when the misfit ``sum_j |sum_i T_ij - s D_j| / (2 sum_j s D_j)``
  (the share of pupils at the wrong school) fell by less than 1 % over 50 iterations. Every
  run ends on a row step, so origin totals are met exactly and destination totals
  approximately; :class:`TypeDiagnostics` reports iterations, max relative error, misfit and
  the pupil-weighted mean distance per type.

* **Output**: flows below ``min_flow`` (0.01 pupil) are dropped, except the largest flow of
  each origin, and each origin's remaining flows are rescaled to its total again; origins with
  a total below ``min_flow`` are dropped altogether. Flows are fractional.

What it models: *where pupils of a home area go to school*, given where the schools are, how
big they are and how far pupils of each type travel. It does not model school choice by
denomination or quality, board membership, SWV borders or cluster (1-4) of special schools;
its decay parameters are assumptions, not estimates from observed flows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from nabij.atlas.distance import DistanceModel, StraightLineDetour, project_km
from nabij.tables import SCHOOL_TYPES

AGE_COLUMN: dict[str, str] = {
    "BAO": "kinderen_po",
    "SBO": "kinderen_po",
    "SO": "kinderen_po",
    "VO": "kinderen_vo",
    "PRO": "kinderen_vo",
    "VSO": "kinderen_vo",
}
"""The PC4 column with the children a school type draws from."""

DEFAULT_BETA_KM: dict[str, float] = {
    "BAO": 1.5,
    "SBO": 6.0,
    "SO": 12.0,
    "VSO": 12.0,
    "VO": 5.0,
    "PRO": 8.0,
}
"""Distance-decay scale beta_t (km) of ``exp(-c / beta_t)``: an assumption per type."""

DEFAULT_K_NEAREST: dict[str, int] = {
    "BAO": 12,
    "SBO": 12,
    "SO": 25,
    "VSO": 25,
    "VO": 15,
    "PRO": 12,
}
"""Candidate schools per origin PC4 (nearest k of the type).

Chosen so that at Dutch school densities the k-th nearest school is typically at least about
3 beta_t (road km) away, so that the distance decay, not the truncation, shapes the flows.
"""

DEFAULT_PARTICIPATION: dict[str, float] = {
    "BAO": 0.95,
    "SBO": 0.024,
    "SO": 0.024,
    "VO": 0.755,
    "PRO": 0.025,
    "VSO": 0.032,
}
"""Pupils of the type per child of the sector's age (4-11 for PO, 12-17 for VO).

Approximate national ratios (2023): BAO 1.36 M, SBO 34 k, SO 35 k pupils over about 1.42 M
children aged 4-11; VO excl. PrO about 0.91 M, PrO 30 k, VSO 39 k over about 1.2 M aged 12-17.
Only used where no calibration target is given.
"""

COLUMNS = ["pc4", "vestiging", "soort", "leerlingen"]


@dataclass(frozen=True)
class FlowParams:
    """Parameters of the gravity model; per-type mappings may be partial (defaults fill in)."""

    beta_km: Mapping[str, float] = field(default_factory=dict)
    k_nearest: Mapping[str, int] = field(default_factory=dict)
    participation: Mapping[str, float] = field(default_factory=dict)
    pc4_per_school: int = 3
    distance: DistanceModel = field(default_factory=StraightLineDetour)
    tol: float = 0.01
    max_iter: int = 1000
    max_factor: float = 1e3
    min_flow: float = 0.01
    types: tuple[str, ...] = SCHOOL_TYPES

    def beta(self, soort: str) -> float:
        value = float(self.beta_km.get(soort, DEFAULT_BETA_KM[soort]))
        if not value > 0:
            raise ValueError(f"beta_km[{soort}] must be > 0, got {value}")
        return value

    def k(self, soort: str) -> int:
        value = int(self.k_nearest.get(soort, DEFAULT_K_NEAREST[soort]))
        if value < 1:
            raise ValueError(f"k_nearest[{soort}] must be >= 1, got {value}")
        return value

    def rate(self, soort: str) -> float:
        value = float(self.participation.get(soort, DEFAULT_PARTICIPATION[soort]))
        if value < 0:
            raise ValueError(f"participation[{soort}] must be >= 0, got {value}")
        return value


@dataclass(frozen=True)
class TypeDiagnostics:
    """How the model went for one school type."""

    soort: str
    origin_total: float
    capacity_total: float
    scale: float  # s = origin_total / capacity_total (capacities were multiplied by it)
    origins: int
    schools: int
    edges: int
    iterations: int
    max_rel_error: float  # largest relative column error |got - D| / D after balancing
    misfit: float  # share of pupils not matching a school's (scaled) capacity: sum|got-D|/2sum D
    mean_km: float  # pupil-weighted mean distance of the flows (per the distance model)
    unserved: float  # origin total that could not go anywhere (no school of the type)
    unplaced_target: float  # calibration target of gemeenten without PC4 areas


@dataclass(frozen=True)
class FlowResult:
    """Modelled flows plus diagnostics per school type."""

    stromen: pd.DataFrame
    diagnostics: dict[str, TypeDiagnostics]


def estimate_flows(
    pc4: pd.DataFrame,
    scholen: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    params: FlowParams | None = None,
) -> pd.DataFrame:
    """Modelled ``stromen`` (pc4, vestiging, soort, leerlingen) from the gravity model."""
    return gravity_flows(pc4, scholen, targets, params).stromen


def origin_totals(
    pc4: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    params: FlowParams | None = None,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Pupils per home PC4 and school type (the O_i of the model), calibrated to ``targets``.

    Returns a frame with columns pc4, soort, leerlingen (every PC4 x type in ``params.types``)
    and, per type, the target total that could not be placed (gemeenten without PC4 areas).
    """
    params = params or FlowParams()
    g_idx, g_codes = pd.factorize(pc4["gemeente"].astype(str))
    per_gemeente = np.bincount(g_idx, minlength=len(g_codes))
    frames = []
    unplaced: dict[str, float] = {}
    tgt = None
    if targets is not None and len(targets):
        tgt = targets.assign(
            gemeente=targets["gemeente"].astype(str), soort=targets["soort"].astype(str)
        ).groupby(["soort", "gemeente"])["leerlingen"].sum()
    for soort in params.types:
        kids = pd.to_numeric(pc4[AGE_COLUMN[soort]], errors="coerce").fillna(0.0)
        kids = kids.clip(lower=0.0).to_numpy(float)
        values = kids * params.rate(soort)
        unplaced[soort] = 0.0
        if tgt is not None and soort in tgt.index.get_level_values(0):
            t = tgt.loc[soort].astype(float)
            target = t.reindex(g_codes).to_numpy()[g_idx]  # NaN: no target for the gemeente
            has = ~np.isnan(target)
            kids_g = np.bincount(g_idx, weights=kids, minlength=len(g_codes))[g_idx]
            share = np.where(kids_g > 0, kids / np.where(kids_g > 0, kids_g, 1.0),
                             1.0 / per_gemeente[g_idx])
            values[has] = (target * share)[has]
            unplaced[soort] = float(t[~t.index.isin(g_codes)].sum())
        frames.append(pd.DataFrame({"pc4": pc4["pc4"].astype(str).to_numpy(), "soort": soort,
                                    "leerlingen": values}))
    if not frames:
        return pd.DataFrame(columns=["pc4", "soort", "leerlingen"]), unplaced
    return pd.concat(frames, ignore_index=True), unplaced


def gravity_flows(
    pc4: pd.DataFrame,
    scholen: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    params: FlowParams | None = None,
) -> FlowResult:
    """Run the model of this module's docstring; flows plus per-type diagnostics."""
    params = params or FlowParams()
    origins, unplaced = origin_totals(pc4, targets, params)
    pc4_codes = pc4["pc4"].astype(str).to_numpy()
    pc4_lat = pc4["lat"].to_numpy(float)
    pc4_lon = pc4["lon"].to_numpy(float)
    pc4_xy = project_km(pc4_lat, pc4_lon)
    pc4_index = pd.Index(pc4_codes)
    parts: list[pd.DataFrame] = []
    diagnostics: dict[str, TypeDiagnostics] = {}
    n_pc4 = len(pc4)
    for soort in params.types:
        o_all = origins["leerlingen"].to_numpy()[origins["soort"].to_numpy() == soort]
        o_idx = np.flatnonzero(o_all > 0)
        o_val = o_all[o_idx] if n_pc4 else np.zeros(0)
        sch = scholen[(scholen["soort"].astype(str) == soort)]
        sch = sch[pd.to_numeric(sch["leerlingen"], errors="coerce").fillna(0) > 0]
        cap = sch["leerlingen"].to_numpy(float)
        o_total, d_total = float(o_val.sum()), float(cap.sum())
        if len(o_idx) == 0 or len(sch) == 0:
            diagnostics[soort] = TypeDiagnostics(
                soort, o_total, d_total, 1.0, len(o_idx), len(sch), 0, 0, 0.0, 0.0, 0.0,
                o_total if len(sch) == 0 else 0.0, unplaced[soort])
            continue
        scale = o_total / d_total
        dest = cap * scale
        s_lat, s_lon = sch["lat"].to_numpy(float), sch["lon"].to_numpy(float)
        s_xy = project_km(s_lat, s_lon)
        own = None
        if "pc4" in sch.columns:
            # position of each school's own PC4 area among the origins (-1: not an origin)
            pos = np.full(n_pc4 + 1, -1)
            pos[o_idx] = np.arange(len(o_idx))
            own = pos[pc4_index.get_indexer(sch["pc4"].astype(str).to_numpy())]
        r, c = _candidate_edges(pc4_xy[o_idx], s_xy, own, params.k(soort),
                                params.pc4_per_school)
        d_km = np.asarray(params.distance.km(pc4_lat[o_idx[r]], pc4_lon[o_idx[r]],
                                             s_lat[c], s_lon[c]), float)
        w = np.exp(-d_km / params.beta(soort))
        flow, iterations, err = _furness(r, c, w, o_val, dest, params.tol, params.max_iter,
                                         params.max_factor)
        got = np.bincount(c, weights=flow, minlength=len(dest))
        misfit = float(np.abs(got - dest).sum() / (2 * dest.sum()))
        mean_km = float((flow * d_km).sum() / flow.sum()) if flow.sum() > 0 else 0.0
        r, c, flow = _prune(r, c, flow, o_val, params.min_flow)
        diagnostics[soort] = TypeDiagnostics(
            soort, o_total, d_total, scale, len(o_idx), len(sch), len(w), iterations, err,
            misfit, mean_km, 0.0, unplaced[soort])
        parts.append(pd.DataFrame({
            "pc4": pc4_codes[o_idx[r]],
            "vestiging": sch["vestiging"].astype(str).to_numpy()[c],
            "soort": soort,
            "leerlingen": flow,
        }))
    if parts:
        stromen = pd.concat(parts, ignore_index=True)
    else:
        stromen = pd.DataFrame({"pc4": pd.Series(dtype=str), "vestiging": pd.Series(dtype=str),
                                "soort": pd.Series(dtype=str),
                                "leerlingen": pd.Series(dtype=float)})
    return FlowResult(stromen[COLUMNS], diagnostics)


def _candidate_edges(
    o_xy: np.ndarray,
    s_xy: np.ndarray,
    own_origin: np.ndarray | None,
    k: int,
    per_school: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Sparse (origin, school) pairs: k nearest schools per origin, nearest origins per school
    and each school's own PC4 area (``own_origin``: origin position or -1).

    Returns row indices into the origins and column indices into the schools, unique pairs.
    """
    n_o, n_s = len(o_xy), len(s_xy)
    k = min(k, n_s)
    _, nn = cKDTree(s_xy).query(o_xy, k=k)
    rows = [np.repeat(np.arange(n_o), k)]
    cols = [np.asarray(nn).reshape(n_o, k).ravel()]
    m = min(per_school, n_o)
    if m > 0:
        _, nn_o = cKDTree(o_xy).query(s_xy, k=m)
        rows.append(np.asarray(nn_o).reshape(n_s, m).ravel())
        cols.append(np.repeat(np.arange(n_s), m))
    if own_origin is not None:  # the PC4 area a school lies in, when it is an origin
        ok = own_origin >= 0
        rows.append(own_origin[ok])
        cols.append(np.flatnonzero(ok))
    key = np.unique(np.concatenate(rows).astype(np.int64) * n_s + np.concatenate(cols))
    return key // n_s, key % n_s


def _furness(
    r: np.ndarray,
    c: np.ndarray,
    w: np.ndarray,
    origin: np.ndarray,
    dest: np.ndarray,
    tol: float,
    max_iter: int,
    max_factor: float = 1e3,
    check_every: int = 50,
) -> tuple[np.ndarray, int, float]:
    """Doubly-constrained balancing on edges (r, c) with weights w; rows exact, columns ~tol.

    Flows are ``w * a[r] * dest[c] * b[c]``; the column factors b start at 1 and stay within
    [1/max_factor, max_factor], so they cannot diverge when the sparse problem is infeasible.
    Stops when the max relative column error is below ``tol``, after ``max_iter`` iterations,
    or when the misfit (sum |column error| / 2 sum dest) fell by less than 1 % over the last
    ``check_every`` iterations (the bounded problem has converged). Always ends on a row step.
    Returns the flow per edge, the number of iterations and the final max relative column error.
    """
    n_o, n_d = len(origin), len(dest)
    wd = w * dest[c]
    mat = csr_matrix((wd, (r, c)), shape=(n_o, n_d))  # sums duplicates; edges are unique
    mat_t = mat.T.tocsr()
    b = np.ones(n_d)
    a = np.zeros(n_o)
    err = np.inf
    iterations = 0
    last_misfit = np.inf
    for iterations in range(1, max(1, max_iter) + 1):
        row = mat @ b
        a = np.divide(origin, row, out=np.zeros(n_o), where=row > 0)
        col = mat_t @ a  # column sums / b
        gap = np.abs(b * col - dest)
        err = float(np.max(gap / dest)) if n_d else 0.0
        if err < tol or iterations >= max_iter:
            break
        if iterations % check_every == 0:
            misfit = float(gap.sum() / (2 * dest.sum()))
            if misfit > 0.99 * last_misfit:
                break
            last_misfit = misfit
        b = np.clip(np.divide(dest, col, out=np.full(n_d, max_factor), where=col > 0),
                    1.0 / max_factor, max_factor)
    return wd * a[r] * b[c], iterations, err


def _prune(
    r: np.ndarray, c: np.ndarray, flow: np.ndarray, origin: np.ndarray, min_flow: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop flows < min_flow (keeping each origin's largest) and rescale rows to their totals."""
    if min_flow <= 0:
        keep = flow > 0
        return r[keep], c[keep], flow[keep]
    n_o = len(origin)
    row_max = np.zeros(n_o)
    np.maximum.at(row_max, r, flow)
    keep = (flow >= min_flow) | (flow >= row_max[r])
    keep &= flow > 0
    r, c, flow = r[keep], c[keep], flow[keep]
    row = np.bincount(r, weights=flow, minlength=n_o)
    flow = flow * np.divide(origin, row, out=np.zeros(n_o), where=row > 0)[r]
    keep = flow >= min_flow
    return r[keep], c[keep], flow[keep]
