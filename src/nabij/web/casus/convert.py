"""Between the database rows and the plain data the rules in :mod:`nabij.casework` work on."""

from __future__ import annotations

import pandas as pd

from nabij.casework import case as pure
from nabij.casework.budget import Entry, EntryKind, Ledger
from nabij.casework.counts import CASE_COLUMNS, normalise_frame
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.web.casus.models import Case, LedgerEntry


def to_case(row: Case) -> pure.Case:
    """The rules' view of one case (with its advices and status history)."""
    exemption = None
    if row.decision_on is not None:
        exemption = pure.ExemptionDecision(
            row.decision_on, row.decision_by, bool(row.decision_granted), row.decision_reasons,
            row.valid_until, row.reassess_on)
    escalation = None
    if row.escalated_on is not None:
        ruling = None
        if row.ruling_on is not None:
            # apply() stores a ruling with its deadline; the column is nullable for open cases
            assert row.ruling_deadline is not None, "uitspraak zonder termijn"
            ruling = pure.EscalationDecision(row.ruling_on, row.ruling_by, row.ruling,
                                             row.ruling_reasons, row.ruling_deadline)
        escalation = pure.Escalation(row.escalated_on, row.escalated_by, row.escalation_reason,
                                     row.designated, ruling)
    advices = tuple(pure.Advice(pure.Assessor(a.person, a.organisation, AssessorRole(a.role)),
                                a.on, a.grant, a.reasons, a.tried, a.possible_education)
                    for a in row.advices.all()) if row.pk else ()
    history = tuple(pure.StatusChange(s.on, Status(s.status), s.by, s.note)
                    for s in row.status_changes.all()) if row.pk else ()
    return pure.Case(
        id=row.number, region=str(row.region_id), kind=CaseKind(row.kind), child=row.child,
        birth_year=row.birth_year, gemeente=row.gemeente, registered_on=row.registered_on,
        school=row.school or None, status=Status(row.status),
        verzuim=Verzuim(row.verzuim) if row.verzuim else None,
        out_of_school_since=row.out_of_school_since, offer_on=row.offer_on,
        closed_on=row.closed_on, deadline=row.deadline, history=history, advices=advices,
        exemption=exemption, escalation=escalation)


def apply(row: Case, case: pure.Case) -> list[str]:
    """Copy what the rules changed back onto ``row``; returns the changed field names."""
    values: dict[str, object] = {
        "status": case.status.value, "offer_on": case.offer_on, "closed_on": case.closed_on,
    }
    ex = case.exemption
    if ex is not None:
        values |= {"decision_on": ex.on, "decision_by": ex.by, "decision_granted": ex.granted,
                   "decision_reasons": ex.reasons, "valid_until": ex.valid_until,
                   "reassess_on": ex.reassess_on}
    esc = case.escalation
    if esc is not None:
        values |= {"escalated_on": esc.on, "escalated_by": esc.by,
                   "escalation_reason": esc.reason, "designated": esc.designated}
        if esc.decision is not None:
            d = esc.decision
            values |= {"ruling_on": d.on, "ruling_by": d.by, "ruling": d.decision,
                       "ruling_reasons": d.reasons, "ruling_deadline": d.deadline}
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    for k in changed:
        setattr(row, k, values[k])
    return changed


FRAME_FIELDS = {
    "id": "id", "region": "region_id", "kind": "kind", "child": "child",
    "gemeente": "gemeente", "status": "status", "verzuim": "verzuim",
    "since": "out_of_school_since", "offer_on": "offer_on", "closed_on": "closed_on",
    "granted": "decision_granted", "decided_on": "decision_on", "valid_until": "valid_until",
}


def case_frame(queryset, region_key: str = "code") -> pd.DataFrame:
    """The counting frame of :mod:`nabij.casework.counts` straight from a queryset (one query,
    no model instances). ``region`` holds the region's ``code`` (or ``pk``)."""
    fields = list(FRAME_FIELDS.values())
    region_field = "region__code" if region_key == "code" else "region_id"
    fields[1] = region_field
    rows = list(queryset.values_list(*fields))
    df = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    df["verzuim"] = df["verzuim"].replace("", None)
    return normalise_frame(df)


def to_ledger(region_id: int, entries) -> Ledger:
    """The rules' ledger of one region from its entries (ordered as booked)."""
    return Ledger(str(region_id), tuple(
        Entry(id=str(e.pk), kind=EntryKind(e.kind), region=str(region_id), year=e.year,
              source=Source(e.source), cents=e.cents, on=e.on, by=e.by,
              case_id=str(e.case_id) if e.case_id else None,
              commitment=str(e.commitment_id) if e.commitment_id else None, note=e.note)
        for e in entries))


def new_entries(region, before: Ledger, after: Ledger, case: Case | None = None
                ) -> list[LedgerEntry]:
    """Rows for the entries ``after`` added to ``before`` (saved by the caller)."""
    out = []
    for e in after.entries[len(before.entries):]:
        out.append(LedgerEntry(
            region=region, kind=e.kind.value, year=e.year, source=e.source.value,
            cents=e.cents, on=e.on, by=e.by, case=case,
            case_number=case.number if case is not None else "",
            commitment_id=int(e.commitment) if e.commitment else None, note=e.note))
    return out
