"""Views of the regio app: start page, region list/search, region page, parties, history,
site-wide search. Each goes through :func:`visible` before it shows anything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from nabij.web.regio import audit
from nabij.web.regio.access import get_visible_or_404, sees_details, visible
from nabij.web.regio.aggregates import region_aggregates
from nabij.web.regio.forms import OrganisationForm, SearchForm
from nabij.web.regio.indicators import monitor_indicators
from nabij.web.regio.models import Organisation, Party, Region
from nabij.web.regio.pages import page, region_crumbs, require
from nabij.web.regio.parties import missing_categories
from nabij.web.regio.registry import PANELS, SEARCHES, SearchHit
from nabij.web.regio.roles import Category
from nabij.web.regio.users import may_manage_members

LIST_DEFER = ("shape_path", "measures", "monitor", "division__background_svg",
              "division__measure_definitions", "division__monitor_catalogue")
"""Large columns a list of regions does not show."""


@login_required
def home(request: HttpRequest):
    regions = visible(request.user, Region.objects.select_related("division")
                      .defer(*LIST_DEFER))[:200]
    return page(request, "regio/home.html", {"regions": regions}, nav="home")


@login_required
def region_list(request: HttpRequest):
    qs = visible(request.user, Region.objects.select_related("division").defer(*LIST_DEFER))
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(name__icontains=q)
    return page(request, "regio/list.html", {"regions": qs[:500], "q": q},
                [("Start", reverse("home")), ("Regio's", None)], nav="regio")


@login_required
def region_detail(request: HttpRequest, pk: int):
    region = get_visible_or_404(request.user, Region.objects.select_related("division"), pk=pk)
    crumbs = region_crumbs(region)[:-1] + [(region.name, None)]
    if not sees_details(request.user, region):
        return page(request, "regio/aggregates.html",
                    {"region": region, "tables": region_aggregates(region),
                     "monitor": monitor_indicators(region)}, crumbs, nav="regio")
    parties = _parties(region)
    panels = [mark_safe(html) for _, f in PANELS if (html := f(request, region))]
    return page(request, "regio/detail.html", {
        "region": region, "division": region.division, "parties": parties,
        "missing": missing_categories((p.organisation.category, p.organisation.sectors)
                                      for p in parties),
        "measures": _measure_rows(region), "panels": panels,
        "monitor": monitor_indicators(region), "sources": region.division.monitor_sources,
        "monitor_url": _monitor_url(region),
        "may_manage": request.user.has_perm("regio.manage_parties", region),
        "may_audit": request.user.has_perm("regio.view_audit", region),
        "may_members": may_manage_members(request.user, region),
    }, crumbs, nav="regio")


def _monitor_url(region) -> str:
    """The page of the region's monitor targets and notes, when that app is installed."""
    try:
        return reverse("monitor:region", args=[region.pk])
    except NoReverseMatch:
        return ""


def _parties(region) -> list[Party]:
    return list(region.parties.select_related("organisation")
                .order_by("organisation__category", "organisation__name"))


def _measure_rows(region) -> list[dict]:
    defs = region.division.measure_definitions or {}
    rows = []
    for key, value in (region.measures or {}).items():
        d = defs.get(key)
        if d is None or value is None or d.get("eenheid") == "tekst":
            continue
        rows.append({"key": key, "label": d.get("label", key), "value": value,
                     "unit": d.get("eenheid", ""), "modelled": d.get("gemodelleerd", False),
                     "definition": d.get("definitie", "")})
    return rows


@login_required
def parties(request: HttpRequest, pk: int):
    region = get_visible_or_404(request.user, Region.objects.all(), "regio", pk=pk)
    rows = _parties(region)
    may_manage = request.user.has_perm("regio.manage_parties", region)
    form = OrganisationForm()
    if request.method == "POST":
        require(request.user, "regio.manage_parties", region)
        form = OrganisationForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                org = form.save()
                Party.objects.create(region=region, organisation=org,
                                     source=Party.Source.ADDED)
            messages.success(request, f"{org.name} is toegevoegd aan het overleg.")
            return redirect("regio:parties", pk=region.pk)
    groups: dict[str, list[Party]] = {}
    labels = dict(Category.choices)
    for p in rows:
        groups.setdefault(labels.get(p.organisation.category, p.organisation.category),
                          []).append(p)
    return page(request, "regio/parties.html", {
        "region": region, "groups": groups, "form": form, "may_manage": may_manage,
        "missing": missing_categories((p.organisation.category, p.organisation.sectors)
                                      for p in rows),
    }, region_crumbs(region, ("Partijen", None)), nav="regio")


@login_required
def history(request: HttpRequest, pk: int):
    region = get_visible_or_404(request.user, Region.objects.all(), "audit", pk=pk)
    require(request.user, "regio.view_audit", region)
    entries = audit.region_history(region, limit=200)
    return page(request, "regio/history.html", {"region": region, "entries": entries},
                region_crumbs(region, ("Historie", None)), nav="regio")


@login_required
def search(request: HttpRequest):
    form = SearchForm(request.GET or None)
    hits: list[SearchHit] = []
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        hits = _search_regions(request.user, q)
        for func in SEARCHES:
            hits += func(request.user, q)
    return page(request, "regio/search.html", {"form": form, "hits": hits[:200]},
                [("Start", reverse("home")), ("Zoeken", None)], nav="zoeken")


def _search_regions(user, q: str) -> list[SearchHit]:
    hits = [SearchHit("Regio", r.name, reverse("regio:detail", args=[r.pk]), r.name)
            for r in visible(user, Region.objects.filter(name__icontains=q))[:50]]
    orgs = visible(user, Party.objects.select_related("organisation", "region")
                   .filter(organisation__name__icontains=q))[:50]
    hits += [SearchHit("Partij", p.organisation.name,
                       reverse("regio:parties", args=[p.region_id]), p.region.name,
                       p.organisation.get_category_display()) for p in orgs]
    return hits


_ = Organisation  # re-exported for apps that add parties
