"""Small-count suppression for everything nabij publishes (AVG): the one suppression path.

Every writer (CSV, XLSX, JSON, HTML, GeoJSON, CLI tables) passes its tables through
:func:`publish` (or formats single values with :func:`format_count`). Which columns count
pupils is declared once in :mod:`nabij.tables` (``COUNT_COLUMNS``, ``COUNT_UNITS``).

Rules:

- a count ``0 < n < threshold`` is shown as ``"<threshold>"``; zero stays zero;
- **complementary suppression**: when the sum of a group of cells is published (a column
  total, the row total in another table such as ``leerlingen_woonachtig`` for the flows out of
  a region), a group with hidden cells hides at least two, with a hidden sum of at least the
  threshold, so that no hidden cell follows by subtraction;
- **derived columns** that reveal a hidden count (``kosten / kosten_per_vervoerde``,
  ``*_per_leerling``) are hidden with it (``tables.REVEALS_COUNT``);
- the threshold is at least :data:`DEFAULT_THRESHOLD`; lower only without suppression at all
  (``--no-suppress``), and then every output says :data:`NOT_FOR_PUBLICATION`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from nabij.defaults import PRIVACY_THRESHOLD
from nabij.errors import NabijError
from nabij.io.numbers import nl_int
from nabij.tables import COUNT_UNITS, REVEALS_COUNT, is_count_column

DEFAULT_THRESHOLD = PRIVACY_THRESHOLD
"""Counts of pupils below this are never published (configurable per call/CLI option)."""

NOT_FOR_PUBLICATION = "NIET VOOR PUBLICATIE: kleine aantallen zijn niet afgeschermd"
"""Mark on every output written with ``--no-suppress``."""


class PrivacyError(NabijError):
    """A privacy setting that would publish small counts."""


def check_threshold(threshold: int | None, suppress: bool = True) -> int:
    """The threshold to use; refuses < 1, and < :data:`DEFAULT_THRESHOLD` unless ``suppress``
    is off (``--no-suppress``)."""
    t = DEFAULT_THRESHOLD if threshold is None else threshold
    try:
        t = int(t)
    except (TypeError, ValueError) as e:
        raise PrivacyError(f"--drempel '{threshold}' is geen geheel getal") from e
    if t < 1:
        raise PrivacyError(f"--drempel {t}: de privacydrempel moet minstens 1 zijn")
    if suppress and t < DEFAULT_THRESHOLD:
        raise PrivacyError(
            f"--drempel {t} is lager dan {DEFAULT_THRESHOLD}: dan komen kleine aantallen "
            "leerlingen in gepubliceerde bestanden. Gebruik --no-suppress als de uitvoer niet "
            "gepubliceerd wordt (alles wordt dan gemarkeerd als 'niet voor publicatie').")
    return t


def suppress_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"<{threshold}"


def is_suppressed(value: object, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when a pupil count must not be shown (0 < value < threshold)."""
    if isinstance(value, str):
        return value.startswith("<")
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return 0 < v < threshold


def is_count_unit(unit: str | None) -> bool:
    """True for units that count pupils/children (``leerlingen``, ``kinderen``)."""
    u = (unit or "").strip().lower()
    return u in COUNT_UNITS or u == "leerling"


def count_columns(columns: Iterable[str], units: Mapping[str, str | None] | None = None
                  ) -> list[str]:
    """The columns that count pupils: by the vocabulary or by their unit (``units``)."""
    units = units or {}
    return [c for c in columns if is_count_column(c) or is_count_unit(units.get(c))]


def revealing_columns(count: str, columns: Iterable[str]) -> list[str]:
    """Columns derived from ``count`` that reveal it when it is hidden (see REVEALS_COUNT)."""
    ends = REVEALS_COUNT.get(count, ())
    return [c for c in columns if c != count and any(c == e or c.endswith(e) for e in ends)]


# ---------------------------------------------------------------------------- complementary
def _protect(values: np.ndarray, hidden: np.ndarray, idx: np.ndarray, threshold: int) -> bool:
    """Within one group (positions ``idx``) whose sum is published: hide more cells until the
    hidden ones are 0, or >= 2 cells summing to >= threshold. True when something changed."""
    changed = False
    while True:
        h = hidden[idx]
        if not h.any():
            return changed
        hsum = values[idx][h].sum()
        if h.sum() >= 2 and hsum >= threshold:
            return changed
        cand = idx[(~h) & (values[idx] > 0)]
        if not len(cand):
            return changed
        pick = cand[np.argmin(values[cand])]
        hidden[pick] = True
        changed = True


def _group_indices(df: pd.DataFrame, keys: Sequence[str]) -> list[np.ndarray]:
    if not keys:
        return [np.arange(len(df))]
    codes = df.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return [g for g in np.split(order, bounds) if len(g)]


def _complementary(values: dict[str, np.ndarray], hidden: dict[str, np.ndarray],
                   df: pd.DataFrame, totals: Sequence[Sequence[str]],
                   row_totals: Sequence[Sequence[str]], threshold: int) -> None:
    groups = [_group_indices(df, keys) for keys in totals]
    for _ in range(50):
        changed = False
        for col in values:
            for gl in groups:
                for idx in gl:
                    changed |= _protect(values[col], hidden[col], idx, threshold)
        for cols in row_totals:
            cols = [c for c in cols if c in values]
            if len(cols) < 2:
                continue
            v = np.column_stack([values[c] for c in cols])
            h = np.column_stack([hidden[c] for c in cols])
            rows = np.flatnonzero(h.any(axis=1))
            for r in rows:
                flat_v, flat_h = v[r].copy(), h[r].copy()
                if _protect(flat_v, flat_h, np.arange(len(cols)), threshold):
                    changed = True
                    for j, c in enumerate(cols):
                        hidden[c][r] = flat_h[j]
        if not changed:
            return


# ---------------------------------------------------------------------------- publish
def _already_hidden(col: pd.Series) -> np.ndarray:
    """Cells that already read "<n" (a table read back from a published CSV)."""
    if col.dtype.kind in "biuf":
        return np.zeros(len(col), bool)
    text = col.astype("string").str.strip()
    return text.str.startswith("<").fillna(False).to_numpy(bool)


def publish(
    df: pd.DataFrame,
    count_columns: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    totals: Sequence[Sequence[str]] | bool | None = True,
    row_totals: Sequence[Sequence[str]] = (),
    units: Mapping[str, str | None] | None = None,
    suppress: bool = True,
) -> pd.DataFrame:
    """The table as it may be published: pupil counts below ``threshold`` as ``"<10"``.

    ``count_columns``: the count columns (default: found by name/unit, :func:`count_columns`).
    ``totals``: groupings whose sums are published elsewhere (``True``: the column totals of
    the whole table; ``[("van",), ("naar",)]``: sums per value of these key columns); hidden
    cells get complementary partners so none follows by subtraction. ``row_totals``: sets of
    count columns in one row whose sum/difference is published (e.g. before, after, moved).
    Derived columns that reveal a hidden count are emptied. Counts are rounded to whole pupils;
    with ``suppress=False`` nothing is hidden (outputs must then carry NOT_FOR_PUBLICATION).
    """
    out = df.copy(deep=False)  # columns are replaced below, never written into
    cols = list(count_columns) if count_columns is not None else \
        globals()["count_columns"](out.columns, units)
    cols = [c for c in cols if c in out.columns]
    given = {c: _already_hidden(out[c]) for c in cols}
    values = {c: _numbers(out[c], given[c]) for c in cols}
    if not suppress:
        for c in cols:
            whole = pd.Series(values[c], index=out.index).round().astype("Int64")
            out[c] = whole if not given[c].any() else whole.astype(object).where(
                ~given[c], out[c])
        return out
    threshold = max(1, int(threshold))
    # a cell published as "<10" before counts as hidden, with a value just under the threshold
    filled = {c: np.where(given[c], threshold - 1, np.nan_to_num(v, nan=0.0))
              for c, v in values.items()}
    hidden = {c: given[c] | ((v > 0) & (v < threshold)) for c, v in filled.items()}
    groups: list[Sequence[str]] = [()] if totals is True else list(totals or [])
    if groups or row_totals:
        _complementary(filled, hidden, out, groups, row_totals, threshold)
    label = suppress_label(threshold)
    for c in cols:
        out[c] = _shown(values[c], hidden[c], label)
        if not hidden[c].any():
            continue
        for d in revealing_columns(c, out.columns):
            if d not in cols:
                out[d] = out[d].astype(object).where(~hidden[c], None)
    return out


def _numbers(col: pd.Series, given: np.ndarray) -> np.ndarray:
    """A count column as floats (NaN where empty or not a number; cells in ``given`` NaN)."""
    if col.dtype.kind in "biuf":
        return col.to_numpy(float, na_value=np.nan)
    return pd.to_numeric(col.where(~given, None), errors="coerce").to_numpy(float)


def _shown(values: np.ndarray, hidden: np.ndarray, label: str) -> np.ndarray:
    """Published cells of one count column: whole numbers (Python ``int``), ``label`` where
    hidden, ``None`` where empty."""
    empty = np.isnan(values)
    shown = np.rint(np.where(empty, 0.0, values)).astype(np.int64).astype(object)
    shown[empty] = None
    shown[hidden] = label
    return shown


def publish_values(values: Mapping[str, object], threshold: int = DEFAULT_THRESHOLD,
                   units: Mapping[str, str | None] | None = None, suppress: bool = True
                   ) -> dict[str, object]:
    """A dict of headline figures as published (counts by key name or unit; derived keys that
    reveal a hidden count are set to None)."""
    keys = list(values)
    counts = count_columns(keys, units)
    out = dict(values)
    if not suppress:
        return out
    for k in counts:
        v = values[k]
        if is_suppressed(v, threshold) and not isinstance(v, str):
            out[k] = suppress_label(threshold)
            for d in revealing_columns(k, keys):
                out[d] = None
    return out


def suppress_counts(df: pd.DataFrame, columns: list[str], threshold: int = DEFAULT_THRESHOLD
                    ) -> pd.DataFrame:
    """Primary suppression of ``columns`` only (no totals); kept for old callers."""
    return publish(df, columns, threshold, totals=None)


def format_count(value: float, threshold: int = DEFAULT_THRESHOLD) -> str:
    """Dutch formatting of a pupil count with suppression: 12345 -> "12.345", 7 -> "<10"."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if is_suppressed(value, threshold):
        return suppress_label(threshold)
    return nl_int(value)


def published_totals(totals: Mapping[str, object], threshold: int = DEFAULT_THRESHOLD,
                     suppress: bool = True) -> pd.DataFrame:
    """A ``onderdeel, waarde`` table of headline totals as published."""
    shown = publish_values(totals, threshold, suppress=suppress)
    return pd.DataFrame([{"onderdeel": k, "waarde": v} for k, v in shown.items()],
                        columns=["onderdeel", "waarde"])
