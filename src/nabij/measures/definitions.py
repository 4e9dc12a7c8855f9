"""Measure definitions (Dutch label, definition, unit, direction, modelled) and parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nabij.atlas.distance import StraightLineDetour
from nabij.defaults import KM_BANDS, MIN_REGION_PUPILS, Z_THRESHOLD
from nabij.divisions.provision import DEFAULT_PROVISIONS

FLOWS = "stromen"
"""``gemodelleerd`` marker: modelled exactly when the atlas' pupil flows are modelled."""

SCHOOLS = "scholen"
"""``gemodelleerd`` marker: modelled when the atlas' school data (pupil counts, clusters) are."""


@dataclass(frozen=True)
class Definition:
    """How one measure is defined; ``gemodelleerd`` may name a table (:data:`FLOWS`,
    :data:`SCHOOLS`): then it is resolved per atlas (modelled when that table is)."""

    label: str
    definitie: str
    eenheid: str  # "leerlingen", "kinderen", "aantal", "aandeel", "km", "index", "tekst", ...
    beter: str | None = None  # "lager", "hoger" or None
    gemodelleerd: bool | str = False  # or FLOWS / SCHOOLS: depends on the atlas
    niveau: str = "samenvatting"  # or "regio"
    familie: str = ""

    def to_dict(self, modelled: Mapping[str, bool]) -> dict:
        g = self.gemodelleerd
        g = bool(modelled.get(g, True)) if isinstance(g, str) else bool(g)
        return {"label": self.label, "definitie": self.definitie, "eenheid": self.eenheid,
                "beter": self.beter, "gemodelleerd": g, "niveau": self.niveau,
                "familie": self.familie}


@dataclass(frozen=True)
class Params:
    """Parameters of the measures (recorded in the definitions' text)."""

    small_region: float = MIN_REGION_PUPILS
    large_region: float | None = None
    """Pupils; regions above it count in ``regios_groot``. None: per sector the largest
    status-quo SWV (:func:`nabij.divisions.scale.largest_status_quo`)."""
    distance_text: str = StraightLineDetour().description
    km_bands: tuple[int, ...] = KM_BANDS
    z_threshold: float = Z_THRESHOLD
    provisions: tuple[str, ...] = DEFAULT_PROVISIONS


@dataclass
class Part:
    """What one measure family returns for one division."""

    regions: dict[str, np.ndarray | list] = field(default_factory=dict)
    summary: dict[str, float | None] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def share(num: float, den: float) -> float | None:
    return float(num) / float(den) if den > 0 else None


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise, NaN where den == 0."""
    num = np.asarray(num, float)
    den = np.asarray(den, float)
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)


def wquantile(values: np.ndarray, weights: np.ndarray, q: float) -> float | None:
    """Weighted quantile (inverse of the weighted empirical CDF); +inf values allowed.

    Returns None when there is no weight or the quantile falls on +inf / NaN values.
    """
    v = np.asarray(values, float)
    w = np.asarray(weights, float)
    v = np.where(np.isnan(v), np.inf, v)
    keep = w > 0
    v, w = v[keep], w[keep]
    if not len(v):
        return None
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = np.cumsum(w)
    i = int(np.searchsorted(cum, q * cum[-1] - 1e-9 * cum[-1]))
    x = v[min(i, len(v) - 1)]
    return float(x) if np.isfinite(x) else None


def num(x: object) -> float | int | None:
    """A JSON-safe number: None for NaN/inf; integers stay integers."""
    if x is None:
        return None
    if isinstance(x, bool | np.bool_ | int | np.integer):
        return int(x)
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


def in_family(defs: dict[str, Definition], family: str) -> dict[str, Definition]:
    """The same definitions, tagged with their measure family."""
    return {k: replace(d, familie=family) for k, d in defs.items()}
