"""Calibrate the detour factor (road km / straight-line km) on CBS's road distances.

CBS Kerncijfers per postcode (``../shared/data/cbs_pc4/cbs_pc4_2023_kern.csv``) give, per
PC4, the mean road distance from its addresses to the nearest school of a kind
(``afst_vo_km``, ``afst_havo_vwo_km``, ``afst_vmbo_km``, ``afst_basisschool_km``). This script
builds the real atlas, measures the straight line from each PC4 centroid to the nearest
location of the matching school types, and reports:

* the median of the per-PC4 ratios CBS km / straight-line km (the value in ``nabij.defaults``),
* median(CBS km) / median(straight-line km), and the Pearson r of straight line vs CBS,

per CBS column. Usage: ``python bench/bench_detour.py [--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from nabij.atlas import build_atlas
from nabij.atlas.distance import haversine_km, project_km
from nabij.defaults import DETOUR_FACTOR
from nabij.sources.nl import import_nl

COLUMNS = {"afst_vo_km": ("VO",), "afst_basisschool_km": ("BAO",)}
"""CBS column -> atlas school types whose locations it measures to."""


def straight_to_nearest(pc4: pd.DataFrame, schools: pd.DataFrame) -> np.ndarray:
    """Great-circle km from each PC4 centroid to the nearest school location."""
    sxy = project_km(schools["lat"], schools["lon"])
    _, nn = cKDTree(sxy).query(project_km(pc4["lat"], pc4["lon"]), k=min(4, len(sxy)))
    nn = np.atleast_2d(nn)
    km = haversine_km(pc4["lat"].to_numpy()[:, None], pc4["lon"].to_numpy()[:, None],
                      schools["lat"].to_numpy()[nn], schools["lon"].to_numpy()[nn])
    return km.min(axis=1)


def calibrate(data: Path) -> pd.DataFrame:
    atlas = build_atlas(import_nl(data))
    cbs = pd.read_csv(data / "cbs_pc4" / "cbs_pc4_2023_kern.csv", dtype={"pc4": str})
    pc4 = atlas.pc4[["pc4", "lat", "lon"]].astype({"pc4": str})
    rows = []
    for col, types in COLUMNS.items():
        sch = atlas.scholen[atlas.scholen["soort"].isin(types)]
        sch = sch.drop_duplicates("vestiging")
        line = pd.Series(straight_to_nearest(pc4, sch), index=pc4["pc4"])
        road = pd.to_numeric(cbs.set_index("pc4")[col], errors="coerce").reindex(line.index)
        ok = road.notna() & (line > 0.05) & (road > 0)
        line, road = line[ok], road[ok]
        rows.append({
            "cbs_kolom": col, "pc4": int(ok.sum()),
            "factor_mediaan_km": float(road.median() / line.median()),
            "mediaan_ratio": float((road / line).median()),
            "pearson_r": float(np.corrcoef(line, road)[0, 1]),
        })
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent
                    / "shared" / "data")
    args = ap.parse_args()
    table = calibrate(args.data)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"\nnabij.defaults.DETOUR_FACTOR = {DETOUR_FACTOR} "
          f"(calibrated on afst_vo_km: mediaan_ratio, rounded to two decimals)")


if __name__ == "__main__":
    main()
