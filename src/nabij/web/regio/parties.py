"""Which statutory participant categories a region's overleg lacks (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from nabij.web.regio.roles import STATUTORY, statutory_keys


def missing_categories(orgs: Iterable[tuple[str, str]]) -> list[str]:
    """Dutch labels of the statutory categories no party fills; ``orgs`` are (category,
    sectors) pairs of the region's parties."""
    covered: set[str] = set()
    for category, sectors in orgs:
        covered |= statutory_keys(category, sectors or "")
    return [label for key, label in STATUTORY if key not in covered]
