"""The workspace on the real Netherlands: the SWV PO division of ../shared/data with its real
gemeenten, schoolbesturen and SWVs as parties, and the CBS series in the monitor."""

from __future__ import annotations

import pytest

from nabij.web.regio.models import Division, Organisation, Party
from nabij.web.regio.roles import Category

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def test_real_status_quo_po_as_overleg_regions(real_atlas, real_data_dir):
    from nabij.divisions.status_quo import status_quo
    from nabij.monitor import read_cbs_history
    from nabij.web.regio.load import load_division

    division = status_quo(real_atlas, "PO")
    history = read_cbs_history(real_data_dir, real_atlas.gemeenten)
    div = load_division(real_atlas, division, history=history)
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
