"""Regions and parties from the atlas; missing statutory categories; region page, lezer view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nabij.web.regio.models import Membership, Organisation, Party, Region
from nabij.web.regio.parties import missing_categories
from nabij.web.regio.roles import Category, Role

pytestmark = pytest.mark.django_db


def test_missing_categories_reads_board_sectors():
    assert missing_categories([("gemeente", ""), ("schoolbestuur", "PO;SO")]) == [
        "maatschappelijke kinderopvang", "schoolbestuur vo", "mbo", "hbo/wo"]
    full = [("gemeente", ""), ("schoolbestuur", "PO"), ("schoolbestuur", "VO;SO"),
            ("kinderopvang", ""), ("mbo", ""), ("hbo_wo", ""), ("swv", "PO")]
    assert missing_categories(full) == []


@pytest.fixture(scope="module")
def loaded(synthetic_atlas, django_db_setup, django_db_blocker):
    """The status quo PO of the small synthetic country, loaded once."""
    from nabij.divisions.status_quo import status_quo
    from nabij.web.regio.load import load_division

    division = status_quo(synthetic_atlas, "PO")
    with django_db_blocker.unblock():
        div = load_division(synthetic_atlas, division)
    yield synthetic_atlas, division, div
    with django_db_blocker.unblock():
        div.delete()
        Organisation.objects.exclude(code="").delete()


def test_regions_and_parties_follow_the_atlas(loaded):
    atlas, division, div = loaded
    assert div.regions.count() == division.n_regions
    pc4 = atlas.pc4.astype({"pc4": str}).set_index("pc4")
    schools = atlas.scholen.astype({"pc4": str})
    for region in div.regions.all()[:5]:
        codes = set(division.assignment[division.assignment == region.code].index)
        gms = set(pc4.loc[sorted(codes), "gemeente"])
        boards = set(schools[schools["pc4"].isin(codes)]["bestuur"].astype(str))
        parties = Party.objects.filter(region=region).select_related("organisation")
        by_cat: dict[str, set[str]] = {}
        for p in parties:
            by_cat.setdefault(p.organisation.category, set()).add(p.organisation.code)
        assert by_cat[Category.GEMEENTE] == gms
        assert by_cat[Category.SCHOOLBESTUUR] == boards
        assert region.code in by_cat[Category.SWV]
        assert {g["code"] for g in region.gemeenten} == gms
        assert region.n_pc4 == len(codes) and region.shape_path.startswith("M")
        assert all(p.source == Party.Source.ATLAS for p in parties)


def test_reloading_keeps_added_parties_and_adds_nothing_twice(loaded):
    atlas, division, div = loaded
    from nabij.web.regio.load import load_division

    region = div.regions.order_by("code").first()
    org = Organisation.objects.create(name="Kinderopvang Test", category=Category.KINDEROPVANG)
    Party.objects.create(region=region, organisation=org)
    before = Party.objects.filter(region__division=div).count()
    load_division(atlas, division)
    assert Party.objects.filter(region__division=div).count() == before
    assert Party.objects.filter(region=region, organisation=org).exists()


def test_region_page_shows_map_monitor_measures_and_missing_categories(loaded, client):
    _atlas, _division, div = loaded
    from django.contrib.auth import get_user_model

    region = div.regions.order_by("code").first()
    user = get_user_model().objects.create_user("coord-syn")
    Membership.objects.create(user=user, region=region, role=Role.REGIOCOORDINATOR)
    client.force_login(user)
    page = client.get(reverse("regio:detail", args=[region.pk])).content.decode()
    assert f'viewBox="{div.viewbox}"' in page and region.shape_path[:40] in page
    assert "Verplichte deelnemers ontbreken" in page and "maatschappelijke kinderopvang" in page
    assert 'id="monitor"' in page and "Thuisnabijheid SO" in page
    assert "Leerlingen" in page and "gemodelleerd" in page
    # adding kinderopvang, mbo and hbo/wo removes them from the missing list
    for cat in ("kinderopvang", "mbo", "hbo_wo"):
        r = client.post(reverse("regio:parties", args=[region.pk]),
                        {"name": f"Test {cat}", "category": cat})
        assert r.status_code == 302
    page = client.get(reverse("regio:parties", args=[region.pk])).content.decode()
    assert "maatschappelijke kinderopvang</li>" not in page and "Test mbo" in page


def test_a_coordinator_cannot_add_a_gemeente_by_hand(client, world):
    client.force_login(world.users["regiocoordinator"])
    r = client.post(reverse("regio:parties", args=[world.regions["A"].region.pk]),
                    {"name": "Nepgemeente", "category": "gemeente"})
    assert r.status_code == 200 and "geen beschikbare keuze" in r.content.decode()


def test_lezer_sees_only_published_aggregates(client, world):
    client.force_login(world.users["lezer"])
    page = client.get(reverse("regio:detail", args=[world.regions["A"].region.pk])
                      ).content.decode()
    assert "alleen totalen" in page
    assert "GEHEIM" not in page and "Test-Gemeente-A" not in page
    # two parties, one agreement: all below 10, so shown as <10, never as the number
    assert "&lt;10" in page
    assert ">2<" not in page and ">1<" not in page


def test_aggregates_use_complementary_suppression():
    from nabij.web.regio.aggregates import CountTable, published_table

    t = published_table(CountTable("x", [("a", 40), ("b", 5), ("c", 30)]))
    shown = dict(t.rows)
    assert shown["b"] == "<10" and t.total == "75"
    # with the total published, one more cell must be hidden so 'b' cannot be derived
    assert sum(v == "<10" or not v.isdigit() for v in shown.values()) >= 2


def test_search_finds_only_what_the_user_may_see(client, world):
    client.force_login(world.users["deelnemer"])
    page = client.get(reverse("zoeken") + "?q=GEHEIM").content.decode()
    assert "Afspraak GEHEIM-A" in page and "GEHEIM-B" not in page
    page = client.get(reverse("zoeken") + "?q=Test-Gemeente").content.decode()
    assert "Test-Gemeente-A" in page and "Test-Gemeente-B" not in page


def test_region_list_search(client, world):
    client.force_login(world.users["beheerder"])
    page = client.get(reverse("regio:list") + "?q=Regio-B").content.decode()
    assert "Regio-B" in page and "Regio-A" not in page
    assert Region.objects.filter(name="Regio-B").exists()


def test_national_lezer_sees_aggregates_of_every_region_and_no_overleg(client, world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("lezer-landelijk")
    Membership.objects.create(user=user, role=Role.LEZER, region=None)
    client.force_login(user)
    listing = client.get(reverse("regio:list")).content.decode()
    assert "Regio-A" in listing and "Regio-B" in listing
    for key in ("A", "B"):
        objs = world.regions[key]
        page = client.get(reverse("regio:detail", args=[objs.region.pk])).content.decode()
        assert "alleen totalen" in page and "GEHEIM" not in page
        assert client.get(reverse("overleg:register", args=[objs.region.pk])).status_code == 404
        assert client.get(reverse("overleg:agreements_xlsx", args=[objs.region.pk])
                          ).status_code == 404


def test_a_regional_role_needs_a_region():
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    user = get_user_model().objects.create_user("zonder-regio")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.DEELNEMER, region=None)
