"""What "today" is for casework, and where a region's pseudonym key comes from.

``today()`` is the local date, unless ``settings.NABIJ_CASUS_TODAY`` (a date or ISO text) is
set: the test clock the browser test uses to let three months pass.

A region's pseudonym key is read from the environment (``NABIJ_PSEUDONIEM_SLEUTEL_<REGIO>``,
see :mod:`nabij.casework.pseudonym`) or, when that is not set, from a key file in the data
folder (``pseudoniem-sleutels/<REGIO>``, mode 0600) that ``nabij web --demo`` writes for its
demo regions. Never from the database.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from nabij.casework.errors import CaseworkError
from nabij.casework.pseudonym import env_name, region_key
from nabij.web.config import data_dir


def today() -> date:
    fixed = getattr(settings, "NABIJ_CASUS_TODAY", None)
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return timezone.localdate()


def _key_file(code: str) -> Path:
    return data_dir() / "pseudoniem-sleutels" / env_name(code)


def key_for(region) -> bytes:
    """The pseudonym key of ``region`` (environment first, then the key file)."""
    env = dict(os.environ)
    path = _key_file(region.code)
    if env_name(region.code) not in env and path.exists():
        env[env_name(region.code)] = path.read_text(encoding="utf-8").strip()
    try:
        return region_key(region.code, env)
    except CaseworkError as e:
        raise CaseworkError(f"{e} Of laat de beheerder een sleutelbestand {path} maken.") from e


def make_key_file(region) -> Path:
    """Write a fresh random key file for ``region`` unless one exists (demo regions)."""
    path = _key_file(region.code)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secrets.token_hex(32))
    return path
