"""The one place that decides what a user may see: :func:`visible`.

Every list, detail, search, export, download and API view filters its queryset through
:func:`visible` (or :func:`get_visible_or_404`). A model says how it hangs off a region with two
class attributes:

- ``access_area``: a key of :data:`AREAS` — which roles of a region may see it;
- ``region_lookup``: the ORM path from the model to its :class:`Region` (default ``"region"``).

A model may add a classmethod ``restrict_visible(queryset, user, area)`` for a finer rule (e.g.
casework: a deelnemer sees a case only when its organisation takes part). What a user may
*change* is decided by the ``rules`` permissions in :mod:`nabij.web.regio.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from nabij.web.regio.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from nabij.web.regio.models import Membership, Region

    AnyUser: TypeAlias = User | AnonymousUser
    """What ``request.user`` is: a signed-in user or the anonymous one."""

AREAS: dict[str, frozenset[str]] = {
    "aggregaat": frozenset({Role.REGIOCOORDINATOR, Role.DEELNEMER, Role.LOKET, Role.LEZER}),
    "regio": frozenset({Role.REGIOCOORDINATOR, Role.DEELNEMER, Role.LOKET}),
    "overleg": frozenset({Role.REGIOCOORDINATOR, Role.DEELNEMER}),
    "audit": frozenset({Role.REGIOCOORDINATOR}),
}
"""Area -> roles of a region that see its objects. A beheerder sees every area everywhere."""

_M = TypeVar("_M", bound=Model)
_CACHE = "_nabij_memberships"  # the attribute a request's user keeps its memberships in


def register_area(name: str, roles: Iterable[str]) -> None:
    """Add an area for a new app (e.g. ``register_area("casus", {...})`` in its ``apps.py``)."""
    AREAS[name] = frozenset(roles)


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships, fetched once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE, None)
    if cached is None:
        from nabij.web.regio.models import Membership

        cached = list(Membership.objects.filter(user=user).select_related("region"))
        setattr(user, _CACHE, cached)
    return cached


def is_beheerder(user: AnyUser) -> bool:
    return any(m.role == Role.BEHEERDER for m in memberships(user))


def region_ids(user: AnyUser, area: str) -> set[int] | None:
    """Ids of the regions whose ``area`` the user sees; ``None`` means all regions."""
    if area not in AREAS:
        raise KeyError(f"onbekend toegangsgebied {area!r}")
    roles = AREAS[area]
    ids: set[int] = set()
    for m in memberships(user):
        if m.role == Role.BEHEERDER:
            return None
        if m.role in roles:
            if m.region_id is None:
                return None
            ids.add(m.region_id)
    return ids


def visible(user: AnyUser, queryset: QuerySet[_M], area: str | None = None) -> QuerySet[_M]:
    """``queryset`` restricted to what ``user`` may see (nothing for anonymous users)."""
    model = queryset.model
    area = area or getattr(model, "access_area", None)
    if area is None:
        raise TypeError(f"{model.__name__} heeft geen access_area; zie nabij.web.regio.access")
    lookup = getattr(model, "region_lookup", "region")
    ids = region_ids(user, area)
    if ids is not None:
        queryset = queryset.filter(**{f"{lookup}__in": ids})
        if "__" in lookup:
            queryset = queryset.distinct()
    restrict = getattr(model, "restrict_visible", None)
    if restrict is not None:
        queryset = restrict(queryset, user, area)
    return queryset


def get_visible_or_404(user: AnyUser, queryset: QuerySet[_M], area: str | None = None,
                       **lookup: object) -> _M:
    """One object the user may see, else 404 (a foreign object is not even confirmed)."""
    try:
        return visible(user, queryset, area).get(**lookup)
    except ObjectDoesNotExist as e:  # the model's own DoesNotExist
        raise Http404("Niet gevonden of geen toegang.") from e


def roles_in(user: AnyUser, region: Region | int) -> set[str]:
    """Roles the user holds in ``region`` (national memberships count for every region)."""
    rid = getattr(region, "pk", region)
    return {m.role for m in memberships(user) if m.region_id in (None, rid)}


def has_role(user: AnyUser, region: Region | int, roles: Iterable[str]) -> bool:
    held = roles_in(user, region)
    return Role.BEHEERDER in held or bool(held & set(roles))


def sees_details(user: AnyUser, region: Region | int) -> bool:
    """False for a user who may see only aggregates of this region (lezer)."""
    return has_role(user, region, AREAS["regio"])
