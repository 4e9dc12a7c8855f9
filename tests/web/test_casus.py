"""The loket in the workspace, through the real views: registration, the clock, the 5a four
eyes, doorzettingsmacht, the doorbraakbudget, the read log, the lezer's view and destruction."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from nabij.casework.periods import add_months
from nabij.casework.pseudonym import env_name

pytestmark = pytest.mark.django_db

KEY = "k" * 64
START = date(2025, 1, 6)


@pytest.fixture
def keyed(world, monkeypatch, settings):
    """Region A has a pseudonym key (environment) and the test clock stands on START."""
    monkeypatch.setenv(env_name(world.regions["A"].region.code), KEY)
    settings.NABIJ_CASUS_TODAY = START
    return world


def _login(client, world, role):
    client.force_login(world.users[role])


def _register(client, region, **extra):
    data = {"kind": "thuiszitter", "number": "12345", "school": "01AA00",
            "birth_year": "2013", "gemeente": region.gemeenten[0]["code"],
            "verzuim": "absoluut", "out_of_school_since": START.isoformat()} | extra
    r = client.post(reverse("casus:new", args=[region.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    return int(re.search(r"/zaak/(\d+)/", r["Location"]).group(1))


def test_register_thuiszitter_and_clock_escalates_after_three_months(keyed, client, settings):
    from nabij.web.casus.models import Case, StatusChange

    region = keyed.regions["A"].region
    _login(client, keyed, "loket")
    pk = _register(client, region)
    row = Case.objects.get(pk=pk)
    assert len(row.child) == 32 and "12345" not in row.child  # a pseudonym, not the number
    assert not any(f.name in ("bsn", "naam", "name", "geboortedatum")
                   for f in Case._meta.get_fields())
    assert StatusChange.objects.filter(case=row, status="aangemeld").exists()
    detail = reverse("casus:detail", args=[pk]) + "?doel=behandeling"
    assert "Escalatie" not in client.get(detail).content.decode()
    settings.NABIJ_CASUS_TODAY = START + timedelta(days=30)
    assert "Waarschuwing: vier weken zonder aanbod" in client.get(detail).content.decode()
    settings.NABIJ_CASUS_TODAY = add_months(START, 3)
    page = client.get(detail).content.decode()
    assert "Escalatie: drie maanden zonder aanbod" in page
    listing = client.get(reverse("casus:list", args=[region.pk])).content.decode()
    assert "langer dan drie maanden thuis zonder aanbod" in listing


def test_same_child_same_pseudonym_and_no_bsn(keyed, client):
    from nabij.web.casus.models import Case

    region = keyed.regions["A"].region
    _login(client, keyed, "loket")
    a = _register(client, region)
    b = _register(client, region, kind="integraal_verzoek", verzuim="", out_of_school_since="")
    assert Case.objects.get(pk=a).child == Case.objects.get(pk=b).child
    r = client.post(reverse("casus:new", args=[region.pk]), {
        "kind": "integraal_verzoek", "number": "111222333", "school": "01AA00",
        "birth_year": "2013", "gemeente": region.gemeenten[0]["code"]})
    assert r.status_code == 200 and "lijkt een BSN" in r.content.decode()


def test_registration_without_region_key_is_refused_in_dutch(world, client, settings,
                                                             monkeypatch, tmp_path):
    monkeypatch.setenv("NABIJ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(env_name(world.regions["A"].region.code), raising=False)
    _login(client, world, "loket")
    region = world.regions["A"].region
    r = client.post(reverse("casus:new", args=[region.pk]), {
        "kind": "integraal_verzoek", "number": "7", "school": "", "birth_year": "2013",
        "gemeente": region.gemeenten[0]["code"]})
    assert r.status_code == 200
    assert "Geen pseudonimiseringssleutel" in r.content.decode()


def _advice(client, pk, person, org, role, grant="ja", reasons=None):
    return client.post(reverse("casus:advice", args=[pk]), {
        "person": person, "organisation": org, "role": role, "grant": grant,
        "reasons": reasons or f"eigen oordeel {person}", "tried": "rooster aangepast",
        "possible_education": "deeltijd OZA"})


def _decide(client, pk):
    return client.post(reverse("casus:decision", args=[pk]), {
        "granted": "ja", "reasons": "zwaarwegend", "valid_until": "",
        "reassess_on": add_months(START, 6).isoformat()})


def test_5a_refused_with_one_or_same_organisation_accepted_with_two_independent(keyed, client):
    from nabij.web.casus.models import Case

    region = keyed.regions["A"].region
    _login(client, keyed, "loket")
    pk = _register(client, region, kind="vrijstelling_5a", verzuim="", out_of_school_since="")
    client.post(reverse("casus:status", args=[pk]), {"status": "in_behandeling"})
    assert _advice(client, pk, "dr. A", "GGD", "jeugdarts").status_code == 302
    r = _decide(client, pk)
    assert r.status_code == 200 and "twee onafhankelijke adviezen" in r.content.decode()
    assert _advice(client, pk, "B. Team", "GGD", "onderwijs_zorgteam").status_code == 302
    r = _decide(client, pk)
    assert r.status_code == 200 and "dezelfde organisatie" in r.content.decode()
    assert Case.objects.get(pk=pk).decision_on is None
    assert _advice(client, pk, "C. Leerplicht", "Gemeente Westdorp",
                   "leerplichtambtenaar").status_code == 302
    assert _decide(client, pk).status_code == 302
    row = Case.objects.get(pk=pk)
    assert row.decision_granted is True and row.reassess_on == add_months(START, 6)


def test_doorzettingsmacht_blocks_closing_until_the_designated_person_decides(keyed, client,
                                                                           settings):
    from nabij.web.casus.models import Case

    settings.NABIJ_CASUS_TODAY = date.today()  # the test world's cases are of today
    objs = keyed.regions["A"]
    row = objs.extra["case_escalated"]
    _login(client, keyed, "loket")
    client.post(reverse("casus:status", args=[row.pk]), {"status": "aanbod_gedaan"})
    r = client.post(reverse("casus:status", args=[row.pk]), {"status": "afgesloten"},
                    follow=True)
    assert "doorzettingsmacht" in r.content.decode()
    assert Case.objects.get(pk=row.pk).status == "aanbod_gedaan"
    assert client.get(reverse("casus:ruling", args=[row.pk])).status_code == 403
    _login(client, keyed, "regiocoordinator")  # the designated person in the test world
    r = client.post(reverse("casus:ruling", args=[row.pk]), {
        "decision": "SWV betaalt", "reasons": "kind gaat voor",
        "deadline": (date.today() + timedelta(days=14)).isoformat()})
    assert r.status_code == 302
    _login(client, keyed, "loket")
    client.post(reverse("casus:status", args=[row.pk]), {"status": "afgesloten"})
    assert Case.objects.get(pk=row.pk).status == "afgesloten"


def test_doorbraak_spend_lowers_the_balance_and_overspend_is_refused(keyed, client):
    from nabij.casework.kinds import Source
    from nabij.web.casus import service

    objs = keyed.regions["A"]
    _login(client, keyed, "loket")
    before = service.ledger(objs.region).balance(date.today().year, Source.ONDERWIJS)
    # the test world's budget is booked in the current year; the test clock decides the
    # spend's year, so book the spend in that year too
    _login(client, keyed, "regiocoordinator")
    client.post(reverse("casus:ledger", args=[objs.region.pk]), {
        "year": START.year, "source": "onderwijs", "amount": "10.000,00", "note": "budget"})
    _login(client, keyed, "loket")
    year_before = service.ledger(objs.region).balance(START.year, Source.ONDERWIJS)
    r = client.post(reverse("casus:spend", args=[objs.extra["case"].pk]), {
        "source": "onderwijs", "amount": "2.500,00", "note": "taxi en begeleiding",
        "commit": "uitgave"})
    assert r.status_code == 302
    after = service.ledger(objs.region).balance(START.year, Source.ONDERWIJS)
    assert after.available == year_before.available - 250_000
    r = client.post(reverse("casus:spend", args=[objs.extra["case"].pk]), {
        "source": "onderwijs", "amount": "1.000.000,00", "note": "te veel",
        "commit": "uitgave"})
    assert r.status_code == 200 and "past niet" in r.content.decode()
    page = client.get(reverse("casus:ledger", args=[objs.region.pk])).content.decode()
    assert "€ 7.500,00" in page
    assert before.budget > 0


def test_every_read_is_logged_with_purpose_and_log_is_append_only(world, client):
    from django.core.exceptions import ValidationError

    from nabij.web.casus.models import ReadLog

    case = world.regions["A"].extra["case"]
    _login(client, world, "deelnemer")
    n = ReadLog.objects.count()
    r = client.get(reverse("casus:detail", args=[case.pk]))
    assert r.status_code == 200 and "Plan ZAAK-A" not in r.content.decode()
    assert ReadLog.objects.count() == n  # choosing a purpose is not a read
    r = client.get(reverse("casus:detail", args=[case.pk]) + "?doel=overleg")
    assert "Plan ZAAK-A" in r.content.decode()
    log = ReadLog.objects.latest("id")
    assert (log.username, log.case_id, log.purpose) == ("test-deelnemer", case.pk, "overleg")
    log.purpose = "behandeling"
    with pytest.raises(ValidationError):
        log.save()
    with pytest.raises(ValidationError):
        log.delete()
    _login(client, world, "regiocoordinator")
    page = client.get(reverse("casus:readlog", args=[world.regions["A"].region.pk]))
    assert "test-deelnemer" in page.content.decode() and case.number in page.content.decode()
    _login(client, world, "loket")
    assert client.get(reverse("casus:readlog",
                              args=[world.regions["A"].region.pk])).status_code == 403


def test_deelnemer_sees_only_cases_its_organisation_takes_part_in(world, client):
    objs = world.regions["A"]
    _login(client, world, "deelnemer")
    for key in ("case_escalated", "case_5a"):
        url = reverse("casus:detail", args=[objs.extra[key].pk]) + "?doel=overleg"
        assert client.get(url).status_code == 404
    listing = client.get(reverse("casus:list", args=[objs.region.pk])).content.decode()
    assert objs.extra["case"].number in listing
    assert objs.extra["case_5a"].number not in listing
    link = reverse("casus:detail", args=[objs.extra["case_5a"].pk])
    search = reverse("zoeken") + f"?q={objs.extra['case_5a'].number}"
    assert link not in client.get(search).content.decode()
    _login(client, world, "loket")
    assert link in client.get(search).content.decode()


def _cells(content: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets if ws.title != "uitleg"
            for row in ws.iter_rows(min_row=2, values_only=True) for c in row]


def test_lezer_sees_suppressed_aggregates_only(world, client):
    objs = world.regions["A"]
    _login(client, world, "lezer")
    assert client.get(reverse("casus:list", args=[objs.region.pk])).status_code == 404
    r = client.get(reverse("casus:leerplicht_export", args=[objs.region.pk])
                   + "?schooljaar=2024-2025&formaat=xlsx")
    assert r.status_code == 200
    assert not [c for c in _cells(r.content) if isinstance(c, int) and 0 < c < 10]
    r = client.get(reverse("casus:inspectie_export", args=[objs.region.pk])
                   + f"?periode={date.today().year}-K{(date.today().month - 1) // 3 + 1}"
                   "&formaat=csv")
    text = r.content.decode()
    assert r.status_code == 200 and "<10" in text  # 1 thuiszitter in the world: hidden
    assert not re.search(r"(^|,)[1-9](,|$)", text, re.M)
    page = client.get(reverse("regio:detail", args=[objs.region.pk])).content.decode()
    assert "Open zaken van het loket" in page
    assert "ZAAK" not in page


def test_destruction_needs_coordinator_and_second_person_and_removes_history(keyed, client,
                                                                            settings):
    from nabij.web.casus.models import Case, DestructionList

    region = keyed.regions["A"].region
    old = Case.objects.create(region=region, kind="integraal_verzoek", child="x" * 32,
                              birth_year=2005, gemeente="GM9A", status="afgesloten",
                              registered_on=date(2015, 1, 1), closed_on=date(2016, 1, 1))
    old.gemeente = "GM9B"
    old.save()  # a change in the history
    assert Case.history.filter(id=old.pk).count() == 2
    _login(client, keyed, "regiocoordinator")
    client.post(reverse("casus:destruction", args=[region.pk]))
    dl = DestructionList.objects.filter(region=region).latest("id")
    assert dl.case_ids == [old.pk]
    client.post(reverse("casus:destruction_approve", args=[dl.pk]))
    client.post(reverse("casus:destruction_approve", args=[dl.pk]))  # twice: refused
    client.post(reverse("casus:destruction_execute", args=[dl.pk]))
    assert Case.objects.filter(pk=old.pk).exists()  # one approval is not enough
    _login(client, keyed, "loket")
    client.post(reverse("casus:destruction_approve", args=[dl.pk]))
    _login(client, keyed, "regiocoordinator")
    client.post(reverse("casus:destruction_execute", args=[dl.pk]))
    assert not Case.objects.filter(pk=old.pk).exists()
    assert not Case.history.filter(id=old.pk).exists()
    dl.refresh_from_db()
    assert dl.executed_on is not None and dl.destroyed == [old.number]


def test_csv_import_writes_all_rows_or_nothing(keyed, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nabij.web.casus.models import Case

    region = keyed.regions["A"].region
    _login(client, keyed, "loket")
    head = "leerlingnummer;school;geboortejaar;gemeente;soort;verzuim;status;aangemeld_op;" \
           "thuis_sinds\n"
    good = head + "1;01AA00;2013;GM0001;thuiszitter;absoluut;in behandeling;2025-01-02;" \
                  "2024-12-20\n2;01AA00;2012;GM0001;integraal verzoek;;aangemeld;2025-01-03;\n"
    bad = good + "3;01AA00;20xx;GM0001;integraal verzoek;;aangemeld;2025-01-03;\n"
    n = Case.objects.filter(region=region).count()
    url = reverse("casus:import", args=[region.pk])
    r = client.post(url, {"bestand": SimpleUploadedFile("zaken.csv", bad.encode())})
    text = r.content.decode()
    assert r.status_code == 200 and "Er is niets opgeslagen" in text
    assert "rij 4, kolom &#x27;geboortejaar&#x27;" in text
    assert Case.objects.filter(region=region).count() == n
    r = client.post(url, {"bestand": SimpleUploadedFile("zaken.csv", good.encode())})
    assert r.status_code == 302
    assert Case.objects.filter(region=region).count() == n + 2
