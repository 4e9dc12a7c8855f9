"""Views of the overleg register. Each looks its objects up through ``visible()`` (404 for a
foreign region) and checks the ``rules`` permission before it changes anything (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from nabij.web.overleg import exports, status
from nabij.web.overleg.forms import (
    AgendaItemForm,
    AgreementForm,
    EscalationForm,
    MeetingForm,
    StatusForm,
    VisionForm,
)
from nabij.web.overleg.models import Agreement, Meeting
from nabij.web.regio.access import get_visible_or_404, visible
from nabij.web.regio.models import Region
from nabij.web.regio.pages import page, region_crumbs, require


def _region(request: HttpRequest, rpk: int) -> Region:
    return get_visible_or_404(request.user, Region.objects.select_related("division"),
                              "overleg", pk=rpk)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(request.user, Meeting.objects.select_related("region"), pk=pk)


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_visible_or_404(request.user, Agreement.objects.select_related(
        "region", "region__division", "owner", "meeting"), pk=pk)


def _crumbs(region, *rest):
    from django.urls import reverse

    return region_crumbs(region, ("Overleg", reverse("overleg:register", args=[region.pk])),
                         *rest)


def _stored(form, view: str, obj):
    """Save an edit form; the redirect to the page of ``obj`` (``overleg:<view>``)."""
    form.save()
    return redirect(f"overleg:{view}", pk=obj.pk)


@login_required
def register(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    today = timezone.localdate()
    meetings = list(visible(request.user, Meeting.objects.filter(region=region))
                    .prefetch_related("items"))
    objs = list(visible(request.user, Agreement.objects.filter(region=region))
                .select_related("owner"))
    agreements = status.agreement_rows(objs, region)
    vision = region.visions.first()
    return page(request, "overleg/register.html", {
        "region": region, "warnings": status.warnings_for(region, today, objs, meetings, vision),
        "planned": [m for m in meetings if m.date >= today][::-1],
        "held": [m for m in meetings if m.date < today],
        "agreements": agreements, "vision": vision,
        "may_manage": request.user.has_perm("overleg.manage", region),
    }, region_crumbs(region, ("Overleg", None)), nav="regio")


def _form_view(request: HttpRequest, form, region, crumb: str, saved, **extra):
    """The flow of every overleg form: a valid POST is stored by ``saved(form)``, which returns
    the success message and the redirect; otherwise the form page (``extra``: title, submit,
    intro) under the crumb."""
    from django.urls import reverse

    if request.method == "POST" and form.is_valid():
        message, response = saved(form)
        messages.success(request, message)
        return response
    cancel = reverse("overleg:register", args=[region.pk])
    return page(request, "form_page.html",
                {"form": form, "region": region, "cancel": cancel, **extra},
                _crumbs(region, (crumb, None)), nav="regio")


@login_required
def meeting_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "overleg.manage", region)
    form = MeetingForm(request.POST or None, region=region,
                       instance=Meeting(region=region))

    def saved(form):
        m = form.save()
        return (f"De vergadering van {m.date:%d-%m-%Y} is gepland.",
                redirect("overleg:meeting", pk=m.pk))

    return _form_view(request, form, region, "Vergadering plannen", saved,
                      title="Vergadering plannen", submit="Vergadering plannen")


@login_required
def meeting_detail(request: HttpRequest, pk: int):
    m = _meeting(request, pk)
    return page(request, "overleg/meeting.html", {
        "meeting": m, "region": m.region, "items": m.items.all(),
        "present": m.present.all(), "agreements": m.agreements.select_related("owner"),
        "may_manage": request.user.has_perm("overleg.manage", m),
    }, _crumbs(m.region, (str(m), None)), nav="regio")


@login_required
def meeting_edit(request: HttpRequest, pk: int):
    m = _meeting(request, pk)
    require(request.user, "overleg.manage", m)
    form = MeetingForm(request.POST or None, region=m.region, instance=m)
    return _form_view(request, form, m.region, str(m),
                      lambda f: ("De vergadering is bijgewerkt.", _stored(f, "meeting", m)),
                      title=f"{m} bewerken", submit="Opslaan")


@login_required
def item_new(request: HttpRequest, pk: int):
    m = _meeting(request, pk)
    require(request.user, "overleg.manage", m)
    form = AgendaItemForm(request.POST or None, initial={"order": m.items.count() + 1})

    def saved(form):
        item = form.save(commit=False)
        item.meeting = m
        item.save()
        return f"Agendapunt '{item.title}' is toegevoegd.", redirect("overleg:meeting", pk=m.pk)

    return _form_view(request, form, m.region, str(m), saved,
                      title=f"Agendapunt toevoegen aan {m}", submit="Agendapunt toevoegen")


@login_required
def meeting_print(request: HttpRequest, pk: int, part: str):
    m = _meeting(request, pk)
    return page(request, "overleg/print.html", {
        "meeting": m, "region": m.region, "items": m.items.all(), "part": part,
        "present": m.present.all(), "agreements": m.agreements.select_related("owner"),
    })


@login_required
def vision_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "overleg.manage", region)
    from nabij.web.overleg.models import Vision

    form = VisionForm(request.POST or None, instance=Vision(region=region))

    def saved(form):
        form.save()
        return "De integrale visie is vastgelegd.", redirect("overleg:register", rpk=region.pk)

    return _form_view(request, form, region, "Integrale visie", saved,
                      title="Integrale visie vastleggen", submit="Vastleggen")


@login_required
def agreement_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "overleg.manage", region)
    form = AgreementForm(request.POST or None, region=region, instance=Agreement(region=region),
                         initial={"meeting": request.GET.get("vergadering")})

    def saved(form):
        a = form.save()
        return f"De afspraak '{a.title}' is vastgelegd.", redirect("overleg:agreement", pk=a.pk)

    return _form_view(request, form, region, "Afspraak vastleggen", saved,
                      title="Afspraak vastleggen", submit="Afspraak vastleggen")


@login_required
def agreement_detail(request: HttpRequest, pk: int):
    a = _agreement(request, pk)
    return page(request, "overleg/agreement.html", {
        "a": a, "region": a.region, "row": status.agreement_rows([a], a.region)[0],
        "parties": a.parties.all(), "escalations": a.escalations.all(),
        "status_form": StatusForm(instance=a),
        "may_manage": request.user.has_perm("overleg.manage", a),
        "may_status": request.user.has_perm("overleg.set_status", a),
    }, _crumbs(a.region, (a.title, None)), nav="regio")


@login_required
def agreement_edit(request: HttpRequest, pk: int):
    a = _agreement(request, pk)
    require(request.user, "overleg.manage", a)
    form = AgreementForm(request.POST or None, region=a.region, instance=a)
    return _form_view(request, form, a.region, a.title,
                      lambda f: ("De afspraak is bijgewerkt.", _stored(f, "agreement", a)),
                      title="Afspraak bewerken", submit="Opslaan")


@login_required
@require_POST
def agreement_status(request: HttpRequest, pk: int):
    a = _agreement(request, pk)
    require(request.user, "overleg.set_status", a)
    form = StatusForm(request.POST, instance=a)
    if form.is_valid():
        form.save()
        messages.success(request, f"Status gewijzigd in '{a.get_status_display()}'.")
    else:
        messages.error(request, "Kies een geldige status.")
    return redirect("overleg:agreement", pk=a.pk)


@login_required
def agreement_escalate(request: HttpRequest, pk: int):
    a = _agreement(request, pk)
    require(request.user, "overleg.manage", a)
    form = EscalationForm(request.POST or None)

    def saved(form):
        with transaction.atomic():
            e = form.save(commit=False)
            e.agreement = a
            e.save()
            status.apply_decision(a, e)
        return ("De escalatie en het besluit zijn vastgelegd.",
                redirect("overleg:agreement", pk=a.pk))

    return _form_view(request, form, a.region, a.title, saved,
                      title=f"Escaleren: {a.title}", submit="Escalatie en besluit vastleggen",
                      intro="Leg vast aan wie de afspraak is voorgelegd, waarom, en welk "
                            "besluit is genomen.")


@login_required
def agreements_xlsx(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    rows = status.agreement_rows(
        visible(request.user, Agreement.objects.filter(region=region))
        .select_related("owner").prefetch_related("parties"), region)
    data = exports.agreements_workbook(region, rows)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="afspraken-{region.code}.xlsx"'
    return resp


@login_required
def agreements_api(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    rows = status.agreement_rows(
        visible(request.user, Agreement.objects.filter(region=region)).select_related("owner"),
        region)
    return JsonResponse({"regio": region.name, "afspraken": [r.as_json() for r in rows]})
