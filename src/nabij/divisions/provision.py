"""Provision types of a dekkend netwerk and which school locations supply them.

A *provision type* is a kind of special-education place a region must be able to offer:
SBO, SO cluster 3, SO cluster 4, VSO cluster 3, VSO cluster 4 and PrO by default (clusters 1
and 2 are organised nationally, outside the SWVs, but can be configured). A school location
supplies a type when its ``soort`` matches and, for SO/VSO, its ``clusters`` include the
cluster. Locations without cluster data are assumed to offer ``assume_clusters`` (default
clusters 3 and 4: nearly all regional SO/VSO is cluster 3 or 4); this assumption is recorded in
the recipes and measures that use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.tables import SECTOR_OF_TYPE


@dataclass(frozen=True)
class ProvisionType:
    """One kind of provision: a school type, optionally restricted to one cluster."""

    key: str
    label: str
    soort: str
    cluster: int | None = None

    @property
    def sector(self) -> str:
        return SECTOR_OF_TYPE[self.soort]


PROVISION_TYPES: dict[str, ProvisionType] = {
    p.key: p
    for p in (
        ProvisionType("SBO", "SBO", "SBO"),
        ProvisionType("SO1", "SO cluster 1", "SO", 1),
        ProvisionType("SO2", "SO cluster 2", "SO", 2),
        ProvisionType("SO3", "SO cluster 3", "SO", 3),
        ProvisionType("SO4", "SO cluster 4", "SO", 4),
        ProvisionType("VSO1", "VSO cluster 1", "VSO", 1),
        ProvisionType("VSO2", "VSO cluster 2", "VSO", 2),
        ProvisionType("VSO3", "VSO cluster 3", "VSO", 3),
        ProvisionType("VSO4", "VSO cluster 4", "VSO", 4),
        ProvisionType("PRO", "PrO", "PRO"),
    )
}
"""Every provision type nabij knows, by key."""

DEFAULT_PROVISIONS: tuple[str, ...] = ("SBO", "SO3", "SO4", "VSO3", "VSO4", "PRO")
"""The provision types a region must offer by default (scenario 3 of the advice)."""

DEFAULT_ASSUME_CLUSTERS: tuple[int, ...] = (3, 4)
"""Clusters assumed for an SO/VSO location whose cluster data is missing."""


@dataclass(frozen=True)
class RandomSplit:
    """Assumption for locations without cluster data: each offers cluster 3 or cluster 4,
    drawn at random (seeded, in row order) with equal chance."""

    seed: int = 0

    def __iter__(self):  # recipes list an assumption's clusters
        return iter(("3 of 4 willekeurig", f"seed {self.seed}"))


def cluster_assumption_text(assume: Sequence[int] | RandomSplit) -> str:
    """Dutch: what locations without cluster data are assumed to offer."""
    if isinstance(assume, RandomSplit):
        return f"willekeurig cluster 3 of 4 (seed {assume.seed})"
    return "cluster " + " en ".join(str(c) for c in assume)


def provision_types(
    keys: Iterable[str] | None = None, sectors: Sequence[str] | None = None
) -> tuple[ProvisionType, ...]:
    """Provision types by key (default :data:`DEFAULT_PROVISIONS`), optionally by sector.

    ``sectors`` is e.g. ``("PO",)``, ``("VO",)`` or ``("PO", "VO")``. Unknown keys raise
    :class:`~nabij.errors.InputError` (Dutch).
    """
    keys = list(DEFAULT_PROVISIONS if keys is None else keys)
    bad = [k for k in keys if k not in PROVISION_TYPES]
    if bad:
        raise InputError(
            "Onbekende voorzieningssoort: " + ", ".join(bad),
            [Problem(f"kies uit {', '.join(PROVISION_TYPES)}")],
        )
    out = [PROVISION_TYPES[k] for k in dict.fromkeys(keys)]
    if sectors is not None:
        out = [p for p in out if p.sector in sectors]
    return tuple(out)


def parse_provisions(text: str | None) -> tuple[str, ...]:
    """Parse a CLI list like ``"SBO,SO3,VSO cluster 4"`` into provision keys."""
    if text is None or not text.strip():
        return DEFAULT_PROVISIONS
    by_label = {p.label.lower().replace(" ", ""): p.key for p in PROVISION_TYPES.values()}
    keys = []
    for part in text.split(","):
        raw = part.strip()
        norm = raw.upper().replace(" ", "").replace("CLUSTER", "")
        key = norm if norm in PROVISION_TYPES else by_label.get(raw.lower().replace(" ", ""))
        if key is None:
            raise InputError(
                f"Onbekende voorzieningssoort '{raw}'",
                [Problem(f"kies uit {', '.join(PROVISION_TYPES)}")],
            )
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def supply_matrix(
    scholen: pd.DataFrame,
    types: Iterable[ProvisionType] | Iterable[str] | None = None,
    assume_clusters: Sequence[int] | RandomSplit = DEFAULT_ASSUME_CLUSTERS,
    guessed: str | None = None,
) -> pd.DataFrame:
    """Boolean frame (index of ``scholen``, one column per type key): row supplies type.

    ``guessed`` names a clusters value that stands for "not known" (the importers fill
    unknown SO/VSO clusters with ``3;4``); such rows then follow ``assume_clusters`` too.

    This is the single definition of "which school locations supply which provision"; the
    scenario builders, the measures and the transport module all use it.
    """
    ptypes = [PROVISION_TYPES[t] if isinstance(t, str) else t
              for t in (DEFAULT_PROVISIONS if types is None else types)]
    soort = scholen["soort"].astype(str).to_numpy()
    if "clusters" in scholen.columns:
        cl = scholen["clusters"].astype("string").fillna("").str.replace(" ", "", regex=False)
    else:
        cl = pd.Series("", index=scholen.index, dtype="string")
    unknown = ((cl == "") | (cl == guessed) if guessed else (cl == "")).to_numpy()
    padded = ";" + cl + ";"
    drawn = None
    if isinstance(assume_clusters, RandomSplit):
        drawn = np.random.default_rng(assume_clusters.seed).choice([3, 4], len(padded))
    out = {}
    for p in ptypes:
        match = soort == p.soort
        if p.cluster is not None:
            has = padded.str.contains(f";{p.cluster};", regex=False).to_numpy(bool)
            has &= ~unknown
            if drawn is not None:
                has |= unknown & (drawn == p.cluster)
            else:
                has |= unknown & (p.cluster in tuple(assume_clusters))
            match &= has
        out[p.key] = match
    return pd.DataFrame(out, index=scholen.index, columns=[p.key for p in ptypes])


def provision_locations(
    scholen: pd.DataFrame,
    ptype: ProvisionType | str,
    assume_clusters: Sequence[int] = DEFAULT_ASSUME_CLUSTERS,
) -> pd.DataFrame:
    """The school rows that supply one provision type."""
    p = PROVISION_TYPES[ptype] if isinstance(ptype, str) else ptype
    mask = supply_matrix(scholen, [p], assume_clusters)[p.key]
    return scholen[mask.to_numpy()]


def provision_label(key: str) -> str:
    """Dutch label of a provision key ("SO3" -> "SO cluster 3")."""
    p = PROVISION_TYPES.get(key)
    return p.label if p else key
