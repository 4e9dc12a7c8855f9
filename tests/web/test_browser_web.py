"""The workspace in a real headless browser: a coordinator logs in (keyboard only), plans a
meeting, adds an agenda item and an agreement linked to a monitor indicator with a target,
makes it overdue, sees the warning, escalates it; axe-core reports no violations on any page.

Runs the real server (``nabij web``, gunicorn) on a demo database in a temporary folder, with
Debian's chromium driven by Playwright, offline (every request off 127.0.0.1 is blocked and
fails the test). Needs ``bash tests/setup_browser.sh``; skips with the reason otherwise.
Screenshots land in ``tests/artefacts/web-*.png``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from datetime import date, timedelta

import pytest
from browser_support import (
    ARTEFACTS,
    AXE,
    ROOT,
    block_requests,
    browser_tools,
    collect_errors,
    launch,
    run_axe,
)

from nabij.web.serve import wait_until_ready

pytestmark = pytest.mark.browser

AXE_SOURCE = AXE.read_text(encoding="utf-8") if AXE.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A demo database and `nabij web` serving it; yields the browser tools, the base url and
    the demo passwords (user name -> password)."""
    exe, sync_api = browser_tools()
    data = tmp_path_factory.mktemp("webbrowser")
    env = dict(os.environ, NABIJ_DATA_DIR=str(data), COLUMNS="200")
    env.pop("NABIJ_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    demo = subprocess.run([sys.executable, "-m", "nabij", "web", "beheer", "demo", "--schaal",
                           "0.1"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:]
    passwords: dict[str, str] = {}
    for name, pw in re.findall(r"\b(coordinator|beheerder)\s+│\s+(\S+)", demo.stdout):
        passwords.setdefault(name, pw)  # the first column is the user name
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nabij", "web", "--poort", str(port),
                             "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, proc)
        yield exe, sync_api, base, passwords
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


class Visit:
    """Collects axe results, blocked requests and console errors of every page visited."""

    def __init__(self, page):
        self.page = page
        self.axe: dict[str, list] = {}
        self.shots = 0

    def check(self, label: str) -> None:
        # evaluate (DevTools protocol) rather than a <script> tag: the page's CSP forbids
        # inline scripts, and the test must not weaken it
        for attempt in range(3):
            self.page.wait_for_load_state("load")
            try:
                self.page.evaluate(AXE_SOURCE + "\n;true")
                break
            except Exception:  # noqa: BLE001 - a navigation was still under way
                if attempt == 2:
                    raise
                self.page.wait_for_timeout(300)
        self.axe[label] = run_axe(self.page, inject=False)
        self.shots += 1
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTEFACTS / f"web-{self.shots:02d}.png"), full_page=True)


class _SharedVisit(Visit):
    """A Visit on another page (browser context) that records into the same results."""

    def __init__(self, shared: Visit, page) -> None:
        super().__init__(page)
        self.axe = shared.axe
        self.shared = shared

    def check(self, label: str) -> None:
        self.shots = self.shared.shots
        super().check(label)
        self.shared.shots = self.shots


def _login_with_keyboard(page, password: str) -> None:
    """Tab to the user name field, type, Tab, type, Enter — no mouse."""
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_to(page, test: str, limit: int = 80) -> None:
    """Press Tab until ``test`` (a JS expression on ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"toetsenbord bereikt {test!r} niet")


def _monitor_target_by_keyboard(page, v: Visit, facts: dict) -> None:
    """On the region's monitor page: set a target with the keyboard only (first with a target
    year before the baseline, which the monitor refuses in Dutch), change it to a stepped path,
    add a note."""
    page.get_by_role("link", name="Doelen en toelichtingen van de monitor").click()
    v.check("monitor")
    _tab_to(page, "el.textContent.trim() === 'Doel instellen bij Deelname SBO en SO'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("doel-formulier")
    _tab_to(page, "el.id === 'id_doelwaarde'")
    page.keyboard.type("3,9")
    _tab_to(page, "el.id === 'id_basisjaar'")
    page.keyboard.type("2018/'19")
    _tab_to(page, "el.id === 'id_doeljaar'")
    page.keyboard.type("2017")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("doel-fout")
    facts["target_error"] = page.locator("#foutsamenvatting").inner_text()
    _tab_to(page, "el.id === 'id_doeljaar'")
    page.keyboard.press("Control+A")
    page.keyboard.type("2028/'29")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("monitor-doel")
    facts["target_row"] = page.locator("#monitordoelen tbody tr").first.inner_text()
    _tab_to(page, "el.textContent.trim() === 'Doel wijzigen bij Deelname SBO en SO'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("doel-wijzigen")
    _tab_to(page, "el.id === 'id_traject_0'")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "el.id === 'id_stappen'")
    page.keyboard.type("5")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    facts["target_changed"] = page.locator("#monitordoelen tbody tr").first.inner_text()
    page.get_by_role("link", name="Toelichting toevoegen").first.click()
    v.check("toelichting-formulier")
    page.get_by_label("Datum").fill("2024-03-01")
    page.get_by_label("Toelichting").fill("Nieuwe OZA-groep in de regio geopend")
    page.get_by_role("button", name="Toelichting opslaan").click()
    facts["notes"] = page.locator("#toelichtingen").inner_text()
    page.get_by_role("link", name=re.compile("SWV|Passend|Samenwerkingsverband")).first.click()
    facts["region_monitor"] = page.locator("section[aria-labelledby=monitor-kop]").inner_text()


def _member_by_keyboard(page, v: Visit, facts: dict) -> None:
    """The coordinator adds a new member to its region with the keyboard only and gets the
    one-time activation link."""
    _tab_to(page, "el.textContent.trim() === 'Leden en rollen'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("leden")
    _tab_to(page, "el.id === 'id_kind_0'")
    page.keyboard.press("ArrowDown")  # radio group: "nieuwe gebruiker aanmaken"
    _tab_to(page, "el.id === 'id_username'")
    page.keyboard.type("nieuwe.deelnemer")
    _tab_to(page, "el.id === 'id_role'")
    facts["grantable"] = page.locator("#id_role option").all_inner_texts()
    _tab_to(page, "el.textContent.trim() === 'Lid toevoegen'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check("activeringslink")
    facts["link"] = page.locator("#activeringslink").get_attribute("href")
    page.get_by_role("link", name="Klaar").click()
    v.check("leden-na")
    facts["members"] = page.locator("table").inner_text()


def _activate_and_manage(browser, base: str, passwords: dict, v_factory, facts: dict) -> None:
    """The new member sets a password with the link (keyboard); the beheerder opens the user
    pages."""
    context = browser.new_context(locale="nl-NL")
    blocked = block_requests(context, lambda url: url.startswith((base, "data:")))
    page = context.new_page()
    errors = collect_errors(page)
    v = v_factory(page)
    page.goto(facts["link"])
    v.check("wachtwoord-instellen")
    _tab_to(page, "el.id === 'id_new_password1'")
    page.keyboard.type("Zonnebloem-Kade-2035")
    _tab_to(page, "el.id === 'id_new_password2'")
    page.keyboard.type("Zonnebloem-Kade-2035")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    facts["after_activation"] = page.locator("main").inner_text()
    page.get_by_label("Gebruikersnaam").fill("nieuwe.deelnemer")
    page.get_by_label("Wachtwoord").fill("Zonnebloem-Kade-2035")
    page.get_by_role("button", name="Inloggen").click()
    facts["member_start"] = page.locator("header").inner_text()
    context.close()
    context = browser.new_context(locale="nl-NL")
    blocked2 = block_requests(context, lambda url: url.startswith((base, "data:")))
    page = context.new_page()
    errors2 = collect_errors(page)
    v.page = page
    page.goto(base + "/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill(passwords["beheerder"])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Gebruikers").click()
    v.check("gebruikers")
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    v.check("gebruiker-nieuw")
    page.go_back()
    page.get_by_role("link", name="nieuwe.deelnemer").click()
    v.check("gebruiker")
    facts["user_page"] = page.locator("main").inner_text()
    page.goto(base + "/gebruikers/historie/")
    v.check("gebruikers-historie")
    facts["user_history"] = page.locator("table").inner_text()
    context.close()
    facts["other_contexts"] = {"blocked": blocked + blocked2, "errors": errors + errors2}


@pytest.fixture(scope="module")
def journey(server):
    exe, sync_api, base, passwords = server
    password = passwords["coordinator"]
    facts: dict[str, object] = {}
    today = date.today()
    with sync_api.sync_playwright() as p:
        browser = launch(p, exe)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
        blocked = block_requests(context, lambda url: url.startswith((base, "data:")))
        page = context.new_page()
        errors = collect_errors(page)
        v = Visit(page)

        page.goto(base + "/inloggen/")
        v.check("inloggen")
        page.keyboard.press("Tab")
        facts["skip_link"] = page.evaluate("document.activeElement.textContent.trim()")
        _login_with_keyboard(page, password)
        v.check("start")

        page.get_by_role("link", name=re.compile("SWV|Passend|Samenwerkingsverband")).first.click()
        v.check("regio")
        facts["map_paths"] = page.locator("figure.nabij-map svg path").count()
        facts["monitor_rows"] = page.locator("#monitor tbody tr").count()

        page.get_by_role("link", name="Overleg en afspraken").click()
        v.check("register")

        # plan a meeting
        page.get_by_role("link", name="Vergadering plannen").click()
        v.check("vergadering-plannen")
        page.get_by_label("Datum").fill((today + timedelta(days=21)).isoformat())
        page.get_by_label("Locatie").fill("Stadhuis, zaal 2")
        page.get_by_role("button", name="Vergadering plannen").click()
        v.check("vergadering")
        page.get_by_role("link", name="Agendapunt toevoegen").click()
        page.get_by_label("Soort agendapunt").select_option("lea")
        page.get_by_label("Onderwerp").fill("Lokale educatieve agenda 2027")
        page.get_by_role("button", name="Agendapunt toevoegen").click()
        facts["agenda"] = page.locator("#agenda").inner_text()
        page.get_by_role("link", name="Agenda afdrukken").click()
        v.check("agenda-afdrukken")
        page.go_back()

        # an agreement without a measurable result is refused
        page.get_by_role("link", name="Afspraak vastleggen").click()
        v.check("afspraak-formulier")
        page.get_by_label("Afspraak", exact=True).fill("Deelname speciaal onderwijs omlaag")
        page.locator("input[name=parties]").nth(0).check()
        page.locator("input[name=parties]").nth(1).check()
        page.get_by_label("Eigenaar", exact=True).select_option(index=1)
        page.get_by_label("Deadline").fill((today + timedelta(days=300)).isoformat())
        page.get_by_role("button", name="Afspraak vastleggen").click()
        v.check("afspraak-fout")
        facts["refusal"] = page.locator("#foutsamenvatting").inner_text()

        # ... and accepted with a monitor indicator and a target
        page.get_by_label("Monitorindicator").select_option("monitor:deelname_sbo_so")
        page.get_by_label("Streefwaarde").fill("4,5")
        page.get_by_role("button", name="Afspraak vastleggen").click()
        v.check("afspraak")
        facts["result"] = page.locator("dl.nabij-facts").inner_text()

        # make it overdue: deadline yesterday
        page.get_by_role("link", name="Afspraak bewerken").click()
        page.get_by_label("Deadline").fill((today - timedelta(days=1)).isoformat())
        page.get_by_role("button", name="Opslaan").click()
        v.check("afspraak-te-laat")
        facts["overdue_alert"] = page.locator("#te-laat").inner_text()
        page.get_by_role("link", name="Overleg").last.click()
        v.check("register-waarschuwing")
        facts["warnings"] = page.locator("#waarschuwingen").inner_text()
        facts["badge"] = page.locator("#afspraken").inner_text()

        # escalate with a recorded decision
        page.get_by_role("link", name="Deelname speciaal onderwijs omlaag").click()
        page.get_by_role("link", name="Escaleren").click()
        v.check("escaleren")
        page.get_by_label("Geëscaleerd naar").fill("Bestuurder met doorzettingsmacht")
        page.get_by_label("Reden").fill("Deadline verstreken")
        page.get_by_label("Besluit", exact=True).fill("Plan van aanpak binnen zes weken")
        page.get_by_role("button", name="Escalatie en besluit vastleggen").click()
        v.check("afspraak-geescaleerd")
        facts["escalation"] = page.locator("main").inner_text()

        page.get_by_role("link", name=re.compile("SWV|Passend|Samenwerkingsverband")).first.click()
        _monitor_target_by_keyboard(page, v, facts)
        _member_by_keyboard(page, v, facts)
        page.get_by_role("link", name=re.compile("SWV|Passend|Samenwerkingsverband")).first.click()
        page.get_by_role("link", name="Historie").click()
        v.check("historie")
        facts["history"] = page.locator("table").inner_text()
        page.goto(base + "/zoeken/?q=speciaal")
        v.check("zoeken")
        facts["search"] = page.locator("table").inner_text()
        _activate_and_manage(browser, base, passwords, lambda pg: _SharedVisit(v, pg), facts)
        browser.close()
    return {"axe": v.axe, "blocked": blocked, "errors": errors, "facts": facts}


def test_keyboard_skip_link_and_login(journey):
    assert journey["facts"]["skip_link"] == "Direct naar de inhoud"


def test_region_page_has_map_and_monitor(journey):
    assert journey["facts"]["map_paths"] >= 2
    assert journey["facts"]["monitor_rows"] >= 3


def test_meeting_planned_with_agenda(journey):
    assert "LEA: Lokale educatieve agenda 2027" in journey["facts"]["agenda"]


def test_agreement_needs_a_measurable_result(journey):
    assert "zonder meetbaar resultaat" in journey["facts"]["refusal"]
    assert "Deelname SBO en SO: streefwaarde 4,5" in journey["facts"]["result"]


def test_overdue_agreement_is_flagged_and_warned(journey):
    f = journey["facts"]
    assert "Te laat" in f["overdue_alert"]
    assert "1 afspraak is over de deadline" in f["warnings"]
    assert "te laat" in f["badge"]
    assert "Plan van aanpak binnen zes weken" in f["escalation"]
    assert "coordinator" in f["history"] and "escalatie" in f["history"]
    assert "Deelname speciaal onderwijs omlaag" in f["search"]


def test_monitor_target_set_and_changed_by_keyboard(journey):
    f = journey["facts"]
    assert "doeljaar moet na het basisjaar liggen" in f["target_error"]
    assert "3,9 in 2028/'29" in f["target_row"] and "rechte lijn" in f["target_row"]
    assert re.search(r"op koers|ver achter|achter", f["target_row"])
    assert "trapsgewijs in 5 stappen" in f["target_changed"]
    assert "Nieuwe OZA-groep in de regio geopend" in f["notes"]
    assert "trapsgewijs in 5 stappen" in f["region_monitor"]
    assert "Nieuwe OZA-groep in de regio geopend" in f["region_monitor"]
    assert "monitordoel" in f["history"] and "toelichting bij de monitor" in f["history"]
    # the demo region's thuiszitters come from the loket's (synthetic) cases, labelled
    assert "casusregister van het loket (synthetische zaken, gemodelleerd)" in f["region_monitor"]


def test_membership_created_by_keyboard_and_activated_once(journey):
    f = journey["facts"]
    assert f["grantable"] == ["deelnemer", "lezer (alleen totalen)", "loket"]
    assert "/gebruikers/activeren/" in f["link"]
    assert "nieuwe.deelnemer" in f["members"] and "deelnemer" in f["members"]
    assert "Uw wachtwoord is ingesteld" in f["after_activation"]
    assert "nieuwe.deelnemer (deelnemer)" in f["member_start"]
    assert "deelnemer" in f["user_page"] and "ingesteld" in f["user_page"]
    assert "wachtwoord ingesteld via activeringslink" in f["user_history"]
    assert "gebruiker aangemaakt" in f["user_history"]
    assert "lidmaatschap" in f["history"] and "nieuwe.deelnemer" in f["history"]


def test_no_external_requests_and_no_console_errors(journey):
    assert journey["blocked"] == []
    assert journey["errors"] == []
    assert journey["facts"]["other_contexts"] == {"blocked": [], "errors": []}


def test_axe_reports_no_violations_on_any_page(journey):
    assert len(journey["axe"]) >= 21
    bad = {k: v for k, v in journey["axe"].items() if v}
    assert bad == {}, json.dumps(bad, indent=1, ensure_ascii=False)
