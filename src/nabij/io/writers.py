"""Atomic CSV / XLSX / JSON writers for published tables (spreadsheet-safe).

Each file is written to a temporary name beside the target and renamed into place, so a
reader never sees half a file. Text that a spreadsheet would run as a formula is neutralised
(:mod:`nabij.io.cells`). Callers suppress small counts first (:func:`nabij.privacy.publish`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.io.atomic import atomic_write, atomic_write_text
from nabij.io.cells import XLSX_AS_TEXT, csv_safe_frame

MONEY_HINTS = ("bedrag", "huidig", "doel", "verschil", "kosten", "besparing", "fonds",
               "reserve", "te_verdelen", "basis", "correctie", "plus10", "min10")


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with ``,`` separator and ``.`` decimals (machine-readable), atomically."""
    safe = csv_safe_frame(df)
    return atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8"))


def jsonable(o: object) -> object:
    """JSON fallback: numpy scalars as Python numbers, NaN/inf as null, others as text."""
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.floating):
        f = float(o)
        return f if np.isfinite(f) else None
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def write_json(data: Mapping, path: str | Path, indent: int | None = 2) -> Path:
    """``data`` as UTF-8 JSON, atomically."""
    return atomic_write_text(
        path, json.dumps(data, indent=indent, ensure_ascii=False, default=jsonable))


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path,
               notes: Iterable[str] = (), title: str = "") -> Path:
    """One sheet per table plus a first sheet "uitleg" with the notes; euro columns formatted;
    no cell is ever a formula."""

    def write(tmp: Path) -> None:
        # xlsxwriter (streams, several times faster than openpyxl); with these options no
        # string is ever turned into a formula, URL or number: text stays text
        with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": XLSX_AS_TEXT}
                            ) as xw:
            money = xw.book.add_format({"num_format": "#,##0"})
            lines = [title] if title else []
            lines += list(notes)
            pd.DataFrame({"uitleg": lines}).to_excel(xw, sheet_name="uitleg", index=False)
            for name, df in sheets.items():
                df.to_excel(xw, sheet_name=name[:31], index=False)
                ws = xw.sheets[name[:31]]
                for j, col in enumerate(df.columns):
                    is_money = any(h in str(col) for h in MONEY_HINTS) and \
                        pd.api.types.is_numeric_dtype(df[col])
                    ws.set_column(j, j, max(10, min(40, len(str(col)) + 2)),
                                  money if is_money else None)
            xw.sheets["uitleg"].set_column(0, 0, 120)

    return atomic_write(path, write)


def write_tables(out: str | Path, prefix: str, tables: Mapping[str, pd.DataFrame],
                 notes: Iterable[str], title: str, doc: Mapping) -> list[Path]:
    """``<prefix>_<table>.csv`` per table, ``<prefix>.xlsx`` and ``<prefix>.json`` (``doc``)."""
    out = Path(out)
    paths = [write_csv(df, out / f"{prefix}_{name}.csv") for name, df in tables.items()]
    paths.append(write_xlsx(tables, out / f"{prefix}.xlsx", notes, title))
    paths.append(write_json(doc, out / f"{prefix}.json"))
    return paths
