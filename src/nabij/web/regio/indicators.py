"""The indicators an agreement can be measured by, with their current value in a region.

Two sources, both loaded with the Division (``nabij web beheer atlas`` / ``demo``):

- ``monitor:<id>`` — the monitor catalogue (``nabij.monitor``), published values (small counts
  suppressed) of the latest period, with the national value;
- ``maatstaf:<key>`` — the region-level planning measures of the Division (``nabij.measures``).

Apps add to the monitor indicators through :func:`nabij.web.regio.registry.add_monitor` (the
``monitor`` app: the region's targets and notes from the database, with their status computed
by ``nabij.monitor``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SKIP_UNITS = ("tekst",)
MONITOR, MEASURE = "monitor", "maatstaf"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    better: str | None
    current: float | None
    modelled: bool
    source: str
    period: str = ""
    national: float | None = None
    expected: float | None = None
    status: str | None = None
    series: tuple = ()
    origin: str = ""
    target: str = ""
    target_path: float | None = None
    target_status: str | None = None
    target_period: str = ""
    notes: tuple = field(default=())


def _num(v) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def monitor_indicators(region, enrich: bool = True) -> list[Indicator]:
    """The region's monitor indicators as loaded with the division; with ``enrich`` the apps
    registered through ``registry.add_monitor`` add to them (targets and notes). The enriched
    list is kept on the region object, so one request computes it once."""
    if enrich and getattr(region, "_nabij_monitor", None) is not None:
        return list(region._nabij_monitor)
    cat = region.division.monitor_catalogue or {}
    values = region.monitor or {}
    out = []
    for ind, d in ordered(cat):
        v = values.get(ind, {})
        better = d.get("richting") if d.get("richting") in ("hoger", "lager") else None
        modelled = bool(d.get("gemodelleerd") or v.get("gemodelleerd")) \
            or v.get("status") == "gemodelleerd"
        out.append(Indicator(
            f"{MONITOR}:{ind}", d.get("naam", ind), d.get("eenheid", ""), better,
            _num(v.get("waarde")), modelled, "monitor", v.get("periode", ""),
            _num(v.get("landelijk")), _num(v.get("verwacht")), v.get("status"),
            tuple(tuple(p) for p in v.get("reeks", [])), str(v.get("herkomst", ""))))
    out = _grouped(out, cat)
    if enrich:
        from nabij.web.regio.registry import MONITOR as enrichers

        for func in enrichers:
            out = func(region, out)
        region._nabij_monitor = tuple(out)
    return out


def ordered(cat: dict) -> list[tuple[str, dict]]:
    """The catalogue entries in catalogue order (``volgorde``: PostgreSQL's jsonb does not keep
    the order of a dict's keys)."""
    items = list(cat.items())
    return sorted(items, key=lambda kv: (kv[1].get("volgorde", 0) if isinstance(kv[1], dict)
                                         else 0))


def _grouped(items: list[Indicator], cat: dict) -> list[Indicator]:
    """Indicators that must be shown with companions (``toon_met``: thuiszitters with the
    vrijstellingen) are followed by the others of their group and then by the companions."""
    by_id = {i.key.removeprefix(f"{MONITOR}:"): i for i in items}
    companions_of_any = {c for ind in by_id for c in cat.get(ind, {}).get("toon_met", ())}
    placed: dict[str, Indicator] = {}
    for ind in by_id:
        if ind in placed or ind in companions_of_any:
            continue
        companions = tuple(cat.get(ind, {}).get("toon_met", ()))
        group = [ind]
        if companions:
            group += [o for o in by_id if o not in placed and o != ind
                      and tuple(cat.get(o, {}).get("toon_met", ())) == companions]
            group += [c for c in companions if c in by_id]
        for g in group:
            placed.setdefault(g, by_id[g])
    for ind in by_id:  # companions whose indicator is absent
        placed.setdefault(ind, by_id[ind])
    return list(placed.values())


def measure_indicators(region) -> list[Indicator]:
    defs = region.division.measure_definitions or {}
    values = region.measures or {}
    out = []
    for key, d in defs.items():
        if d.get("niveau") != "regio" or d.get("eenheid") in SKIP_UNITS:
            continue
        v = values.get(key)
        if v is not None and _num(v) is None:
            continue
        out.append(Indicator(f"{MEASURE}:{key}", d.get("label", key), d.get("eenheid", ""),
                             d.get("beter"), _num(v), bool(d.get("gemodelleerd")), "maatstaf"))
    return out


def catalogue(region) -> dict[str, Indicator]:
    """Indicators available in ``region``, keyed by their stable key (monitor first)."""
    return {i.key: i for i in monitor_indicators(region) + measure_indicators(region)}


def choices(region) -> list:
    """Grouped choices for a select: monitor indicators, then planning measures."""
    mon = [(i.key, f"{i.label} ({i.unit})") for i in monitor_indicators(region)]
    mea = [(i.key, f"{i.label} ({i.unit})") for i in measure_indicators(region)]
    out: list = [("", "— geen indicator (beschrijf dan een op te leveren resultaat) —")]
    if mon:
        out.append(("Monitorindicatoren", mon))
    if mea:
        out.append(("Maatstaven van de indeling", mea))
    return out
