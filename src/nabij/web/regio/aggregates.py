"""Aggregates a lezer may see, suppressed through the one privacy path (``nabij.privacy``)."""

from __future__ import annotations

import pandas as pd

from nabij.privacy import DEFAULT_THRESHOLD, suppress_counts
from nabij.web.regio.registry import AGGREGATES


def region_aggregates(region, threshold: int = DEFAULT_THRESHOLD) -> list[tuple[str, str]]:
    """(label, shown value) of every registered count for ``region``; small counts suppressed."""
    rows: list[tuple[str, float]] = [("Partijen in het overleg", region.parties.count())]
    for func in AGGREGATES:
        rows += list(func(region))
    return suppressed_rows(rows, threshold)


def suppressed_rows(rows: list[tuple[str, float]], threshold: int = DEFAULT_THRESHOLD
                    ) -> list[tuple[str, str]]:
    """Counts -> shown text via :func:`nabij.privacy.suppress_counts` (``<10`` etc.)."""
    if not rows:
        return []
    df = pd.DataFrame(rows, columns=["label", "aantal"])
    shown = suppress_counts(df, ["aantal"], threshold)
    return [(str(r.label), _text(r.aantal)) for r in shown.itertuples()]


def _text(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    return f"{int(v):,}".replace(",", ".")
