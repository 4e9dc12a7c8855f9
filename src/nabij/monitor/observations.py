"""Observations (numerator, denominator per unit and period) for each kind of indicator.

* ``deelname``: pupils by home gemeente and school type (:class:`PupilHistory`, the CBS series
  or the synthetic history);
* ``afstand``, ``grensverkeer``, ``vervoer``: nabij's own measures and transport model on the
  atlas, one school year (the atlas' reference year), per PC4, always *gemodelleerd*;
* ``register``: counts from the register CSV (:mod:`nabij.monitor.register`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions import Division
from nabij.monitor.catalogue import Catalogue, Indicator
from nabij.monitor.history import PupilHistory
from nabij.monitor.series import OBS_COLUMNS, WHOLE_YEAR, empty_observations
from nabij.tables import SCHOOL_TYPES


def reference_school_year(atlas: Atlas) -> int:
    """The school year of the atlas: reference year 2024 is school year 2023/'24."""
    return int(atlas.meta.reference_year) - 1


def deelname(history: PupilHistory, catalogue: Catalogue) -> pd.DataFrame:
    """Observations of every ``deelname`` indicator whose school types the history has."""
    p = history.pupils
    wide = p.pivot_table(index=["gemeente", "schooljaar"], columns="soort", values="leerlingen",
                         aggfunc="sum", fill_value=0.0)
    status = p.groupby(["gemeente", "schooljaar"])["status"].max()
    out_wide = None
    if len(history.outside):
        out_wide = history.outside.pivot_table(index="schooljaar", columns="soort",
                                               values="leerlingen", aggfunc="sum",
                                               fill_value=0.0)
    frames = []
    for ind in catalogue:
        if ind.berekening != "deelname" or not set(ind.teller) <= set(wide.columns):
            continue
        noemer = [t for t in ind.noemer if t in wide.columns]
        f = pd.DataFrame({"teller": wide[list(ind.teller)].sum(axis=1),
                          "noemer": wide[noemer].sum(axis=1), "status": status}).reset_index()
        f = f.rename(columns={"gemeente": "code"}).assign(niveau="gemeente", indicator=ind.id,
                                                          halfjaar=WHOLE_YEAR)
        frames.append(f)
        if out_wide is not None and set(ind.teller) <= set(out_wide.columns):
            o = pd.DataFrame({
                "teller": out_wide[list(ind.teller)].sum(axis=1),
                "noemer": out_wide[[t for t in noemer if t in out_wide.columns]].sum(axis=1),
            }).reset_index()
            o = o.assign(code="", niveau="land", indicator=ind.id, halfjaar=WHOLE_YEAR,
                         status=o["schooljaar"].map(
                             status.groupby(level="schooljaar").max()))
            frames.append(o)
    if not frames:
        return empty_observations()
    return pd.concat(frames, ignore_index=True)[list(OBS_COLUMNS)]


def _pc4_frame(atlas: Atlas, ind: Indicator, teller: np.ndarray, noemer: np.ndarray
               ) -> pd.DataFrame:
    ok = noemer > 0
    return pd.DataFrame({
        "code": atlas.pc4["pc4"].astype(str).to_numpy(object)[ok], "niveau": "pc4",
        "indicator": ind.id, "schooljaar": reference_school_year(atlas),
        "halfjaar": WHOLE_YEAR, "teller": teller[ok], "noemer": noemer[ok],
        "status": "gemodelleerd"})


def modelled(atlas: Atlas, division: Division, catalogue: Catalogue,
             ids: list[str] | None = None) -> pd.DataFrame:
    """Observations of the ``afstand``, ``grensverkeer`` and ``vervoer`` indicators."""
    from nabij.measures.context import MeasureContext

    want = [i for i in catalogue if i.berekening in ("afstand", "grensverkeer", "vervoer")
            and (ids is None or i.id in ids)]
    if not want:
        return empty_observations()
    ctx = MeasureContext(atlas)
    frames = []
    for ind in want:
        if ind.berekening == "afstand":
            frames.append(_afstand(atlas, ctx, ind))
        elif ind.berekening == "grensverkeer":
            frames.append(_grensverkeer(atlas, ctx, division, ind))
        else:
            frames.append(_vervoer(atlas, ind))
    frames = [f for f in frames if f is not None and len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty_observations()


def _afstand(atlas: Atlas, ctx, ind: Indicator) -> pd.DataFrame | None:
    keys = [k for k in ind.teller if k in ctx.supply.columns]
    if not keys:
        return None
    km = np.fmin.reduce([ctx.nearest_any(k) for k in keys])
    kids = ctx.kids["VO" if ind.sector == "VO" else "PO"] if ind.sector != "PO+VO" else \
        ctx.kids["PO"] + ctx.kids["VO"]
    ok = np.isfinite(km)
    return _pc4_frame(atlas, ind, np.where(ok, km * kids, 0.0), np.where(ok, kids, 0.0))


def _grensverkeer(atlas: Atlas, ctx, division: Division, ind: Indicator) -> pd.DataFrame | None:
    if not ctx.has_flows:
        return None
    reg = division.assignment.reindex(ctx.pc4).to_numpy(object)
    types = [k for k, t in enumerate(SCHOOL_TYPES) if t in ind.teller]
    m = np.isin(ctx.flow_type, types)
    home, school, w = ctx.flow_home[m], ctx.flow_school[m], ctx.flow_w[m]
    ok = school >= 0
    cross = np.zeros(len(home), bool)
    cross[ok] = reg[home[ok]] != reg[school[ok]]
    n = ctx.n
    return _pc4_frame(atlas, ind, np.bincount(home, weights=w * cross, minlength=n),
                      np.bincount(home, weights=w, minlength=n))


def _vervoer(atlas: Atlas, ind: Indicator) -> pd.DataFrame | None:
    """Modelled transport cost per home PC4 (calibrated cost model of nabij.transport)."""
    from nabij.transport.cost import calibrate, transport_trips

    if not (atlas.has("stromen") and len(atlas.stromen)):
        return None
    trips = transport_trips(atlas)
    ev = calibrate(trips).evaluate(trips)
    pos = ev["pc4_pos"].to_numpy()
    n = len(atlas.pc4)
    return _pc4_frame(atlas, ind,
                      np.bincount(pos, weights=ev["kosten"].to_numpy(float), minlength=n),
                      np.bincount(pos, weights=ev["leerlingen"].to_numpy(float), minlength=n))
