"""Pupil history by home gemeente and school type, mapped onto today's gemeenten.

The real series is CBS StatLine 85701NED as extracted in
``cbs_speciaal_onderwijs_gemeente/speciaal_onderwijs.csv`` (school years 2013/'14 to
2023/'24, rounded to tens, ``*`` = provisional). Each school year uses the gemeenten of its
first calendar year (2013/'14: the 408 gemeenten of 2013). A count of a former gemeente is
moved to the gemeente(n) of the atlas' year by following ``samenvoegingen.csv`` and
``opsplitsingen.csv`` (same folder). A gemeente that was split over several gemeenten is shared
out in equal parts (aanname van nabij: the files do not say how many pupils went where; it
concerns Boarnsterhim 2014, Maasdonk 2015 (code 0000 in the file, resolved here),
Littenseradiel 2018 and Haaren 2021, only for the years before the
split). Pupils CBS could not place in a gemeente ("Gemeenten; niet in te delen") count only in
the national total, as in CBS' own total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.sources.cbs import NOT_A_GEMEENTE, ONDERWIJSSOORT, PUPIL_COUNT, PUPILS
from nabij.sources.nl_files import bad_file, read_csv

FOLDER = "cbs_speciaal_onderwijs_gemeente"
PER_YEAR = f"{FOLDER}/gemeenten_per_jaar.csv"
MERGERS = f"{FOLDER}/samenvoegingen.csv"
SPLITS = f"{FOLDER}/opsplitsingen.csv"

ALIASES = {
    # merged into De Friese Meren on 1 January 2014; absent from gemeenten_per_jaar.csv
    "Gaasterlân-Sleat": "De Friese Meren",
    "Skarsterlân": "De Friese Meren",
}
"""CBS region names that the gemeente files lack (besides the spelling rule of :func:`_norm`)."""

PLACEHOLDER = "0000"
EXTRA_SUCCESSORS = {"1671": ["0796", "0828"]}
"""samenvoegingen.csv lists Maasdonk (1671) with code 0000 ("s-Hertogenbosch/Oss"): it was split
over 's-Hertogenbosch (0796) and Oss (0828) on 1 January 2015."""

HISTORY_COLUMNS = ("gemeente", "schooljaar", "soort", "leerlingen", "status")


@dataclass(frozen=True)
class PupilHistory:
    """Pupils by (today's) home gemeente, school year (first calendar year) and school type.

    ``pupils`` has the columns of :data:`HISTORY_COLUMNS` (``status``: ``definitief`` or
    ``voorlopig``); ``outside`` holds pupils counted only nationally (schooljaar, soort,
    leerlingen). ``source`` and ``notes`` describe where it comes from (Dutch).
    """

    pupils: pd.DataFrame
    outside: pd.DataFrame
    source: str
    notes: tuple[str, ...] = ()
    modelled: bool = False
    gaps: dict = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.pupils["schooljaar"].unique())

    def national(self) -> pd.DataFrame:
        """National pupils per school year x type (gemeenten + outside)."""
        a = self.pupils.groupby(["schooljaar", "soort"])["leerlingen"].sum()
        b = self.outside.groupby(["schooljaar", "soort"])["leerlingen"].sum() \
            if len(self.outside) else a * 0
        return a.add(b, fill_value=0).unstack("soort").fillna(0.0)


def school_year_label(year: int, provisional: bool = False) -> str:
    """2013 -> "2013/'14" (with ``*`` when provisional)."""
    return f"{year}/'{(year + 1) % 100:02d}" + ("*" if provisional else "")


def _successors(data_dir: Path) -> dict[str, list[str]]:
    """Old gemeente code -> the codes it went to (mergers and splits, without self-links)."""
    nxt: dict[str, list[str]] = defaultdict(list)
    for old, new in EXTRA_SUCCESSORS.items():
        nxt[old] = list(new)
    for rel, new_col in ((MERGERS, "code_nieuw"), (SPLITS, "code_nieuw")):
        df = read_csv(data_dir, rel, ["code_oud", new_col], dtype=str)
        for old, new in zip(df["code_oud"].str.strip(), df[new_col].str.strip(), strict=True):
            if old != new and new != PLACEHOLDER and new not in nxt[old]:
                nxt[old].append(new)
    return dict(nxt)


def successor_shares(code: str, successors: dict[str, list[str]], today: set[str],
                     depth: int = 0) -> dict[str, float]:
    """Where one former gemeente's pupils go today: code -> share (shares sum to 1)."""
    if code in today or depth > 20:
        return {code: 1.0} if code in today else {}
    nxt = successors.get(code, [])
    out: dict[str, float] = defaultdict(float)
    for n in nxt:
        for c, s in successor_shares(n, successors, today, depth + 1).items():
            out[c] += s / len(nxt)
    return dict(out)


@cache
def _norm(name: str) -> str:
    """Spelling rule: no leading apostrophe, no " (gemeente)" suffix ('s-Gravenhage)."""
    return name.strip().lstrip("'").removesuffix(" (gemeente)")


def _name_codes(per_year: pd.DataFrame) -> tuple[dict[tuple[int, str], str], dict[str, str]]:
    """(year, name) -> code and name -> code (latest year) from gemeenten_per_jaar.csv."""
    by_year = {(int(j), _norm(n)): c for j, n, c in zip(per_year["jaar"], per_year["gemeentenaam"],
                                                  per_year["code"], strict=True)}
    latest = {_norm(n): c for _, n, c in sorted(zip(per_year["jaar"].astype(int),
                                             per_year["gemeentenaam"], per_year["code"],
                                             strict=True))}
    return by_year, latest


def read_cbs_history(data_dir: str | Path, gemeenten: pd.DataFrame) -> PupilHistory:
    """The CBS pupil series 2013/'14-2023/'24 on the gemeenten of ``gemeenten`` (atlas table).

    Every count of a gemeente that no longer exists is moved to today's gemeenten; the
    national total is preserved exactly. InputError when files are missing or malformed, or
    when a region name cannot be placed.
    """
    data_dir = Path(data_dir)
    raw = read_csv(data_dir, PUPILS, ["Onderwijssoort", "Perioden", "Regiokenmerken", PUPIL_COUNT],
                   sep=";", encoding="utf-8-sig", dtype=str)
    per_year = read_csv(data_dir, PER_YEAR, ["jaar", "gemeentenaam", "code"], dtype=str)
    if "Geslacht" in raw.columns:
        raw = raw[raw["Geslacht"].astype(str).str.startswith("Totaal")]
    raw = raw.assign(soort=raw["Onderwijssoort"].str.strip().map(ONDERWIJSSOORT),
                     periode=raw["Perioden"].str.strip(),
                     regio=raw["Regiokenmerken"].str.strip(),
                     n=pd.to_numeric(raw[PUPIL_COUNT], errors="coerce"))
    raw = raw[raw["soort"].notna() & raw["n"].notna()]
    if raw.empty:
        raise bad_file(PUPILS, "geen leerlingaantallen gevonden")
    years = raw["periode"].str[:4]
    if not years.str.fullmatch(r"\d{4}").all():
        raise InputError("Bronbestand heeft een onverwachte inhoud",
                         [Problem("perioden zijn geen schooljaren (zoals 2013/'14)", PUPILS,
                                  None, "Perioden")])
    raw = raw.assign(schooljaar=years.astype(int),
                     status=np.where(raw["periode"].str.endswith("*"), "voorlopig",
                                     "definitief"))
    outside = raw[raw["regio"] == NOT_A_GEMEENTE]
    inside = raw[raw["regio"] != NOT_A_GEMEENTE]
    today = {g.removeprefix("GM") for g in gemeenten["gemeente"].astype(str)}
    mapping = _region_mapping(inside, per_year, _successors(data_dir), today)
    rows = inside.merge(mapping, on=["schooljaar", "regio"], how="left")
    unplaced = sorted(set(rows.loc[rows["code"].isna(), "regio"]))
    if unplaced:
        raise InputError("CBS-reeks bevat gemeenten die nabij niet kan plaatsen",
                         [Problem(f"regio '{r}' niet gevonden in {PER_YEAR} of de "
                                  "samenvoegingen/opsplitsingen", PUPILS, None,
                                  "Regiokenmerken") for r in unplaced[:25]])
    rows = rows.assign(gemeente="GM" + rows["code"], leerlingen=rows["n"] * rows["share"])
    pupils = (rows.groupby(["gemeente", "schooljaar", "soort"], as_index=False)
              .agg(leerlingen=("leerlingen", "sum"), status=("status", "max")))
    pupils = _complete(pupils, gemeenten)
    out = outside.groupby(["schooljaar", "soort"], as_index=False)["n"].sum() \
        .rename(columns={"n": "leerlingen"})
    notes = (
        "CBS StatLine 85701NED via followthemoney/speciaal_onderwijs: leerlingen naar "
        "woongemeente en onderwijssoort, afgerond op tientallen; het laatste schooljaar is "
        "voorlopig (*).",
        "Gemeentelijke herindelingen: aantallen van opgeheven gemeenten zijn met "
        "samenvoegingen.csv en opsplitsingen.csv naar de huidige gemeenten gebracht; bij een "
        "opsplitsing (Boarnsterhim 2014, Maasdonk 2015, Littenseradiel 2018, Haaren 2021) in "
        "gelijke delen (aanname van nabij); Maasdonk staat er met code 0000 "
        "('s-Hertogenbosch/Oss') in en is over beide verdeeld.",
        "'Gemeenten; niet in te delen' telt alleen mee in het landelijke cijfer, zoals bij CBS.",
        "Praktijkonderwijs zit bij CBS in 'Totaal voortgezet onderwijs'; er is geen aparte "
        "PrO-reeks.",
    )
    return PupilHistory(pupils[list(HISTORY_COLUMNS)], out,
                        "CBS StatLine 85701NED (2013/'14-2023/'24)", notes)


def _region_mapping(inside: pd.DataFrame, per_year: pd.DataFrame,
                    successors: dict[str, list[str]], today: set[str]) -> pd.DataFrame:
    """(schooljaar, CBS region name) -> (today's code, share)."""
    by_year, latest = _name_codes(per_year)
    recs = []
    for year, name in inside[["schooljaar", "regio"]].drop_duplicates().itertuples(index=False):
        n = _norm(ALIASES.get(name, name))
        code = by_year.get((year, n)) or by_year.get((year + 1, n)) or latest.get(n)
        if code is None:
            continue
        for c, s in successor_shares(code, successors, today).items():
            recs.append((year, name, c, s))
    return pd.DataFrame(recs, columns=["schooljaar", "regio", "code", "share"])


def _complete(pupils: pd.DataFrame, gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Every gemeente x year x type (missing cells: 0 pupils, status of the year)."""
    years = sorted(pupils["schooljaar"].unique())
    types = sorted(pupils["soort"].unique())
    idx = pd.MultiIndex.from_product([gemeenten["gemeente"].astype(str), years, types],
                                     names=["gemeente", "schooljaar", "soort"])
    status = pupils.groupby("schooljaar")["status"].max()
    full = pupils.set_index(["gemeente", "schooljaar", "soort"]).reindex(idx).reset_index()
    full["leerlingen"] = full["leerlingen"].fillna(0.0)
    full["status"] = full["status"].fillna(full["schooljaar"].map(status))
    return full
