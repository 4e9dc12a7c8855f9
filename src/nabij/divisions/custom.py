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


def read_custom(
    path: str | Path,
    atlas: Atlas,
    sector: str | None = None,
    name: str | None = None,
) -> list[Division]:
    """Divisions (one per sector in the file) from a custom CSV; InputError when invalid."""
    path = Path(path)
    file = path.name
    if not path.exists():
        raise InputError(f"Bestand {path} bestaat niet")
    header, rows = read_table(path)
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
    if not rows:
        raise InputError(f"Indeling {file} is ongeldig", [Problem("geen regels", file, 2)])

    col = header.index(code_cols[0])
    kind = CODE_COLUMNS[code_cols[0]]
    rcol = header.index(region_col) if region_col else None
    ccol = header.index("regio_code") if "regio_code" in header else None
    scol = header.index("sector") if "sector" in header else None
    default_sector = sector or "PO+VO"

    def cell(cells: list[str], i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    recs = []
    for line, cells in rows:
        code = cell(cells, col)
        level = _level(code, kind)
        if level is None:
            problems.append(Problem(
                f"'{code}' is geen postcode (4 cijfers) of gemeentecode (GM0363)"
                if code else "code ontbreekt", file, line, header[col]))
            continue
        level, code = level
        reg_name = cell(cells, rcol)
        reg_code = cell(cells, ccol) or reg_name
        if not reg_code:
            problems.append(Problem("regio ontbreekt", file, line, region_col or "regio_code"))
            continue
        sec = default_sector
        if scol is not None:
            raw = cell(cells, scol).strip()
            try:
                sec = parse_sector(raw, file=file, row=line, column="sector").code \
                    if raw else default_sector
            except InputError as e:
                problems += e.problems
                continue
        if sector is not None and sec != sector:
            continue
        recs.append((line, level, code, reg_code, reg_name or reg_code, sec))

    levels = pd.Series([r[1] for r in recs], dtype=object)
    if levels.nunique() > 1:
        main = kind if kind != "code" else levels.value_counts().index[0]
        for line, level, code, *_ in recs:
            if level != main:
                problems.append(Problem(
                    f"'{code}' is een {_LEVEL_NL[level]}, maar dit bestand deelt in per "
                    f"{_LEVEL_NL[main]} (niveaus gemengd)", file, line, header[col]))
        raise InputError(f"Indeling {file} is ongeldig", problems)
    if not recs and not problems:
        problems.append(Problem(f"geen regels voor sector {sector}", file, 2))
    if problems and not recs:
        raise InputError(f"Indeling {file} is ongeldig", problems)

    level = recs[0][1]
    pc4 = atlas.pc4
    if level == "pc4":
        known = pd.Index(pc4["pc4"].astype(str))
    else:
        known = pd.Index(atlas.gemeenten["gemeente"].astype(str))
    divisions = []
    for sec in sorted({r[5] for r in recs}, key=list(SECTOR_CODES).index):
        sub = [r for r in recs if r[5] == sec]
        seen: dict[str, int] = {}
        mapping: dict[str, str] = {}
        names: dict[str, str] = {}
        for line, _, code, reg_code, reg_name, _ in sub:
            if code not in known:
                problems.append(Problem(f"onbekende {_LEVEL_NL[level]} '{code}' (niet in de "
                                        "atlas)", file, line, header[col]))
                continue
            if code in seen:
                problems.append(Problem(
                    f"{_LEVEL_NL[level]} '{code}' staat dubbel (ook op rij {seen[code]})"
                    + (f" voor sector {sec}" if scol is not None else ""),
                    file, line, header[col]))
                continue
            seen[code] = line
            mapping[code] = reg_code
            if names.setdefault(reg_code, reg_name) != reg_name:
                problems.append(Problem(
                    f"regiocode '{reg_code}' heeft twee namen: '{names[reg_code]}' en "
                    f"'{reg_name}'", file, line, "regio"))
        missing = known.difference(pd.Index(list(seen)))
        if len(missing):
            listed = ", ".join(missing[:MAX_LISTED])
            more = f" en nog {len(missing) - MAX_LISTED}" if len(missing) > MAX_LISTED else ""
            problems.append(Problem(
                f"{len(missing)} {_LEVEL_NL[level]}s zonder regio"
                + (f" voor sector {sec}" if scol is not None else "") + f": {listed}{more}",
                file))
        if problems:
            continue
        if level == "pc4":
            assignment = pd.Series(mapping)
        else:
            assignment = pc4["gemeente"].astype(str).map(mapping)
            assignment.index = pc4["pc4"].astype(str).to_numpy()
        label = sector_of(sec).label
        divisions.append(Division(
            name=f"{name or 'Eigen indeling ' + path.stem} {label}",
            sector=sec,
            assignment=assignment,
            recipe={"bouwer": "custom", "scenario": f"custom:{path.name}", "sector": sec,
                    "bestand": str(path), "niveau": level},
            region_names=names,
        ))
    if problems:
        raise InputError(f"Indeling {file} is ongeldig", problems)
    return divisions


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
