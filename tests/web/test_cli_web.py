"""`nabij web` and `nabij web beheer …` as a user runs them (subprocess, own data folder)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], data: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, NABIJ_DATA_DIR=str(data), NABIJ_FAST_HASHER="1", COLUMNS="200")
    env.pop("NABIJ_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "nabij", "web", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("webdata")
    r = run(["beheer", "demo", "--schaal", "0.1"], data)
    assert r.returncode == 0, r.stderr[-3000:]
    return data, r.stdout


def test_demo_creates_database_and_prints_passwords_once(demo_dir):
    data, out = demo_dir
    assert (data / "nabij.sqlite3").stat().st_size > 100_000
    for user in ("beheerder", "coordinator", "deelnemer", "lezer", "loket"):
        assert re.search(rf"{user}\s+│\s+\S{{12,}}", out), out
    assert "één keer" in out


def test_gebruiker_needs_a_region_for_regional_roles(demo_dir):
    data, _ = demo_dir
    r = run(["beheer", "gebruiker", "piet", "--rol", "deelnemer"], data)
    assert r.returncode == 2 and "hoort bij een regio" in r.stderr
    r = run(["beheer", "gebruiker", "piet", "--rol", "baas"], data)
    assert r.returncode == 2 and "onbekende rol" in r.stderr
    r = run(["beheer", "gebruiker", "piet", "--rol", "lezer"], data)
    assert r.returncode == 0 and "Wachtwoord" in r.stdout


def test_export_writes_the_agreements_register(demo_dir, tmp_path):
    from openpyxl import load_workbook

    data, _ = demo_dir
    r = run(["beheer", "export", "--regio", "GEEN", "--uit", str(tmp_path / "x.xlsx")], data)
    assert r.returncode == 2 and "bestaat niet" in r.stderr and not (tmp_path / "x.xlsx").exists()
    env = dict(os.environ, NABIJ_DATA_DIR=str(data))
    env.pop("NABIJ_DATABASE_URL", None)  # the demo of this module lives in SQLite
    code = subprocess.run(
        [sys.executable, "-c", "from nabij.web.runtime import setup; setup(False);"
         "from nabij.web.overleg.models import Agreement;"
         "print(Agreement.objects.first().region.code)"],
        env=env, capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "afspraken.xlsx"
    r = run(["beheer", "export", "--regio", code, "--uit", str(out)], data)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["Afspraken"]
    assert ws.cell(3, 1).value == "Thuiszittersaanpak vastgesteld"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback_with_migrations_applied(demo_dir):
    data, _ = demo_dir
    port = _free_port()
    env = dict(os.environ, NABIJ_DATA_DIR=str(data))
    env.pop("NABIJ_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "nabij", "web", "--poort", str(port),
                             "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        body, headers = "", {}
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=2) as r:
                    body, headers = r.read().decode(), dict(r.headers)
                break
            except OSError:
                time.sleep(0.5)
        assert "Inloggen" in body and headers.get("X-Frame-Options") == "DENY"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/nabij/nabij.css") as r:
            assert b"--nabij-color-primary" in r.read()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
