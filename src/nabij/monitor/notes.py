"""Notes: "het verhaal achter de cijfers" — dated annotations per region and indicator.

Layout of the notes CSV (``docs/monitor-doelen.md``):

``regio``      region code, ``*`` (every region) or ``NL`` (the national line)
``indicator``  an id from the catalogue, or empty for every indicator
``datum``      ``YYYY-MM-DD`` (or ``DD-MM-YYYY``)
``tekst``      the note itself
``auteur``     optional: who wrote it

A date falls in school year ``y`` from 1 August of ``y`` to 31 July of ``y + 1``; half year 1
runs August-January, half year 2 February-July.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from nabij.errors import InputError, Problem
from nabij.monitor.catalogue import Catalogue

COLUMNS = ("regio", "datum", "tekst")
NOTE_COLUMNS = ("regio", "indicator", "datum", "schooljaar", "halfjaar", "tekst", "auteur")


def _date(text: str) -> date | None:
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return pd.to_datetime(t, format=fmt).date()
        except (ValueError, TypeError):
            continue
    return None


def school_period(d: date) -> tuple[int, int]:
    """(school year, half year) of a date."""
    year = d.year if d.month >= 8 else d.year - 1
    half = 1 if d.month >= 8 or d.month == 1 else 2
    return year, half


def read_notes_frame(df: pd.DataFrame, catalogue: Catalogue, file: str = "notities.csv"
                     ) -> pd.DataFrame:
    """Notes from a table of text cells; InputError naming file, row and column."""
    df = df.rename(columns=lambda c: str(c).strip().lower().lstrip("\ufeff"))
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"Notitiebestand {file} mist kolommen",
                         [Problem(f"kolom '{c}' ontbreekt", file, 1, c) for c in missing])
    problems: list[Problem] = []
    recs: list = []
    for k, row in enumerate(df.fillna("").astype(str).itertuples(index=False), start=2):
        r = {c: v.strip() for c, v in zip(df.columns, row, strict=True)}
        d = _date(r["datum"])
        ind = r.get("indicator", "")
        n0 = len(problems)
        if d is None:
            problems.append(Problem(f"'{r['datum']}' is geen datum (JJJJ-MM-DD)", file, k,
                                    "datum"))
        if ind and ind not in catalogue:
            problems.append(Problem(f"onbekende indicator '{ind}'", file, k, "indicator"))
        if not r["tekst"]:
            problems.append(Problem("lege notitie", file, k, "tekst"))
        if not r["regio"]:
            problems.append(Problem("leeg; geef een regiocode, * of NL", file, k, "regio"))
        if len(problems) > n0 or d is None:
            continue
        y, h = school_period(d)
        recs.append((r["regio"], ind, d.isoformat(), y, h, r["tekst"], r.get("auteur", "")))
    if problems:
        raise InputError(f"Notitiebestand {file} is ongeldig", problems)
    return pd.DataFrame(recs, columns=list(NOTE_COLUMNS))


def read_notes(path: str | Path, catalogue: Catalogue) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Notitiebestand {path} bestaat niet")
    try:
        df = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig",
                         keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"Notitiebestand {path.name} kan niet gelezen worden",
                         [Problem(str(e), path.name)]) from e
    return read_notes_frame(df, catalogue, path.name)


def notes_for(notes: pd.DataFrame, regio: str, indicator: str) -> pd.DataFrame:
    """The notes shown with one region's chart of one indicator, by date."""
    if notes is None or notes.empty:
        return pd.DataFrame(columns=list(NOTE_COLUMNS))
    m = notes["regio"].isin([regio, "*"]) & notes["indicator"].isin([indicator, ""])
    return notes[m].sort_values("datum")


def notes_by_indicator(notes: pd.DataFrame, regio: str, indicators: list[str]
                       ) -> dict[str, list[tuple]]:
    """:func:`notes_for` of every indicator of ``indicators`` at once (one pass; a page with
    many indicators): indicator -> its notes as ``NOTE_COLUMNS`` tuples, by date."""
    if notes is None or notes.empty:
        return {i: [] for i in indicators}
    mine = notes[notes["regio"].isin([regio, "*"])].sort_values("datum", kind="stable")
    cols = list(NOTE_COLUMNS)
    records = list(mine[cols].itertuples(index=False, name=None))
    k = cols.index("indicator")
    return {i: [r for r in records if r[k] in (i, "")] for i in indicators}
