"""Pseudonyms: a child is HMAC-SHA256(region key, school + the number the school uses).

The key is held by the region, in the environment or the settings of the installation —
never in the database — so the database alone cannot link a case to a child, and the same
child gets the same pseudonym within a region (two cases of one child are recognised) but a
different one in another region. No BSN and no name is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping

from nabij.casework.errors import CaseworkError
from nabij.defaults import PSEUDONYM_KEY_ENV, PSEUDONYM_KEY_MIN_BYTES

PSEUDONYM_LENGTH = 32
"""Hex characters kept of the HMAC (128 bits: collisions are not a practical concern)."""


def env_name(region: str) -> str:
    """``"PO 27-01" -> "NABIJ_PSEUDONIEM_SLEUTEL_PO_27_01"``."""
    return f"{PSEUDONYM_KEY_ENV}_" + re.sub(r"[^A-Z0-9]+", "_", region.upper()).strip("_")


def region_key(region: str, env: Mapping[str, str] | None = None) -> bytes:
    """The pseudonym key of ``region`` from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    name = env_name(region)
    raw = env.get(name)
    if not raw:
        raise CaseworkError(
            f"Geen pseudonimiseringssleutel voor regio '{region}': zet {name} in de omgeving "
            f"(minstens {PSEUDONYM_KEY_MIN_BYTES} tekens, bijvoorbeeld uit "
            "`python -c \"import secrets; print(secrets.token_hex(32))\"`).")
    key = raw.encode("utf-8")
    check_key(key, region)
    return key


def check_key(key: bytes, region: str = "") -> None:
    if len(key) < PSEUDONYM_KEY_MIN_BYTES:
        where = f" van regio '{region}'" if region else ""
        raise CaseworkError(f"De pseudonimiseringssleutel{where} is te kort: "
                            f"{len(key)} tekens, minstens {PSEUDONYM_KEY_MIN_BYTES}.")


def normalise_number(number: object) -> str:
    """The school's number as compared: no spaces, upper case, leading zeros kept."""
    return re.sub(r"\s+", "", str(number)).upper()


def pseudonym(key: bytes, school: str, number: object) -> str:
    """The child's pseudonym: hex HMAC-SHA256 of ``"<school>:<number>"`` under ``key``.

    ``school`` is the school's vestiging code, or for a child enrolled nowhere the code of the
    gemeente whose leerplicht administration numbers it.
    """
    check_key(key)
    num = normalise_number(number)
    if not num:
        raise CaseworkError("leeg leerlingnummer: een pseudoniem vraagt het nummer dat de school "
                            "of de leerplichtadministratie gebruikt")
    message = f"{normalise_number(school)}:{num}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]
