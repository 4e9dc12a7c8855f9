"""Access-matrix entries of user and membership management, and one member in each region.

Marker: ``LIDNAAM-X`` is the user name of a deelnemer of region X (not one of the role users);
only the coordinator of X and the beheerder may see it (member pages, history).
"""

from __future__ import annotations

from .matrix import ALL_ROLES, COORD, Entry, region_kw

ONLY_COORD = frozenset({COORD})
NOBODY = frozenset()
"""Only the beheerder (every Entry allows the beheerder)."""
BOTH = ("GET", "POST")

MARKERS: dict[str, frozenset[str]] = {"LIDNAAM-": frozenset({"beheerder", COORD})}


def member(objs) -> dict:
    return {"pk": objs.extra["membership"].pk}


def member_user(objs) -> dict:
    return {"pk": objs.extra["membership"].user_id}


ENTRIES: dict[str, Entry] = {
    "regio:members": Entry(ONLY_COORD, region_kw("region"), BOTH),
    "gebruikers:list": Entry(NOBODY, query="?q=test"),
    "gebruikers:new": Entry(NOBODY, methods=BOTH),
    "gebruikers:history": Entry(NOBODY),
    "gebruikers:detail": Entry(NOBODY, member_user, BOTH),
    # empty POST data: nothing changes (a choice or a confirmation is required)
    "gebruikers:active": Entry(NOBODY, member_user, ("POST",)),
    "gebruikers:reset": Entry(NOBODY, member_user, BOTH),
    "gebruikers:membership_role": Entry(ONLY_COORD, member, ("POST",)),
    "gebruikers:membership_end": Entry(ONLY_COORD, member, BOTH),
    # the activation link is public; a wrong token shows "ongeldig" and changes nothing
    "gebruikers:activate": Entry(ALL_ROLES, lambda objs: {"uidb64": "MQ", "token": "x-y"},
                                 BOTH, public=True),
}


def populate(world) -> None:
    from django.contrib.auth import get_user_model

    from nabij.web.regio.models import Membership

    for key, objs in world.regions.items():
        user = get_user_model().objects.create_user(f"LIDNAAM-{key}", password="x" * 16)
        world.users[f"lid-{key}"] = user
        objs.extra["membership"] = Membership.objects.create(
            user=user, role="deelnemer", region=objs.region, organisation=objs.gemeente)
