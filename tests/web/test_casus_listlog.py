"""Opening the case list is a read: listing, filtering, the site search and the CSV export
append one read-log row per case shown (number only, who, when, purpose), in one bulk insert;
a user without access to the cases sees none and logs none."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nabij.web.casus import service
from nabij.web.casus.models import Case, ReadLog

pytestmark = pytest.mark.django_db


def _login(client, world, role: str) -> None:
    client.logout()
    client.force_login(world.users[role])


def _new_reads(before: int) -> list[ReadLog]:
    return list(ReadLog.objects.filter(pk__gt=before).order_by("id"))


def _last_id() -> int:
    last = ReadLog.objects.order_by("-id").first()
    return last.pk if last else 0


def _inserts(ctx) -> int:
    return sum(1 for q in ctx.captured_queries
               if q["sql"].upper().startswith("INSERT") and "casus_readlog" in q["sql"])


def test_listing_logs_every_case_shown_in_one_insert(world, client):
    region = world.regions["A"].region
    _login(client, world, "loket")
    before = _last_id()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("casus:list", args=[region.pk]))
    assert r.status_code == 200
    reads = _new_reads(before)
    expected = set(Case.objects.filter(region=region).values_list("pk", flat=True))
    assert {x.case_id for x in reads} == expected and len(reads) == len(expected)
    page = r.content.decode()
    for x in reads:
        assert x.case_number in page
        assert (x.username, x.purpose, x.what, x.region_id) == (
            "test-loket", "behandeling", service.SHOWN_IN_LIST, region.pk)
        assert x.at is not None
    assert _inserts(ctx) == 1


def test_filtering_logs_only_the_filtered_cases_with_the_purpose_given(world, client):
    objs = world.regions["A"]
    _login(client, world, "regiocoordinator")
    before = _last_id()
    url = reverse("casus:list", args=[objs.region.pk]) + "?kind=vrijstelling_5a&doel=besluit"
    assert client.get(url).status_code == 200
    reads = _new_reads(before)
    assert [x.case_id for x in reads] == [objs.extra["case_5a"].pk]
    assert (reads[0].what, reads[0].purpose) == (service.SHOWN_FILTERED, "besluit")


def test_export_logs_every_exported_case_and_only_those(world, client):
    objs = world.regions["A"]
    _login(client, world, "loket")
    before = _last_id()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("casus:list_csv", args=[objs.region.pk]) + "?kind=thuiszitter")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    numbers = sorted(row["zaak"] for row in rows)
    thuiszitters = Case.objects.filter(region=objs.region, kind="thuiszitter")
    assert numbers == sorted(c.number for c in thuiszitters) and len(numbers) == 2
    reads = _new_reads(before)
    assert sorted(x.case_number for x in reads) == numbers
    assert {x.what for x in reads} == {service.EXPORTED}
    assert _inserts(ctx) == 1
    assert "child" not in rows[0] and "pseudoniem" not in rows[0]  # no pseudonym in the export


def test_site_search_logs_the_cases_it_shows(world, client):
    case = world.regions["A"].extra["case_5a"]
    _login(client, world, "loket")
    before = _last_id()
    page = client.get(reverse("zoeken") + f"?q={case.number}").content.decode()
    assert case.number in page
    reads = _new_reads(before)
    assert [(x.case_id, x.what) for x in reads] == [(case.pk, service.SHOWN_IN_SEARCH)]


def test_deelnemer_logs_only_the_cases_it_may_see(world, client):
    objs = world.regions["A"]
    _login(client, world, "deelnemer")
    before = _last_id()
    assert client.get(reverse("casus:list", args=[objs.region.pk])).status_code == 200
    assert [x.case_id for x in _new_reads(before)] == [objs.extra["case"].pk]
    # the export is for the loket and the coordinator
    r = client.get(reverse("casus:list_csv", args=[objs.region.pk]))
    assert r.status_code == 403
    assert [x.case_id for x in _new_reads(before)] == [objs.extra["case"].pk]


@pytest.mark.parametrize("role", ["lezer", "anoniem", "regiocoordinator"])
def test_without_access_nothing_is_shown_and_nothing_logged(world, client, role):
    """lezer: aggregates only; anonymous: to the login page; coordinator of A in region B."""
    foreign = world.regions["B"]
    own = world.regions["A"]
    client.logout()
    if role != "anoniem":
        client.force_login(world.users[role])
    region = own.region if role == "lezer" else foreign.region
    cases = list(Case.objects.filter(region=region))
    before = _last_id()
    for name in ("casus:list", "casus:list_csv"):
        r = client.get(reverse(name, args=[region.pk]) + "?q=GM9" + region.code[-1])
        assert r.status_code in (302, 403, 404), (name, r.status_code)
        body = r.content.decode("utf-8", errors="replace")
        assert not any(c.number in body for c in cases)
    r = client.get(reverse("zoeken") + f"?q={cases[0].number}")
    if role != "anoniem":
        assert f"/casus/zaak/{cases[0].pk}/" not in r.content.decode()
    assert _new_reads(before) == []
