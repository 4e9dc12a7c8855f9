"""The status flow of a case: an explicit transition table plus the conditions per step.

::

    aangemeld ──► in behandeling ──► aanbod gedaan ──► afgesloten
        │              │   ▲               │
        │              │   └───────────────┘  (offer not taken up: back to work)
        │              ├──► afgesloten        (exemption decided, request handled)
        └──────────────┴──► ingetrokken

"afgesloten" and "ingetrokken" are final: a child who needs help again gets a new case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from nabij.casework.case import Case, StatusChange
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import CaseKind, Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.AANGEMELD: frozenset({Status.IN_BEHANDELING, Status.INGETROKKEN}),
    Status.IN_BEHANDELING: frozenset(
        {Status.AANBOD_GEDAAN, Status.AFGESLOTEN, Status.INGETROKKEN}),
    Status.AANBOD_GEDAAN: frozenset({Status.AFGESLOTEN, Status.IN_BEHANDELING}),
    Status.AFGESLOTEN: frozenset(),
    Status.INGETROKKEN: frozenset(),
}
"""Status -> the statuses a case may move to from there."""


def _no_open_escalation(case: Case, to: Status) -> str | None:
    esc = case.escalation
    if to.is_terminal and esc is not None and esc.is_open:
        word = "afgesloten" if to is Status.AFGESLOTEN else "ingetrokken"
        return (f"de zaak is voorgelegd aan {esc.designated} (doorzettingsmacht) en kan pas "
                f"worden {word} als die beslissing is vastgelegd")
    return None


def _thuiszitter_closes_after_offer(case: Case, to: Status) -> str | None:
    if (case.kind is CaseKind.THUISZITTER and to is Status.AFGESLOTEN
            and case.status is not Status.AANBOD_GEDAAN):
        return "een thuiszitterszaak wordt pas afgesloten nadat een aanbod is gedaan"
    return None


def _exemption_closes_with_decision(case: Case, to: Status) -> str | None:
    if case.kind.is_exemption and to is Status.AFGESLOTEN and case.exemption is None:
        return f"een zaak '{case.kind.label}' wordt pas afgesloten als het besluit is vastgelegd"
    return None


def _exemption_has_no_offer(case: Case, to: Status) -> str | None:
    if case.kind.is_exemption and to is Status.AANBOD_GEDAAN:
        return "bij een vrijstellingsverzoek hoort een besluit, geen aanbod"
    return None


GUARDS: tuple[Callable[[Case, Status], str | None], ...] = (
    _no_open_escalation,
    _thuiszitter_closes_after_offer,
    _exemption_closes_with_decision,
    _exemption_has_no_offer,
)
"""Conditions checked on every step; each returns a Dutch reason to refuse, or None."""


def allowed(case: Case) -> list[Status]:
    """The statuses ``case`` may move to now (table and conditions)."""
    return [s for s in sorted(TRANSITIONS[case.status], key=list(Status).index)
            if not refusals(case, s)]


def refusals(case: Case, to: Status) -> list[str]:
    """Why ``case`` may not move to ``to`` (empty when it may)."""
    if to not in TRANSITIONS[case.status]:
        options = ", ".join(s.label for s in TRANSITIONS[case.status]) or "geen (eindstatus)"
        return [f"van '{case.status.label}' naar '{to.label}' mag niet; mogelijk: {options}"]
    return [r for guard in GUARDS if (r := guard(case, to))]


def transition(case: Case, to: Status, on: date, by: str, note: str = "") -> Case:
    """``case`` moved to status ``to`` on ``on`` by ``by``; raises :class:`CaseworkError`."""
    problems = refusals(case, to)
    if not problems and on < case.registered_on:
        problems = [f"datum {on} ligt vóór de aanmelding ({case.registered_on})"]
    if not problems and case.history and on < case.history[-1].on:
        problems = [f"datum {on} ligt vóór de vorige statuswijziging ({case.history[-1].on})"]
    if problems:
        raise CaseworkError(f"Zaak {case.id}: " + "; ".join(problems))
    changes: dict[str, object] = {
        "status": to, "history": case.history + (StatusChange(on, to, by, note),)}
    if to is Status.AANBOD_GEDAAN:
        changes["offer_on"] = on
    elif to is Status.IN_BEHANDELING and case.status is Status.AANBOD_GEDAAN:
        changes["offer_on"] = None  # the offer was not taken up: the clock runs again
    if to.is_terminal:
        changes["closed_on"] = on
    return case.with_(**changes)
