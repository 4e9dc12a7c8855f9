"""Run-time configuration read from the environment: data folder and database URL.

Pure Python (no Django import), so the CLI and the tests can use it before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from nabij.errors import InputError

DATABASE_ENV = "NABIJ_DATABASE_URL"
DATA_ENV = "NABIJ_DATA_DIR"
SECRET_ENV = "NABIJ_SECRET_KEY"


def data_dir() -> Path:
    """The web application's data folder: ``$NABIJ_DATA_DIR`` or ``~/.local/share/nabij/web``."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "nabij" / "web"


def parse_database_url(url: str | None, default_dir: Path) -> dict:
    """Django ``DATABASES['default']`` from a URL.

    ``None``/empty: SQLite file ``nabij.sqlite3`` in ``default_dir``. Accepted:
    ``sqlite:///relatief.sqlite3``, ``sqlite:////absoluut/pad.sqlite3`` and
    ``postgresql://gebruiker:wachtwoord@host:poort/database?sslmode=...`` (also ``postgres://``).
    """
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_dir / "nabij.sqlite3")}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(url.split("://", 1)[1])
        if path.startswith("/"):
            path = path[1:] or ""
        if not path:
            raise InputError(f"{DATABASE_ENV}: geef een bestandspad, bv. sqlite:///nabij.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if scheme in ("postgresql", "postgres", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise InputError(f"{DATABASE_ENV}: de naam van de database ontbreekt in {url!r}")
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    raise InputError(f"{DATABASE_ENV}: onbekend databasetype {scheme!r}; gebruik sqlite:/// of "
                     "postgresql://")


def secret_key(folder: Path) -> str:
    """``$NABIJ_SECRET_KEY``, or a random key kept in ``folder/geheim.txt`` (mode 0600)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    path = folder / "geheim.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key)
    return key
