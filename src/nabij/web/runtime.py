"""Start Django outside a request: settings, setup, migrations (used by the CLI and bench)."""

from __future__ import annotations

import os


def setup(migrate: bool = True) -> None:
    """Configure Django with :mod:`nabij.web.settings`; apply migrations when asked."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nabij.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def database_label() -> str:
    """Human description of the configured database (no password)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'lokaal'}:{db.get('PORT') or 5432}/{db['NAME']}"
