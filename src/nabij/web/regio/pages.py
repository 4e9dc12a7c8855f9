"""Small helpers shared by the views of every app: render with breadcrumbs, require a
permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse


def require(user, perm: str, obj=None) -> None:
    """403 unless ``user.has_perm(perm, obj)`` (``*/perms.py``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("U hebt geen recht op deze handeling.")


def region_crumbs(region, *rest: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Start", reverse("home")), ("Regio's", reverse("regio:list")),
            (region.name, reverse("regio:detail", args=[region.pk])), *rest]


def page(request, template: str, context: dict | None = None,
         breadcrumbs: list | None = None, nav: str = "", status: int = 200):
    ctx = dict(context or {})
    ctx.setdefault("breadcrumbs", breadcrumbs or [])
    ctx.setdefault("nav_active", nav)
    return render(request, template, ctx, status=status)
