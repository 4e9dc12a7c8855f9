"""Object permissions of casework (``rules``): who may change what.

Seeing is decided by :func:`nabij.web.regio.access.visible` (area ``casus``); these predicates
decide changing: the loket and the coordinator work on cases; only the person the region
designated records a doorzettingsmacht decision; a coordinator manages the desk, the budget
and destruction lists, and a second person (coordinator or loket) approves them.
"""

from __future__ import annotations

import rules

from nabij.web.regio.access import has_role
from nabij.web.regio.perms import beheerder, coordinates, region_of
from nabij.web.regio.roles import Role


@rules.predicate
def loket(user, obj) -> bool:
    region = region_of(obj)
    return region is not None and has_role(user, region, {Role.LOKET})


@rules.predicate
def designated(user, case) -> bool:
    return bool(case is not None and case.designated
                and user.get_username() == case.designated)


rules.add_perm("casus.work", beheerder | coordinates | loket)
rules.add_perm("casus.manage", beheerder | coordinates)
rules.add_perm("casus.approve", beheerder | coordinates | loket)
rules.add_perm("casus.rule", beheerder | designated)
