"""Dutch number formatting for the report and exports, with small-count suppression."""

from __future__ import annotations

import math
from typing import TypeGuard

from nabij.io.numbers import nl_number as io_nl_number
from nabij.privacy import DEFAULT_THRESHOLD, format_count, is_suppressed, suppress_label

COUNT_UNITS = frozenset({"leerlingen", "kinderen", "leerling"})
"""Units whose values are pupil counts: suppressed below the threshold when published."""

SHARE_UNITS = frozenset({"aandeel", "fractie", "share"})
"""Units of values stored as a fraction 0..1 and shown as a percentage."""


def is_number(value: object) -> TypeGuard[float]:
    """True for a finite int/float (not bool, not NaN)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return math.isfinite(float(value))
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]  # numpy scalars, str
    except (TypeError, ValueError):
        return False


def nl_number(value: float, decimals: int = 1) -> str:
    """12345.678 -> "12.345,7" (Dutch separators; :func:`nabij.io.numbers.nl_number`)."""
    return io_nl_number(value, decimals)


def is_count_unit(eenheid: str | None) -> bool:
    return (eenheid or "").strip().lower() in COUNT_UNITS


def format_value(
    value: object, eenheid: str | None = None, threshold: int = DEFAULT_THRESHOLD
) -> str:
    """A measure value as a Dutch string, by its unit; counts below the threshold -> "<10"."""
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value) if value else "–"
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if not is_number(value):
        return str(value)
    v = float(value)  # type: ignore[arg-type]  # is_number checked it
    unit = (eenheid or "").strip().lower()
    if unit in COUNT_UNITS:
        return format_count(v, threshold)
    if unit in SHARE_UNITS:
        return nl_number(100 * v, 1) + " %"
    if unit in ("%", "procent"):
        return nl_number(v, 1) + " %"
    if unit == "km":
        return nl_number(v, 1) + " km"
    if unit in ("euro", "€"):
        return "€ " + nl_number(v, 0)
    if float(v).is_integer():
        return nl_number(v, 0)
    return nl_number(v, 2 if abs(v) < 10 else 1)


def format_plain(value: object, eenheid: str | None = None,
                 threshold: int = DEFAULT_THRESHOLD) -> str:
    """Like :func:`format_value` but without the unit suffix (for table cells under a header
    that names the unit)."""
    s = format_value(value, eenheid, threshold)
    for suffix in (" km", " %"):
        if s.endswith(suffix):
            return s[: -len(suffix)]
    return s


def suppressed(value: object, eenheid: str | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when this value is a count that must be shown as "<threshold>"."""
    return is_count_unit(eenheid) and is_suppressed(value, threshold)


__all__ = ["format_value", "format_plain", "nl_number", "is_number", "is_count_unit",
           "suppressed", "suppress_label", "format_count"]
