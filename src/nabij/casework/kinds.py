"""The words of casework: case kinds, statuses, kinds of absence, assessor roles, budget sources.

Every value is a ``StrEnum`` whose value is what is stored and exported (lower case, no
spaces) and whose :attr:`label` is the Dutch text a user reads. :func:`parse` accepts what
people type in a CSV or a form (case, spaces, hyphens and underscores do not matter).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from nabij.casework.errors import CaseworkError


class CaseKind(StrEnum):
    """What a case is about."""

    INTEGRAAL_VERZOEK = "integraal_verzoek"
    THUISZITTER = "thuiszitter"
    VRIJSTELLING_5A = "vrijstelling_5a"
    VRIJSTELLING_5B = "vrijstelling_5b"
    VRIJSTELLING_5C = "vrijstelling_5c"
    DOORBRAAK = "doorbraak"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_exemption(self) -> bool:
        return self in EXEMPTIONS


_KIND_LABELS = {
    CaseKind.INTEGRAAL_VERZOEK: "integraal verzoek",
    CaseKind.THUISZITTER: "thuiszitter",
    CaseKind.VRIJSTELLING_5A: "vrijstelling 5a",
    CaseKind.VRIJSTELLING_5B: "vrijstelling 5b",
    CaseKind.VRIJSTELLING_5C: "vrijstelling 5c",
    CaseKind.DOORBRAAK: "doorbraak",
}

EXEMPTIONS: frozenset[CaseKind] = frozenset(
    {CaseKind.VRIJSTELLING_5A, CaseKind.VRIJSTELLING_5B, CaseKind.VRIJSTELLING_5C})
"""Kinds that end in an exemption decision (Leerplichtwet art. 5 onder a, b, c)."""


class Status(StrEnum):
    """Where a case stands; the statuses schools and leerplicht already use."""

    AANGEMELD = "aangemeld"
    IN_BEHANDELING = "in_behandeling"
    AANBOD_GEDAAN = "aanbod_gedaan"
    AFGESLOTEN = "afgesloten"
    INGETROKKEN = "ingetrokken"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_terminal(self) -> bool:
        return self in (Status.AFGESLOTEN, Status.INGETROKKEN)


class Verzuim(StrEnum):
    """The kind of absence of a thuiszitter (Leerplichtwet art. 25 counts them apart)."""

    ABSOLUUT = "absoluut"
    """Of compulsory school age, not enrolled at any school, without exemption."""
    RELATIEF = "relatief"
    """Enrolled, absent without valid reason (langdurig: more than four weeks)."""

    @property
    def label(self) -> str:
        return {"absoluut": "absoluut verzuim",
                "relatief": "langdurig relatief verzuim"}[self.value]


class AssessorRole(StrEnum):
    """Who gives an advice on a 5a exemption."""

    JEUGDARTS = "jeugdarts"
    PSYCHOLOOG = "psycholoog"
    ORTHOPEDAGOOG = "orthopedagoog"
    LEERPLICHTAMBTENAAR = "leerplichtambtenaar"
    SWV = "swv"
    ONDERWIJS_ZORGTEAM = "onderwijs_zorgteam"

    @property
    def label(self) -> str:
        return {"swv": "deskundige samenwerkingsverband",
                "onderwijs_zorgteam": "onderwijs-zorgteam"}.get(self.value, self.value)


SECOND_EYES: frozenset[AssessorRole] = frozenset(
    {AssessorRole.LEERPLICHTAMBTENAAR, AssessorRole.SWV, AssessorRole.ONDERWIJS_ZORGTEAM})
"""Roles that may be the "other eyes" on a 5a exemption (seed 003, §3.2: de
leerplichtambtenaar, het samenwerkingsverband of het brede onderwijs-zorgteam)."""


class Source(StrEnum):
    """Where money in the doorbraakbudget comes from."""

    ONDERWIJS = "onderwijs"
    JEUGDHULP = "jeugdhulp"

    @property
    def label(self) -> str:
        return self.value


E = TypeVar("E", bound=StrEnum)


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_]+", "_", text.strip().lower()).replace("art._", "").strip("_")


def parse(enum: type[E], text: object) -> E:
    """The member of ``enum`` that ``text`` names (by value or Dutch label, loosely).

    Raises :class:`CaseworkError` naming the allowed values when nothing matches.
    """
    key = _norm(str(text))
    for member in enum:
        label = getattr(member, "label", member.value)
        if key in (_norm(member.value), _norm(label)):
            return member
    allowed = ", ".join(repr(getattr(m, "label", m.value)) for m in enum)
    raise CaseworkError(f"onbekende waarde '{text}'; toegestaan: {allowed}")
