"""Django for the web tests: settings from nabij.web.settings on a throw-away data folder.

SQLite by default (pytest-django's test database, in memory). Set ``NABIJ_DATABASE_URL`` to a
``postgresql://`` URL to run the same tests on PostgreSQL; ``test_postgres.py`` does that in a
subprocess when ``NABIJ_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import os
import tempfile

import pytest

pytest.importorskip("django", reason="Django ontbreekt (pip install -e '.[test]')")
pytest.importorskip("pytest_django", reason="pytest-django ontbreekt (pip install -e '.[test]')")

os.environ.setdefault("NABIJ_DATA_DIR", tempfile.mkdtemp(prefix="nabij-web-test-"))
os.environ.setdefault("NABIJ_FAST_HASHER", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "nabij.web.settings"

import django  # noqa: E402

django.setup()

from .world import World, build_world  # noqa: E402


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Two regions (own 'A', foreign 'B') with objects, and one user per role in A.

    Created once per module and committed; each test runs in a transaction that is rolled
    back, so tests may change things freely.
    """
    with django_db_blocker.unblock():
        w = build_world()
    yield w
    with django_db_blocker.unblock():
        w.delete()
