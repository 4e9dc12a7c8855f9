"""The sector vocabulary (PO, VO, PO+VO funderend) and the one parser of user values.

:class:`Sector` is a value type: its code (``"PO"``, ``"VO"``, ``"PO+VO"``), school types,
school sectors, Dutch label and the PC4 column with the children of its age. Everything that
needs "which types belong to VO" or "how do we call PO+VO in Dutch" asks a Sector.

``parse_sector``, ``parse_level`` and ``parse_threshold`` turn what a user typed (CLI option,
CSV cell, library argument) into checked values; they raise :class:`nabij.errors.InputError`
with a Dutch message, the one error type of bad user input. A leaf module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nabij.errors import InputError, Problem
from nabij.tables import PO_TYPES, SECTOR_OF_TYPE, VO_TYPES

AGE_COLUMNS: dict[str, str] = {"PO": "kinderen_po", "VO": "kinderen_vo"}
"""The PC4 column with the children of a school sector's age (4-11 PO, 12-17 VO)."""


@dataclass(frozen=True)
class Sector:
    """One sector of a division: ``PO``, ``VO`` or ``PO+VO`` (funderend onderwijs)."""

    code: str
    types: tuple[str, ...]
    sectors: tuple[str, ...]
    label: str
    """Dutch short label, as used in region and scenario names: PO, VO, funderend."""
    long_label: str
    """Dutch label for sentences: primair onderwijs, voortgezet onderwijs, funderend onderwijs."""

    def __str__(self) -> str:
        return self.code

    @property
    def age_columns(self) -> tuple[str, ...]:
        """PC4 columns with the children this sector serves."""
        return tuple(AGE_COLUMNS[s] for s in self.sectors)

    @property
    def is_combined(self) -> bool:
        return len(self.sectors) > 1

    def special_types(self) -> tuple[str, ...]:
        """Special-education types (SBO, SO, VSO) of this sector."""
        return tuple(t for t in ("SBO", "SO", "VSO") if t in self.types)


PO = Sector("PO", PO_TYPES, ("PO",), "PO", "primair onderwijs")
VO = Sector("VO", VO_TYPES, ("VO",), "VO", "voortgezet onderwijs")
FUNDEREND = Sector("PO+VO", PO_TYPES + VO_TYPES, ("PO", "VO"), "funderend",
                   "funderend onderwijs")

SECTORS: dict[str, Sector] = {s.code: s for s in (PO, VO, FUNDEREND)}
"""Code -> Sector, in the order PO, VO, PO+VO."""

SECTOR_CODES: tuple[str, ...] = tuple(SECTORS)

_ALIASES = {"PO": "PO", "VO": "VO", "PO+VO": "PO+VO", "POVO": "PO+VO", "PO/VO": "PO+VO",
            "FUNDEREND": "PO+VO", "FO": "PO+VO"}

LEVELS: tuple[str, ...] = ("gemeente", "pc4")
"""Building blocks of a division: whole gemeenten or PC4 areas (``--niveau``)."""


def sector(value: str | Sector) -> Sector:
    """The Sector of a code or Sector (strict: ``PO``, ``VO`` or ``PO+VO``)."""
    if isinstance(value, Sector):
        return value
    try:
        return SECTORS[value]
    except (KeyError, TypeError):
        raise InputError(f"onbekende sector {value!r}",
                         [Problem("kies PO, VO of PO+VO")]) from None


def types_of(code: str | Sector) -> tuple[str, ...]:
    """School types of a sector code."""
    return sector(code).types


def sector_of_types(types: Iterable[str]) -> tuple[str, ...]:
    """School sectors ("PO", "VO") the given school types belong to, in that order."""
    found = {SECTOR_OF_TYPE[t] for t in types}
    return tuple(s for s in ("PO", "VO") if s in found)


def parse_sector(value: object, *, option: str = "--sector", file: str | None = None,
                 row: int | None = None, column: str | None = None) -> Sector:
    """A user's sector value, case- and space-insensitive: po, VO, po+vo, funderend, FO."""
    key = str(value).strip().upper().replace(" ", "")
    if key in _ALIASES:
        return SECTORS[_ALIASES[key]]
    where = file or option
    raise InputError(f"Ongeldige sector in {where}", [Problem(
        f"sector '{value}' onbekend; kies PO, VO of PO+VO (funderend)",
        file=file, row=row, column=column)])


def parse_level(value: object, choices: Iterable[str] = LEVELS, *,
                option: str = "--niveau") -> str:
    """A user's level value (``--niveau``), case-insensitive, one of ``choices``."""
    choices = tuple(choices)
    key = str(value).strip().lower()
    if key in choices:
        return key
    raise InputError(f"Ongeldige waarde voor {option}", [Problem(
        f"{option} '{value}': kies {', '.join(choices)}")])


def parse_threshold(value: object, *, option: str, minimum: float = 0.0,
                    integer: bool = False) -> float:
    """A user's threshold (pupils, km, share): a number >= ``minimum``.

    Accepts Dutch notation (``12.500``, ``0,5``) as well as ``12500`` and ``0.5``.
    """
    text = str(value).strip().replace(" ", "").replace("_", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3 and integer:
        text = text.replace(".", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number == number or number < minimum or (integer and not number.is_integer()):
        kind = "een geheel getal" if integer else "een getal"
        raise InputError(f"Ongeldige waarde voor {option}", [Problem(
            f"{option} '{value}': verwacht {kind} van minstens {minimum:g}")])
    return number
