"""Doorzettingsmacht: when parties do not agree, the designated person decides.

A case is put before the person the region designated (with a reason); only that person
records the decision, with reasons and a deadline by which it must be carried out. While the
decision is open the case cannot be closed or withdrawn (:mod:`nabij.casework.flow`).
"""

from __future__ import annotations

from datetime import date

from nabij.casework.case import Case, Escalation, EscalationDecision
from nabij.casework.errors import CaseworkError


def escalate(case: Case, on: date, by: str, reason: str, designated: str) -> Case:
    """``case`` put before ``designated``; once per case, and not when it is closed."""
    problems = []
    if not case.is_open:
        problems.append(f"de zaak is {case.status.label}")
    if case.escalation is not None and case.escalation.is_open:
        problems.append(f"de zaak ligt al bij {case.escalation.designated}")
    elif case.escalation is not None:
        problems.append(f"{case.escalation.designated} heeft al beslist op "
                        f"{case.escalation.decision.on}; die beslissing geldt")  # type: ignore
    if not reason.strip():
        problems.append("geef aan waarover de partijen het niet eens zijn")
    if not designated.strip():
        problems.append("de regio heeft niemand met doorzettingsmacht aangewezen")
    if on < case.registered_on:
        problems.append(f"datum {on} ligt vóór de aanmelding ({case.registered_on})")
    if problems:
        raise CaseworkError(f"Zaak {case.id}: voorleggen kan niet: " + "; ".join(problems))
    return case.with_(escalation=Escalation(on=on, by=by, reason=reason.strip(),
                                            designated=designated))


def decide(case: Case, by: str, on: date, decision: str, reasons: str,
           deadline: date) -> Case:
    """``case`` with the decision of the person with doorzettingsmacht."""
    esc = case.escalation
    if esc is None or not esc.is_open:
        raise CaseworkError(f"Zaak {case.id}: er ligt geen open vraag bij de doorzettingsmacht")
    problems = []
    if by != esc.designated:
        problems.append(f"alleen {esc.designated} (aangewezen met doorzettingsmacht) beslist")
    if not decision.strip():
        problems.append("de beslissing ontbreekt")
    if not reasons.strip():
        problems.append("de onderbouwing ontbreekt")
    if on < esc.on:
        problems.append(f"beslisdatum {on} ligt vóór het voorleggen ({esc.on})")
    if deadline < on:
        problems.append(f"de termijn ({deadline}) ligt vóór de beslisdatum ({on})")
    if problems:
        raise CaseworkError(f"Zaak {case.id}: beslissing kan niet worden vastgelegd: "
                            + "; ".join(problems))
    made = EscalationDecision(on=on, by=by, decision=decision.strip(), reasons=reasons.strip(),
                              deadline=deadline)
    return case.with_(escalation=Escalation(esc.on, esc.by, esc.reason, esc.designated, made))


def overdue_decisions(cases: list[Case], today: date) -> list[Case]:
    """Cases whose doorzettingsmacht decision is past its deadline while the case is open."""
    return [c for c in cases
            if c.is_open and c.escalation is not None and c.escalation.decision is not None
            and c.escalation.decision.deadline < today]
