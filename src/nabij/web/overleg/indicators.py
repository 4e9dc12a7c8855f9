"""The indicators an agreement can be measured by, with their current value in a region.

Source: the monitor catalogue (``nabij.monitor``) when it is installed, else the planning
measures of the region's Division (region-level numeric measures, loaded with the atlas).
"""

from __future__ import annotations

from dataclasses import dataclass

SKIP_UNITS = ("tekst",)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    better: str | None
    current: float | None
    modelled: bool
    source: str


def catalogue(region) -> dict[str, Indicator]:
    """Indicators available in ``region``, keyed by their stable key."""
    out: dict[str, Indicator] = {}
    defs = region.division.measure_definitions or {}
    values = region.measures or {}
    for key, d in defs.items():
        if d.get("niveau") != "regio" or d.get("eenheid") in SKIP_UNITS:
            continue
        v = values.get(key)
        if v is not None and not isinstance(v, int | float):
            continue
        out[key] = Indicator(key, d.get("label", key), d.get("eenheid", ""), d.get("beter"),
                             None if v is None else float(v), bool(d.get("gemodelleerd")),
                             "maatstaf")
    return out


def choices(region) -> list[tuple[str, str]]:
    return [("", "— geen indicator (beschrijf dan een op te leveren resultaat) —")] + [
        (i.key, f"{i.label} ({i.unit})") for i in catalogue(region).values()]
