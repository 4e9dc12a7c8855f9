"""The Atlas: one reference year's validated tables of the passend-onderwijs landscape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from nabij.atlas.store import read_store, write_store
from nabij.tables import SCHOOL_TYPES, TABLES

if TYPE_CHECKING:
    from nabij.atlas.index import AtlasIndex


@dataclass(frozen=True)
class AtlasMeta:
    """Who made the Atlas, of which year, from what, and what in it is modelled."""

    name: str
    reference_year: int
    provenance: Mapping[str, Mapping] = field(default_factory=dict)
    sources: tuple = ()
    notes: tuple[str, ...] = ()

    def status(self, table: str) -> str:
        """``observed``, ``modelled`` or ``mixed`` for a table (``modelled`` if unknown)."""
        return str(self.provenance.get(table, {}).get("status", "modelled"))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "reference_year": self.reference_year,
            "provenance": {k: dict(v) for k, v in self.provenance.items()},
            "sources": list(self.sources),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> AtlasMeta:
        return cls(
            name=str(d["name"]),
            reference_year=int(d["reference_year"]),
            provenance=MappingProxyType({k: dict(v) for k, v in d.get("provenance", {}).items()}),
            sources=tuple(d.get("sources", ())),
            notes=tuple(d.get("notes", ())),
        )


class Atlas:
    """An immutable, validated set of tables for one reference year.

    Build one with :func:`nabij.atlas.build_atlas` from a source (synthetic country, real
    Netherlands, a folder of CSV files) or load a saved one with :meth:`Atlas.load`. Tables
    are pandas DataFrames with the columns of :mod:`nabij.tables`; treat them as read-only
    (their arrays are marked non-writeable where pandas allows it).
    """

    __slots__ = ("_tables", "_meta", "_geometry", "_index")
    _tables: Mapping[str, pd.DataFrame]
    _meta: AtlasMeta
    _geometry: Mapping | None
    _index: AtlasIndex | None

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        meta: AtlasMeta,
        geometry: Mapping | None = None,
    ) -> None:
        for df in tables.values():
            for col in df.columns:
                arr = df[col].to_numpy(copy=False)
                if arr.dtype != object and hasattr(arr, "flags"):
                    try:
                        arr.flags.writeable = False
                    except ValueError:
                        pass
        object.__setattr__(self, "_tables", MappingProxyType(dict(tables)))
        object.__setattr__(self, "_meta", meta)
        object.__setattr__(
            self, "_geometry", MappingProxyType(dict(geometry)) if geometry else None
        )
        object.__setattr__(self, "_index", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Atlas is onveranderlijk (immutable)")

    # -- access -----------------------------------------------------------------
    @property
    def meta(self) -> AtlasMeta:
        return self._meta

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        return self._tables

    @property
    def geometry(self) -> Mapping | None:
        """Gemeente code -> shapely (Multi)Polygon in WGS84, or None when unknown."""
        return self._geometry

    @property
    def index(self) -> AtlasIndex:
        """The :class:`~nabij.atlas.index.AtlasIndex` of this atlas (built once, cached)."""
        if self._index is None:
            from nabij.atlas.index import AtlasIndex

            object.__setattr__(self, "_index", AtlasIndex(self))
        assert self._index is not None
        return self._index

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            raise KeyError(f"tabel '{name}' zit niet in deze atlas")
        return self._tables[name]

    def has(self, name: str) -> bool:
        return name in self._tables

    gemeenten = property(lambda self: self.table("gemeenten"))
    jeugdregios = property(lambda self: self.table("jeugdregios"))
    gemeente_buren = property(lambda self: self.table("gemeente_buren"))
    pc4 = property(lambda self: self.table("pc4"))
    pc4_buren = property(lambda self: self.table("pc4_buren"))
    besturen = property(lambda self: self.table("besturen"))
    scholen = property(lambda self: self.table("scholen"))
    swv = property(lambda self: self.table("swv"))
    indeling = property(lambda self: self.table("indeling"))
    stromen = property(lambda self: self.table("stromen"))
    leerlingen_woongemeente = property(lambda self: self.table("leerlingen_woongemeente"))

    # -- persistence --------------------------------------------------------------
    def save(self, path: str | Path, overwrite: bool = True) -> Path:
        """Write the Atlas atomically as a folder of Parquet + GeoJSON + manifest.json."""
        return write_store(self, Path(path), overwrite=overwrite)

    @classmethod
    def load(cls, path: str | Path, validate: bool = True) -> Atlas:
        """Load a saved Atlas; checksums and (by default) the tables are validated."""
        tables, meta, geometry = read_store(Path(path), validate=validate)
        return cls(tables, AtlasMeta.from_dict(meta), geometry)

    # -- summary ------------------------------------------------------------------
    def pupils_by_type(self) -> pd.Series:
        """Pupils at school locations per school type (national totals)."""
        s = self.scholen.groupby("soort")["leerlingen"].sum()
        return s.reindex(list(SCHOOL_TYPES), fill_value=0).astype(int)

    def summary(self) -> dict:
        """Counts, totals and participation rates, as ``nabij atlas info`` shows them."""
        by_type = self.pupils_by_type()
        po = int(by_type[["BAO", "SBO", "SO"]].sum())
        vo = int(by_type[["VO", "PRO", "VSO"]].sum())
        swv = self.swv
        counts = {
            "gemeenten": len(self.gemeenten),
            "pc4": len(self.pc4),
            "jeugdregios": len(self.jeugdregios),
            "swv_po": int((swv["sector"] == "PO").sum()),
            "swv_vo": int((swv["sector"] == "VO").sum()),
            "scholen": int(self.scholen["vestiging"].nunique()),
            "besturen": len(self.besturen),
            "stromen": len(self.stromen) if self.has("stromen") else 0,
        }
        for t in by_type.index:
            counts[f"vestigingen_{t}"] = int((self.scholen["soort"] == t).sum())
        split = self._split_gemeenten()
        return {
            "naam": self.meta.name,
            "referentiejaar": self.meta.reference_year,
            "aantallen": counts,
            "leerlingen": {t: int(v) for t, v in by_type.items()}
            | {"totaal PO": po, "totaal VO": vo},
            "deelname": {
                "SBO": by_type["SBO"] / po if po else 0.0,
                "SO": by_type["SO"] / po if po else 0.0,
                "VSO": by_type["VSO"] / vo if vo else 0.0,
                "PRO": by_type["PRO"] / (vo - by_type["VSO"]) if vo else 0.0,
            },
            "gesplitste_gemeenten": split,
            "herkomst": {
                name: self.meta.status(name) for name in TABLES if self.has(name)
            },
            "notities": list(self.meta.notes),
        }

    def _split_gemeenten(self) -> dict[str, int]:
        ind = self.indeling.merge(self.pc4[["pc4", "gemeente"]], on="pc4")
        return {
            sector: int((ind.groupby("gemeente")[f"swv_{sector.lower()}"].nunique() > 1).sum())
            for sector in ("PO", "VO")
        }

    def __repr__(self) -> str:
        return (
            f"Atlas({self.meta.name!r}, {self.meta.reference_year}, "
            f"{len(self.gemeenten)} gemeenten, {len(self.pc4)} pc4, "
            f"{len(self.scholen)} scholen)"
        )


def save_atlas(atlas: Atlas, path: Path, overwrite: bool = True) -> Path:
    """Write ``atlas`` to ``path`` (a folder) atomically and return the path."""
    return atlas.save(path, overwrite=overwrite)


def load_atlas(path: Path, validate: bool = True) -> Atlas:
    """Load a stored Atlas; verify checksums, then (optionally) validate the tables."""
    return Atlas.load(path, validate=validate)
