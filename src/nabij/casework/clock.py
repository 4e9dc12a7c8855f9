"""The clock of a child out of school: days at home, a warning, an escalation.

The clock runs from ``out_of_school_since``. It warns after four weeks and escalates after
three calendar months when no offer was made (defaults in :mod:`nabij.defaults`).
An offer stops the escalation clock; an offer that was not taken up (the case went back to
"in behandeling") starts it again from the same date. The days out of school keep counting
until the case is closed. ``today`` is always passed in, so tests and the web application's
test clock decide what "now" is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from nabij.casework.case import Case
from nabij.casework.periods import add_months
from nabij.defaults import CASE_ESCALATION_MONTHS, CASE_WARNING_DAYS


class Level(StrEnum):
    """How urgent a case's clock is."""

    GEEN = "geen"
    """No clock: the child is not out of school (or the case is not about that)."""
    LOOPT = "loopt"
    """Out of school, less than four weeks."""
    AANBOD = "aanbod"
    """An offer was made in time: the escalation clock stopped."""
    WAARSCHUWING = "waarschuwing"
    """Four weeks or more without an offer."""
    ESCALATIE = "escalatie"
    """Three months or more without an offer."""

    @property
    def label(self) -> str:
        return {
            "geen": "geen klok",
            "loopt": "klok loopt",
            "aanbod": "aanbod gedaan",
            "waarschuwing": "waarschuwing: 4 weken zonder aanbod",
            "escalatie": "escalatie: 3 maanden zonder aanbod",
        }[self.value]


@dataclass(frozen=True)
class ClockState:
    """The clock of one case on one day."""

    level: Level
    days_out: int
    """Days out of school (0 when there is no clock)."""
    warning_on: date | None = None
    escalation_on: date | None = None
    offer_late: bool = False
    """An offer was made, but only after the escalation date."""
    days_to_escalation: int | None = None
    """Days left before escalation while the clock runs (negative: overdue)."""


def due_dates(since: date, warning_days: int = CASE_WARNING_DAYS,
              escalation_months: int = CASE_ESCALATION_MONTHS) -> tuple[date, date]:
    """(warning date, escalation date) for a child out of school since ``since``."""
    return since + timedelta(days=warning_days), add_months(since, escalation_months)


def clock(case: Case, today: date, warning_days: int = CASE_WARNING_DAYS,
          escalation_months: int = CASE_ESCALATION_MONTHS) -> ClockState:
    """The clock of ``case`` on ``today``."""
    since = case.out_of_school_since
    if since is None:
        return ClockState(Level.GEEN, 0)
    end = min(today, case.closed_on) if case.closed_on else today
    days = max(0, (end - since).days)
    warning_on, escalation_on = due_dates(since, warning_days, escalation_months)
    if case.offer_on is not None and case.offer_on <= end:
        return ClockState(Level.AANBOD, days, warning_on, escalation_on,
                          offer_late=case.offer_on >= escalation_on)
    level = _level_at(end, warning_on, escalation_on)
    left = (escalation_on - today).days if case.is_open else None
    return ClockState(level, days, warning_on, escalation_on, days_to_escalation=left)


def _level_at(day: date, warning_on: date, escalation_on: date) -> Level:
    if day >= escalation_on:
        return Level.ESCALATIE
    if day >= warning_on:
        return Level.WAARSCHUWING
    return Level.LOOPT


def without_offer_longer_than(case: Case, day: date,
                              months: int = CASE_ESCALATION_MONTHS) -> bool:
    """On ``day``, was the child out of school for ``months`` or more without an offer?"""
    since = case.out_of_school_since
    if since is None or since > day:
        return False
    if case.closed_on is not None and case.closed_on < day:
        return False
    if case.offer_on is not None and case.offer_on <= day:
        return False
    return day >= add_months(since, months)


def count_waiting(since: Iterable[date | None], today: date, warning_days: int = CASE_WARNING_DAYS,
                  escalation_months: int = CASE_ESCALATION_MONTHS) -> tuple[int, int]:
    """(warnings, escalations) among open cases without an offer, from their "thuis sinds"
    dates: the same levels as :func:`clock`, counted at once for a whole list."""
    warning = escalation = 0
    for d in since:
        if d is None:
            continue
        warn_on, esc_on = due_dates(d, warning_days, escalation_months)
        if today >= esc_on:
            escalation += 1
        elif today >= warn_on:
            warning += 1
    return warning, escalation
