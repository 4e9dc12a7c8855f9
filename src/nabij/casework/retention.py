"""Retention and destruction: closed cases go once their kind's retention period has passed.

A destruction list names the cases due on a day. It is carried out only when two different
people approved it, one of them a regiocoördinator (or beheerder); every case on it is checked
again at that moment, so a case that changed in between is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from nabij.casework.case import Case
from nabij.casework.errors import CaseworkError
from nabij.casework.periods import add_months
from nabij.defaults import CASE_RETENTION_YEARS

COORDINATOR_ROLES = frozenset({"regiocoordinator", "beheerder"})
"""Roles that may give the coordinator's approval of a destruction list."""


def destroy_after(case: Case, years: Mapping[str, int] = CASE_RETENTION_YEARS) -> date | None:
    """The first day ``case`` may be destroyed; None while it is open."""
    if case.is_open or case.closed_on is None:
        return None
    return add_months(case.closed_on, 12 * years[case.kind.value])


def due(cases: Iterable[Case], today: date,
        years: Mapping[str, int] = CASE_RETENTION_YEARS) -> list[Case]:
    """Closed or withdrawn cases whose retention period has passed on ``today``."""
    out = []
    for c in cases:
        day = destroy_after(c, years)
        if day is not None and day <= today:
            out.append(c)
    return out


@dataclass(frozen=True)
class Approval:
    person: str
    role: str
    on: date


@dataclass(frozen=True)
class DestructionList:
    """Cases proposed for destruction on ``made_on`` by ``made_by``, and who approved."""

    region: str
    made_on: date
    made_by: str
    case_ids: tuple[str, ...]
    approvals: tuple[Approval, ...] = ()

    def approve(self, person: str, role: str, on: date) -> DestructionList:
        if any(a.person == person for a in self.approvals):
            raise CaseworkError(f"{person} heeft deze vernietigingslijst al goedgekeurd; de "
                                "tweede goedkeuring komt van iemand anders")
        if on < self.made_on:
            raise CaseworkError(f"goedkeuring op {on} ligt vóór het opstellen ({self.made_on})")
        return DestructionList(self.region, self.made_on, self.made_by, self.case_ids,
                               self.approvals + (Approval(person, role, on),))

    def problems(self) -> list[str]:
        """Why the list may not be carried out yet (Dutch), empty when it may."""
        people = {a.person for a in self.approvals}
        out = []
        if len(people) < 2:
            out.append(f"{len(people)} van de 2 goedkeuringen; twee verschillende personen "
                       "keuren een vernietigingslijst goed")
        if not any(a.role in COORDINATOR_ROLES for a in self.approvals):
            out.append("een regiocoördinator moet de lijst goedkeuren")
        return out


def make_list(cases: Iterable[Case], region: str, today: date, by: str,
              years: Mapping[str, int] = CASE_RETENTION_YEARS) -> DestructionList:
    """The destruction list of ``region`` on ``today``."""
    ids = tuple(c.id for c in due((c for c in cases if c.region == region), today, years))
    return DestructionList(region, today, by, ids)


def carry_out(cases: Iterable[Case], dlist: DestructionList, today: date,
              years: Mapping[str, int] = CASE_RETENTION_YEARS) -> tuple[list[Case], list[str]]:
    """(cases kept, ids destroyed); raises when approvals are missing.

    A case on the list that is no longer due (reopened data, other region) is kept.
    """
    problems = dlist.problems()
    if problems:
        raise CaseworkError("Vernietigingslijst kan niet worden uitgevoerd: " + "; ".join(problems))
    listed = set(dlist.case_ids)
    kept, gone = [], []
    for c in cases:
        day = destroy_after(c, years)
        if (c.id in listed and c.region == dlist.region and day is not None and day <= today):
            gone.append(c.id)
        else:
            kept.append(c)
    return kept, gone
