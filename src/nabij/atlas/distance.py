"""Distances between points in the Netherlands: great-circle, road-ish, and a planar projection.

``DistanceModel`` is the swappable seam for travel distance: the flow model and the
thuisnabijheid measures take any object with a ``km`` method. The default,
:class:`StraightLineDetour`, is the great-circle (haversine) distance times a detour factor
(:data:`nabij.defaults.DETOUR_FACTOR`, calibrated on CBS road distances to the nearest
school). A road-network model can replace it later without touching its callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nabij.defaults import DETOUR_FACTOR
from nabij.geodesy import EARTH_RADIUS_KM, NL_REF_LAT, haversine_km, project_km

__all__ = ["EARTH_RADIUS_KM", "NL_REF_LAT", "haversine_km", "project_km"]


class DistanceModel(Protocol):
    """Travel distance in km between points (vectorised, degrees in, km out)."""

    def km(self, lat1, lon1, lat2, lon2) -> np.ndarray: ...


@dataclass(frozen=True)
class StraightLineDetour:
    """Road-ish distance: great-circle distance times a detour factor."""

    factor: float = DETOUR_FACTOR

    def km(self, lat1, lon1, lat2, lon2) -> np.ndarray:
        return self.factor * haversine_km(lat1, lon1, lat2, lon2)

    @property
    def description(self) -> str:
        """Dutch one-line description, as the measures and the report show it."""
        return f"hemelsbrede afstand x {self.factor:g} (omrijfactor)".replace(".", ",")
