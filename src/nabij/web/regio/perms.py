"""Object permissions (``rules``): what a user may *change*. Imported by RegioConfig.ready().

Each permission takes a region-scoped object (or the Region itself) and is checked with
``user.has_perm(name, obj)``; views call :func:`nabij.web.regio.pages.require`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from nabij.web.regio.access import has_role, is_beheerder
from nabij.web.regio.roles import Role

if TYPE_CHECKING:
    from nabij.web.regio.access import AnyUser
    from nabij.web.regio.models import Region


def region_of(obj: object) -> Region | None:
    """The Region an object belongs to (the object itself for a Region)."""
    from nabij.web.regio.models import Region

    return obj if isinstance(obj, Region) else getattr(obj, "region", None)


@rules.predicate
def beheerder(user: AnyUser) -> bool:
    return is_beheerder(user)


@rules.predicate
def coordinates(user: AnyUser, obj: object) -> bool:
    region = region_of(obj)
    return region is not None and has_role(user, region, {Role.REGIOCOORDINATOR})


@rules.predicate
def participates(user: AnyUser, obj: object) -> bool:
    region = region_of(obj)
    return region is not None and has_role(user, region, {Role.DEELNEMER})


rules.add_perm("regio.manage_parties", beheerder | coordinates)
rules.add_perm("regio.view_audit", beheerder | coordinates)
rules.add_perm("regio.manage_users", beheerder)
