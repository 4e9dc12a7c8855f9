"""Glue between the database and the pure rules: warnings and agreement rows of a region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nabij.web.overleg import rules
from nabij.web.overleg.models import AgendaItem, Agreement, Escalation, Meeting
from nabij.web.regio.indicators import catalogue


def warnings_for(region, today: date, agreements=None, meetings=None, vision=False
                 ) -> list[rules.Warning]:
    """All warnings of a region's overleg (meetings, agenda, vision, overdue agreements).

    The caller may pass what it fetched already: ``agreements``, ``meetings`` (with their
    items prefetched) and ``vision`` (the latest Vision or None)."""
    if meetings is None:
        dates = list(Meeting.objects.filter(region=region).values_list("date", flat=True))
        items = list(AgendaItem.objects.filter(region=region)
                     .values_list("meeting__date", "kind"))
    else:
        dates = [m.date for m in meetings]
        items = [(m.date, i.kind) for m in meetings for i in m.items.all()]
    if vision is False:
        adopted = region.visions.values_list("adopted_on", flat=True).first()
    else:
        adopted = vision.adopted_on if vision is not None else None
    if agreements is None:
        pairs = list(Agreement.objects.filter(region=region).values_list("deadline", "status"))
    else:
        pairs = [(a.deadline, a.status) for a in agreements]
    return rules.region_warnings(today, dates, items, adopted, pairs)


@dataclass
class Row:
    agreement: Agreement
    overdue: bool
    result: str
    current: float | None
    reached: bool | None
    unit: str

    def as_json(self) -> dict:
        a = self.agreement
        return {"id": a.pk, "afspraak": a.title, "eigenaar": a.owner.name,
                "deadline": a.deadline.isoformat(), "status": a.status, "te_laat": self.overdue,
                "indicator": a.indicator or None, "streefwaarde": a.target,
                "huidige_waarde": self.current, "behaald": self.reached,
                "op_te_leveren": a.deliverable or None}


def agreement_rows(agreements, region) -> list[Row]:
    """Each agreement with its overdue flag and the state of its measurable result."""
    from django.utils import timezone

    today = timezone.localdate()
    cat = catalogue(region)
    out = []
    for a in agreements:
        ind = cat.get(a.indicator) if a.indicator else None
        current = ind.current if ind else None
        better = ind.better if ind else None
        if a.indicator:
            label = a.indicator_label or (ind.label if ind else a.indicator)
            result = f"{label}: streefwaarde {_num(a.target)}"
        else:
            result = a.deliverable
        out.append(Row(a, rules.is_overdue(today, a.deadline, a.status), result, current,
                       rules.target_reached(current, a.target, better),
                       ind.unit if ind else ""))
    return out


def apply_decision(agreement: Agreement, escalation: Escalation) -> None:
    """An escalation's decision may set a new deadline and/or a new status."""
    changed = []
    if escalation.new_deadline:
        agreement.deadline = escalation.new_deadline
        changed.append("deadline")
    if escalation.new_status:
        agreement.status = escalation.new_status
        changed.append("status")
    if changed:
        agreement.save(update_fields=changed)


def _num(v: float | None) -> str:
    if v is None:
        return "–"
    s = f"{v:,.2f}".rstrip("0").rstrip(".")
    return s.replace(",", "_").replace(".", ",").replace("_", ".")
