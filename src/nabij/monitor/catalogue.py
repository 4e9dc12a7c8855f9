"""The indicator catalogue: a documented TOML file (``indicatoren.toml``), extensible by users.

Each indicator says what is counted (``teller``/``noemer``, ``schaal``), in which unit it is
shown, which direction is better, where the figures come from, at which level and period they
exist, how nabij computes them (``berekening``) and which indicators must be shown beside it
(``toon_met``: thuiszitters are never shown without the vrijstellingen).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from nabij.divisions.provision import PROVISION_TYPES
from nabij.errors import InputError, Problem
from nabij.tables import SCHOOL_TYPES

BUILTIN = Path(__file__).with_name("indicatoren.toml")
DIRECTIONS = ("lager", "hoger", "geen")
LEVELS = ("pc4", "gemeente", "school", "regio")
PERIODS = ("schooljaar", "halfjaar")
SECTORS = ("PO", "VO", "PO+VO")
METHODS = ("deelname", "register", "afstand", "grensverkeer", "vervoer")
REQUIRED = ("id", "naam", "definitie", "eenheid", "richting", "bron", "niveau", "peildatum",
            "periode", "sector", "berekening")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue (field names as in the TOML file)."""

    id: str
    naam: str
    definitie: str
    eenheid: str
    richting: str
    bron: str
    niveau: str
    peildatum: str
    periode: str
    sector: str
    berekening: str
    schaal: float = 1.0
    teller: tuple[str, ...] = ()
    noemer: tuple[str, ...] = ()
    toon_met: tuple[str, ...] = ()
    gemodelleerd: bool = False

    @property
    def is_count_based(self) -> bool:
        """Values are ratios of pupil counts (so counts can be small and must be suppressed)."""
        return self.berekening in ("deelname", "register")

    @property
    def better_lower(self) -> bool | None:
        return {"lager": True, "hoger": False}.get(self.richting)


@dataclass(frozen=True)
class Catalogue:
    """Indicators by id, in catalogue order."""

    indicators: Mapping[str, Indicator] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Indicator:
        if key not in self.indicators:
            raise KeyError(f"onbekende indicator '{key}'")
        return self.indicators[key]

    def __contains__(self, key: object) -> bool:
        return key in self.indicators

    def __iter__(self):
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def ids(self) -> list[str]:
        return list(self.indicators)

    def with_companions(self, ids: Iterable[str]) -> list[str]:
        """``ids`` plus every indicator they must be shown with, in catalogue order."""
        want = set(ids)
        for i in list(want):
            want |= set(self[i].toon_met)
        return [i for i in self.indicators if i in want]

    def for_sectors(self, sectors: Iterable[str]) -> list[str]:
        """Indicators relevant to a division of these sectors (PO+VO ones always)."""
        s = set(sectors)
        return [i.id for i in self if i.sector == "PO+VO" or i.sector in s]

    def merged(self, other: Catalogue) -> Catalogue:
        """This catalogue with ``other``'s indicators added (same id: ``other`` wins)."""
        out = dict(self.indicators)
        out.update(other.indicators)
        return Catalogue(out)


def _check(raw: Mapping, file: str, k: int) -> tuple[Indicator | None, list[Problem]]:
    where = f"indicator {k}"
    problems = [Problem(f"{where}: veld '{f}' ontbreekt", file, None, f)
                for f in REQUIRED if not str(raw.get(f, "")).strip()]
    known = {f.name for f in fields(Indicator)}
    problems += [Problem(f"{where}: onbekend veld '{f}'", file, None, f)
                 for f in raw if f not in known]
    if problems:
        return None, problems
    iid = str(raw["id"])
    choices = {"richting": DIRECTIONS, "niveau": LEVELS, "periode": PERIODS,
               "sector": SECTORS, "berekening": METHODS}
    for f, allowed in choices.items():
        if raw[f] not in allowed:
            problems.append(Problem(f"{iid}: '{raw[f]}' is geen geldige waarde; kies uit "
                                    f"{', '.join(allowed)}", file, None, f))
    if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
        problems.append(Problem(f"'{iid}': gebruik kleine letters, cijfers en _", file, None,
                                "id"))
    allowed_types: Collection[str] = (PROVISION_TYPES if raw["berekening"] == "afstand"
                                      else SCHOOL_TYPES)
    for f in ("teller", "noemer"):
        bad = [t for t in raw.get(f, []) if t not in allowed_types]
        if bad:
            problems.append(Problem(f"{iid}: onbekende soort(en) {', '.join(bad)}; kies uit "
                                    f"{', '.join(allowed_types)}",
                                    file, None, f))
    if raw["berekening"] == "deelname" and not (raw.get("teller") and raw.get("noemer")):
        problems.append(Problem(f"{iid}: 'deelname' heeft 'teller' en 'noemer' nodig", file))
    try:
        schaal = float(raw.get("schaal", 1.0))
    except (TypeError, ValueError):
        schaal = 0.0
    if schaal <= 0:
        problems.append(Problem(f"{iid}: schaal moet een positief getal zijn", file, None,
                                "schaal"))
    if problems:
        return None, problems
    values = dict(raw) | {"schaal": schaal,
                          "gemodelleerd": bool(raw.get("gemodelleerd", False))}
    for f in ("teller", "noemer", "toon_met"):
        values[f] = tuple(str(x) for x in raw.get(f, ()))
    return Indicator(**values), []


def parse_catalogue(text: str, file: str = "indicatoren.toml") -> Catalogue:
    """A catalogue from TOML text; InputError (Dutch, naming the field) when invalid."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError("Indicatorcatalogus is geen geldige TOML",
                         [Problem(str(e), file)]) from e
    items = data.get("indicator")
    if not isinstance(items, list) or not items:
        raise InputError("Indicatorcatalogus is leeg",
                         [Problem("geen [[indicator]]-blokken gevonden", file)])
    out: dict[str, Indicator] = {}
    problems: list[Problem] = []
    for k, raw in enumerate(items, start=1):
        ind, p = _check(raw, file, k)
        problems += p
        if ind is not None:
            if ind.id in out:
                problems.append(Problem(f"id '{ind.id}' komt twee keer voor", file, None, "id"))
            out[ind.id] = ind
    if problems:
        raise InputError(f"Indicatorcatalogus {file} is ongeldig", problems)
    return Catalogue(out)


def check_companions(cat: Catalogue, file: str = "indicatoren.toml") -> Catalogue:
    """Every ``toon_met`` refers to an indicator in the catalogue."""
    bad = [Problem(f"{i.id}: toon_met noemt onbekende indicator '{c}'", file, None, "toon_met")
           for i in cat for c in i.toon_met if c not in cat]
    if bad:
        raise InputError(f"Indicatorcatalogus {file} is ongeldig", bad)
    return cat


def load_catalogue(extra: str | Path | None = None) -> Catalogue:
    """The built-in catalogue, extended (or overridden per id) by a user's TOML file."""
    cat = parse_catalogue(BUILTIN.read_text(encoding="utf-8"), BUILTIN.name)
    if extra is not None:
        path = Path(extra)
        if not path.is_file():
            raise InputError(f"Indicatorcatalogus {path} bestaat niet")
        cat = cat.merged(parse_catalogue(path.read_text(encoding="utf-8"), path.name))
    return check_companions(cat)
