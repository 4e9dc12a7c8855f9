"""Small helpers shared by the views of every app: render with breadcrumbs, require a
permission."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

if TYPE_CHECKING:
    from nabij.web.regio.access import AnyUser
    from nabij.web.regio.models import Region

Crumb = tuple[str, str | None]
"""A breadcrumb: its label and link (``None`` for the current page)."""


def require(user: AnyUser, perm: str, obj: Model | None = None) -> None:
    """403 unless ``user.has_perm(perm, obj)`` (``*/perms.py``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("U hebt geen recht op deze handeling.")


def region_crumbs(region: Region, *rest: Crumb) -> list[Crumb]:
    return [("Start", reverse("home")), ("Regio's", reverse("regio:list")),
            (region.name, reverse("regio:detail", args=[region.pk])), *rest]


def page(request: HttpRequest, template: str, context: Mapping[str, object] | None = None,
         breadcrumbs: list[Crumb] | None = None, nav: str = "",
         status: int = 200) -> HttpResponse:
    ctx = dict(context or {})
    ctx.setdefault("breadcrumbs", breadcrumbs or [])
    ctx.setdefault("nav_active", nav)
    return render(request, template, ctx, status=status)
