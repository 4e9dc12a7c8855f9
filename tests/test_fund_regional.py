"""Inclusiefonds per region (issue 11): own sources, own reserve, baseline, advice checks."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from handland import FLOWS, SCHOOLS, hand_bundle
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nabij.atlas import build_atlas
from nabij.errors import InputError
from nabij.fund import (
    EXAMPLE,
    PROVISION_LABEL,
    allocate,
    check_definition,
    load_definition,
    parse_definition,
    read_current,
)
from nabij.fund.allocate import _clamp_bisect, clamp_to_total
from nabij.report.fund_section import render_fund_section

# Handland PO pupils by home PC4 (BAO + SBO + SO): 1001 115, 1002 115, 2001 115, 2002 115,
# 3001 110, 3002 110; PO 01-01 = 1001, 1002, 2001 (345), PO 01-02 = 2002, 3001, 3002 (335).
REG_TOML = """
[fonds]
naam = "Regiotest"
sectoren = ["PO"]

[[bronnen]]
naam = "Onderwijs"
soort = "onderwijs"
bedrag = 1_000_000
herkomst = "test"

[[bronnen]]
naam = "Jeugdhulp"
soort = "jeugdhulp"
herkomst = "test"
[bronnen.per_gemeente]
GM0002 = 300_000

[reserve]
aandeel = 0.10
doorbraakbudget = 0.02
doelen = ["acute problematiek"]

[verdeling]
basis = 1.0

[overgang]
startjaar = 2030
doeljaar = 2031
"""


@pytest.fixture(scope="module")
def hand():
    return build_atlas(hand_bundle())


def _check_funds(r, definition) -> None:
    """Per region and year: allocations + reserve = fund = own contributions; national sum =
    sum of all sources; doorbraakbudget within the reserve; all whole euros."""
    years = definition.years
    v = r.verdeling.groupby(["regio", "jaar"])["bedrag"].sum()
    b = r.bijdragen.groupby("regio")[[f"bedrag_{y}" for y in years]].sum()
    for x in r.regios.itertuples():
        assert int(v[(x.regio, x.jaar)]) + x.reserve == x.fonds
        assert int(b.at[x.regio, f"bedrag_{x.jaar}"]) == x.fonds
        assert 0 <= x.doorbraakbudget <= x.reserve
    for j in r.jaren.itertuples():
        assert j.fonds == definition.total(j.jaar) == j.som_bronnen
        assert r.regios[r.regios["jaar"] == j.jaar]["fonds"].sum() == j.fonds
        assert r.verdeling[r.verdeling["jaar"] == j.jaar]["bedrag"].sum() + j.reserve == j.fonds
    for s, amount in enumerate(definition.source_amounts(years[-1])):
        got = r.bijdragen[r.bijdragen["bron"] == definition.bronnen[s].naam]
        assert int(got[f"bedrag_{years[-1]}"].sum()) == amount
    assert r.verdeling["bedrag"].dtype.kind == "i"


def test_hand_computed_regional_funds(hand):
    d = parse_definition(REG_TOML)
    r = allocate(d, hand, "gemeente", regions="swv-po")
    reg = r.regios[r.regios["jaar"] == 2031].set_index("regio")
    # onderwijs 1,000,000 by pupils: 345/680 -> 507,352.94 -> 507,353; 335/680 -> 492,647;
    # jeugdhulp GM0002 300,000 over its PC4s 2001 (PO 01-01) and 2002 (PO 01-02) by pupils
    assert reg["fonds"].to_dict() == {"PO 01-01": 657_353, "PO 01-02": 642_647}
    assert reg["reserve"].to_dict() == {"PO 01-01": 65_735, "PO 01-02": 64_265}
    assert reg["doorbraakbudget"].to_dict() == {"PO 01-01": 13_147, "PO 01-02": 12_853}
    e = r.effect.set_index(["regio", "eenheid"])
    # basis only: per pupil within the region's fund
    assert e.loc[("PO 01-01", "GM0001"), "doel"] == 394_412  # 591,618 x 230/345
    assert e.loc[("PO 01-01", "GM0002"), "doel"] == 197_206
    assert e.loc[("PO 01-02", "GM0003"), "doel"] == 379_833  # 379,832.96, largest remainder
    # baseline: today GM0002 holds its own jeugdhulp money; scaled to D = 591,618
    D = Fraction(591_618)
    gm1 = Fraction(1_000_000 * 230, 680)
    gm2 = Fraction(1_000_000 * 115, 680) + 150_000
    want = D * gm1 / (gm1 + gm2)
    assert abs(e.loc[("PO 01-01", "GM0001"), "huidig"] - float(want)) <= 1
    assert e.loc[("PO 01-01", "GM0002"), "uitkomst"] == "verliest"
    assert e.loc[("PO 01-01", "GM0001"), "uitkomst"] == "wint"
    # "gelijk per leerling" is the flat comparison, kept under its own name
    assert e.loc[("PO 01-01", "GM0001"), "gelijk_per_leerling"] == 394_412
    _check_funds(r, d)


def test_one_national_fund_is_the_sum(hand):
    d = parse_definition(REG_TOML)
    national = allocate(d, hand, "gemeente")
    regional = allocate(d, hand, "gemeente", regions="swv-po")
    assert list(national.regios["regio"].unique()) == ["NL"]
    assert (national.jaren["fonds"] == regional.jaren["fonds"]).all()
    _check_funds(national, d)


def test_scenario_division_as_regions(hand):
    from nabij.divisions import jeugdregio_division

    d = load_definition(EXAMPLE)
    div = jeugdregio_division(hand, "PO")
    r = allocate(d, hand, "gemeente", regions=div)
    assert set(r.regios["regio"]) == set(div.regions)
    _check_funds(r, d)


def test_finer_units_inside_regions(hand):
    from nabij.divisions import Division

    d = parse_definition(REG_TOML)
    pc4 = hand.pc4["pc4"].astype(str)
    fine = Division("buurten", "PO", pd.Series(pc4.to_numpy(), index=pc4.to_numpy()))
    r = allocate(d, hand, fine, regions="swv-po")
    assert len(r.effect) == 6  # every PC4 its own leeromgeving, each inside one region
    _check_funds(r, d)


def test_region_without_own_sources_gets_nothing(hand):
    own = 'herkomst = "test"\n[bronnen.per_gemeente]\nGM0001 = 1_000_000'
    text = REG_TOML.replace('bedrag = 1_000_000\nherkomst = "test"', own)
    d = parse_definition(text)
    r = allocate(d, hand, "gemeente", regions="swv-po")
    reg = r.regios[r.regios["jaar"] == 2031].set_index("regio")
    # GM0001 lies in PO 01-01 only; PO 01-02 is filled by GM0002's jeugdhulp share alone
    assert reg.loc["PO 01-01", "fonds"] == 1_150_000 and reg.loc["PO 01-02", "fonds"] == 150_000
    _check_funds(r, d)
    text = REG_TOML.replace("GM0002 = 300_000", "GM0001 = 300_000").replace(
        'bedrag = 1_000_000\nherkomst = "test"', own)
    d = parse_definition(text)
    r = allocate(d, hand, "gemeente", regions="swv-po")
    reg = r.regios[r.regios["jaar"] == 2031].set_index("regio")
    assert reg.loc["PO 01-02", "fonds"] == 0
    assert (r.verdeling[r.verdeling["regio"] == "PO 01-02"]["bedrag"] == 0).all()
    _check_funds(r, d)


def test_transport_money_follows_modelled_cost(hand):
    text = REG_TOML.replace('[reserve]', '[[bronnen]]\nnaam = "Vervoer"\nsoort = "vervoer"\n'
                            'bedrag = 400_000\nherkomst = "test"\n\n[reserve]')
    d = parse_definition(text)
    cost = pd.Series({"GM0001": 100.0, "GM0002": 0.0, "GM0003": 300.0})
    r = allocate(d, hand, "gemeente", regions="swv-po", transport_cost=cost)
    b = r.bijdragen[r.bijdragen["bron"] == "Vervoer"].set_index("regio")["bedrag_2031"]
    # GM0001 lies in PO 01-01, GM0003 in PO 01-02: the money sits where the cost is
    assert b.to_dict() == {"PO 01-01": 100_000, "PO 01-02": 300_000}
    _check_funds(r, d)
    warn = [f for f in check_definition(d) if f.level == "waarschuwing"]
    assert any("alleen de besparingen" in f.message for f in warn)


def test_transport_savings_fill_the_region_of_their_gemeente(hand):
    from nabij.fund.savings import savings_source
    from nabij.transport import Provision, what_if

    # an SO place near 2001/2002 for pupils who now travel to SO3001 and SO1001
    w = what_if(hand, [Provision("OZA midden", "SO", 52.0, 5.25, 30, frozenset({3, 4}))])
    saved = w.savings()
    assert saved.sum() > 0
    d = parse_definition(REG_TOML).with_source(savings_source(w, 2031))
    r = allocate(d, hand, "gemeente", regions="swv-po")
    b = r.bijdragen[r.bijdragen["soort"].str.startswith("besparing")]
    assert int(b["bedrag_2030"].sum()) == 0  # savings count from 2031
    assert int(b["bedrag_2031"].sum()) == sum(int(round(v)) for v in saved)
    _check_funds(r, d)
    assert not [f for f in check_definition(d) if "leerlingenvervoer in het fonds" in f.message]


def test_user_amounts_where_present(hand, tmp_path):
    d = parse_definition(REG_TOML)
    csv = tmp_path / "nu.csv"
    csv.write_text("eenheid,bedrag\nGM0003,1000000\n", encoding="utf-8")
    cur = read_current(csv, ["GM0001", "GM0002", "GM0003"])
    r = allocate(d, hand, "gemeente", regions="swv-po", current=cur)
    e = r.effect.set_index(["regio", "eenheid"])
    # GM0003 says it has much more today: in its region it now loses against the baseline
    assert e.loc[("PO 01-02", "GM0003"), "uitkomst"] == "verliest"
    base = allocate(d, hand, "gemeente", regions="swv-po").effect.set_index(["regio", "eenheid"])
    assert (e.loc["PO 01-01", "huidig"] == base.loc["PO 01-01", "huidig"]).all()
    csv.write_text("eenheid,bedrag\nGM9999,5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_current(csv, ["GM0001", "GM0002", "GM0003"])
    assert err.value.problems[0].row == 2


def test_verevening_only_in_its_real_meaning():
    with pytest.raises(InputError) as err:
        parse_definition(REG_TOML.replace("doeljaar = 2031",
                                          'doeljaar = 2031\nhuidige_verdeling = "verevening"'))
    assert "2015-2020" in str(err.value) and "gelijk_per_leerling" in str(err.value)
    d = parse_definition(REG_TOML.replace(
        "doeljaar = 2031", 'doeljaar = 2031\nhuidige_verdeling = "gelijk_per_leerling"'))
    assert d.overgang.huidige_verdeling == "gelijk_per_leerling"


def test_flat_comparison_when_chosen(hand):
    d = parse_definition(REG_TOML.replace(
        "doeljaar = 2031", 'doeljaar = 2031\nhuidige_verdeling = "gelijk_per_leerling"'))
    r = allocate(d, hand, "gemeente", regions="swv-po")
    assert (r.effect["huidig"] == r.effect["gelijk_per_leerling"]).all()


# --- population-based: a country where only special-school participation differs ----------

def participation_bundle():
    """Handland with identical context in every PC4 and the same pupils everywhere (200 PO
    pupils per PC4), but special-school participation of 2 % (GM0001), 5 % (GM0002) and
    10 % (GM0003)."""
    b = hand_bundle()
    pc4 = b.tables["pc4"].copy()
    pc4["stedelijkheid"] = 3.0
    b.tables["pc4"] = pc4
    special = {"1001": 4, "1002": 4, "2001": 10, "2002": 10, "3001": 20, "3002": 20}
    bao = {p: f"BA{p}" for p in special}
    flows = [(p, bao[p], "BAO", 200 - n) for p, n in special.items()]
    flows += [(p, "SO3001", "SO", n) for p, n in special.items()]
    flows += [(p, "VO1001", "VO", 100) for p in special]
    f = pd.DataFrame(flows, columns=["pc4", "vestiging", "soort", "leerlingen"])
    inflow = f.groupby(["vestiging", "soort"])["leerlingen"].sum()
    keep = {(v, s) for v, s, *_ in SCHOOLS if (v, s) in inflow.index}
    sch = b.tables["scholen"]
    sch = sch[[(v, s) in keep for v, s in zip(sch["vestiging"], sch["soort"], strict=True)]]
    sch = sch.assign(leerlingen=[int(inflow[(v, s)]) for v, s in
                                 zip(sch["vestiging"], sch["soort"], strict=True)])
    b.tables["scholen"] = sch.reset_index(drop=True)
    b.tables["stromen"] = f
    assert len(FLOWS)  # the original flows are replaced on purpose
    return b


@pytest.fixture(scope="module")
def participation():
    return build_atlas(participation_bundle())


@pytest.mark.parametrize("regions", [None, "swv-po"])
def test_gain_does_not_grow_with_special_participation(participation, regions):
    d = load_definition(EXAMPLE)
    r = allocate(d, participation, "gemeente", regions=regions)
    e = r.effect.groupby("eenheid")[["verschil", "leerlingen"]].sum()
    gain = e["verschil"] / e["leerlingen"]
    # population-based: equal population, equal money, whatever the participation
    assert gain["GM0003"] <= gain["GM0002"] + 0.01 <= gain["GM0001"] + 0.02
    assert gain.max() - gain.min() < 0.01
    assert r.provision_share == 0.0
    html = render_fund_section(r, None)
    assert "Geen voorzieningsbekostiging" in html


def test_speciaal_weight_is_labelled_voorzieningsbekostiging(participation):
    d = load_definition(EXAMPLE).with_weights(speciaal=0.2)
    r = allocate(d, participation, "gemeente")
    gain = r.effect.set_index("eenheid")["verschil_per_leerling"]
    assert gain["GM0003"] > gain["GM0002"] > gain["GM0001"]  # now money follows referrals
    share = 0.2 / (0.15 + 0.45 + 0.15 + 0.15 + 0.06 + 0.04 + 0.2)
    assert r.provision_share == pytest.approx(share, abs=1e-6)
    g = r.gewichten.set_index("onderdeel")
    assert g.loc["speciaal", "grondslag"] == PROVISION_LABEL
    assert g.loc["kinderen", "grondslag"] == "populatie"
    html = render_fund_section(r, None)
    assert "Voorzieningsbekostiging:" in html and "16,7 %" in html
    assert PROVISION_LABEL in html
    warn = [f.message for f in check_definition(d) if f.level == "waarschuwing"]
    assert any(m.startswith("Voorzieningsbekostiging") and "16,7 %" in m for m in warn)
    t = r.toelichting.set_index("eenheid")
    assert (t["voorzieningsbekostiging"] == t["speciaal"]).all()


# --- CLI: controleer and verdeel -------------------------------------------------------------

def test_controleer_passes_on_the_example():
    from nabij.cli import app

    res = CliRunner().invoke(app, ["fonds", "controleer", str(EXAMPLE), "--streng"])
    assert res.exit_code == 0, res.output
    assert "geldig" in res.output and "Geen waarschuwingen" in res.output


def test_controleer_warns_on_all_transport_money(tmp_path):
    from nabij.cli import app

    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "# ---------------------------------------------------------------------------------------"
        "\n# Collectief deel",
        '[[bronnen]]\nnaam = "Leerlingenvervoer"\nsoort = "vervoer"\nbedrag = 299_000_000\n'
        'herkomst = "FIGURES.md sectie 5"\n\n# ----\n# Collectief deel', 1)
    path = tmp_path / "alles.toml"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(app, ["fonds", "controleer", str(path)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "Waarschuwing" in out and "alleen de besparingen op leerlingenvervoer" in out
    res = CliRunner().invoke(app, ["fonds", "controleer", str(path), "--streng"])
    assert res.exit_code == 1


def test_cli_regional_outputs(hand, tmp_path):
    from nabij.cli import app

    adir = tmp_path / "atlas"
    hand.save(adir)
    toml = tmp_path / "f.toml"
    toml.write_text(REG_TOML, encoding="utf-8")
    out = tmp_path / "uit"
    res = CliRunner().invoke(app, ["fonds", "verdeel", "--atlas", str(adir), "--definitie",
                                   str(toml), "--out", str(out)])
    assert res.exit_code == 0, res.output
    reg = pd.read_csv(out / "fonds_regios.csv")
    assert set(reg["regio"]) == {"PO 01-01", "PO 01-02"}
    sheets = set(pd.ExcelFile(out / "fonds.xlsx").sheet_names)
    assert {"jaren", "regios", "bronnen", "bijdragen", "effect", "verdeling"} <= sheets
    res = CliRunner().invoke(app, ["fonds", "verdeel", "--atlas", str(adir), "--definitie",
                                   str(toml), "--out", str(tmp_path / "x"), "--regio", "wijk"])
    assert res.exit_code != 0 and "--regio" in str(res.exception)
    assert not (tmp_path / "x").exists()


# --- invariants on any division, any sources ------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=6, max_size=6),
       st.lists(st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False),
                min_size=1, max_size=3),
       st.floats(0, 0.5), st.floats(0, 1), st.floats(0.5, 1.0), st.floats(1.0, 2.0))
def test_any_division_adds_up_to_the_euro(hand_any, regions, amounts, reserve, speciaal,
                                           floor, cap):
    from nabij.divisions import Division
    from nabij.fund import Source

    pc4 = hand_any.pc4["pc4"].astype(str).to_numpy()
    div = Division("willekeurig", "PO+VO", pd.Series([f"R{k}" for k in regions], index=pc4))
    kinds = ["onderwijs", "jeugdhulp", "kinderopvang"]
    d = parse_definition(REG_TOML.replace("aandeel = 0.10", f"aandeel = {reserve:.3f}")
                         .replace("doorbraakbudget = 0.02", f"doorbraakbudget = {reserve / 2:.3f}")
                         .replace("basis = 1.0", f"basis = 1.0\nvloer_relatief = {floor:.3f}\n"
                                  f"plafond_relatief = {cap:.3f}"))
    d = d.with_weights(speciaal=speciaal)
    for i, a in enumerate(amounts):
        d = d.with_source(Source(f"Extra {i}", kinds[i % 3], a, herkomst="test"))
    r = allocate(d, hand_any, "gemeente", regions=div, sensitivity=False)
    _check_funds(r, d)


@pytest.fixture(scope="module")
def hand_any():
    return build_atlas(hand_bundle())


# --- the fast clamp agrees with the bisection ---------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100, allow_subnormal=False),
                          st.floats(1, 1000, allow_subnormal=False)), min_size=1, max_size=30),
       st.floats(0, 0.95), st.floats(1.0, 3.0), st.floats(1, 1e9), st.booleans())
def test_breakpoint_clamp_matches_bisection(units, floor_rel, cap_rel, total, capped):
    raw = np.array([u[0] for u in units])
    raw[0] += 1.0  # the formula always gives something to someone
    pupils = np.array([u[1] for u in units])
    mean = total / pupils.sum()
    lo = pupils * mean * floor_rel
    hi = pupils * mean * cap_rel if capped else np.full(len(raw), np.inf)
    try:
        want = _clamp_bisect(raw, lo, hi, total) if (lo > 0).any() or capped else None
    except ValueError:
        with pytest.raises(ValueError):
            clamp_to_total(raw, lo, hi, total)
        return
    got = clamp_to_total(raw, lo, hi, total)
    assert got.sum() == pytest.approx(total, rel=1e-9)
    if want is not None:
        assert np.allclose(got, want, rtol=1e-7, atol=1e-6 * max(1.0, total))


# --- the real Netherlands ---------------------------------------------------------------------

@pytest.mark.realdata
def test_real_netherlands_76_regional_funds(real_atlas):
    from nabij.divisions import jeugdregio_division, status_quo

    d = load_definition(EXAMPLE)
    po = status_quo(real_atlas, "PO")
    r = allocate(d, real_atlas, "gemeente", regions=po)
    assert r.regios["regio"].nunique() == 76
    _check_funds(r, d)
    assert r.summary()["aandeel_voorzieningsbekostiging"] == 0.0
    s2 = jeugdregio_division(real_atlas, "PO")
    r2 = allocate(d, real_atlas, "gemeente", regions=s2)
    assert r2.regios["regio"].nunique() == s2.n_regions
    _check_funds(r2, d)
