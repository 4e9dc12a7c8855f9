"""Context factors of the inclusiefonds, computed from the Atlas (pure functions).

Every factor is a *mass* per PC4 area: an amount that adds up over areas, so that a gemeente's
or any region's factor is simply the sum over its PC4 areas (a region's factors are aggregated
from its PC4s). The fund distributes the budget of a factor in proportion to its mass. The
*intensity* shown to users is mass per pupil (a share, or km per pupil).

Pupils (``leerlingen``) are the pupils living in a PC4 area, from the Atlas' pupil flows
(``stromen``, summed over the school types of the fund's sectors). Flows are modelled in most
atlases, so everything derived from them is labelled *gemodelleerd*.

=================  ==========================================================================
factor             mass per PC4 area
=================  ==========================================================================
``eenouder``       pupils x share of one-parent households (``aandeel_eenouder``)
``uitkering``      pupils x benefit recipients per inhabitant (``aandeel_uitkering``)
``stedelijk``      pupils x (5 - stedelijkheid) / 4  (1 for very urban, 0 for not urban)
``landelijk``      pupils x (stedelijkheid - 1) / 4  (sparsity: 1 for not urban)
``speciaal``       pupils of the area in SBO, SO and VSO (from flows)
``reisafstand``    one-way km travelled by the area's SBO/SO/VSO pupils (flows x road km)
``kinderen``       children of school age living in the area (CBS ``kinderen_po`` and/or
                   ``kinderen_vo`` by the fund's sectors; observed population, not flows)
=================  ==========================================================================

Each factor has a *basis*: ``populatie`` (population and context: who lives there) or
``voorziening`` (``speciaal``, ``reisafstand``: money follows today's use of special schools
and the distances to them). The advice "Over de lijnen" wants to move from
*voorzieningsbekostiging* to *populatiebekostiging* and prevention, so the definition check and
the report label the second kind and show the share of the money that follows it.

Missing context values (``stedelijkheid``, ``aandeel_*`` may be empty) are filled with the
pupil-weighted mean of the gemeente, else of the country; the number filled is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabij.atlas.distance import DistanceModel
from nabij.sectors import AGE_COLUMNS, SECTORS

SPECIAL_TYPES: tuple[str, ...] = ("SBO", "SO", "VSO")


POPULATION = "populatie"
PROVISION = "voorziening"
PROVISION_LABEL = "voorzieningsbekostiging"
"""How users read a provision-based factor: money follows current provision."""


@dataclass(frozen=True)
class Factor:
    """A context factor: Dutch label, unit of its intensity and whether it rests on flows."""

    key: str
    label: str
    unit: str
    description: str
    from_flows: bool
    basis: str = "populatie"

    @property
    def provision_based(self) -> bool:
        """True for factors that pay for current provision (voorzieningsbekostiging)."""
        return self.basis == PROVISION


FACTORS: dict[str, Factor] = {
    f.key: f
    for f in (
        Factor("eenouder", "Eenoudergezinnen", "aandeel",
               "leerlingen maal het aandeel eenoudergezinnen onder huishoudens met kinderen",
               False),
        Factor("uitkering", "Uitkeringen", "aandeel",
               "leerlingen maal het aandeel inwoners met een uitkering (WW, bijstand, AO)",
               False),
        Factor("stedelijk", "Stedelijkheid", "index 0-1",
               "leerlingen maal de stedelijkheid (1 = zeer sterk stedelijk, 0 = niet stedelijk)",
               False),
        Factor("landelijk", "Spreiding (landelijkheid)", "index 0-1",
               "leerlingen maal de landelijkheid (1 = niet stedelijk, 0 = zeer sterk stedelijk)",
               False),
        Factor("speciaal", "Speciaal onderwijs", "aandeel",
               "leerlingen die naar SBO, SO of VSO gaan (gemodelleerd uit leerlingstromen)",
               True, PROVISION),
        Factor("reisafstand", "Reisafstand speciaal onderwijs", "km per leerling",
               "enkele-reis-kilometers van leerlingen naar SBO, SO en VSO (gemodelleerd)",
               True, PROVISION),
        Factor("kinderen", "Kinderen (schoolleeftijd)", "kinderen per leerling",
               "kinderen van schoolleeftijd die er wonen (CBS: 4-11 jaar voor PO, 12-17 voor "
               "VO)", False),
    )
}
"""All factors a fund definition may weigh, by key."""

CONTEXT_COLUMNS = {"eenouder": "aandeel_eenouder", "uitkering": "aandeel_uitkering"}


def sector_types(sectors: Iterable[str]) -> tuple[str, ...]:
    """School types of the school sectors ("PO", "VO")."""
    return tuple(t for s in sectors for t in SECTORS[s].types)


def pupils_by_pc4(atlas, sectors: Iterable[str] = ("PO", "VO")) -> pd.Series:
    """Pupils living in each PC4 area (all PC4s of the atlas, 0 where none), from flows."""
    ix = atlas.index
    m = ix.flow_mask(sector_types(sectors))
    n = np.bincount(ix.flow_home[m], weights=ix.flow_w[m], minlength=ix.n)
    return pd.Series(n, index=pd.Index(ix.pc4.to_numpy(object), name="pc4"))


def _filled(pc4: pd.DataFrame, column: str, weight: pd.Series) -> tuple[np.ndarray, int]:
    """Column values with gaps filled by the gemeente's, else the national weighted mean."""
    v = pd.to_numeric(pc4[column], errors="coerce") if column in pc4 else pd.Series(
        np.nan, index=pc4.index)
    v = v.astype(float)
    missing = int(v.isna().sum())
    if missing == 0:
        return v.to_numpy(), 0
    w = weight.to_numpy(float)
    ok = v.notna().to_numpy()
    frame = pd.DataFrame({"g": pc4["gemeente"].to_numpy(), "vw": np.where(ok, v.fillna(0) * w, 0),
                          "w": np.where(ok, w, 0), "n": ok.astype(float),
                          "v": v.fillna(0).to_numpy()})
    grp = frame.groupby("g")
    gw, gvw = grp["w"].transform("sum"), grp["vw"].transform("sum")
    gn, gv = grp["n"].transform("sum"), grp["v"].transform("sum")
    gmean = np.where(gw > 0, gvw / np.where(gw > 0, gw, 1), np.where(gn > 0, gv / np.where(
        gn > 0, gn, 1), np.nan))
    tw = frame["w"].sum()
    nat = frame["vw"].sum() / tw if tw > 0 else (v.mean() if ok.any() else 0.0)
    fill = np.where(np.isnan(gmean), nat, gmean)
    return np.where(ok, v.to_numpy(), fill), missing


def factor_masses(
    atlas,
    sectors: Iterable[str] = ("PO", "VO"),
    distance: DistanceModel | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Per PC4 area: ``leerlingen`` and the mass of every factor in :data:`FACTORS`.

    Returns the frame (index pc4, columns ``leerlingen`` + factor keys) and the number of
    PC4 areas whose context value was filled in, per factor.
    """
    sectors = tuple(sectors)
    pc4 = atlas.pc4
    pupils = pupils_by_pc4(atlas, sectors)
    n = pupils.to_numpy()
    out = pd.DataFrame({"leerlingen": n}, index=pupils.index)
    filled: dict[str, int] = {}
    for key, col in CONTEXT_COLUMNS.items():
        v, filled[key] = _filled(pc4, col, pupils.reset_index(drop=True))
        out[key] = n * np.clip(v, 0.0, 1.0)
    urb, filled["stedelijk"] = _filled(pc4, "stedelijkheid", pupils.reset_index(drop=True))
    filled["landelijk"] = filled["stedelijk"]
    urb = np.clip(urb, 1.0, 5.0)
    out["stedelijk"] = n * (5.0 - urb) / 4.0
    out["landelijk"] = n * (urb - 1.0) / 4.0
    types = [t for t in SPECIAL_TYPES if t in sector_types(sectors)]
    trips = atlas.index.trips(types, distance)
    pp, lv = trips["pc4_pos"].to_numpy(), trips["leerlingen"].to_numpy(float)
    out["speciaal"] = np.bincount(pp, weights=lv, minlength=len(out))
    out["reisafstand"] = np.bincount(pp, weights=lv * trips["km"].to_numpy(), minlength=len(out))
    kids = np.zeros(len(out))
    for sector, col in AGE_COLUMNS.items():
        if sector in tuple(sectors) and col in pc4:
            kids += pd.to_numeric(pc4[col], errors="coerce").fillna(0.0).to_numpy(float)
    out["kinderen"] = kids
    return out, filled


def aggregate(masses: pd.DataFrame, unit_of_pc4: pd.Series) -> pd.DataFrame:
    """Sum PC4 masses into units (gemeenten, SWVs, scenario regions); index = unit code."""
    units = unit_of_pc4.reindex(masses.index)
    if units.isna().any():
        units = units.fillna("onbekend")
    return masses.groupby(units.to_numpy()).sum().rename_axis("eenheid")


def intensities(masses: pd.DataFrame) -> pd.DataFrame:
    """Factor intensity per unit: mass per pupil (``speciaal``: share; ``reisafstand``: km)."""
    n = masses["leerlingen"].to_numpy(float)
    safe = np.where(n > 0, n, 1.0)
    out = pd.DataFrame(index=masses.index)
    out["leerlingen"] = n
    for key in FACTORS:
        if key in masses:
            out[key] = np.where(n > 0, masses[key].to_numpy(float) / safe, 0.0)
    return out


def gemeente_factors(atlas, sectors: Iterable[str] = ("PO", "VO")) -> pd.DataFrame:
    """Context factors per gemeente: pupils and the intensity of each factor."""
    masses, _ = factor_masses(atlas, sectors)
    gem = atlas.pc4.set_index(atlas.pc4["pc4"].astype(str))["gemeente"]
    return intensities(aggregate(masses, gem))
