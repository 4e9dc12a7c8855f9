"""Views of the monitor's targets and notes. Each looks its region or target up through
``visible()`` (404 for a region the user may not see) and checks ``monitor.manage`` before it
changes anything (403); every change is recorded by simple-history (the region's Historie)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from nabij.web.monitor.forms import RULE, EndTargetForm, NoteForm, TargetForm
from nabij.web.monitor.models import Note, Target
from nabij.web.monitor.targets import describe, fields_of, targets_csv
from nabij.web.regio.access import get_visible_or_404, visible
from nabij.web.regio.indicators import monitor_indicators
from nabij.web.regio.models import Region
from nabij.web.regio.pages import page, region_crumbs, require

AREA = "regio"
"""Who reads the targets and notes: the members of the region who see its details
(coordinator, deelnemer, loket) and the beheerder; a lezer sees the aggregates page."""


def _region(request: HttpRequest, rpk: int) -> Region:
    return get_visible_or_404(request.user, Region.objects.select_related("division"), AREA,
                              pk=rpk)


def _target(request: HttpRequest, pk: int) -> Target:
    return get_visible_or_404(request.user, Target.objects.select_related(
        "region", "region__division"), pk=pk)


def _crumbs(region, *rest):
    return region_crumbs(region, ("Monitor", reverse("monitor:region", args=[region.pk])),
                         *rest)


@login_required
def region_monitor(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    targets = list(visible(request.user, Target.objects.filter(region=region)))
    active = {t.indicator: t for t in targets if t.ended_on is None}
    names = {k: d.get("naam", k) for k, d in (region.division.monitor_catalogue or {}).items()}
    ended = [(t, describe(t, None), names.get(t.indicator, t.indicator)) for t in targets
             if t.ended_on is not None]
    notes = [(n, names.get(n.indicator, n.indicator) if n.indicator else "alle indicatoren")
             for n in visible(request.user, Note.objects.filter(region=region))]
    rows = []
    for i in monitor_indicators(region):
        ind = i.key.split(":", 1)[1]
        rows.append((i, ind, active.get(ind)))
    return page(request, "monitor/region.html", {
        "region": region, "rows": rows, "ended": ended, "notes": notes,
        "sources": region.division.monitor_sources,
        "may_manage": request.user.has_perm("monitor.manage", region),
    }, region_crumbs(region, ("Monitor", None)), nav="regio")


def _form_page(request: HttpRequest, form, region, title: str, submit: str, intro: str = ""):
    return page(request, "form_page.html", {
        "form": form, "region": region, "title": title, "submit": submit, "intro": intro,
        "cancel": reverse("monitor:region", args=[region.pk])},
        _crumbs(region, (title, None)), nav="regio")


INTRO = ("Een doel gaat van een basiswaarde in het basisjaar naar een doelwaarde in het "
         "doeljaar, langs een rechte lijn of in stappen. De status per periode (op koers, "
         "achter, ver achter) rekent de monitor uit.")


@login_required
def target_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "monitor.manage", region)
    initial = {"indicator": request.GET.get("indicator", "")[:100]}
    form = TargetForm(request.POST or None, region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            t = form.save(request.user)
        messages.success(request, f"Doel vastgelegd: {describe(t, form.resolved)}.")
        return redirect("monitor:region", rpk=region.pk)
    return _form_page(request, form, region, "Doel instellen", "Doel vastleggen", INTRO)


def _running_target(request: HttpRequest, pk: int, ended: str
                    ) -> tuple[Target, HttpResponse | None]:
    """A target the user may manage; with a redirect (and ``ended`` as message) when the
    target has already ended."""
    t = _target(request, pk)
    require(request.user, "monitor.manage", t)
    if t.ended_on is None:
        return t, None
    messages.error(request, ended)
    return t, redirect("monitor:region", rpk=t.region_id)


@login_required
def target_edit(request: HttpRequest, pk: int):
    t, gone = _running_target(request, pk,
                              "Dit doel is beëindigd en kan niet meer worden gewijzigd.")
    if gone is not None:
        return gone
    initial = {**fields_of(t), "soort": RULE if t.regel else "waarde"}
    form = TargetForm(request.POST or None, region=t.region, instance=t, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            t = form.save(request.user)
        messages.success(request, f"Doel gewijzigd: {describe(t, form.resolved)}.")
        return redirect("monitor:region", rpk=t.region_id)
    return _form_page(request, form, t.region, "Doel wijzigen", "Wijziging opslaan", INTRO)


@login_required
def target_end(request: HttpRequest, pk: int):
    t, gone = _running_target(request, pk, "Dit doel is al beëindigd.")
    if gone is not None:
        return gone
    form = EndTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(t)
        messages.success(request, "Het doel is beëindigd; het blijft zichtbaar in de historie.")
        return redirect("monitor:region", rpk=t.region_id)
    return _form_page(request, form, t.region, "Doel beëindigen", "Doel beëindigen",
                      f"U beëindigt het doel {describe(t, None)}. Het verdwijnt uit de monitor "
                      "en blijft in de historie van de regio staan.")


@login_required
def note_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "monitor.manage", region)
    form = NoteForm(request.POST or None, region=region,
                    initial={"indicator": request.GET.get("indicator", "")[:100]})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(request.user)
        messages.success(request, "De toelichting is toegevoegd.")
        return redirect("monitor:region", rpk=region.pk)
    return _form_page(request, form, region, "Toelichting toevoegen", "Toelichting opslaan",
                      "Het verhaal achter de cijfers: wat verklaart een verandering, wat is "
                      "er afgesproken? De toelichting staat bij de indicator in de monitor.")


@login_required
def targets_download(request: HttpRequest, rpk: int) -> HttpResponse:
    """The region's running targets as a targets file for ``nabij monitor rapport --doelen``."""
    region = _region(request, rpk)
    targets = list(visible(request.user, Target.objects.filter(region=region,
                                                                ended_on__isnull=True)))
    response = HttpResponse(targets_csv(region, targets).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    name = f"doelen-{region.code}.csv".replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
