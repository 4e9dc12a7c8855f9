"""Great-circle distance and the planar km projection of the Netherlands (leaf module).

Shared by the synthetic country (sources) and the atlas (adjacency, flows, index), so that the
generator links islands by ferry exactly as the atlas builder does.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088
"""Mean earth radius (IUGG)."""

NL_REF_LAT = 52.2
"""Reference latitude of the planar projection (middle of the Netherlands)."""


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between (lat1, lon1) and (lat2, lon2), in degrees.

    Vectorised: arguments broadcast like numpy arrays.
    """
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def project_km(lat, lon, ref_lat: float = NL_REF_LAT) -> np.ndarray:
    """Equirectangular projection to planar km coordinates, shape (n, 2).

    East-west scale is exact at ``ref_lat`` and off by up to about 3 % at the far north and
    south of the Netherlands; used for nearest-neighbour searches and triangulations, not for
    reported distances.
    """
    lat = np.asarray(lat, float)
    lon = np.asarray(lon, float)
    k = np.pi / 180 * EARTH_RADIUS_KM
    return np.column_stack([lon * k * np.cos(np.radians(ref_lat)), lat * k])
