"""Scenario builders on the hand-made country (answers computed by hand) and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from handland import EDGES, PC4, hand_atlas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.divisions import (
    Division,
    dekkend_division,
    funderend_division,
    fusie_division,
    jeugdregio_division,
    read_custom,
    status_quo,
    supply_matrix,
)
from nabij.divisions.funderend import swv_links
from nabij.divisions.graph import RegionGraph, home_pupils, school_pupils
from nabij.divisions.provision import parse_provisions, provision_locations
from nabij.errors import InputError
from nabij.scenarios import BUILTIN, SCENARIOS, ScenarioOptions, build_scenario
from nabij.tables import PO_TYPES, VO_TYPES


@pytest.fixture(scope="module")
def atlas():
    return hand_atlas()


def thirds() -> Division:
    """A = 1001, 1002; B = 2001, 2002; C = 3001, 3002 (one region per gemeente)."""
    return Division("derden", "PO", pd.Series(["A", "A", "B", "B", "C", "C"], index=PC4),
                    {"scenario": "derden"})


# -- provision --------------------------------------------------------------------------


def test_supply_matrix_clusters(atlas):
    sup = supply_matrix(atlas.scholen).set_index(atlas.scholen["vestiging"].to_numpy())
    assert sup.loc["SO1001", "SO3"] and not sup.loc["SO1001", "SO4"]
    assert sup.loc["SO3001", "SO3"] and sup.loc["SO3001", "SO4"]
    assert sup.loc["VS3002", ["VSO3", "VSO4"]].all() and not sup.loc["VS3002", "SO3"]
    assert sup.loc["PR2002", "PRO"] and sup.loc["SB1002", "SBO"]
    assert sup.sum().to_dict() == {"SBO": 1, "SO3": 2, "SO4": 1, "VSO3": 1, "VSO4": 1, "PRO": 1}


def test_supply_matrix_unknown_clusters_are_assumed():
    a = hand_atlas(clusters={"SO1001": None})
    sup = supply_matrix(a.scholen).set_index(a.scholen["vestiging"].to_numpy())
    assert sup.loc["SO1001", "SO3"] and sup.loc["SO1001", "SO4"]
    none = supply_matrix(a.scholen, ["SO3", "SO4"], assume_clusters=()).set_index(
        a.scholen["vestiging"].to_numpy())
    assert not none.loc["SO1001"].any()
    assert list(provision_locations(a.scholen, "SO4", ())["vestiging"]) == ["SO3001"]


def test_parse_provisions():
    assert parse_provisions("SBO, so3,VSO cluster 4") == ("SBO", "SO3", "VSO4")
    assert parse_provisions(None) == ("SBO", "SO3", "SO4", "VSO3", "VSO4", "PRO")
    with pytest.raises(InputError, match="Onbekende voorzieningssoort"):
        parse_provisions("SO5")


# -- status quo, S2 ------------------------------------------------------------------------


def test_status_quo(atlas):
    po = status_quo(atlas, "PO")
    assert po.assignment.to_dict() == dict(zip(PC4, ["PO 01-01"] * 3 + ["PO 01-02"] * 3,
                                               strict=True))
    assert po.region_name("PO 01-02") == "PO Oost"
    vo = status_quo(atlas, "VO")
    assert vo.n_regions == 2 and vo.assignment["2001"] == "VO 01-02"


def test_jeugdregio(atlas):
    d = jeugdregio_division(atlas, "PO+VO", split=False)
    assert d.sector == "PO+VO" and "ongedeeld" in d.name
    assert list(d.assignment) == ["JZ01"] * 4 + ["JZ02"] * 2
    assert d.region_name("JZ02") == "Jeugd Oost"


def test_jeugdregio_split_by_hand(atlas):
    """PO pupils at school locations: 1001 120, 1002 120, 2001 80, 2002 120, 3001 140,
    3002 100; JZ01 = 440, JZ02 = 240."""
    # max 300, min 150: JZ01 into its two gemeenten (240 and 200), JZ02 stays whole
    d = jeugdregio_division(atlas, "PO", max_pupils=300, min_pupils=150)
    assert list(d.assignment) == ["JZ01-1"] * 2 + ["JZ01-2"] * 2 + ["JZ02"] * 2
    (s,) = d.recipe["gesplitst"]
    assert (s["regio"], s["delen"], s["leerlingen_delen"], s["niveau"]) == (
        "JZ01", 2, [240, 200], "gemeenten heel")
    assert "440 leerlingen, boven het maximum van 300" in s["reden"]
    assert d.region_name("JZ01-2") == "Jeugd West deel 2 (Middenstad)"
    # max 230, min 100: Westdorp (240) is above the maximum and is split into its PC4s;
    # Middenstad (200) stays whole: 120 / 120 / 200 (2 parts cannot: 240 or 320 > 230).
    # JZ02 (240) splits into 3001 (140) and 3002 (100).
    d = jeugdregio_division(atlas, "PO", max_pupils=230, min_pupils=100)
    assert list(d.assignment) == ["JZ01-1", "JZ01-2", "JZ01-3", "JZ01-3", "JZ02-1", "JZ02-2"]
    assert [x["leerlingen_delen"] for x in d.recipe["gesplitst"]] == [[120, 120, 200],
                                                                       [140, 100]]
    assert d.noncontiguous(atlas) == []


def test_jeugdregio_split_without_reachable_minimum(atlas):
    """Default bounds on the hand country: maximum = largest PO SWV (PO 01-02: 360), the
    minimum of 10.000 cannot be met: split at the maximum only, gemeenten whole."""
    d = jeugdregio_division(atlas, "PO")
    assert d.recipe["max_leerlingen"] == 360
    assert list(d.assignment) == ["JZ01-1"] * 2 + ["JZ01-2"] * 2 + ["JZ02"] * 2
    assert "alleen het maximum" in d.recipe["gesplitst"][0]["reden"]


# -- pupils and region graph ----------------------------------------------------------


def test_pupils_by_hand(atlas):
    po = home_pupils(atlas, PO_TYPES)
    assert po.to_dict() == {"1001": 115, "1002": 115, "2001": 115, "2002": 115, "3001": 110,
                            "3002": 110}
    vo = home_pupils(atlas, VO_TYPES)
    assert vo.to_dict() == {"1001": 115, "1002": 100, "2001": 160, "2002": 160, "3001": 100,
                            "3002": 120}
    sp = school_pupils(atlas, PO_TYPES)
    assert sp["1001"] == 100 + 20 and sp["2002"] == 120


def test_region_graph_by_hand(atlas):
    g = RegionGraph.from_assignment(atlas, thirds().assignment, PO_TYPES)
    assert g.size == {"A": 240, "B": 200, "C": 240}
    assert g.nbr == {"A": {"B"}, "B": {"A", "C"}, "C": {"B"}}
    # living in B, at school in A: SBO from 2001 and 2002 (5 + 5)
    assert g.between("A", "B") == 10
    # living in B, at school in C: SO from 2001 and 2002 (10 + 10)
    assert g.between("B", "C") == 20
    assert g.between("A", "C") == 0


# -- S1 -------------------------------------------------------------------------------------


def test_s1_links_by_hand(atlas):
    po, vo = status_quo(atlas, "PO"), status_quo(atlas, "VO")
    links = swv_links(po.assignment, vo.assignment, home_pupils(atlas, PO_TYPES),
                      home_pupils(atlas, VO_TYPES)).set_index(["po", "vo"])
    # PO 01-01 has 345 PO pupils, 115 of them in 2001 (VO 01-02); VO 01-02 has 540, 160 in 2001
    assert links.loc[("PO 01-01", "VO 01-02"), "aandeel_po"] == pytest.approx(115 / 345)
    assert links.loc[("PO 01-01", "VO 01-02"), "aandeel_vo"] == pytest.approx(160 / 540)
    assert links.loc[("PO 01-01", "VO 01-01"), "aandeel_po"] == pytest.approx(230 / 345)
    assert links["gekoppeld"].all()


def test_s1_default_gives_one_region(atlas):
    d = funderend_division(atlas)
    assert d.sector == "PO+VO" and d.n_regions == 1
    assert d.regions == ["FO 01-01"]
    assert d.recipe["snippers_pc4"] == 0 and d.recipe["koppelingen"] == 3


def test_s1_sliver_goes_to_majority_of_gemeente(atlas):
    # at 35 % the link PO 01-01 - VO 01-02 (33 % / 30 %) breaks; 2001 becomes a sliver and
    # joins FO 01-02, which holds the rest of its gemeente GM0002 (2002)
    d = funderend_division(atlas, min_share=0.35)
    assert d.assignment.to_dict() == {"1001": "FO 01-01", "1002": "FO 01-01",
                                      "2001": "FO 01-02", "2002": "FO 01-02",
                                      "3001": "FO 01-02", "3002": "FO 01-02"}
    assert d.recipe["snippers_pc4"] == 1
    assert d.recipe["snippers_leerlingen"] == pytest.approx(115 + 160)
    assert d.recipe["samenstelling"] == {"FO 01-01": ["PO 01-01", "VO 01-01"],
                                         "FO 01-02": ["PO 01-02", "VO 01-02"]}
    # school pupils: FO 01-01 = BAO 200 + SBO 20 + SO 20 + VO 300
    assert d.recipe["leerlingen_min"] == 540


# -- fusie ---------------------------------------------------------------------------------


def test_fusie_status_quo_by_hand(atlas):
    # PO 01-01 has 320 pupils at its schools, PO 01-02 360: at 350 the first merges
    d = fusie_division(atlas, "PO", threshold=350)
    assert d.n_regions == 1 and d.regions == ["PO 01-02"]
    assert d.recipe["fusies"][0] | {} == {"van": "PO 01-01", "naar": "PO 01-02",
                                          "leerlingen_van": 320, "leerlingen_naar": 360,
                                          "reden": "kleiner dan drempel"}
    assert fusie_division(atlas, "PO", threshold=320).n_regions == 2


def test_fusie_prefers_strongest_flow(atlas):
    # B (200) exchanges 20 pupils with C and 10 with A: it merges with C (240, keeps code C)
    d = fusie_division(atlas, threshold=220, base=thirds())
    assert d.assignment.to_dict() == {"1001": "A", "1002": "A", "2001": "C", "2002": "C",
                                      "3001": "C", "3002": "C"}
    assert d.recipe["onmogelijk"] == []


def test_fusie_reports_impossible(atlas):
    # the whole country has 680 pupils: everything merges and is still too small
    d = fusie_division(atlas, threshold=1000, base=thirds())
    assert d.n_regions == 1
    assert [r["leerlingen"] for r in d.recipe["onmogelijk"]] == [680]


def test_one_adjacency_keeps_a_gemeente_link_without_pc4_edge():
    # without the PC4 edge 2002-3001 the gemeenten GM0002 and GM0003 are still neighbours
    # (gemeente_buren), so the atlas index links their nearest PC4 areas: C is not cut off
    a = hand_atlas(edges=[e for e in EDGES if e != ("2002", "3001")])
    adj = a.index.pc4_adjacency
    pairs = {(a.index.pc4[i], a.index.pc4[j]): k for i, j, k in zip(adj.a, adj.b, adj.kind,
                                                                      strict=True)}
    assert ("2002", "3001") in pairs and pairs[("2002", "3001")] != "binnen"
    d = fusie_division(a, threshold=500, base=thirds())
    assert d.noncontiguous(a) == []


# -- S3 -------------------------------------------------------------------------------------


def test_dekkend_by_hand(atlas):
    po = dekkend_division(atlas, "PO")
    # PO 01-01 lacks SO 4, PO 01-02 lacks SBO: the smaller (320) merges into the larger
    assert po.n_regions == 1 and po.regions == ["PO 01-02"]
    assert po.recipe["fusies"][0]["reden"] == "ontbreekt: SO cluster 4"
    assert po.recipe["niet_dekkend"] == []
    vo = dekkend_division(atlas, "VO")
    assert vo.n_regions == 1 and vo.recipe["voorzieningen"] == ["VSO cluster 3",
                                                                 "VSO cluster 4", "PrO"]
    only_sbo = dekkend_division(atlas, "PO", provisions=["SBO", "VSO3"])
    assert only_sbo.recipe["voorzieningen"] == ["SBO"]


def test_dekkend_waits_for_neighbour_that_gains_the_type(atlas):
    # only A has SBO; C's only neighbour B lacks it: B (200) merges into A first, then C
    d = dekkend_division(atlas, provisions=["SBO"], base=thirds())
    assert d.n_regions == 1
    assert [(m["van"], m["naar"]) for m in d.recipe["fusies"]] == [("B", "A"), ("C", "A")]


def test_dekkend_reports_types_missing_nationally():
    a = hand_atlas(clusters={"SO3001": "3"})
    d = dekkend_division(a, "PO")
    assert d.n_regions == 1
    assert d.recipe["niet_dekkend"] == [{"regio": "PO 01-02", "ontbreekt": ["SO cluster 4"]}]
    assert d.recipe["landelijk_afwezig"] == ["SO cluster 4"]


# -- custom CSV -----------------------------------------------------------------------------


def write(tmp_path, text: str, name: str = "indeling.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_custom_pc4_semicolon_cp1252(tmp_path, atlas):
    rows = "\n".join(f"{p};{'Zuid-Oost' if p > '2' else 'Noordwest é'}" for p in PC4)
    p = write(tmp_path, "PC4;Regio\n" + rows + "\n", encoding="cp1252")
    (d,) = read_custom(p, atlas, sector="PO")
    assert d.sector == "PO" and d.n_regions == 2
    assert d.assignment["1001"] == "Noordwest é"
    assert d.recipe["niveau"] == "pc4"


def test_custom_gemeente_level_with_sectors(tmp_path, atlas):
    p = write(tmp_path, "gemeente,regio,sector\nGM0001,West,PO\n2,West,PO\n3,Oost,PO\n"
              "GM0001,Alles,VO\nGM0002,Alles,VO\nGM0003,Alles,VO\n")
    po, vo = read_custom(p, atlas)
    assert (po.sector, vo.sector) == ("PO", "VO")
    assert po.assignment.to_dict() == dict(zip(PC4, ["West"] * 4 + ["Oost"] * 2, strict=True))
    assert vo.n_regions == 1
    (only_vo,) = read_custom(p, atlas, sector="VO")
    assert only_vo.sector == "VO"


def test_custom_errors_name_rows(tmp_path, atlas):
    p = write(tmp_path, "pc4,regio\n1001,A\n1001,B\n9999,C\n12,D\n2001,\n2002,E\n")
    with pytest.raises(InputError) as e:
        read_custom(p, atlas)
    text = str(e.value)
    assert "rij 3" in text and "dubbel (ook op rij 2)" in text
    assert "rij 4" in text and "onbekende postcode '9999'" in text
    assert "rij 5" in text and "'12' is geen postcode" in text
    assert "rij 6" in text and "regio ontbreekt" in text
    assert "postcodes zonder regio" in text and "1002" in text and "3001" in text


def test_custom_mixed_levels_and_bad_sector(tmp_path, atlas):
    p = write(tmp_path, "code,regio\n1001,A\nGM0002,B\n1002,A\n")
    with pytest.raises(InputError, match="niveaus gemengd") as e:
        read_custom(p, atlas)
    assert "rij 3" in str(e.value)
    p = write(tmp_path, "pc4,regio,sector\n1001,A,MBO\n", name="b.csv")
    with pytest.raises(InputError, match="sector 'MBO' onbekend"):
        read_custom(p, atlas)
    p = write(tmp_path, "postcode;naam_van_iets\n1001;A\n", name="c.csv")
    with pytest.raises(InputError, match="ongeldig") as e:
        read_custom(p, atlas)
    assert "kolom 'regio' ontbreekt" in str(e.value)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.lists(st.text(st.sampled_from("AbZé -'0"), min_size=1, max_size=8)
                       .map(str.strip).filter(bool), min_size=6, max_size=6),
       sep=st.sampled_from([";", ",", "\t"]))
def test_custom_round_trip(tmp_path, atlas, labels, sep):
    if sep in "".join(labels):
        labels = [x.replace(sep, "") or "X" for x in labels]
    lines = [f"pc4{sep}regio"] + [f"{p}{sep}{r}" for p, r in zip(PC4, labels, strict=True)]
    p = tmp_path / "rond.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d,) = read_custom(p, atlas, sector="VO")
    assert d.problems(atlas.pc4["pc4"]) == []
    assert d.assignment.to_dict() == dict(zip(PC4, labels, strict=True))


# -- scenarios --------------------------------------------------------------------------------


def test_scenario_registry(atlas):
    assert BUILTIN == ("status-quo", "s1", "s2", "s3", "fusie")
    sectors = {n: [d.sector for d in build_scenario(atlas, n)] for n in BUILTIN}
    assert sectors == {"status-quo": ["PO", "VO"], "s1": ["PO", "VO"], "s2": ["PO", "VO", "PO+VO"],
                       "s3": ["PO", "VO"], "fusie": ["PO", "VO"]}
    for n in BUILTIN:
        for d in build_scenario(atlas, n):
            assert d.recipe["scenario"] == n
    with pytest.raises(InputError, match="Onbekend scenario"):
        build_scenario(atlas, "s9")
    fusie = build_scenario(atlas, "fusie", ScenarioOptions(fusie_threshold=1))
    assert [d.n_regions for d in fusie] == [2, 2]
    assert set(SCENARIOS) >= set(BUILTIN)


# -- invariants ---------------------------------------------------------------------------------

SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=30, deadline=None, suppress_health_check=SLOW)
@given(share=st.floats(0.01, 1.0), threshold=st.integers(0, 1500),
       provisions=st.lists(st.sampled_from(["SBO", "SO3", "SO4", "VSO3", "VSO4", "PRO"]),
                           min_size=1, unique=True))
def test_every_builder_covers_every_pc4_once(synthetic_atlas, share, threshold, provisions):
    a = synthetic_atlas
    pc4 = a.pc4["pc4"]
    divisions = [funderend_division(a, min_share=share),
                 fusie_division(a, "PO", threshold=threshold * 20),
                 fusie_division(a, "VO", threshold=threshold * 20),
                 dekkend_division(a, "PO", provisions=provisions),
                 dekkend_division(a, "VO", provisions=provisions),
                 jeugdregio_division(a, "PO"), status_quo(a, "VO")]
    for d in divisions:
        assert d.problems(pc4) == []
        assert len(d.assignment) == len(pc4)


@settings(max_examples=30, deadline=None, suppress_health_check=SLOW)
@given(seed=st.integers(0, 10_000), k=st.integers(2, 60), threshold=st.integers(1, 40_000))
def test_fusie_leaves_none_below_threshold_unless_impossible_or_exempt(synthetic_atlas, seed, k,
                                                                       threshold):
    a = synthetic_atlas
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, len(a.pc4)).astype(str)
    base = Division("random", "PO", pd.Series(labels, index=a.pc4["pc4"].to_numpy()))
    d = fusie_division(a, threshold=threshold, base=base)
    assert d.problems(a.pc4["pc4"]) == []
    size = school_pupils(a, PO_TYPES).groupby(d.assignment).sum()
    impossible = {x["regio"] for x in d.recipe["onmogelijk"]}
    exempt = {x["regio"] for x in d.recipe["uitgezonderd"]}  # include a ferry-only island
    assert all(size[r] >= threshold or r in impossible | exempt for r in size.index)
    # merging only: every new region is a union of old regions
    assert (pd.crosstab(d.assignment, base.assignment) > 0).sum(axis=0).max() == 1
    assert size.sum() == pytest.approx(school_pupils(a, PO_TYPES).sum())
