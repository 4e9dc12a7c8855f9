"""Write a MeasureSet to an output folder: measures.json, CSV per table, vergelijking.xlsx.

Layout (the contract with the report)::

    intern/measures.json        definitions + per division: recipe, summary, regions
                                (unsuppressed: internal, read by the report, never published)
    samenvatting.csv            one row per division
    indelingen/<slug>.csv       pc4, regio, regio_naam (+ <slug>.recept.json)
    regios/<slug>.csv           per-region measures
    thuisnabijheid/<slug>.csv   pc4, kinderen, afstand_<type>, afstand_eigen_<type>
    grensverkeer/<slug>.csv     van, naar, leerlingen (flow matrix, long form)
    vergelijking.xlsx           Samenvatting, Definities, one sheet per division

Published CSV/XLSX show pupil and child counts below ``drempel`` as "<10" (nabij.privacy);
intern/measures.json keeps raw numbers (the report suppresses when rendering). Every file is written
to a temporary file first and moved into place (os.replace).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.io.atomic import atomic_write, atomic_write_text
from nabij.io.cells import XLSX_AS_TEXT
from nabij.io.writers import write_csv
from nabij.measures.engine import DivisionMeasures, MeasureSet
from nabij.parallel import beside
from nabij.privacy import DEFAULT_THRESHOLD, NOT_FOR_PUBLICATION, count_columns, publish
from nabij.tables import COUNT_UNITS

FORMAT = "nabij-measures"
INTERNAL = "intern"
"""Subfolder for files with unsuppressed numbers (``measures.json``): never publish it."""
INTERNAL_NOTE = ("NIET PUBLICEREN. Deze map bevat maatstaven met alle aantallen, ook kleine "
                 "aantallen leerlingen (onder de privacydrempel). Publiceer alleen de bestanden "
                 "buiten deze map en het rapport.\n")
VERSION = 1
NUMBER_FORMATS = {"leerlingen": "#,##0", "kinderen": "#,##0", "aantal": "#,##0.0",
                  "aandeel": "0.0%", "km": "0.0", "index": "0.000"}


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    return write_csv(df, path)


def _jsonable(x: object) -> object:
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        f = float(x)
        return f if np.isfinite(f) else None
    if x is None or x is pd.NA:
        return None
    return x


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """``df.to_dict(orient="records")`` with JSON-ready Python values (NaN/inf as None),
    converted a column at a time."""
    cols = dict(zip(df.columns, _records_columns(df), strict=True))
    return [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def _records_columns(df: pd.DataFrame) -> list[list[object]]:
    """The columns of ``df`` as lists of JSON-ready Python values (NaN/inf as None)."""
    cols: list[list[object]] = []
    for c in df.columns:
        col = df[c]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
            a = col.to_numpy()
            obj = a.astype(object)
            obj[~np.isfinite(a)] = None
            cols.append(obj.tolist())
        elif isinstance(col.dtype, np.dtype) and col.dtype.kind in "biu":
            cols.append(col.to_numpy().tolist())
        else:
            cols.append([_jsonable(v) for v in col.tolist()])
    return cols


def to_json_dict(ms: MeasureSet, drempel: int = DEFAULT_THRESHOLD) -> dict:
    """The measures.json document."""
    p = ms.params
    return {
        "format": FORMAT,
        "version": VERSION,
        "atlas": ms.atlas,
        "drempel": drempel,
        "stromen_gemodelleerd": ms.modelled["stromen"],
        "gemodelleerd": {"stromen": ms.modelled["stromen"], "scholen": ms.modelled["scholen"]},
        "parameters": {"kleine_regio": p.small_region, "afstandsmodel": p.distance_text,
                       "afstandsbanden_km": list(p.km_bands), "z_drempel": p.z_threshold},
        "definities": ms.definition_dicts(),
        "referenties": {k: {"naam": v["naam"],
                            "summary": {a: _jsonable(b) for a, b in v["summary"].items()}}
                        for k, v in ms.references.items()},
        "divisions": [
            {
                "name": d.name,
                "slug": d.slug,
                "sector": d.division.sector,
                "recipe": json.loads(json.dumps(dict(d.division.recipe), default=str)),
                "summary": {k: _jsonable(v) for k, v in d.summary.items()},
                "regions": _records(d.regions),
            }
            for d in ms.divisions
        ],
    }


def _units(ms: MeasureSet) -> dict[str, str]:
    return {k: d.eenheid for k, d in ms.definitions.items()}


def _published(ms: MeasureSet, df: pd.DataFrame, drempel: int, suppress: bool,
               totals: list[tuple[str, ...]] | bool = True) -> pd.DataFrame:
    """A table as published: floats rounded, booleans ja/nee, counts through
    :func:`nabij.privacy.publish` (complementary suppression against ``totals``)."""
    units = _units(ms)
    counts = count_columns(df.columns, units)
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "f" and c not in counts:
            out[c] = out[c].round(4)
        elif out[c].dtype.kind == "b":
            out[c] = np.where(out[c].to_numpy(), "ja", "nee")
    return publish(out, counts, drempel, totals=totals, suppress=suppress)


def write_measures(
    ms: MeasureSet,
    out: str | Path,
    drempel: int = DEFAULT_THRESHOLD,
    suppress: bool = True,
    stamp: dict | None = None,
) -> Path:
    """Write the whole output folder; returns its path. ``stamp`` (``run_id``,
    ``atlas_checksum``) ties the measures to the run and the stored atlas they came from."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    doc = to_json_dict(ms, drempel)
    doc["onderdrukt"] = bool(suppress)
    doc.update(stamp or {})
    regions = {d.slug: _published(ms, d.regions, drempel, suppress) for d in ms.divisions}

    def distances(part: Sequence[DivisionMeasures]) -> None:
        for d in part:
            _write_distances(ms, d.pc4, out / "thuisnabijheid" / f"{d.slug}.csv", drempel,
                             suppress)

    def workbook() -> None:
        atomic_write(out / "vergelijking.xlsx",
                     lambda t: write_xlsx(ms, t, drempel, suppress, regions))
        distances(ms.divisions[: len(ms.divisions) // 2])

    # about half of the writing (the workbook, half of the largest CSVs) in a forked child
    with beside(workbook):
        distances(ms.divisions[len(ms.divisions) // 2:])
        atomic_write_text(out / INTERNAL / "measures.json",
                          json.dumps(doc, ensure_ascii=False))
        atomic_write_text(out / INTERNAL / "LEESMIJ.txt", INTERNAL_NOTE)
        for d in ms.divisions:
            d.division.to_csv(out / "indelingen" / f"{d.slug}.csv")
            _write_csv(regions[d.slug], out / "regios" / f"{d.slug}.csv")
            _write_csv(_published(ms, d.flows, drempel, suppress, [(), ("van",), ("naar",)]),
                       out / "grensverkeer" / f"{d.slug}.csv")
        _write_csv(_published(ms, ms.summary_frame(), drempel, suppress),
                   out / "samenvatting.csv")
    return out


def _write_distances(ms: MeasureSet, pc4: pd.DataFrame, path: Path, drempel: int,
                     suppress: bool) -> None:
    """``thuisnabijheid/<slug>.csv``: distances to 10 m, children counts published."""
    pc4 = pc4.copy()
    for c in pc4.columns:
        if c.startswith("afstand"):
            pc4[c] = pc4[c].round(2)
    _write_csv(_published(ms, pc4, drempel, suppress), path)


def write_xlsx(ms: MeasureSet, path: Path, drempel: int = DEFAULT_THRESHOLD,
               suppress: bool = True, regions: Mapping[str, pd.DataFrame] | None = None
               ) -> None:
    """Comparison workbook: Dutch headers, frozen header rows, number formats.

    Sheets: Samenvatting (measures x divisions), Definities, one sheet of regions per
    division, Over (atlas, privacy threshold, modelled data). Written with xlsxwriter; every
    string stays a string (``XLSX_AS_TEXT``), never a formula.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {**XLSX_AS_TEXT, "nan_inf_to_errors": False})
    book = _Book(wb, drempel, suppress)
    book.summary(ms)
    book.definitions(ms)
    book.regions(ms, regions or {})
    book.about(ms)
    wb.close()


class _Book:
    """An xlsxwriter workbook with the header style and number formats of the measures."""

    def __init__(self, wb, drempel: int, suppress: bool) -> None:
        self.wb, self.drempel, self.suppress = wb, drempel, suppress
        self.bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.formats: dict[str, object] = {}
        self.rows: dict[str, int] = {}
        self.label = "<" + str(drempel)

    def sheet(self, title: str, freeze: str | None, widths: Sequence[float]):
        ws = self.wb.add_worksheet(title)
        if freeze:
            ws.freeze_panes(freeze)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        self.rows[ws.name] = 0
        return ws

    def append(self, ws, values: Sequence[object], header: bool = False) -> None:
        """One row below the last; values are (value, number format) pairs or plain values."""
        i = self.rows[ws.name]
        for j, v in enumerate(values):
            v, fmt = v if isinstance(v, tuple) else (v, None)
            style = self.bold if header else self._format(fmt)
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(i, j, v, style)
            else:
                ws.write(i, j, v, style)
        self.rows[ws.name] = i + 1

    def columns(self, ws, cols: Sequence[Sequence[object]], fmts: Sequence[str | None]
                ) -> None:
        """Rows below the last from column lists (same cell rules as :meth:`append`)."""
        first = self.rows[ws.name]
        for j, (col, fmt) in enumerate(zip(cols, fmts, strict=True)):
            style = self._format(fmt)
            for i, v in enumerate(col, start=first):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                elif isinstance(v, int | float):
                    ws.write_number(i, j, v, style)
                else:
                    ws.write(i, j, v)
        self.rows[ws.name] = first + max((len(c) for c in cols), default=0)

    def _format(self, fmt: str | None) -> object:
        if fmt is None:
            return None
        if fmt not in self.formats:
            self.formats[fmt] = self.wb.add_format({"num_format": fmt})
        return self.formats[fmt]

    @staticmethod
    def cell(value: object, fmt: str | None) -> object:
        if fmt is None or not isinstance(value, int | float) or isinstance(value, bool):
            return value
        return (value, fmt)

    def summary(self, ms: MeasureSet) -> None:
        ws = self.sheet("Samenvatting", "C2", [48, 11] + [18] * len(ms.divisions))
        self.append(ws, ["Maat", "Eenheid"] + [d.name for d in ms.divisions], header=True)
        defs = ms.definition_dicts()
        for key in ms.summary_keys():
            dd = defs[key]
            values = [d.summary.get(key) for d in ms.divisions]
            if all(v is None for v in values):
                continue
            fmt = NUMBER_FORMATS.get(dd["eenheid"])
            row: list[object] = [dd["label"] + (" (gemodelleerd)" if dd["gemodelleerd"]
                                                else ""), dd["eenheid"]]
            for v in values:
                hide = (v is not None and self.suppress and dd["eenheid"] in COUNT_UNITS
                        and 0 < v < self.drempel)
                row.append(self.label if hide else self.cell(v, fmt))
            self.append(ws, row)

    def definitions(self, ms: MeasureSet) -> None:
        wd = self.sheet("Definities", "A2", [30, 36, 90, 10, 8, 12, 20, 13])
        self.append(wd, ["Sleutel", "Maat", "Definitie", "Eenheid", "Beter", "Gemodelleerd",
                         "Familie", "Niveau"], header=True)
        for key, dd in ms.definition_dicts().items():
            self.append(wd, [key, dd["label"], dd["definitie"], dd["eenheid"], dd["beter"] or "",
                             "ja" if dd["gemodelleerd"] else "nee", dd["familie"], dd["niveau"]])

    def regions(self, ms: MeasureSet, published: Mapping[str, pd.DataFrame]) -> None:
        """One sheet per division; ``published``: region tables already through
        :func:`_published` (by slug), computed here when absent."""
        names: set[str] = set()
        for d in ms.divisions:
            title = d.slug[:31]
            i = 2
            while title in names:
                title = f"{d.slug[:28]}-{i}"
                i += 1
            names.add(title)
            df = published.get(d.slug)
            if df is None:
                df = _published(ms, d.regions, self.drempel, self.suppress)
            cols = list(df.columns)
            fmts = [NUMBER_FORMATS.get(ms.definitions[c].eenheid) if c in ms.definitions
                    else None for c in cols]
            wr = self.sheet(title, "C2", [28 if j < 2 else 14 for j in range(len(cols))])
            self.append(wr, ["Regio", "Naam"] + [ms.definitions[c].label if c in ms.definitions
                                                 else c for c in cols[2:]], header=True)
            self.columns(wr, [[_cell(v) for v in col] for col in _records_columns(df)], fmts)

    def about(self, ms: MeasureSet) -> None:
        wa = self.sheet("Over", None, [18, 80])
        rows: list[list[object]] = [
            ["Atlas", ms.atlas.get("name")],
            ["Referentiejaar", ms.atlas.get("reference_year")],
            ["Privacydrempel", f"aantallen onder {self.drempel} leerlingen getoond als "
             f"{self.label}" if self.suppress else "geen (alle aantallen getoond)"],
            ["Leerlingstromen", "gemodelleerd (geschat)" if ms.flows_modelled
             else "waargenomen"],
            ["Leerlingen per school", "(deels) gemodelleerd" if ms.modelled["scholen"]
             else "waargenomen"],
            ["Afstandsmodel", ms.params.distance_text],
        ]
        if not self.suppress:
            rows.append(["LET OP", NOT_FOR_PUBLICATION])
        for row in rows:
            self.append(wa, row)


def _cell(v: object) -> object:
    v = _jsonable(v)
    if isinstance(v, bool):
        return "ja" if v else "nee"
    return v
