"""Scenarios as the advice words them (issue 10), on the hand-made country (by hand).

Home pupils by PC4 (handland flows): PO 115, 115, 115, 115, 110, 110; VO 115, 100, 160, 160,
100, 120. Overlaps of the status quo: PO 01-01 x VO 01-01 = 230 PO of 345 (0.667) and 215 VO
of 215 (1.0); PO 01-02 x VO 01-02 = 335 of 335 (1.0) and 380 of 540 (0.704); PO 01-01 x
VO 01-02 = 0.333 / 0.296. School pupils: PO 01-01 320, PO 01-02 360, VO 01-01 300,
VO 01-02 455.
"""

from __future__ import annotations

import pandas as pd
import pytest
from handland import PC4, hand_atlas

from nabij.divisions import Division, fusie_division
from nabij.divisions.bounded import USER_REASON, bounded_areas, exempt_regions
from nabij.divisions.natural import largest_pair, natural_funderend
from nabij.errors import InputError
from nabij.scenarios import ScenarioOptions, build_scenario


@pytest.fixture(scope="module")
def atlas():
    return hand_atlas()


@pytest.fixture(scope="module")
def ferry_atlas():
    """GM0003 (Oosterveen) reached from GM0002 by ferry only."""
    return hand_atlas(gemeente_links=("grens", "veer"))


def thirds() -> Division:
    return Division("derden", "PO", pd.Series(["A", "A", "B", "B", "C", "C"], index=PC4),
                    {"scenario": "derden"})


# -- S1: natural basis -------------------------------------------------------------------------


def test_s1_default_share_pairs_nothing(atlas):
    po, vo = natural_funderend(atlas)  # 0.8: no pair has both sides >= 0.8
    assert po.recipe["paren"] == [] and po.regions == ["PO 01-01", "PO 01-02"]
    assert vo.regions == ["VO 01-01", "VO 01-02"]
    assert po.recipe["regios"] == 4 and po.recipe["leerlingen_max_funderend"] == 455


def test_s1_pair_at_07_no_chain(atlas):
    po, vo = natural_funderend(atlas, share=0.7)  # only PO 01-02 x VO 01-02 (1.0 / 0.704)
    assert po.assignment.to_dict() == {"1001": "PO 01-01", "1002": "PO 01-01",
                                       "2001": "PO 01-01", "2002": "FO 01-02",
                                       "3001": "FO 01-02", "3002": "FO 01-02"}
    assert vo.assignment.to_dict() == {"1001": "VO 01-01", "1002": "VO 01-01",
                                       "2001": "FO 01-02", "2002": "FO 01-02",
                                       "3001": "FO 01-02", "3002": "FO 01-02"}
    (pair,) = po.recipe["paren"]
    assert (pair["po"], pair["vo"], pair["leerlingen"]) == ("PO 01-02", "VO 01-02", 360 + 455)
    assert pair["aandeel_vo"] == pytest.approx(380 / 540, abs=1e-3)
    # 2001: PO in PO 01-01, VO in the pair -> randgebied with 115 + 160 home pupils
    assert po.recipe["randgebied_pc4"] == 1 and po.recipe["randgebied_leerlingen"] == 275
    assert po.recipe["regios"] == 3 and po.recipe["leerlingen_max_funderend"] == 815


def test_s1_sensitivity_table(atlas):
    po, _ = natural_funderend(atlas)
    table = {r["aandeel"]: (r["paren"], r["regios"], r["grootste_leerlingen"])
             for r in po.recipe["gevoeligheid"]}
    assert table == {0.5: (2, 2, 815), 0.6: (2, 2, 815), 0.7: (1, 3, 815),
                     0.8: (0, 4, 455), 0.9: (0, 4, 455)}
    assert largest_pair(atlas) == 360 + 455


def test_s1_chain_variant_is_labelled_assumption(atlas):
    (d,) = build_scenario(atlas, "s1-keten")
    assert d.n_regions == 1 and "aanname van nabij" in d.recipe["regel"]
    po, vo = build_scenario(atlas, "s1", ScenarioOptions(s1_share=0.6))
    assert po.recipe["scenario"] == vo.recipe["scenario"] == "s1"
    assert set(po.regions) == set(vo.regions) == {"FO 01-01", "FO 01-02"}


# -- fusie: geographically bounded areas ----------------------------------------------------------


def test_bounded_areas_from_ferry_links(atlas, ferry_atlas):
    assert bounded_areas(atlas) == []
    (area,) = bounded_areas(ferry_atlas)
    assert area.gemeenten == ("GM0003",) and area.label == "Oosterveen"


def test_exempt_regions_of_status_quo(ferry_atlas):
    sq = ferry_atlas.indeling.set_index("pc4")
    po = exempt_regions(ferry_atlas, sq["swv_po"].astype(str))
    assert list(po) == ["PO 01-02"] and po["PO 01-02"].startswith("omvat Oosterveen")
    c = exempt_regions(ferry_atlas, thirds().assignment)
    assert list(c) == ["C"] and c["C"].startswith("ligt geheel in Oosterveen")


def test_fusie_exempts_bounded_area(ferry_atlas):
    # sizes A 240, B 200, C 240. C lies on the island: it neither merges nor receives a merge,
    # so B (smallest) joins A although it exchanges more pupils with C (20 against 10)
    d = fusie_division(ferry_atlas, threshold=250, base=thirds())
    assert d.assignment.to_dict() == {"1001": "A", "1002": "A", "2001": "A", "2002": "A",
                                      "3001": "C", "3002": "C"}
    (ex,) = d.recipe["uitgezonderd"]
    assert (ex["regio"], ex["leerlingen"]) == ("C", 240) and "Oosterveen" in ex["reden"]
    # without the exemption (or with it removed by the user) B joins C, then A joins too
    for kw in ({"exempt": False}, {"exempt_remove": ["C"]}):
        assert fusie_division(ferry_atlas, threshold=250, base=thirds(), **kw).n_regions == 1


def test_fusie_user_exemption(ferry_atlas):
    d = fusie_division(ferry_atlas, threshold=250, base=thirds(), exempt_add=["A"])
    assert {e["regio"]: e["reden"] for e in d.recipe["uitgezonderd"]}["A"] == USER_REASON
    with pytest.raises(InputError, match="Uitzonderingen"):
        build_scenario(ferry_atlas, "fusie", ScenarioOptions(fusie_exempt_add=("PO 99-99",)))


# -- the real Netherlands ------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_s1_and_fusie(real_atlas):
    a = real_atlas
    po, vo = natural_funderend(a)
    assert po.recipe["leerlingen_max_funderend"] <= largest_pair(a)
    assert 30 <= len(po.recipe["paren"]) < 74
    fusie = {d.sector: d for d in build_scenario(a, "fusie")}
    exempt = {e["regio"]: e["reden"] for s in fusie for e in fusie[s].recipe["uitgezonderd"]}
    assert {"PO 29-03", "VO 29-03", "VO 27-01"} <= set(exempt)
    assert "Zeeuws-Vlaanderen" in exempt["PO 29-03"] and "Texel" in exempt["VO 27-01"]
    for s in ("PO", "VO"):
        assert fusie[s].assignment.value_counts().get(f"{s} 29-03", 0) > 0


# -- measures that do not tilt the comparison ------------------------------------------------------


def test_thuisnabijheid_counts_children_without_own_provision(atlas):
    # one step of 0.1 degree longitude at 52 N: 6.846 km straight, x 1.40 detour = 9.584 km.
    # PO 01-01 (1001-2001) has the SBO (1002) and SO cluster 3 (1001), not cluster 4; PO 01-02
    # (2002-3002) has SO 3+4 (3001), no SBO. Children without their own provision count at the
    # distance to the nearest one anywhere: SBO for 2002, 3001, 3002 at 2, 3, 4 steps.
    from nabij.divisions import status_quo
    from nabij.measures import measure_all

    step = 9.584
    s = measure_all(atlas, [status_quo(atlas, "PO")]).divisions[0].summary
    assert s["zonder_eigen_SBO"] == pytest.approx(0.5)
    assert s["thuis_SBO_binnen_10km"] == pytest.approx(3 / 6)  # 1001, 1002, 2001
    assert s["thuis_SBO_binnen_20km"] == pytest.approx(4 / 6)  # and 2002 (2 steps, elsewhere)
    assert s["thuis_SBO_mediaan"] == pytest.approx(step, abs=0.01)
    # pooled over SBO, SO3, SO4 (6 x 3 child groups of 100): within 10 km 3 + 5 + 3 of 18;
    # SO4 for 1001, 1002, 2001 lies in the other region (3001): 4, 3, 2 steps
    assert s["thuisnabij_binnen_10km"] == pytest.approx(11 / 18)
    assert s["thuisnabij_binnen_20km"] == pytest.approx(14 / 18)
    assert s["zonder_eigen_voorziening"] == pytest.approx(6 / 18)  # SBO 3 + SO4 3


def test_drukte_counts_po_and_vo_together(atlas):
    # status quo: GM0001 meets PO 01-01 + VO 01-01 (2), GM0002 PO 01-01, PO 01-02, VO 01-02
    # (3), GM0003 PO 01-02 + VO 01-02 (2): 7/3. One funderend region: 1 per gemeente.
    # S1 at 0.6: FO 01-01 and FO 01-02 are one SWV each in both divisions: GM0001 1,
    # GM0002 2 (FO 01-01 for PO in 2001), GM0003 1: 4/3.
    from nabij.measures import measure_all

    divisions = [*build_scenario(atlas, "status-quo"), *build_scenario(atlas, "s1-keten"),
                 *build_scenario(atlas, "s1", ScenarioOptions(s1_share=0.6))]
    got = {d.name: d.summary["oogo_partners_per_gemeente"]
           for d in measure_all(atlas, divisions).divisions}
    assert got == pytest.approx({"Status quo PO": 7 / 3, "Status quo VO": 7 / 3,
                                 "S1-variant Koppelen en ketenen": 1.0,
                                 "S1 Funderend onderwijs PO": 4 / 3,
                                 "S1 Funderend onderwijs VO": 4 / 3})


def test_funderend_reference_is_status_quo_po_and_vo_together(atlas):
    # crossing the status quo: PO 20 (2001 -> BAO 2002) + 5 (2002 -> SBO 1002) + 10 (2001 ->
    # SO 3001) of 680 PO pupils; VO 100 (2001 -> VO 1001) + 10 (1001 -> PrO 2002) + 5 (1001 ->
    # VSO 3002) of 755: together 150 of 1435
    from nabij.measures import measure_all

    ms = measure_all(atlas, [*build_scenario(atlas, "status-quo"),
                             *build_scenario(atlas, "s1-keten")])
    ref = ms.references["PO+VO"]
    assert ref["naam"] == "Status quo PO en VO samen"
    s = ref["summary"]
    assert s["grensverkeer"] == pytest.approx(150 / 1435)
    assert s["regios"] == 4 and s["verandering_leerlingen"] == 0
    assert s["oogo_partners_per_gemeente"] == pytest.approx(7 / 3)
    # pooled thuisnabijheid: PO 11 of 18 child groups within 10 km (see above); VO (VSO3,
    # VSO4, PrO) 2 + 2 + 3 of 18
    po, vo = (d.summary for d in ms.divisions[:2])
    assert s["thuisnabij_binnen_10km"] == pytest.approx(
        (po["thuisnabij_binnen_10km"] * 1800 + vo["thuisnabij_binnen_10km"] * 1440) / 3240)


def test_s3_reports_range_under_cluster_assumptions(synthetic_atlas):
    for d in build_scenario(synthetic_atlas, "s3"):
        rows = d.recipe["onzekerheid"]
        assert [r["aanname"].split(" (")[0] for r in rows] == [
            "cluster 3 en 4", "cluster 3", "cluster 4", "willekeurig cluster 3 of 4"]
        assert rows[0]["regios"] == d.n_regions  # the main figure names its assumption
        assert "3 en 4" in d.recipe["aanname_clusters"]
        # one cluster only can never need fewer merges than both
        assert all(r["regios"] <= d.n_regions for r in rows[1:])


@pytest.mark.realdata
def test_real_congruence_with_rmc_regions(real_atlas):
    from nabij.measures import measure_all

    assert real_atlas.gemeenten["rmc"].nunique() == 39  # regioatlas 2016, carried to 2024
    ms = measure_all(real_atlas, build_scenario(real_atlas, "s2"))
    for d in ms.divisions:
        assert 0.5 < d.summary["congruentie_rmc"] < 1 and d.summary["congruentie"] == 1
        # issue 10: every S2 region within the maximum and contiguous; split parts >= minimum
        assert d.summary["regios_groot"] == 0 and d.summary["niet_aaneengesloten"] == 0
        parts = [x for s in d.division.recipe["gesplitst"] for x in s["leerlingen_delen"]]
        assert parts and min(parts) >= d.division.recipe["min_leerlingen"]
        assert all(s["niveau"] == "gemeenten heel" for s in d.division.recipe["gesplitst"])
