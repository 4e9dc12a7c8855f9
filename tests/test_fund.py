"""Inclusiefonds: hand-computed allocations, exact totals, reserve, phasing, bad files, CLI."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import make_tiny_bundle
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nabij.atlas import build_atlas
from nabij.divisions import Division
from nabij.errors import InputError
from nabij.fund import (
    EXAMPLE,
    FACTORS,
    Source,
    allocate,
    check_definition,
    load_definition,
    parse_definition,
    round_to_total,
    target_amounts,
)

# --- a 3-gemeente country with observed flows: 200 / 600 / 200 pupils --------------------------
# eenouder shares per PC4 (tiny bundle): 1001,1002: 0.15; 2001: 0.30; 2002: 0.25; 3001,3002: 0.10
# -> eenouder masses GM0001 30, GM0002 165, GM0003 20 (total 215)

PUPILS = {"1001": 100, "1002": 100, "2001": 300, "2002": 300, "3001": 100, "3002": 100}
SCHOOL = {"1001": "01AA00", "1002": "01AB00", "2001": "02AA00", "2002": "02AB00",
          "3001": "03AA00", "3002": "03AA00"}


def fund_bundle():
    b = make_tiny_bundle()
    b.tables["stromen"] = pd.DataFrame({
        "pc4": list(PUPILS), "vestiging": [SCHOOL[p] for p in PUPILS], "soort": "BAO",
        "leerlingen": [float(v) for v in PUPILS.values()]})
    return b


@pytest.fixture(scope="module")
def atlas3():
    return build_atlas(fund_bundle())


BASE_TOML = """
[fonds]
naam = "Testfonds"

[[bronnen]]
naam = "Onderwijs"
bedrag = 1_000_000

[reserve]
aandeel = 0.10
doelen = ["acute problematiek"]

[verdeling]
basis = 0.5
{extra}
[verdeling.factoren]
eenouder = 0.5

[overgang]
startjaar = 2026
doeljaar = 2028
"""


def definition(extra: str = "", text: str | None = None):
    return parse_definition(text if text is not None else BASE_TOML.format(extra=extra))


def test_hand_computed_allocation(atlas3):
    r = allocate(definition(), atlas3, "gemeente")
    # D = 1,000,000 - 10 % = 900,000; basis 450,000 by pupils (200/600/200 of 1000),
    # eenouder 450,000 by mass (30/165/20 of 215)
    exact = {
        "GM0001": Fraction(90_000) + Fraction(450_000 * 30, 215),   # 152,790.70
        "GM0002": Fraction(270_000) + Fraction(450_000 * 165, 215),  # 615,348.84
        "GM0003": Fraction(90_000) + Fraction(450_000 * 20, 215),   # 131,860.47
    }
    # largest remainder: floors sum to 899,998; the 2 euros go to .84 (GM0002) and .70 (GM0001)
    want = {"GM0001": 152_791, "GM0002": 615_349, "GM0003": 131_860}
    assert sum(exact.values()) == 900_000
    last = r.verdeling[r.verdeling["jaar"] == 2028].set_index("eenheid")["bedrag"]
    assert last.to_dict() == want
    e = r.effect.set_index("eenheid")
    assert e["doel"].to_dict() == want
    assert e.loc["GM0002", "huidig"] == 540_000  # baseline: national money by pupils, 900 each
    assert e.loc["GM0002", "uitkomst"] == "wint" and e.loc["GM0003", "uitkomst"] == "verliest"
    assert e.loc["GM0003", "verschil_per_leerling"] == pytest.approx((131_860 - 180_000) / 200)
    t = r.toelichting.set_index("eenheid")
    assert t.loc["GM0001", "basis"] == 90_000 and t.loc["GM0001", "eenouder"] == 62_791
    assert (t["basis"] + t["eenouder"] + t["correctie"]).to_dict() == want
    f = r.factoren.set_index("eenheid")
    assert f.loc["GM0002", "eenouder"] == pytest.approx(165 / 600, abs=1e-4)


def test_totals_add_up_exactly_and_reserve_is_its_share(atlas3):
    text = BASE_TOML.format(extra="").replace("bedrag = 1_000_000", "bedrag = 1234567.89") \
        .replace("aandeel = 0.10", "aandeel = 0.035")
    d = definition(text=text)
    r = allocate(d, atlas3, "gemeente")
    for row in r.jaren.itertuples():
        assert row.fonds == 1_234_568  # 1,234,567.89 rounded half up to whole euros
        assert row.reserve == 43_210  # 0.035 x 1,234,568 = 43,209.88 -> 43,210
        got = r.verdeling[r.verdeling["jaar"] == row.jaar]["bedrag"]
        assert got.dtype.kind == "i"
        assert int(got.sum()) + row.reserve == row.fonds
        assert Decimal(int(got.sum())) + Decimal(row.reserve) == Decimal(row.fonds)


def test_phasing_reaches_target_in_final_year(atlas3):
    r = allocate(definition(), atlas3, "gemeente")
    v = r.verdeling.pivot(index="eenheid", columns="jaar", values="bedrag")
    # 2026: current + 1/3 (target - current); current = 900 per pupil
    # GM0003: 180,000 - 48,139.53/3 = 163,953.49 -> gets the one missing euro (largest .49)
    assert v[2026].to_dict() == {"GM0001": 170_930, "GM0002": 565_116, "GM0003": 163_954}
    assert v[2028].to_dict() == r.effect.set_index("eenheid")["doel"].to_dict()
    assert list(r.jaren["overgang"]) == [pytest.approx(1 / 3, abs=1e-4),
                                         pytest.approx(2 / 3, abs=1e-4), 1.0]
    # monotone path for every unit
    assert ((v[2027] - v[2026]) * (v[2028] - v[2027]) >= 0).all()


def test_custom_steps_and_current_csv(atlas3, tmp_path):
    cur = tmp_path / "huidig.csv"
    cur.write_text("eenheid,bedrag\nGM0001,100\nGM0002,100\nGM0003,100\n", encoding="utf-8")
    extra = ""
    text = BASE_TOML.format(extra=extra).replace(
        "doeljaar = 2028", f'doeljaar = 2028\nstappen = [0.0, 0.5, 1.0]\n'
        f'huidige_verdeling = "{cur.name}"')
    path = tmp_path / "fonds.toml"
    path.write_text(text, encoding="utf-8")
    r = allocate(load_definition(path), atlas3)
    v = r.verdeling.pivot(index="eenheid", columns="jaar", values="bedrag")
    assert v[2026].to_dict() == {"GM0001": 300_000, "GM0002": 300_000, "GM0003": 300_000}
    assert v[2028]["GM0002"] == 615_349


def test_floor_per_pupil(atlas3):
    r = allocate(definition("vloer_per_leerling = 700\n"), atlas3)
    got = r.effect.set_index("eenheid")["doel"]
    raw1 = Fraction(90_000) + Fraction(450_000 * 30, 215)
    raw2 = Fraction(270_000) + Fraction(450_000 * 165, 215)
    t = Fraction(900_000 - 140_000) / (raw1 + raw2)
    assert got["GM0003"] == 140_000  # 700 x 200 pupils: the floor binds
    assert abs(got["GM0001"] - float(raw1 * t)) <= 1
    assert abs(got["GM0002"] - float(raw2 * t)) <= 1
    assert got.sum() == 900_000
    assert r.toelichting.set_index("eenheid").loc["GM0003", "correctie"] > 0


def test_infeasible_floor_is_dutch_error(atlas3):
    with pytest.raises(InputError, match="vloer"):
        allocate(definition("vloer_per_leerling = 1000\n"), atlas3)


def test_levels_and_division(atlas3):
    d = definition()
    r = allocate(d, atlas3, "swv-po")
    got = r.effect.set_index("eenheid")["doel"].to_dict()
    # PO 01-01 = 1001, 1002, 2001: 500 pupils, mass 15 + 15 + 90 = 120
    assert got == {"PO 01-01": 476_163, "PO 01-02": 423_837}
    div = Division("oost-west", "PO+VO", pd.Series(
        ["A", "A", "B", "B", "B", "B"], index=["1001", "1002", "2001", "2002", "3001", "3002"]),
        region_names={"A": "West", "B": "Oost"})
    r = allocate(d, atlas3, div)
    got = r.effect.set_index("eenheid")["doel"].to_dict()
    assert got == {"A": 152_791, "B": 747_209}
    assert set(r.effect["naam"]) == {"West", "Oost"}


def test_sensitivity_direction(atlas3):
    r = allocate(definition(), atlas3)
    s = r.gevoeligheid[r.gevoeligheid["gewicht"] == "eenouder"].set_index("eenheid")
    # GM0002 holds 77 % of the eenouder mass but 60 % of the pupils: gains when it weighs more
    assert s.loc["GM0002", "plus10"] > 0 and s.loc["GM0002", "min10"] < 0
    assert s.loc["GM0001", "plus10"] < 0 and s.loc["GM0003", "plus10"] < 0
    assert s["plus10"].sum() == 0 and s["min10"].sum() == 0
    # hand: eenouder share 0.55/1.05 of 900,000
    w_b, w_e = Fraction(50, 105), Fraction(55, 105)
    gm2 = 900_000 * (w_b * Fraction(600, 1000) + w_e * Fraction(165, 215))
    assert abs(s.loc["GM0002", "plus10"] - (float(gm2) - 615_349)) <= 1


def test_savings_source_enters_following_years(atlas3):
    d = definition().with_source(Source("Besparing vervoer", "vervoer", None,
                                        {"GM0001": Decimal("12345")}, vanaf=2027))
    r = allocate(d, atlas3)
    assert list(r.jaren["fonds"]) == [1_000_000, 1_012_345, 1_012_345]
    for row in r.jaren.itertuples():
        got = r.verdeling[r.verdeling["jaar"] == row.jaar]["bedrag"].sum()
        assert got + row.reserve == row.fonds


def test_current_from_sources(atlas3):
    text = BASE_TOML.format(extra="").replace("doeljaar = 2028",
                                              'doeljaar = 2028\nhuidige_verdeling = "bronnen"')
    text = text.replace('[reserve]', '[[bronnen]]\nnaam = "Jeugdhulp"\nsoort = "jeugdhulp"\n'
                        '[bronnen.per_gemeente]\nGM0003 = 1_000_000\n\n[reserve]')
    r = allocate(definition(text=text), atlas3)
    e = r.effect.set_index("eenheid")
    # fund 2,000,000, D 1,800,000; current: national 1 M flat + 1 M all in GM0003
    assert e.loc["GM0003", "huidig"] == 1_800_000 * (200_000 + 1_000_000) // 2_000_000


def test_example_definition_is_valid():
    d = load_definition(EXAMPLE)
    assert (d.overgang.startjaar, d.overgang.doeljaar) == (2030, 2035)
    assert d.overgang.huidige_verdeling == "basislijn"
    # onderwijs 3,000 M + jeugdhulp 810 M + kinderopvang 100 M + brugfunctionarissen 53 M
    assert d.total(2030) == 3_963_000_000
    assert d.reserve_amount(2030) == 198_150_000
    assert d.total(2033) == 3_910_000_000  # the temporary programme ends in 2032
    assert set(d.verdeling.factoren) <= set(FACTORS)
    assert {b.soort for b in d.bronnen} >= {"onderwijs", "jeugdhulp", "kinderopvang"}
    # the advice brings transport savings only: no source of all transport money
    assert "vervoer" not in {b.soort for b in d.bronnen}
    # population-based: no provision-based factor carries weight
    assert not any(FACTORS[k].provision_based for k, w in d.verdeling.factoren.items() if w)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "Over de lijnen" in text and "Inclusief onderwijs 2035" not in text
    assert "/work" not in text and "FIGURES.md" in text and "verevening" not in text
    for b in d.bronnen:  # every amount says where it comes from
        said = b.herkomst.lower()
        assert "figures.md sectie" in said or "aanname van dit voorbeeld" in said
        assert b.aanname == ("aanname" in b.herkomst.lower())
    assert [f for f in check_definition(d) if f.level == "waarschuwing"] == []


# --- bad fund files ------------------------------------------------------------------------------

@pytest.mark.parametrize("change, key, words", [
    (("eenouder = 0.5", "armoede = 0.5"), "verdeling.factoren.armoede", "onbekende factor"),
    (("eenouder = 0.5", 'eenouder = "veel"'), "verdeling.factoren.eenouder",
     "moet een getal zijn"),
    (("bedrag = 1_000_000", "bedrag = -5"), "bronnen[1].bedrag", "negatief"),
    (("aandeel = 0.10", "aandeel = 1.5"), "reserve.aandeel", "hoogstens"),
    (("basis = 0.5", "basis = 0.5\nbasisbedrag = 3"), "verdeling.basisbedrag",
     "onbekende sleutel"),
    (('naam = "Onderwijs"', 'naam = "Onderwijs"\nsoort = "zorg"'), "bronnen[1].soort",
     "onbekende soort"),
    (("bedrag = 1_000_000", '[bronnen.per_gemeente]\nAmsterdam = 5'),
     "bronnen[1].per_gemeente.Amsterdam", "ongeldige code"),
    (("doeljaar = 2028", "doeljaar = 2020"), "overgang.doeljaar", "startjaar"),
])
def test_bad_fund_file_names_the_key(change, key, words, tmp_path):
    text = BASE_TOML.format(extra="").replace(*change)
    path = tmp_path / "slecht.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_definition(path)
    msg = str(err.value)
    assert f"sleutel '{key}'" in msg and words in msg
    assert "slecht.toml" in msg
    prob = next(p for p in err.value.problems if key in p.message)
    line = text.splitlines()[prob.row - 1]
    assert key.split(".")[-1].split("[")[0] in line or line.startswith("[")


def test_unknown_code_names_the_source(atlas3):
    text = BASE_TOML.format(extra="").replace("bedrag = 1_000_000",
                                              "[bronnen.per_gemeente]\nGM9999 = 5")
    with pytest.raises(InputError) as err:
        allocate(definition(text=text), atlas3)
    assert "GM9999" in str(err.value) and "bronnen[1]" in str(err.value)


def test_bad_source_csv_names_the_row(tmp_path):
    (tmp_path / "bedragen.csv").write_text("code,bedrag\nGM0001,100\nGM0002,veel\n",
                                           encoding="utf-8")
    text = BASE_TOML.format(extra="").replace("bedrag = 1_000_000", 'bestand = "bedragen.csv"')
    path = tmp_path / "f.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_definition(path)
    p = err.value.problems[0]
    assert p.row == 3 and "geen getal" in p.message and p.file.endswith("bedragen.csv")


def test_invalid_toml_is_input_error():
    with pytest.raises(InputError, match="geen geldige TOML"):
        parse_definition("[fonds\nnaam = 1")


# --- pure arithmetic: properties -----------------------------------------------------------------

@given(st.lists(st.floats(0, 1e7, allow_subnormal=False), min_size=1, max_size=40),
       st.integers(0, 10**10))
def test_round_to_total_exact(values, total):
    v = np.array(values)
    if v.sum() < 1e-6:
        v = v + 1.0
    v = v * (total / v.sum())
    r = round_to_total(v, total)
    assert r.sum() == total and (r >= 0).all()
    assert np.all(np.abs(r - v) < 1.0 + 1e-6 * max(1.0, float(v.max())))


def _f(lo: float, hi: float):
    return st.floats(lo, hi, allow_subnormal=False)


units_strategy = st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.lists(_f(1, 5000), min_size=n, max_size=n),
    st.lists(st.lists(_f(0, 1), min_size=3, max_size=3), min_size=n, max_size=n),
    st.lists(_f(0, 5), min_size=4, max_size=4)))


@settings(max_examples=150, deadline=None)
@given(units_strategy, st.floats(0, 0.9), st.floats(1.05, 4.0), st.floats(1e3, 1e9))
def test_allocation_never_negative(data, floor_rel, cap_rel, total):
    pupils, intens, w = (np.array(x, float) for x in data)
    if w.sum() <= 0:
        w[0] = 1.0
    masses = np.column_stack([pupils, pupils[:, None] * intens])
    mean = total / pupils.sum()
    amounts, contrib = target_amounts(masses, w, pupils, total, floor_rel * mean, cap_rel * mean)
    assert (amounts >= -1e-6).all() and (contrib >= 0).all()
    assert amounts.sum() == pytest.approx(total, rel=1e-9)
    r = round_to_total(amounts, int(total))
    assert (r >= 0).all() and r.sum() == int(total)
    per = amounts / pupils
    assert (per >= floor_rel * mean * (1 - 1e-9)).all()
    assert (per <= cap_rel * mean * (1 + 1e-9)).all()


@settings(max_examples=150, deadline=None)
@given(units_strategy, st.integers(1, 3))
def test_allocation_monotone_in_a_weight(data, k):
    pupils, intens, w = (np.array(x, float) for x in data)
    if w.sum() <= 0:
        w[0] = 1.0
    masses = np.column_stack([pupils, pupils[:, None] * intens])
    grid = np.linspace(0, 10, 21)
    rows = []
    for g in grid:
        w2 = w.copy()
        w2[k] = g
        if w2.sum() <= 0:
            continue
        rows.append(target_amounts(masses, w2, pupils, 1e6)[0])
    a = np.array(rows)
    d = np.diff(a, axis=0)
    tol = 1e-6
    # each unit moves in one direction only as the weight grows
    assert np.all((d >= -tol).all(axis=0) | (d <= tol).all(axis=0))
    # direction: a unit gains from a heavier weight exactly when its share of that factor
    # exceeds its share of the rest of the formula (the mix it moves away from)
    shares = masses / np.where(masses.sum(axis=0) > 0, masses.sum(axis=0), 1.0)
    shares[:, masses.sum(axis=0) == 0] = (pupils / pupils.sum())[:, None]
    others = np.delete(np.arange(len(w)), k)
    if w[others].sum() > 0:
        mix = shares[:, others] @ w[others] / w[others].sum()
        up = shares[:, k] > mix + 1e-9
        down = shares[:, k] < mix - 1e-9
        assert (d[:, up] >= -tol).all() and (d[:, down] <= tol).all()
        assert (a[-1, up] > a[0, up]).all() and (a[-1, down] < a[0, down]).all()


# --- synthetic country, CLI, real data ---------------------------------------------------------

def test_example_on_synthetic_country(synthetic_atlas):
    d = load_definition(EXAMPLE)
    for level in ("gemeente", "swv-vo"):
        r = allocate(d, synthetic_atlas, level)
        for row in r.jaren.itertuples():
            got = r.verdeling[r.verdeling["jaar"] == row.jaar]["bedrag"]
            assert int(got.sum()) + row.reserve == row.fonds
            assert (got >= 0).all()
        assert (r.effect["herkomst"] == "gemodelleerd").all()


def test_cli_writes_outputs_and_nothing_on_error(atlas3, tmp_path):
    from nabij.cli import app

    adir = tmp_path / "atlas"
    atlas3.save(adir)
    toml = tmp_path / "fonds.toml"
    toml.write_text(BASE_TOML.format(extra=""), encoding="utf-8")
    out = tmp_path / "uit"
    res = CliRunner().invoke(app, ["fonds", "verdeel", "--atlas", str(adir), "--definitie",
                                   str(toml), "--out", str(out), "--regio", "land"])
    assert res.exit_code == 0, res.output
    v = pd.read_csv(out / "fonds_verdeling.csv")
    assert v[v["jaar"] == 2028].set_index("eenheid")["bedrag"]["GM0002"] == 615_349
    assert (v["herkomst"] == "gemodelleerd").all()
    x = pd.ExcelFile(out / "fonds.xlsx")
    assert {"uitleg", "verdeling", "effect", "toelichting", "gevoeligheid"} <= set(x.sheet_names)
    bad = tmp_path / "slecht.toml"
    bad.write_text(BASE_TOML.format(extra="").replace("eenouder", "armoede"), encoding="utf-8")
    out2 = tmp_path / "uit2"
    res = CliRunner().invoke(app, ["fonds", "verdeel", "--atlas", str(adir), "--definitie",
                                   str(bad), "--out", str(out2)])
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError) and "armoede" in str(res.exception)
    assert not out2.exists()


def test_published_tables_suppress_small_counts(tmp_path):
    b = fund_bundle()
    b.tables["stromen"].loc[b.tables["stromen"]["pc4"].isin(["3001", "3002"]),
                            "leerlingen"] = 4.0
    atlas = build_atlas(b)
    r = allocate(definition(), atlas)
    r.write(tmp_path)
    e = pd.read_csv(tmp_path / "fonds_effect.csv", dtype=str).set_index("eenheid")
    assert e.loc["GM0003", "leerlingen"] == "<10"
    assert pd.isna(e.loc["GM0003", "verschil_per_leerling"])
    assert e.loc["GM0002", "leerlingen"] == "600"


@pytest.mark.realdata
def test_real_netherlands(real_atlas):
    d = load_definition(EXAMPLE)
    r = allocate(d, real_atlas, "swv-po")
    assert len(r.effect) == real_atlas.swv["sector"].eq("PO").sum()
    last = r.jaren.iloc[-1]
    assert r.verdeling[r.verdeling["jaar"] == last["jaar"]]["bedrag"].sum() + last[
        "reserve"] == last["fonds"]
    assert Path(EXAMPLE).exists()
