"""User and membership management in the web: a beheerder manages every user; a
regiocoördinator the memberships of its own region only (never beheerder or coordinator, never
another region); a new user activates with a one-time link; every change is in the history."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from nabij.web.regio import users
from nabij.web.regio.models import Membership

pytestmark = pytest.mark.django_db
STRONG = "Zonnebloem-Kade-2035"


def _login(client, world, role: str) -> None:
    client.logout()
    client.force_login(world.users[role])


def _link(response) -> str:
    m = re.search(r'id="activeringslink" href="([^"]+)"', response.content.decode())
    assert m, response.content.decode()[:2000]
    return m.group(1)


def _user_reasons(user) -> list[str]:
    hist = apps.get_model("regio", "HistoricalUser")
    return [r.history_change_reason for r in hist.objects.filter(id=user.pk).order_by("pk")]


def _activate(client, link: str, password: str):
    client.logout()
    r = client.get(link, follow=True)  # Django moves the token out of the URL first
    assert r.status_code == 200
    url = r.redirect_chain[-1][0] if r.redirect_chain else link
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_beheerder_creates_a_user_who_activates_once_with_django_validators(world, client):
    region = world.regions["A"].region
    _login(client, world, "beheerder")
    r = client.post(reverse("gebruikers:new"), {
        "username": "nieuwe.collega", "role": "loket", "region": region.pk,
        "organisation": world.regions["A"].swv.name})
    assert r.status_code == 200 and "maar één keer getoond" in r.content.decode()
    assert r["Cache-Control"].count("no-store") == 1
    link = _link(r)
    user = get_user_model().objects.get(username="nieuwe.collega")
    assert not user.has_usable_password()
    m = Membership.objects.get(user=user)
    assert (m.role, m.region_id, m.organisation_id) == ("loket", region.pk,
                                                        world.regions["A"].swv.pk)
    weak = _activate(client, link, "12345678")
    assert weak.status_code == 200
    text = weak.content.decode()
    assert "Er is iets niet goed ingevuld" in text
    assert "Dit wachtwoord is te kort: gebruik minstens 12 tekens" in text
    assert "Dit wachtwoord bevat alleen cijfers" in text  # Django's own, in Dutch
    assert "This password" not in text
    ok = _activate(client, link, STRONG)
    assert ok.status_code == 302 and ok["Location"] == reverse("login")
    assert client.login(username="nieuwe.collega", password=STRONG)
    again = _activate(client, link, STRONG + "x")
    assert "ongeldig" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert _user_reasons(user) == ["gebruiker aangemaakt",
                                   "wachtwoord ingesteld via activeringslink"]
    _login(client, world, "beheerder")
    page = client.get(reverse("gebruikers:history")).content.decode()
    assert "nieuwe.collega" in page and "wachtwoord ingesteld via activeringslink" in page
    assert user.password not in page and "pbkdf2" not in page and "md5$" not in page


def test_login_is_not_a_change_in_the_history(world, client):
    user = users.create_account("even.inloggen")
    users.random_password(user)
    n = len(_user_reasons(user))
    password = users.random_password(user)
    assert client.login(username="even.inloggen", password=password)
    user.refresh_from_db()
    assert user.last_login is not None and len(_user_reasons(user)) == n + 1


def test_deactivate_reset_and_self_protection(world, client):
    target = world.users["lid-A"]
    _login(client, world, "beheerder")
    r = client.post(reverse("gebruikers:active", args=[target.pk]), {"active": "0"})
    assert r.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert not client.login(username=target.username, password="x" * 16)
    _login(client, world, "beheerder")
    client.post(reverse("gebruikers:active", args=[target.pk]), {"active": "1"})
    target.refresh_from_db()
    assert target.is_active and client.login(username=target.username, password="x" * 16)
    # a beheerder cannot lock itself out
    _login(client, world, "beheerder")
    me = world.users["beheerder"]
    r = client.post(reverse("gebruikers:active", args=[me.pk]), {"active": "0"}, follow=True)
    assert "U kunt uzelf niet deactiveren" in r.content.decode()
    me.refresh_from_db()
    assert me.is_active
    # reset: without the confirmation nothing happens; with it the old password stops working
    r = client.post(reverse("gebruikers:reset", args=[target.pk]), {})
    assert "Vink aan dat u het zeker weet" in r.content.decode()
    assert client.login(username=target.username, password="x" * 16)
    _login(client, world, "beheerder")
    r = client.post(reverse("gebruikers:reset", args=[target.pk]), {"confirm": "on"})
    link = _link(r)
    assert not client.login(username=target.username, password="x" * 16)
    assert _activate(client, link, STRONG).status_code == 302
    assert client.login(username=target.username, password=STRONG)
    assert _user_reasons(target)[-4:] == [
        "gedeactiveerd", "geactiveerd", "wachtwoord ingetrokken; nieuwe activeringslink gemaakt",
        "wachtwoord ingesteld via activeringslink"]


def test_the_last_beheerder_stays(world, client):
    only = Membership.objects.get(user=world.users["beheerder"], role="beheerder")
    with pytest.raises(Exception, match="laatste beheerder"):
        users.end_membership(world.users["beheerder"], only)
    with pytest.raises(Exception, match="laatste beheerder"):
        users.change_role(None, only, "lezer")
    assert Membership.objects.filter(pk=only.pk, role="beheerder").exists()


def test_coordinator_manages_its_own_region_only(world, client):
    objs, foreign = world.regions["A"], world.regions["B"]
    coordinator = world.users["regiocoordinator"]
    _login(client, world, "regiocoordinator")
    url = reverse("regio:members", args=[objs.region.pk])
    page = client.get(url).content.decode()
    assert "LIDNAAM-A" in page and "LIDNAAM-B" not in page
    # an existing user of another region joins as loket
    r = client.post(url, {"kind": "bestaand", "username": "LIDNAAM-B", "role": "loket",
                          "organisation": objs.gemeente.pk})
    assert r.status_code == 302
    joined = Membership.objects.get(user=world.users["lid-B"], region=objs.region)
    assert joined.role == "loket"
    # change the role within what a coordinator may grant, then end it
    r = client.post(reverse("gebruikers:membership_role", args=[joined.pk]), {"role": "lezer"})
    assert r.status_code == 302
    joined.refresh_from_db()
    assert joined.role == "lezer"
    end = reverse("gebruikers:membership_end", args=[joined.pk])
    assert client.post(end, {}).status_code == 200  # asks for the confirmation first
    assert Membership.objects.filter(pk=joined.pk).exists()
    assert client.post(end, {"confirm": "on"}).status_code == 302
    assert not Membership.objects.filter(pk=joined.pk).exists()
    history = client.get(reverse("regio:history", args=[objs.region.pk])).content.decode()
    assert history.count("LIDNAAM-B") >= 3 and "verwijderd" in history
    assert "test-regiocoordinator" in history
    # a new user for the region, with a one-time link
    r = client.post(url, {"kind": "nieuw", "username": "nieuw.lid", "role": "deelnemer"})
    assert "maar één keer getoond" in r.content.decode()
    assert Membership.objects.get(user__username="nieuw.lid").region_id == objs.region.pk
    # never beheerder or regiocoordinator, never another region, never a coordinator's role
    for role in ("beheerder", "regiocoordinator"):
        r = client.post(url, {"kind": "bestaand", "username": "LIDNAAM-B", "role": role})
        assert r.status_code == 200 and "Selecteer een geldige keuze" in r.content.decode()
        with pytest.raises(Exception, match="niet toekennen"):
            users.add_membership(coordinator, world.users["lid-B"], role, objs.region)
    member = objs.extra["membership"]
    r = client.post(reverse("gebruikers:membership_role", args=[member.pk]),
                    {"role": "beheerder"})
    assert r.status_code == 403
    own = Membership.objects.get(user=coordinator, region=objs.region)
    assert client.post(reverse("gebruikers:membership_role", args=[own.pk]),
                       {"role": "deelnemer"}).status_code == 403
    assert client.get(reverse("gebruikers:membership_end", args=[own.pk])).status_code == 403
    theirs = foreign.extra["membership"]
    assert client.get(reverse("regio:members", args=[foreign.region.pk])).status_code == 404
    assert client.post(reverse("gebruikers:membership_role", args=[theirs.pk]),
                       {"role": "lezer"}).status_code == 404
    assert client.post(reverse("gebruikers:membership_end", args=[theirs.pk]),
                       {"confirm": "on"}).status_code == 404
    with pytest.raises(Exception, match="niet toekennen"):
        users.add_membership(coordinator, world.users["lid-A"], "loket", foreign.region)
    theirs.refresh_from_db()
    assert theirs.role == "deelnemer"
    assert client.get(reverse("gebruikers:list")).status_code == 403


@pytest.mark.parametrize("role", ["deelnemer", "loket", "lezer"])
def test_members_manage_nothing(world, client, role):
    objs = world.regions["A"]
    _login(client, world, role)
    member = objs.extra["membership"]
    assert client.get(reverse("regio:members", args=[objs.region.pk])).status_code in (403, 404)
    assert client.post(reverse("gebruikers:membership_role", args=[member.pk]),
                       {"role": "lezer"}).status_code in (403, 404)
    assert client.post(reverse("gebruikers:new"), {"username": "stiekem", "role": "beheerder"}
                       ).status_code == 403
    assert not get_user_model().objects.filter(username="stiekem").exists()
    member.refresh_from_db()
    assert member.role == "deelnemer"


def test_anonymous_goes_to_login_and_changes_nothing(world, client):
    client.logout()
    member = world.regions["A"].extra["membership"]
    for url in (reverse("gebruikers:list"), reverse("regio:members",
                                                    args=[world.regions["A"].region.pk])):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    r = client.post(reverse("gebruikers:membership_end", args=[member.pk]), {"confirm": "on"})
    assert r.status_code == 302 and Membership.objects.filter(pk=member.pk).exists()


def test_cli_and_web_share_the_rules(world):
    """The CLI's create_user goes through the same functions: a duplicate name in another
    case is refused in Dutch, and a bad user name too."""
    password = users.create_user("cli.gebruiker", "lezer")
    user = get_user_model().objects.get(username="cli.gebruiker")
    assert user.check_password(password) and len(password) >= 12
    assert _user_reasons(user)[:2] == ["gebruiker aangemaakt", "nieuw wachtwoord gegeven (beheer)"]
    with pytest.raises(Exception, match="bestaat al"):
        users.new_member(None, "CLI.gebruiker", "lezer", None)
    with pytest.raises(Exception, match="alleen letters"):
        users.new_member(None, "met spatie", "lezer", None)


def test_history_stays_readable_after_a_user_is_deleted(world, client):
    region = world.regions["A"].region
    user = users.create_account("vertrokken")
    users.add_membership(None, user, "deelnemer", region)
    user.delete()
    _login(client, world, "regiocoordinator")
    r = client.get(reverse("regio:history", args=[region.pk]))
    assert r.status_code == 200 and "(verwijderd)" in r.content.decode()
    _login(client, world, "beheerder")
    r = client.get(reverse("gebruikers:history"))
    assert r.status_code == 200 and "vertrokken" in r.content.decode()
