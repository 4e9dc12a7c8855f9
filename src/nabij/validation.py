"""Validation of Atlas tables: schema, types, ranges, keys and referential integrity.

Every problem names the file, the row (line number as a user sees it) and the column, in
Dutch. ``coerce_table`` is the single place where raw values become typed columns; source
readers and the builder both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nabij.errors import InputError, Problem
from nabij.tables import TABLES, Column, TableSpec

MAX_PROBLEMS_PER_CHECK = 20

_TRUE = {"true", "1", "ja", "j", "yes", "waar", "t"}
_FALSE = {"false", "0", "nee", "n", "no", "onwaar", "f", ""}


def _rows(mask: np.ndarray, row_offset: int) -> list[int]:
    idx = np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]
    return [int(i) + row_offset for i in idx]


def _as_number(s: pd.Series, decimal_comma: bool) -> pd.Series:
    if s.dtype.kind in "iuf":
        return s.astype(float)
    if s.dtype.kind == "b":
        return s.astype(float)
    txt = s.astype("string").str.strip()
    if decimal_comma:  # "1.234,5" -> 1234.5, but "52.37" stays 52.37
        comma = txt.str.contains(",", regex=False).fillna(False)
        fixed = txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        txt = txt.where(~comma, fixed)
    return pd.to_numeric(txt, errors="coerce").astype(float)


def _coerce_column(
    col: Column, s: pd.Series, file: str, row_offset: int, decimal_comma: bool
) -> tuple[pd.Series, list[Problem]]:
    """Typed values of one column plus its problems, by the column's type."""
    problems: list[Problem] = []
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        raw = s.astype("string").str.strip()
        missing = raw.isna() | (raw == "")
    else:
        raw = s
        missing = s.isna()
    missing_arr = missing.to_numpy(dtype=bool)
    where = _Where(col, s, file, row_offset, problems)
    if col.dtype in ("int", "float"):
        out = _coerce_number(where, missing_arr, decimal_comma)
    elif col.dtype == "bool":
        txt = raw.astype("string").str.lower().fillna("")
        ok = txt.isin(_TRUE | _FALSE).to_numpy()
        where.report(~ok, lambda v: f"'{v}' is geen ja/nee-waarde")
        out = txt.isin(_TRUE).astype(bool)
        missing_arr = np.zeros(len(s), dtype=bool)
    else:
        out = _coerce_text(where, raw, missing, missing_arr)
    if not col.nullable:
        for r in _rows(missing_arr, row_offset):
            problems.append(Problem("waarde ontbreekt", file, r, col.name))
    return out, problems


@dataclass
class _Where:
    """A column being coerced, and the list its problems go to."""

    col: Column
    s: pd.Series
    file: str
    row_offset: int
    problems: list[Problem]

    def report(self, mask: np.ndarray, message, values: pd.Series | None = None) -> None:
        """One problem per row in ``mask``; ``message(value)`` says what is wrong."""
        vals = self.s if values is None else values
        for r in _rows(mask, self.row_offset):
            self.problems.append(Problem(message(vals.iloc[r - self.row_offset]), self.file, r,
                                         self.col.name))


def _coerce_number(w: _Where, missing_arr: np.ndarray, decimal_comma: bool) -> pd.Series:
    col = w.col
    num = _as_number(w.s, decimal_comma)
    w.report(~missing_arr & num.isna().to_numpy(), lambda v: f"'{v}' is geen getal")
    abroad = " (buiten Nederland)" if col.name in ("lat", "lon") else ""
    if col.min is not None:
        lo = col.min
        w.report((num < lo).to_numpy(),
                 lambda v: f"waarde {v:g} is kleiner dan {lo:g}" + abroad, num)
    if col.max is not None:
        hi = col.max
        w.report((num > hi).to_numpy(),
                 lambda v: f"waarde {v:g} is groter dan {hi:g}" + abroad, num)
    if col.dtype != "int":
        return num
    filled = num.fillna(0).to_numpy()
    frac = ~num.isna().to_numpy() & (np.abs(filled - np.round(filled)) > 1e-9)
    w.report(frac, lambda v: f"'{v}' moet een geheel getal zijn")
    safe = num.where(num.abs() < 2**53)  # out-of-range values are reported above
    return safe.round().astype("Int64")


def _coerce_text(w: _Where, raw: pd.Series, missing: pd.Series,
                 missing_arr: np.ndarray) -> pd.Series:
    col, s = w.col, w.s
    out = raw.astype("string")
    if s.dtype.kind == "f":  # codes read as floats by a careless writer: 1011.0 -> "1011"
        out = s.map(lambda v: "" if pd.isna(v) else f"{v:.0f}" if float(v).is_integer()
                    else str(v)).astype("string")
    if col.pattern:
        okp = out.fillna("").str.fullmatch(col.pattern).fillna(False).to_numpy(dtype=bool)
        w.report(~okp & ~missing_arr, lambda v: f"ongeldige code '{v}' (verwacht patroon "
                 f"{_pattern_hint(col)})", out)
    if col.choices:
        okc = out.fillna("").isin(col.choices).to_numpy()
        w.report(~okc & ~missing_arr, lambda v: f"onbekende waarde '{v}' (toegestaan: "
                 f"{', '.join(col.choices)})", out)
    return out.where(~missing, None) if col.nullable else out


def _pattern_hint(col: Column) -> str:
    hints = {
        "gemeente": "GM0363",
        "gemeente_a": "GM0363",
        "gemeente_b": "GM0363",
        "pc4": "1011",
        "pc4_a": "1011",
        "pc4_b": "1011",
        "jeugdregio": "JZ13",
        "swv": "PO 27-07",
        "swv_po": "PO 27-07",
        "swv_vo": "VO 27-08",
        "brin": "00AA",
        "clusters": "3;4",
    }
    return f"zoals {hints[col.name]}" if col.name in hints else col.pattern or ""


def coerce_table(
    spec: TableSpec,
    df: pd.DataFrame,
    file: str | None = None,
    row_offset: int = 2,
    decimal_comma: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type one table against its spec; return the typed frame and the problems.

    ``row_offset`` is the line number of the first data row (2 for a CSV with a header).
    Extra columns are kept as they are.
    """
    file = file or spec.file
    problems: list[Problem] = []
    df = df.reset_index(drop=True)
    missing = [c.name for c in spec.columns if c.required and c.name not in df.columns]
    if missing:
        return df, [Problem(
            f"verplichte kolom(men) ontbreken: {', '.join(missing)} "
            f"(gevonden: {', '.join(map(str, df.columns)) or 'geen'})", file, 1, missing[0])]
    out = {}
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        out[col.name], p = _coerce_column(col, df[col.name], file, row_offset, decimal_comma)
        problems += p
    typed = df.copy()
    for name, s in out.items():
        typed[name] = s
    if not problems:
        problems += _check_key(spec, typed, file, row_offset)
    return typed, problems


def _check_key(spec: TableSpec, df: pd.DataFrame, file: str, row_offset: int) -> list[Problem]:
    key = list(spec.key)
    dup = df.duplicated(key, keep=False).to_numpy()
    if not dup.any():
        return []
    problems = []
    shown = 0
    for _, grp in df[dup].groupby(key, sort=False):
        rows = [int(i) + row_offset for i in grp.index]
        value = ", ".join(str(grp.iloc[0][k]) for k in key)
        problems.append(Problem(
            f"dubbele sleutel {value} (ook in rij {', '.join(map(str, rows[1:]))})",
            file, rows[0], "/".join(key)))
        shown += 1
        if shown >= MAX_PROBLEMS_PER_CHECK:
            break
    return problems


def _swv_sector_problems(swv: pd.DataFrame, file: str, off: int) -> list[Problem]:
    """An SWV whose code (``PO 27-07``) contradicts its declared sector."""
    prefix = swv["swv"].astype(str).str[:2]
    return [Problem(f"SWV-code {swv['swv'].iloc[r - off]} hoort bij sector "
                    f"{prefix.iloc[r - off]}, maar de kolom sector zegt "
                    f"{swv['sector'].iloc[r - off]}", file, r, "sector")
            for r in _rows((prefix != swv["sector"].astype(str)).to_numpy(), off)]


def isin(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` as a boolean array; text columns through Arrow's hash set
    (pandas' own ``isin`` on Arrow-backed strings is ten times slower)."""
    if pd.api.types.is_string_dtype(values.dtype) and pd.api.types.is_string_dtype(known.dtype):
        a = pa.array(values.astype("string[pyarrow]"), type=pa.large_string())
        k = pa.array(known.astype("string[pyarrow]").unique(), type=pa.large_string())
        return pc.is_in(a, value_set=k).to_numpy(zero_copy_only=False).astype(bool)
    return values.isin(pd.Index(known.unique())).to_numpy(bool)


def _reference_problems(name: str, df: pd.DataFrame, tables: dict[str, pd.DataFrame],
                        origin: dict[str, str], off: int) -> list[Problem]:
    """Values of ``df`` that refer to a row missing in another table."""
    spec = TABLES[name]
    file = origin.get(name, spec.file)
    problems = []
    for col, (ref_table, ref_col) in spec.references.items():
        if col not in df.columns or ref_table not in tables:
            continue
        vals = df[col]
        bad = ~isin(vals, tables[ref_table][ref_col].dropna()) & vals.notna().to_numpy()
        for r in _rows(bad, off):
            problems.append(Problem(
                f"'{vals.iloc[r - off]}' komt niet voor in {origin.get(ref_table, ref_table)} "
                f"(kolom '{ref_col}')", file, r, col))
    return problems


def check_integrity(
    tables: dict[str, pd.DataFrame],
    origin: dict[str, str] | None = None,
    row_offset: dict[str, int] | None = None,
) -> list[Problem]:
    """Referential integrity across tables, plus the domain rules of the Atlas.

    Every reference exists (a school's gemeente, pc4 and board; a pc4's gemeente ...), every
    PC4 is in exactly one SWV per sector, SWV codes match their sector, flows point at
    existing school locations.
    """
    origin = origin or {}
    row_offset = row_offset or {}
    problems: list[Problem] = []
    for name, spec in TABLES.items():
        if spec.required and name not in tables:
            problems.append(Problem(f"tabel '{name}' ontbreekt", origin.get(name, spec.file)))
    for name, df in tables.items():
        if name in TABLES:
            problems += _reference_problems(name, df, tables, origin, row_offset.get(name, 2))
    if "pc4" in tables and "indeling" in tables:
        pc4 = tables["pc4"]["pc4"]
        missing = ~isin(pc4, tables["indeling"]["pc4"])
        off = row_offset.get("pc4", 2)
        for r in _rows(missing, off):
            problems.append(Problem(
                f"postcode {pc4.iloc[r - off]} heeft geen SWV in "
                f"{origin.get('indeling', 'indeling.csv')}",
                origin.get("pc4", "pc4.csv"), r, "pc4"))
    if "swv" in tables:
        problems += _swv_sector_problems(tables["swv"], origin.get("swv", "swv.csv"),
                                         row_offset.get("swv", 2))
    if "swv" in tables and "indeling" in tables:
        sector = dict(zip(tables["swv"]["swv"], tables["swv"]["sector"], strict=False))
        ind = tables["indeling"]
        off = row_offset.get("indeling", 2)
        for col, want in (("swv_po", "PO"), ("swv_vo", "VO")):
            wrong = (ind[col].map(sector).fillna(want) != want).to_numpy()
            for r in _rows(wrong, off):
                problems.append(Problem(
                    f"SWV {ind[col].iloc[r - off]} hoort niet bij sector {want}",
                    origin.get("indeling", "indeling.csv"), r, col))
    if "stromen" in tables and "scholen" in tables:
        st = tables["stromen"]
        known = pd.MultiIndex.from_frame(tables["scholen"][["vestiging", "soort"]])
        idx = pd.MultiIndex.from_frame(st[["vestiging", "soort"]])
        bad = ~idx.isin(known)
        off = row_offset.get("stromen", 2)
        for r in _rows(bad, off):
            problems.append(Problem(
                f"school {st['vestiging'].iloc[r - off]} ({st['soort'].iloc[r - off]}) komt niet "
                f"voor in {origin.get('scholen', 'scholen.csv')}",
                origin.get("stromen", "stromen.csv"), r, "vestiging"))
    return problems


def raise_if(problems: list[Problem], what: str) -> None:
    """Raise an InputError listing ``problems`` when there are any."""
    if problems:
        raise InputError(f"{what}: {len(problems)} probleem/problemen gevonden", problems)
