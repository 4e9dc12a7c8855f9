"""A case as plain, immutable data: the child (a pseudonym), its kind, status and history.

The rules (status flow, clock, four eyes, doorzettingsmacht, retention) are functions in the
sibling modules that take a :class:`Case` and return a new one; nothing here talks to a
database. A case holds the minimum casework needs (AVG data minimisation): a pseudonym, birth
year, gemeente, school, kind and dates — never a BSN, a name or an address.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from nabij.casework.kinds import AssessorRole, CaseKind, Status, Verzuim


@dataclass(frozen=True)
class Party:
    """An organisation involved in a case, in a role (school, leerplicht, swv, jeugdhulp...)."""

    organisation: str
    role: str


@dataclass(frozen=True)
class StatusChange:
    """One step in a case's status history."""

    on: date
    status: Status
    by: str
    note: str = ""


@dataclass(frozen=True)
class Assessor:
    """A person who advises on a 5a exemption: who, from which organisation, in which role."""

    person: str
    organisation: str
    role: AssessorRole


@dataclass(frozen=True)
class Advice:
    """One assessor's own judgement on a 5a exemption ("nee, tenzij").

    ``grant``: does this assessor advise to grant the exemption. ``tried``: what was tried to
    keep or get the child in education; ``possible_education``: which education would be
    possible (perhaps partly, perhaps with care) — both asked of every assessor.
    """

    assessor: Assessor
    on: date
    grant: bool
    reasons: str
    tried: str
    possible_education: str


@dataclass(frozen=True)
class ExemptionDecision:
    """The decision on an exemption request, with the date it must be looked at again."""

    on: date
    by: str
    granted: bool
    reasons: str
    valid_until: date | None = None
    reassess_on: date | None = None


@dataclass(frozen=True)
class EscalationDecision:
    """What the person with doorzettingsmacht decided, why, and by when it must be done."""

    on: date
    by: str
    decision: str
    reasons: str
    deadline: date


@dataclass(frozen=True)
class Escalation:
    """A case put before the person the region designated (doorzettingsmacht)."""

    on: date
    by: str
    reason: str
    designated: str
    decision: EscalationDecision | None = None

    @property
    def is_open(self) -> bool:
        return self.decision is None


@dataclass(frozen=True)
class Case:
    """One case of the one desk (loket) of a region."""

    id: str
    region: str
    kind: CaseKind
    child: str
    """Pseudonym of the child (:func:`nabij.casework.pseudonym.pseudonym`)."""
    birth_year: int
    gemeente: str
    """CBS code of the child's gemeente (the one responsible for leerplicht), e.g. GM0363."""
    registered_on: date
    school: str | None = None
    """Vestiging code of the school; ``None`` for a child enrolled nowhere."""
    status: Status = Status.AANGEMELD
    verzuim: Verzuim | None = None
    """For a thuiszitter: absoluut or (langdurig) relatief verzuim."""
    out_of_school_since: date | None = None
    offer_on: date | None = None
    """Date of the latest offer (status "aanbod gedaan"); stops the clock's escalation."""
    closed_on: date | None = None
    deadline: date | None = None
    parties: tuple[Party, ...] = ()
    history: tuple[StatusChange, ...] = ()
    advices: tuple[Advice, ...] = ()
    exemption: ExemptionDecision | None = None
    escalation: Escalation | None = None
    source_ref: str | None = field(default=None, compare=False)
    """Case number in the system it was imported from, if any."""

    def with_(self, **changes: object) -> Case:
        """A copy with ``changes`` (the case itself never changes)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal
