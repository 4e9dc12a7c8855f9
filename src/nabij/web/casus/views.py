"""Views of the loket. Each looks its objects up through ``visible()`` (404 for a foreign
region or a case the user's organisation does not take part in), checks the ``rules``
permission before it changes anything (403), and logs every read of a case with its purpose."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from nabij.casework import budget, clock, flow, vierogen
from nabij.casework import exports as returns
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.errors import NabijError
from nabij.web.casus import forms, service
from nabij.web.casus import returns as db_returns
from nabij.web.casus.clock import today
from nabij.web.casus.convert import to_case
from nabij.web.casus.models import (
    PURPOSES,
    Case,
    Desk,
    DestructionList,
    LedgerEntry,
    ReadLog,
    SharedDocument,
)
from nabij.web.regio.access import get_visible_or_404, has_role, roles_in, visible
from nabij.web.regio.models import Region
from nabij.web.regio.pages import page, region_crumbs, require
from nabij.web.regio.roles import Role

PURPOSE_KEYS = {k for k, _ in PURPOSES}
PAGE_SIZE = 50


# -- lookups -------------------------------------------------------------------------------------
def _region(request: HttpRequest, rpk: int, area: str = "casus") -> Region:
    return get_visible_or_404(request.user, Region.objects.select_related("division"), area,
                              pk=rpk)


def _desk_region(request: HttpRequest, rpk: int) -> Region:
    """A region whose loket pages (ledger, destruction lists) the user may open."""
    region = _region(request, rpk)
    if not has_role(request.user, region, {Role.REGIOCOORDINATOR, Role.LOKET}):
        raise Http404("Niet gevonden of geen toegang.")
    return region


def _case(request: HttpRequest, pk: int) -> Case:
    return get_visible_or_404(request.user, Case.objects.select_related("region"), pk=pk)


def _crumbs(region, *rest):
    return region_crumbs(region, ("Loket", reverse("casus:list", args=[region.pk])), *rest)


def _detail_url(row: Case, purpose: str = "behandeling") -> str:
    return f"{reverse('casus:detail', args=[row.pk])}?doel={purpose}"


def _refused(request: HttpRequest, e: CaseworkError) -> None:
    messages.error(request, str(e).replace("\n", " "))


def light_case(row: Case):
    """The plain case without advices and history (enough for its clock)."""
    from nabij.casework import case as pure

    return pure.Case(id=row.number, region="", kind=CaseKind(row.kind), child="",
                     birth_year=row.birth_year, gemeente=row.gemeente,
                     registered_on=row.registered_on, status=Status(row.status),
                     out_of_school_since=row.out_of_school_since, offer_on=row.offer_on,
                     closed_on=row.closed_on)


# -- home ----------------------------------------------------------------------------------------
@login_required
def home(request: HttpRequest):
    """The regions whose loket (or, for a lezer, whose counts) the user may open."""
    regions = visible(request.user, Region.objects.select_related("division"), "aggregaat")
    rows = [(r, has_role(request.user, r, {Role.REGIOCOORDINATOR, Role.LOKET, Role.DEELNEMER}))
            for r in regions.order_by("name")[:200]]
    return page(request, "casus/home.html", {"rows": rows},
                [("Start", reverse("home")), ("Loket", None)], nav="loket")


# -- list ------------------------------------------------------------------------------------------
LIST_FIELDS = ("id", "region", "kind", "status", "gemeente", "registered_on",
               "out_of_school_since", "offer_on", "closed_on", "birth_year")
"""What the case list and its export read of a case (no pseudonym, no school)."""


def _filtered(request: HttpRequest, region):
    """The filter form and the visible cases of ``region`` it selects; ``filtered`` tells
    whether a filter was applied (for the read log)."""
    form = forms.FilterForm(request.GET or None)
    rows = visible(request.user, Case.objects.filter(region=region))
    filtered = False
    if form.is_valid():
        q, status, kind = (form.cleaned_data[k] for k in ("q", "status", "kind"))
        if q:
            digits = q.upper().lstrip("Z").lstrip("0")
            cond = Q(gemeente__iexact=q) | Q(school__iexact=q)
            if digits.isdigit():
                cond |= Q(pk=int(digits))
            rows = rows.filter(cond)
        if status:
            rows = rows.filter(status=status)
        if kind:
            rows = rows.filter(kind=kind)
        filtered = bool(q or status or kind)
    return form, rows.only(*LIST_FIELDS), filtered


def _list_purpose(request: HttpRequest) -> str:
    purpose = request.GET.get("doel", "")
    return purpose if purpose in PURPOSE_KEYS else "behandeling"


@login_required
def case_list(request: HttpRequest, rpk: int):
    """The loket's case list; the cases on the page are logged as read (one bulk insert)."""
    region = _region(request, rpk)
    form, rows, filtered = _filtered(request, region)
    current = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(current)
    service.log_reads(shown, request.user, _list_purpose(request),
                      service.SHOWN_FILTERED if filtered else service.SHOWN_IN_LIST)
    day = today()
    detail = reverse("casus:detail", args=[0])[:-2]  # ".../zaak/" (one reverse per page)
    items = [{"row": r, "url": f"{detail}{r.pk}/?doel=behandeling",
              "kind": CaseKind(r.kind).label, "status": Status(r.status).label,
              "clock": clock.clock(light_case(r), day)}
             for r in shown]
    may_work = request.user.has_perm("casus.work", region)
    query = request.GET.copy()
    query.pop("pagina", None)
    return page(request, "casus/list.html", {
        "region": region, "form": form, "page": current, "items": items, "today": day,
        "signals": _signals(request.user, region, day),
        "may_work": may_work,
        "may_manage": request.user.has_perm("casus.manage", region),
        "desk_pages": has_role(request.user, region, {Role.REGIOCOORDINATOR, Role.LOKET}),
        "query": query.urlencode(),
    }, region_crumbs(region, ("Loket", None)), nav="regio")


EXPORT_COLUMNS = ("zaak", "soort", "status", "gemeente", "geboortejaar", "aangemeld",
                  "thuis sinds", "aanbod op", "gesloten op", "klok")


@login_required
def case_list_csv(request: HttpRequest, rpk: int):
    """The (filtered) case list as CSV for the loket and the coordinator; every case in it is
    logged as read (bulk insert)."""
    region = _region(request, rpk)
    require(request.user, "casus.work", region)
    _form, rows, _filtered_ = _filtered(request, region)
    rows = list(rows.order_by("pk"))
    service.log_reads(rows, request.user, _list_purpose(request), service.EXPORTED)
    response = HttpResponse(_cases_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="zaken-{region.code}-'
                                       f'{today().isoformat()}.csv"'.replace(" ", "_"))
    return response


def _cases_csv(rows: list[Case]) -> bytes:
    from nabij.io.cells import csv_safe

    day = today()
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(EXPORT_COLUMNS)
    for r in rows:
        level = clock.clock(light_case(r), day).level
        out.writerow([csv_safe(v) for v in (
            r.number, CaseKind(r.kind).label, Status(r.status).label, r.gemeente,
            r.birth_year or "", r.registered_on or "", r.out_of_school_since or "",
            r.offer_on or "", r.closed_on or "", level.label if level != clock.Level.GEEN else "")])
    return buf.getvalue().encode("utf-8")


def _signals(user, region, day) -> dict[str, int]:
    """Open cases of the region with a running clock past four weeks / three months."""
    waiting = visible(user, Case.objects.filter(
        region=region, out_of_school_since__isnull=False, offer_on__isnull=True)
        .exclude(status__in=[s.value for s in Status if s.is_terminal]))
    warning, escalation = clock.count_waiting(
        list(waiting.values_list("out_of_school_since", flat=True)), day)
    escalated = visible(user, Case.objects.filter(region=region, escalated_on__isnull=False,
                                                  ruling_on__isnull=True)).count()
    return {"waarschuwing": warning, "escalatie": escalation, "doorzetting": escalated}


# -- register --------------------------------------------------------------------------------------
@login_required
def case_new(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "casus.work", region)
    form = forms.CaseForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        new = service.NewCase(
            kind=CaseKind(d["kind"]), number=d["number"], school=d["school"].strip().upper(),
            birth_year=d["birth_year"], gemeente=d["gemeente"],
            verzuim=Verzuim(d["verzuim"]) if d["verzuim"] else None,
            out_of_school_since=d["out_of_school_since"])
        try:
            row = service.register(region, request.user, new, d["organisations"])
        except CaseworkError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"{row} is geregistreerd.")
            return redirect(_detail_url(row))
    return page(request, "form_page.html", {
        "form": form, "region": region, "title": "Zaak registreren",
        "submit": "Zaak registreren", "cancel": reverse("casus:list", args=[region.pk]),
        "intro": "Alleen wat de zaak nodig heeft: geen BSN, geen naam, geen geboortedatum."},
        _crumbs(region, ("Zaak registreren", None)), nav="regio")


@login_required
def case_import(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "casus.work", region)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        try:
            n = service.import_csv(region, request.user, upload.read(), upload.name)
        except NabijError as e:
            form.add_error("bestand", str(e).splitlines()[0])
            problems = [str(p) for p in getattr(e, "problems", [])][:200]
        else:
            messages.success(request, f"{n} zaken ingelezen.")
            return redirect("casus:list", rpk=region.pk)
    return page(request, "casus/import.html", {
        "form": form, "region": region, "problems": problems},
        _crumbs(region, ("Zaken inlezen", None)), nav="regio")


# -- detail (a logged read) ---------------------------------------------------------------------
@login_required
def case_detail(request: HttpRequest, pk: int):
    row = _case(request, pk)
    purpose = request.GET.get("doel", "")
    if purpose not in PURPOSE_KEYS:
        return page(request, "casus/purpose.html", {
            "form": forms.PurposeForm(), "number": row.number, "region": row.region},
            _crumbs(row.region, (row.number, None)), nav="regio")
    service.log_read(row, request.user, purpose)
    case = to_case(row)
    day = today()
    may_work = request.user.has_perm("casus.work", row)
    pair = vierogen.independent_pair(case.advices) if case.kind.is_exemption else None
    return page(request, "casus/detail.html", {
        "row": row, "case": case, "region": row.region, "purpose": purpose,
        "purpose_label": dict(PURPOSES)[purpose], "clock": clock.clock(case, day),
        "advices": row.advices.all(), "changes": row.status_changes.all(),
        "documents": row.documents.all(), "parties": row.organisations.all(),
        "ledger": LedgerEntry.objects.filter(case=row).order_by("id"),
        "status_form": forms.StatusForm(allowed=flow.allowed(case)) if may_work else None,
        "refusals": {s.label: flow.refusals(case, s) for s in flow.TRANSITIONS[case.status]},
        "may_work": may_work, "may_rule": request.user.has_perm("casus.rule", row),
        "independent": pair,
        "decision_problems": vierogen.decision_problems(case, True, day, None)
        if case.kind is CaseKind.VRIJSTELLING_5A and case.exemption is None else [],
        "euro": budget.euro,
    }, _crumbs(row.region, (row.number, None)), nav="regio")


def _case_action(request: HttpRequest, pk: int, perm: str = "casus.work") -> Case:
    row = _case(request, pk)
    require(request.user, perm, row)
    return row


@login_required
@require_POST
def case_status(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.StatusForm(request.POST, allowed=list(Status))
    if form.is_valid():
        try:
            service.change_status(row, Status(form.cleaned_data["status"]), request.user,
                                  form.cleaned_data["note"])
            messages.success(request, f"Status is nu '{row.get_status_display()}'.")
        except CaseworkError as e:
            _refused(request, e)
    else:
        messages.error(request, "Kies een nieuwe status.")
    return redirect(_detail_url(row))


def _form_action(request: HttpRequest, row: Case, form, title: str, submit: str, act, done: str):
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except CaseworkError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, done)
            return redirect(_detail_url(row))
    return page(request, "form_page.html", {
        "form": form, "region": row.region, "title": f"{title} — {row.number}",
        "submit": submit, "cancel": _detail_url(row)},
        _crumbs(row.region, (row.number, _detail_url(row)), (title, None)), nav="regio")


@login_required
def case_advice(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.AdviceForm(request.POST or None)

    def act(d):
        service.add_advice(row, request.user, d["person"], d["organisation"],
                           AssessorRole(d["role"]), d["grant"], d["reasons"], d["tried"],
                           d["possible_education"])

    return _form_action(request, row, form, "Advies vastleggen", "Advies vastleggen", act,
                        "Het advies is vastgelegd.")


@login_required
def case_decision(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.DecisionForm(request.POST or None)

    def act(d):
        service.record_decision(row, request.user, d["granted"], d["reasons"],
                                d["valid_until"], d["reassess_on"])

    return _form_action(request, row, form, "Besluit vastleggen", "Besluit vastleggen", act,
                        "Het besluit is vastgelegd.")


@login_required
def case_escalate(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.EscalateForm(request.POST or None)
    return _form_action(request, row, form, "Voorleggen aan doorzettingsmacht", "Voorleggen",
                        lambda d: service.escalate(row, request.user, d["reason"]),
                        "De zaak is voorgelegd aan wie doorzettingsmacht heeft.")


@login_required
def case_ruling(request: HttpRequest, pk: int):
    row = _case_action(request, pk, "casus.rule")
    form = forms.RulingForm(request.POST or None)
    return _form_action(request, row, form, "Beslissing doorzettingsmacht",
                        "Beslissing vastleggen",
                        lambda d: service.rule(row, request.user, d["decision"], d["reasons"],
                                               d["deadline"]),
                        "De beslissing is vastgelegd.")


@login_required
def case_spend(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.SpendForm(request.POST or None)
    return _form_action(request, row, form, "Doorbraakbudget inzetten", "Boeken",
                        lambda d: service.spend(row, request.user, Source(d["source"]),
                                                d["amount"], d["note"], d["commit"]),
                        "De boeking in het doorbraakbudget is vastgelegd.")


@login_required
def case_document(request: HttpRequest, pk: int):
    row = _case_action(request, pk)
    form = forms.DocumentForm(request.POST or None,
                              instance=SharedDocument(case=row, region=row.region,
                                                      recorded_by=request.user.get_username()))
    return _form_action(request, row, form, "Gedeeld document vastleggen", "Vastleggen",
                        lambda d: form.save(), "Het document en de toestemming zijn vastgelegd.")


# -- the region's desk pages -----------------------------------------------------------------------
@login_required
def ledger(request: HttpRequest, rpk: int):
    region = _desk_region(request, rpk)
    form = forms.BudgetForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST":
        require(request.user, "casus.manage", region)
        if form.is_valid():
            d = form.cleaned_data
            try:
                service.add_budget(region, request.user, d["year"], Source(d["source"]),
                                   d["amount"], d["note"])
                messages.success(request, "Het budget is geboekt.")
                return redirect("casus:ledger", rpk=region.pk)
            except CaseworkError as e:
                form.add_error(None, str(e))
    led = service.ledger(region)
    day = today()
    years = sorted({e.year for e in led.entries} | {day.year}, reverse=True)
    balances = [(y, s, led.balance(y, s)) for y in years for s in Source]
    entries = visible(request.user, LedgerEntry.objects.filter(region=region)
                      .select_related("case")).order_by("-on", "-id")[:200]
    return page(request, "casus/ledger.html", {
        "region": region, "balances": balances, "entries": entries, "form": form,
        "warnings": budget.warnings(led, day.year, day), "euro": budget.euro,
        "may_manage": request.user.has_perm("casus.manage", region)},
        _crumbs(region, ("Doorbraakbudget", None)), nav="regio")


@login_required
def readlog(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "casus.manage", region)
    rows = visible(request.user, ReadLog.objects.filter(region=region))[:500]
    return page(request, "casus/readlog.html", {"region": region, "rows": rows},
                _crumbs(region, ("Leeslog", None)), nav="regio")


@login_required
def desk(request: HttpRequest, rpk: int):
    region = _region(request, rpk)
    require(request.user, "casus.manage", region)
    obj, _ = Desk.objects.get_or_create(region=region)
    users = get_user_model().objects.filter(memberships__region=region).distinct() \
        .order_by("username")
    form = forms.DeskForm(request.POST or None, instance=obj, users=users)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Het loket is bijgewerkt.")
        return redirect("casus:list", rpk=region.pk)
    return page(request, "form_page.html", {
        "form": form, "region": region, "title": "Doorzettingsmacht aanwijzen",
        "submit": "Opslaan", "cancel": reverse("casus:list", args=[region.pk])},
        _crumbs(region, ("Doorzettingsmacht", None)), nav="regio")


@login_required
def destruction(request: HttpRequest, rpk: int):
    region = _desk_region(request, rpk)
    if request.method == "POST":
        require(request.user, "casus.manage", region)
        dl = service.make_destruction_list(region, request.user)
        messages.success(request, f"Vernietigingslijst opgesteld met {len(dl.case_ids)} "
                                  "zaken; twee personen moeten hem goedkeuren.")
        return redirect("casus:destruction", rpk=region.pk)
    lists = visible(request.user, DestructionList.objects.filter(region=region)
                    .prefetch_related("approvals"))[:20]
    return page(request, "casus/destruction.html", {
        "region": region, "lists": lists,
        "may_manage": request.user.has_perm("casus.manage", region)},
        _crumbs(region, ("Vernietiging", None)), nav="regio")


def _dlist(request: HttpRequest, pk: int) -> DestructionList:
    row = get_visible_or_404(request.user, DestructionList.objects.select_related("region"),
                             pk=pk)
    if not has_role(request.user, row.region, {Role.REGIOCOORDINATOR, Role.LOKET}):
        raise Http404("Niet gevonden of geen toegang.")
    return row


@login_required
@require_POST
def destruction_approve(request: HttpRequest, pk: int):
    row = _dlist(request, pk)
    require(request.user, "casus.approve", row)
    held = roles_in(request.user, row.region)
    role = next((r for r in (Role.BEHEERDER, Role.REGIOCOORDINATOR, Role.LOKET) if r in held),
                "")
    try:
        service.approve(row, request.user, str(role))
        messages.success(request, "Uw goedkeuring is vastgelegd.")
    except CaseworkError as e:
        _refused(request, e)
    return redirect("casus:destruction", rpk=row.region_id)


@login_required
@require_POST
def destruction_execute(request: HttpRequest, pk: int):
    row = _dlist(request, pk)
    require(request.user, "casus.manage", row)
    try:
        gone = service.execute(row)
        messages.success(request, f"{len(gone)} zaken zijn vernietigd, met hun historie.")
    except CaseworkError as e:
        _refused(request, e)
    return redirect("casus:destruction", rpk=row.region_id)


# -- exports (aggregates: also for a lezer) --------------------------------------------------------
@login_required
def exports_page(request: HttpRequest, rpk: int):
    region = _region(request, rpk, "aggregaat")
    day = today()
    return page(request, "casus/exports.html", {
        "region": region,
        "leerplicht": forms.LeerplichtForm(initial={"schooljaar": _last_year(day)}),
        "inspectie": forms.InspectieForm(initial={"periode": f"{day.year}-K"
                                                  f"{(day.month - 1) // 3 + 1}"})},
        _crumbs(region, ("Tellingen", None)), nav="regio")


def _last_year(day) -> str:
    from nabij.casework.periods import SchoolYear

    return SchoolYear.of(day).label


def _download(ret, fmt: str, name: str) -> HttpResponse:
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(returns.return_bytes(ret, fmt), content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _export(request: HttpRequest, rpk: int, form_class, field: str, hint: str, build, name):
    """A return of one region as a download: the period from ``field`` of the GET form,
    ``build([region], period)`` the return, ``name(region, period)`` the file name; a Dutch
    message (``hint``) and back to the exports page when the form is invalid."""
    region = _region(request, rpk, "aggregaat")
    form = form_class(request.GET)
    if not form.is_valid():
        messages.error(request, f"Kies {hint} en een formaat.")
        return redirect("casus:exports", rpk=region.pk)
    period = form.cleaned_data[field]
    return _download(build([region], period), form.cleaned_data["formaat"],
                     name(region, period).replace(" ", "_"))


@login_required
def leerplicht_export(request: HttpRequest, rpk: int):
    return _export(request, rpk, forms.LeerplichtForm, "schooljaar",
                   "een schooljaar (bijvoorbeeld 2024-2025)", db_returns.leerplicht,
                   lambda region, year: f"leerplichttelling-{region.code}-{year.label}")


@login_required
def inspectie_export(request: HttpRequest, rpk: int):
    return _export(request, rpk, forms.InspectieForm, "periode",
                   "een periode (bijvoorbeeld 2025-K1)", db_returns.inspectie,
                   lambda region, period: f"thuiszitters-{region.code}-{period.end}")
