"""Template context for every page: roles of the user and extra menu items."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from nabij.web.regio.access import is_beheerder, memberships
from nabij.web.regio.registry import NAV
from nabij.web.regio.roles import Role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = dict(Role.choices)
    roles = sorted({labels.get(m.role, m.role) for m in memberships(user)})
    return {"nav_roles": ", ".join(roles), "nav_users": is_beheerder(user),
            "nav_extra": [{"label": lbl, "url": reverse(name)} for lbl, name in NAV]}
