"""Leerlingenvervoer: cost model calibration, hand-computed what-ifs, fund feedback, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_tiny_bundle
from typer.testing import CliRunner

from nabij.atlas import build_atlas
from nabij.errors import InputError
from nabij.fund import allocate as allocate_fund
from nabij.fund import load_definition, parse_definition, savings_source
from nabij.report.fund_section import render_fund_section
from nabij.transport import (
    Closure,
    CostModel,
    CostParams,
    Provision,
    read_provisions,
    transport_costs,
    what_if,
)
from nabij.transport.cost import DEFAULT_RATE


class GridKm:
    """Toy distance for hand computation: 0.01 degree = 1 km, Manhattan."""

    def km(self, lat1, lon1, lat2, lon2):
        return 100.0 * (np.abs(np.asarray(lat1) - np.asarray(lat2))
                        + np.abs(np.asarray(lon1) - np.asarray(lon2)))


# PC4 centroids lie on lat 52.0 at lon 5.00, 5.05, ..., 5.25; SO school 02SO00 at lon 5.15.
# With GridKm: 1001 -> 15 km, 1002 -> 10 km, 2001 -> 5 km, 3002 -> 10 km.
SO_FLOWS = {"1001": 12.0, "1002": 5.0, "2001": 20.0, "3002": 8.0}


def transport_bundle():
    b = make_tiny_bundle()
    sch = b.tables["scholen"]
    sch.loc[sch["vestiging"] == "02SO00", "clusters"] = "4"
    rows = [(p, "02SO00", "SO", n) for p, n in SO_FLOWS.items()]
    rows += [("2002", "02AB00", "BAO", 500.0), ("1001", "02SB00", "SBO", 30.0),
             ("2001", "02SB00", "SBO", 40.0)]
    b.tables["stromen"] = pd.DataFrame(rows, columns=["pc4", "vestiging", "soort",
                                                      "leerlingen"])
    return b


@pytest.fixture(scope="module")
def atlas_t():
    return build_atlas(transport_bundle())


def model(**kw) -> CostModel:
    p = CostParams(distance=GridKm(), **kw)
    return CostModel(p, {"SBO": 1.0, "SO": 1.0, "VSO": 1.0}, fixed_eur=1000.0, per_km_eur=100.0)


def test_cost_model_by_hand(atlas_t):
    r = transport_costs(atlas_t, model=model())
    t = r.trips.set_index(["pc4", "soort"])
    assert t.loc[("1001", "SO"), "km"] == pytest.approx(15.0)
    # SBO at 02SB00 (lon 5.10): 1001 is 10 km away (> 6: transported), 2001 is 0 km (not)
    assert t.loc[("1001", "SBO"), "vervoerd"] == 30.0
    assert t.loc[("2001", "SBO"), "vervoerd"] == 0.0
    # SO: every pupil (limit 0 km); cost = 1000 + 100 km per pupil
    so_cost = 12 * 2500 + 5 * 2000 + 20 * 1500 + 8 * 2000
    assert r.totals["kosten"] == so_cost + 30 * 2000
    assert r.totals["leerlingkm_per_jaar"] == (12 * 15 + 5 * 10 + 20 * 5 + 8 * 10
                                               + 30 * 10) * 2 * 200
    g = r.per_gemeente.set_index("gemeente")
    assert g.loc["GM0003", "vervoerd"] == 8.0
    assert g.loc["GM0001", "kosten"] == 12 * 2500 + 5 * 2000 + 30 * 2000


def test_whatif_provision_next_to_cluster(atlas_t):
    pv = Provision("OZA West", "SO", 52.0, 5.0, 12, frozenset({4}), "OZA")
    w = what_if(atlas_t, [pv], model=model(), level="swv-po")
    # the 12 pupils of 1001 (saving 15 km each) fill the 12 places; new distance 0 km, so
    # they are no longer transported (limit: > 0 km)
    assert w.totals["leerlingen_verplaatst"] == 12.0
    assert w.totals["leerlingkm_bespaard"] == 12 * 15 * 2 * 200  # 72,000 km per year
    assert w.totals["reisuren_bespaard"] == 72_000 / 30
    assert w.totals["besparing"] == 12 * (1000 + 100 * 15)
    g = w.per_gemeente.set_index("gemeente")
    assert list(g.index) == ["GM0001"] and g.loc["GM0001", "besparing"] == 30_000
    reg = w.per_regio.set_index("eenheid")["besparing"]  # 1001 lies in PO 01-01
    assert reg["PO 01-01"] == 30_000 and reg["PO 01-02"] == 0
    v = w.per_voorziening.iloc[0]
    assert v["geplaatst"] == 12.0 and v["afstand_voor_km"] == 15.0 and v["afstand_na_km"] == 0


def test_whatif_greedy_by_saving_then_capacity(atlas_t):
    pv = Provision("OZA West", "SO", 52.0, 5.0, 15, frozenset({4}))
    w = what_if(atlas_t, [pv], model=model())
    # 12 from 1001 (saving 15) then 3 of 5 from 1002 (10 -> 5 km); 2001 would travel further
    assert w.totals["leerlingen_verplaatst"] == 15.0
    assert w.totals["leerlingkm_bespaard"] == (12 * 15 + 3 * 5) * 400
    assert w.totals["besparing"] == 12 * 2500 + 3 * 500


def test_whatif_cluster_mismatch_moves_nobody(atlas_t):
    pv = Provision("Cluster 3", "SO", 52.0, 5.0, 15, frozenset({3}))
    w = what_if(atlas_t, [pv], model=model())
    assert w.totals["leerlingen_verplaatst"] == 0
    assert w.totals["besparing"] == 0


def test_whatif_closure_moves_everyone(atlas_t):
    pv = Provision("SO Oost", "SO", 52.0, 5.2, 50, frozenset({4}))
    w = what_if(atlas_t, [pv], [Closure("02SO00", "SO")], model=model())
    # new distances to lon 5.20: 1001 20, 1002 15, 2001 10, 3002 5
    before = 12 * 15 + 5 * 10 + 20 * 5 + 8 * 10
    after = 12 * 20 + 5 * 15 + 20 * 10 + 8 * 5
    assert w.totals["leerlingen_verplaatst"] == 45.0
    assert w.totals["leerlingkm_bespaard"] == (before - after) * 400
    assert w.totals["besparing"] == -(after - before) * 100
    assert w.totals["boven_capaciteit"] == 0


def test_whatif_closure_over_capacity_is_reported(atlas_t):
    pv = Provision("SO Oost", "SO", 52.0, 5.2, 10, frozenset({4}))
    w = what_if(atlas_t, [pv], [Closure("02SO00", "SO")], model=model())
    assert w.totals["leerlingen_verplaatst"] == 45.0
    assert w.totals["boven_capaciteit"] == pytest.approx(35.0)
    assert (w.verplaatsingen["boven_capaciteit"] == "ja").any()


def test_bad_inputs(atlas_t, tmp_path):
    with pytest.raises(InputError, match="capaciteit"):
        Provision("x", "SO", 52.0, 5.0, 0)
    with pytest.raises(InputError, match="Nederland"):
        Provision("x", "SO", 40.0, 5.0, 5)
    with pytest.raises(InputError, match="vestiging"):
        what_if(atlas_t, [], [Closure("99XX00")], model=model())
    f = tmp_path / "v.csv"
    f.write_text("actie,naam,soort,cluster,capaciteit,lat,lon\n"
                 "open,A,SO,4,12,52.0,5.0\nopen,B,XX,4,12,52.0,5.0\nopen,C,SO,4,veel,52,5\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_provisions(f, atlas_t)
    rows = {(p.row, p.column) for p in err.value.problems}
    assert (3, "soort") in rows and (4, "capaciteit") in rows


def test_read_provisions_csv(atlas_t, tmp_path):
    f = tmp_path / "v.csv"
    f.write_text("actie;naam;soort;cluster;capaciteit;pc4;vestiging\n"
                 "open;OZA;SO;4;12;1001;\nsluit;;;;;;02SB00\n", encoding="utf-8")
    adds, closes = read_provisions(f, atlas_t)
    assert adds[0].lat == 52.0 and adds[0].lon == 5.0 and adds[0].clusters == {4}
    assert closes[0].vestiging == "02SB00"


def test_calibration_matches_the_monitor(synthetic_atlas):
    r = transport_costs(synthetic_atlas)
    assert r.totals["kosten_per_vervoerde"] == 3978
    s = r.per_soort.set_index("soort")
    for t in ("SO", "VSO"):  # limit 0 km: take-up reproduces the national rate exactly
        assert s.loc[t, "vervoerd"] / s.loc[t, "leerlingen"] == pytest.approx(DEFAULT_RATE[t])
    assert (r.per_gemeente["herkomst"] == "gemodelleerd").all()
    assert r.model.fixed_eur == pytest.approx(0.35 * 3978)


def test_savings_feed_the_fund(atlas_t):
    pv = Provision("OZA West", "SO", 52.0, 5.0, 12, frozenset({4}))
    w = what_if(atlas_t, [pv], model=model())
    toml = """
[fonds]
naam = "F"
[[bronnen]]
naam = "Onderwijs"
bedrag = 100_000
[verdeling]
basis = 1
[overgang]
startjaar = 2026
doeljaar = 2028
"""
    d = parse_definition(toml).with_source(savings_source(w, vanaf=2027))
    r = allocate_fund(d, atlas_t)
    assert list(r.jaren["fonds"]) == [100_000, 130_000, 130_000]


def test_cli_and_report(atlas_t, tmp_path):
    from nabij.cli import app

    adir = tmp_path / "atlas"
    atlas_t.save(adir)
    out = tmp_path / "kosten"
    res = CliRunner().invoke(app, ["vervoer", "kosten", "--atlas", str(adir), "--out",
                                   str(out), "--niveau", "swv-po"])
    assert res.exit_code == 0, res.output
    g = pd.read_csv(out / "vervoer_per_gemeente.csv", dtype=str).set_index("gemeente")
    assert g.loc["GM0003", "leerlingen"] == "<10"  # 8 SO pupils: suppressed
    assert (g["herkomst"] == "gemodelleerd").all()
    assert (out / "vervoer_per_regio.csv").exists() and (out / "vervoer.xlsx").exists()
    out2 = tmp_path / "watals"
    res = CliRunner().invoke(app, ["vervoer", "watals", "--atlas", str(adir), "--plaats",
                                   "1001", "--soort", "SO", "--cluster", "4", "--capaciteit",
                                   "12", "--out", str(out2)])
    assert res.exit_code == 0, res.output
    b = pd.read_csv(out2 / "besparing.csv")
    assert list(b["code"]) == ["GM0001"] and b["bedrag"].iloc[0] > 0
    v = pd.read_csv(out2 / "watals_voorzieningen.csv", dtype=str)
    assert v["herkomst"].iloc[0] == "gemodelleerd"
    # the savings file goes straight back into the fund
    toml = tmp_path / "f.toml"
    toml.write_text('[fonds]\nnaam = "F"\n[[bronnen]]\nnaam = "O"\nbedrag = 1000\n'
                    "[verdeling]\nbasis = 1\n[overgang]\nstartjaar = 2026\ndoeljaar = 2027\n",
                    encoding="utf-8")
    out3 = tmp_path / "fonds"
    res = CliRunner().invoke(app, ["fonds", "verdeel", "--atlas", str(adir), "--definitie",
                                   str(toml), "--besparing", str(out2 / "besparing.csv"),
                                   "--out", str(out3)])
    assert res.exit_code == 0, res.output
    j = pd.read_csv(out3 / "fonds_jaren.csv")
    assert j["fonds"].iloc[1] == 1000 + b["bedrag"].iloc[0]
    # report fragment
    fund = allocate_fund(load_definition(toml), atlas_t)
    w = what_if(atlas_t, [Provision("OZA West", "SO", 52.0, 5.0, 12, frozenset({4}))],
                model=model())
    html = render_fund_section(fund, transport_costs(atlas_t, model=model()), whatif_result=w)
    assert html.count("<caption>") >= 5 and 'scope="col"' in html
    assert "gemodelleerd" in html and "&lt;10" in html
    assert "€ 30.000" in html  # the what-if saving, Dutch format


@pytest.mark.realdata
def test_real_netherlands_transport(real_atlas):
    r = transport_costs(real_atlas)
    assert 55_000 < r.totals["vervoerde_leerlingen"] < 75_000
    assert 220e6 < r.totals["kosten"] < 300e6
    so = real_atlas.scholen[real_atlas.scholen["soort"] == "SO"].iloc[0]
    w = what_if(real_atlas, [Provision("OZA", "SO", float(so["lat"]) + 0.1, float(so["lon"]),
                                       12, frozenset({4}))], model=r.model)
    assert w.totals["leerlingen_verplaatst"] <= 12 + 1e-9
    assert w.totals["leerlingkm_bespaard"] >= 0
