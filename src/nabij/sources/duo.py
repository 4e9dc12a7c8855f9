"""Readers for DUO's open-data files (onderwijsdata.duo.nl) as published.

Each reader takes one downloaded file and returns a frame in nabij's table vocabulary
(:mod:`nabij.tables`): school locations as ``scholen`` rows, home-postcode flows as
``stromen`` rows, plus two intermediate frames (pupils per location, (v)so pupils per SWV).
Bad input raises :class:`~nabij.errors.InputError` naming the file, the row (as a
spreadsheet numbers it: header = 1) and DUO's own column name.

DUO publishes the same tables in two dialects, and both are accepted:

* the CKAN portal (``onderwijsdata.duo.nl/dataset/...``): comma-separated, quoted, UTF-8,
  headers like ``INSTELLINGSCODE``, ``VESTIGINGSCODE``, ``PEILJAAR``, ``AANTAL_LEERLINGEN``;
* the older ``duo.nl/open_onderwijsdata/images`` files: ``;``-separated, Windows-1252,
  headers with spaces like ``BRIN NUMMER``, ``VESTIGINGSNUMMER``, ``POSTCODE LEERLING``.

Headers are matched after normalisation (upper case, runs of spaces/hyphens/underscores ->
``_``), so ``BEVOEGD GEZAG NUMMER`` and ``BEVOEGD_GEZAG_NUMMER`` are the same column.
Small counts masked as ``<5`` become ``masked`` pupils (default 2, the rounded middle of
1-4) and are counted in ``frame.attrs["gemaskeerd"]``.

How sure we are of the column names (no DUO file was available offline; sources: the DUO
resource catalogue in ``shared/data/duo_catalog``, DUO's dataset pages, and public code
that reads these files):

* confident (catalogue lists them): ``brin6_pc4.csv`` and ``brin6_totaal.csv`` columns
  INSTELLINGSCODE, VESTIGINGSCODE, TYPE_PO, PEILJAAR, POSTCODE4_DEELNEMER,
  AANTAL_LEERLINGEN;
* confident (several independent readers use them): ``vestigingen{bo,so,vo}.csv`` columns
  INSTELLINGSCODE, VESTIGINGSCODE (BRIN + 2-digit number), VESTIGINGSNAAM, POSTCODE,
  GEMEENTENUMMER, BEVOEGD GEZAG NUMMER, and ONDERWIJSSTRUCTUUR in the VO file; the older
  VO postcode file's BRIN NUMMER, VESTIGINGSNUMMER, POSTCODE LEERLING and
  LEER- OF VERBLIJFSJAAR 1..6;
* guessed: the SO/VSO type column of ``vestigingenso.csv`` (SOORT PRIMAIR ONDERWIJS or
  similar, values SO, VSO, SO/VSO), the values of TYPE_PO other than BO (SBO, SO, VSO),
  and all of the (v)so-per-SWV file except ``BINNEN_SWV`` and ``SWV_BETALEND`` (named on
  DUO's dataset page): SWV code, SO/VSO and count columns are found through aliases.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.io.oserrors import os_reason
from nabij.tables import TABLES

MAX_PROBLEMS = 50
MASKED_TEXT = ("<5", "<=4")
_SWV = re.compile(r"(PO|VO)\s*[-_.]?\s*(\d{2})\s*[-_.]?\s*(\d{2})")

TYPE_PO = {"BO": "BAO", "BAO": "BAO", "BASISONDERWIJS": "BAO", "SBO": "SBO", "SBAO": "SBO",
           "SPECIAAL BASISONDERWIJS": "SBO", "SO": "SO", "SPECIAAL ONDERWIJS": "SO",
           "VSO": "VSO", "VOORTGEZET SPECIAAL ONDERWIJS": "VSO", "PRO": "PRO", "VO": "VO"}
"""DUO school-type words -> nabij school types."""


def normalize_swv_code(value: object) -> str | None:
    """``'PO2707'``, ``'PO-27-07'``, ``'SWV PO 27.07'`` -> ``'PO 27-07'``; None if no code."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    m = _SWV.search(str(value).upper())
    return f"{m.group(1)} {m.group(2)}-{m.group(3)}" if m else None


# -- reading DUO csv --------------------------------------------------------------------------


@dataclass
class DuoTable:
    """A DUO file read as text: normalised header -> column of stripped strings."""

    file: str
    frame: pd.DataFrame  # columns: normalised header names; all values str
    names: dict[str, str]  # normalised -> as published
    rows: list[int]  # spreadsheet row number of every record (header = 1)

    def find(self, *aliases: str) -> str | None:
        """The first alias (normalised) present in the file."""
        return next((a for a in aliases if a in self.frame.columns), None)

    def need(self, what: str, *aliases: str) -> str:
        col = self.find(*aliases)
        if col is None:
            shown = ", ".join(self.names.values())
            raise InputError(
                f"{self.file} is geen bekend DUO-bestand",
                [Problem(f"kolom voor {what} ontbreekt (verwacht een van: "
                         f"{', '.join(aliases)}; gevonden: {shown})", self.file, 1, aliases[0])],
            )
        return col

    def problem(self, message: str, i: int, col: str) -> Problem:
        return Problem(message, self.file, self.rows[i], self.names.get(col, col))


def _norm(header: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", header.replace("\ufeff", "").strip().upper()).strip("_")


def read_duo_csv(path: Path) -> DuoTable:
    """Read a DUO CSV (``,`` or ``;``, UTF-8 or Windows-1252) as strings.

    Phases: decode the bytes (:func:`_duo_text`), split records (:func:`_duo_records`), then
    columns by normalised header name.
    """
    path = Path(path)
    name = path.name
    text = _duo_text(path)
    header, records, rows = _duo_records(text, name)
    names: dict[str, str] = {}
    for h in header:
        key = _norm(h)
        if key and key not in names:
            names[key] = h.strip()
    width = len(header)
    cols: dict[str, list[str]] = {k: [] for k in names}
    index = {k: [i for i, h in enumerate(header) if _norm(h) == k][0] for k in names}
    problems = []
    for rec, row in zip(records, rows, strict=True):
        if len(rec) > width and any(v.strip() for v in rec[width:]):
            problems.append(Problem(f"rij heeft {len(rec)} waarden, de kopregel {width} "
                                    f"kolommen", name, row))
        for k, i in index.items():
            cols[k].append(rec[i].strip() if i < len(rec) else "")
    _raise(problems, name)
    return DuoTable(name, pd.DataFrame(cols, dtype=object), names, rows)


def _duo_text(path: Path) -> str:
    """The file as text (UTF-8, else Windows-1252); InputError for Excel, binary, empty."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"Kan {path} niet lezen",
                         [Problem(f"kan bestand niet lezen: {os_reason(e)}", name)]) from e
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{name} is geen CSV", [Problem(
            "dit is een Excel-werkmap of zip-bestand; download de CSV-versie bij DUO", name)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # DUO's older files are Windows-1252
    if "\x00" in text:
        raise InputError(f"{name} is geen tekstbestand",
                         [Problem("bestand bevat NUL-tekens; is het wel een CSV?", name)])
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{name} is leeg", [Problem("bestand is leeg", name)])
    return text


def _duo_records(text: str, name: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and their line numbers (the delimiter that splits the header most)."""
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = max((";", ",", "\t"),
                    key=lambda d: len(next(csv.reader([first], delimiter=d))))
    records: list[list[str]] = []
    rows: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    count = 0
    try:
        for rec in reader:
            count += 1
            if not any(v.strip() for v in rec):
                continue
            if header is None:
                header = rec
                continue
            records.append(rec)
            rows.append(count)
    except csv.Error as e:
        raise InputError(f"{name} is geen geldige CSV",
                         [Problem(f"geen geldige CSV: {e}", name, count + 1)]) from e
    if header is None or not records:
        raise InputError(f"{name} bevat geen gegevens",
                         [Problem("bestand bevat geen gegevens (alleen een kopregel)", name, 2)])
    return header, records, rows


def _raise(problems: list[Problem], file: str) -> None:
    if problems:
        raise InputError(f"{file} bevat fouten ({len(problems)})", problems[:MAX_PROBLEMS])


def _counts(t: DuoTable, col: str, problems: list[Problem], masked: float | None,
            empty_is_zero: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Parse a count column: values, and a mask of '<5' cells (value ``masked`` or NaN)."""
    values = np.zeros(len(t.frame))
    is_masked = np.zeros(len(t.frame), dtype=bool)
    for i, v in enumerate(t.frame[col]):
        if v.replace(" ", "") in MASKED_TEXT:
            is_masked[i] = True
            values[i] = np.nan if masked is None else masked
        elif v == "" and empty_is_zero:
            values[i] = 0
        elif re.fullmatch(r"\d{1,7}", v):
            values[i] = int(v)
        else:
            values[i] = np.nan
            what = "ontbreekt" if v == "" else f"'{v}' is geen aantal leerlingen (geheel getal " \
                                               f"0 of meer, of <5)"
            if len(problems) < MAX_PROBLEMS:
                problems.append(t.problem(f"aantal {what}", i, col))
    return values, is_masked


def _pupil_counts(
    t: DuoTable, problems: list[Problem], masked: float | None, extra: tuple[str, ...] = (),
    wide: tuple[str, ...] = ("LEER_OF_VERBLIJFSJAAR",),
) -> tuple[np.ndarray, np.ndarray]:
    """Pupils per row: one count column (AANTAL_LEERLINGEN, TOTAAL, AANTAL, ``extra``) or the
    sum of the per-year columns starting with ``wide``; a row with a '<5' cell is masked."""
    count_col = t.find("AANTAL_LEERLINGEN", "TOTAAL", "AANTAL", *extra)
    if count_col:
        return _counts(t, count_col, problems, masked)
    cols = [c for c in t.frame.columns if c.startswith(wide)]
    if not cols:
        t.need("het aantal leerlingen", "AANTAL_LEERLINGEN", "TOTAAL", "LEER_OF_VERBLIJFSJAAR_1")
    values = np.zeros(len(t.frame))
    is_masked = np.zeros(len(t.frame), dtype=bool)
    for c in cols:
        v, m = _counts(t, c, problems, 0.0 if masked is None else masked, empty_is_zero=True)
        values += v
        is_masked |= m
    if masked is None:
        values[is_masked] = np.nan
    return values, is_masked


def _year_filter(t: DuoTable, year: int | None) -> np.ndarray:
    """Rows of the requested (default: latest) PEILJAAR; all rows if there is no year."""
    col = t.find("PEILJAAR", "JAAR", "SCHOOLJAAR")
    if col is None:
        return np.ones(len(t.frame), dtype=bool)
    years = pd.to_numeric(t.frame[col].str.slice(0, 4), errors="coerce")
    bad = years.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _raise([t.problem(f"'{t.frame[col].iloc[i]}' is geen jaartal", i, col)], t.file)
    want = int(years.max()) if year is None else int(year)
    keep = (years == want).to_numpy()
    if not keep.any():
        _raise([Problem(f"geen gegevens voor {t.names[col]} {want} (wel: "
                        f"{', '.join(map(str, sorted(set(years.astype(int)))))})", t.file, None,
                        t.names[col])], t.file)
    return keep


def _vestiging(t: DuoTable, problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """BRIN (4) and vestiging (BRIN + 2 digits) per row, from the BRIN/vestiging columns."""
    brin_col = t.find("INSTELLINGSCODE", "BRIN_NUMMER", "BRIN", "BRINNUMMER")
    vest_col = t.need("de vestiging", "VESTIGINGSCODE", "VESTIGINGSNUMMER", "VESTIGING",
                      "BRIN6", "BRINVESTIGING")
    brins, vests = [], []
    for i, v in enumerate(t.frame[vest_col]):
        v = v.upper().replace(" ", "")
        b = t.frame[brin_col].iloc[i].upper().replace(" ", "") if brin_col else v[:4]
        if re.fullmatch(r"[0-9A-Z]{4}\d{2}", v):
            vest = v
        elif re.fullmatch(r"\d{1,2}", v) and re.fullmatch(r"[0-9A-Z]{4}", b):
            vest = b + v.zfill(2)
        else:
            vest = None
            if len(problems) < MAX_PROBLEMS:
                problems.append(t.problem(
                    f"ongeldige vestigingscode '{v}' (verwacht BRIN + nummer, zoals 00AA00)",
                    i, vest_col))
        if vest and brin_col and b and vest[:4] != b and len(problems) < MAX_PROBLEMS:
            problems.append(t.problem(f"vestiging {vest} hoort niet bij instelling {b}", i,
                                      brin_col))
        vests.append(vest)
        brins.append(vest[:4] if vest else None)
    return pd.Series(brins, dtype=object), pd.Series(vests, dtype=object)


def _school_type(t: DuoTable, col: str, i: int, problems: list[Problem],
                 allowed: Iterable[str]) -> list[str]:
    """School types of one cell: 'SO/VSO' -> ['SO', 'VSO']."""
    raw = t.frame[col].iloc[i]
    parts = [p for p in re.split(r"[/;,+&]|\s+EN\s+", raw.upper()) if p.strip()]
    out = []
    for p in parts:
        p = p.strip().replace("(V)SO", "SO/VSO")
        for q in p.split("/"):
            q = q.strip()
            if q in TYPE_PO and TYPE_PO[q] in allowed:
                out.append(TYPE_PO[q])
            elif len(problems) < MAX_PROBLEMS:
                problems.append(t.problem(f"onbekende schoolsoort '{q}' (verwacht: "
                                          f"{', '.join(sorted(allowed))})", i, col))
    return list(dict.fromkeys(out))


# -- (1) school locations ---------------------------------------------------------------------


def read_vestigingen(path: Path, sector: str | None = None) -> pd.DataFrame:
    """School locations from DUO's address files ``vestigingen{bo,so,vo}.csv``.

    Follows the CKAN resources "Alle vestigingen in het basisonderwijs"
    (``adressen_bo``/``vestigingenbo.csv``), "Adressen van vestigingen in het speciaal
    onderwijs" (``adressen_so``/``vestigingenso.csv``) and "Adressen van vestigingen in het
    voortgezet onderwijs" (``adressen_vo``/``vestigingenvo.csv``), and the older
    ``02.-alle-vestigingen-{bo,vo}.csv``. ``sector`` is ``"bo"``, ``"so"`` or ``"vo"``
    (default: from the file name, else from the columns).

    Returns ``scholen`` columns vestiging, brin, naam, soort, bestuur, gemeente, pc4 (DUO
    has no coordinates and no pupil counts here: see :func:`scholen_from_duo`). The type is
    BAO for bo (SBO when a type column says so), SO/VSO from the SO file's type column
    (guessed name; a combined SO/VSO location gives two rows), and VO or PRO from
    ONDERWIJSSTRUCTUUR (a VO location with a PRO department gives a VO and a PRO row).
    """
    t = read_duo_csv(path)
    sector = (sector or _sector_from_name(t.file) or
              ("vo" if t.find("ONDERWIJSSTRUCTUUR") else None) or
              ("so" if t.find(*_SO_TYPE_COLS) else "bo")).lower()
    if sector not in ("bo", "so", "vo"):
        raise ValueError(f"sector must be bo, so or vo, not {sector!r}")
    problems: list[Problem] = []
    brin, vest = _vestiging(t, problems)
    naam_col = t.need("de naam", "VESTIGINGSNAAM", "NAAM_VESTIGING", "INSTELLINGSNAAM_VESTIGING",
                      "INSTELLINGSNAAM", "NAAM")
    pc_col = t.need("de postcode", "POSTCODE", "POSTCODE_VESTIGING")
    gm_col = t.need("de gemeente", "GEMEENTENUMMER", "GEMEENTECODE", "GEMEENTECODE_VESTIGING")
    bg_col = t.need("het bevoegd gezag", "BEVOEGD_GEZAG_NUMMER", "BEVOEGD_GEZAGNUMMER",
                    "BEVOEGDGEZAGNUMMER")
    type_col = {
        "bo": t.find("SOORT_PO", "TYPE_PO", "SOORT_PRIMAIR_ONDERWIJS", "SOORT_VESTIGING"),
        "so": t.find(*_SO_TYPE_COLS),
        "vo": t.find("ONDERWIJSSTRUCTUUR"),
    }[sector]
    out = []
    for i in range(len(t.frame)):
        pc4 = _pc4_of_postcode(t, pc_col, i, problems)
        gm = _gemeente(t, gm_col, i, problems)
        bestuur = t.frame[bg_col].iloc[i]
        if not re.fullmatch(r"\d{1,6}", bestuur) and len(problems) < MAX_PROBLEMS:
            problems.append(t.problem(f"ongeldig bevoegd-gezagnummer '{bestuur}'", i, bg_col))
        naam = t.frame[naam_col].iloc[i]
        if not naam and len(problems) < MAX_PROBLEMS:
            problems.append(t.problem("naam ontbreekt", i, naam_col))
        for soort in _location_types(t, sector, type_col, i, problems):
            out.append({"vestiging": vest.iloc[i], "brin": brin.iloc[i], "naam": naam,
                        "soort": soort, "bestuur": bestuur, "gemeente": gm, "pc4": pc4,
                        "_row": t.rows[i]})
        if len(problems) >= MAX_PROBLEMS:
            break
    _raise(problems, t.file)
    df = pd.DataFrame(out, columns=["vestiging", "brin", "naam", "soort", "bestuur", "gemeente",
                                    "pc4", "_row"])
    dup = df.duplicated(["vestiging", "soort"], keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        rows = df.loc[dup & (df["vestiging"] == first["vestiging"]), "_row"].tolist()
        _raise([Problem(f"vestiging {first['vestiging']} staat er meer dan eens in (ook rij "
                        f"{', '.join(map(str, rows[1:]))})", t.file, int(rows[0]),
                        t.names.get(t.find("VESTIGINGSCODE", "VESTIGINGSNUMMER", "VESTIGING",
                                           "BRIN6", "BRINVESTIGING") or "", None))], t.file)
    return df.drop(columns="_row")


_SO_TYPE_COLS = ("SOORT_PRIMAIR_ONDERWIJS", "SOORT_PO", "TYPE_PO", "SOORT_ONDERWIJS",
                 "ONDERWIJSSOORT", "SOORT_VESTIGING", "ONDERWIJS")


def _sector_from_name(name: str) -> str | None:
    m = re.search(r"(?:vestigingen|vestigingen-|adressen_)(bo|so|vo)", name.lower())
    return m.group(1) if m else None


def _location_types(t: DuoTable, sector: str, col: str | None, i: int,
                    problems: list[Problem]) -> list[str]:
    if sector == "vo":
        if col is None:
            return ["VO"]
        parts = {p.strip() for p in re.split(r"[/,;+ ]+", t.frame[col].iloc[i].upper())
                 if p.strip()}
        if not parts:
            return ["VO"]
        if parts == {"PRO"} or parts == {"PRAKTIJKONDERWIJS"}:
            return ["PRO"]
        return ["VO", "PRO"] if "PRO" in parts else ["VO"]
    if col is None:
        return ["BAO" if sector == "bo" else "SO"]
    if sector == "bo" and not t.frame[col].iloc[i]:
        return ["BAO"]
    allowed = ("BAO", "SBO") if sector == "bo" else ("SO", "VSO")
    return _school_type(t, col, i, problems, allowed) or (["BAO"] if sector == "bo" else [])


def _pc4_of_postcode(t: DuoTable, col: str, i: int, problems: list[Problem]) -> str | None:
    v = t.frame[col].iloc[i].upper()
    m = re.fullmatch(r"([1-9]\d{3})\s*([A-Z]{2})?", v)
    if m:
        return m.group(1)
    if len(problems) < MAX_PROBLEMS:
        problems.append(t.problem(f"ongeldige postcode '{v}' (verwacht zoals 1234 AB)", i, col))
    return None


def _gemeente(t: DuoTable, col: str, i: int, problems: list[Problem]) -> str | None:
    v = t.frame[col].iloc[i].upper().removeprefix("GM")
    if re.fullmatch(r"\d{1,4}", v):
        return f"GM{int(v):04d}"
    if len(problems) < MAX_PROBLEMS:
        problems.append(t.problem(f"ongeldig gemeentenummer '{t.frame[col].iloc[i]}' "
                                  f"(verwacht zoals 0363)", i, col))
    return None


# -- (2) pupils per location --------------------------------------------------------------------


def read_leerlingen(path: Path, year: int | None = None, masked: float = 2.0) -> pd.DataFrame:
    """Pupils per school location and type on 1 October of ``year`` (default: latest).

    Follows "Leerlingen po per vestiging" (``poleerlingen``/``brin6_totaal.csv``: one row
    per INSTELLINGSCODE, VESTIGINGSCODE, TYPE_PO, PEILJAAR with AANTAL_LEERLINGEN) and the
    VO file "01. Leerlingen vo per vestiging naar onderwijstype" (wide: the columns
    ``LEER- OF VERBLIJFSJAAR ...`` are summed; a row whose onderwijstype is PRO counts as
    PRO). Returns columns vestiging, soort, leerlingen (float; '<5' -> ``masked``).
    """
    t = read_duo_csv(path)
    keep = _year_filter(t, year)
    problems: list[Problem] = []
    _, vest = _vestiging(t, problems)
    values, is_masked = _pupil_counts(t, problems, masked, extra=("LEERLINGEN",),
                                      wide=("LEER_OF_VERBLIJFSJAAR", "LEERJAAR_"))
    soort = _types_per_row(t, problems)
    _raise(problems, t.file)
    df = pd.DataFrame({"vestiging": vest, "soort": soort, "leerlingen": values,
                       "gemaskeerd": is_masked})[keep]
    out = df.groupby(["vestiging", "soort"], as_index=False, sort=True).agg(
        leerlingen=("leerlingen", "sum"), gemaskeerd=("gemaskeerd", "sum"))
    out.attrs["gemaskeerd"] = int(df["gemaskeerd"].sum())
    out.attrs["bestand"] = t.file
    return out


def _types_per_row(t: DuoTable, problems: list[Problem]) -> list[str | None]:
    """nabij school type of each row: TYPE_PO (PO files) or VO/PRO (VO files)."""
    po_col = t.find("TYPE_PO", "SOORT_PO", "SOORT_PRIMAIR_ONDERWIJS", "SOORT_VESTIGING")
    if po_col:
        out = []
        for i in range(len(t.frame)):
            types = _school_type(t, po_col, i, problems, ("BAO", "SBO", "SO", "VSO"))
            if len(types) > 1 and len(problems) < MAX_PROBLEMS:
                problems.append(t.problem("verwacht precies één schoolsoort per rij", i, po_col))
            out.append(types[0] if types else None)
        return out
    vo_col = t.find("ONDERWIJSTYPE_VO", "ONDERWIJSTYPE", "TYPE_VO", "OPLEIDINGSNAAM",
                    "ONDERWIJSSTRUCTUUR")
    if vo_col is None:
        return ["VO"] * len(t.frame)
    return ["PRO" if v.upper().strip() in ("PRO", "PRAKTIJKONDERWIJS") else "VO"
            for v in t.frame[vo_col]]


# -- (3) (v)so pupils per SWV ---------------------------------------------------------------------


def read_so_vso_swv(path: Path, year: int | None = None, masked: float = 2.0) -> pd.DataFrame:
    """SO/VSO pupils per samenwerkingsverband, split by the ``BINNEN_SWV`` flag.

    Follows "Leerlingen so en vso per samenwerkingsverband naar bekostigingscategorie"
    (dataset ``leerling_so_en_vso``) and the older "05. Leerlingen so en vso per binnen en
    buiten swv vestiging met bekostigingscategorie" / "02. ... binnen en buiten swv
    betalend". ``BINNEN_SWV`` says whether the SWV where the pupil goes to school (05) or
    lives (02) is the SWV that pays. The SWV column is found among several guessed names
    (``frame.attrs["swv_kolom"]`` says which); rows whose SWV cell holds a BRIN number
    (cluster 1/2 institutions, justice institutions) are skipped and counted in
    ``attrs["overgeslagen"]``. Counts: AANTAL_LEERLINGEN/TOTAAL if present, else the sum of
    the bekostigingscategorie columns (LAAG, MIDDEN, HOOG).

    Returns columns swv ("PO 27-07"), soort (SO or VSO, or None when the file has no type
    column), binnen_swv (bool), leerlingen (float).
    """
    t = read_duo_csv(path)
    keep = _year_filter(t, year)
    problems: list[Problem] = []
    swv_col = t.need("het samenwerkingsverband", "SAMENWERKINGSVERBAND", "SWV",
                     "SAMENWERKINGSVERBANDNUMMER", "CODE_SAMENWERKINGSVERBAND", "SWV_CODE",
                     "SWV_NUMMER", "SWV_VESTIGING", "SWV_BETALEND", "SWV_WOONACHTIG")
    flag_col = t.need("binnen/buiten het SWV", "BINNEN_SWV")
    type_col = t.find("SOORT_ONDERWIJS", "ONDERWIJSSOORT", "TYPE_PO", "SOORT_PO", "SO_VSO",
                      "SOORT_PRIMAIR_ONDERWIJS", "ONDERWIJSTYPE")
    count_col = t.find("AANTAL_LEERLINGEN", "TOTAAL", "TOTAAL_AANTAL_LEERLINGEN", "AANTAL")
    if count_col:
        values, is_masked = _counts(t, count_col, problems, masked)
    else:
        cats = [c for c in t.frame.columns
                if re.search(r"(^|_)(LAAG|MIDDEN|HOOG|CATEGORIE_[123])($|_)", c)]
        if not cats:
            t.need("het aantal leerlingen", "AANTAL_LEERLINGEN", "TOTAAL", "LAAG")
        values = np.zeros(len(t.frame))
        is_masked = np.zeros(len(t.frame), dtype=bool)
        for c in cats:
            v, m = _counts(t, c, problems, masked, empty_is_zero=True)
            values += v
            is_masked |= m
    swv, skipped = [], np.zeros(len(t.frame), dtype=bool)
    for i, v in enumerate(t.frame[swv_col]):
        code = normalize_swv_code(v)
        if code is None:
            if re.fullmatch(r"[0-9A-Z]{4}(\d{2})?", v.upper()) or v == "":
                skipped[i] = True
            elif len(problems) < MAX_PROBLEMS:
                problems.append(t.problem(f"ongeldige SWV-code '{v}' (verwacht zoals PO 27-07)",
                                          i, swv_col))
        swv.append(code)
    binnen = [_flag(t, flag_col, i, problems) for i in range(len(t.frame))]
    soort: list[str | None] = [None] * len(t.frame)
    if type_col:
        soort = []
        for i in range(len(t.frame)):
            types = _school_type(t, type_col, i, problems, ("SO", "VSO"))
            soort.append(types[0] if len(types) == 1 else None)
    _raise(problems, t.file)
    df = pd.DataFrame({"swv": swv, "soort": soort, "binnen_swv": binnen, "leerlingen": values})
    rows = keep & ~skipped
    out = df[rows].groupby(["swv", "soort", "binnen_swv"], as_index=False, dropna=False,
                           sort=True)["leerlingen"].sum()
    out.attrs.update(swv_kolom=t.names[swv_col], overgeslagen=int((keep & skipped).sum()),
                     gemaskeerd=int((is_masked & rows).sum()), bestand=t.file)
    return out


def _flag(t: DuoTable, col: str, i: int, problems: list[Problem]) -> bool:
    v = t.frame[col].iloc[i].strip().lower()
    if v in ("ja", "j", "1", "true", "waar", "binnen", "y", "yes"):
        return True
    if v in ("nee", "n", "0", "false", "onwaar", "buiten", "no"):
        return False
    if len(problems) < MAX_PROBLEMS:
        problems.append(t.problem(f"'{t.frame[col].iloc[i]}' is geen ja/nee-waarde", i, col))
    return False


# -- (4) pupils per home postcode per location ----------------------------------------------------


def read_pc4_stromen(path: Path, year: int | None = None, masked: float | None = 2.0,
                     scholen: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pupil flows home PC4 -> school location as ``stromen`` rows.

    Follows "Leerlingen po per vestiging naar postcode4" (``popostcode4``/``brin6_pc4.csv``:
    INSTELLINGSCODE, VESTIGINGSCODE, TYPE_PO, PEILJAAR, POSTCODE4_DEELNEMER,
    AANTAL_LEERLINGEN), the older PO "03. Leerlingen po totaaloverzicht" (BRIN_NUMMER,
    VESTIGINGSNUMMER, POSTCODE_LEERLING, SOORT_PO, TOTAAL) and the VO file "02.
    Leerlingen vo per vestiging naar postcode leerling en leerjaar" (BRIN NUMMER,
    VESTIGINGSNUMMER, POSTCODE LEERLING, LEER- OF VERBLIJFSJAAR 1..6, summed). Counts of
    '<5' become ``masked`` pupils (``None``: drop them); postcodes that are empty, 0000 or
    not Dutch (e.g. "Buitenland") are dropped and counted in ``attrs["zonder_postcode"]``.
    Rows for the same (pc4, vestiging, soort) are summed. The VO postcode file has no school
    type: its rows are VO, or PRO for a location that ``scholen`` (e.g. from
    :func:`read_vestigingen`) lists as PRO only.
    """
    t = read_duo_csv(path)
    keep = _year_filter(t, year)
    problems: list[Problem] = []
    _, vest = _vestiging(t, problems)
    pc_col = t.need("de woonpostcode", "POSTCODE4_DEELNEMER", "POSTCODE_LEERLING",
                    "POSTCODE4_LEERLING", "PC4_LEERLING", "POSTCODE4", "PC4", "POSTCODE")
    values, is_masked = _pupil_counts(t, problems, masked)
    pc4, unknown = [], np.zeros(len(t.frame), dtype=bool)
    for i, v in enumerate(t.frame[pc_col]):
        v = v.upper().replace(" ", "")
        m = re.fullmatch(r"(\d{4})([A-Z]{2})?", v)
        if m and m.group(1)[0] != "0":
            pc4.append(m.group(1))
        elif m or v == "" or re.fullmatch(r"[A-Z .-]+", v):  # 0000, empty, BUITENLAND, ...
            pc4.append(None)
            unknown[i] = True
        else:
            pc4.append(None)
            if len(problems) < MAX_PROBLEMS:
                problems.append(t.problem(f"ongeldige postcode '{t.frame[pc_col].iloc[i]}' "
                                          f"(verwacht 4 cijfers, zoals 1011)", i, pc_col))
    soort = _types_per_row(t, problems)
    _raise(problems, t.file)
    df = pd.DataFrame({"pc4": pc4, "vestiging": vest, "soort": soort, "leerlingen": values})
    if scholen is not None:
        types = scholen.groupby("vestiging")["soort"].agg(frozenset)
        pro_only = set(types[types == frozenset({"PRO"})].index)
        df.loc[(df["soort"] == "VO") & df["vestiging"].isin(pro_only), "soort"] = "PRO"
    rows = keep & ~unknown & ~np.isnan(values)
    out = df[rows].groupby(["pc4", "vestiging", "soort"], as_index=False, sort=True)[
        "leerlingen"].sum()
    out = out[TABLES["stromen"].names]
    out.attrs.update(gemaskeerd=int((is_masked & keep).sum()),
                     zonder_postcode=int((unknown & keep).sum()), bestand=t.file)
    return out


# -- assembling scholen ---------------------------------------------------------------------------


def scholen_from_duo(vestigingen: pd.DataFrame, leerlingen: pd.DataFrame,
                     pc4: pd.DataFrame | None = None) -> pd.DataFrame:
    """``scholen`` rows from DUO locations, pupil counts and (for coordinates) the pc4 table.

    The types come from the pupil counts where DUO has them (a bo location with SBO pupils
    becomes SBO; a SO location with VSO pupils gets a VSO row); locations without pupils are
    dropped (``attrs["zonder_leerlingen"]``), as are counts of unknown locations
    (``attrs["zonder_adres"]``). Coordinates are the centroid of the location's PC4
    (NaN when unknown). ``leerlingen`` is rounded to whole pupils.
    """
    loc = vestigingen.drop_duplicates("vestiging").drop(columns="soort")
    counts = leerlingen[["vestiging", "soort", "leerlingen"]]
    df = counts.merge(loc, on="vestiging", how="inner")
    zonder_adres = int((~counts["vestiging"].isin(loc["vestiging"])).sum())
    zonder_leerlingen = int((~loc["vestiging"].isin(counts["vestiging"])).sum())
    if pc4 is not None:
        df = df.merge(pc4[["pc4", "lat", "lon"]], on="pc4", how="left")
    else:
        df["lat"] = np.nan
        df["lon"] = np.nan
    df["clusters"] = None
    df["leerlingen"] = df["leerlingen"].round().astype("Int64")
    df["leerlingen_gemodelleerd"] = False
    out = df[TABLES["scholen"].names].sort_values(["vestiging", "soort"]).reset_index(drop=True)
    out.attrs.update(zonder_adres=zonder_adres, zonder_leerlingen=zonder_leerlingen)
    return out
