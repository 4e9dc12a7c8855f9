"""Benchmark of the gravity flow model (nabij.atlas.flows).

Usage::

    python bench/bench_flows.py                 # random instance of real-NL size, 5 runs
    python bench/bench_flows.py --scale 10      # 10x country (40,000 PC4, 66,000 schools)
    python bench/bench_flows.py --real          # real PC4 centroids and school locations
                                                # (needs ../shared/data; capacities modelled)

Instances: PC4 areas clustered around towns, children per PC4 gamma-distributed; schools of
each type placed at PC4 areas with probability proportional to children, capacity = the demand
of the PC4 areas near it times log-normal noise (so the margins are realistic but not
trivially consistent with the model). Prints the median wall time of the runs and, per type,
the IPF iterations, max relative column error, misfit and mean trip length. Targets: per
gemeente origin totals times log-normal noise, to exercise the calibration.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from nabij.atlas.distance import project_km
from nabij.atlas.flows import AGE_COLUMN, DEFAULT_PARTICIPATION, gravity_flows

# school locations per type in NL (FIGURES.md; scholenopdekaart 2018, DUO VO 2025)
COUNTS = {"BAO": 6600, "SBO": 280, "SO": 370, "VSO": 360, "VO": 1450, "PRO": 190}
ROOT = Path(__file__).resolve().parents[1]


def _schools(pc4: pd.DataFrame, locations: dict[str, np.ndarray], rng) -> pd.DataFrame:
    """Schools at the given (lat, lon) per type; capacity: each PC4 area's demand split equally
    over its 3 nearest schools, times log-normal noise."""
    xy = project_km(pc4["lat"], pc4["lon"])
    frames = []
    for soort, latlon in locations.items():
        demand = pc4[AGE_COLUMN[soort]].to_numpy(float) * DEFAULT_PARTICIPATION[soort]
        s_xy = project_km(latlon[:, 0], latlon[:, 1])
        k = min(3, len(latlon))
        _, near = cKDTree(s_xy).query(xy, k=k)
        cap = np.bincount(np.asarray(near).reshape(len(xy), k).ravel(),
                          weights=np.repeat(demand / k, k), minlength=len(latlon))
        cap = np.round(cap * rng.lognormal(0, 0.4, len(cap)))
        _, own = cKDTree(xy).query(s_xy)
        frames.append(pd.DataFrame({
            "vestiging": [f"{soort}{k:05d}" for k in range(len(latlon))],
            "soort": soort,
            "pc4": pc4["pc4"].to_numpy()[own],
            "lat": latlon[:, 0],
            "lon": latlon[:, 1],
            "leerlingen": np.minimum(cap, 20000).astype(int),
        }))
    return pd.concat(frames, ignore_index=True)


def random_instance(scale: int = 1, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n_pc4 = 4000 * scale
    towns = 400 * scale
    t_lat, t_lon = rng.uniform(51.3, 53.2, towns), rng.uniform(4.0, 7.0, towns)
    town = rng.integers(0, towns, n_pc4)
    lat = np.clip(t_lat[town] + rng.normal(0, 0.02, n_pc4), 50.8, 53.5)
    lon = np.clip(t_lon[town] + rng.normal(0, 0.03, n_pc4), 3.4, 7.2)
    kids = rng.gamma(2.0, 130.0, n_pc4)
    pc4 = pd.DataFrame({
        "pc4": [str(1000 + k) for k in range(n_pc4)],
        "gemeente": [f"GM{g:04d}" for g in town % (342 * scale)],
        "lat": lat, "lon": lon,
        "kinderen_po": kids * 8 / 15, "kinderen_vo": kids * 6 / 15 * rng.uniform(0.8, 1.2, n_pc4),
    })
    p = pc4["kinderen_po"].to_numpy() + pc4["kinderen_vo"].to_numpy()
    locations = {}
    for soort, n in COUNTS.items():
        at = rng.choice(n_pc4, size=n * scale, p=p / p.sum())
        locations[soort] = np.column_stack([lat[at] + rng.normal(0, 0.004, len(at)),
                                            lon[at] + rng.normal(0, 0.006, len(at))])
    return pc4, _schools(pc4, locations, rng)


def real_instance(data: Path, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    cw = pd.read_csv(data / "pc4" / "pc4_crosswalk_derived.csv", dtype={"pc4": str})
    cw = cw.dropna(subset=["lat_geonames", "gemeentecode_2024_spatial"])
    kids = cw["cbs2024_inw_0_14"].fillna(0).to_numpy(float)
    teens = cw["cbs2024_inw_15_24"].fillna(0).to_numpy(float)
    pc4 = pd.DataFrame({
        "pc4": cw["pc4"], "gemeente": cw["gemeentecode_2024_spatial"],
        "lat": cw["lat_geonames"], "lon": cw["lon_geonames"],
        "kinderen_po": kids * 8 / 15, "kinderen_vo": kids * 3 / 15 + teens * 3 / 10,
    }).reset_index(drop=True)
    po = pd.read_csv(data / "scholenopdekaart_2018" / "po_so_vestigingen_scholenopdekaart_2018.csv")
    vo = pd.read_csv(data / "vo_vestigingen" / "nl_highschools_accurate_coordinates.csv")
    vo = vo.dropna(subset=["latitude", "longitude"])
    pro = vo["PRO"].astype(str).str.lower().isin(["true", "1"])
    locations = {
        t: po.loc[po[f"is_{t.lower()}"] == 1, ["lat", "lon"]].to_numpy(float)
        for t in ("BAO", "SBO", "SO", "VSO")
    }
    locations["VO"] = vo.loc[~pro, ["latitude", "longitude"]].to_numpy(float)
    locations["PRO"] = vo.loc[pro, ["latitude", "longitude"]].to_numpy(float)
    return pc4, _schools(pc4, locations, rng)


def targets_for(pc4: pd.DataFrame, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for soort, col in AGE_COLUMN.items():
        total = pc4.groupby("gemeente")[col].sum() * DEFAULT_PARTICIPATION[soort]
        noisy = np.round(total * rng.lognormal(0, 0.2, len(total))).astype(int)
        rows.append(pd.DataFrame({"gemeente": total.index, "soort": soort, "leerlingen": noisy}))
    return pd.concat(rows, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--real", action="store_true")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    pc4, scholen = real_instance(args.data) if args.real else random_instance(args.scale)
    targets = targets_for(pc4)
    print(f"instance: {len(pc4)} PC4, {len(scholen)} schools "
          f"({scholen['soort'].value_counts().to_dict()})")
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        result = gravity_flows(pc4, scholen, targets)
        times.append(time.perf_counter() - t0)
    print(f"gravity_flows: median {statistics.median(times):.2f} s over {args.runs} runs "
          f"(min {min(times):.2f}, max {max(times):.2f}); {len(result.stromen)} flows")
    print("type  edges    iter  max_rel_err  misfit  mean_km  scale")
    for d in result.diagnostics.values():
        print(f"{d.soort:5} {d.edges:8d} {d.iterations:5d} {d.max_rel_error:11.4f} "
              f"{d.misfit:7.4f} {d.mean_km:8.2f} {d.scale:6.3f}")


if __name__ == "__main__":
    main()
