"""Atomic CSV / XLSX / JSON writers shared by the fund and transport outputs.

Each file is written to a temporary name in the target folder and renamed into place
(``os.replace``), so a reader never sees half a file. Callers compute everything first and
write last, so bad input leaves the folder untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)

MONEY_HINTS = ("bedrag", "huidig", "doel", "verschil", "kosten", "besparing", "fonds",
               "reserve", "te_verdelen", "basis", "correctie", "plus10", "min10")


def _tmp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)
    return Path(tmp)


def _commit(tmp: Path, path: Path) -> Path:
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """CSV in UTF-8 with ``,`` separator and ``.`` decimals (machine-readable), atomically."""
    tmp = _tmp(path)
    try:
        df.to_csv(tmp, index=False, encoding="utf-8")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _commit(tmp, path)


def write_json(data: Mapping, path: Path) -> Path:
    tmp = _tmp(path)
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable),
                       encoding="utf-8")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _commit(tmp, path)


def _jsonable(o: object) -> object:
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path,
               notes: Iterable[str] = (), title: str = "") -> Path:
    """One sheet per table plus a first sheet "uitleg" with the notes; euro columns formatted."""
    tmp = _tmp(path)
    try:
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
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _commit(tmp, path)
