"""NABIJ_DATABASE_URL parsing and the secret key file (pure, no Django)."""

from __future__ import annotations

import os
import stat

import pytest

from nabij.errors import InputError
from nabij.web.config import parse_database_url, secret_key


def test_default_is_sqlite_in_the_data_folder(tmp_path):
    db = parse_database_url(None, tmp_path)
    assert db == {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "nabij.sqlite3")}


def test_sqlite_relative_and_absolute(tmp_path):
    assert parse_database_url("sqlite:///pad.sqlite3", tmp_path)["NAME"] == "pad.sqlite3"
    assert parse_database_url("sqlite:////srv/n/db.sqlite3", tmp_path)["NAME"] == \
        "/srv/n/db.sqlite3"


def test_postgresql_url_with_escaped_password_and_options(tmp_path):
    db = parse_database_url("postgresql://nabij:p%40ss%2Fw@db.local:6543/werkruimte"
                            "?sslmode=require", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == \
        ("nabij", "p@ss/w", "db.local", "6543", "werkruimte")
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert parse_database_url("postgres://u@h/d", tmp_path)["PORT"] == ""


@pytest.mark.parametrize("url, words", [
    ("mysql://u@h/d", "onbekend databasetype"),
    ("postgresql://u@h/", "naam van de database ontbreekt"),
    ("sqlite://", "bestandspad"),
])
def test_bad_urls_give_dutch_errors(tmp_path, url, words):
    with pytest.raises(InputError, match=words):
        parse_database_url(url, tmp_path)


def test_secret_key_is_created_once_with_private_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("NABIJ_SECRET_KEY", raising=False)
    k1 = secret_key(tmp_path)
    assert len(k1) > 40 and secret_key(tmp_path) == k1
    assert stat.S_IMODE(os.stat(tmp_path / "geheim.txt").st_mode) == 0o600
    monkeypatch.setenv("NABIJ_SECRET_KEY", "uit-de-omgeving")
    assert secret_key(tmp_path) == "uit-de-omgeving"
