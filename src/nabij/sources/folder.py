"""The user's own tables: a folder of CSV files (the format of ``nabij atlas build --from``).

The format is documented for users in ``docs/mapformaat.md`` (Dutch). One CSV per table of
:data:`nabij.tables.TABLES`, named ``<table>.csv``; optionally ``gemeenten.geojson``
(gemeente polygons) and ``atlas.toml`` (name, reference year, sources, provenance).

Files are typically edited in Excel, so the reader accepts ``;``, ``,`` or tab as delimiter
(sniffed from the header), UTF-8 with or without BOM, a decimal comma when the delimiter is
not a comma, header names in any case, and surrounding whitespace. Type coercion and the
per-column checks (patterns, choices, ranges, keys) are done by
:func:`nabij.validation.coerce_table`; this module adds the file-level checks (encoding,
delimiter, header, shape of rows, unknown columns). Referential integrity across tables is
checked by the Atlas builder.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.io.atomic import atomic_write_text
from nabij.io.cells import csv_safe
from nabij.io.csvread import SAVE_AS_UTF8, decode, parse, read_user_bytes
from nabij.io.labels import PROVENANCE_LABELS
from nabij.io.oserrors import os_reason
from nabij.tables import NL_LAT, NL_LON, TABLE_ORDER, TABLES, TableBundle, TableSpec

CONFIG_FILE = "atlas.toml"
GEOMETRY_FILE = "gemeenten.geojson"
MAX_PROBLEMS_PER_FILE = 50
MAX_ABS_NUMBER = 1e15
"""Numbers beyond this are rejected before coercion (no count or coordinate is that big)."""

STATUS_WORDS = {
    "observed": "observed", "waargenomen": "observed",
    "modelled": "modelled", "gemodelleerd": "modelled", "geschat": "modelled",
    "mixed": "mixed", "gemengd": "mixed", "deels gemodelleerd": "mixed",
}
STATUS_DUTCH = PROVENANCE_LABELS
CONFIG_KEYS = {"naam", "name", "referentiejaar", "bronnen", "notities", "herkomst"}
HERKOMST_KEYS = {"status", "bron", "toelichting"}
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")


# -- reading -------------------------------------------------------------------------------


def read_folder(path: Path) -> TableBundle:
    """Read a folder of CSV files into a :class:`~nabij.tables.TableBundle`.

    Tables are typed as in :mod:`nabij.tables` and labelled ``observed`` (source: the file)
    unless ``atlas.toml`` says otherwise. Optional tables that are absent are left out: the
    Atlas builder derives or estimates them and labels them modelled. Raises
    :class:`~nabij.errors.InputError` listing every problem found (per file up to
    :data:`MAX_PROBLEMS_PER_FILE`), each naming file, row (as Excel numbers it, header = 1)
    and column.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"Map {path} bestaat niet", [Problem("map bestaat niet", str(path))])
    if not path.is_dir():
        raise InputError(
            f"{path} is geen map",
            [Problem("verwacht een map met CSV-bestanden, geen bestand", str(path))],
        )
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    notes: list[str] = []
    for p in sorted(path.iterdir()):
        if p.is_file():
            if p.name.lower() in files:
                problems.append(Problem(f"twee bestanden met dezelfde naam: "
                                        f"{files[p.name.lower()].name} en {p.name}; verwijder "
                                        f"er één", p.name))
            files[p.name.lower()] = p

    config = _read_config(files.get(CONFIG_FILE), problems)
    tables: dict[str, pd.DataFrame] = {}
    origin: dict[str, str] = {}
    for name, spec in TABLES.items():
        file = files.get(spec.file)
        if file is None:
            if spec.required:
                problems.append(Problem(_missing_file_message(spec, files), spec.file))
            continue
        df, file_problems, file_notes = read_table(spec, file)
        problems += file_problems
        notes += file_notes
        if df is not None:
            tables[name] = df
            origin[name] = file.name

    geometry = None
    if GEOMETRY_FILE in files:
        geometry = read_geometry(files[GEOMETRY_FILE], problems)

    known = {spec.file for spec in TABLES.values()} | {CONFIG_FILE, GEOMETRY_FILE}
    ignored = sorted(p.name for key, p in files.items() if key not in known
                     and not key.startswith((".", "~$")))
    if ignored:
        notes.append(f"Bestanden genegeerd (geen onderdeel van het mapformaat): "
                     f"{', '.join(ignored)}.")

    if problems:
        raise InputError(
            f"De map {path} bevat fouten ({len(problems)} "
            f"{'probleem' if len(problems) == 1 else 'problemen'})",
            problems,
        )

    reference_year = config.get("referentiejaar")
    if reference_year is None:
        reference_year = date.today().year
        notes.append(f"Geen referentiejaar opgegeven in {CONFIG_FILE}; aangenomen: "
                     f"{reference_year}.")
    provenance = _provenance(tables, origin, path, config.get("herkomst", {}))
    return TableBundle(
        name=str(config.get("naam") or path.resolve().name),
        reference_year=int(reference_year),
        tables=tables,
        provenance=provenance,
        sources=list(config.get("bronnen") or [f"eigen tabellen uit map {path}"]),
        notes=list(config.get("notities", [])) + notes,
        geometry=geometry,
        origin=origin,
        row_offset={name: 2 for name in tables},
    )


def read_table(
    spec: TableSpec, file: Path
) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Read and check one CSV file against its table spec.

    Returns the typed frame (``None`` when the file is unusable, or when an optional table
    has no rows), the problems and Dutch notes (ignored columns, ...).
    """
    name = file.name
    problems: list[Problem] = []
    notes: list[str] = []
    data, problems = read_user_bytes(file, name)
    if data is None:
        return None, problems, notes
    text = _decode(data, name, problems)
    if text is None:
        return None, problems, notes
    records, delimiter = _parse_csv(text, spec, name, problems)
    if records is None:
        return None, problems, notes

    header = [h.replace("\ufeff", "").strip() for h in records[0]]
    body = records[1:]
    while body and _blank(body[-1]):
        body.pop()
    columns = _map_header(spec, header, name, problems, notes)
    if columns is None:
        return None, problems, notes
    if not body:
        if spec.required:
            problems.append(Problem("bestand bevat geen gegevens (alleen een kopregel)", name, 2))
            return None, problems, notes
        notes.append(f"{name} bevat geen rijen en is behandeld als ontbrekend.")
        return None, problems, notes

    width = len(header)
    for i, rec in enumerate(body):
        if len(rec) == width and "".join(rec).strip():
            continue  # the common case, checked at C speed
        row = i + 2
        if _blank(rec):
            problems.append(Problem("lege rij; verwijder deze rij", name, row))
        elif len(rec) > width and any(v.strip() for v in rec[width:]):
            hint = (" (staat er een komma als decimaalteken in een bestand met komma als "
                    "scheidingsteken? Gebruik dan ';' als scheidingsteken)"
                    if delimiter == "," else "")
            problems.append(Problem(
                f"rij heeft {len(rec)} waarden, de kopregel {width} kolommen{hint}", name, row))
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            break
    if problems:
        return None, problems[:MAX_PROBLEMS_PER_FILE], notes

    wanted = sorted(columns, key=lambda idx: spec.names.index(columns[idx]))
    cells = {columns[idx]: [rec[idx] if idx < len(rec) else "" for rec in body]
             for idx in wanted}
    raw = pd.DataFrame({col: pd.Series(v, dtype=object).str.strip() for col, v in cells.items()},
                       dtype=object)
    pre = _normalize(spec, raw, name, decimal_comma=delimiter != ",")
    typed, coerce_problems = _coerce(spec, raw, name)
    seen = {(p.row, p.column) for p in pre}
    problems = pre + [p for p in coerce_problems if (p.row, p.column) not in seen]
    if problems:
        return None, problems[:MAX_PROBLEMS_PER_FILE], notes
    return typed[[c for c in spec.names if c in typed.columns]], [], notes


def _coerce(spec: TableSpec, raw: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    from nabij.validation import coerce_table

    return coerce_table(spec, raw, file, row_offset=2, decimal_comma=False)


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    return decode(data, file, problems)


def _parse_csv(
    text: str, spec: TableSpec, file: str, problems: list[Problem]
) -> tuple[list[list[str]] | None, str]:
    return parse(text, file, problems, spec.names)


def _blank(rec: list[str]) -> bool:
    return not any(v.strip() for v in rec)


def _map_header(
    spec: TableSpec, header: list[str], file: str, problems: list[Problem], notes: list[str]
) -> dict[int, str] | None:
    """Header index -> spec column; None (with problems) when the header is unusable."""
    names = spec.names
    columns: dict[int, str] = {}
    unknown: list[str] = []
    before = len(problems)
    for idx, h in enumerate(header):
        key = h.lower()
        if key in names:
            if key in columns.values():
                problems.append(Problem(f"kolom '{key}' komt twee keer voor in de kopregel",
                                        file, 1, key))
            columns[idx] = key
        elif h:
            unknown.append(h)
    for col in spec.columns:
        if col.required and col.name not in columns.values():
            close = get_close_matches(col.name, [u.lower() for u in unknown], n=1, cutoff=0.75)
            hint = f"; bedoelt u '{close[0]}'?" if close else ""
            problems.append(Problem(
                f"verplichte kolom '{col.name}' ontbreekt (gevonden: "
                f"{', '.join(h for h in header if h) or 'geen'}){hint}", file, 1, col.name))
    if len(problems) > before:
        return None
    if unknown:
        notes.append(f"{file}: onbekende kolom(men) genegeerd: {', '.join(unknown)}.")
    return columns


def _normalize(
    spec: TableSpec, raw: pd.DataFrame, file: str, decimal_comma: bool
) -> list[Problem]:
    """Excel-friendly normalisation of text cells in place, before coercion.

    Codes (columns with a pattern or choices) are upper-cased and SWV codes written like
    ``PO2707`` become ``PO 27-07``; numbers lose spaces and, with a decimal comma, thousands
    dots. Non-finite or absurdly large numbers are reported here (and blanked) because they
    cannot be typed.
    """
    from nabij.sources.duo import normalize_swv_code

    problems: list[Problem] = []
    for col in spec.columns:
        if col.name not in raw.columns:
            continue
        values = raw[col.name].astype(object)
        if col.dtype == "str" and col.choices:
            canonical = {c.lower(): c for c in col.choices}
            values = values.str.lower().map(canonical).fillna(values)
        elif col.dtype == "str" and col.pattern:
            values = values.str.upper()
            if col.name in ("swv", "swv_po", "swv_vo"):
                values = values.map(lambda v: normalize_swv_code(v) or v)
        elif col.dtype in ("int", "float"):
            values = values.str.replace(_SPACES, "", regex=True)
            if decimal_comma:
                comma = values.str.contains(",", regex=False)
                values = values.where(~comma, values.str.replace(".", "", regex=False)
                                      .str.replace(",", ".", regex=False))
                if col.dtype == "int":
                    grouped = values.str.fullmatch(_THOUSANDS)
                    values = values.where(~grouped, values.str.replace(".", "", regex=False))
            num = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                bad = ~np.isnan(num) & ~(np.abs(num) <= MAX_ABS_NUMBER)
            for i in np.flatnonzero(bad)[:MAX_PROBLEMS_PER_FILE]:
                problems.append(Problem(
                    f"'{raw[col.name].iloc[i]}' is geen bruikbaar getal (oneindig, of groter "
                    f"dan {MAX_ABS_NUMBER:.0e})", file, int(i) + 2, col.name))
            values = values.where(~bad, "")
        raw[col.name] = values.astype(object)  # pandas 3 would infer its "str" dtype
    return problems


def _missing_file_message(spec: TableSpec, files: Mapping[str, Path]) -> str:
    stem = spec.name
    other = [p.name for key, p in files.items() if Path(key).stem == stem]
    hint = f"; gevonden: {', '.join(other)} ({SAVE_AS_UTF8})" if other else ""
    return f"verplicht bestand {spec.file} ontbreekt ({_dutch(spec)}){hint}"


def _dutch(spec: TableSpec) -> str:
    return {
        "gemeenten": "gemeenten met jeugdregio, inwoners en middelpunt",
        "jeugdregios": "jeugdzorgregio's",
        "pc4": "postcodegebieden met gemeente, middelpunt en kinderen",
        "besturen": "schoolbesturen",
        "scholen": "schoolvestigingen",
        "swv": "samenwerkingsverbanden",
        "indeling": "SWV-indeling per postcode",
    }.get(spec.name, spec.name)


# -- atlas.toml -------------------------------------------------------------------------------


def _read_config(file: Path | None, problems: list[Problem]) -> dict:
    """``nabij.toml`` of a folder: name, reference year, sources, notes and provenance.

    Phases: read the TOML (:func:`_load_toml`), check the top-level keys
    (:func:`_config_values`), then the provenance per table (:func:`_herkomst`).
    """
    if file is None:
        return {}
    data = _load_toml(file, problems)
    if data is None:
        return {}
    out = _config_values(data, file.name, problems)
    out["herkomst"] = _herkomst(data.get("herkomst", {}), file.name, problems)
    return out


def _load_toml(file: Path, problems: list[Problem]) -> dict | None:
    name = file.name
    try:
        return tomllib.loads(file.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(f"bestand is geen UTF-8; {SAVE_AS_UTF8}", name))
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        where = f" (regel {m.group(1)}, teken {m.group(2)})" if m else ""
        problems.append(Problem(
            f"geen geldige TOML{where}; schrijf regels als naam = \"Mijn regio\" en "
            f"referentiejaar = 2024", name, int(m.group(1)) if m else None))
    except OSError as e:
        problems.append(Problem(f"kan bestand niet lezen: {os_reason(e)}", name))
    return None


def _config_values(data: dict, name: str, problems: list[Problem]) -> dict:
    out: dict = {}
    for key in sorted(set(data) - CONFIG_KEYS):
        problems.append(Problem(f"onbekende sleutel '{key}' (toegestaan: naam, referentiejaar, "
                                f"bronnen, notities, [herkomst.<tabel>])", name, column=key))
    naam = data.get("naam", data.get("name"))
    if naam is not None:
        if not isinstance(naam, str) or not naam.strip():
            problems.append(Problem("'naam' moet een niet-lege tekst zijn", name, column="naam"))
        else:
            out["naam"] = naam.strip()
    year = data.get("referentiejaar")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
            problems.append(Problem(f"'referentiejaar' moet een jaartal zijn zoals 2024, niet "
                                    f"{year!r}", name, column="referentiejaar"))
        else:
            out["referentiejaar"] = year
    for key in ("bronnen", "notities"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(f"'{key}' moet een lijst met teksten zijn", name, column=key))
        else:
            out[key] = value
    return out


def _herkomst(herkomst: object, name: str, problems: list[Problem]) -> dict:
    if not isinstance(herkomst, dict):
        problems.append(Problem("'herkomst' moet een tabel zijn: [herkomst.<tabel>]", name,
                                column="herkomst"))
        return {}
    out = {}
    for table, entry in herkomst.items():
        where = f"herkomst.{table}"
        if table not in TABLES:
            problems.append(Problem(f"onbekende tabel '{table}' (bekend: "
                                    f"{', '.join(TABLE_ORDER)})", name, column=where))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem("verwacht status, bron en toelichting", name, column=where))
            continue
        for key in sorted(set(entry) - HERKOMST_KEYS):
            problems.append(Problem(f"onbekende sleutel '{key}' (toegestaan: status, bron, "
                                    f"toelichting)", name, column=where))
        status = str(entry.get("status", "waargenomen")).strip().lower()
        if status not in STATUS_WORDS:
            problems.append(Problem(f"onbekende status '{entry.get('status')}' (toegestaan: "
                                    "waargenomen, gemodelleerd, deels gemodelleerd)", name,
                                    column=where))
            continue
        toelichting = entry.get("toelichting", [])
        if isinstance(toelichting, str):
            toelichting = [toelichting]
        out[table] = {
            "status": STATUS_WORDS[status],
            "source": str(entry["bron"]) if "bron" in entry else None,
            "notes": [str(t) for t in toelichting] if isinstance(toelichting, list) else [],
        }
    return out


def _provenance(
    tables: Mapping[str, pd.DataFrame], origin: Mapping[str, str], path: Path, herkomst: Mapping
) -> dict:
    provenance = {}
    for name, df in tables.items():
        entry = {"status": "observed", "source": str(path / origin[name]), "notes": []}
        if name == "scholen" and "leerlingen_gemodelleerd" in df.columns:
            n = int(df["leerlingen_gemodelleerd"].sum())
            if n:
                entry["status"] = "mixed" if n < len(df) else "modelled"
                entry["notes"] = [f"Leerlingaantallen van {n} van de {len(df)} vestigingen zijn "
                                  f"gemodelleerd (kolom leerlingen_gemodelleerd)."]
        if name in herkomst:
            given = herkomst[name]
            notes = list(given["notes"])
            entry = {"status": given["status"], "source": given["source"] or entry["source"],
                     "notes": notes + [n for n in entry["notes"] if n not in notes]}
        provenance[name] = entry
    return provenance


# -- gemeenten.geojson ----------------------------------------------------------------------------


def read_geometry(file: Path, problems: list[Problem]) -> dict | None:
    """Gemeente code -> shapely polygon from a GeoJSON FeatureCollection (WGS84).

    The code is taken from property ``gemeente`` or ``gemeenteCode`` (the CBS/PDOK name).
    Problems are appended to ``problems``; ``row`` is the line in the file where known.
    """
    from shapely.geometry import shape

    name = file.name
    try:
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem("bestand is geen UTF-8", name))
        return None
    except json.JSONDecodeError as e:
        problems.append(Problem(f"geen geldige JSON (regel {e.lineno}, teken {e.colno})", name,
                                e.lineno))
        return None
    except OSError as e:
        problems.append(Problem(f"kan bestand niet lezen: {os_reason(e)}", name))
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        problems.append(Problem("verwacht een GeoJSON FeatureCollection met 'features'", name))
        return None
    geometry: dict = {}
    start = len(problems)
    for i, feat in enumerate(data["features"], start=1):
        if len(problems) - start >= MAX_PROBLEMS_PER_FILE:
            break
        where = f"object {i}"
        props = feat.get("properties") if isinstance(feat, dict) else None
        props = props if isinstance(props, dict) else {}
        code = props.get("gemeente", props.get("gemeenteCode"))
        if not isinstance(code, str) or not re.fullmatch(r"GM\d{4}", code.strip().upper()):
            problems.append(Problem(f"{where}: eigenschap 'gemeente' (of 'gemeenteCode') moet "
                                    f"een code zijn zoals GM0363, niet {code!r}", name,
                                    column="gemeente"))
            continue
        code = code.strip().upper()
        if code in geometry:
            problems.append(Problem(f"{where}: gemeente {code} komt twee keer voor", name,
                                    column="gemeente"))
            continue
        try:
            geom = shape(feat["geometry"])
        except Exception as e:  # shapely raises many kinds of errors for bad geometry
            problems.append(Problem(f"{where} ({code}): ongeldige geometrie ({e})", name,
                                    column="geometry"))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            problems.append(Problem(f"{where} ({code}): verwacht een (Multi)Polygon, niet "
                                    f"{geom.geom_type}", name, column="geometry"))
            continue
        minx, miny, maxx, maxy = geom.bounds
        if minx < NL_LON[0] - 0.5 or maxx > NL_LON[1] + 0.5 or miny < NL_LAT[0] - 0.5 \
                or maxy > NL_LAT[1] + 0.5:
            problems.append(Problem(
                f"{where} ({code}): coördinaten liggen buiten Nederland; staan ze in "
                f"WGS84-graden (EPSG:4326) en niet in RD-meters?", name, column="geometry"))
            continue
        geometry[code] = geom
    return geometry or None


# -- writing ------------------------------------------------------------------------------------


def write_folder(
    tables: Mapping[str, pd.DataFrame],
    path: Path,
    geometry: Mapping | None = None,
    *,
    meta: Mapping | None = None,
    excel: bool = False,
) -> Path:
    """Write tables in the folder format that :func:`read_folder` reads.

    ``tables`` maps table names of :data:`~nabij.tables.TABLES` to frames; only the spec's
    columns are written, in spec order. ``geometry`` (gemeente code -> shapely polygon) goes
    to ``gemeenten.geojson``. ``meta`` (keys ``name``/``naam``, ``reference_year``/
    ``referentiejaar``, ``sources``/``bronnen``, ``notes``/``notities``,
    ``provenance``/``herkomst``, e.g. ``atlas.meta.to_dict()``) goes to ``atlas.toml``, so
    that modelled tables stay labelled modelled when read back. ``excel=True`` writes what
    Dutch Excel expects: ``;`` as delimiter, a decimal comma and a UTF-8 BOM; otherwise
    ``,``, a decimal point and no BOM. Every file is written atomically; files of tables not
    in ``tables`` are left alone.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown table(s): {', '.join(unknown)}")
    for name in TABLE_ORDER:
        if name not in tables:
            continue
        text = _table_csv(TABLES[name], tables[name], excel)
        atomic_write_text(path / TABLES[name].file, text,
                          encoding="utf-8-sig" if excel else "utf-8")
    if geometry:
        from shapely.geometry import mapping

        features = [
            {"type": "Feature", "properties": {"gemeente": code}, "geometry": mapping(geom)}
            for code, geom in geometry.items() if geom is not None
        ]
        atomic_write_text(path / GEOMETRY_FILE,
                          json.dumps({"type": "FeatureCollection", "features": features}))
    if meta is not None:
        atomic_write_text(path / CONFIG_FILE, _config_toml(meta))
    return path


def _table_csv(spec: TableSpec, df: pd.DataFrame, excel: bool) -> str:
    cols = [c for c in spec.columns if c.name in df.columns]
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    if missing:
        raise ValueError(f"table {spec.name} lacks required column(s): {', '.join(missing)}")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n"
                        if excel else "\n")
    writer.writerow([c.name for c in cols])
    series = [df[c.name].tolist() for c in cols]
    for values in zip(*series, strict=True):
        writer.writerow([_cell(v, c.dtype, excel) for v, c in zip(values, cols, strict=True)])
    return buf.getvalue()


def _cell(v: object, dtype: str, excel: bool) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if dtype == "bool":
        return "true" if bool(v) else "false"
    if dtype == "float":
        x = float(v)  # type: ignore[arg-type]  # a number of a float column
        text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
        return text.replace(".", ",") if excel else text
    if dtype == "int":
        return str(int(v))  # type: ignore[call-overload]  # a number of an int column
    return str(csv_safe(str(v)))


def _config_toml(meta: Mapping) -> str:
    def q(s: object) -> str:
        return json.dumps(str(s), ensure_ascii=False)

    def get(*keys: str, default: Any = None) -> Any:
        return next((meta[k] for k in keys if k in meta and meta[k] is not None), default)

    lines = []
    name = get("naam", "name")
    if name:
        lines.append(f"naam = {q(name)}")
    year = get("referentiejaar", "reference_year")
    if year is not None:
        lines.append(f"referentiejaar = {int(year)}")
    for dutch, english in (("bronnen", "sources"), ("notities", "notes")):
        items = list(get(dutch, english, default=()) or ())
        if items:
            lines.append(f"{dutch} = [{', '.join(q(x) for x in items)}]")
    for table, entry in dict(get("herkomst", "provenance", default={}) or {}).items():
        if table not in TABLES or not isinstance(entry, Mapping):
            continue
        status = STATUS_WORDS.get(str(entry.get("status", "observed")).lower(), "observed")
        lines += ["", f"[herkomst.{table}]", f"status = {q(STATUS_DUTCH[status])}"]
        source = entry.get("bron", entry.get("source"))
        if source:
            lines.append(f"bron = {q(source)}")
        notes = entry.get("toelichting", entry.get("notes")) or []
        if isinstance(notes, str):
            notes = [notes]
        if notes:
            lines.append(f"toelichting = [{', '.join(q(n) for n in notes)}]")
    return "\n".join(lines) + "\n"
