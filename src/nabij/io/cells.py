"""Spreadsheet safety (OWASP CSV injection): text that a spreadsheet would run as a formula.

Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are written
as text in XLSX (never as a formula) and prefixed with ``'`` in CSV.
"""

from __future__ import annotations

import pandas as pd

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

XLSX_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False}
"""xlsxwriter workbook options: every string is written as a string, never as a formula, URL
or number (what ``xlsx_text_only`` does for openpyxl)."""


def is_dangerous(value: object) -> bool:
    """True for text that a spreadsheet could interpret as a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS_START)


def csv_safe(value: object) -> object:
    """``"=HYPERLINK(…)" -> "'=HYPERLINK(…)"``; other values unchanged."""
    return "'" + value if is_dangerous(value) else value  # type: ignore[operator]


def csv_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with dangerous text cells (and column names) prefixed with ``'``."""
    out = df
    text_cols = [c for c in df.columns
                 if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]
    for c in text_cols:
        col = df[c]
        mask = _dangerous_mask(col)
        if bool(mask.any()):
            if out is df:
                out = df.copy()
            out[c] = col.astype(object).where(~mask, "'" + col.astype(str))
    if any(is_dangerous(str(c)) for c in df.columns):
        out = out.rename(columns={c: csv_safe(str(c)) for c in df.columns if is_dangerous(str(c))})
    return out


def _dangerous_mask(col: pd.Series) -> pd.Series:
    """Vectorised :func:`is_dangerous` over a text (or mixed object) column."""
    if col.dtype == object:
        # mixed columns (published counts are ints and "<10"): only real strings can be text
        is_text = col.map(type).eq(str)
        if not is_text.any():
            return is_text
        starts = col.where(is_text, "").astype(str).str.startswith(DANGEROUS_START)
        return starts & is_text
    return col.str.startswith(DANGEROUS_START).fillna(False).astype(bool)


def xlsx_text_only(cell) -> object:
    """Make an openpyxl cell holding a dangerous string a plain text cell (not a formula)."""
    if is_dangerous(cell.value):
        cell.data_type = "s"
    return cell


def xlsx_safe_row(ws, values) -> list:
    """A row for a write-only worksheet: dangerous strings wrapped as text cells."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for v in values:
        if is_dangerous(v):
            c = WriteOnlyCell(ws, value=v)
            c.data_type = "s"
            row.append(c)
        elif hasattr(v, "value") and is_dangerous(getattr(v, "value", None)):
            v.data_type = "s"
            row.append(v)
        else:
            row.append(v)
    return row


def neutralise_workbook(wb) -> int:
    """Turn every formula-looking string of a (normal, not write-only) workbook into text.
    Returns how many cells were changed."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_dangerous(cell.value):
                    cell.data_type = "s"
                    n += 1
    return n
