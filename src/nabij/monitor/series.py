"""Series at any level: gemeente/PC4 observations aggregated to the regions of a Division.

An *observation* is a numerator and a denominator of one indicator for one unit (a gemeente or
a PC4 area) in one period (school year, or half year 1 = August-January, 2 = February-July).
A region's value is ``schaal x sum(teller) / sum(noemer)`` over its units — weighted by pupils,
never an average of percentages. A gemeente split over several regions is shared out by the
children of the indicator's sector living in each part (PC4 ``kinderen_po``/``kinderen_vo``).
The national row ("Nederland") sums all units plus the national-only counts (pupils CBS could
not place in a gemeente).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions import Division
from nabij.monitor.catalogue import Catalogue

OBS_COLUMNS = ("code", "niveau", "indicator", "schooljaar", "halfjaar", "teller", "noemer",
               "status")
SERIES_COLUMNS = ("regio", "indicator", "schooljaar", "halfjaar", "teller", "noemer", "waarde",
                  "status")
NATIONAL = "NL"
NATIONAL_NAME = "Nederland"
WHOLE_YEAR = 0


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("teller", "noemer") else
                                      int if c in ("schooljaar", "halfjaar") else object)
                         for c in OBS_COLUMNS})


def period_label(year: int, half: int) -> str:
    """2023, 0 -> "2023/'24"; 2023, 1 -> "2023/'24 1e helft"."""
    base = f"{year}/'{(year + 1) % 100:02d}"
    return base if half == WHOLE_YEAR else f"{base} {half}e helft"


def period_position(year: object, half: object) -> np.ndarray:
    """Time axis: school year start + 0.25 (1st half) / 0.75 (2nd half) / 0.5 (whole year)."""
    y = np.asarray(year, float)
    h = np.asarray(half, float)
    return y + np.where(h == 1, 0.25, np.where(h == 2, 0.75, 0.5))


def _kids(atlas: Atlas, sector: str) -> np.ndarray:
    pc4 = atlas.pc4
    po = pc4["kinderen_po"].fillna(0).to_numpy(float)
    vo = pc4["kinderen_vo"].fillna(0).to_numpy(float)
    return {"PO": po, "VO": vo}.get(sector, po + vo)


def unit_weights(atlas: Atlas, division: Division, niveau: str, sector: str) -> pd.DataFrame:
    """(code, regio, w): how much of each unit belongs to each region (w sums to 1 per unit).

    PC4 units belong wholly to their region; a gemeente is shared by the children of
    ``sector`` per PC4 (equal per PC4 when the gemeente has no children of that age).
    """
    pc4 = atlas.pc4
    regio = division.assignment.reindex(pc4["pc4"].astype(str)).to_numpy(object)
    if niveau == "pc4":
        return pd.DataFrame({"code": pc4["pc4"].astype(str).to_numpy(object), "regio": regio,
                             "w": 1.0})
    kids = _kids(atlas, sector)
    df = pd.DataFrame({"code": pc4["gemeente"].astype(str).to_numpy(object), "regio": regio,
                       "k": kids, "n": 1.0})
    g = df.groupby(["code", "regio"], as_index=False)[["k", "n"]].sum()
    tot = g.groupby("code")[["k", "n"]].transform("sum")
    g["w"] = np.where(tot["k"] > 0, g["k"] / tot["k"].where(tot["k"] > 0, 1.0),
                      g["n"] / tot["n"])
    return g[["code", "regio", "w"]]


def _ratio(df: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    scale = df["indicator"].map({i.id: i.schaal for i in catalogue}).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = scale * df["teller"] / df["noemer"]
    return v.where(df["noemer"] > 0)


def aggregate(obs: pd.DataFrame, atlas: Atlas, division: Division,
              catalogue: Catalogue) -> pd.DataFrame:
    """The series of every region of ``division`` (columns :data:`SERIES_COLUMNS`)."""
    if obs.empty:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    parts = []
    for (niveau, ind), grp in obs[obs["niveau"] != "land"].groupby(["niveau", "indicator"]):
        w = unit_weights(atlas, division, str(niveau), catalogue[str(ind)].sector)
        m = grp.merge(w, on="code", how="inner")
        m["teller"] = m["teller"] * m["w"]
        m["noemer"] = m["noemer"] * m["w"]
        parts.append(m)
    if not parts:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    allm = pd.concat(parts, ignore_index=True)
    keys = ["regio", "indicator", "schooljaar", "halfjaar"]
    out = allm.groupby(keys, as_index=False).agg(
        teller=("teller", "sum"), noemer=("noemer", "sum"), status=("status", "max"))
    out["waarde"] = _ratio(out, catalogue)
    return out[list(SERIES_COLUMNS)].sort_values(keys, ignore_index=True)


def national(obs: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The national series (``regio`` = "NL"): all units plus the national-only counts."""
    if obs.empty:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    keys = ["indicator", "schooljaar", "halfjaar"]
    out = obs.groupby(keys, as_index=False).agg(
        teller=("teller", "sum"), noemer=("noemer", "sum"), status=("status", "max"))
    out.insert(0, "regio", NATIONAL)
    out["waarde"] = _ratio(out, catalogue)
    return out[list(SERIES_COLUMNS)]


def gemeente_division(atlas: Atlas, sector: str = "PO+VO") -> Division:
    """Every gemeente its own region (series per gemeente)."""
    pc4 = atlas.pc4
    names = dict(zip(atlas.gemeenten["gemeente"].astype(str),
                     atlas.gemeenten["naam"].astype(str), strict=True))
    a = pd.Series(pc4["gemeente"].astype(str).to_numpy(), index=pc4["pc4"].astype(str))
    return Division("gemeenten", sector, a, {"bouwer": "gemeenten"}, names)
