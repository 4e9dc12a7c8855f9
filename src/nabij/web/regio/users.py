"""Admin tasks on users and memberships (CLI `nabij web beheer gebruiker`)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from nabij.errors import InputError
from nabij.web.regio.models import Membership, Organisation, Region
from nabij.web.regio.roles import NATIONAL_ROLES, Role


def find_region(code: str, division: str = "") -> Region:
    qs = Region.objects.filter(code=code)
    if division:
        qs = qs.filter(division__name=division)
    found = list(qs[:2])
    if not found:
        raise InputError(f"regio {code!r} bestaat niet" + (f" in indeling {division!r}"
                                                          if division else ""))
    if len(found) > 1:
        raise InputError(f"regio {code!r} komt in meer indelingen voor; geef --indeling")
    return found[0]


def create_user(username: str, role: str, region_code: str = "", division: str = "",
                organisation: str = "") -> str:
    """Create (or reset) a user with one membership; returns the new random password."""
    if role not in Role.values:
        raise InputError(f"onbekende rol {role!r}; kies uit {', '.join(Role.values)}")
    region = find_region(region_code, division) if region_code else None
    if region is None and role not in NATIONAL_ROLES:
        raise InputError(f"de rol {role} hoort bij een regio: geef --regio")
    org = None
    if organisation:
        org = Organisation.objects.filter(name=organisation).first()
        if org is None:
            raise InputError(f"organisatie {organisation!r} bestaat niet")
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, role=role, region=region,
                                         defaults={"organisation": org})
    return password
