"""Exports beside the report: ``rapport.xlsx`` (one sheet per table) and ``indelingen.geojson``
(regions dissolved from gemeenten/PC4 with their measures). Counts below the threshold are
written as the text "<10"; files are written atomically."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import xlsxwriter

from nabij.io.atomic import atomic_write, atomic_write_text
from nabij.io.cells import XLSX_AS_TEXT
from nabij.io.labels import provenance_label
from nabij.privacy import is_suppressed, suppress_label
from nabij.report import content
from nabij.report.content import Cell, Table
from nabij.report.fmt import is_count_unit, is_number
from nabij.report.maps import Geography, simplify_coverage, to_lonlat
from nabij.report.measures_folder import Measures

NUMBER_FORMATS = {"leerlingen": "#,##0", "kinderen": "#,##0", "aantal": "#,##0.##",
                  "aandeel": "0.0%", "km": "0.0", "index": "0.000", "euro": "€ #,##0"}
HEADER_STYLE = {"bold": True, "bg_color": "#DDE7EE", "pattern": 1, "text_wrap": True,
                "valign": "top"}
BEST_STYLE = {"bold": True, "bg_color": "#DCEFD5", "pattern": 1}
MAX_WIDTH = 60


# --------------------------------------------------------------------------- XLSX
def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if c in '[]:*?/\\' else c for c in name)[:31]
    out, k = clean, 2
    while out.lower() in used:
        suffix = f" ({k})"
        out, k = clean[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


class _Formats:
    """xlsxwriter cell formats of one workbook, made once per (number format, best)."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.header = wb.add_format(HEADER_STYLE)
        self._made: dict[tuple[str | None, bool], object] = {}

    def get(self, num_format: str | None, best: bool) -> object:
        key = (num_format, best)
        if key not in self._made:
            style = dict(BEST_STYLE) if best else {}
            if num_format:
                style["num_format"] = num_format
            self._made[key] = self.wb.add_format(style)
        return self._made[key]


def _write_table(ws, formats: _Formats, headers: Sequence[str],
                 rows: Sequence[Sequence[object]], units: Sequence[str] | None = None,
                 freeze: str = "A2", best: Sequence[Sequence[bool]] | None = None,
                 row_units: Sequence[str] | None = None, first: int = 0) -> None:
    """Header row (bold, filled, frozen), rows, number formats by unit, autofilter, widths.

    ``ws`` is an xlsxwriter worksheet of a workbook opened with ``XLSX_AS_TEXT`` (text is never
    a formula). Number formats come from the column's unit, or from ``row_units`` (one unit per
    row, for columns >= ``first``)."""
    units = list(units or [])
    for j, h in enumerate(headers):
        width = max([len(str(h))] + [len(str(r[j])) for r in rows[:500]
                                     if j < len(r) and r[j] is not None])
        ws.set_column(j, j, min(max(8, width + 2), MAX_WIDTH))
    ws.freeze_panes(freeze)
    if rows:
        ws.autofilter(0, 0, len(rows), len(headers) - 1)
    for j, h in enumerate(headers):
        ws.write_string(0, j, str(h), formats.header)
    col_fmt = [NUMBER_FORMATS.get((units[j] if j < len(units) else "") or "")
               for j in range(len(headers))]
    for i, r in enumerate(rows):
        row_fmt = NUMBER_FORMATS.get(row_units[i] or "") if row_units else None
        for j, v in enumerate(r):
            v = _plain(v)
            fmt = row_fmt if row_fmt and j >= first else col_fmt[j] if j < len(col_fmt) else None
            is_best = bool(best and best[i][j])
            number = isinstance(v, int | float)
            style = formats.get(fmt if number else None, is_best) \
                if (fmt and number) or is_best else None
            if v is None:
                if style is not None:
                    ws.write_blank(i + 1, j, None, style)
            elif isinstance(v, str):
                ws.write_string(i + 1, j, v, style)
            else:
                ws.write(i + 1, j, v, style)


def _plain(v: object) -> object:
    if isinstance(v, Cell):
        return v.text if v.suppressed else _plain(v.value)
    if isinstance(v, bool | np.bool_):
        return "ja" if v else "nee"
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if np.isfinite(v) else None
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    return v


def _value(v: object, unit: str | None, threshold: int) -> object:
    """A raw value for XLSX: counts below the threshold become "<10", others stay numbers."""
    if is_count_unit(unit) and is_suppressed(v, threshold):
        return suppress_label(threshold)
    if is_count_unit(unit) and is_number(v):
        return int(round(float(v)))  # type: ignore[arg-type]
    return _plain(v)


def _table_rows(t: Table) -> list[list[object]]:
    return [[_plain(c) for c in row] for row in t.rows]


def write_xlsx(measures: Measures, out: str | Path, threshold: int,
               atlas_meta: dict | None = None,
               gemeenten: dict[str, dict[str, list[str]]] | None = None) -> Path:
    """``rapport.xlsx``: Vergelijking, Definities, Regio's, Grensverkeer, Thuisnabijheid,
    Herkomst (the PC4 -> region lists are the CSVs in ``indelingen/``) — Dutch headers,
    frozen header rows, number formats, suppression."""
    return atomic_write(out, lambda tmp: _write_book(measures, tmp, threshold, atlas_meta,
                                                      gemeenten))


def _write_book(m: Measures, path: Path, threshold: int, atlas_meta: dict | None,
                gemeenten: dict[str, dict[str, list[str]]] | None) -> None:
    wb = xlsxwriter.Workbook(str(path), {**XLSX_AS_TEXT, "nan_inf_to_errors": False})
    fm = _Formats(wb)
    used: set[str] = set()

    # Vergelijking: divisions as columns
    ws = wb.add_worksheet(_sheet_name("Vergelijking", used))
    keys = [k for k in m.summary_keys()
            if any(d.summary.get(k) is not None for d in m.divisions)]
    headers = ["Maatstaf", "Sleutel", "Eenheid", "Beter", "Gemodelleerd"] + \
        [d.name for d in m.divisions]
    rows, best = [], []
    for k in keys:
        d = m.definition(k)
        unit = d.get("eenheid") or ""
        vals = [div.summary.get(k) for div in m.divisions]
        b = content.best_index(vals, d.get("beter"))
        rows.append([d.get("label") or k, k, unit, d.get("beter") or "",
                     "ja" if d.get("gemodelleerd") else "nee"]
                    + [_value(v, unit, threshold) for v in vals])
        best.append([False] * 5 + [i in b and not (is_count_unit(unit)
                                                   and is_suppressed(vals[i], threshold))
                                   for i in range(len(vals))])
    _write_table(ws, fm, headers, rows, freeze="F2", best=best,
                 row_units=[m.definition(k).get("eenheid") or "" for k in keys], first=5)

    # Definities
    ws = wb.add_worksheet(_sheet_name("Definities", used))
    defs = list(m.definities.items())
    _write_table(ws, fm, ["Sleutel", "Maatstaf", "Definitie", "Eenheid", "Beter", "Gemodelleerd",
                      "Niveau", "Familie"],
                 [[k, d.get("label", ""), d.get("definitie", ""), d.get("eenheid", ""),
                   d.get("beter") or "", "ja" if d.get("gemodelleerd") else "nee",
                   d.get("niveau", ""), d.get("familie", "")] for k, d in defs])

    # Regio's: long form, one row per division x region, all region measures
    ws = wb.add_worksheet(_sheet_name("Regio's", used))
    rkeys = m.region_keys()
    runits = [m.definition(k).get("eenheid") or "" for k in rkeys]
    rows = []
    for div in m.divisions:
        names = (gemeenten or {}).get(div.slug, {})
        for r in div.regions:
            code = str(r.get("regio"))
            rows.append([div.name, div.sector, code, r.get("naam") or code]
                        + [_value(r.get(k), u, threshold) for k, u in zip(rkeys, runits,
                                                                           strict=True)]
                        + [", ".join(names.get(code, []))])
    _write_table(ws, fm, ["Indeling", "Sector", "Regio", "Naam"]
                 + [m.definition(k).get("label") or k for k in rkeys] + ["Gemeenten"], rows,
                 ["", "", "", ""] + runits + [""], freeze="E2")

    # Grensverkeer: every flow between regions (and within, when given)
    ws = wb.add_worksheet(_sheet_name("Grensverkeer", used))
    rows = []
    for div in m.divisions:
        f = div.grensverkeer
        if f is None or not {"van", "naar", "leerlingen"} <= set(f.columns):
            continue
        f = content.published_flows(f, threshold)
        n, hidden = content.parse_counts(f["leerlingen"], threshold)
        for van, naar, v, h in zip(f["van"].astype(str), f["naar"].astype(str), n, hidden,
                                   strict=True):
            val = suppress_label(threshold) if h else _value(v, "leerlingen", threshold)
            rows.append([div.name, van, naar, "ja" if van != naar else "nee", val])
    _write_table(ws, fm, ["Indeling", "Van (woonregio)", "Naar (schoolregio)", "Over de grens",
                      "Leerlingen"], rows, ["", "", "", "", "leerlingen"])

    # Thuisnabijheid: distance summary per division x provision type x where
    ws = wb.add_worksheet(_sheet_name("Thuisnabijheid", used))
    rows, units = [], []
    headers = []
    for div in m.divisions:
        t = content.distance_table(div)
        if t is None:
            continue
        headers, units = ["Indeling"] + t.headers, [""] + t.units
        rows += [[div.name] + r for r in _table_rows(t)]
    if rows:
        _write_table(ws, fm, headers, rows, units)
    else:
        _write_table(ws, fm, ["Indeling", "Voorziening"], [])

    # Herkomst
    ws = wb.add_worksheet(_sheet_name("Herkomst", used))
    meta = atlas_meta or {}
    prov = meta.get("provenance") or m.atlas.get("provenance") or {}
    rows = []
    for table, p in prov.items():
        p = p if isinstance(p, dict) else {"status": p}
        rows.append([table, provenance_label(p.get("status")),
                     p.get("source") or "", " | ".join(map(str, p.get("notes") or []))])
    rows.append(["(privacy)", "", "", f"Aantallen onder {threshold} leerlingen zijn vervangen "
                 f"door '{suppress_label(threshold)}'."])
    _write_table(ws, fm, ["Tabel", "Status", "Bron", "Toelichting"], rows)
    wb.close()


# --------------------------------------------------------------------------- GeoJSON
def region_features(measures: Measures, geo: Geography, threshold: int,
                    tolerance: float = 2e-4) -> list[dict]:
    """One GeoJSON feature per (division, region), WGS84, with the region measures."""
    feats = []
    rkeys = measures.region_keys()
    for div in measures.divisions:
        if div.assignment is None:
            continue
        a = pd.Series(div.assignment["regio"].astype(str).to_numpy(),
                      index=div.assignment["pc4"].astype(str).to_numpy())
        shapes = geo.regions(a)
        if not shapes:
            continue
        shapes = simplify_coverage(shapes, tolerance)
        by_code = {str(r.get("regio")): r for r in div.regions}
        names = div.region_names()
        for code, g in shapes.items():
            r = by_code.get(code, {})
            props: dict = {"indeling": div.name, "indeling_slug": div.slug,
                           "sector": div.sector, "regio": code,
                           "naam": names.get(code, code)}
            for k in rkeys:
                if k in r:
                    unit = measures.definition(k).get("eenheid")
                    v = _value(r[k], unit, threshold)
                    props[k] = v if not isinstance(v, float) else round(v, 6)
            geom = shapely.set_precision(to_lonlat(g), 1e-5)
            feats.append({"type": "Feature", "properties": props,
                          "geometry": json.loads(shapely.to_geojson(geom))})
    return feats


def write_geojson(measures: Measures, geo: Geography, out: str | Path, threshold: int) -> Path:
    """``indelingen.geojson``: the regions of every division as dissolved polygons."""
    doc = {"type": "FeatureCollection",
           "name": "nabij regio-indelingen",
           "drempel": threshold,
           "features": region_features(measures, geo, threshold)}
    return atomic_write_text(out, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
