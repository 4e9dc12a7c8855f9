"""Savings on pupil transport (a what-if of :mod:`nabij.transport`) as an inclusiefonds source.

The transport model does not know the fund; the fund reads the savings (a result object with
``savings()`` per gemeente, or a ``besparing.csv``) and turns them into a :class:`Source`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Protocol

import pandas as pd

from nabij.errors import InputError, Problem
from nabij.fund.definition import GM_RE, Source, read_code_amounts


class HasSavings(Protocol):
    """Anything with savings per gemeente (e.g. :class:`nabij.transport.WhatIfResult`)."""

    def savings(self) -> pd.Series: ...


def savings_source(result: HasSavings, vanaf: int,
                   naam: str = "Besparing leerlingenvervoer (gemodelleerd)") -> Source:
    """The what-if's positive savings per gemeente as a fund source from year ``vanaf``."""
    s = result.savings().round(0)
    return Source(naam, "vervoersbesparing", None, {k: Decimal(str(v)) for k, v in s.items()},
                  vanaf=vanaf, herkomst="Gemodelleerde besparing op leerlingenvervoer uit een "
                  "wat-als-analyse (nabij vervoer watals); alleen gemeenten met een besparing.",
                  gemodelleerd=True)


def read_savings(path: str | Path, vanaf: int,
                 naam: str = "Besparing leerlingenvervoer (gemodelleerd)") -> Source:
    """A ``besparing.csv`` (``code,bedrag`` per gemeente) as a fund source from ``vanaf``."""
    path = Path(path)
    rows = read_code_amounts(path, "code")
    problems = [Problem(msg, str(path), line) for line, _, _, msg in rows if msg]
    problems += [Problem(f"'{code}' is geen gemeentecode", str(path), line, "code")
                 for line, code, _, msg in rows if not msg and not GM_RE.fullmatch(code)]
    if problems:
        raise InputError("Besparingsbestand is ongeldig; er is niets geschreven", problems)
    return Source(naam, "vervoersbesparing", None,
                  {code: amount for _, code, amount, _ in rows},
                  vanaf=vanaf, herkomst=f"Gemodelleerde besparing op leerlingenvervoer uit "
                  f"{path.name} (nabij vervoer watals).", gemodelleerd=True)
