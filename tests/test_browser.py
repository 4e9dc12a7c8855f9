"""The report in a real headless browser (Debian's chromium driven by Playwright), offline.

Needs /usr/bin/chromium, the Python package ``playwright`` and axe-core from npm in
``tests/.cache`` — ``bash tests/setup_browser.sh`` installs all three. Skips with the reason
when one is missing. Leaves a screenshot of the first page in ``tests/artefacts/rapport.png``.
"""

from __future__ import annotations

import json

import pytest
from browser_support import ARTEFACTS, browser_tools, open_offline, run_axe, serious

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_report(tmp_path_factory):
    """The report of the real chain (synthetic country, all built-in scenarios)."""
    exe, sync_api = browser_tools()
    from nabij.atlas import build_atlas
    from nabij.measures import measure_all, write_measures
    from nabij.report import load_measures, write_all
    from nabij.scenarios import build_scenarios
    from nabij.sources.synthetic import synthetic_country

    out = tmp_path_factory.mktemp("browser")
    atlas = build_atlas(synthetic_country(seed=3, scale=0.3))
    ms = measure_all(atlas, build_scenarios(atlas))
    write_measures(ms, out / "maatstaven")
    measures = load_measures(out / "maatstaven")
    html = write_all(atlas, measures, out / "rapport.html", exports=False)["html"]
    return exe, sync_api, html, measures


@pytest.fixture(scope="module")
def page_result(browser_report):
    """Load the page offline; collect requests, console errors, DOM facts and axe results."""
    exe, sync_api, html, measures = browser_report
    with sync_api.sync_playwright() as p:
        page, blocked, errors = open_offline(p, exe, html, java_script_enabled=True,
                                             viewport={"width": 1280, "height": 1600})
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "rapport.png"))
        maps = page.eval_on_selector_all(
            "svg.regiokaart",
            """els => els.map(svg => ({
                id: svg.id,
                paths: svg.querySelectorAll('path.regio').length,
                drawn: Array.from(svg.querySelectorAll('path.regio')).filter(p => {
                    const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length,
                width: svg.getBoundingClientRect().width,
            }))""")
        value_maps = page.eval_on_selector_all(
            "svg.waardekaart", "els => els.map(s => s.querySelectorAll('use').length)")
        columns = page.eval_on_selector_all("#vergelijking thead th[scope=col]",
                                            "els => els.map(e => e.textContent.trim())")
        # keyboard focus on a region shows its details under the map
        first = page.locator("svg.regiokaart path.regio").first
        first.focus()
        info_id = "info-" + maps[0]["id"]
        info = page.locator(f"#{info_id}").text_content()
        label = first.get_attribute("aria-label")
        axe = run_axe(page)
        page.context.browser.close()
    return {"blocked": blocked, "errors": errors, "maps": maps, "value_maps": value_maps,
            "columns": columns, "info": info, "label": label, "axe": axe,
            "measures": measures}


def test_loads_offline_without_requests_or_console_errors(page_result):
    assert page_result["blocked"] == [], "het rapport deed netwerkverzoeken"
    assert page_result["errors"] == []
    assert (ARTEFACTS / "rapport.png").stat().st_size > 10_000


def test_every_map_draws_all_its_regions(page_result):
    measures = page_result["measures"]
    data = json.loads((measures.path / "intern" / "measures.json").read_text(encoding="utf-8"))
    maps = page_result["maps"]
    assert len(maps) == len(data["divisions"])
    for m, div in zip(maps, data["divisions"], strict=True):
        assert m["width"] > 100
        assert m["paths"] == len(div["regions"]) == m["drawn"], (div["name"], m)
    assert page_result["value_maps"] and all(n > 10 for n in page_result["value_maps"])


def test_comparison_table_has_one_column_per_division(page_result):
    names = [d.name for d in page_result["measures"].divisions]
    assert page_result["columns"] == ["Maatstaf"] + names


def test_keyboard_focus_shows_region_details(page_result):
    assert page_result["label"] and page_result["info"] == page_result["label"]
    assert "leerlingen" in page_result["info"]


def test_axe_reports_no_serious_or_critical_violations(page_result):
    bad = serious(page_result["axe"])
    assert bad == [], json.dumps(bad, indent=1, ensure_ascii=False)
