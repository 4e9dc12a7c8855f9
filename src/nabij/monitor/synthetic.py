"""Deterministic synthetic history for a synthetic atlas (no download needed).

Pupils by home gemeente and school type 2013/'14 up to the atlas' school year: the atlas'
own pupils (``leerlingen_woongemeente``, else the pupil flows) in the last year, and backwards
a national trend per type shaped like the real CBS 85701NED series (regular primary falling,
SBO down until 2016/'17 then level, SO rising, VSO level), a random drift per gemeente and type
and yearly noise of the size a count of that size has (about sqrt(n)). The last school year is
marked *voorlopig*, as at CBS. Register figures (thuiszitters, vrijstellingen) per gemeente and
half year from 2019/'20, drawn as Poisson counts around national rates per 1.000 children
(orders of magnitude of the OCW leerplichttelling), with some gemeenten whose thuiszitters fall
while their 5a-vrijstellingen rise. Everything here is labelled *synthetisch*.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.monitor.history import HISTORY_COLUMNS, PupilHistory, school_year_label
from nabij.tables import SCHOOL_TYPES

FIRST_YEAR = 2013
REGISTER_FIRST_YEAR = 2019
TREND = {"BAO": (-0.008, -0.008), "SBO": (-0.03, 0.0), "SO": (-0.01, 0.014),
         "VSO": (-0.01, 0.005), "VO": (-0.003, -0.003), "PRO": (-0.005, -0.005)}
"""Yearly relative change per type before / from 2016/'17 (like the real series)."""
BREAK_YEAR = 2016
DRIFT_SD = {"BAO": 0.003, "VO": 0.003}
"""Per-gemeente yearly drift (sd) of regular education; special types use DRIFT_SPECIAL."""
DRIFT_SPECIAL = 0.02
RATES = {"absoluut_verzuim": 2.5, "langdurig_relatief_verzuim": 2.8, "zonder_aanbod_3mnd": 1.5,
         "vrijstelling_5a": 3.5, "vrijstelling_5b": 0.35, "vrijstelling_5c": 0.8}
"""Synthetic national rates per 1.000 children aged 4-17 (orders of magnitude only)."""
THUISZITTERS = ("absoluut_verzuim", "langdurig_relatief_verzuim", "zonder_aanbod_3mnd")


def _base(atlas: Atlas) -> pd.DataFrame:
    """Pupils by gemeente x type in the atlas' year (wide, all SCHOOL_TYPES)."""
    gem = atlas.gemeenten["gemeente"].astype(str)
    if atlas.has("leerlingen_woongemeente") and len(atlas.leerlingen_woongemeente):
        lw = atlas.leerlingen_woongemeente
        wide = lw.pivot_table(index="gemeente", columns="soort", values="leerlingen",
                              aggfunc="sum", fill_value=0)
    else:
        st = atlas.stromen.merge(atlas.pc4[["pc4", "gemeente"]], on="pc4")
        wide = st.pivot_table(index="gemeente", columns="soort", values="leerlingen",
                              aggfunc="sum", fill_value=0)
    return wide.reindex(index=gem, columns=list(SCHOOL_TYPES), fill_value=0).fillna(0)


def _trend_index(years: np.ndarray, last: int, soort: str) -> np.ndarray:
    """National level relative to the last year (1 in the last year)."""
    before, after = TREND[soort]
    def level(y: int) -> float:
        a = min(y, BREAK_YEAR) - FIRST_YEAR
        b = max(y - BREAK_YEAR, 0)
        return (1 + before) ** a * (1 + after) ** b
    return np.array([level(int(y)) / level(last) for y in years])


def synthetic_history(atlas: Atlas, seed: int = 2024) -> PupilHistory:
    """Pupils by gemeente x school year x type, ending in the atlas' pupils (synthetic)."""
    rng = np.random.default_rng(seed + 13)
    last = int(atlas.meta.reference_year) - 1
    years = np.arange(FIRST_YEAR, last + 1)
    base = _base(atlas)
    back = (last - years)[None, :]  # years before the last one
    frames = []
    for soort in SCHOOL_TYPES:
        b = base[soort].to_numpy(float)[:, None]
        sd = DRIFT_SD.get(soort, DRIFT_SPECIAL)
        drift = rng.normal(0.0, sd, size=(len(b), 1))
        level = b * _trend_index(years, last, soort)[None, :] * (1 - drift) ** back
        noise = rng.normal(0.0, 1.0, size=level.shape) * np.sqrt(np.maximum(level, 0))
        noise[:, -1] = 0.0
        counts = np.maximum(np.round(level + noise), 0)
        frames.append(pd.DataFrame({
            "gemeente": np.repeat(base.index.to_numpy(object), len(years)),
            "schooljaar": np.tile(years, len(b)), "soort": soort,
            "leerlingen": counts.ravel()}))
    pupils = pd.concat(frames, ignore_index=True)
    pupils["status"] = np.where(pupils["schooljaar"] == last, "voorlopig", "definitief")
    outside = pd.DataFrame(columns=["schooljaar", "soort", "leerlingen"])
    notes = (f"Synthetische geschiedenis {school_year_label(FIRST_YEAR)}-"
             f"{school_year_label(last)} (seed {seed}): landelijke trends als in de echte "
             "CBS-reeks, drift per gemeente en ruis; het laatste jaar is gelijk aan de atlas.",)
    return PupilHistory(pupils[list(HISTORY_COLUMNS)], outside,
                        "synthetisch (nabij, gemodelleerd)", notes, modelled=True)


def synthetic_register(atlas: Atlas, seed: int = 2024, last_year: int | None = None
                       ) -> pd.DataFrame:
    """Register rows (layout of :mod:`nabij.monitor.register`, as text) for every gemeente,
    school years 2019/'20 up to ``last_year`` (default: the year before the atlas' reference
    year; later, e.g. to sit beside a casework register that runs up to today)."""
    rng = np.random.default_rng(seed + 29)
    last = int(atlas.meta.reference_year) - 1 if last_year is None else int(last_year)
    pc4 = atlas.pc4
    kids = (pc4["kinderen_po"].fillna(0) + pc4["kinderen_vo"].fillna(0)) \
        .groupby(pc4["gemeente"].astype(str)).sum()
    gem = atlas.gemeenten["gemeente"].astype(str).to_numpy(object)
    k = kids.reindex(gem).fillna(0).to_numpy(float)
    periods = [(y, h) for y in range(REGISTER_FIRST_YEAR, last + 1) for h in (1, 2)]
    t = np.arange(len(periods))[None, :]
    local = rng.lognormal(0.0, 0.35, size=(len(gem), 1))
    shifting = rng.random(size=(len(gem), 1)) < 0.15  # thuiszitters down, 5a up
    recs = []
    for ind, rate in RATES.items():
        slope = np.where(shifting, -0.06 if ind in THUISZITTERS else 0.06, 0.0) \
            if ind in (*THUISZITTERS, "vrijstelling_5a") else 0.0
        slope = slope + rng.normal(0.0, 0.01, size=(len(gem), 1))
        lam = np.maximum(k[:, None] / 1000 * rate * local * np.exp(slope * t), 0)
        counts = rng.poisson(lam)
        for j, (y, h) in enumerate(periods):
            status = "voorlopig" if y == last else "definitief"
            recs.append(pd.DataFrame({
                "gemeente": gem, "schooljaar": school_year_label(y), "periode": str(h),
                "indicator": ind, "aantal": counts[:, j].astype(str),
                "leerplichtigen": np.round(k).astype(int).astype(str), "status": status}))
    return pd.concat(recs, ignore_index=True)
