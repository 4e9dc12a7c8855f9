"""Published returns of casework: the Leerplichttelling and the Inspectie count, CSV and XLSX.

Every count goes through :func:`nabij.privacy.publish`, the one suppression path: a count of
1 to 9 children is shown as ``<10`` and, because totals are published (the totals sheet, and
the sums a reader can make), complementary cells are hidden too, so that no hidden count
follows by subtraction. Casework returns are about children: there is no way to switch the
suppression off, and the threshold can only be raised.

The CSV layout (one row per gemeente and school year, or per region and period, columns as in
:data:`nabij.casework.counts.LEERPLICHT_COLUMNS` / ``INSPECTIE_COLUMNS``) is documented in
``docs/casework-export.md``; the monitor reads it for its thuiszitter and vrijstelling
indicators.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nabij.casework.counts import (
    INSPECTIE_COLUMNS,
    LEERPLICHT_COLUMNS,
    inspectie_counts,
    leerplicht_counts,
)
from nabij.casework.errors import CaseworkError
from nabij.casework.periods import Period, SchoolYear
from nabij.fileio import atomic_write
from nabij.io.cells import csv_safe_frame
from nabij.io.writers import write_csv
from nabij.privacy import DEFAULT_THRESHOLD, check_threshold, publish, suppress_label

INSPECTIE_ROW_TOTALS = (("thuiszitters", "absoluut_verzuim", "langdurig_relatief_verzuim"),)
"""Count columns of one Inspectie row whose sum is published: thuiszitters = absoluut +
langdurig relatief verzuim."""


@dataclass(frozen=True)
class Return:
    """A return as it may be published: suppressed table, suppressed totals, Dutch notes."""

    name: str
    title: str
    table: pd.DataFrame
    totals: pd.DataFrame
    notes: tuple[str, ...] = field(default=())
    threshold: int = 10


def _threshold(threshold: int | None) -> int:
    """The privacy threshold of a casework return: at least the default, never switched off."""
    if threshold is not None and int(threshold) < DEFAULT_THRESHOLD:
        raise CaseworkError(
            f"drempel {threshold}: tellingen over kinderen worden altijd afgeschermd; de "
            f"drempel is minstens {DEFAULT_THRESHOLD} (hoger mag)")
    return check_threshold(threshold)


def _notes(threshold: int, extra: Iterable[str]) -> tuple[str, ...]:
    label = suppress_label(threshold)
    return (*extra,
            "Geteld in kinderen (pseudoniemen), niet in zaken; ingetrokken zaken tellen niet mee.",
            f"Aantallen van 1 tot {threshold} zijn afgeschermd als '{label}'. Om te voorkomen "
            "dat een afgeschermd aantal uit de totalen terug te rekenen is, zijn zo nodig ook "
            f"andere cellen als '{label}' getoond (aanvullende afscherming); zo'n cel kan dus "
            f"ook {threshold} of meer zijn.")


def leerplichttelling(frame: pd.DataFrame, year: SchoolYear | str,
                      gemeenten: Iterable[str] | None = None,
                      threshold: int | None = None) -> Return:
    """The yearly Leerplichttelling (Leerplichtwet art. 25) per gemeente for ``year``."""
    year = SchoolYear.parse(year) if isinstance(year, str) else year
    t = _threshold(threshold)
    raw = leerplicht_counts(frame, year, gemeenten)
    cols = list(LEERPLICHT_COLUMNS)
    table = publish(raw, cols, t, totals=[("schooljaar",)])
    sums = raw.groupby("schooljaar", as_index=False)[cols].sum()
    totals = publish(sums, cols, t, totals=None)
    notes = _notes(t, (
        f"Leerplichttelling schooljaar {year.label} ({year.start} tot en met {year.end}), "
        "Leerplichtwet 1969 art. 25.",
        "absoluut_verzuim: leerplichtige kinderen die nergens ingeschreven stonden, op enig "
        "moment in het schooljaar.",
        "langdurig_relatief_verzuim: ingeschreven, maar meer dan vier weken ongeoorloofd "
        "afwezig, op enig moment in het schooljaar.",
        "zonder_aanbod_3mnd: absoluut of relatief verzuim, langer dan drie "
        "maanden zonder aanbod, op enig moment in het schooljaar.",
        "vrijstelling_5a/5b/5c: verleende vrijstellingen (art. 5 onder a, b, c) die in het "
        "schooljaar golden.",
    ))
    return Return("leerplichttelling", f"Leerplichttelling {year.label}", table, totals, notes, t)


def inspectie(frame: pd.DataFrame, period: Period, regions: Iterable[str] | None = None,
              threshold: int | None = None) -> Return:
    """The periodic thuiszitters count per region for the Inspectie van het Onderwijs."""
    t = _threshold(threshold)
    raw = inspectie_counts(frame, period, regions)
    cols = list(INSPECTIE_COLUMNS)
    table = publish(raw, cols, t, totals=[("periode",)], row_totals=INSPECTIE_ROW_TOTALS)
    sums = raw.groupby(["periode", "peildatum"], as_index=False)[cols].sum()
    totals = publish(sums, cols, t, totals=None, row_totals=INSPECTIE_ROW_TOTALS)
    notes = _notes(t, (
        f"Thuiszitters per regio, periode {period.start} tot en met {period.end}; "
        f"peildatum {period.end}.",
        "thuiszitters = absoluut_verzuim + langdurig_relatief_verzuim op de peildatum "
        "(vrijstellingen tellen niet mee, maar staan ernaast: een dalend aantal thuiszitters "
        "met stijgende vrijstellingen is geen succes).",
        "zonder_aanbod_3mnd: op de peildatum langer dan drie maanden thuis "
        "zonder aanbod.",
        "nieuw_in_periode / terug_naar_school_in_periode: thuiszitters die in de periode "
        "thuis kwamen te zitten / weer naar school gingen (zaak afgesloten).",
        "vrijstelling_5a: geldend op de peildatum; vrijstelling_5a_nieuw_in_periode: in de "
        "periode verleend.",
    ))
    return Return("inspectie", f"Thuiszitters {period.label}", table, totals, notes, t)


def return_bytes(ret: Return, fmt: str) -> bytes:
    """``ret`` as the bytes of a ``csv`` or ``xlsx`` file (for a download)."""
    if fmt == "csv":
        return csv_safe_frame(ret.table).to_csv(index=False).encode("utf-8")
    if fmt == "xlsx":
        buf = io.BytesIO()
        _xlsx(ret, buf)
        return buf.getvalue()
    raise CaseworkError(f"onbekend formaat '{fmt}': kies csv of xlsx")


def write_return(ret: Return, out: str | Path) -> Path:
    """Write ``ret`` to ``out``: ``.csv`` (the table) or ``.xlsx`` (uitleg, table, totals).

    Written atomically: a reader never sees half a file, and a failure leaves no file.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        return write_csv(ret.table, out)
    if suffix == ".xlsx":
        return atomic_write(out, lambda tmp: _xlsx(ret, tmp))
    raise CaseworkError(f"{out}: kies een bestandsnaam op .csv of .xlsx")


def _xlsx(ret: Return, path: Path | io.BytesIO) -> None:
    """Sheets uitleg, the return and its totals; a write-only workbook (fast), text cells
    as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("uitleg")
    ws.column_dimensions["A"].width = 120
    ws.append(["uitleg"])
    for line in (ret.title, *ret.notes):
        ws.append([_text_cell(ws, line, WriteOnlyCell)])
    for name, df in ((ret.name[:31], ret.table), ("totaal", ret.totals)):
        ws = wb.create_sheet(name)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_text_cell(ws, v, WriteOnlyCell) if isinstance(v, str) else
                       (None if pd.isna(v) else int(v)) for v in row])
    wb.save(path)


def _text_cell(ws, value: str, cell_type):
    cell = cell_type(ws, value=value)
    cell.data_type = "s"  # a text starting with "=" stays text
    return cell
