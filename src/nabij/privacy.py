"""Small-count suppression for published tables (AVG): counts below a threshold become "<10"."""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10
"""Counts of pupils below this are never published (configurable per call/CLI option)."""


def suppress_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"<{threshold}"


def is_suppressed(value: object, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when a pupil count must not be shown (0 < value < threshold)."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return 0 < v < threshold


def suppress_counts(
    df: pd.DataFrame, columns: list[str], threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Copy of ``df`` where count columns show ``"<threshold>"`` for 0 < count < threshold.

    Zero stays zero (an empty cell is not disclosive). Suppressed columns become object dtype;
    other values are rounded to whole pupils.
    """
    out = df.copy()
    label = suppress_label(threshold)
    for col in columns:
        v = pd.to_numeric(out[col], errors="coerce")
        small = (v > 0) & (v < threshold)
        rounded = v.round().astype("Int64")
        out[col] = np.where(small, label, rounded.astype(object)).astype(object)
        out.loc[v.isna(), col] = None
    return out


def format_count(value: float, threshold: int = DEFAULT_THRESHOLD) -> str:
    """Dutch formatting of a pupil count with suppression: 12345 -> "12.345", 7 -> "<10"."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if is_suppressed(value, threshold):
        return suppress_label(threshold)
    return f"{round(float(value)):,}".replace(",", ".")
