"""The workspace on the real Netherlands: the SWV PO division of ../shared/data with its real
gemeenten, schoolbesturen and SWVs as parties, and the CBS series in the monitor."""

from __future__ import annotations

import pytest

from nabij.web.regio.models import Division, Organisation, Party
from nabij.web.regio.roles import Category

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


@pytest.fixture(scope="module")
def real_po(real_atlas, real_data_dir, django_db_setup, django_db_blocker):
    """The real status quo PO with the CBS series, loaded once (committed; removed after)."""
    from nabij.divisions.status_quo import status_quo
    from nabij.monitor import read_cbs_history
    from nabij.web.regio.load import load_division

    division = status_quo(real_atlas, "PO")
    history = read_cbs_history(real_data_dir, real_atlas.gemeenten)
    with django_db_blocker.unblock():
        div = load_division(real_atlas, division, history=history)
    yield division, history, div
    with django_db_blocker.unblock():
        div.delete()
        Organisation.objects.exclude(code="").delete()


def test_real_status_quo_po_as_overleg_regions(real_atlas, real_po):
    division, _history, div = real_po
    assert isinstance(div, Division) and div.regions.count() == division.n_regions
    assert div.regions.count() > 70
    # every region: its own SWV and at least one gemeente and schoolbestuur as parties
    for region in div.regions.all():
        cats = set(Party.objects.filter(region=region)
                   .values_list("organisation__category", flat=True))
        assert {Category.GEMEENTE, Category.SCHOOLBESTUUR, Category.SWV} <= cats, region
        assert Party.objects.filter(region=region, organisation__code=region.code).exists()
        assert region.shape_path.startswith("M")
    n_gm = Organisation.objects.filter(category=Category.GEMEENTE).count()
    assert n_gm == real_atlas.gemeenten["gemeente"].nunique()
    # the CBS series reach the monitor (observed participation, not only modelled values)
    region = div.regions.order_by("code").first()
    assert "deelname_sbo_so" in div.monitor_catalogue
    assert region.monitor["deelname_sbo_so"]["status"] in ("definitief", "voorlopig")


def test_real_stromenland_target_in_every_region_matches_the_monitor(real_atlas, real_po):
    """"Terug naar het landelijk gemiddelde" in five years, set through the workspace's form
    path in every real region: the resolved target and the status of the latest period equal
    what nabij.monitor computes for the same targets file on the same series."""
    from nabij.monitor.engine import published, run_monitor
    from nabij.monitor.targets import TargetSpec
    from nabij.web.monitor.models import Target
    from nabij.web.monitor.targets import check_target, region_targets

    division, history, div = real_po
    fields = {"indicator": "deelname_sbo_so", "basisjaar": "2018/'19", "doeljaar": "2023/'24",
              "regel": "landelijk_gemiddelde"}
    res = run_monitor(real_atlas, division, history=history, modelled=False,
                      indicators=["deelname_sbo_so"],
                      targets=[TargetSpec("*", "deelname_sbo_so", 2018, 2023,
                                          regel="landelijk_gemiddelde")])
    engine = {t.regio: t for t in res.targets}
    pub = published(res)
    pub = pub[(pub["indicator"] == "deelname_sbo_so") & pub["doelstatus"].notna()]
    latest = pub.sort_values(["schooljaar", "halfjaar"]).groupby("regio").tail(1)
    status = dict(zip(latest["regio"], latest["doelstatus"], strict=True))
    statuses = set()
    for region in div.regions.all():
        spec, resolved = check_target(region, fields)
        Target.objects.create(region=region, indicator=spec.indicator, basisjaar=spec.basisjaar,
                              doeljaar=spec.doeljaar, regel=spec.regel or "")
        assert resolved.doelwaarde == pytest.approx(engine[region.code].doelwaarde, abs=1e-4)
        assert resolved.basiswaarde == pytest.approx(engine[region.code].basiswaarde, abs=1e-4)
        view = region_targets(region)["deelname_sbo_so"]
        assert view.status == status[region.code], region.code
        statuses.add(view.status)
    assert len(div.regions.all()) > 70 and len(statuses) >= 2
