"""What the overleg contributes to the region page, the aggregates and the search."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from nabij.web.overleg.models import Agreement, Meeting
from nabij.web.overleg.rules import is_overdue
from nabij.web.overleg.status import agreement_rows, warnings_for
from nabij.web.regio.access import has_role, visible
from nabij.web.regio.aggregates import CountTable
from nabij.web.regio.registry import SearchHit


def region_panel(request: HttpRequest, region) -> str | None:
    """Warnings and indicator agreements on the region page (overleg members only)."""
    from nabij.web.regio.access import AREAS

    if not has_role(request.user, region, AREAS["overleg"]):
        return None
    agreements = list(visible(request.user, Agreement.objects.filter(region=region))
                      .select_related("owner"))
    rows = [r for r in agreement_rows(agreements, region) if r.agreement.indicator]
    return render_to_string("overleg/panel.html", {
        "region": region, "warnings": warnings_for(region, timezone.localdate(), agreements),
        "indicator_rows": rows}, request=request)


def region_counts(region) -> list[CountTable]:
    """Count tables for the aggregate view (published by the caller)."""
    today = timezone.localdate()
    ags = list(Agreement.objects.filter(region=region).values_list("deadline", "status"))
    meetings = list(Meeting.objects.filter(region=region).values_list("date", flat=True))
    return [
        CountTable("Vergaderingen", [("Gehouden", sum(d < today for d in meetings)),
                                     ("Gepland", sum(d >= today for d in meetings))]),
        CountTable("Afspraken naar status", [(label, sum(s == key for _, s in ags))
                                             for key, label in Agreement.Status.choices]),
        CountTable("Afspraken over de deadline",
                   [("Over de deadline", sum(is_overdue(today, d, s) for d, s in ags))],
                   with_total=False),
    ]


def search(user, q: str) -> list[SearchHit]:
    hits = []
    for a in visible(user, Agreement.objects.filter(title__icontains=q)
                     .select_related("region"))[:50]:
        hits.append(SearchHit("Afspraak", a.title, reverse("overleg:agreement", args=[a.pk]),
                              a.region.name, a.get_status_display()))
    for m in visible(user, Meeting.objects.filter(minutes__icontains=q)
                     .select_related("region"))[:50]:
        hits.append(SearchHit("Vergadering", str(m), reverse("overleg:meeting", args=[m.pk]),
                              m.region.name, "gevonden in het verslag"))
    return hits
