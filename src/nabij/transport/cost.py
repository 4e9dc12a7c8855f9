"""Leerlingenvervoer: who is transported to SBO/SO/VSO, how far, and what it costs.

Cost model (documented; every number is a parameter of :class:`CostParams`)
-------------------------------------------------------------------------
* **Trips** are the Atlas' pupil flows (home PC4 -> school location) to SBO, SO and VSO, with
  a road-ish distance d (km, one way) from the PC4 centroid to the school: great-circle x the detour
  factor (:class:`nabij.atlas.distance.StraightLineDetour`). Flows are usually modelled, so every
  output here is labelled *gemodelleerd*.
* **Eligibility** (distance rule): a pupil of type t is eligible when d > X_t km. Default X:
  SBO 6 km (the distance limit for primary schools in the VNG modelverordening
  leerlingenvervoer), SO and VSO 0 km (pupils of special schools are usually eligible because
  of their disability, whatever the distance). Configurable per type.
* **Take-up** (the documented share): of the eligible pupils of type t a share u_t is
  transported, calibrated so that the transported pupils per pupil of the type equal the
  national rate rho_t: u_t = min(1, rho_t x P_t / E_t) with P_t the pupils and E_t the
  eligible pupils of type t in the Atlas. rho_t = 75,000 transported pupils (Monitor
  leerlingenvervoer 2024, 2023/24) x the share of type t among them (SO 39 %, VSO 31 %,
  SBO 18 %; VNG monitor 2016/17, stable 2012-2016) / the national pupils of type t (SBO
  33,919, SO 34,510, VSO ~38,500; FIGURES.md section 2): SO 0.85, VSO 0.60, SBO 0.40.
  BAO and VO pupils (12 % of transported pupils) are outside this model.
* **Cost** per transported pupil per year: c(d) = a + b x d, a fixed part (contract, vehicle,
  accompaniment, waiting) and a part per one-way km. Calibrated so that the mean cost per
  transported pupil in the Atlas is EUR 3,978 (monitor, 2023/24) with a fixed share of 35 %
  (assumption): a = 0.35 x 3,978, b = 0.65 x 3,978 / mean d of transported pupils. On the
  whole Netherlands this gives about 66,000 pupils and EUR 265 M, i.e. 88 % of the monitor's
  75,000 pupils and EUR 299 M (the rest is BAO/VO transport).
* **Kilometres and travel time** per year: pupil-km = transported x d x 2 trips x 200 school
  days; hours = pupil-km / 30 km/h (door-to-door speed of a taxibus with stops; assumption).

A calibrated :class:`CostModel` keeps a, b and u_t fixed, so what-ifs
(:mod:`nabij.transport.whatif`) change costs only through distances and eligibility.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.atlas.distance import DistanceModel, StraightLineDetour
from nabij.atlas.index import positions
from nabij.defaults import SCHOOL_DAYS, TRANSPORT_SPEED_KMH, TRANSPORT_THRESHOLD_KM
from nabij.errors import InputError
from nabij.io import writers as export
from nabij.io.numbers import nl_number
from nabij.privacy import DEFAULT_THRESHOLD, publish, publish_values, published_totals

TRANSPORT_TYPES: tuple[str, ...] = ("SBO", "SO", "VSO")
MONITOR_PUPILS = 75_000
"""Transported pupils 2023/24 (Monitor leerlingenvervoer 2024, Oberon for OCW)."""
MONITOR_COST = 299_000_000
"""Cost of pupil transport to gemeenten in 2023 (same monitor)."""
MONITOR_COST_PER_PUPIL = 3_978.0
"""Mean cost per transported pupil 2023/24 (same monitor)."""
TYPE_SHARE = {"SO": 0.39, "VSO": 0.31, "SBO": 0.18}
"""Share of transported pupils by school type (VNG monitor 2016/17; BAO 9 %, VO 3 % not here)."""
NATIONAL_PUPILS = {"SBO": 33_919, "SO": 34_510, "VSO": 38_500}
"""National pupils by type (DUO 2023 for SBO/SO; VSO derived for 2022/23), FIGURES.md §2."""
DEFAULT_RATE = {t: TYPE_SHARE[t] * MONITOR_PUPILS / NATIONAL_PUPILS[t] for t in TRANSPORT_TYPES}
"""Transported pupils per pupil of the type, nationally (rho_t)."""
MODELLED_SHARE = sum(TYPE_SHARE.values())
"""Share of all transported pupils the model covers (SBO+SO+VSO = 0.88)."""
DEFAULT_THRESHOLD_KM = dict(TRANSPORT_THRESHOLD_KM)
MODELLED = "gemodelleerd"


def nl(x: float, digits: int = 0) -> str:
    """A number the Dutch way: 1.234.567 / 3,25."""
    return nl_number(x, digits)


@dataclass(frozen=True)
class CostParams:
    """Assumptions of the cost model (see the module docstring)."""

    threshold_km: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLD_KM))
    rate: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATE))
    cost_per_pupil: float = MONITOR_COST_PER_PUPIL
    fixed_share: float = 0.35
    school_days: int = SCHOOL_DAYS
    trips_per_day: int = 2
    speed_kmh: float = TRANSPORT_SPEED_KMH
    distance: DistanceModel = field(default_factory=StraightLineDetour)

    def threshold(self, soort: str) -> float:
        return float(self.threshold_km.get(soort, DEFAULT_THRESHOLD_KM.get(soort, 0.0)))


@dataclass(frozen=True)
class CostModel:
    """A calibrated (or given) cost model: take-up per type, EUR fixed and EUR per km."""

    params: CostParams
    take_up: Mapping[str, float]
    fixed_eur: float
    per_km_eur: float
    notes: tuple[str, ...] = ()

    def evaluate(self, trips: pd.DataFrame) -> pd.DataFrame:
        """Add ``vervoerd``, ``kosten``, ``leerlingkm`` and ``reisuren`` (per year) to trips."""
        p = self.params
        km = trips["km"].to_numpy(float)
        n = trips["leerlingen"].to_numpy(float)
        thr, up = np.zeros(len(trips)), np.zeros(len(trips))
        for t, sel in type_masks(trips).items():
            thr[sel] = p.threshold(t)
            up[sel] = float(self.take_up.get(t, 0.0))
        moved = n * up * (km > thr)
        out = trips.copy()
        out["vervoerd"] = moved
        out["kosten"] = moved * (self.fixed_eur + self.per_km_eur * km)
        out["leerlingkm"] = moved * km * p.trips_per_day * p.school_days
        out["reisuren"] = out["leerlingkm"] / p.speed_kmh
        return out


def type_masks(trips: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean row mask per school type present in ``trips``."""
    codes, uniques = pd.factorize(trips["soort"])
    return {str(u): codes == i for i, u in enumerate(uniques)}


def calibrate(trips: pd.DataFrame, params: CostParams | None = None) -> CostModel:
    """Calibrate take-up per type and the cost per km on ``trips`` (see module docstring)."""
    p = params or CostParams()
    if not 0 <= p.fixed_share < 1:
        raise InputError("vaste kostenaandeel moet tussen 0 en 1 liggen")
    take_up: dict[str, float] = {}
    notes = []
    masks = type_masks(trips)
    for t in TRANSPORT_TYPES:
        sel = masks.get(t, np.zeros(len(trips), bool))
        n = trips["leerlingen"].to_numpy(float)[sel]
        elig = n[trips["km"].to_numpy(float)[sel] > p.threshold(t)].sum()
        target = float(p.rate.get(t, 0.0)) * n.sum()
        u = min(1.0, target / elig) if elig > 0 else 0.0
        if elig > 0 and target > elig:
            notes.append(f"{t}: minder leerlingen boven de afstandsgrens ({nl(elig)}) dan het "
                         f"landelijke vervoersaandeel vraagt ({nl(target)}); iedereen boven "
                         "de grens telt als vervoerd.")
        take_up[t] = u
    base = CostModel(p, take_up, 0.0, 0.0)
    ev = base.evaluate(trips)
    v = ev["vervoerd"].to_numpy(float)
    mean_km = float((v * ev["km"].to_numpy(float)).sum() / v.sum()) if v.sum() > 0 else 0.0
    fixed = p.fixed_share * p.cost_per_pupil
    per_km = (1 - p.fixed_share) * p.cost_per_pupil / mean_km if mean_km > 0 else 0.0
    if mean_km <= 0:
        fixed = p.cost_per_pupil
    notes.insert(0, f"Kostenmodel: € {nl(fixed)} vast + € {nl(per_km, 2)} per km enkele reis "
                 f"per vervoerde leerling per jaar (gemiddeld € {nl(p.cost_per_pupil)}, "
                 f"gemiddelde afstand vervoerde leerlingen {nl(mean_km, 1)} km).")
    return CostModel(p, take_up, fixed, per_km, tuple(notes))


@dataclass
class TransportResult:
    """Pupil transport per trip, per gemeente (home), per type, and totals (all modelled)."""

    model: CostModel
    trips: pd.DataFrame
    per_gemeente: pd.DataFrame
    per_soort: pd.DataFrame
    totals: dict
    notes: list[str]
    per_regio: pd.DataFrame | None = None
    threshold: int = DEFAULT_THRESHOLD
    suppress: bool = True

    def published(self) -> dict[str, pd.DataFrame]:
        """Every table as published, through :func:`nabij.privacy.publish` (counts below the
        threshold hidden with complementary cells; cost per transported pupil hidden with
        the count it reveals)."""
        out = {}
        for name in ("per_gemeente", "per_regio", "per_soort"):
            df = getattr(self, name)
            if df is None:
                continue
            out[name] = publish(df, threshold=self.threshold, suppress=self.suppress)
        out["totaal"] = published_totals(self.totals, self.threshold, self.suppress)
        return out

    def published_totals(self) -> dict:
        """The headline totals as published (counts below the threshold hidden)."""
        return publish_values(self.totals, self.threshold, suppress=self.suppress)

    def write(self, out: str | Path) -> list[Path]:
        return export.write_tables(
            out, "vervoer", self.published(), self.notes, "Leerlingenvervoer (gemodelleerd)",
            {"format": "nabij-vervoer", "version": 1, "totaal": self.published_totals(),
             "toelichting": self.notes})


def transport_trips(atlas, params: CostParams | None = None) -> pd.DataFrame:
    """Flows to SBO/SO/VSO with km and positions (``pc4_pos``, ``school_pos``, ``gem_pos``:
    row numbers in ``atlas.pc4``, ``atlas.scholen``, ``atlas.gemeenten``)."""
    p = params or CostParams()
    trips = atlas.index.trips(TRANSPORT_TYPES, p.distance)
    gem_of_pc4 = positions(atlas.pc4["gemeente"], atlas.gemeenten["gemeente"])
    trips["gem_pos"] = gem_of_pc4[trips["pc4_pos"].to_numpy()]
    return trips


def label_trips(trips: pd.DataFrame, atlas) -> pd.DataFrame:
    """Trips with readable codes added: pc4, vestiging (``NIEUW-k`` for new places), gemeente."""
    out = trips.copy()
    pc4 = atlas.pc4["pc4"].astype(str).to_numpy(object)
    vest = np.append(atlas.scholen["vestiging"].astype(str).to_numpy(object), "")
    gem = atlas.gemeenten["gemeente"].astype(str).to_numpy(object)
    sp = out["school_pos"].to_numpy()
    n = len(vest) - 1
    v = vest[np.minimum(sp, n)]
    new = sp >= n
    if new.any():
        v = v.copy()
        v[new] = [f"NIEUW-{k - n + 1}" for k in sp[new]]
    out.insert(0, "pc4", pc4[out["pc4_pos"].to_numpy()])
    out.insert(1, "vestiging", v)
    out.insert(2, "gemeente", gem[out["gem_pos"].to_numpy()])
    return out


def transport_costs(
    atlas,
    params: CostParams | None = None,
    model: CostModel | None = None,
    level=None,
    threshold: int = DEFAULT_THRESHOLD,
) -> TransportResult:
    """Costs of pupil transport on the Atlas (calibrated unless ``model`` is given).

    ``level`` (optional): a fund level name or a Division for an extra per-region table.
    """
    p = model.params if model is not None else (params or CostParams())
    trips = transport_trips(atlas, p)
    model = model or calibrate(trips, p)
    ev = model.evaluate(trips)
    per_gem = by_gemeente(ev, atlas)
    per_regio = None
    if level is not None:
        per_regio = by_level(ev, atlas, level)
    g = ev.groupby("soort", observed=True)
    per_soort = g[["leerlingen", "vervoerd", "kosten", "leerlingkm"]].sum().reset_index()
    per_soort["soort"] = per_soort["soort"].astype(str)
    per_soort["aandeel_vervoerd"] = np.round(per_soort["vervoerd"] / per_soort["leerlingen"], 3)
    per_soort["kosten"] = per_soort["kosten"].round(0)
    per_soort["herkomst"] = MODELLED
    totals = totals_of(ev, model)
    notes = [
        "Leerlingenvervoer naar SBO, SO en VSO; leerlingstromen en kosten zijn gemodelleerd.",
        *model.notes,
        "Afstandsregel: vervoer als de afstand (weg, enkele reis) groter is dan "
        + ", ".join(f"{t} {p.threshold(t):g} km" for t in TRANSPORT_TYPES)
        + "; daarvan wordt per schoolsoort een vast aandeel vervoerd: "
        + ", ".join(f"{t} {100 * model.take_up.get(t, 0):.0f} %" for t in TRANSPORT_TYPES) + ".",
        "Kalibratie: Monitor leerlingenvervoer 2024 (75.000 leerlingen, € 299 mln, € 3.978 per "
        "leerling in 2023/24). Het model dekt SBO, SO en VSO (88 % van de vervoerde leerlingen); "
        "vervoer naar BAO en VO valt erbuiten.",
        f"Kilometers per jaar: {p.trips_per_day} ritten x {p.school_days} schooldagen; reistijd "
        f"bij {p.speed_kmh:g} km/u gemiddeld (aanname).",
    ]
    return TransportResult(model, label_trips(ev, atlas), per_gem, per_soort, totals, notes,
                           per_regio, threshold)


def by_gemeente(ev: pd.DataFrame, atlas) -> pd.DataFrame:
    """:func:`by_unit` per home gemeente (column ``gemeente``)."""
    g = atlas.gemeenten
    out = by_unit(ev, ev["gem_pos"].to_numpy(), g["gemeente"].astype(str).tolist(),
                  dict(zip(g["gemeente"].astype(str), g["naam"].astype(str), strict=False)))
    return out.rename(columns={"eenheid": "gemeente"})


def by_level(ev: pd.DataFrame, atlas, level) -> pd.DataFrame:
    """:func:`by_unit` per region of a fund level name or a Division."""
    from nabij.divisions.units import units_for

    units = units_for(atlas, level)
    of = units.of_pc4.reindex(atlas.pc4["pc4"].astype(str)).fillna("onbekend").astype(str)
    codes = sorted(set(of))
    pos_of_pc4 = pd.Index(codes).get_indexer(of.to_numpy(object))
    return by_unit(ev, pos_of_pc4[ev["pc4_pos"].to_numpy()], codes, dict(units.names))


def by_unit(ev: pd.DataFrame, unit_pos: np.ndarray, codes: list[str],
            names: Mapping[str, str]) -> pd.DataFrame:
    """Per unit (home gemeente or region): pupils by type, transported, km, hours, costs.

    ``unit_pos`` gives each trip's position in ``codes``; units without pupils are left out.
    """
    m = len(codes)
    pos = np.asarray(unit_pos)

    def tot(values: np.ndarray) -> np.ndarray:
        return np.bincount(pos, weights=values, minlength=m)

    n = ev["leerlingen"].to_numpy(float)
    out = pd.DataFrame({"eenheid": codes, "naam": [names.get(c, c) for c in codes],
                        "leerlingen": tot(n)})
    masks = type_masks(ev)
    for t in TRANSPORT_TYPES:
        out[f"leerlingen_{t.lower()}"] = tot(np.where(masks.get(t, False), n, 0.0))
    v = tot(ev["vervoerd"].to_numpy(float))
    lkm = tot(n * ev["km"].to_numpy(float))
    cost = tot(ev["kosten"].to_numpy(float))
    out["vervoerd"] = v
    with np.errstate(invalid="ignore", divide="ignore"):
        out["gemiddelde_afstand_km"] = np.round(np.where(out["leerlingen"] > 0,
                                                         lkm / out["leerlingen"], np.nan), 2)
        out["leerlingkm"] = tot(ev["leerlingkm"].to_numpy(float)).round(0)
        out["reisuren"] = tot(ev["reisuren"].to_numpy(float)).round(0)
        out["kosten"] = cost.round(0)
        out["kosten_per_vervoerde"] = np.round(np.where(v > 0, cost / v, np.nan), 0)
    out["herkomst"] = MODELLED
    return out[out["leerlingen"] > 0].reset_index(drop=True)


def totals_of(ev: pd.DataFrame, model: CostModel) -> dict:
    """National (atlas-wide) totals of an evaluated trips table."""
    v = float(ev["vervoerd"].sum())
    cost = float(ev["kosten"].sum())
    return {
        "leerlingen_sbo_so_vso": round(float(ev["leerlingen"].sum()), 1),
        "vervoerde_leerlingen": round(v, 1),
        "kosten": round(cost),
        "kosten_per_vervoerde": round(cost / v) if v > 0 else 0,
        "leerlingkm_per_jaar": round(float(ev["leerlingkm"].sum())),
        "reisuren_per_jaar": round(float(ev["reisuren"].sum())),
        "gemiddelde_afstand_vervoerd_km": round(float((ev["vervoerd"] * ev["km"]).sum() / v), 2)
        if v > 0 else 0.0,
        "vast_per_leerling": round(model.fixed_eur, 2),
        "per_km_per_leerling": round(model.per_km_eur, 2),
        "landelijk_equivalent_incl_bao_vo": round(cost / MODELLED_SHARE),
    }
