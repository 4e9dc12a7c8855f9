"""The one reader of user CSV files: size limit, encoding, delimiter, Dutch errors.

Accepted (the folder format of ``nabij atlas build --from`` and every other user CSV):
UTF-8 with or without BOM, ``;``, ``,`` or tab as delimiter (sniffed from the header),
quoted fields as Excel writes them. Rejected with a Dutch message naming file and line:
Excel workbooks/zip files, UTF-16, invalid UTF-8, NUL characters, broken quoting, and files
larger than :data:`MAX_CSV_BYTES`.

**Size limit.** A file is decoded and checked as a whole (every problem is reported with its
row), which takes about 35 bytes of memory per byte of CSV. Files above
:data:`MAX_CSV_BYTES` (25 MB, about 600,000 flow rows — more than all pupil flows of the
Netherlands at PC4 level) are refused before reading, so memory stays under 1 GB.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from nabij.errors import InputError, Problem
from nabij.io.oserrors import os_reason

MAX_CSV_BYTES = 25_000_000
"""Largest user CSV nabij reads (bytes); larger files are refused at the start."""

DELIMITERS = (";", ",", "\t")
SAVE_AS_UTF8 = "sla het bestand in Excel op als 'CSV UTF-8 (door komma's gescheiden)'"


def _limit() -> int:
    try:
        return int(os.environ.get("NABIJ_MAX_CSV_BYTES", MAX_CSV_BYTES))
    except ValueError:
        return MAX_CSV_BYTES


def read_user_bytes(path: Path, name: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a user file, or a Dutch problem (unreadable, too large)."""
    path = Path(path)
    name = name or path.name
    try:
        size = path.stat().st_size
        if size > _limit():
            return None, [Problem(
                f"bestand is te groot ({size / 1e6:.0f} MB; nabij leest CSV-bestanden tot "
                f"{_limit() / 1e6:.0f} MB). Splits het bestand of verklein het (bijvoorbeeld "
                "per regio of zonder lege kolommen)", name)]
        return path.read_bytes(), []
    except OSError as e:
        return None, [Problem(f"kan bestand niet lezen: {os_reason(e)}", name)]


def decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """UTF-8 text (BOM removed) or None with a Dutch problem."""
    if data.startswith(b"PK\x03\x04"):
        problems.append(Problem(f"dit is een Excel-werkmap of zip-bestand, geen CSV; "
                                f"{SAVE_AS_UTF8}", file))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(f"bestand is UTF-16 gecodeerd, niet UTF-8; {SAVE_AS_UTF8}", file))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        pos = e.start - data.rfind(b"\n", 0, e.start)
        problems.append(Problem(
            f"bestand is geen geldige UTF-8: onleesbaar byte 0x{data[e.start]:02X} op regel "
            f"{line} (teken {pos}); {SAVE_AS_UTF8}", file, line))
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.append(Problem(f"bestand bevat een NUL-teken op regel {line}; is het wel een "
                                f"CSV-bestand? Zo ja: {SAVE_AS_UTF8}", file, line))
        return None
    if not text.strip().replace("\ufeff", ""):
        problems.append(Problem("bestand is leeg", file))
        return None
    return text


def sniff(header_line: str, names: Iterable[str] = ()) -> str:
    """The delimiter that splits the header into the most known column names (then the most
    fields)."""
    known_names = {n.lower() for n in names}

    def score(d: str) -> tuple[int, int]:
        fields = next(csv.reader([header_line], delimiter=d), [])
        known = sum(f.replace("\ufeff", "").strip().lower() in known_names for f in fields)
        return known, len(fields)

    return max(DELIMITERS, key=score)


def parse(text: str, file: str, problems: list[Problem], names: Iterable[str] = ()
          ) -> tuple[list[list[str]] | None, str]:
    """All records (header first) and the delimiter, or None with a Dutch problem."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = sniff(first, names)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for rec in reader:
            records.append(rec)
    except csv.Error as e:
        why = (f"een waarde is langer dan {csv.field_size_limit()} tekens; ontbreekt er een "
               f"afsluitend aanhalingsteken (\")?" if "field limit" in str(e)
               else "controleer de aanhalingstekens (\") in deze rij")
        problems.append(Problem(f"bestand is geen geldige CSV: {why}", file, len(records) + 1))
        return None, delimiter
    if records and not any(v.strip() for v in records[0]):
        problems.append(Problem("eerste regel moet de kopregel met kolomnamen zijn, niet leeg",
                                file, 1))
        return None, delimiter
    return records, delimiter


def read_user_csv(path: str | Path, what: str = "bestand", names: Iterable[str] = ()
                  ) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header (lower case, stripped), ``(line, cells)`` of the non-blank rows and the
    delimiter of a user CSV; raises :class:`InputError` (Dutch, file and line) when unusable."""
    path = Path(path)
    problems: list[Problem] = []
    data, problems = read_user_bytes(path, str(path))
    text = decode(data, str(path), problems) if data is not None else None
    records = None
    delimiter = ","
    if text is not None:
        records, delimiter = parse(text, str(path), problems, names)
    if records is None:
        raise InputError(f"{what} {path} is onbruikbaar; er is niets geschreven", problems)
    header = [h.replace("\ufeff", "").strip().lower() for h in records[0]] if records else []
    rows = [(i + 2, [c.strip() for c in rec]) for i, rec in enumerate(records[1:])
            if any(c.strip() for c in rec)]
    return header, rows, delimiter
