"""Dutch messages for TOML syntax errors (``tomllib`` reports them in English)."""

from __future__ import annotations

import re
import tomllib

from nabij.errors import Problem

_DUTCH = (
    ("Expected '=' after a key", "na een naam moet '=' en een waarde volgen"),
    ("Invalid value", "ongeldige waarde (tekst tussen aanhalingstekens, getallen met een punt)"),
    ("Invalid statement", "ongeldige regel (verwacht: naam = waarde of [sectie])"),
    ("Cannot overwrite a value", "deze naam staat er al eerder in"),
    ("Cannot declare", "deze sectie staat er al eerder in"),
    ("Unclosed array", "lijst niet afgesloten met ']'"),
    ("Unclosed inline table", "tabel niet afgesloten met '}'"),
    ("Unterminated string", "tekst niet afgesloten met een aanhalingsteken"),
    ("Illegal character", "ongeldig teken"),
    ("Invalid initial character for a key part", "ongeldig teken aan het begin van een naam"),
    ("Expected newline or end of document", "na de waarde hoort een nieuwe regel"),
    ("Invalid date or datetime", "ongeldige datum"),
    ("Invalid number", "ongeldig getal"),
)


def toml_problem(e: tomllib.TOMLDecodeError, file: str | None) -> Problem:
    """A Dutch :class:`Problem` (file and line) for a TOML syntax error."""
    text = str(e)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line = int(m.group(1)) if m else getattr(e, "lineno", None)
    col = m.group(2) if m else getattr(e, "colno", None)
    what = next((nl for en, nl in _DUTCH if text.startswith(en)), "ongeldige TOML-opmaak")
    where = f" (teken {col})" if col else ""
    return Problem(f"TOML-syntaxfout: {what}{where}", file, line)
