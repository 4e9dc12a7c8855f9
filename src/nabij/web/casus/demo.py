"""Demo cases: the synthetic case register (modelled) of a region, stored in the database."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from nabij.casework.synthetic import SyntheticRegister, region_population, synthetic_register
from nabij.web.casus.clock import make_key_file
from nabij.web.casus.models import Advice, Case, Desk, LedgerEntry, StatusChange
from nabij.web.regio.models import Membership, Organisation
from nabij.web.regio.roles import Category, Role


def load_demo_cases(atlas, regions, progress: Callable[[str], None] | None = None,
                    scale: float = 1.0) -> int:
    """Modelled cases for the first demo region (skipped when it already has cases)."""
    if not regions or Case.objects.filter(region=regions[0]).exists():
        return 0
    region = regions[0]
    (progress or (lambda _m: None))("loket: synthetische zaken (gemodelleerd)")
    codes = [g["code"] for g in region.gemeenten]
    pupils, schools = region_population(atlas, codes)
    reg = synthetic_register(region.code, pupils, schools, timezone.localdate(), scale=scale)
    make_key_file(region)
    return store_register(region, reg)


@transaction.atomic
def store_register(region, reg: SyntheticRegister) -> int:
    """Insert ``reg`` into ``region`` in bulk; returns the number of cases."""
    coord = Membership.objects.filter(region=region, role=Role.REGIOCOORDINATOR).first()
    designated = coord.user if coord else None
    Desk.objects.update_or_create(region=region, defaults={"designated": designated})
    name = designated.get_username() if designated else ""
    rows = [_row(region, c, name) for c in reg.cases]
    Case.objects.bulk_create(rows, batch_size=2000)
    by_id = dict(zip((c.id for c in reg.cases), rows, strict=True))
    StatusChange.objects.bulk_create(
        [StatusChange(case=by_id[c.id], region=region, on=s.on, status=s.status.value,
                      by=s.by, note=s.note) for c in reg.cases
         for s in ((_first(c),) + c.history)], batch_size=5000)
    Advice.objects.bulk_create(
        [Advice(case=by_id[c.id], region=region, person=a.assessor.person,
                organisation=a.assessor.organisation, role=a.assessor.role.value, on=a.on,
                grant=a.grant, reasons=a.reasons, tried=a.tried,
                possible_education=a.possible_education, recorded_by="demo")
         for c in reg.cases for a in c.advices], batch_size=5000)
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(region=region, kind=e.kind.value, year=e.year, source=e.source.value,
                     cents=e.cents, on=e.on, by=e.by,
                     case=by_id.get(e.case_id) if e.case_id else None,
                     case_number=by_id[e.case_id].number if e.case_id in by_id else "",
                     note=e.note) for e in reg.ledger.entries], batch_size=5000)
    orgs = list(Organisation.objects.filter(parties__region=region,
                                            category__in=[Category.GEMEENTE, Category.SWV]))
    through = Case.organisations.through
    through.objects.bulk_create([through(case_id=r.pk, organisation_id=o.pk)
                                 for r in rows for o in orgs
                                 if o.category == Category.SWV or o.code == r.gemeente],
                                batch_size=5000)
    return len(rows)


def _first(c):
    from nabij.casework.case import StatusChange as Plain
    from nabij.casework.kinds import Status

    return Plain(c.registered_on, Status.AANGEMELD, "demo")


def _row(region, c, designated: str) -> Case:
    ex, esc = c.exemption, c.escalation
    ruling = esc.decision if esc else None
    return Case(
        region=region, kind=c.kind.value, child=c.child, birth_year=c.birth_year,
        gemeente=c.gemeente, school=c.school or "", status=c.status.value,
        verzuim=c.verzuim.value if c.verzuim else "", registered_on=c.registered_on,
        out_of_school_since=c.out_of_school_since, offer_on=c.offer_on, closed_on=c.closed_on,
        source_ref="synthetisch (gemodelleerd)",
        decision_on=ex.on if ex else None, decision_by=ex.by if ex else "",
        decision_granted=ex.granted if ex else None, decision_reasons=ex.reasons if ex else "",
        valid_until=ex.valid_until if ex else None, reassess_on=ex.reassess_on if ex else None,
        escalated_on=esc.on if esc else None, escalated_by=esc.by if esc else "",
        escalation_reason=esc.reason if esc else "", designated=designated if esc else "",
        ruling_on=ruling.on if ruling else None, ruling_by=designated if ruling else "",
        ruling=ruling.decision if ruling else "", ruling_reasons=ruling.reasons if ruling else "",
        ruling_deadline=ruling.deadline if ruling else None)
