"""Per-atlas arrays shared by all measures, and the per-division view the measures work on.

:class:`MeasureContext` turns the atlas tables into integer-coded numpy arrays once (PC4
positions, gemeente/jeugdregio ids, pupils by home PC4 and type, flows as home/school PC4
positions, which school rows supply which provision). :class:`DivisionView` maps a division
onto them (region id per PC4, per school, per flow), so every measure is a handful of
``np.bincount`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from nabij.atlas import Atlas
from nabij.atlas.distance import DistanceModel, StraightLineDetour, project_km
from nabij.divisions import Division
from nabij.divisions.graph import flow_rows
from nabij.divisions.provision import (
    DEFAULT_ASSUME_CLUSTERS,
    DEFAULT_PROVISIONS,
    PROVISION_TYPES,
    provision_types,
    supply_matrix,
)
from nabij.tables import SCHOOL_TYPES

CANDIDATES = 4
"""Nearest locations (planar) whose model distance is compared for "nearest provision"."""

CONTEXT_COLUMNS = ("stedelijkheid", "aandeel_eenouder", "aandeel_uitkering")


def _ids(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    index = pd.Index(sorted(pd.unique(values)))
    return index.get_indexer(values), index


@dataclass
class MeasureContext:
    """Integer-coded arrays of one atlas (built once, reused for every division)."""

    atlas: Atlas
    distance: DistanceModel = field(default_factory=StraightLineDetour)
    provisions: tuple[str, ...] | None = None
    assume_clusters: tuple[int, ...] = DEFAULT_ASSUME_CLUSTERS

    def __post_init__(self) -> None:
        a = self.atlas
        pc4 = a.pc4
        self.pc4 = pd.Index(pc4["pc4"].astype(str))
        self.n = len(self.pc4)
        self.lat = pc4["lat"].to_numpy(float)
        self.lon = pc4["lon"].to_numpy(float)
        self.xy = project_km(self.lat, self.lon)
        self.gem_id, self.gemeenten = _ids(pc4["gemeente"].astype(str).to_numpy())
        jz = a.gemeenten.set_index(a.gemeenten["gemeente"].astype(str))["jeugdregio"]
        self.jz_id, self.jeugdregios = _ids(
            pc4["gemeente"].astype(str).map(jz.astype(str)).to_numpy())
        self.kids = {
            "PO": pc4["kinderen_po"].fillna(0).to_numpy(float),
            "VO": pc4["kinderen_vo"].fillna(0).to_numpy(float),
        }
        self.covariates = {
            c: pd.to_numeric(pc4[c], errors="coerce").to_numpy(float)
            for c in CONTEXT_COLUMNS if c in pc4.columns
        }

        sch = a.scholen.reset_index(drop=True)
        self.schools = sch
        self.school_pos = self.pc4.get_indexer(sch["pc4"].astype(str))
        self.school_type = pd.Index(SCHOOL_TYPES).get_indexer(sch["soort"].astype(str))
        self.school_pupils = sch["leerlingen"].fillna(0).to_numpy(float)
        self.school_lat = sch["lat"].to_numpy(float)
        self.school_lon = sch["lon"].to_numpy(float)
        self.school_xy = project_km(self.school_lat, self.school_lon)
        self.board_id, self.boards = _ids(sch["bestuur"].astype(str).to_numpy())
        keys = self.provisions or DEFAULT_PROVISIONS
        self.provision_keys = tuple(p.key for p in provision_types(keys))
        self.supply = supply_matrix(sch, self.provision_keys, self.assume_clusters)

        self.has_flows = a.has("stromen") and len(a.stromen) > 0
        self.flows_modelled = a.meta.status("stromen") != "observed" if self.has_flows else True
        flagged = ("leerlingen_gemodelleerd" in sch.columns
                   and bool(sch["leerlingen_gemodelleerd"].fillna(False).astype(bool).any()))
        self.schools_modelled = a.meta.status("scholen") != "observed" or flagged
        self.flow_home, row, self.flow_w = flow_rows(a, self.pc4)
        self.flow_school = self.school_pos[row]
        self.flow_type = self.school_type[row]
        self.home = np.zeros((self.n, len(SCHOOL_TYPES)))
        if self.has_flows:
            np.add.at(self.home, (self.flow_home, self.flow_type), self.flow_w)
        else:
            for t, soort in enumerate(SCHOOL_TYPES):
                self.home[:, t] = self.kids["PO" if soort in ("BAO", "SBO", "SO") else "VO"]
        self._nearest: dict[str, np.ndarray] = {}
        self._status_quo: dict[str, DivisionView] = {}

    # -- helpers -------------------------------------------------------------------
    def type_mask(self, types: tuple[str, ...]) -> np.ndarray:
        """Boolean over SCHOOL_TYPES."""
        return np.isin(np.array(SCHOOL_TYPES), types)

    def home_pupils(self, types: tuple[str, ...]) -> np.ndarray:
        """Pupils of ``types`` living in each PC4."""
        return self.home[:, self.type_mask(types)].sum(axis=1)

    def provision_kids(self, key: str) -> np.ndarray:
        """Children of the age a provision serves (PO age for SBO/SO, VO age for VSO/PrO)."""
        return self.kids[PROVISION_TYPES[key].sector]

    def view(self, division: Division) -> DivisionView:
        return DivisionView(self, division)

    def nearest_any(self, key: str) -> np.ndarray:
        """km from each PC4 to the nearest location supplying ``key`` (NaN if none exists)."""
        if key not in self._nearest:
            mask = self.supply[key].to_numpy()
            self._nearest[key] = self.nearest(mask, None, None)
        return self._nearest[key]

    def nearest(self, mask: np.ndarray, pc4_region: np.ndarray | None,
                school_region: np.ndarray | None) -> np.ndarray:
        """km to the nearest school of ``mask``, optionally only within the PC4's own region.

        Regions are separated in a third coordinate (region id x 1e6 km), so one k-d tree
        query finds the nearest location inside each PC4's own region; candidates from
        another region are discarded (NaN when the own region has none).
        """
        out = np.full(self.n, np.nan)
        idx = np.flatnonzero(mask)
        if len(idx) == 0 or self.n == 0:
            return out
        sx = self.school_xy[idx]
        px = self.xy
        if pc4_region is not None:
            big = 1e6
            sx = np.column_stack([sx, school_region[idx] * big])
            px = np.column_stack([px, pc4_region * big])
        k = min(CANDIDATES, len(idx))
        _, nn = cKDTree(sx).query(px, k=k)
        nn = np.asarray(nn).reshape(self.n, k)
        cand = idx[nn]
        km = np.asarray(self.distance.km(
            np.repeat(self.lat, k), np.repeat(self.lon, k),
            self.school_lat[cand.ravel()], self.school_lon[cand.ravel()]), float).reshape(self.n, k)
        if pc4_region is not None:
            km = np.where(school_region[cand] == pc4_region[:, None], km, np.inf)
        best = km.min(axis=1)
        out[np.isfinite(best)] = best[np.isfinite(best)]
        return out

    def status_quo_view(self, sector: str, divisions: list[Division] | None) -> DivisionView:
        """The status quo division of a sector (given, or from the atlas)."""
        if sector not in self._status_quo:
            from nabij.divisions import status_quo

            div = next((d for d in divisions or [] if d.sector == sector), None)
            self._status_quo[sector] = self.view(div or status_quo(self.atlas, sector))
        return self._status_quo[sector]


class DivisionView:
    """A division mapped onto a :class:`MeasureContext`: region ids of PC4s, schools, flows."""

    def __init__(self, ctx: MeasureContext, division: Division) -> None:
        self.ctx = ctx
        self.division = division
        division.validate(ctx.pc4)
        reg = division.assignment.reindex(ctx.pc4)
        self.regions = pd.Index(sorted(reg.unique()))
        self.R = len(self.regions)
        self.rid = self.regions.get_indexer(reg.to_numpy())
        self.types = division.types
        self.sectors = division.sectors
        self.school_rid = self.rid[ctx.school_pos]
        self.school_in = np.isin(ctx.school_type, ctx.type_mask(self.types).nonzero()[0])
        self.flow_in = np.isin(ctx.flow_type, ctx.type_mask(self.types).nonzero()[0])
        self.names = [division.region_name(r) for r in self.regions]

    def count(self, ids: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(ids, weights=weights, minlength=self.R).astype(float)

    def home_pupils(self) -> np.ndarray:
        return self.ctx.home_pupils(self.types)

    def provision_keys(self) -> list[str]:
        """Required provision types of this division's sector(s), in context order."""
        return [p.key for p in provision_types(self.ctx.provision_keys, self.sectors)]
