"""Custom divisions from a CSV file that users write in Excel.

Format (header names are case-insensitive; ``;``, ``,`` or tab separated; UTF-8 or
Windows-1252)::

    pc4;regio;sector          or     gemeente;regio
    1011;Amsterdam-Centrum;PO        GM0363;Amsterdam
    1011;Amsterdam;VO                GM0384;Amsterdam

* one code column: ``pc4`` (or ``postcode``), ``gemeente`` (or ``gemeentecode``; ``363`` is
  read as ``GM0363``) or ``code`` (4 digits = pc4, ``GMxxxx`` = gemeente; one level per file);
* ``regio``: the region (also ``regio_naam``/``naam``); with a ``regio_code`` column that code
  identifies the region and ``regio`` is its name;
* ``sector`` (optional): ``PO``, ``VO`` or ``PO+VO`` (``funderend``); without it every row
  counts for the sector given by the caller (default PO+VO).

Every PC4 (or gemeente) of the atlas must be in exactly one region per sector. All problems
(unknown codes, missing areas, duplicates, mixed levels, empty cells) are collected and raised
together as one :class:`~nabij.errors.InputError` naming the rows; nothing is built then.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions.division import Division
from nabij.errors import InputError, Problem
from nabij.sectors import SECTOR_CODES, parse_sector
from nabij.sectors import sector as sector_of

CODE_COLUMNS = {"pc4": "pc4", "postcode": "pc4", "gemeente": "gemeente",
                "gemeentecode": "gemeente", "code": "code"}
REGION_COLUMNS = ("regio", "regio_naam", "regionaam", "naam")
MAX_LISTED = 25

_PC4 = re.compile(r"[1-9]\d{3}")
_GM = re.compile(r"GM\d{4}")


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV as Excel writes it."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delim = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows = []
    header: list[str] | None = None
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        rows.append((line, [c.strip() for c in cells]))
    return header or [], rows


@dataclass(frozen=True)
class _Layout:
    """Where the columns of a custom division file are."""

    file: str
    header: list[str]
    col: int
    kind: str
    region_col: str | None
    rcol: int | None
    ccol: int | None
    scol: int | None

    def cell(self, cells: list[str], i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""


def read_custom(
    path: str | Path,
    atlas: Atlas,
    sector: str | None = None,
    name: str | None = None,
) -> list[Division]:
    """Divisions (one per sector in the file) from a custom CSV; InputError when invalid.

    Phases: the header (:func:`_layout`), the rows (:func:`_records`), one level per file
    (:func:`_check_levels`), then per sector the mapping onto the atlas (:func:`_mapping`).
    """
    path = Path(path)
    file = path.name
    if not path.exists():
        raise InputError(f"Bestand {path} bestaat niet")
    header, rows = read_table(path)
    lay = _layout(header, file)
    if not rows:
        raise InputError(f"Indeling {file} is ongeldig", [Problem("geen regels", file, 2)])
    problems: list[Problem] = []
    recs = _records(rows, lay, sector, problems)
    _check_levels(recs, lay, sector, problems)
    level = recs[0][1]
    pc4 = atlas.pc4
    known = pd.Index(pc4["pc4"].astype(str) if level == "pc4"
                     else atlas.gemeenten["gemeente"].astype(str))
    divisions = []
    for sec in sorted({r[5] for r in recs}, key=list(SECTOR_CODES).index):
        mapping, names = _mapping([r for r in recs if r[5] == sec], sec, level, known, lay,
                                  problems)
        if problems:
            continue
        if level == "pc4":
            assignment = pd.Series(mapping)
        else:
            assignment = pc4["gemeente"].astype(str).map(mapping)
            assignment.index = pc4["pc4"].astype(str).to_numpy()
        divisions.append(Division(
            name=f"{name or 'Eigen indeling ' + path.stem} {sector_of(sec).label}",
            sector=sec,
            assignment=assignment,
            recipe={"bouwer": "custom", "scenario": f"custom:{path.name}", "sector": sec,
                    "regel": f"eigen indeling uit {path.name} (per {_LEVEL_NL[level]})",
                    "bestand": str(path), "niveau": level},
            region_names=names,
        ))
    if problems:
        raise InputError(f"Indeling {file} is ongeldig", problems)
    return divisions


def _layout(header: list[str], file: str) -> _Layout:
    """The code, region and sector columns of the header (InputError when unclear)."""
    problems: list[Problem] = []
    code_cols = [h for h in header if h in CODE_COLUMNS]
    region_col = next((h for h in REGION_COLUMNS if h in header), None)
    if len(code_cols) != 1:
        problems.append(Problem(
            "kies precies één kolom met codes: pc4, gemeente of code"
            + (f" (gevonden: {', '.join(code_cols)})" if code_cols else ""), file, 1))
    if region_col is None and "regio_code" not in header:
        problems.append(Problem("kolom 'regio' ontbreekt", file, 1))
    if problems:
        raise InputError(f"Indeling {file} is ongeldig", problems)

    def at(col: str | None) -> int | None:
        return header.index(col) if col and col in header else None

    return _Layout(file, header, header.index(code_cols[0]), CODE_COLUMNS[code_cols[0]],
                   region_col, at(region_col), at("regio_code"), at("sector"))


def _records(rows: list[tuple[int, list[str]]], lay: _Layout, sector: str | None,
             problems: list[Problem]) -> list[tuple]:
    """(line, level, code, region code, region name, sector) per valid row of ``sector``."""
    default_sector = sector or "PO+VO"
    recs = []
    for line, cells in rows:
        code = lay.cell(cells, lay.col)
        level = _level(code, lay.kind)
        if level is None:
            problems.append(Problem(
                f"'{code}' is geen postcode (4 cijfers) of gemeentecode (GM0363)"
                if code else "code ontbreekt", lay.file, line, lay.header[lay.col]))
            continue
        reg_name = lay.cell(cells, lay.rcol)
        reg_code = lay.cell(cells, lay.ccol) or reg_name
        if not reg_code:
            problems.append(Problem("regio ontbreekt", lay.file, line,
                                    lay.region_col or "regio_code"))
            continue
        raw = lay.cell(cells, lay.scol).strip()
        try:
            sec = parse_sector(raw, file=lay.file, row=line, column="sector").code \
                if raw else default_sector
        except InputError as e:
            problems += e.problems
            continue
        if sector is None or sec == sector:
            recs.append((line, *level, reg_code, reg_name or reg_code, sec))
    return recs


def _check_levels(recs: list[tuple], lay: _Layout, sector: str | None,
                  problems: list[Problem]) -> None:
    """One level (postcode or gemeente) per file; at least one row."""
    levels = pd.Series([r[1] for r in recs], dtype=object)
    if levels.nunique() > 1:
        main = lay.kind if lay.kind != "code" else levels.value_counts().index[0]
        for line, level, code, *_ in recs:
            if level != main:
                problems.append(Problem(
                    f"'{code}' is een {_LEVEL_NL[level]}, maar dit bestand deelt in per "
                    f"{_LEVEL_NL[main]} (niveaus gemengd)", lay.file, line,
                    lay.header[lay.col]))
        raise InputError(f"Indeling {lay.file} is ongeldig", problems)
    if not recs and not problems:
        problems.append(Problem(f"geen regels voor sector {sector}", lay.file, 2))
    if problems and not recs:
        raise InputError(f"Indeling {lay.file} is ongeldig", problems)


def _mapping(sub: list[tuple], sec: str, level: str, known: pd.Index, lay: _Layout,
             problems: list[Problem]) -> tuple[dict[str, str], dict[str, str]]:
    """Code -> region code and region names of one sector; problems for unknown, double
    and missing codes and for a region code with two names."""
    for_sector = f" voor sector {sec}" if lay.scol is not None else ""
    seen: dict[str, int] = {}
    mapping: dict[str, str] = {}
    names: dict[str, str] = {}
    for line, _, code, reg_code, reg_name, _ in sub:
        if code not in known:
            problems.append(Problem(f"onbekende {_LEVEL_NL[level]} '{code}' (niet in de "
                                    "atlas)", lay.file, line, lay.header[lay.col]))
            continue
        if code in seen:
            problems.append(Problem(
                f"{_LEVEL_NL[level]} '{code}' staat dubbel (ook op rij {seen[code]})"
                + for_sector, lay.file, line, lay.header[lay.col]))
            continue
        seen[code] = line
        mapping[code] = reg_code
        if names.setdefault(reg_code, reg_name) != reg_name:
            problems.append(Problem(
                f"regiocode '{reg_code}' heeft twee namen: '{names[reg_code]}' en "
                f"'{reg_name}'", lay.file, line, "regio"))
    missing = known.difference(pd.Index(list(seen)))
    if len(missing):
        listed = ", ".join(missing[:MAX_LISTED])
        more = f" en nog {len(missing) - MAX_LISTED}" if len(missing) > MAX_LISTED else ""
        problems.append(Problem(
            f"{len(missing)} {_LEVEL_NL[level]}s zonder regio" + for_sector
            + f": {listed}{more}", lay.file))
    return mapping, names


_LEVEL_NL = {"pc4": "postcode", "gemeente": "gemeente"}


def _level(code: str, kind: str) -> tuple[str, str] | None:
    """(level, normalised code) of a cell, given the kind of its column; None if invalid."""
    c = code.strip().upper().replace(" ", "")
    if kind == "gemeente" and c.isdigit() and len(c) <= 4:
        return "gemeente", f"GM{int(c):04d}"
    if _PC4.fullmatch(c):
        return "pc4", c
    if _GM.fullmatch(c):
        return "gemeente", c
    return None
