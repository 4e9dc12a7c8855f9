"""Aggregates a lezer may see, published through the one privacy path (``nabij.privacy``):
counts below the threshold hidden, with complementary suppression where a total is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import SupportsInt

import pandas as pd

from nabij.privacy import DEFAULT_THRESHOLD, format_count, publish
from nabij.web.regio.registry import AGGREGATES


@dataclass(frozen=True)
class CountTable:
    """Counts to publish; ``with_total``: the table's total is shown too."""

    caption: str
    rows: list[tuple[str, int]]
    with_total: bool = True


@dataclass(frozen=True)
class ShownTable:
    caption: str
    rows: list[tuple[str, str]]
    total: str | None


def region_aggregates(region, threshold: int = DEFAULT_THRESHOLD) -> list[ShownTable]:
    """Every registered count table of ``region`` as published."""
    from django.db.models import Count

    from nabij.web.regio.roles import Category

    labels = dict(Category.choices)
    by_cat = dict(region.parties.values_list("organisation__category")
                  .annotate(n=Count("id")).values_list("organisation__category", "n"))
    tables = [CountTable("Partijen in het overleg, naar soort",
                         [(labels[c], int(by_cat.get(c, 0))) for c in labels])]
    for func in AGGREGATES:
        tables += list(func(region))
    return [published_table(t, threshold) for t in tables]


def published_table(table: CountTable, threshold: int = DEFAULT_THRESHOLD) -> ShownTable:
    """Apply :func:`nabij.privacy.publish` (complementary when the total is shown)."""
    df = pd.DataFrame(table.rows, columns=["label", "aantal"])
    if df.empty:
        return ShownTable(table.caption, [], None)
    shown = publish(df, ["aantal"], threshold, totals=True if table.with_total else None)
    total = None
    if table.with_total:
        total = format_count(int(df["aantal"].sum()), threshold)
    return ShownTable(table.caption, [(str(r.label), _text(r.aantal))
                                      for r in shown.itertuples()], total)


def _text(v: str | SupportsInt | None) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    if isinstance(v, str):
        return v
    return f"{int(v):,}".replace(",", ".")
