"""What the loket contributes to the region page, the aggregates (lezer) and the search."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from nabij.casework import clock
from nabij.casework.kinds import CaseKind, Status
from nabij.web.casus import service
from nabij.web.casus.clock import today
from nabij.web.casus.models import Case
from nabij.web.regio.access import AREAS, has_role, visible
from nabij.web.regio.aggregates import CountTable
from nabij.web.regio.registry import SearchHit


def region_panel(request: HttpRequest, region) -> str | None:
    """Open cases and clock signals on the region page (casework roles only)."""
    if not has_role(request.user, region, AREAS["casus"]):
        return None
    from nabij.web.casus.views import _signals

    rows = visible(request.user, Case.objects.filter(region=region))
    return render_to_string("casus/panel.html", {
        "region": region, "open": rows.exclude(
            status__in=[s.value for s in Status if s.is_terminal]).count(),
        "signals": _signals(request.user, region, today())}, request=request)


def region_counts(region) -> list[CountTable]:
    """Counts for the aggregate view (published, i.e. suppressed, by the caller)."""
    from nabij.web.casus.views import light_case

    open_rows = list(Case.objects.filter(region=region).exclude(
        status__in=[s.value for s in Status if s.is_terminal]).only(
        "id", "kind", "status", "registered_on", "out_of_school_since", "offer_on",
        "closed_on", "birth_year", "gemeente"))
    day = today()
    levels = [clock.clock(light_case(r), day).level for r in open_rows
              if r.kind == CaseKind.THUISZITTER.value]
    return [
        CountTable("Open zaken van het loket, naar soort",
                   [(k.label, sum(r.kind == k.value for r in open_rows)) for k in CaseKind]),
        CountTable("Thuiszitters met een open zaak, naar klok",
                   [(lv.label, levels.count(lv)) for lv in (
                       clock.Level.LOOPT, clock.Level.WAARSCHUWING, clock.Level.ESCALATIE,
                       clock.Level.AANBOD)]),
    ]


def search(user, q: str) -> list[SearchHit]:
    """Cases by number (Z000123), gemeente code or school code — through visible()."""
    from django.db.models import Q

    key = q.strip().upper()
    cond = Q(gemeente=key) | Q(school=key)
    digits = key.lstrip("Z").lstrip("0")
    if digits.isdigit():
        cond |= Q(pk=int(digits))
    rows = list(visible(user, Case.objects.filter(cond).select_related("region"))[:50])
    service.log_reads(rows, user, "behandeling", service.SHOWN_IN_SEARCH)
    return [SearchHit("Zaak", f"{c.number} ({c.get_kind_display()})",
                      f"{reverse('casus:detail', args=[c.pk])}", c.region.name,
                      c.get_status_display()) for c in rows]
