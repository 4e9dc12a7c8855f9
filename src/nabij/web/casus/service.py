"""Actions on cases: load the plain case, let a rule of :mod:`nabij.casework` decide, save.

Every action runs in one transaction; a refused action (``CaseworkError``, Dutch) changes
nothing. Actions that touch the doorbraakbudget lock the region's desk row first, so two
spends at the same moment cannot both use the last euro.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from nabij.casework import budget, doorzetting, flow, retention, vierogen
from nabij.casework import case as pure
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.casework.pseudonym import pseudonym
from nabij.web.casus.clock import key_for, today
from nabij.web.casus.convert import apply, new_entries, to_case, to_ledger
from nabij.web.casus.models import (
    Advice,
    Approval,
    Case,
    Desk,
    DestructionList,
    LedgerEntry,
    ReadLog,
    SharedDocument,
    StatusChange,
)


@dataclass(frozen=True)
class NewCase:
    """What the loket registers: the school's number is turned into a pseudonym at once."""

    kind: CaseKind
    number: str
    school: str
    birth_year: int
    gemeente: str
    verzuim: Verzuim | None = None
    out_of_school_since: date | None = None
    deadline: date | None = None


def _name(user) -> str:
    return user.get_username()


def _desk(region, lock: bool = False) -> Desk:
    desk, _ = Desk.objects.get_or_create(region=region)
    if lock:
        desk = Desk.objects.select_for_update().get(pk=desk.pk)
    return desk


def _save(row: Case, case: pure.Case) -> None:
    changed = apply(row, case)
    if changed:
        row.save(update_fields=changed)


@transaction.atomic
def register(region, user, new: NewCase, organisations=()) -> Case:
    """A new case in ``region``; refused without the region's key or with bad dates."""
    on = today()
    if new.kind is CaseKind.THUISZITTER and (new.verzuim is None
                                             or new.out_of_school_since is None):
        raise CaseworkError("Een thuiszitter heeft de soort verzuim en de datum 'thuis sinds'.")
    if new.out_of_school_since is not None and new.out_of_school_since > on:
        raise CaseworkError(f"'Thuis sinds' ({new.out_of_school_since}) ligt in de toekomst.")
    child = pseudonym(key_for(region), new.school or new.gemeente, new.number)
    row = Case.objects.create(
        region=region, kind=new.kind.value, child=child, birth_year=new.birth_year,
        gemeente=new.gemeente.upper(), school=new.school, registered_on=on,
        verzuim=new.verzuim.value if new.verzuim else "",
        out_of_school_since=new.out_of_school_since, deadline=new.deadline)
    row.organisations.set(organisations)
    StatusChange.objects.create(case=row, on=on, status=Status.AANGEMELD.value, by=_name(user))
    return row


@transaction.atomic
def change_status(row: Case, to: Status, user, note: str = "") -> Case:
    on = today()
    case = flow.transition(to_case(row), to, on, _name(user), note)
    _save(row, case)
    StatusChange.objects.create(case=row, on=on, status=to.value, by=_name(user), note=note)
    return row


@transaction.atomic
def add_advice(row: Case, user, person: str, organisation: str, role: AssessorRole,
               grant: bool, reasons: str, tried: str, possible_education: str) -> Advice:
    advice = pure.Advice(pure.Assessor(person, organisation, role), today(), grant, reasons,
                         tried, possible_education)
    vierogen.add_advice(to_case(row), advice)  # raises when refused
    return Advice.objects.create(case=row, person=person, organisation=organisation,
                                 role=role.value, on=advice.on, grant=grant, reasons=reasons,
                                 tried=tried, possible_education=possible_education,
                                 recorded_by=_name(user))


@transaction.atomic
def record_decision(row: Case, user, granted: bool, reasons: str,
                    valid_until: date | None, reassess_on: date | None) -> Case:
    decision = pure.ExemptionDecision(today(), _name(user), granted, reasons, valid_until,
                                      reassess_on)
    _save(row, vierogen.record_decision(to_case(row), decision))
    return row


@transaction.atomic
def escalate(row: Case, user, reason: str) -> Case:
    desk = _desk(row.region)
    designated = desk.designated.get_username() if desk.designated else ""
    _save(row, doorzetting.escalate(to_case(row), today(), _name(user), reason, designated))
    return row


@transaction.atomic
def rule(row: Case, user, decision: str, reasons: str, deadline: date) -> Case:
    _save(row, doorzetting.decide(to_case(row), _name(user), today(), decision, reasons,
                                  deadline))
    return row


def ledger(region) -> budget.Ledger:
    return to_ledger(region.pk, LedgerEntry.objects.filter(region=region).order_by("id"))


@transaction.atomic
def add_budget(region, user, year: int, source: Source, cents: int, note: str = "") -> None:
    _desk(region, lock=True)
    before = ledger(region)
    after = before.add_budget(year, source, cents, today(), _name(user), note)
    for e in new_entries(region, before, after):
        e.save()


@transaction.atomic
def spend(row: Case, user, source: Source, cents: int, note: str = "",
          commit: bool = False) -> LedgerEntry:
    """A spend (or, with ``commit``, a commitment) of the doorbraakbudget for ``row``."""
    if not to_case(row).is_open:
        raise CaseworkError(f"{row}: de zaak is {row.get_status_display()}")
    _desk(row.region, lock=True)
    before = ledger(row.region)
    act = before.commit if commit else before.spend
    after = act(str(row.pk), source, cents, today(), _name(user), note)
    entries = new_entries(row.region, before, after, row)
    for e in entries:
        e.save()
    return entries[-1]


def log_read(row: Case, user, purpose: str, what: str = "zaak bekeken") -> ReadLog:
    return ReadLog.objects.create(region_id=row.region_id, case=row, case_number=row.number,
                                  user=user, username=_name(user), purpose=purpose, what=what)


SHOWN_IN_LIST = "in zakenlijst getoond"
SHOWN_FILTERED = "in gefilterde zakenlijst getoond"
SHOWN_IN_SEARCH = "in zoekresultaat getoond"
EXPORTED = "in export (CSV) opgenomen"
"""What a list read was (the ``what`` of its read-log rows)."""


def log_reads(rows: Iterable[Case], user, purpose: str, what: str) -> int:
    """Log that ``rows`` were shown to ``user`` (a list, search or export): one append-only
    read-log row per case with its number only, written in one bulk insert. Returns the count.
    ``rows`` need ``id`` and ``region_id`` loaded (nothing else is read)."""
    name = _name(user)
    entries = [ReadLog(region_id=r.region_id, case_id=r.pk, case_number=r.number, user=user,
                       username=name, purpose=purpose, what=what) for r in rows]
    ReadLog.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


# -- retention ---------------------------------------------------------------------------------
def _plain_cases(region) -> list[pure.Case]:
    rows = Case.objects.filter(region=region, status__in=[s.value for s in Status
                                                          if s.is_terminal])
    return [pure.Case(id=str(r.pk), region=str(region.pk), kind=CaseKind(r.kind), child="",
                      birth_year=r.birth_year, gemeente=r.gemeente,
                      registered_on=r.registered_on, status=Status(r.status),
                      closed_on=r.closed_on) for r in rows]


@transaction.atomic
def make_destruction_list(region, user) -> DestructionList:
    dl = retention.make_list(_plain_cases(region), str(region.pk), today(), _name(user))
    return DestructionList.objects.create(region=region, made_on=dl.made_on, made_by=dl.made_by,
                                          case_ids=[int(i) for i in dl.case_ids])


def _plain_list(row: DestructionList) -> retention.DestructionList:
    return retention.DestructionList(
        str(row.region_id), row.made_on, row.made_by, tuple(str(i) for i in row.case_ids),
        tuple(retention.Approval(a.username, a.role, a.on) for a in row.approvals.all()))


@transaction.atomic
def approve(row: DestructionList, user, role: str) -> Approval:
    if row.executed_on is not None:
        raise CaseworkError("Deze vernietigingslijst is al uitgevoerd.")
    _plain_list(row).approve(_name(user), role, today())  # raises for a second approval
    return Approval.objects.create(dlist=row, username=_name(user), role=role, on=today())


@transaction.atomic
def execute(row: DestructionList) -> list[str]:
    """Destroy the listed cases that are still due, with their history (so nothing of them
    stays behind in the audit tables); returns the destroyed case numbers."""
    if row.executed_on is not None:
        raise CaseworkError("Deze vernietigingslijst is al uitgevoerd.")
    kept, gone = retention.carry_out(_plain_cases(row.region), _plain_list(row), today())
    ids = [int(i) for i in gone]
    numbers = [Case(pk=i).number for i in ids]
    for model in (Advice, StatusChange, SharedDocument):
        model.history.filter(case_id__in=ids).delete()
        model.objects.filter(case_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()
    Case.history.filter(id__in=ids).delete()  # cascades to the m2m history rows
    row.executed_on = today()
    row.destroyed = numbers
    row.save(update_fields=["executed_on", "destroyed"])
    return numbers


@transaction.atomic
def import_csv(region, user, data: bytes, name: str) -> int:
    """Every case of an uploaded CSV, or none (:func:`nabij.casework.importer.import_cases`
    checks all rows first; the inserts run in one transaction)."""
    from nabij.casework.importer import import_cases

    result = import_cases(data, name, region.code, key_for(region), today())
    who = _name(user)
    rows = [Case(region=region, kind=c.kind.value, child=c.child, birth_year=c.birth_year,
                 gemeente=c.gemeente, school=c.school or "", status=c.status.value,
                 verzuim=c.verzuim.value if c.verzuim else "", registered_on=c.registered_on,
                 out_of_school_since=c.out_of_school_since, offer_on=c.offer_on,
                 closed_on=c.closed_on, source_ref=c.source_ref or "",
                 decision_on=c.exemption.on if c.exemption else None,
                 decision_by=c.exemption.by if c.exemption else "",
                 decision_granted=c.exemption.granted if c.exemption else None,
                 decision_reasons=c.exemption.reasons if c.exemption else "",
                 valid_until=c.exemption.valid_until if c.exemption else None)
            for c in result.cases]
    for row in rows:
        row.save()
    StatusChange.objects.bulk_create(
        [StatusChange(case=row, region=region, on=s.on, status=s.status.value,
                      by=f"{who} (import)", note=s.note)
         for row, c in zip(rows, result.cases, strict=True) for s in c.history])
    return len(rows)
