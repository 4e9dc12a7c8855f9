"""The four-eyes rule for a 5a exemption: "nee, tenzij", and only after a second look.

Seed 003 (§3.2) advises to apply the vierogen-principe broadly and to start from "nee, tenzij"
— no exemption unless the case is weighty — with the other eyes from the leerplichtambtenaar,
the samenwerkingsverband or the school's onderwijs-zorgteam. Here that becomes:

- every advice is complete: the assessor's own judgement, reasons, what was tried, and which
  education would be possible;
- a decision (grant or refuse) needs at least two *independent* advices: different persons,
  different organisations **and** different roles, at least one of them from the other eyes
  (leerplicht, SWV, onderwijs-zorgteam), with reasons of their own (not a copy);
- an exemption is granted only when every independent advice supports it ("nee, tenzij");
  otherwise it is refused, or the case goes to the person with doorzettingsmacht;
- a granted exemption has a re-assessment date, at most twelve months on.
"""

from __future__ import annotations

from datetime import date

from nabij.casework.case import Advice, Assessor, Case, ExemptionDecision
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import SECOND_EYES, CaseKind
from nabij.casework.periods import add_months
from nabij.defaults import EXEMPTION_REASSESS_MONTHS
from nabij.errors import Problem

REQUIRED_TEXT = {
    "reasons": "onderbouwing",
    "tried": "wat is geprobeerd",
    "possible_education": "welk onderwijs wel mogelijk is",
}
"""Advice fields that must be filled in, with their Dutch names."""


def advice_problems(advice: Advice) -> list[str]:
    """What is missing in one advice (Dutch), empty when complete."""
    who = advice.assessor.person
    return [f"advies van {who}: '{dutch}' ontbreekt"
            for attr, dutch in REQUIRED_TEXT.items()
            if not str(getattr(advice, attr) or "").strip()]


def independent(a: Assessor, b: Assessor) -> bool:
    """Two assessors are independent: other person, other organisation and other role."""
    return (a.person != b.person and a.organisation.strip().lower() != b.organisation.strip()
            .lower() and a.role != b.role)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def independent_pair(advices: tuple[Advice, ...] | list[Advice]) -> tuple[Advice, Advice] | None:
    """Two complete, independent advices with reasons of their own, one from the other eyes."""
    complete = [a for a in advices if not advice_problems(a)]
    for i, a in enumerate(complete):
        for b in complete[i + 1:]:
            if not independent(a.assessor, b.assessor) or _same_text(a.reasons, b.reasons):
                continue
            if a.assessor.role in SECOND_EYES or b.assessor.role in SECOND_EYES:
                return a, b
    return None


def _pair_problems(advices: list[Advice]) -> list[str]:
    """Why no independent pair can be formed (Dutch), in the order a user fixes them."""
    complete = [a for a in advices if not advice_problems(a)]
    problems = [p for a in advices for p in advice_problems(a)]
    if len(complete) < 2:
        return problems + [f"er {'is' if len(complete) == 1 else 'zijn'} {len(complete)} "
                           "volledig advies; een besluit vraagt twee onafhankelijke adviezen"]
    orgs = {a.assessor.organisation.strip().lower() for a in complete}
    if len(orgs) < 2:
        return problems + ["beide adviezen komen van dezelfde organisatie "
                           f"({complete[0].assessor.organisation}); de tweede blik moet van "
                           "een andere organisatie komen"]
    if len({a.assessor.role for a in complete}) < 2:
        role = complete[0].assessor.role.label
        return problems + [f"beide adviseurs hebben dezelfde rol ({role}); de tweede blik moet "
                           "uit een andere rol komen"]
    if not any(a.assessor.role in SECOND_EYES for a in complete):
        roles = ", ".join(r.label for r in sorted(SECOND_EYES))
        return problems + [f"geen advies van de andere ogen ({roles})"]
    return problems + ["geen twee adviezen zijn onafhankelijk (andere persoon, organisatie en "
                       "rol) met een eigen onderbouwing"]


def decision_problems(case: Case, granted: bool, on: date,
                      reassess_on: date | None = None,
                      max_months: int = EXEMPTION_REASSESS_MONTHS) -> list[str]:
    """Why this decision on a 5a request may not be recorded (Dutch), empty when it may."""
    if case.kind is not CaseKind.VRIJSTELLING_5A:
        return []
    advices = [a for a in case.advices if a.on <= on]
    if independent_pair(advices) is None:
        return _pair_problems(advices)
    problems = []
    if granted:
        against = [a.assessor.person for a in advices
                   if not advice_problems(a) and not a.grant]
        if against:
            problems.append("nee, tenzij: niet alle adviseurs adviseren vrijstelling ("
                            + ", ".join(against) + " niet); weiger, of leg de zaak voor aan "
                            "wie doorzettingsmacht heeft")
        latest = add_months(on, max_months)
        if reassess_on is None:
            problems.append("een vrijstelling 5a krijgt een datum voor herbeoordeling")
        elif not on < reassess_on <= latest:
            problems.append(f"herbeoordeling op {reassess_on}: kies een datum na {on} en "
                            f"uiterlijk {latest} ({max_months} maanden)")
    return problems


def add_advice(case: Case, advice: Advice) -> Case:
    """``case`` with one more advice; an assessor gives one advice per case."""
    if not case.kind.is_exemption:
        raise CaseworkError(f"Zaak {case.id}: adviezen horen bij een vrijstellingsverzoek")
    if case.exemption is not None:
        raise CaseworkError(f"Zaak {case.id}: het besluit is al genomen; een nieuw advies hoort "
                            "bij de herbeoordeling (nieuwe zaak)")
    if any(a.assessor.person == advice.assessor.person for a in case.advices):
        raise CaseworkError(f"Zaak {case.id}: {advice.assessor.person} heeft al advies gegeven")
    problems = advice_problems(advice)
    if problems:
        raise CaseworkError(f"Zaak {case.id}: advies onvolledig", _as_problems(problems))
    return case.with_(advices=case.advices + (advice,))


def record_decision(case: Case, decision: ExemptionDecision,
                    max_months: int = EXEMPTION_REASSESS_MONTHS) -> Case:
    """``case`` with its exemption decision; refused (CaseworkError) when the rules say no."""
    if not case.kind.is_exemption:
        raise CaseworkError(f"Zaak {case.id}: een vrijstellingsbesluit hoort bij een "
                            "vrijstellingsverzoek")
    if case.exemption is not None:
        raise CaseworkError(f"Zaak {case.id}: er is al een besluit vastgelegd")
    problems = decision_problems(case, decision.granted, decision.on, decision.reassess_on,
                                 max_months)
    if not str(decision.reasons or "").strip():
        problems.append("het besluit heeft een onderbouwing nodig")
    if problems:
        raise CaseworkError(f"Zaak {case.id}: besluit kan niet worden vastgelegd",
                            _as_problems(problems))
    return case.with_(exemption=decision)


def reassessments_due(cases: list[Case], today: date, within_days: int = 30) -> list[Case]:
    """Granted exemptions whose re-assessment date is within ``within_days`` (or past)."""
    return [c for c in cases
            if c.exemption is not None and c.exemption.granted
            and c.exemption.reassess_on is not None
            and (c.exemption.reassess_on - today).days <= within_days]


def _as_problems(messages: list[str]) -> list[Problem]:
    return [Problem(m) for m in messages]
