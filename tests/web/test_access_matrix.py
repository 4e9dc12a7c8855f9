"""Every URL pattern x every role x own/foreign region: allowed or denied as the matrix says,
and no response shows an object of a region the user may not see (search and exports too)."""

from __future__ import annotations

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import Entry
from .world import ROLES, matrix_modules

pytestmark = pytest.mark.django_db

ENTRIES: dict[str, Entry] = {}
MARKERS: dict[str, frozenset[str]] = {}
"""Markers of other apps (``MARKERS`` in their matrix module): prefix -> roles that may see
the marker of their own region (a beheerder sees every region's)."""
for _mod in matrix_modules():
    ENTRIES.update(getattr(_mod, "ENTRIES", {}))
    MARKERS.update(getattr(_mod, "MARKERS", {}))

OVERLEG_SEERS = {"beheerder", "regiocoordinator", "deelnemer"}
NAME_SEERS = {"beheerder", "regiocoordinator", "deelnemer", "lezer", "loket"}


def url_names(patterns=None, prefix: str = "") -> list[str]:
    """Names of every URL pattern (namespaced), recursively; unnamed ones as '<naamloos …>'."""
    out = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            out += url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            out.append(f"{prefix}{p.name}" if p.name else f"<naamloos {p.pattern}>")
    return out


def test_every_url_pattern_has_a_matrix_entry():
    names = url_names()
    missing = sorted(set(names) - set(ENTRIES))
    assert not missing, f"URL-patronen zonder regel in de toegangsmatrix: {missing}"
    stale = sorted(set(ENTRIES) - set(names))
    assert not stale, f"matrixregels zonder URL-patroon: {stale}"


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(response.content))
        return " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True)
                        for c in row if c is not None)
    return response.content.decode("utf-8", errors="replace")


def _no_leaks(role: str, text: str, where: str) -> None:
    """Markers of region B never show to A's members; overleg markers only to overleg roles."""
    markers = ["GEHEIM-A", "GEHEIM-B", "Regio-A", "Regio-B"]
    markers += [f"{m}{r}" for m in MARKERS for r in "AB"]
    shown = {m for m in markers if m in text}
    allowed = set()
    if role in OVERLEG_SEERS:
        allowed.add("GEHEIM-A")
    if role in NAME_SEERS:
        allowed.add("Regio-A")
    allowed |= {f"{m}A" for m, roles in MARKERS.items() if role in roles}
    if role == "beheerder":
        allowed |= {"GEHEIM-B", "Regio-B"} | {f"{m}B" for m in MARKERS}
    assert not shown - allowed, f"{where}: {role} ziet {sorted(shown - allowed)}"


def _request(client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "POST" else client.get(url)


def _check(entry: Entry, name: str, role: str, scope: str, method: str, response) -> None:
    where = f"{method} {name} [{scope}]"
    login = reverse("login")
    if entry.public:  # login and logout: everyone gets the page or a redirect
        assert response.status_code in (200, 302), f"{where}: {role} kreeg {response.status_code}"
        if response.status_code == 200:
            _no_leaks(role, _text(response), where)
        return
    if role == "anoniem":
        assert response.status_code == 302 and response["Location"].startswith(login), \
            f"{where}: anoniem niet naar inloggen ({response.status_code})"
        return
    own = scope in ("A", "-")
    expect = (entry.allows(role, method) and (own or role == "beheerder"))
    if expect:
        assert response.status_code in (200, 302), \
            f"{where}: {role} zou toegang moeten hebben, kreeg {response.status_code}"
        if response.status_code == 302:
            assert not response["Location"].startswith(login), f"{where}: {role} uitgelogd"
    else:
        assert response.status_code in (403, 404), \
            f"{where}: {role} zou geweigerd moeten worden, kreeg {response.status_code}"
    if response.status_code == 200:
        _no_leaks(role, _text(response), where)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_access_matrix(name, world, client):
    entry = ENTRIES[name]
    scopes = ("A", "B") if entry.kwargs else ("-",)
    for role in ROLES:
        client.logout()
        if role != "anoniem":
            client.force_login(world.users[role])
        for scope in scopes:
            objs = world.regions.get(scope)
            url = reverse(name, kwargs=entry.kwargs(objs) if entry.kwargs else None)
            url += entry.query
            for method in entry.methods:
                data = entry.data(objs) if entry.data and objs else {}
                if entry.data and not objs:
                    data = entry.data(None)
                response = _request(client, method, url, data)
                _check(entry, name, role, scope, method, response)
                if name == "logout" and role != "anoniem":
                    client.force_login(world.users[role])
