"""The monitor report in a real headless browser (chromium + Playwright), offline, with axe-core.

Same setup as tests/test_browser.py (``bash tests/setup_browser.sh``); skips with the reason
when chromium, playwright or axe-core is missing. Leaves a screenshot in
``tests/artefacts/monitor.png``.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from browser_support import ARTEFACTS, browser_tools, open_offline, run_axe, serious

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def monitor_page(tmp_path_factory):
    exe, sync_api = browser_tools()
    from nabij.atlas import build_atlas
    from nabij.divisions import status_quo
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.engine import run_monitor
    from nabij.monitor.inputs import history_for, register_for
    from nabij.monitor.notes import read_notes_frame
    from nabij.monitor.targets import TargetSpec
    from nabij.report.monitor_html import write_monitor
    from nabij.sources.synthetic import synthetic_country

    out = tmp_path_factory.mktemp("monitor")
    atlas = build_atlas(synthetic_country(seed=3, scale=0.3))
    cat = load_catalogue()
    reg, synthetic = register_for(atlas, None, cat)
    notes = read_notes_frame(pd.DataFrame({
        "regio": ["*", "NL"], "indicator": ["deelname_sbo_so", ""],
        "datum": ["2020-03-16", "2014-08-01"],
        "tekst": ["Scholen dicht door corona", "Invoering passend onderwijs"]}), cat)
    targets = [TargetSpec("*", "deelname_sbo_so", 2018, 2023, regel="landelijk_gemiddelde"),
               TargetSpec("*", "zonder_aanbod_3mnd", 2020, 2024, doelwaarde=1.0,
                          traject="trapsgewijs", stappen=2)]
    res = run_monitor(atlas, status_quo(atlas, "PO"), history_for(atlas, None), reg, targets,
                      notes, cat, register_modelled=synthetic)
    html = write_monitor(res, atlas, out / "monitor.html")["html"]
    return _inspect(exe, sync_api, html, "monitor.png") | {"result": res}


def _inspect(exe, sync_api, html, shot: str) -> dict:
    """Load the page offline; collect requests, console errors, DOM facts and axe results."""
    with sync_api.sync_playwright() as p:
        page, blocked, errors = open_offline(p, exe, html,
                                             viewport={"width": 1280, "height": 1600})
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".regio").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTEFACTS / shot))
        facts = page.evaluate("""() => ({
            regions: document.querySelectorAll('section.regio').length,
            charts: document.querySelectorAll('section.regio figure.klein-veelvoud').length,
            tables: document.querySelectorAll('section.regio figure.klein-veelvoud table').length,
            maps: document.querySelectorAll('#landelijk svg.waardekaart').length,
            lines: document.querySelectorAll('svg.grafiek polyline').length,
            tzGroups: Array.from(document.querySelectorAll('.groep-tz')).map(g =>
                Array.from(g.querySelectorAll('h4')).map(h => h.textContent.trim())),
        })""")
        axe = run_axe(page)
        page.context.browser.close()
    return {"blocked": blocked, "errors": errors, "facts": facts, "axe": axe}


@pytest.fixture(scope="module")
def real_monitor_page(tmp_path_factory, real_atlas, real_data_dir):
    """The monitor of the real Netherlands: CBS series, status-quo PO regions, a
    Stromenland-style target for every region, the example notes."""
    exe, sync_api = browser_tools()
    from nabij.cli.monitor import EXAMPLES
    from nabij.divisions import status_quo
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.engine import run_monitor
    from nabij.monitor.inputs import history_for
    from nabij.monitor.notes import read_notes
    from nabij.monitor.targets import TargetSpec
    from nabij.report.monitor_html import write_monitor

    cat = load_catalogue()
    res = run_monitor(real_atlas, status_quo(real_atlas, "PO"),
                      history_for(real_atlas, real_data_dir), None,
                      [TargetSpec("*", "deelname_sbo_so", 2021, 2026,
                                  regel="landelijk_gemiddelde")],
                      read_notes(EXAMPLES / "notities.csv", cat), cat)
    html = write_monitor(res, real_atlas, tmp_path_factory.mktemp("nl") / "monitor.html",
                         exports=False)["html"]
    return _inspect(exe, sync_api, html, "monitor-nl.png") | {"result": res}


def test_monitor_loads_offline_without_errors(monitor_page):
    assert monitor_page["blocked"] == [] and monitor_page["errors"] == []
    assert (ARTEFACTS / "monitor.png").stat().st_size > 10_000


def test_every_region_has_small_multiples_with_a_table_each(monitor_page):
    f, res = monitor_page["facts"], monitor_page["result"]
    assert f["regions"] == len(res.regions)
    assert f["charts"] == len(res.regions) * len(res.indicators) == f["tables"]
    assert f["maps"] == len(res.indicators) and f["lines"] > f["regions"]


def test_thuiszitters_always_beside_vrijstellingen(monitor_page):
    for group in monitor_page["facts"]["tzGroups"]:
        names = " ".join(group)
        assert "Vrijstellingen 5a" in names and "Vrijstellingen 5b" in names
        assert "Vrijstellingen 5c" in names and "Absoluut verzuim" in names


def test_axe_reports_no_serious_or_critical_violations(monitor_page):
    bad = serious(monitor_page["axe"])
    assert bad == [], json.dumps(bad, indent=1, ensure_ascii=False)


@pytest.mark.realdata
def test_real_netherlands_monitor_passes_axe_offline(real_monitor_page):
    page, res = real_monitor_page, real_monitor_page["result"]
    assert page["blocked"] == [] and page["errors"] == []
    assert len(res.targets) == len(res.regions) == page["facts"]["regions"]
    assert page["facts"]["charts"] == page["facts"]["tables"] == \
        len(res.regions) * len(res.indicators)
    bad = serious(page["axe"])
    assert bad == [], json.dumps(bad, indent=1, ensure_ascii=False)
