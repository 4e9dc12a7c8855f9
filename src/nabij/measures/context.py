"""The measures' view of an atlas and of a division.

The atlas side lives in the atlas index (:class:`nabij.atlas.index.AtlasIndex`: positions,
pupils by home PC4 and type, flows, adjacency, nearest-school search). :class:`MeasureContext`
adds what only the measures need for one run (distance model, required provisions and which
school rows supply them, the status-quo views); :class:`DivisionView` maps a division onto
the index (region id per PC4, per school, per flow), so every measure is a handful of
``np.bincount`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.atlas.distance import DistanceModel, StraightLineDetour
from nabij.atlas.index import AtlasIndex
from nabij.divisions import Division
from nabij.divisions.provision import (
    DEFAULT_ASSUME_CLUSTERS,
    DEFAULT_PROVISIONS,
    PROVISION_TYPES,
    provision_types,
    supply_matrix,
)

CONTEXT_COLUMNS = ("stedelijkheid", "aandeel_eenouder", "aandeel_uitkering")


def _compact(codes: np.ndarray, index: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Ids 0..k-1 over the codes that occur (positions into ``index``; -1 stays apart)."""
    used, ids = np.unique(codes, return_inverse=True)
    names = np.append(index.to_numpy(object), "")  # -1 -> ""
    return ids, pd.Index(names[used])


def _rmc_ids(atlas: Atlas) -> tuple[np.ndarray | None, pd.Index]:
    """RMC region id per PC4 (None when the atlas has no RMC regions)."""
    gem = atlas.gemeenten
    if "rmc" not in gem.columns or gem["rmc"].isna().all():
        return None, pd.Index([])
    of_gem = dict(zip(gem["gemeente"].astype(str), gem["rmc"].astype("string").fillna(
        "onbekend"), strict=True))
    names = atlas.pc4["gemeente"].astype(str).map(of_gem).fillna("onbekend").to_numpy()
    index = pd.Index(sorted(set(names)), name="rmc")
    return index.get_indexer(names), index


@dataclass
class MeasureContext:
    """One measuring run on an atlas: its index plus distance model and provisions."""

    atlas: Atlas
    distance: DistanceModel = field(default_factory=StraightLineDetour)
    provisions: tuple[str, ...] | None = None
    assume_clusters: tuple[int, ...] = DEFAULT_ASSUME_CLUSTERS

    def __post_init__(self) -> None:
        a = self.atlas
        ix: AtlasIndex = a.index
        self.index = ix
        self.pc4, self.n = ix.pc4, ix.n
        self.kids, self.home = ix.kids, ix.home
        self.gem_id, self.gemeenten = ix.memo("gem_id", lambda: _compact(
            ix.gem_of_pc4, ix.gemeenten))
        self.jz_id, self.jeugdregios = ix.memo("jz_id", lambda: _compact(
            ix.jz_of_pc4, ix.jeugdregios))
        self.rmc_id, self.rmcs = ix.memo("rmc_id", lambda: _rmc_ids(a))
        pc4 = a.pc4
        self.covariates = ix.memo("covariates", lambda: {
            c: pd.to_numeric(pc4[c], errors="coerce").to_numpy(float)
            for c in CONTEXT_COLUMNS if c in pc4.columns})
        sch = a.scholen
        self.schools = sch
        self.school_pos, self.school_type = ix.school_pos, ix.school_type
        self.school_pupils = ix.school_pupils
        self.flow_home, self.flow_school = ix.flow_home, ix.flow_school
        self.flow_type, self.flow_w = ix.flow_type, ix.flow_w
        self.board_id, self.boards = ix.memo("boards", lambda: _positions_of(
            sch["bestuur"].astype(str).to_numpy()))
        keys = self.provisions or DEFAULT_PROVISIONS
        self.provision_keys = tuple(p.key for p in provision_types(keys))
        supply_key = ("supply", self.provision_keys, tuple(self.assume_clusters))
        self.supply = ix.memo(supply_key, lambda: supply_matrix(
            sch.reset_index(drop=True), self.provision_keys, self.assume_clusters))
        self.has_flows = ix.has_flows
        self.flows_modelled = a.meta.status("stromen") != "observed" if self.has_flows else True
        flagged = ("leerlingen_gemodelleerd" in sch.columns
                   and bool(sch["leerlingen_gemodelleerd"].fillna(False).astype(bool).any()))
        self.schools_modelled = a.meta.status("scholen") != "observed" or flagged
        self._nearest: dict[str, np.ndarray] = {}
        self._status_quo: dict[str, DivisionView] = {}
        self._largest: dict[str, float] = {}

    # -- helpers -------------------------------------------------------------------------
    def type_mask(self, types: tuple[str, ...]) -> np.ndarray:
        """Boolean over SCHOOL_TYPES."""
        return self.index.type_mask(types)

    def home_pupils(self, types: tuple[str, ...]) -> np.ndarray:
        """Pupils of ``types`` living in each PC4."""
        return self.index.home_pupils(types)

    def provision_kids(self, key: str) -> np.ndarray:
        """Children of the age a provision serves (PO age for SBO/SO, VO age for VSO/PrO)."""
        return self.kids[PROVISION_TYPES[key].sector]

    def view(self, division: Division) -> DivisionView:
        return DivisionView(self, division)

    def nearest_any(self, key: str) -> np.ndarray:
        """km from each PC4 to the nearest location supplying ``key`` (NaN if none exists)."""
        if key not in self._nearest:
            memo_key = ("nearest", key, tuple(self.assume_clusters), self.distance)
            self._nearest[key] = self.index.memo(memo_key, lambda: self.nearest(
                self.supply[key].to_numpy(), None, None))
        return self._nearest[key]

    def nearest(self, mask: np.ndarray, pc4_region: np.ndarray | None,
                school_region: np.ndarray | None) -> np.ndarray:
        """km to the nearest school of ``mask``, optionally only within the PC4's own region."""
        return self.index.nearest(mask, pc4_region, school_region, self.distance)

    def largest_status_quo(self, sector: str) -> float:
        """Pupils of the largest status-quo SWV (pair for PO+VO) of a sector (cached)."""
        if sector not in self._largest:
            from nabij.divisions.scale import largest_status_quo

            self._largest[sector] = largest_status_quo(self.atlas, sector)
        return self._largest[sector]

    def status_quo_view(self, sector: str, divisions: list[Division] | None) -> DivisionView:
        """The status quo division of a sector (given, or from the atlas)."""
        if sector not in self._status_quo:
            from nabij.divisions import status_quo

            div = next((d for d in divisions or [] if d.sector == sector), None)
            if div is None:
                div = self.index.memo(("status_quo", sector),
                                      lambda: status_quo(self.atlas, sector))
            self._status_quo[sector] = self.view(div)
        return self._status_quo[sector]


def _positions_of(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    index = pd.Index(sorted(pd.unique(values)))
    return index.get_indexer(values), index


class DivisionView:
    """A division mapped onto a :class:`MeasureContext`: region ids of PC4s, schools, flows."""

    def __init__(self, ctx: MeasureContext, division: Division) -> None:
        self.ctx = ctx
        self.division = division
        a = division.assignment
        reg = a.reindex(ctx.pc4) if a.index.is_unique else None
        if reg is None or len(a) != ctx.n or reg.isna().any():
            division.validate(ctx.pc4)
            reg = a.reindex(ctx.pc4)
        rid, regions = pd.factorize(reg.to_numpy(object), sort=True)
        self.regions = pd.Index(regions)
        self.R = len(self.regions)
        self.rid = rid
        self.types = division.types
        self.sectors = division.sectors
        self.school_rid = self.rid[ctx.school_pos]
        self.school_in = ctx.index.school_mask(self.types)
        self.flow_in = ctx.index.flow_mask(self.types)
        self.names = [division.region_name(r) for r in regions]

    def count(self, ids: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(ids, weights=weights, minlength=self.R).astype(float)

    def home_pupils(self) -> np.ndarray:
        return self.ctx.home_pupils(self.types)

    def provision_keys(self) -> list[str]:
        """Required provision types of this division's sector(s), in context order."""
        return [p.key for p in provision_types(self.ctx.provision_keys, self.sectors)]
