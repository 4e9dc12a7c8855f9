"""Object permissions of the overleg (``rules``): who may change what."""

from __future__ import annotations

import rules

from nabij.web.regio.access import memberships
from nabij.web.regio.perms import beheerder, coordinates
from nabij.web.regio.roles import Role


@rules.predicate
def owner_member(user, agreement) -> bool:
    """A deelnemer of the organisation that owns the agreement, in the agreement's region."""
    return any(m.role == Role.DEELNEMER and m.region_id == agreement.region_id
               and m.organisation_id == agreement.owner_id for m in memberships(user))


rules.add_perm("overleg.manage", beheerder | coordinates)
rules.add_perm("overleg.set_status", beheerder | coordinates | owner_member)
