"""The register file: thuiszitters, vrijstellingen and other counted indicators per gemeente.

Layout (documented in ``docs/monitor-register.md``; the casework register of nabij writes
exactly this): a CSV (comma or semicolon, UTF-8) with the columns

``gemeente``        CBS code (``GM0363`` or ``0363``)
``schooljaar``      ``2023/'24``, ``2023-2024`` or ``2023`` (first calendar year)
``periode``         ``1`` (August-January), ``2`` (February-July) or ``jaar``
``indicator``       an id from the catalogue with ``berekening = "register"``
``aantal``          number of children (whole number >= 0)
``leerplichtigen``  optional: children of compulsory-school age in the gemeente (denominator);
                    when empty, the atlas' children aged 4-17 (PC4 ``kinderen_po`` +
                    ``kinderen_vo``) stand in for them (benadering)
``status``          optional: ``definitief`` (default) or ``voorlopig``

Bad rows give a Dutch InputError naming file, row and column; nothing is read partially.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.errors import InputError, Problem
from nabij.monitor.catalogue import Catalogue
from nabij.monitor.series import OBS_COLUMNS, WHOLE_YEAR, empty_observations

COLUMNS = ("gemeente", "schooljaar", "periode", "indicator", "aantal")
OPTIONAL = ("leerplichtigen", "status")
STATUSES = ("definitief", "voorlopig")


def _year(text: str) -> int | None:
    m = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*'?(\d{2}|\d{4}))?\*?", text.strip())
    return int(m.group(1)) if m else None


def _half(text: str) -> int | None:
    t = text.strip().lower()
    return {"1": 1, "2": 2, "jaar": WHOLE_YEAR, "h1": 1, "h2": 2, "0": WHOLE_YEAR}.get(t)


def read_register_frame(df: pd.DataFrame, atlas: Atlas, catalogue: Catalogue,
                        file: str = "register.csv") -> pd.DataFrame:
    """Observations from a register table (all columns as text); InputError when invalid."""
    df = df.rename(columns=lambda c: str(c).strip().lower().lstrip("\ufeff"))
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"Registerbestand {file} mist kolommen",
                         [Problem(f"kolom '{c}' ontbreekt (verwacht: {', '.join(COLUMNS)})",
                                  file, 1, c) for c in missing])
    if df.empty:
        return empty_observations()
    known = set(atlas.gemeenten["gemeente"].astype(str))
    ids = {i.id for i in catalogue if i.berekening == "register"}
    problems: list[Problem] = []
    recs = []
    for k, row in enumerate(df.fillna("").astype(str).itertuples(index=False), start=2):
        r = dict(zip(df.columns, row, strict=True))
        rec = _row(r, k, file, known, ids, problems)
        if rec is not None:
            recs.append(rec)
    if problems:
        raise InputError(f"Registerbestand {file} is ongeldig", problems)
    obs = pd.DataFrame(recs, columns=["code", "indicator", "schooljaar", "halfjaar", "teller",
                                      "leerplichtigen", "status"])
    dup = obs.duplicated(["code", "indicator", "schooljaar", "halfjaar"], keep=False)
    if dup.any():
        rows = (np.flatnonzero(dup.to_numpy()) + 2)[:10]
        raise InputError(f"Registerbestand {file} is ongeldig",
                         [Problem("dubbele regel (zelfde gemeente, schooljaar, periode en "
                                  "indicator)", file, int(r)) for r in rows])
    kids = _children(atlas)
    obs["noemer"] = obs["leerplichtigen"].fillna(obs["code"].map(kids)).astype(float)
    obs["niveau"] = "gemeente"
    return obs[list(OBS_COLUMNS)]


def _row(r: dict, k: int, file: str, known: set[str], ids: set[str],
         problems: list[Problem]) -> tuple | None:
    n0 = len(problems)
    code = r["gemeente"].strip().upper()
    code = code if code.startswith("GM") else f"GM{code.zfill(4)}" if code.isdigit() else code
    if code not in known:
        problems.append(Problem(f"onbekende gemeente '{r['gemeente']}'", file, k, "gemeente"))
    year = _year(r["schooljaar"])
    if year is None:
        problems.append(Problem(f"'{r['schooljaar']}' is geen schooljaar (zoals 2023/'24)",
                                file, k, "schooljaar"))
    half = _half(r["periode"])
    if half is None:
        problems.append(Problem(f"'{r['periode']}' is geen periode: 1, 2 of jaar", file, k,
                                "periode"))
    ind = r["indicator"].strip()
    if ind not in ids:
        problems.append(Problem(f"onbekende indicator '{ind}' (kies uit "
                                f"{', '.join(sorted(ids))})", file, k, "indicator"))
    count = _count(r["aantal"], file, k, "aantal", problems, required=True)
    pupils = _count(r.get("leerplichtigen", ""), file, k, "leerplichtigen", problems)
    status = (r.get("status", "") or "definitief").strip().lower()
    if status not in STATUSES:
        problems.append(Problem(f"'{status}': kies definitief of voorlopig", file, k, "status"))
    if len(problems) > n0:
        return None
    assert count is not None  # required=True: a missing count is a problem above
    return (code, ind, year, half, float(count), pupils, status)


def _count(text: str, file: str, k: int, col: str, problems: list[Problem],
           required: bool = False) -> float | None:
    t = (text or "").strip()
    if not t:
        if required:
            problems.append(Problem("leeg; vul een aantal in", file, k, col))
        return None
    if not re.fullmatch(r"\d+", t):
        problems.append(Problem(f"'{t}' is geen geheel getal >= 0", file, k, col))
        return None
    return float(t)


def _children(atlas: Atlas) -> pd.Series:
    pc4 = atlas.pc4
    kids = pc4["kinderen_po"].fillna(0) + pc4["kinderen_vo"].fillna(0)
    return kids.groupby(pc4["gemeente"].astype(str)).sum()


def read_register(path: str | Path, atlas: Atlas, catalogue: Catalogue) -> pd.DataFrame:
    """Observations from a register CSV file (see the module docstring for its layout)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Registerbestand {path} bestaat niet")
    try:
        df = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig",
                         keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"Registerbestand {path.name} kan niet gelezen worden",
                         [Problem(str(e), path.name)]) from e
    return read_register_frame(df, atlas, catalogue, path.name)
