"""Atomic CSV / XLSX / JSON writers shared by the fund and transport outputs.

Each file is written to a temporary name in the target folder and renamed into place
(``os.replace``), so a reader never sees half a file. Callers compute everything first and
write last, so bad input leaves the folder untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from nabij.fileio import atomic_write, atomic_write_text

MONEY_HINTS = ("bedrag", "huidig", "doel", "verschil", "kosten", "besparing", "fonds",
               "reserve", "te_verdelen", "basis", "correctie", "plus10", "min10")


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """CSV in UTF-8 with ``,`` separator and ``.`` decimals (machine-readable), atomically."""
    return atomic_write(path, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8"))


def write_json(data: Mapping, path: Path) -> Path:
    return atomic_write_text(
        path, json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable))


def write_tables(out: str | Path, prefix: str, tables: Mapping[str, pd.DataFrame],
                 notes: Iterable[str], title: str, doc: Mapping) -> list[Path]:
    """``<prefix>_<table>.csv`` per table, ``<prefix>.xlsx`` and ``<prefix>.json`` (``doc``)."""
    out = Path(out)
    paths = [write_csv(df, out / f"{prefix}_{name}.csv") for name, df in tables.items()]
    paths.append(write_xlsx(tables, out / f"{prefix}.xlsx", notes, title))
    paths.append(write_json(doc, out / f"{prefix}.json"))
    return paths


def _jsonable(o: object) -> object:
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path,
               notes: Iterable[str] = (), title: str = "") -> Path:
    """One sheet per table plus a first sheet "uitleg" with the notes; euro columns formatted."""

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            lines = [title] if title else []
            lines += list(notes)
            pd.DataFrame({"uitleg": lines}).to_excel(xw, sheet_name="uitleg", index=False)
            for name, df in sheets.items():
                df.to_excel(xw, sheet_name=name[:31], index=False)
                ws = xw.sheets[name[:31]]
                for j, col in enumerate(df.columns, start=1):
                    letter = ws.cell(row=1, column=j).column_letter
                    ws.column_dimensions[letter].width = max(10, min(40, len(str(col)) + 2))
                    if any(h in str(col) for h in MONEY_HINTS) and pd.api.types.is_numeric_dtype(
                            df[col]):
                        for cell in ws[letter][1:]:
                            cell.number_format = "#,##0"
            xw.sheets["uitleg"].column_dimensions["A"].width = 120

    return atomic_write(path, write)
