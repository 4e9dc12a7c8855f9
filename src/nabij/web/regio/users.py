"""Users and memberships: the one place for `nabij web beheer gebruiker` (CLI) and the web pages
(a beheerder manages every user; a regiocoördinator the memberships of its own region).

Every function takes the ``actor`` (the user doing it; ``None`` for the CLI, which runs with the
rights of the installation's administrator) and checks what that actor may do with
:func:`grantable_roles` before it changes anything. Passwords only through Django's validators
and hashers; a new user gets no password an administrator knows, but a one-time activation link
(Django's token generator: valid until the password is set, at most
:data:`nabij.defaults.WEB_ACTIVATION_LINK_DAYS` days). Changes are recorded by
django-simple-history (memberships on the region's history page, users on the user history).
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from nabij.errors import InputError
from nabij.web.regio.access import has_role, is_beheerder
from nabij.web.regio.models import Membership, Organisation, Region
from nabij.web.regio.roles import COORDINATOR_GRANTS, NATIONAL_ROLES, Role

ROLE_LABELS = dict(Role.choices)

CHANGE_REASON = "_change_reason"
"""Attribute django-simple-history reads as the reason of the next history record."""


def _save(user, reason: str) -> None:
    """Save ``user`` with ``reason`` in its history record (e.g. a password revoked: the
    password itself is not in the history, so the reason says what changed)."""
    setattr(user, CHANGE_REASON, reason)
    user.save()


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


def find_organisation(name: str) -> Organisation | None:
    """The organisation called ``name`` (``None`` for an empty name)."""
    if not name:
        return None
    org = Organisation.objects.filter(name=name).first()
    if org is None:
        raise InputError(f"organisatie {name!r} bestaat niet")
    return org


# -- who may do what ------------------------------------------------------------------------------
def grantable_roles(actor, region: Region | None) -> frozenset[str]:
    """Roles ``actor`` may grant, change or end in ``region`` (``None``: national).

    The CLI (``actor`` None) and a beheerder: every role. A regiocoördinator: the roles of
    :data:`~nabij.web.regio.roles.COORDINATOR_GRANTS` in its own region, nothing elsewhere.
    """
    if actor is None or is_beheerder(actor):
        return frozenset(Role.values)
    if region is not None and has_role(actor, region, {Role.REGIOCOORDINATOR}):
        return COORDINATOR_GRANTS
    return frozenset()


def may_manage_members(actor, region: Region) -> bool:
    return bool(grantable_roles(actor, region))


def _require_beheerder(actor) -> None:
    if actor is not None and not is_beheerder(actor):
        raise PermissionDenied("Alleen een beheerder mag dit doen.")


def _check_role(actor, role: str, region: Region | None) -> None:
    if role not in Role.values:
        raise InputError(f"onbekende rol {role!r}; kies uit {', '.join(Role.values)}")
    if region is None and role not in NATIONAL_ROLES:
        raise InputError(f"de rol {ROLE_LABELS[role]} hoort bij een regio: kies een regio")
    if role not in grantable_roles(actor, region):
        where = f" in {region.name}" if region is not None else ""
        raise PermissionDenied(f"U mag de rol {ROLE_LABELS[role]}{where} niet toekennen.")


def _check_touch(actor, membership: Membership) -> None:
    """``actor`` may change or end ``membership`` only when it may grant its current role."""
    if membership.role not in grantable_roles(actor, membership.region):
        raise PermissionDenied("U mag dit lidmaatschap niet wijzigen.")


def _keeps_a_beheerder(membership: Membership) -> None:
    if membership.role != Role.BEHEERDER:
        return
    others = Membership.objects.filter(role=Role.BEHEERDER, user__is_active=True).exclude(
        pk=membership.pk)
    if not others.exists():
        raise InputError("dit is de laatste beheerder: maak eerst een andere beheerder aan")


def _duplicate(user, role: str, region: Region | None, exclude: int | None = None) -> None:
    qs = Membership.objects.filter(user=user, role=role, region=region)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        where = region.name if region is not None else "alle regio's"
        raise InputError(f"{user.get_username()} is al {ROLE_LABELS[role]} in {where}")


# -- accounts -------------------------------------------------------------------------------------
def clean_username(username: str) -> str:
    """A valid new user name, or a Dutch InputError."""
    user_model = get_user_model()
    name = username.strip()
    if not name or len(name) > 150:
        raise InputError("gebruikersnaam: 1 tot 150 tekens")
    try:
        user_model.username_validator(name)
    except ValidationError:
        raise InputError(f"gebruikersnaam {name!r}: alleen letters, cijfers en de tekens "
                         "@ . + - _") from None
    if user_model.objects.filter(username__iexact=name).exists():
        raise InputError(f"gebruiker {name!r} bestaat al")
    return name


def create_account(username: str):
    """A new active user without a usable password (activate with :func:`activation_path`)."""
    user = get_user_model()(username=clean_username(username))
    user.set_unusable_password()
    _save(user, "gebruiker aangemaakt")
    return user


def activation_path(user) -> str:
    """The one-time link (path) where ``user`` sets a password; invalid once it is used."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("gebruikers:activate", args=[uid, default_token_generator.make_token(user)])


def random_password(user) -> str:
    """Give ``user`` a new random password (checked by the validators); returns it once."""
    password = secrets.token_urlsafe(12)
    for _ in range(5):  # a random 16-character token passes; retry the freak case that doesn't
        try:
            validate_password(password, user)
            break
        except ValidationError:
            password = secrets.token_urlsafe(12)
    validate_password(password, user)
    user.set_password(password)
    _save(user, "nieuw wachtwoord gegeven (beheer)")
    return password


def reset_password(actor, user) -> str:
    """Revoke ``user``'s password and return a new activation link (beheerder only)."""
    _require_beheerder(actor)
    user.set_unusable_password()
    _save(user, "wachtwoord ingetrokken; nieuwe activeringslink gemaakt")
    return activation_path(user)


def set_active(actor, user, active: bool) -> None:
    """(De)activate ``user`` (beheerder only; never oneself; never the last beheerder)."""
    _require_beheerder(actor)
    if not active and actor is not None and actor.pk == user.pk:
        raise InputError("u kunt uzelf niet deactiveren")
    if not active:
        for m in Membership.objects.filter(user=user, role=Role.BEHEERDER):
            _keeps_a_beheerder(m)
    user.is_active = active
    _save(user, "geactiveerd" if active else "gedeactiveerd")


# -- memberships ----------------------------------------------------------------------------------
def add_membership(actor, user, role: str, region: Region | None,
                   organisation: Organisation | None = None) -> Membership:
    _check_role(actor, role, region)
    _duplicate(user, role, region)
    return Membership.objects.create(user=user, role=role, region=region,
                                     organisation=organisation)


def change_role(actor, membership: Membership, role: str) -> Membership:
    _check_touch(actor, membership)
    _check_role(actor, role, membership.region)
    if role == membership.role:
        return membership
    _duplicate(membership.user, role, membership.region, exclude=membership.pk)
    _keeps_a_beheerder(membership)
    membership.role = role
    membership.save()
    return membership


def end_membership(actor, membership: Membership) -> None:
    _check_touch(actor, membership)
    _keeps_a_beheerder(membership)
    membership.delete()


def new_member(actor, username: str, role: str, region: Region | None,
               organisation: Organisation | None = None) -> tuple[Membership, str]:
    """Create a user with one membership; returns it and the user's activation link."""
    _check_role(actor, role, region)
    with transaction.atomic():
        user = create_account(username)
        membership = add_membership(actor, user, role, region, organisation)
    return membership, activation_path(user)


def create_user(username: str, role: str, region_code: str = "", division: str = "",
                organisation: str = "") -> str:
    """CLI: create (or reset) a user with one membership; returns a new random password."""
    if role not in Role.values:
        raise InputError(f"onbekende rol {role!r}; kies uit {', '.join(Role.values)}")
    region = find_region(region_code, division) if region_code else None
    if region is None and role not in NATIONAL_ROLES:
        raise InputError(f"de rol {role} hoort bij een regio: geef --regio")
    org = find_organisation(organisation)
    with transaction.atomic():
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = create_account(username)
        password = random_password(user)
        if not Membership.objects.filter(user=user, role=role, region=region).exists():
            add_membership(None, user, role, region, org)
    return password
