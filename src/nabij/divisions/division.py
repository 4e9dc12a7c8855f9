"""A Division assigns every PC4 area to one region, for a sector or for funderend onderwijs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from nabij.errors import InputError, Problem
from nabij.io.atomic import atomic_write_text
from nabij.io.writers import write_csv
from nabij.sectors import SECTOR_CODES, Sector
from nabij.sectors import sector as sector_of

SECTOR_CHOICES = SECTOR_CODES

if TYPE_CHECKING:
    from nabij.atlas import Atlas


@dataclass(frozen=True)
class Division:
    """PC4 -> region for one sector (``PO``, ``VO``) or funderend onderwijs (``PO+VO``).

    ``assignment`` is a Series indexed by pc4 code (str) with region codes (str).
    ``recipe`` records how it was built (builder name and parameters), so that a scenario
    is just a Division with a name and a recipe.
    """

    name: str
    sector: str
    assignment: pd.Series
    recipe: Mapping = field(default_factory=dict)
    region_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sector_of(self.sector)  # InputError when unknown
        a = self.assignment.astype(str).copy()
        a.index = a.index.astype(str)
        a.index.name = "pc4"
        a.name = "regio"
        object.__setattr__(self, "assignment", a)
        object.__setattr__(self, "recipe", MappingProxyType(dict(self.recipe)))
        object.__setattr__(self, "region_names", MappingProxyType(dict(self.region_names)))

    def __reduce__(self) -> tuple:
        # picklable (a forked worker sends divisions back): the read-only views as dicts
        return (type(self), (self.name, self.sector, self.assignment, dict(self.recipe),
                             dict(self.region_names)))

    @property
    def regions(self) -> list[str]:
        """Region codes, sorted."""
        return sorted(self.assignment.unique())

    @property
    def n_regions(self) -> int:
        return int(self.assignment.nunique())

    @property
    def kind(self) -> Sector:
        """The :class:`~nabij.sectors.Sector` of this division (types, label, ages)."""
        return sector_of(self.sector)

    @property
    def sectors(self) -> tuple[str, ...]:
        """School sectors this division serves: ("PO",), ("VO",) or ("PO", "VO")."""
        return self.kind.sectors

    @property
    def types(self) -> tuple[str, ...]:
        """School types this division serves."""
        return self.kind.types

    def region_name(self, code: str) -> str:
        return self.region_names.get(code, code)

    def region_of(self, pc4: pd.Series | pd.Index) -> pd.Series:
        """Region of each pc4 code (NaN where unknown)."""
        return pd.Series(pd.Index(pc4).map(self.assignment), index=getattr(pc4, "index", None))

    def to_frame(self) -> pd.DataFrame:
        df = self.assignment.reset_index()
        df["regio_naam"] = df["regio"].map(lambda r: self.region_name(r))
        return df

    def problems(self, pc4_codes: pd.Series | pd.Index) -> list[Problem]:
        """Every PC4 of the atlas exactly once, nothing else (Dutch problems)."""
        want = pd.Index(pc4_codes).astype(str)
        have = self.assignment.index
        problems = []
        dup = have[have.duplicated()].unique()
        if len(dup):
            problems.append(Problem(f"postcodes meer dan eens ingedeeld: {', '.join(dup[:10])}"))
        missing = want.difference(have)
        if len(missing):
            problems.append(Problem(
                f"{len(missing)} postcodes zonder regio, bv. {', '.join(missing[:10])}"))
        extra = have.difference(want)
        if len(extra):
            problems.append(Problem(
                f"{len(extra)} onbekende postcodes, bv. {', '.join(extra[:10])}"))
        return problems

    def validate(self, pc4_codes: pd.Series | pd.Index) -> Division:
        """Raise InputError unless every PC4 is assigned exactly once."""
        p = self.problems(pc4_codes)
        if p:
            raise InputError(f"Indeling '{self.name}' is ongeldig", p)
        return self

    def components(self, atlas: Atlas) -> pd.Series:
        """Number of connected pieces per region on the atlas index's PC4 adjacency (the one
        the optimizer and the measures use: ferry links included)."""
        ix = atlas.index
        reg = self.assignment.reindex(ix.pc4)
        regions = pd.Index(sorted(reg.dropna().unique()))
        rid = regions.get_indexer(reg.to_numpy())
        if (rid < 0).any():
            raise InputError(f"Indeling '{self.name}' is ongeldig",
                             [Problem("niet elke postcode van de atlas is ingedeeld")])
        pieces = ix.region_pieces(rid, len(regions))
        return pd.Series(pieces, index=regions, name="delen")

    def noncontiguous(self, atlas: Atlas) -> list[str]:
        """Regions that fall apart into more than one piece."""
        c = self.components(atlas)
        return sorted(c[c > 1].index)

    def renamed(self, name: str, **recipe_updates: object) -> Division:
        return Division(name, self.sector, self.assignment,
                        dict(self.recipe) | recipe_updates, self.region_names)

    def to_csv(self, path: str | Path) -> Path:
        """Write ``pc4,regio,regio_naam`` atomically, with the recipe in a JSON sidecar."""
        path = write_csv(self.to_frame(), Path(path))
        recipe = {"naam": self.name, "sector": self.sector, "recept": dict(self.recipe)}
        atomic_write_text(path.with_suffix(".recept.json"),
                          json.dumps(recipe, indent=2, ensure_ascii=False, default=str))
        return path


def named_division(name: str, sector: str, assignment: pd.Series, recipe: Mapping,
                   table: pd.DataFrame, code: str) -> Division:
    """A Division named after a code table (columns ``code`` and ``naam``, e.g. ``swv``),
    with the names of the regions that occur in ``assignment``."""
    names = dict(zip(table[code].astype(str), table["naam"].astype(str), strict=True))
    used = set(assignment.unique())
    return Division(name, sector, assignment, recipe,
                    {k: v for k, v in names.items() if k in used})
