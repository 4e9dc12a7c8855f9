"""Monitor targets and notes in the workspace: who may change them, the monitor's own
validation (Dutch messages), the audit trail, and the status the region page shows from a
target stored in the database (computed by nabij.monitor)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nabij.monitor.targets import Target as PlainTarget
from nabij.web.monitor.models import Note, Target
from nabij.web.regio.models import Membership, Organisation
from nabij.web.regio.roles import Role

pytestmark = pytest.mark.django_db

IND = "deelname_sbo_so"


@pytest.fixture(scope="module")
def loaded(synthetic_atlas, django_db_setup, django_db_blocker):
    """Status quo PO of the small synthetic country with its synthetic history and register,
    two regions with a coordinator, a deelnemer and a lezer in the first."""
    from nabij.divisions.status_quo import status_quo
    from nabij.monitor.synthetic import synthetic_history, synthetic_register
    from nabij.web.regio.demo import register_observations
    from nabij.web.regio.load import load_division

    division = status_quo(synthetic_atlas, "PO")
    register = register_observations(synthetic_atlas, synthetic_register(synthetic_atlas, 1))
    with django_db_blocker.unblock():
        div = load_division(synthetic_atlas, division,
                            history=synthetic_history(synthetic_atlas, seed=1),
                            register=register, register_modelled=True)
        own, foreign = list(div.regions.order_by("code")[:2])
        users = {}
        for role in ("regiocoordinator", "deelnemer", "lezer"):
            users[role] = get_user_model().objects.create_user(f"mon-{role}")
            Membership.objects.create(user=users[role], region=own, role=role)
        users["vreemd"] = get_user_model().objects.create_user("mon-vreemd")
        Membership.objects.create(user=users["vreemd"], region=foreign,
                                  role=Role.REGIOCOORDINATOR)
    yield div, own, foreign, users
    with django_db_blocker.unblock():
        get_user_model().objects.filter(username__startswith="mon-").delete()
        div.delete()
        Organisation.objects.exclude(code="").delete()


def _points(region, ind=IND):
    return {(y, h): v for y, h, v in region.monitor[ind]["punten"]}


def _form(**kw) -> dict:
    data = {"indicator": IND, "soort": "waarde", "doelwaarde": "", "basisjaar": "2018/'19",
            "basiswaarde": "", "doeljaar": "2028/'29", "traject": "recht", "stappen": ""}
    data.update(kw)
    return data


def test_coordinator_of_own_region_sets_changes_and_ends_a_target(loaded, client):
    _div, own, _foreign, users = loaded
    client.force_login(users["regiocoordinator"])
    r = client.post(reverse("monitor:target_new", args=[own.pk]), _form(doelwaarde="4,2"))
    assert r.status_code == 302, r.content.decode()[-2000:]
    t = Target.objects.get(region=own, indicator=IND, ended_on__isnull=True)
    assert (t.basisjaar, t.doeljaar, t.doelwaarde, t.basiswaarde) == (2018, 2028, 4.2, None)
    r = client.post(reverse("monitor:target_edit", args=[t.pk]),
                    _form(doelwaarde="4", traject="trapsgewijs", stappen="5"))
    assert r.status_code == 302
    t.refresh_from_db()
    assert (t.doelwaarde, t.traject, t.stappen) == (4.0, "trapsgewijs", 5)
    r = client.post(reverse("monitor:target_end", args=[t.pk]), {"reden": "vervangen"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.ended_on is not None and t.ended_reason == "vervangen"
    # an ended target cannot be changed any more
    client.post(reverse("monitor:target_edit", args=[t.pk]), _form(doelwaarde="1"))
    t.refresh_from_db()
    assert t.doelwaarde == 4.0


def test_a_member_of_the_region_reads_but_cannot_change(loaded, client):
    _div, own, _foreign, users = loaded
    t = Target.objects.create(region=own, indicator=IND, basisjaar=2018, doeljaar=2028,
                              doelwaarde=4.0)
    client.force_login(users["deelnemer"])
    page = client.get(reverse("monitor:region", args=[own.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Deelname SBO en SO" in text and "in 2028/&#x27;29" in text
    assert reverse("monitor:target_edit", args=[t.pk]) not in text
    assert reverse("monitor:target_new", args=[own.pk]) not in text
    for url in (reverse("monitor:target_new", args=[own.pk]),
                reverse("monitor:note_new", args=[own.pk]),
                reverse("monitor:target_edit", args=[t.pk]),
                reverse("monitor:target_end", args=[t.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, _form(doelwaarde="1")).status_code == 403
    t.refresh_from_db()
    assert t.doelwaarde == 4.0 and t.ended_on is None
    # a lezer sees aggregates only: not the monitor page
    client.force_login(users["lezer"])
    assert client.get(reverse("monitor:region", args=[own.pk])).status_code == 404


def test_a_coordinator_of_another_region_cannot_see_it(loaded, client):
    _div, own, _foreign, users = loaded
    t = Target.objects.create(region=own, indicator=IND, basisjaar=2018, doeljaar=2028,
                              doelwaarde=4.0)
    client.force_login(users["vreemd"])
    for url in (reverse("monitor:region", args=[own.pk]),
                reverse("monitor:target_new", args=[own.pk]),
                reverse("monitor:note_new", args=[own.pk]),
                reverse("monitor:target_edit", args=[t.pk]),
                reverse("monitor:target_end", args=[t.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, _form(doelwaarde="1")).status_code == 404
    assert Target.objects.filter(region=own).count() == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"basisjaar": "vorig jaar"},
     "&#x27;vorig jaar&#x27; is geen schooljaar (zoals 2023/&#x27;24)"),
    ({"doeljaar": "2017/'18"}, "doeljaar moet na het basisjaar liggen"),
    ({"doelwaarde": ""}, "geef een doelwaarde of een regel"),
    ({"doelwaarde": "veel"}, "&#x27;veel&#x27; is geen getal"),
    ({"traject": "trapsgewijs", "stappen": "nul"}, "&#x27;nul&#x27; is geen positief geheel getal"),
    ({"basisjaar": "2001"}, "geen waarde van deelname_sbo_so in 2001 voor"),
])
def test_target_validation_is_the_monitors_own_in_dutch(loaded, client, fields, message):
    _div, own, _foreign, users = loaded
    client.force_login(users["regiocoordinator"])
    data = _form(doelwaarde="4")
    data.update(fields)
    r = client.post(reverse("monitor:target_new", args=[own.pk]), data)
    text = r.content.decode()
    assert r.status_code == 200 and "Er is iets niet goed ingevuld" in text
    assert message in text, text[text.find("foutsamenvatting"):][:1500]
    assert 'aria-invalid="true"' in text
    assert not Target.objects.filter(region=own).exists()


def test_one_running_target_per_indicator(loaded, client):
    _div, own, _foreign, users = loaded
    Target.objects.create(region=own, indicator=IND, basisjaar=2018, doeljaar=2028,
                          doelwaarde=4.0)
    client.force_login(users["regiocoordinator"])
    r = client.post(reverse("monitor:target_new", args=[own.pk]), _form(doelwaarde="3"))
    assert r.status_code == 200 and "Voor deze indicator loopt al een doel" in r.content.decode()
    assert Target.objects.filter(region=own).count() == 1


def test_every_change_is_in_the_audit_history(loaded, client):
    _div, own, _foreign, users = loaded
    client.force_login(users["regiocoordinator"])
    client.post(reverse("monitor:target_new", args=[own.pk]), _form(doelwaarde="4,5"))
    t = Target.objects.get(region=own)
    client.post(reverse("monitor:target_edit", args=[t.pk]), _form(doelwaarde="3,75"))
    client.post(reverse("monitor:note_new", args=[own.pk]),
                {"indicator": IND, "datum": "2024-03-01", "tekst": "Nieuwe OZA-groep"})
    records = list(t.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user == users["regiocoordinator"] for r in records)
    page = client.get(reverse("regio:history", args=[own.pk])).content.decode()
    assert "monitordoel" in page and "<del>4.5</del> → <ins>3.75</ins>" in page
    assert "toelichting bij de monitor" in page and "Nieuwe OZA-groep" in page
    assert "mon-regiocoordinator" in page


def _status_of(region, basisjaar: int, doelwaarde: float) -> tuple[str, str]:
    """What nabij.monitor says of a straight target from ``basisjaar`` to the last published
    year, independently of the web code: (status, period label)."""
    from nabij.monitor.series import period_label

    pts = {k: v for k, v in _points(region).items() if v is not None}
    last = max(pts)
    plain = PlainTarget(region.code, IND, basisjaar, pts[(basisjaar, 0)], last[0] + 1,
                        doelwaarde)
    t = last[0] + (0.5 if last[1] == 2 else 0.0)
    return plain.status(t, pts[last]), period_label(*last)


def test_region_page_shows_the_status_computed_from_the_database_target(loaded, client):
    _div, own, _foreign, users = loaded
    pts = {k: v for k, v in _points(own).items() if v is not None}
    last_year = max(pts)[0]
    base, now = pts[(2018, 0)], pts[max(pts)]
    far = now - 5 * max(abs(base - now), 0.1)  # 'lager is beter': far below where we are
    client.force_login(users["regiocoordinator"])
    shown = []
    for goal in (far, base - (base - now) * 1.0):
        Target.objects.filter(region=own).delete()
        t = Target.objects.create(region=own, indicator=IND, basisjaar=2018,
                                  doeljaar=last_year + 1, doelwaarde=goal)
        expected, period = _status_of(own, 2018, goal)
        page = client.get(reverse("regio:detail", args=[own.pk])).content.decode()
        row = page[page.find("Deelname SBO en SO"):][:1500]
        assert f"nabij-badge--{expected.replace(' ', '-')}\">{expected}</span>" in row, row
        assert period.replace("'", "&#x27;") in row
        shown.append(expected)
        t.delete()
    assert shown[0] == "ver achter" and shown[0] != shown[1]


def test_landelijk_gemiddelde_resolves_against_the_national_series(loaded, client):
    div, own, _foreign, users = loaded
    client.force_login(users["regiocoordinator"])
    r = client.post(reverse("monitor:target_new", args=[own.pk]),
                    _form(soort="landelijk_gemiddelde", doelwaarde="9"))
    assert r.status_code == 302
    t = Target.objects.get(region=own)
    assert t.regel == "landelijk_gemiddelde" and t.doelwaarde is None
    nat = {(y, h): v for y, h, v in div.monitor_national[IND]}[(2018, 0)]
    base = _points(own)[(2018, 0)]
    page = client.get(reverse("monitor:region", args=[own.pk])).content.decode()
    goal = min(nat, base)  # lower is better: a region already below keeps its own value
    assert f"terug naar het landelijk gemiddelde: {goal:.4g}".replace(".", ",") in page


def test_notes_show_on_the_region_page_for_members_not_for_the_lezer(loaded, client):
    _div, own, _foreign, users = loaded
    client.force_login(users["regiocoordinator"])
    r = client.post(reverse("monitor:note_new", args=[own.pk]),
                    {"indicator": IND, "datum": "2024-02-30", "tekst": "x"})
    assert "is geen datum (JJJJ-MM-DD)" in r.content.decode()
    r = client.post(reverse("monitor:note_new", args=[own.pk]),
                    {"indicator": IND, "datum": "2024-02-01", "tekst": "Wachtlijst jeugdhulp"})
    assert r.status_code == 302
    assert Note.objects.get(region=own).auteur == "mon-regiocoordinator"
    page = client.get(reverse("regio:detail", args=[own.pk])).content.decode()
    assert "Wachtlijst jeugdhulp" in page
    client.force_login(users["lezer"])
    page = client.get(reverse("regio:detail", args=[own.pk])).content.decode()
    assert "Wachtlijst jeugdhulp" not in page and 'id="monitor"' in page


def test_thuiszitters_stand_beside_the_vrijstellingen_labelled_modelled(loaded, client):
    _div, own, _foreign, users = loaded
    client.force_login(users["deelnemer"])
    page = client.get(reverse("regio:detail", args=[own.pk])).content.decode()
    table = page[page.find('id="monitor"'):]
    table = table[:table.find("</table>")]
    rows = [r for r in table.split("<tr>")[2:]]
    names = [r[r.find(">") + 1:r.find("</th>")] for r in rows]
    first = next(k for k, n in enumerate(names) if "verzuim" in n.lower())
    block = names[first:first + 6]
    assert sum("vrijstelling" in n.lower() for n in block) == 3, names
    for r in rows[first:first + 6]:
        assert "gemodelleerd" in r


def test_web_demo_monitor_reads_the_loket_register_where_a_region_has_cases(
        loaded, synthetic_atlas, client):
    """The loket's (synthetic) cases of the own region feed its thuiszitters and vrijstellingen
    (labelled modelled, from the casework register); other regions keep the synthetic register;
    published values follow the casework counts by the monitor's weighting rule."""
    from nabij.casework.periods import SchoolYear
    from nabij.divisions.status_quo import status_quo
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.series import unit_weights
    from nabij.monitor.synthetic import synthetic_history
    from nabij.web.casus.clock import today
    from nabij.web.casus.demo import load_demo_cases
    from nabij.web.casus.returns import monitor_register
    from nabij.web.regio.demo import monitor_from_registers

    div, own, foreign, users = loaded
    atlas = synthetic_atlas
    division = status_quo(atlas, "PO")
    assert load_demo_cases(atlas, [own]) > 0
    assert monitor_from_registers(atlas, division, div, synthetic_history(atlas, seed=1), 1)
    own.refresh_from_db()
    foreign.refresh_from_db()
    first = SchoolYear.of(today()).start.year - 2
    rows = monitor_register([own], [SchoolYear.starting(y) for y in range(first, first + 3)],
                            today())
    periods = sorted({(int(y[:4]), int(h)) for y, h in zip(rows["schooljaar"], rows["periode"],
                                                           strict=True)})
    weights = unit_weights(atlas, division, "gemeente", "PO+VO")
    weights = weights[weights["regio"] == own.code].set_index("code")["w"]
    pc4 = atlas.pc4
    kids = (pc4["kinderen_po"].fillna(0) + pc4["kinderen_vo"].fillna(0)) \
        .groupby(pc4["gemeente"].astype(str)).sum()
    cat = load_catalogue()
    published = 0
    for ind in ("absoluut_verzuim", "zonder_aanbod_3mnd", "vrijstelling_5a"):
        mon = own.monitor[ind]
        assert mon["gemodelleerd"] is True and "casusregister van het loket" in mon["herkomst"]
        assert [tuple(p[:2]) for p in mon["punten"]] == periods
        assert "registerbestand" in foreign.monitor[ind]["herkomst"]
        assert foreign.monitor[ind]["punten"][0][0] == 2019  # synthetic, from 2019/'20
        for y, h, value in mon["punten"]:
            r = rows[(rows["indicator"] == ind) & (rows["schooljaar"].str[:4] == str(y))
                     & (rows["periode"].astype(str) == str(h))].set_index("gemeente")["aantal"]
            w = weights.reindex(r.index).fillna(0)
            count = float((w * r.astype(float)).sum())
            expected = cat[ind].schaal * count / float((w * kids.reindex(r.index)).sum())
            if value is None:
                continue
            published += 1
            assert not 0 < count < 10 and value == pytest.approx(expected, rel=1e-3, abs=1e-4)
    assert published > 3
    client.force_login(users["deelnemer"])
    page = client.get(reverse("regio:detail", args=[own.pk])).content.decode()
    assert "casusregister van het loket (synthetische zaken, gemodelleerd)" in page


def test_targets_download_reads_back_as_the_monitors_targets_file(loaded, client):
    """What the coordinator sets in the workspace is a targets file for `nabij monitor rapport
    --doelen`: the download parses back, by the monitor's own reader, into the same specs."""
    import io
    from dataclasses import replace

    import pandas as pd

    from nabij.monitor.targets import read_targets_frame
    from nabij.web.monitor.targets import catalogue_of, spec_of

    _div, own, foreign, users = loaded
    made = [Target.objects.create(region=own, indicator=IND, basisjaar=2018, doeljaar=2028,
                                  doelwaarde=3.95, traject="trapsgewijs", stappen=4),
            Target.objects.create(region=own, indicator="deelname_so", basisjaar=2016,
                                  doeljaar=2026, regel="landelijk_gemiddelde",
                                  basiswaarde=1.25)]
    Target.objects.create(region=own, indicator="deelname_sbo", basisjaar=2016, doeljaar=2020,
                          doelwaarde=1.0, ended_on="2024-01-01")
    client.force_login(users["deelnemer"])
    r = client.get(reverse("monitor:targets_csv", args=[own.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    df = pd.read_csv(io.StringIO(r.content.decode()), dtype=str, keep_default_na=False)
    def key(spec):
        return replace(spec, row=None)

    read = sorted((key(s) for s in read_targets_frame(df, catalogue_of(own))),
                  key=lambda s: s.indicator)
    assert read == sorted((key(spec_of(t)) for t in made), key=lambda s: s.indicator)
    client.force_login(users["vreemd"])
    assert client.get(reverse("monitor:targets_csv", args=[own.pk])).status_code == 404
