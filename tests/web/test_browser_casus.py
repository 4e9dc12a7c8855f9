"""The loket in a real headless browser (Debian's chromium + Playwright) against a live server.

A loket employee registers a thuiszitter; the test clock passes three months and the case shows
the escalation; a 5a advice is refused with one assessor and with two from one organisation,
accepted with two independent ones; a doorbraak spend lowers the balance. axe-core checks every
page visited; no request leaves the machine. Needs ``bash tests/setup_browser.sh`` (skips with
the reason otherwise). Leaves a screenshot in ``tests/artefacts/loket.png``.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from browser_support import ARTEFACTS, block_requests, browser_tools, launch, run_axe, serious

from nabij.casework.periods import add_months
from nabij.casework.pseudonym import env_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = date(2025, 1, 6)


@pytest.fixture
def browser_page(live_server):
    exe, sync_api = browser_tools()
    with sync_api.sync_playwright() as p:
        browser = launch(p, exe)
        context = browser.new_context(viewport={"width": 1280, "height": 1400},
                                      bypass_csp=True)  # to inject axe-core only
        blocked = block_requests(context, lambda url: url.startswith(live_server.url))
        page = context.new_page()
        yield page, live_server.url, blocked
        browser.close()


class Visit:
    """Drives the pages and runs axe-core on each one it lands on."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base, self.violations = page, base, {}

    def check(self) -> str:
        bad = serious(run_axe(self.page))
        if bad:
            self.violations[self.page.url] = bad
        return self.page.content()

    def go(self, path: str) -> str:
        self.page.goto(self.base + path)
        return self.check()

    def submit(self, label: str = "") -> str:
        button = self.page.locator("main button[type=submit]")
        (button.filter(has_text=label) if label else button).first.click()
        self.page.wait_for_load_state()
        return self.check()

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.go("/inloggen/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "x" * 16)
        self.submit()


def test_loket_in_the_browser(world, browser_page, settings, monkeypatch):
    page, base, blocked = browser_page
    region = world.regions["A"].region
    monkeypatch.setenv(env_name(region.code), "s" * 64)
    settings.NABIJ_CASUS_TODAY = START
    v = Visit(page, base)
    v.login("test-loket")

    # a loket employee registers a thuiszitter
    v.go(f"/casus/regio/{region.pk}/nieuw/")
    page.select_option("#id_kind", "thuiszitter")
    page.fill("#id_number", "4711")
    page.fill("#id_school", "01AA00")
    page.fill("#id_birth_year", "2012")
    page.select_option("#id_verzuim", "absoluut")
    page.fill("#id_out_of_school_since", START.isoformat())
    html = v.submit("Zaak registreren")
    assert "is geregistreerd" in html and "Escalatie" not in html
    case_url = re.sub(r"^https?://[^/]+", "", page.url)

    # the test clock passes three months: the case shows the escalation
    settings.NABIJ_CASUS_TODAY = add_months(START, 3)
    html = v.go(case_url)
    assert "Escalatie: drie maanden zonder aanbod" in html
    assert "langer dan drie maanden" in v.go(f"/casus/regio/{region.pk}/")
    page.screenshot(path=str(ARTEFACTS / "loket.png"), full_page=True)

    # 5a: refused with one assessor, and with two from one organisation; accepted with two
    settings.NABIJ_CASUS_TODAY = START
    v.go(f"/casus/regio/{region.pk}/nieuw/")
    page.select_option("#id_kind", "vrijstelling_5a")
    page.fill("#id_number", "4712")
    page.fill("#id_school", "01AA00")
    page.fill("#id_birth_year", "2011")
    v.submit("Zaak registreren")
    case_5a = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    page.select_option("#id_status", "in_behandeling")
    v.submit("Status wijzigen")

    def advice(person: str, org: str, role: str) -> None:
        v.go(case_5a + "advies/")
        page.fill("#id_person", person)
        page.fill("#id_organisation", org)
        page.select_option("#id_role", role)
        page.check("#id_grant_1")
        page.fill("#id_reasons", f"eigen oordeel van {person}")
        page.fill("#id_tried", "aangepast rooster")
        page.fill("#id_possible_education", "deeltijd in een OZA-groep")
        assert "Het advies is vastgelegd" in v.submit("Advies vastleggen")

    def decide() -> str:
        v.go(case_5a + "besluit/")
        page.check("#id_granted_1")
        page.fill("#id_reasons", "zwaarwegend")
        page.fill("#id_reassess_on", add_months(START, 6).isoformat())
        return v.submit("Besluit vastleggen")

    advice("dr. Arts", "GGD", "jeugdarts")
    assert "twee onafhankelijke adviezen" in decide()
    advice("B. Team", "GGD", "onderwijs_zorgteam")
    assert "dezelfde organisatie" in decide()
    advice("C. Leerplicht", "Gemeente Westdorp", "leerplichtambtenaar")
    html = decide()
    assert "Het besluit is vastgelegd" in html and "Vrijstelling verleend" in html

    # a doorbraak spend lowers the balance
    v.login("test-regiocoordinator")
    v.go(f"/casus/regio/{region.pk}/doorbraakbudget/")
    page.fill("#id_year", str(START.year))
    page.select_option("#id_source", "jeugdhulp")
    page.fill("#id_amount", "20.000,00")
    v.submit("Budget boeken")
    cell = f'[data-beschikbaar="{START.year}-jeugdhulp"]'
    assert page.locator(cell).text_content() == "€ 20.000,00"
    v.login("test-loket")
    v.go(case_url.split("?")[0] + "doorbraak/")
    page.select_option("#id_source", "jeugdhulp")
    page.fill("#id_amount", "3.250,00")
    page.fill("#id_note", "taxi en begeleiding naar een OZA-plek")
    v.submit("Boeken")
    v.go(f"/casus/regio/{region.pk}/doorbraakbudget/")
    assert page.locator(cell).text_content() == "€ 16.750,00"

    assert blocked == [], "de werkruimte deed verzoeken buiten de server"
    assert v.violations == {}, v.violations
