"""Shared scaffolding of the browser tests: headless chromium driven by Playwright, offline,
with axe-core.

``bash tests/setup_browser.sh`` installs chromium, the Python package ``playwright`` and
axe-core (npm, in ``tests/.cache``); :func:`browser_tools` skips the test with the reason when
one of the three is missing. Imported as ``from browser_support import ...`` (``tests/`` is on
``sys.path`` through ``tests/conftest.py``, like ``handland``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = ROOT / "tests" / "artefacts"
SETUP_HINT = "installeer met: bash tests/setup_browser.sh"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SERIOUS = ("serious", "critical")
AXE_RUN_JS = """async () => { const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
       nodes: v.nodes.length, target: v.nodes.slice(0, 3).map(n => n.target)})); }"""


def chromium() -> str:
    """Path of the chromium executable; skips the test when there is none."""
    for c in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or "",
              shutil.which("chromium-browser") or ""):
        if c and Path(c).exists():
            return c
    pytest.skip(f"chromium ontbreekt ({SETUP_HINT})")


def browser_tools() -> tuple[str, ModuleType]:
    """(chromium executable, ``playwright.sync_api``); skips when chromium, playwright or
    axe-core is missing."""
    exe = chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason=f"Python-pakket playwright ontbreekt ({SETUP_HINT})")
    if not AXE.exists():
        pytest.skip(f"axe-core ontbreekt in {AXE.parent} ({SETUP_HINT})")
    return exe, sync_api


def launch(playwright: Any, exe: str) -> Any:
    """Headless chromium with the project's launch options."""
    return playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)


def block_requests(context: Any, allowed: Callable[[str], bool]) -> list[str]:
    """Abort every request whose URL is not ``allowed``; returns the (growing) list of
    blocked URLs."""
    blocked: list[str] = []

    def route(r: Any) -> None:
        if allowed(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def collect_errors(page: Any) -> list[str]:
    """The (growing) list of console errors and uncaught page errors of ``page``."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def open_offline(playwright: Any, exe: str, html: Path, **context: Any) -> tuple[Any, list, list]:
    """Open the local file ``html`` in a new offline browser (``context``: options of the
    browser context, e.g. ``viewport``); every request off ``file://`` is blocked.

    Returns the page, the blocked URLs and the console/page errors (both growing lists)."""
    browser_context = launch(playwright, exe).new_context(offline=True, **context)
    blocked = block_requests(browser_context, lambda url: url.startswith("file://"))
    page = browser_context.new_page()
    errors = collect_errors(page)
    page.goto(html.as_uri(), wait_until="load")
    return page, blocked, errors


def run_axe(page: Any, inject: bool = True) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (id, impact, help, nodes, target); injects
    axe-core as a script tag first unless ``inject`` is false (already loaded)."""
    if inject:
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN_JS)


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The serious and critical ones among axe-core's violations."""
    return [v for v in violations if v["impact"] in SERIOUS]
