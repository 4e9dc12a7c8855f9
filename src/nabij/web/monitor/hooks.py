"""What the monitor app adds to a region's monitor indicators (region page, aggregates, the
indicator choice of an agreement): its targets with their status and its notes."""

from __future__ import annotations

from dataclasses import replace

from nabij.monitor.notes import notes_by_indicator
from nabij.web.regio.indicators import MONITOR, Indicator


def with_targets_and_notes(region, indicators: list[Indicator]) -> list[Indicator]:
    from nabij.web.monitor.models import Note, Target
    from nabij.web.monitor.targets import region_targets

    targets = list(Target.objects.filter(region=region, ended_on__isnull=True))
    notes = list(Note.objects.filter(region=region))
    if not targets and not notes:
        return indicators
    views = region_targets(region, targets)
    shown = _notes_by_indicator(region, notes, [i.key.removeprefix(f"{MONITOR}:")
                                                for i in indicators])
    out = []
    for i in indicators:
        ind = i.key.removeprefix(f"{MONITOR}:")
        v = views.get(ind) if i.key.startswith(f"{MONITOR}:") else None
        rows = shown.get(ind, ())
        if v is not None:
            i = replace(i, target=v.description if not v.problem else v.problem,
                        target_path=v.path, target_status=v.status, target_period=v.period)
        out.append(replace(i, notes=rows) if rows else i)
    return out


def _notes_by_indicator(region, notes: list, indicators: list[str]) -> dict[str, tuple]:
    """Notes shown with each indicator (``nabij.monitor.notes.notes_by_indicator``), newest
    first, as (datum, tekst, auteur)."""
    from nabij.monitor.notes import NOTE_COLUMNS
    from nabij.web.monitor.targets import region_notes

    if not notes:
        return {}
    cols = list(NOTE_COLUMNS)
    d, t, a = cols.index("datum"), cols.index("tekst"), cols.index("auteur")
    shown = notes_by_indicator(region_notes(region, notes), region.code, indicators)
    return {i: tuple((r[d], r[t], r[a]) for r in reversed(rows)) for i, rows in shown.items()}
