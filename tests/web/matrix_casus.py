"""Access-matrix entries of the loket (casework) and its objects in both test regions.

Markers: ``ZAAK-X`` is in a case of region X that the deelnemer's organisation (the gemeente)
takes part in; ``ZAAKLOKET-X`` in cases, advices and ledger lines only the loket and the
coordinator may see. The lezer sees neither: only suppressed aggregates and exports.
"""

from __future__ import annotations

from datetime import date, timedelta

from .matrix import ALL_ROLES, COORD, DEELNEMER, LOKET, Entry, region_kw

RPK = region_kw("region", "rpk")
CASUS = frozenset({COORD, DEELNEMER, LOKET})
WORK = frozenset({COORD, LOKET})
ONLY_COORD = frozenset({COORD})
BOTH = ("GET", "POST")

MARKERS: dict[str, frozenset[str]] = {
    "ZAAK-": frozenset({"beheerder", COORD, LOKET, DEELNEMER}),
    "ZAAKLOKET-": frozenset({"beheerder", COORD, LOKET}),
}
"""Marker prefix -> roles that may see the marker of their own region."""


def extra(key: str, param: str = "pk"):
    return lambda objs: {param: objs.extra[key].pk}


ENTRIES: dict[str, Entry] = {
    "casus:home": Entry(ALL_ROLES),
    "casus:list": Entry(CASUS, RPK, query="?q=GM9"),
    "casus:list_csv": Entry(WORK, RPK, query="?status=gemeld"),
    "casus:new": Entry(WORK, RPK, BOTH),
    "casus:import": Entry(WORK, RPK, BOTH),
    "casus:ledger": Entry(WORK, RPK, BOTH, post_allowed=ONLY_COORD),
    "casus:readlog": Entry(ONLY_COORD, RPK),
    "casus:desk": Entry(ONLY_COORD, RPK, BOTH),
    "casus:destruction": Entry(WORK, RPK, BOTH, post_allowed=ONLY_COORD),
    "casus:exports": Entry(ALL_ROLES, RPK),
    "casus:leerplicht_export": Entry(ALL_ROLES, RPK,
                                     query="?schooljaar=2024-2025&formaat=xlsx"),
    "casus:inspectie_export": Entry(ALL_ROLES, RPK, query="?periode=2025-K1&formaat=xlsx"),
    "casus:detail": Entry(CASUS, extra("case"), query="?doel=behandeling"),
    "casus:status": Entry(WORK, extra("case"), ("POST",),
                          data=lambda objs: {"status": "in_behandeling"}),
    "casus:advice": Entry(WORK, extra("case_5a"), BOTH),
    "casus:decision": Entry(WORK, extra("case_5a"), BOTH),
    "casus:escalate": Entry(WORK, extra("case"), BOTH),
    # only the designated person (the coordinator in the test world) records the decision
    "casus:ruling": Entry(ONLY_COORD, extra("case_escalated"), BOTH),
    "casus:spend": Entry(WORK, extra("case"), BOTH),
    "casus:document": Entry(WORK, extra("case"), BOTH),
    "casus:destruction_approve": Entry(WORK, extra("dlist"), ("POST",)),
    "casus:destruction_execute": Entry(ONLY_COORD, extra("dlist"), ("POST",)),
}


def populate(world) -> None:
    from nabij.web.casus.models import (
        Advice,
        Case,
        Desk,
        DestructionList,
        LedgerEntry,
        SharedDocument,
    )

    coordinator = world.users["regiocoordinator"]
    today = date.today()
    for key, objs in world.regions.items():
        region = objs.region
        Desk.objects.create(region=region, designated=coordinator)
        base = dict(region=region, birth_year=2013, gemeente=f"GM9{key}",
                    registered_on=today - timedelta(days=120))
        case = Case.objects.create(kind="thuiszitter", child=f"kind1{key}".ljust(32, "0"),
                                   verzuim="absoluut",
                                   out_of_school_since=today - timedelta(days=100), **base)
        case.organisations.set([objs.gemeente])
        SharedDocument.objects.create(case=case, title=f"Plan ZAAK-{key}",
                                      shared_with="jeugdhulp", consent=True, consent_on=today,
                                      recorded_by="test")
        escalated = Case.objects.create(
            kind="thuiszitter", child=f"kind2{key}".ljust(32, "0"), verzuim="relatief",
            out_of_school_since=today - timedelta(days=40), status="in_behandeling",
            escalated_on=today - timedelta(days=2), escalated_by="test-loket",
            escalation_reason=f"Oneens ZAAKLOKET-{key}", designated=coordinator.username,
            **base)
        case_5a = Case.objects.create(kind="vrijstelling_5a",
                                      child=f"kind3{key}".ljust(32, "0"),
                                      status="in_behandeling", **base)
        Advice.objects.create(case=case_5a, person="dr. J", organisation="GGD",
                              role="jeugdarts", on=today, grant=True,
                              reasons=f"Oordeel ZAAKLOKET-{key}", tried="rooster",
                              possible_education="deeltijd", recorded_by="test")
        LedgerEntry.objects.create(region=region, kind="budget", year=today.year,
                                   source="onderwijs", cents=1_000_000, on=today, by="test",
                                   note=f"Boeking ZAAKLOKET-{key}")
        dlist = DestructionList.objects.create(region=region, made_on=today,
                                               made_by="test", case_ids=[])
        objs.extra.update(case=case, case_escalated=escalated, case_5a=case_5a, dlist=dlist)
