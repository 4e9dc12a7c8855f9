"""The overleg register with a database: the measurable result is required (form, model and
database), warnings show, overdue agreements are flagged and escalated, exports work, and every
change lands in the audit history with old and new values."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from nabij.web.overleg.models import MEASURABLE_MESSAGE, Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord(client, world):
    client.force_login(world.users["regiocoordinator"])
    return client


def _agreement_post(objs, **extra):
    data = {"title": "Minder thuiszitters", "owner": objs.gemeente.pk,
            "parties": [objs.gemeente.pk, objs.swv.pk], "deadline": "2027-01-31",
            "status": "open", "indicator": "", "deliverable": ""}
    data.update(extra)
    return data


def test_agreement_without_measurable_result_is_refused_in_dutch(coord, world):
    a = world.regions["A"]
    n = Agreement.objects.count()
    r = coord.post(reverse("overleg:agreement_new", args=[a.region.pk]), _agreement_post(a))
    assert r.status_code == 200
    assert r.content.decode().count(MEASURABLE_MESSAGE) == 1
    assert Agreement.objects.count() == n


def test_indicator_without_target_is_refused(coord, world):
    a = world.regions["A"]
    r = coord.post(reverse("overleg:agreement_new", args=[a.region.pk]),
                   _agreement_post(a, indicator="maatstaf:delen"))
    assert r.status_code == 200 and "Geef een streefwaarde" in r.content.decode()


def test_agreement_with_indicator_and_target_is_recorded(coord, world):
    a = world.regions["A"]
    r = coord.post(reverse("overleg:agreement_new", args=[a.region.pk]),
                   _agreement_post(a, indicator="maatstaf:delen", target="1"))
    assert r.status_code == 302
    ag = Agreement.objects.get(title="Minder thuiszitters")
    assert ag.indicator_label == "Losse delen" and ag.target == 1.0 and ag.baseline == 1.0
    assert set(ag.parties.all()) == {a.gemeente, a.swv}
    page = coord.get(r["Location"]).content.decode()
    assert "streefwaarde behaald" in page


def test_agreement_with_deliverable_is_recorded(coord, world):
    a = world.regions["A"]
    r = coord.post(reverse("overleg:agreement_new", args=[a.region.pk]),
                   _agreement_post(a, deliverable="Vastgesteld plan"))
    assert r.status_code == 302


def test_the_database_refuses_an_agreement_without_result_too(world):
    a = world.regions["A"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(region=a.region, title="x", owner=a.gemeente,
                                 deadline=date(2027, 1, 1))


def test_an_agreement_for_a_foreign_indicator_key_is_refused(coord, world):
    a = world.regions["A"]
    r = coord.post(reverse("overleg:agreement_new", args=[a.region.pk]),
                   _agreement_post(a, indicator="monitor:bestaat_niet", target="3"))
    assert r.status_code == 200 and "geen beschikbare keuze" in r.content.decode()


def test_register_shows_warnings_and_overdue_flag(coord, world):
    a = world.regions["A"]
    page = coord.get(reverse("overleg:register", args=[a.region.pk])).content.decode()
    assert "Er is geen volgende vergadering gepland." in page
    assert "LEA is in het afgelopen jaar niet besproken." in page
    assert "1 afspraak is over de deadline" in page
    assert "te laat" in page
    # planning a meeting removes the 'nothing planned' warning
    r = coord.post(reverse("overleg:meeting_new", args=[a.region.pk]),
                   {"date": (date.today() + timedelta(days=20)).isoformat(), "location": "Zaal"})
    assert r.status_code == 302
    page = coord.get(reverse("overleg:register", args=[a.region.pk])).content.decode()
    assert "Er is geen volgende vergadering gepland." not in page


def test_escalation_records_the_decision_and_new_deadline(coord, world):
    ag = world.regions["A"].agreement
    new = date.today() + timedelta(days=60)
    r = coord.post(reverse("overleg:agreement_escalate", args=[ag.pk]), {
        "escalated_to": "Bestuurder met doorzettingsmacht", "reason": "Te laat",
        "decision": "Extra capaciteit; nieuwe deadline", "new_deadline": new.isoformat(),
        "new_status": "loopt"})
    assert r.status_code == 302
    ag.refresh_from_db()
    assert ag.deadline == new and ag.status == "loopt" and not ag.overdue
    page = coord.get(reverse("overleg:agreement", args=[ag.pk])).content.decode()
    assert "Extra capaciteit; nieuwe deadline" in page


def test_owner_may_set_status_but_not_edit(client, world):
    ag = world.regions["A"].agreement
    client.force_login(world.users["deelnemer"])
    r = client.post(reverse("overleg:agreement_status", args=[ag.pk]),
                    {"status": "gerealiseerd"})
    assert r.status_code == 302
    ag.refresh_from_db()
    assert ag.status == "gerealiseerd"
    assert client.get(reverse("overleg:agreement_edit", args=[ag.pk])).status_code == 403


def test_xlsx_register_has_one_row_per_agreement(coord, world):
    from openpyxl import load_workbook

    a = world.regions["A"]
    r = coord.get(reverse("overleg:agreements_xlsx", args=[a.region.pk]))
    ws = load_workbook(io.BytesIO(r.content))["Afspraken"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ["Afspraak GEHEIM-A"]
    assert rows[0][6] == "ja" and rows[0][9] == 1.0  # overdue, target
    assert r["Content-Disposition"].endswith('afspraken-T-A.xlsx"')


def test_printable_agenda_and_minutes(coord, world):
    m = world.regions["A"].meeting
    agenda = coord.get(reverse("overleg:agenda_print", args=[m.pk])).content.decode()
    minutes = coord.get(reverse("overleg:minutes_print", args=[m.pk])).content.decode()
    assert "OOGO GEHEIM-A" in agenda and "Verslag GEHEIM-A" not in agenda
    assert "Verslag GEHEIM-A" in minutes and "Aanwezig" in minutes


def test_changes_show_in_the_history_with_old_and_new_value(coord, world):
    ag = world.regions["A"].agreement
    coord.post(reverse("overleg:agreement_status", args=[ag.pk]), {"status": "herzien"})
    page = coord.get(reverse("regio:history", args=[ag.region_id])).content.decode()
    assert "test-regiocoordinator" in page
    assert "<del>open</del>" in page and "<ins>herzien</ins>" in page
