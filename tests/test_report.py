"""The HTML report: structure, self-containedness, one column per division, maps, privacy."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nabij.atlas import build_atlas
from nabij.atlas.distance import haversine_km
from nabij.defaults import DETOUR_FACTOR
from nabij.report.content import findings, provision_label
from nabij.report.fmt import format_value
from nabij.report.html import render_report, write_report
from nabij.report.maps import Geography, MapKit, colour_regions
from nabij.report.measures_folder import load_measures

TINY_REGION_PUPILS = 7  # below the threshold: must never be shown
SMALL_FLOW = 3


# --------------------------------------------------------------------------- fake measures
def _nearest(pc4: pd.DataFrame, sites: pd.DataFrame, region_of_pc4=None, region_of_site=None):
    out = np.full(len(pc4), np.nan)
    if sites.empty:
        return out
    d = DETOUR_FACTOR * haversine_km(
        pc4["lat"].to_numpy()[:, None], pc4["lon"].to_numpy()[:, None],
        sites["lat"].to_numpy()[None, :], sites["lon"].to_numpy()[None, :])
    if region_of_pc4 is not None:
        same = region_of_pc4[:, None] == region_of_site[None, :]
        d = np.where(same, d, np.inf)
    best = d.min(axis=1)
    out[np.isfinite(best)] = best[np.isfinite(best)]
    return out


def write_fake_measures(atlas, out: Path) -> Path:
    """A measures folder as the scenario engine writes it (contract in coord/CONTEXT.md).

    Three PO divisions: the status quo, the jeugdregio's, and a 'losse postcode' variant of
    the status quo in which one PC4 is a region of its own with 7 pupils (to test privacy).
    """
    pc4 = atlas.pc4.copy()
    pc4["pc4"] = pc4["pc4"].astype(str)
    gm_jz = atlas.gemeenten.set_index("gemeente")["jeugdregio"]
    sq = atlas.indeling.set_index("pc4")["swv_po"].astype(str)
    jz = pc4.set_index("pc4")["gemeente"].map(gm_jz).astype(str)
    lone = sq.copy()
    lone.iloc[0] = "LOS 01"
    divisions = [("Status quo PO", "status-quo-po", sq, {"builder": "status_quo"}),
                 ("S2 jeugdregio PO", "s2-jeugdregio-po", jz, {"builder": "jeugdregio"}),
                 ("Losse postcode", "losse-postcode", lone, {"builder": "custom"})]
    sites = atlas.scholen
    sbo = sites[sites["soort"] == "SBO"]
    so4 = sites[(sites["soort"] == "SO") & sites["clusters"].fillna("").str.contains("4")]
    defs = {
        "regios": {"label": "Aantal regio's", "definitie": "Aantal regio's.", "eenheid": "aantal",
                   "beter": None, "gemodelleerd": False},
        "leerlingen_min": {"label": "Kleinste regio", "definitie": "Leerlingen in de kleinste "
                           "regio.", "eenheid": "leerlingen", "beter": "hoger",
                           "gemodelleerd": False},
        "grensverkeer": {"label": "Grensverkeer", "definitie": "Aandeel leerlingen op school "
                         "buiten de eigen regio.", "eenheid": "aandeel", "beter": "lager",
                         "gemodelleerd": True},
        "afstand_eigen_SO4_gem": {"label": "Gemiddelde afstand tot het dichtstbijzijnde SO "
                                  "cluster 4 (eigen regio)", "definitie": "Kindgewogen.",
                                  "eenheid": "km", "beter": "lager", "gemodelleerd": False},
        "leerlingen": {"label": "Leerlingen", "definitie": "Leerlingen woonachtig in de regio.",
                       "eenheid": "leerlingen", "beter": None, "gemodelleerd": False,
                       "niveau": "regio"},
        "gemeenten": {"label": "Gemeenten", "definitie": "Aantal gemeenten.", "eenheid": "aantal",
                      "beter": None, "gemodelleerd": False, "niveau": "regio"},
    }
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("indelingen", "thuisnabijheid", "grensverkeer"):
        (out / sub).mkdir(exist_ok=True)
    site_reg_pc4 = sites["pc4"].astype(str)
    result = []
    for name, slug, asg, recipe in divisions:
        reg = pc4["pc4"].map(asg)
        kids = pc4["kinderen_po"].astype(float)
        pupils = kids.groupby(reg).sum().round()
        if "LOS 01" in pupils.index:
            pupils["LOS 01"] = TINY_REGION_PUPILS
        ngm = pc4.groupby(reg)["gemeente"].nunique()
        regions = [{"regio": r, "naam": f"Regio {r}", "leerlingen": float(pupils[r]),
                    "gemeenten": int(ngm[r])} for r in sorted(pupils.index)]
        pd.DataFrame({"pc4": pc4["pc4"], "regio": reg, "regio_naam": "Regio " + reg}).to_csv(
            out / "indelingen" / f"{slug}.csv", index=False)
        th = pd.DataFrame({"pc4": pc4["pc4"], "kinderen": kids})
        for t, s in (("SBO", sbo), ("SO4", so4)):
            s_reg = site_reg_pc4[s.index].map(asg).to_numpy()
            th[f"afstand_{t}"] = _nearest(pc4, s)
            th[f"afstand_eigen_{t}"] = _nearest(pc4, s, reg.to_numpy(), s_reg)
        th.to_csv(out / "thuisnabijheid" / f"{slug}.csv", index=False)
        codes = sorted(pupils.index)
        flows = [(a, a, 500.0) for a in codes]
        flows += [(codes[i], codes[i + 1], 40.0 + i) for i in range(len(codes) - 1)]
        flows.append((codes[-1], codes[0], float(SMALL_FLOW)))
        pd.DataFrame(flows, columns=["van", "naar", "leerlingen"]).to_csv(
            out / "grensverkeer" / f"{slug}.csv", index=False)
        w = th["kinderen"]
        mean_so4 = float(np.average(th["afstand_eigen_SO4"].fillna(99), weights=w))
        result.append({"name": name, "slug": slug, "sector": "PO", "recipe": recipe,
                       "summary": {"regios": len(codes), "leerlingen_min": float(pupils.min()),
                                   "grensverkeer": 0.05 + 0.01 * len(result),
                                   "afstand_eigen_SO4_gem": mean_so4},
                       "regions": regions})
    data = {"format": "nabij-measures", "version": 1,
            "atlas": {"name": atlas.meta.name, "reference_year": atlas.meta.reference_year,
                      "provenance": atlas.meta.to_dict()["provenance"]},
            "drempel": 10, "definities": defs, "divisions": result}
    (out / "measures.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def small_atlas():
    from nabij.sources.synthetic import synthetic_country

    return build_atlas(synthetic_country(seed=1, scale=0.2))


@pytest.fixture(scope="module")
def report(small_atlas, tmp_path_factory):
    out = tmp_path_factory.mktemp("rapport")
    mdir = write_fake_measures(small_atlas, out / "maatstaven")
    measures = load_measures(mdir)
    path = write_report(small_atlas, measures, out / "rapport.html")
    return path, path.read_text(encoding="utf-8"), measures


class _Collect(HTMLParser):
    """Collects tags with attributes and the visible text (outside script/style/title attrs)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


# --------------------------------------------------------------------------- tests
def test_report_is_dutch_and_self_contained(report):
    _, html, _ = report
    assert re.search(r'<html lang="nl">', html)
    p = _parse(html)
    for tag, attrs in p.tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            v = attrs.get(key) or ""
            assert not re.match(r"\s*(https?:)?//", v), f"externe verwijzing in <{tag} {key}={v}>"
    assert not any(t == "link" for t, _ in p.tags), "geen <link>: CSS staat inline"
    assert not any(t == "script" and a.get("src") for t, a in p.tags)
    assert "@import" not in html and "url(http" not in html
    assert "Samenvatting" in html and "Methode, definities en bronnen" in html


def test_comparison_table_has_one_column_per_division(report):
    _, html, measures = report
    table = re.search(r'<table id="vergelijking".*?</table>', html, re.S).group(0)
    head = re.search(r"<thead>.*?</thead>", table, re.S).group(0)
    cols = re.findall(r'<th scope="col">(.*?)</th>', head, re.S)
    assert cols[1:] == [d.name for d in measures.divisions]
    for row in re.findall(r"<tr>.*?</tr>", re.search(r"<tbody>.*?</tbody>", table, re.S)
                          .group(0), re.S):
        assert len(re.findall(r"<td", row)) == len(measures.divisions)


def test_best_value_per_row_is_highlighted(report):
    _, html, measures = report
    table = re.search(r'<table id="vergelijking".*?</table>', html, re.S).group(0)
    row = re.search(r"<tr>\s*<th scope=\"row\">Grensverkeer.*?</tr>", table, re.S).group(0)
    cells = re.findall(r"<td class=\"([^\"]*)\">", row)
    # lower is better; the fake gives the first division the lowest share
    assert "beste" in cells[0] and all("beste" not in c for c in cells[1:])
    assert "gemodelleerd" in row


def test_every_map_draws_its_regions(report):
    _, html, measures = report
    maps = re.findall(r'<svg id="(kaart-[^"]+)" class="kaart regiokaart".*?</svg>', html, re.S)
    assert len(maps) == len(measures.divisions)
    for div, body in zip(measures.divisions, re.findall(
            r'<svg id="kaart-[^"]+" class="kaart regiokaart".*?</svg>', html, re.S), strict=True):
        paths = re.findall(r'<path class="regio" d="M[^"]+"[^>]*tabindex="0"', body)
        assert len(paths) == len(div.regions) == div.n_regions
        assert body.count("<title>") == len(paths)
    # thuisnabijheid maps: every gemeente drawn via <use>, with a legend on the page
    value_maps = re.findall(r'<svg id="[^"]+" class="kaart waardekaart".*?</svg>', html, re.S)
    assert len(value_maps) == 2 + 2 * len(measures.divisions)  # overall + per division, 2 types
    assert all(m.count("<use ") >= 60 for m in value_maps)
    assert "geen voorziening in eigen regio" in html


def test_no_visible_count_below_threshold(report):
    _, html, measures = report
    p = _parse(html)
    text = " ".join(p.text)
    # the lone region with 7 pupils and the flow of 3 pupils appear only as "<10"
    assert "&lt;10" in html and "<10" in text
    lone_rows = re.findall(r"<tr>(?:(?!</tr>).)*<td[^>]*>LOS 01</td>(?:(?!</tr>).)*</tr>",
                           html, re.S)
    assert lone_rows, "de losse regio staat in de regiotabel"
    for row in lone_rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert str(TINY_REGION_PUPILS) not in cells, row
        assert "&lt;10" in row
    for label in re.findall(r'aria-label="([^"]*LOS 01[^"]*)"', html):
        assert f"{TINY_REGION_PUPILS} leerlingen" not in label and "&lt;10 leerlingen" in label
    flow_tables = re.findall(r'<table id="grens-[^"]*-tabel".*?</table>', html, re.S)
    assert len(flow_tables) == len(measures.divisions)
    for t in flow_tables:
        counts = re.findall(r'<td class="getal[^"]*">([^<]*)</td>', t)
        assert counts and str(SMALL_FLOW) not in counts
        assert all(c == "&lt;10" or int(c.replace(".", "")) >= 10 for c in counts)
    # no map title, table cell or sentence shows 1..9 pupils
    assert not re.search(r"(?<![\d.,])[1-9] leerlingen", text)


def test_findings_are_dutch_sentences_from_the_numbers(report):
    _, _, measures = report
    sentences = findings(measures, 10)
    assert sentences[0].startswith("Vergeleken zijn 3 regio-indelingen")
    assert len(sentences) == 1 + len(measures.divisions)
    # headlines never use a mean that leaves out children without an own provision
    assert "gemiddelde afstand" not in " ".join(sentences)
    ref = measures.divisions[0].summary
    for div in measures.divisions[1:]:
        x = next(t for t in sentences if t.startswith(f"In {div.name} ")
                 or t.startswith(div.name))
        if "het grensverkeer (leerlingen" in x:
            a, b = ref["grensverkeer"], div.summary["grensverkeer"]
            verb = "stijgt" if b > a else "daalt"
            assert (f"{verb} het grensverkeer (leerlingen op school buiten de eigen regio) van "
                    f"{format_value(a, 'aandeel')} naar {format_value(b, 'aandeel')}") in x, x


def test_methodology_lists_every_definition_and_suppression_rule(report):
    _, html, measures = report
    section = re.search(r'<section id="methode".*?</section>', html, re.S).group(0)
    for d in measures.definities.values():
        assert d["label"].replace("'", "&#39;") in section
    assert "&lt;10" in section
    assert "gemodelleerd" in section


def test_threshold_is_configurable(small_atlas, tmp_path):
    measures = load_measures(write_fake_measures(small_atlas, tmp_path / "m"))
    html = render_report(small_atlas, measures, threshold=50)
    assert "&lt;50" in html
    assert re.search(r'aria-label="[^"]*LOS 01[^"]*&lt;50 leerlingen', html)


def test_maps_without_polygons_use_pc4_cells(tiny_bundle):
    atlas = build_atlas(tiny_bundle)
    assert atlas.geometry is None
    geo = Geography.from_atlas(atlas)
    assert set(geo.gemeenten) == set(atlas.gemeenten["gemeente"])
    kit = MapKit.build(geo)
    assignment = atlas.indeling.set_index("pc4")["swv_po"]
    shapes = kit.region_shapes(assignment)
    assert set(shapes) == {"PO 01-01", "PO 01-02"}
    # the split gemeente GM0002 is divided between both regions; together they tile the land
    total = sum(s.area for s in shapes.values())
    land = sum(g.area for g in geo.gemeenten.values())
    assert total == pytest.approx(land, rel=0.02)


def test_neighbouring_regions_get_different_colours():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
    colours = colour_regions(["a", "b", "c", "d"], edges)
    for x, y in edges:
        assert colours[x] != colours[y]


def test_provision_labels():
    assert provision_label("SO4") == "SO cluster 4"
    assert provision_label("vso_cluster_3") == "VSO cluster 3"
    assert provision_label("PRO") == "PrO"
    assert provision_label("SBO") == "SBO"


def test_demo_builds_everything_without_files(tmp_path):
    """`nabij demo` end to end on a small synthetic country: atlas, measures, report, exports."""
    from typer.testing import CliRunner

    from nabij.cli import app

    out = tmp_path / "nabij-demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--schaal", "0.2",
                                      "--seed", "5"])
    assert result.exit_code == 0, result.output
    for name in ("rapport.html", "rapport.xlsx", "indelingen.geojson",
                 "maatstaven/intern/measures.json", "atlas/manifest.json"):
        assert (out / name).exists(), name
    assert result.output.strip().splitlines()[-1].endswith("rapport.html")
    html = (out / "rapport.html").read_text(encoding="utf-8")
    measures = load_measures(out / "maatstaven")
    assert len(measures.divisions) >= 5
    assert html.count('class="kaart regiokaart"') == len(measures.divisions)
    assert 'id="fonds"' in html  # inclusiefonds and leerlingenvervoer are part of the demo


def test_report_names_the_size_threshold_actually_used(small_atlas, tmp_path):
    """--fusie-drempel 8000: every sentence naming the size threshold says 8.000, none 10.000."""
    from nabij.measures import measure_all, write_measures
    from nabij.measures.definitions import Params
    from nabij.scenarios import ScenarioOptions, build_scenarios

    options = ScenarioOptions(fusie_threshold=8000)
    divisions = build_scenarios(small_atlas, ["status-quo", "fusie"], options)
    ms = measure_all(small_atlas, divisions, params=Params(small_region=8000))
    write_measures(ms, tmp_path / "m")
    measures = load_measures(tmp_path / "m")
    html = render_report(small_atlas, measures)
    text = " ".join(_parse(html).text)
    big = r"(\d{1,3}(?:\.\d{3})+)"  # thousands: not the privacy threshold "<10"
    named = re.findall(r"(?:minder dan|onder(?: de ondergrens van)?) " + big + " leerlingen", text)
    named += re.findall(r"met minder dan " + big + r"(?! leerlingen)", text)
    assert len(named) >= 3, named
    assert set(named) == {"8.000"}, named
    assert "10.000" not in text
    assert measures.parameters["kleine_regio"] == 8000


def test_s2_findings_have_no_region_above_the_maximum(small_atlas, tmp_path):
    """Issue 10: S2 splits jeugdregio's above the maximum; the plain variant does not."""
    from nabij.measures import measure_all
    from nabij.measures.output import write_measures
    from nabij.scenarios import build_scenario

    divs = build_scenario(small_atlas, "s2") + build_scenario(small_atlas, "s2-ongedeeld")
    ms = load_measures(write_measures(measure_all(small_atlas, divs), tmp_path / "m"))
    sentences = findings(ms, 10)
    for div in ms.divisions:
        line = next(t for t in sentences if t.startswith(div.name + " ")
                    or t.startswith(f"In {div.name} "))
        if "ongedeeld" in div.name:
            assert div.summary["regios_groot"] > 0 and "boven het maximum" in line
        else:
            assert div.summary["regios_groot"] == 0 and "boven het maximum" not in line, line
            assert div.summary["niet_aaneengesloten"] == 0
            assert div.recipe["gesplitst"]  # the synthetic country has jeugdregio's to split
    # the report lists which jeugdregio's were split and why
    html = write_report(small_atlas, ms, tmp_path / "rapport.html").read_text(encoding="utf-8")
    split = divs[0].recipe["gesplitst"][0]
    assert "Gesplitste jeugdregio&#x27;s" in html or "Gesplitste jeugdregio's" in html
    assert split["naam"] in html and "boven het maximum van" in html
