"""What the monitor app adds to a region's monitor indicators (region page, aggregates, the
indicator choice of an agreement): its targets with their status and its notes."""

from __future__ import annotations

from dataclasses import replace

from nabij.monitor.notes import notes_for
from nabij.web.regio.indicators import MONITOR, Indicator


def with_targets_and_notes(region, indicators: list[Indicator]) -> list[Indicator]:
    from nabij.web.monitor.models import Note, Target
    from nabij.web.monitor.targets import region_notes, region_targets

    targets = list(Target.objects.filter(region=region, ended_on__isnull=True))
    notes = list(Note.objects.filter(region=region))
    if not targets and not notes:
        return indicators
    views = region_targets(region, targets)
    frame = region_notes(region, notes)
    out = []
    for i in indicators:
        ind = i.key.removeprefix(f"{MONITOR}:")
        v = views.get(ind) if i.key.startswith(f"{MONITOR}:") else None
        mine = notes_for(frame, region.code, ind) if notes else frame.iloc[0:0]
        rows = tuple((r.datum, r.tekst, r.auteur) for r in mine.itertuples())
        if v is not None:
            i = replace(i, target=v.description if not v.problem else v.problem,
                        target_path=v.path, target_status=v.status, target_period=v.period)
        out.append(replace(i, notes=rows[::-1]) if rows else i)
    return out
