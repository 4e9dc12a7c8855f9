"""School years, reporting periods and calendar arithmetic (months, not 30-day blocks)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from nabij.casework.errors import CaseworkError
from nabij.defaults import SCHOOL_YEAR_START_MONTH


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class Period:
    """A closed interval of days ``start .. end`` (both included)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise CaseworkError(
                f"periode {self.start} tot {self.end}: het einde ligt vóór het begin")

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Does ``start .. end`` (open-ended when ``end`` is None) overlap this period?"""
        if start is None:
            return False
        return start <= self.end and (end is None or end >= self.start)


@dataclass(frozen=True, order=True)
class SchoolYear(Period):
    """A school year, 1 August .. 31 July; written ``2024-2025``."""

    @classmethod
    def starting(cls, year: int) -> SchoolYear:
        start = date(year, SCHOOL_YEAR_START_MONTH, 1)
        return cls(start, add_months(start, 12) - timedelta(days=1))

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        """The school year ``day`` falls in."""
        year = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
        return cls.starting(year)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """``2024-2025`` (also ``2024/2025``, ``2024/25``)."""
        m = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", str(text))
        if not m:
            raise CaseworkError(f"schooljaar '{text}' niet herkend; schrijf bijvoorbeeld 2024-2025")
        first, second = int(m.group(1)), m.group(2)
        expected = first + 1
        if int(second) != (expected if len(second) == 4 else expected % 100):
            raise CaseworkError(
                f"schooljaar '{text}': het tweede jaar moet {expected} zijn (bijvoorbeeld "
                f"{first}-{expected})")
        return cls.starting(first)

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.start.year + 1}"


_QUARTER = re.compile(r"(\d{4})-?[KkQq]([1-4])")
_BIMESTER = re.compile(r"(\d{4})-?[Bb]([1-6])")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:/|\.\.|tot)\s*(\d{4}-\d{2}-\d{2})")


def parse_period(text: str) -> Period:
    """A reporting period: ``2025-01-01/2025-03-31``, ``2025-K1`` (quarter) or ``2025-B1``
    (two months: B1 = January–February ... B6 = November–December)."""
    s = str(text).strip()
    for pattern, months in ((_QUARTER, 3), (_BIMESTER, 2)):
        m = pattern.fullmatch(s)
        if m:
            start = date(int(m.group(1)), (int(m.group(2)) - 1) * months + 1, 1)
            return Period(start, add_months(start, months) - timedelta(days=1))
    m = _RANGE.fullmatch(s)
    if m:
        try:
            return Period(date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2)))
        except ValueError as e:
            raise CaseworkError(f"periode '{text}': ongeldige datum") from e
    raise CaseworkError(
        f"periode '{text}' niet herkend; schrijf bijvoorbeeld 2025-01-01/2025-03-31, 2025-K1 "
        "(kwartaal) of 2025-B1 (twee maanden)")
