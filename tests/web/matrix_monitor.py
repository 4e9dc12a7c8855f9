"""Access-matrix entries of the monitor's targets and notes, and their objects in both test
regions (a published series of one indicator, a target and a note).

Marker: ``TOELICHTING-X`` is in a note of region X; the members who see the region's details
(coordinator, deelnemer, loket) and the beheerder may see it, a lezer may not.
"""

from __future__ import annotations

from datetime import date

from .matrix import COORD, DEELNEMER, LOKET, Entry, region_kw

RPK = region_kw("region", "rpk")
READERS = frozenset({COORD, DEELNEMER, LOKET})
ONLY_COORD = frozenset({COORD})
BOTH = ("GET", "POST")

MARKERS: dict[str, frozenset[str]] = {"TOELICHTING-": frozenset({"beheerder", *READERS})}


def target(objs) -> dict:
    return {"pk": objs.extra["target"].pk}


ENTRIES: dict[str, Entry] = {
    "monitor:region": Entry(READERS, RPK),
    "monitor:targets_csv": Entry(READERS, RPK),
    "monitor:target_new": Entry(ONLY_COORD, RPK, BOTH),
    "monitor:note_new": Entry(ONLY_COORD, RPK, BOTH),
    "monitor:target_edit": Entry(ONLY_COORD, target, BOTH),
    "monitor:target_end": Entry(ONLY_COORD, target, BOTH),
}

INDICATOR = "deelname_sbo_so"
META = {"naam": "Deelname SBO en SO", "eenheid": "% van de leerlingen", "richting": "lager",
        "definitie": "", "bron": "test", "berekening": "deelname", "gemodelleerd": False,
        "toon_met": []}


def series(start: float, step: float) -> list[list]:
    """Whole school years 2015-2023 of a published series."""
    return [[y, 0, round(start + step * (y - 2015), 3)] for y in range(2015, 2024)]


def populate(world) -> None:
    from nabij.web.monitor.models import Note, Target

    div = world.division
    div.monitor_catalogue = {INDICATOR: META}
    div.monitor_national = {INDICATOR: series(4.5, 0.02)}
    div.save()
    for key, objs in world.regions.items():
        region = objs.region
        pts = series(5.5, 0.05)
        region.monitor = {INDICATOR: {"periode": "2023/'24", "waarde": pts[-1][2],
                                      "landelijk": 4.66, "punten": pts,
                                      "reeks": [[f"{y}", v] for y, _h, v in pts[-6:]]}}
        region.save()
        objs.extra["target"] = Target.objects.create(
            region=region, indicator=INDICATOR, basisjaar=2018, doeljaar=2028,
            regel="landelijk_gemiddelde")
        Note.objects.create(region=region, indicator=INDICATOR, datum=date(2023, 3, 1),
                            tekst=f"Nieuwe SO-school geopend TOELICHTING-{key}")
