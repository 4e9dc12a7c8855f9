"""The overleg's rules as plain functions on plain data (no database): warnings, overdue.

Thresholds live in :mod:`nabij.defaults` (``OVERLEG_*``) and follow the advice "Over de
lijnen" (seed 000: at least every half year; OOGO, LEA, OAB, VVE and "Van school naar duurzaam
werk" part of the one integral agenda) and seed 003 (an integral vision every four years).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from nabij.defaults import OVERLEG_AGENDA_WINDOW_DAYS as AGENDA_WINDOW_DAYS
from nabij.defaults import OVERLEG_MEETING_INTERVAL_DAYS as MEETING_INTERVAL_DAYS
from nabij.defaults import OVERLEG_VISION_MAX_YEARS as VISION_MAX_YEARS

AGENDA_TYPES = (
    ("oogo", "OOGO"),
    ("lea", "LEA"),
    ("oab", "OAB"),
    ("vve", "VVE"),
    ("school_werk", "Van school naar duurzaam werk"),
    ("integrale_visie", "integrale visie"),
    ("inclusiefonds", "inclusiefonds"),
    ("monitor", "monitor"),
    ("overig", "overig"),
)
STATUTORY_AGENDA = ("oogo", "lea", "oab", "vve", "school_werk")
"""Wettelijk verplichte overleggen that the integral agenda absorbs."""

OPEN_STATUSES = ("open", "loopt")
"""Statuses of an agreement that still has to deliver (overdue after its deadline)."""


@dataclass(frozen=True)
class Warning:
    code: str
    text: str


def _nl(d: date) -> str:
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december")
    return f"{d.day} {months[d.month - 1]} {d.year}"


def meeting_warnings(today: date, dates: Iterable[date]) -> list[Warning]:
    """No meeting held in the last half year; no meeting planned."""
    ds = sorted(dates)
    held = [d for d in ds if d <= today]
    planned = [d for d in ds if d >= today]
    out = []
    if not held:
        out.append(Warning("geen_vergadering", "Er is nog geen vergadering gehouden."))
    elif (today - held[-1]).days > MEETING_INTERVAL_DAYS:
        out.append(Warning("geen_vergadering",
                           "Er is in het afgelopen half jaar niet vergaderd (laatste vergadering: "
                           f"{_nl(held[-1])}). Het overleg komt ten minste halfjaarlijks bijeen."))
    if not planned:
        out.append(Warning("niets_gepland", "Er is geen volgende vergadering gepland."))
    return out


def agenda_warnings(today: date, items: Iterable[tuple[date, str]]) -> list[Warning]:
    """Statutory agenda types not discussed in a meeting held within the last year."""
    recent = {kind for d, kind in items if d <= today and (today - d).days <= AGENDA_WINDOW_DAYS}
    labels = dict(AGENDA_TYPES)
    return [Warning(f"agenda_{k}", f"{labels[k]} is in het afgelopen jaar niet besproken.")
            for k in STATUTORY_AGENDA if k not in recent]


def vision_warnings(today: date, adopted: date | None) -> list[Warning]:
    """No integral vision, or one older than four years."""
    if adopted is None:
        return [Warning("visie", "Er is geen integrale visie vastgesteld.")]
    try:
        due = adopted.replace(year=adopted.year + VISION_MAX_YEARS)
    except ValueError:  # 29 February
        due = adopted.replace(year=adopted.year + VISION_MAX_YEARS, day=28)
    if today > due:
        return [Warning("visie", f"De integrale visie is ouder dan vier jaar (vastgesteld op "
                                 f"{_nl(adopted)}).")]
    return []


def is_overdue(today: date, deadline: date | None, status: str) -> bool:
    return deadline is not None and status in OPEN_STATUSES and deadline < today


def overdue_warnings(today: date, agreements: Iterable[tuple[date | None, str]]) -> list[Warning]:
    n = sum(is_overdue(today, d, s) for d, s in agreements)
    if not n:
        return []
    word = "afspraak is" if n == 1 else "afspraken zijn"
    return [Warning("te_laat", f"{n} {word} over de deadline en nog niet gerealiseerd.")]


def region_warnings(today: date, meetings: Iterable[date], items: Iterable[tuple[date, str]],
                    vision: date | None, agreements: Iterable[tuple[date | None, str]]
                    ) -> list[Warning]:
    """All warnings of one region's overleg, in a fixed order."""
    return (meeting_warnings(today, meetings) + agenda_warnings(today, items)
            + vision_warnings(today, vision) + overdue_warnings(today, agreements))


def target_reached(current: float | None, target: float | None, better: str | None
                   ) -> bool | None:
    """Whether an indicator's current value meets its target (None when unknown)."""
    if current is None or target is None or better not in ("hoger", "lager"):
        return None
    return current >= target if better == "hoger" else current <= target


def counts_by_status(statuses: Iterable[str], labels: Mapping[str, str]) -> list[tuple[str, int]]:
    """(label, count) for every status, including zeros."""
    seen = list(statuses)
    return [(lbl, seen.count(key)) for key, lbl in labels.items()]
