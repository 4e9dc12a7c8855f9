"""The web tests once more against a real PostgreSQL server (subprocess, same test files).

Set ``NABIJ_TEST_POSTGRES_URL=postgresql://user:password@127.0.0.1:5432/nabij`` (the user
needs CREATEDB: pytest-django creates and drops ``test_<name>``). Skipped when unset.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("NABIJ_TEST_POSTGRES_URL", "")


@pytest.mark.skipif(not URL, reason="NABIJ_TEST_POSTGRES_URL is niet gezet: geen PostgreSQL-"
                    "server om de webtests tegen te draaien")
@pytest.mark.skipif(os.environ.get("NABIJ_DATABASE_URL", "").startswith("postgres"),
                    reason="draait al tegen PostgreSQL")
def test_web_suite_on_postgresql(tmp_path):
    env = dict(os.environ, NABIJ_DATABASE_URL=URL, NABIJ_DATA_DIR=str(tmp_path))
    env.pop("NABIJ_TEST_POSTGRES_URL")
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/web", "-o", "addopts=", "-q", "-x", "-p",
         "no:cacheprovider",
         "-m", "not browser", "--create-db"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout and " failed" not in r.stdout


@pytest.mark.django_db
def test_the_configured_database_is_the_one_in_use():
    """Guards the subprocess run above: NABIJ_DATABASE_URL really selects PostgreSQL."""
    from django.db import connection

    url = os.environ.get("NABIJ_DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
