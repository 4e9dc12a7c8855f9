"""The one Dutch number formatter: ``12345.6 -> "12.345,6"``, euros, percentages, counts.

Every Dutch text nabij shows (report, CLI tables, XLSX notes) formats numbers here.
"""

from __future__ import annotations

import math


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def nl_number(value: object, decimals: int = 0, missing: str = "–", minus: str = "-") -> str:
    """Dutch separators: ``nl_number(12345.678, 1) == "12.345,7"``; None/NaN -> ``missing``;
    text (a suppressed count such as ``"<10"``) is returned as is."""
    if isinstance(value, str):
        return value
    v = _finite(value)
    if v is None:
        return missing
    s = f"{v:,.{decimals}f}"
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if s.startswith("-"):
        s = s[1:] if set(s[1:]) <= set("0,.") else minus + s[1:]
    return s


def nl_int(value: object, missing: str = "–") -> str:
    """Whole number with thousands dots: ``12345 -> "12.345"``."""
    return nl_number(value, 0, missing)


def nl_euro(value: object, decimals: int = 0, missing: str = "–", minus: str = "-") -> str:
    """``"€ 12.345"``; negative amounts as ``"-€ 12.345"`` (or with ``minus``)."""
    v = _finite(value)
    if v is None:
        return missing
    text = nl_number(abs(v), decimals)
    return (minus + "€ " if v < 0 and set(text) - set("0,.") else "€ ") + text


def nl_percent(share: object, decimals: int = 1, missing: str = "–") -> str:
    """A fraction 0..1 as a percentage: ``0.125 -> "12,5 %"``."""
    v = _finite(share)
    return missing if v is None else nl_number(100 * v, decimals) + " %"


def nl_km(value: object, decimals: int = 1, missing: str = "–") -> str:
    v = _finite(value)
    return missing if v is None else nl_number(v, decimals) + " km"


def nl_auto(value: object, missing: str = "–") -> str:
    """Whole numbers without decimals, small numbers with two, others with one."""
    v = _finite(value)
    if v is None:
        return missing
    if v.is_integer():
        return nl_number(v, 0)
    return nl_number(v, 2 if abs(v) < 10 else 1)
