"""Security: headers, session cookie, password hashing, login throttling, no admin surface."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from nabij.web.regio.models import LoginFailure

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client, world):
    client.force_login(world.users["regiocoordinator"])
    for url in (reverse("login"), reverse("home"),
                reverse("regio:detail", args=[world.regions["A"].region.pk])):
        r = client.get(url, follow=False)
        csp = r["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r["X-Frame-Options"] == "DENY"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, world):
    user = world.users["deelnemer"]
    user.set_password("een-lang-wachtwoord-42")
    user.save()
    r = client.post(reverse("login"), {"username": user.username,
                                       "password": "een-lang-wachtwoord-42"})
    assert r.status_code == 302
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_passwords_are_hashed_by_django(world):
    user = get_user_model().objects.create_user("hash-test", password="geheim-wachtwoord-7")
    assert "geheim-wachtwoord-7" not in user.password
    assert user.password.startswith(settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
                                    .removesuffix("PasswordHasher").lower())
    assert user.check_password("geheim-wachtwoord-7")


def test_production_hasher_is_pbkdf2_unless_tests_ask_for_speed():
    import importlib
    import os

    from nabij.web import settings as mod

    old = os.environ.pop("NABIJ_FAST_HASHER", None)
    try:
        fresh = importlib.reload(mod)
        assert fresh.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")
    finally:
        if old is not None:
            os.environ["NABIJ_FAST_HASHER"] = old
        importlib.reload(mod)


def test_login_is_throttled_after_repeated_failures(client, world):
    user = world.users["lezer"]
    user.set_password("het-juiste-wachtwoord-1")
    user.save()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        r = client.post(reverse("login"), {"username": user.username, "password": "fout"})
        assert "Onjuiste gebruikersnaam of wachtwoord." in r.content.decode()
    assert LoginFailure.objects.filter(username=user.username).count() == \
        settings.LOGIN_MAX_FAILURES
    r = client.post(reverse("login"), {"username": user.username,
                                       "password": "het-juiste-wachtwoord-1"})
    assert r.status_code == 200 and "Te veel mislukte inlogpogingen" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_there_is_no_django_admin(client, world):
    client.force_login(world.users["beheerder"])
    assert client.get("/admin/").status_code == 404
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_anonymous_pages_do_not_request_anything_external(client):
    page = client.get(reverse("login")).content.decode()
    assert "http://" not in page and "https://" not in page
