"""Exports of the overleg register: the agreements register as XLSX (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

HEADERS = ("Afspraak", "Partijen", "Eigenaar", "Contactpersoon", "Deadline", "Status",
           "Te laat", "Indicator", "Uitgangswaarde", "Streefwaarde", "Huidige waarde",
           "Streefwaarde behaald", "Op te leveren resultaat", "Escalaties")


def agreements_workbook(region, rows) -> bytes:
    """One sheet 'Afspraken' with one row per agreement (values, not formatted text)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Afspraken"
    ws.append([f"Afsprakenregister {region.name} ({region.division.name})"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        a = r.agreement
        ws.append([
            a.title, "; ".join(p.name for p in a.parties.all()), a.owner.name, a.owner_contact,
            a.deadline, a.get_status_display(), "ja" if r.overdue else "nee",
            a.indicator_label or a.indicator or None, a.baseline, a.target, r.current,
            None if r.reached is None else ("ja" if r.reached else "nee"),
            a.deliverable or None, a.escalations.count(),
        ])
        ws.cell(ws.max_row, 5).number_format = "DD-MM-YYYY"
    for i, width in enumerate((40, 40, 30, 20, 12, 16, 8, 35, 14, 14, 14, 12, 40, 10), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
