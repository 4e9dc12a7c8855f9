"""Monitor series: catalogue, aggregation weights, CBS history on the real Netherlands."""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from nabij.atlas import build_atlas
from nabij.divisions import Division
from nabij.errors import InputError
from nabij.monitor.catalogue import load_catalogue, parse_catalogue
from nabij.monitor.series import aggregate, national, unit_weights


@pytest.fixture(scope="module")
def tiny_atlas():
    from tests.conftest import make_tiny_bundle

    return build_atlas(make_tiny_bundle())


def test_builtin_catalogue_has_every_field_and_companions():
    cat = load_catalogue()
    for i in cat:
        assert i.naam and i.definitie and i.eenheid and i.bron and i.peildatum
        assert i.richting in ("lager", "hoger", "geen")
    for t in ("absoluut_verzuim", "langdurig_relatief_verzuim", "zonder_aanbod_3mnd"):
        assert cat.with_companions([t]) == [t, "vrijstelling_5a", "vrijstelling_5b",
                                            "vrijstelling_5c"]
    assert cat.with_companions(["deelname_sbo"]) == ["deelname_sbo"]


def test_catalogue_errors_name_the_field():
    bad = '[[indicator]]\nid = "x"\nnaam = "X"\n'
    with pytest.raises(InputError) as e:
        parse_catalogue(bad, "eigen.toml")
    assert "eigen.toml" in str(e.value) and "definitie" in str(e.value)


def test_user_catalogue_extends_and_overrides(tmp_path):
    text = ('[[indicator]]\nid = "deelname_sbo"\nnaam = "Eigen SBO"\ndefinitie = "d"\n'
            'eenheid = "%"\nrichting = "lager"\nbron = "b"\nniveau = "gemeente"\n'
            'peildatum = "1 oktober"\nperiode = "schooljaar"\nsector = "PO"\n'
            'berekening = "deelname"\nteller = ["SBO"]\nnoemer = ["BAO"]\nschaal = 100\n')
    p = tmp_path / "eigen.toml"
    p.write_text(text, encoding="utf-8")
    cat = load_catalogue(p)
    assert cat["deelname_sbo"].naam == "Eigen SBO" and "deelname_vso" in cat


def _obs(rows):
    return pd.DataFrame(rows, columns=["code", "niveau", "indicator", "schooljaar", "halfjaar",
                                       "teller", "noemer", "status"])


def test_aggregation_weights_by_pupils_not_mean_of_percentages(tiny_atlas):
    """Two gemeenten in one region: 10 of 100 (10 %) and 30 of 1000 (3 %) -> pooled 3.6 %."""
    cat = load_catalogue()
    # region A = GM0001 + GM0002 (PC4 1001-2002), region B = GM0003
    a = pd.Series({"1001": "A", "1002": "A", "2001": "A", "2002": "A", "3001": "B",
                   "3002": "B"})
    div = Division("twee", "PO", a)
    obs = _obs([("GM0001", "gemeente", "deelname_sbo", 2020, 0, 10.0, 100.0, "definitief"),
                ("GM0002", "gemeente", "deelname_sbo", 2020, 0, 30.0, 1000.0, "voorlopig"),
                ("GM0003", "gemeente", "deelname_sbo", 2020, 0, 5.0, 50.0, "definitief")])
    s = aggregate(obs, tiny_atlas, div, cat).set_index("regio")
    # pooled: 40 / 1100 = 3.636 %, not the mean of 10 % and 3 % (6.5 %)
    assert s.loc["A", "waarde"] == pytest.approx(100 * 40 / 1100)
    assert s.loc["A", "status"] == "voorlopig" and s.loc["B", "status"] == "definitief"
    n = national(obs, cat).iloc[0]
    assert n["waarde"] == pytest.approx(100 * 45 / 1150) and n["regio"] == "NL"


def test_split_gemeente_is_shared_by_children(tiny_atlas):
    """GM0002 split: PC4 2001 (2000 PO children) in A, 2002 (2000) in B -> half each."""
    cat = load_catalogue()
    a = pd.Series({"1001": "A", "1002": "A", "2001": "A", "2002": "B", "3001": "B",
                   "3002": "B"})
    div = Division("split", "PO", a)
    w = unit_weights(tiny_atlas, div, "gemeente", "PO").set_index(["code", "regio"])["w"]
    assert w[("GM0002", "A")] == pytest.approx(0.5) and w[("GM0001", "A")] == 1.0
    obs = _obs([("GM0002", "gemeente", "deelname_so", 2021, 1, 20.0, 400.0, "definitief"),
                ("GM0003", "gemeente", "deelname_so", 2021, 1, 10.0, 100.0, "definitief")])
    s = aggregate(obs, tiny_atlas, div, cat).set_index("regio")
    assert s.loc["A", "teller"] == pytest.approx(10) and s.loc["A", "noemer"] == 200
    assert s.loc["B", "waarde"] == pytest.approx(100 * 20 / 300)
    assert s["halfjaar"].eq(1).all()


def _cbs_totals(path):
    """National pupils per period and onderwijssoort straight from the CBS file."""
    tot = defaultdict(float)
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            v = row["Leerlingen/studenten (aantal)"].strip()
            if v:
                tot[(row["Perioden"][:4], row["Onderwijssoort"].strip())] += float(v)
    return tot


@pytest.mark.realdata
def test_real_national_participation_equals_cbs_totals(real_atlas, real_data_dir):
    from nabij.monitor import observations, read_cbs_history

    cat = load_catalogue()
    hist = read_cbs_history(real_data_dir, real_atlas.gemeenten)
    obs = observations.deelname(hist, cat)
    nat = national(obs, cat).set_index(["indicator", "schooljaar"])["waarde"]
    tot = _cbs_totals(real_data_dir / "cbs_speciaal_onderwijs_gemeente/speciaal_onderwijs.csv")
    years = sorted({int(y) for y, _ in tot})
    assert years == list(range(2013, 2024))
    for y in years:
        bao, sbo, so = (tot[(str(y), k)] for k in ("Basisonderwijs", "Speciaal basisonderwijs",
                                                   "Speciaal onderwijs"))
        vso, vo = tot[(str(y), "Voortgezet speciaal ondewijs")], \
            tot[(str(y), "Totaal voortgezet onderwijs")]
        assert abs(nat[("deelname_sbo_so", y)] - 100 * (sbo + so) / (bao + sbo + so)) < 0.05
        assert abs(nat[("deelname_vso", y)] - 100 * vso / (vo + vso)) < 0.05
    assert not (nat.index.get_level_values(0) == "deelname_pro").any()  # no PrO in CBS


@pytest.mark.realdata
def test_real_every_gemeente_has_a_complete_series(real_atlas, real_data_dir):
    from nabij.monitor import observations, read_cbs_history
    from nabij.monitor.series import gemeente_division

    cat = load_catalogue()
    hist = read_cbs_history(real_data_dir, real_atlas.gemeenten)
    obs = observations.deelname(hist, cat)
    s = aggregate(obs, real_atlas, gemeente_division(real_atlas), cat)
    gem = set(real_atlas.gemeenten["gemeente"])
    assert len(gem) == 342
    for ind in ("deelname_sbo_so", "deelname_sbo", "deelname_so", "deelname_vso"):
        part = s[s["indicator"] == ind]
        per = part.groupby("regio")["waarde"].apply(lambda v: int(np.isfinite(v).sum()))
        assert set(per.index) == gem and (per == 11).all(), ind
    # the provisional last year is labelled so
    last = s[s["schooljaar"] == 2023]["status"]
    assert (last == "voorlopig").all()
