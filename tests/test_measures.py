"""Measures on the hand-made country (expected values computed by hand), invariants, output
folder, and the real Netherlands (skipped without ../shared/data)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from handland import PC4, hand_atlas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.atlas.distance import StraightLineDetour, haversine_km
from nabij.defaults import DETOUR_FACTOR
from nabij.divisions import Division, funderend_division, fusie_division, status_quo
from nabij.errors import InputError
from nabij.measures import all_definitions, measure_all, write_measures
from nabij.measures.congruentie import adjusted_rand_index
from nabij.measures.verschillen import fit_context
from nabij.scenarios import BUILTIN, build_scenarios

STEP = DETOUR_FACTOR * float(haversine_km(52.0, 5.0, 52.0, 5.1))  # modelled km between neighbours


def approx(x):
    """Distances along the parallel are not exactly linear in longitude: 1e-5 relative."""
    return pytest.approx(x, rel=1e-5)


@pytest.fixture(scope="module")
def atlas():
    return hand_atlas()


@pytest.fixture(scope="module")
def sq(atlas):
    """Measures of the status quo PO and VO (paired: same scenario)."""
    return measure_all(atlas, [status_quo(atlas, "PO"), status_quo(atlas, "VO")])


def region(ms, slug: str) -> pd.DataFrame:
    return ms[slug].regions.set_index("regio")


# -- 1 omvang, 2 drukte ---------------------------------------------------------------------


def test_size_by_hand(sq):
    s = sq["status-quo-po"].summary
    assert (s["regios"], s["leerlingen_totaal"]) == (2, 680)
    assert (s["leerlingen_min"], s["leerlingen_mediaan"], s["leerlingen_max"]) == (320, 340, 360)
    assert s["regios_klein"] == 2 and s["niet_aaneengesloten"] == 0
    r = region(sq, "status-quo-po")
    assert r.loc["PO 01-01", ["leerlingen", "leerlingen_BAO", "leerlingen_SBO",
                              "leerlingen_SO"]].tolist() == [320, 280, 20, 20]
    assert r.loc["PO 01-02", "leerlingen_SO"] == 40
    assert r["leerlingen_woonachtig"].tolist() == [345, 335]
    assert r["naam"].tolist() == ["PO West", "PO Oost"]


def test_drukte_by_hand(sq):
    r = region(sq, "status-quo-po")
    assert r["gemeenten"].tolist() == [2, 2]
    assert r["besturen"].tolist() == [3, 2]  # A: b1 (BAO), b2 (SBO), b3 (SO); B: b2, b3
    assert r["jeugdregios"].tolist() == [1, 2]
    s = sq["status-quo-po"].summary
    assert s["regios_per_gemeente"] == pytest.approx(4 / 3)
    assert s["gesplitste_gemeenten"] == 1
    assert s["regios_per_bestuur"] == pytest.approx(5 / 3)
    assert s["besturen_meerdere_regios"] == 2
    assert s["jeugdregios_per_regio"] == 1.5


# -- 3 grensverkeer ---------------------------------------------------------------------------


def test_grensverkeer_by_hand(sq):
    s = sq["status-quo-po"].summary
    # crossing: 20 BAO (2001 -> 2002), 5 SBO (2002 -> 1002), 10 SO (2001 -> 3001) of 680
    assert s["grensverkeer"] == pytest.approx(35 / 680)
    assert s["grensverkeer_speciaal"] == pytest.approx(15 / 80)
    assert s["grensverkeer_BAO"] == pytest.approx(20 / 600)
    assert s["grensverkeer_SBO"] == pytest.approx(5 / 20)
    assert s["grensverkeer_SO"] == pytest.approx(10 / 60)
    assert s["grensverkeer_VO"] is None
    r = region(sq, "status-quo-po")
    assert r["grensverkeer_uit"].tolist() == pytest.approx([30 / 345, 5 / 335])
    assert r["grensverkeer_in"].tolist() == pytest.approx([5 / 320, 30 / 360])
    flows = sq["status-quo-po"].flows.set_index(["van", "naar"])["leerlingen"].to_dict()
    assert flows == {("PO 01-01", "PO 01-01"): 315, ("PO 01-01", "PO 01-02"): 30,
                     ("PO 01-02", "PO 01-01"): 5, ("PO 01-02", "PO 01-02"): 330}
    # VO: 100 VO (2001 -> 1001), 10 PrO (1001 -> 2002), 5 VSO (1001 -> 3002) of 755
    assert sq["status-quo-vo"].summary["grensverkeer"] == pytest.approx(115 / 755)


# -- 4 dekkend netwerk ------------------------------------------------------------------------


def test_dekkend_by_hand(sq):
    r = region(sq, "status-quo-po")
    assert r["ontbreekt"].tolist() == ["SO cluster 4", "SBO"]
    assert r["dekking_regio"].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert r["heeft_SO3"].tolist() == [True, True]
    s = sq["status-quo-po"].summary
    assert s["dekking"] == pytest.approx(2 / 3)
    assert (s["regios_dekkend"], s["ontbreekt_SBO"], s["ontbreekt_SO3"],
            s["ontbreekt_SO4"]) == (0, 1, 0, 1)
    assert s["ontbreekt_PRO"] is None  # not a PO provision
    v = region(sq, "status-quo-vo")
    assert v.loc["VO 01-01", "ontbreekt"] == "VSO cluster 3, VSO cluster 4, PrO"


# -- 5 thuisnabijheid -------------------------------------------------------------------------


def test_thuisnabijheid_by_hand(sq):
    d = sq["status-quo-po"]
    t = d.pc4.set_index("pc4")
    # SBO lies in 1002: 1, 0, 1, 2, 3, 4 steps away; only PO 01-01 has one
    assert t["afstand_SBO"].tolist() == approx([STEP * k for k in (1, 0, 1, 2, 3, 4)])
    assert t["afstand_eigen_SBO"].iloc[:3].tolist() == approx([STEP, 0, STEP])
    assert t["afstand_eigen_SBO"].iloc[3:].isna().all()
    # SO 4 only in 3001 (PO 01-02)
    assert t["afstand_SO4"].tolist() == approx([STEP * k for k in (4, 3, 2, 1, 0, 1)])
    assert t["afstand_eigen_SO4"].iloc[:3].isna().all()
    assert t["kinderen"].tolist() == [100] * 6
    s = d.summary
    assert s["afstand_SBO_gem"] == approx(11 / 6 * STEP)
    assert s["afstand_SBO_mediaan"] == approx(STEP)
    assert s["afstand_SBO_p90"] == approx(4 * STEP)
    assert s["afstand_SBO_binnen_5km"] == pytest.approx(1 / 6)  # STEP is 8.9 km
    assert s["afstand_SBO_binnen_10km"] == approx(3 / 6)
    assert s["afstand_SBO_binnen_20km"] == approx(4 / 6)
    assert s["afstand_eigen_SBO_gem"] == approx(2 / 3 * STEP)
    assert s["afstand_eigen_SBO_mediaan"] == approx(STEP)
    assert s["afstand_eigen_SBO_p90"] is None  # half the children have no SBO in their SWV
    assert s["zonder_eigen_SBO"] == 0.5
    # own-region means: SBO 2/3, SO 3 5/6, SO 4 2/3 steps
    assert s["afstand_eigen_gem"] == approx(13 / 18 * STEP)
    r = region(sq, "status-quo-po")
    assert r["afstand_SBO"].tolist() == approx([2 / 3 * STEP, 3 * STEP])
    assert np.isnan(r.loc["PO 01-02", "afstand_eigen_SBO"])
    assert "afstand_VSO3" not in t.columns


def test_distance_model_is_swappable(atlas):
    class Flat:
        description = "overal 7 km"

        def km(self, lat1, lon1, lat2, lon2):
            return np.full(np.broadcast(lat1, lat2).shape, 7.0)

    ms = measure_all(atlas, [status_quo(atlas, "PO")], distance_model=Flat())
    t = ms.divisions[0].pc4
    assert (t["afstand_SBO"] == 7).all()
    assert ms.params.distance_text == "overal 7 km"
    two = measure_all(atlas, [status_quo(atlas, "PO")], distance_model=StraightLineDetour(2.0))
    assert two.divisions[0].summary["afstand_SBO_gem"] == pytest.approx(
        11 / 6 * STEP / DETOUR_FACTOR * 2.0)
    assert "x 2 (omrijfactor)" in two.params.distance_text


# -- 6 congruentie ----------------------------------------------------------------------------


def test_adjusted_rand_index_by_hand():
    # contingency (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2: sum C = 2, rows 6, cols 3, C(6,2) = 15
    # expected 6*3/15 = 1.2, max 4.5 -> (2 - 1.2) / (4.5 - 1.2)
    a, b = [0, 0, 0, 1, 1, 1], ["x", "x", "y", "y", "z", "z"]
    assert adjusted_rand_index(a, b) == pytest.approx(0.8 / 3.3)
    assert adjusted_rand_index(b, a) == pytest.approx(0.8 / 3.3)
    assert adjusted_rand_index(a, [5, 5, 5, 9, 9, 9]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


def test_congruentie_by_hand(sq):
    r = region(sq, "status-quo-po")
    assert r["jeugdregio_dominant"].tolist() == ["JZ01", "JZ02"]
    assert r["aandeel_dominante_jeugdregio"].tolist() == pytest.approx([1, 220 / 335])
    s = sq["status-quo-po"].summary
    assert s["congruentie"] == pytest.approx(565 / 680)
    # PO [A A A B B B] vs jeugdregio [J1 J1 J1 J1 J2 J2]: (4 - 2.8) / (6.5 - 2.8)
    assert s["ari_jeugdregio"] == pytest.approx(1.2 / 3.7)
    assert s["jeugdregios_gesplitst"] == 1


# -- 7 doorgaande lijn --------------------------------------------------------------------------


def test_doorgaande_lijn_by_hand(sq, atlas):
    r = region(sq, "status-quo-po")
    assert r["partner"].tolist() == ["VO 01-01", "VO 01-02"]
    assert r["doorgaande_lijn_regio"].tolist() == pytest.approx([230 / 345, 1])
    assert sq["status-quo-po"].summary["doorgaande_lijn"] == pytest.approx(565 / 680)
    # mirror for VO: VO 01-02 partners PO 01-02 (380 of its 540 VO pupils); 2001 is off
    assert sq["status-quo-vo"].summary["doorgaande_lijn"] == pytest.approx(595 / 755)
    s1 = measure_all(atlas, [funderend_division(atlas)])
    assert s1.divisions[0].summary["doorgaande_lijn"] == 1.0


# -- 8 verandering -------------------------------------------------------------------------------


def test_verandering_by_hand(atlas, sq):
    for slug in ("status-quo-po", "status-quo-vo"):
        s = sq[slug].summary
        assert (s["verandering_leerlingen"], s["verandering_pc4"], s["verandering_gemeenten"],
                s["ari_status_quo"]) == (0, 0, 0, 1)
    ms = measure_all(atlas, [fusie_division(atlas, "PO", threshold=350),
                             funderend_division(atlas)])
    f = ms.divisions[0]
    # one region: it continues PO 01-01 (345 pupils shared > 335), so PO 01-02's pupils move
    assert f.summary["verandering_leerlingen"] == pytest.approx(335 / 680)
    assert f.summary["verandering_pc4"] == 0.5
    assert f.summary["verandering_gemeenten"] == pytest.approx(2 / 3)
    assert f.summary["ari_status_quo"] == 0
    assert f.regions["herkomst"].tolist() == ["PO 01-01"]
    s1 = ms.divisions[1]
    # PO: 335 PO pupils of PO 01-02 move; VO: the 215 VO pupils of VO 01-01 move
    assert s1.summary["verandering_leerlingen"] == pytest.approx(550 / 1435)
    assert s1.summary["verandering_pc4"] == pytest.approx(5 / 6)
    assert s1.regions["herkomst"].tolist() == ["PO 01-01 / VO 01-02"]


# -- 9 verschillen --------------------------------------------------------------------------------


def test_verschillen_by_hand(sq):
    r = region(sq, "status-quo-po")
    ra, rb = 45 / 345, 35 / 335
    assert r["deelname"].tolist() == pytest.approx([ra, rb])
    assert r["deelname_SBO"].tolist() == pytest.approx([15 / 345, 5 / 335])
    assert r["stedelijkheid"].tolist() == pytest.approx([7 / 3, 11 / 3])
    # two regions: too few for the context model, expected = mean of the regions
    assert r["deelname_verwacht"].tolist() == pytest.approx([(ra + rb) / 2] * 2)
    assert r["z"].tolist() == pytest.approx([2 ** -0.5, -(2 ** -0.5)])
    assert r["opvallend"].tolist() == ["", ""]
    s = sq["status-quo-po"].summary
    assert s["deelname_landelijk"] == pytest.approx(80 / 680)
    assert s["deelname_spreiding"] == pytest.approx(np.std([ra, rb], ddof=1))
    assert s["regios_opvallend"] == 0


def test_fit_context_flags_the_unexplained_region():
    x = np.arange(20, dtype=float)[:, None]
    noise = np.where(np.arange(20) % 2 == 0, 0.001, -0.001)
    y = 0.03 + 0.002 * x[:, 0] + noise
    y[7] += 0.02
    expected, z, r2 = fit_context(y, x, 2.0)
    assert np.flatnonzero(np.abs(z) > 2).tolist() == [7]
    assert z[7] > 2 and 0.5 < r2 < 1
    exact, z0, r2_0 = fit_context(0.03 + 0.002 * x[:, 0], x, 2.0)
    assert exact == pytest.approx(0.03 + 0.002 * x[:, 0])
    assert np.isnan(z0).all() and r2_0 == pytest.approx(1)
    # a covariate missing everywhere is left out instead of emptying the model
    both = np.column_stack([x, np.full(20, np.nan)])
    assert fit_context(y, both, 2.0)[0] == pytest.approx(expected)


# -- definitions and invariants -----------------------------------------------------------------


def test_every_measure_is_defined_in_dutch(sq):
    defs = all_definitions()
    for d in sq.divisions:
        assert set(d.summary) == {k for k, v in defs.items() if v.niveau == "samenvatting"}
        for col in d.regions.columns[2:]:
            assert col in defs and defs[col].niveau == "regio", col
    for key, d in defs.items():
        assert d.label and len(d.definitie) > 20, key
        assert d.beter in ("lager", "hoger", None)
        assert d.familie


def test_modelled_flags_follow_the_atlas(sq, synthetic_atlas):
    observed = sq.definition_dicts()
    assert observed["grensverkeer"]["gemodelleerd"] is False  # hand flows are observed
    assert observed["afstand_SBO_gem"]["gemodelleerd"] is True  # distances always modelled
    assert observed["regios"]["gemodelleerd"] is False
    assert observed["leerlingen_min"]["gemodelleerd"] is False  # hand school counts observed
    ms = measure_all(synthetic_atlas, [status_quo(synthetic_atlas, "PO")])
    modelled = ms.definition_dicts()
    assert modelled["grensverkeer"]["gemodelleerd"] is True
    assert modelled["leerlingen_min"]["gemodelleerd"] is True
    assert modelled["dekking"]["gemodelleerd"] is True
    assert modelled["gemeenten_per_regio"]["gemodelleerd"] is False


def test_s2_is_congruent(synthetic_atlas):
    ms = measure_all(synthetic_atlas, build_scenarios(synthetic_atlas, ["s2", "s2-ongedeeld"]))
    for d in ms.divisions:
        assert d.summary["congruentie"] == pytest.approx(1)  # every region in one jeugdregio
        split = d.division.recipe.get("gesplitst")
        if split is None:  # the plain variant: the jeugdregio's themselves
            assert d.summary["ari_jeugdregio"] == pytest.approx(1)
            assert d.summary["jeugdregios_gesplitst"] == 0
        else:  # jeugdregio's above the maximum are split, the rest kept
            assert d.summary["jeugdregios_gesplitst"] == len(split) > 0
            assert 0 < d.summary["ari_jeugdregio"] < 1


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), k=st.integers(2, 80), coarse=st.integers(1, 20))
def test_coarsening_never_increases_grensverkeer(synthetic_atlas, seed, k, coarse):
    a = synthetic_atlas
    rng = np.random.default_rng(seed)
    fine = rng.integers(0, k, len(a.pc4))
    merge = rng.integers(0, coarse, k)  # every fine region into one coarse region
    idx = a.pc4["pc4"].to_numpy()
    d_fine = Division("fijn", "PO", pd.Series(fine.astype(str), index=idx))
    d_coarse = Division("grof", "PO", pd.Series(merge[fine].astype(str), index=idx))
    ms = measure_all(a, [d_fine, d_coarse])
    f, c = ms.divisions[0].summary, ms.divisions[1].summary
    for key in ("grensverkeer", "grensverkeer_SBO", "grensverkeer_SO", "grensverkeer_BAO"):
        assert c[key] <= f[key] + 1e-12
    assert c["regios"] <= f["regios"]
    assert c["congruentie"] <= f["congruentie"] + 1e-12


# -- output folder ---------------------------------------------------------------------------------


def test_output_folder(tmp_path, atlas):
    divisions = build_scenarios(atlas)
    ms = measure_all(atlas, divisions)
    out = write_measures(ms, tmp_path / "uit", drempel=10)
    doc = json.loads((out / "intern" / "measures.json").read_text(encoding="utf-8"),
                     parse_constant=lambda c: pytest.fail(f"{c} in measures.json"))
    assert doc["format"] == "nabij-measures" and doc["version"] == 1
    assert doc["atlas"]["name"] == "handland" and doc["atlas"]["reference_year"] == 2024
    assert doc["drempel"] == 10
    assert set(doc["definities"]["grensverkeer"]) >= {"label", "definitie", "eenheid", "beter",
                                                      "gemodelleerd"}
    assert [d["slug"] for d in doc["divisions"]] == [d.slug for d in ms.divisions]
    assert len({d["slug"] for d in doc["divisions"]}) == len(divisions)
    first = doc["divisions"][0]
    assert first["name"] == "Status quo PO" and first["sector"] == "PO"
    assert first["recipe"]["bouwer"] == "status_quo"
    assert first["regions"][0]["regio"] == "PO 01-01" and first["regions"][0]["naam"] == "PO West"
    assert first["regions"][0]["leerlingen"] == 320  # raw numbers in the JSON
    assert all(v is None or isinstance(v, int | float) for v in first["summary"].values())
    for d in doc["divisions"]:
        for sub in ("indelingen", "regios", "thuisnabijheid", "grensverkeer"):
            assert (out / sub / f"{d['slug']}.csv").exists()
    ind = pd.read_csv(out / "indelingen" / "status-quo-po.csv", dtype=str)
    assert list(ind.columns) == ["pc4", "regio", "regio_naam"] and list(ind["pc4"]) == PC4
    flows = pd.read_csv(out / "grensverkeer" / "status-quo-po.csv", dtype=str)
    assert list(flows.columns) == ["van", "naar", "leerlingen"]
    # 2 x 2 flows whose row and column sums are published (leerlingen_woonachtig, leerlingen):
    # one hidden cell would follow by subtraction, so complementary suppression hides all four
    assert flows["leerlingen"].tolist() == ["<10", "<10", "<10", "<10"]
    reg = pd.read_csv(out / "regios" / "status-quo-po.csv", dtype=str)
    assert reg["leerlingen_SBO"].tolist() == ["20", "0"]
    assert reg["heeft_SBO"].tolist() == ["ja", "nee"]
    summ = pd.read_csv(out / "samenvatting.csv")
    assert summ["slug"].tolist() == [d.slug for d in ms.divisions]
    assert not list(out.glob("**/.*"))  # no temporary files left behind


def test_output_suppression_threshold_and_xlsx(tmp_path, atlas):
    from openpyxl import load_workbook

    ms = measure_all(atlas, [status_quo(atlas, "PO")])
    out = write_measures(ms, tmp_path / "uit", drempel=200)
    t = pd.read_csv(out / "thuisnabijheid" / "status-quo-po.csv", dtype=str)
    assert t["kinderen"].tolist() == ["<200"] * 6
    wb = load_workbook(out / "vergelijking.xlsx")
    assert wb.sheetnames == ["Samenvatting", "Definities", "status-quo-po", "Over"]
    ws = wb["Samenvatting"]
    assert ws.freeze_panes == "C2"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["Grensverkeer"][2].number_format == "0.0%"
    assert rows["Grensverkeer"][2].value == pytest.approx(35 / 680)
    reg = wb["status-quo-po"]
    heads = [c.value for c in reg[1]]
    assert heads[:3] == ["Regio", "Naam", "Leerlingen"]
    assert reg.freeze_panes == "C2"
    sbo = heads.index("Leerlingen SBO")
    assert [reg.cell(row=i, column=sbo + 1).value for i in (2, 3)] == ["<200", 0]
    raw = write_measures(ms, tmp_path / "ruw", drempel=200, suppress=False)
    t = pd.read_csv(raw / "thuisnabijheid" / "status-quo-po.csv")
    assert t["kinderen"].tolist() == [100] * 6


# -- the real Netherlands ------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_netherlands(real_atlas):
    a = real_atlas
    divisions = build_scenarios(a, BUILTIN)
    by = {d.name: d for d in divisions}
    for d in divisions:
        assert d.problems(a.pc4["pc4"]) == [], d.name
    assert by["Status quo PO"].n_regions == 76 and by["Status quo VO"].n_regions == 74
    plain = build_scenarios(a, ["s2-ongedeeld"])
    assert {d.n_regions for d in plain} == {42}
    for s in ("PO", "VO", "funderend"):  # 42 jeugdregio's, those above the maximum split
        d = by[f"S2 Jeugdregio {s}"]
        assert d.n_regions == 42 + sum(x["delen"] - 1 for x in d.recipe["gesplitst"]) > 42
    s1 = by["S1 Funderend onderwijs PO"].recipe
    assert 76 < s1["regios"] < 150 and s1["regios"] == 150 - len(s1["paren"])
    for s in ("PO", "VO"):
        f = by[f"Fusie kleine SWV's {s}"]
        assert f.recipe["onmogelijk"] == []
        assert by[f"S3 Dekkend netwerk {s}"].recipe["niet_dekkend"] == []
    ms = measure_all(a, divisions)
    s = {d.slug: d.summary for d in ms.divisions}
    for sec in ("PO", "VO"):  # only the exempted ferry-only SWVs stay small
        exempt = by[f"Fusie kleine SWV's {sec}"].recipe["uitgezonderd"]
        assert s[f"fusie-kleine-swvs-{sec.lower()}"]["regios_klein"] == len(exempt) > 0
    assert 1_300_000 < s["status-quo-po"]["leerlingen_totaal"] < 1_600_000
    assert s["status-quo-vo"]["regios_klein"] > s["status-quo-po"]["regios_klein"] > 0
    assert 0 < s["status-quo-po"]["grensverkeer"] < s["status-quo-vo"]["grensverkeer"] < 0.4
    assert s["status-quo-po"]["verandering_leerlingen"] == 0
    assert s["s3-dekkend-netwerk-po"]["dekking"] == 1
    assert s["s2-jeugdregio-po"]["congruentie"] == pytest.approx(1)
    assert 0.5 < s["status-quo-po"]["doorgaande_lijn"] < 1
    assert 2 < s["status-quo-po"]["afstand_SO4_gem"] < 25
    assert 0.03 < s["status-quo-po"]["deelname_landelijk"] < 0.07
    assert len(ms.divisions) == sum(len(build_scenarios(a, [n])) for n in BUILTIN)


def test_invalid_division_is_refused(atlas):
    missing = Division("half", "PO", pd.Series(["A"] * 3, index=PC4[:3]))
    with pytest.raises(InputError, match="Indeling 'half' is ongeldig") as e:
        measure_all(atlas, [missing])
    assert "3 postcodes zonder regio" in str(e.value)
