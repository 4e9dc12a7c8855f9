"""The Leerplichttelling and the Inspectie count from the database, for the download views and
``nabij web beheer leerplichttelling|inspectie`` (one path, suppressed by nabij.privacy)."""

from __future__ import annotations

import pandas as pd
from django.db.models import Q

from nabij.casework import exports
from nabij.casework.kinds import EXEMPTIONS, CaseKind
from nabij.casework.periods import Period, SchoolYear
from nabij.web.casus.convert import case_frame
from nabij.web.casus.models import Case


def counted_in(period: Period) -> Q:
    """A superset of the cases the returns of ``period`` can count (a prefilter in SQL; the
    counting rules in :mod:`nabij.casework.counts` decide): thuiszitters at home at some
    moment up to the period's end and not back before it began, and granted exemptions that
    were in force at some moment of the period."""
    thuis = (Q(kind=CaseKind.THUISZITTER.value, out_of_school_since__lte=period.end)
             & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)))
    exempt = (Q(kind__in=[k.value for k in EXEMPTIONS], decision_granted=True,
                decision_on__lte=period.end)
              & (Q(valid_until__isnull=True) | Q(valid_until__gte=period.start)))
    return thuis | exempt


def leerplicht(regions, year: SchoolYear, threshold: int | None = None) -> exports.Return:
    """Per gemeente of ``regions`` (all gemeenten listed, zeros included)."""
    regions = list(regions)
    gemeenten = sorted({g["code"] for r in regions for g in r.gemeenten})
    frame = case_frame(Case.objects.filter(counted_in(year), region__in=regions))
    return exports.leerplichttelling(frame, year, gemeenten, threshold)


def inspectie(regions, period: Period, threshold: int | None = None) -> exports.Return:
    """One row per region of ``regions``."""
    regions = list(regions)
    frame = case_frame(Case.objects.filter(counted_in(period), region__in=regions))
    return exports.inspectie(frame, period, [r.code for r in regions], threshold)


def monitor_register(regions, years, today) -> pd.DataFrame:
    """The monitor's register rows (``docs/monitor-register.md``) from the cases of
    ``regions``: counts per gemeente at the end of each half year. Internal (unsuppressed):
    the monitor suppresses what it publishes."""
    from nabij.casework.counts import register_counts

    regions = list(regions)
    gemeenten = sorted({g["code"] for r in regions for g in r.gemeenten})
    frame = case_frame(Case.objects.filter(region__in=regions))
    return register_counts(frame, years, today, gemeenten)


def monitor_feed(regions):
    """The monitor's register rows from the loket of every region in ``regions`` that has
    cases (``registry.RegisterFeed``; None when none has): every half year since the first
    case, up to the last ended one. Labelled modelled when the cases are synthetic."""
    from nabij.casework.periods import SchoolYear
    from nabij.web.casus.clock import today
    from nabij.web.regio.registry import RegisterFeed

    with_cases = [r for r in regions if Case.objects.filter(region=r).exists()]
    if not with_cases:
        return None
    day = today()
    first = Case.objects.filter(region__in=with_cases).order_by("registered_on") \
        .values_list("registered_on", flat=True).first() or day
    years = [SchoolYear.starting(y) for y in
             range(SchoolYear.of(first).start.year, SchoolYear.of(day).start.year + 1)]
    rows = monitor_register(with_cases, years, day)
    modelled = Case.objects.filter(region__in=with_cases,
                                   source_ref__startswith="synthetisch").exists()
    label = "casusregister van het loket" + (" (synthetische zaken, gemodelleerd)"
                                             if modelled else "")
    return RegisterFeed(rows, tuple(r.code for r in with_cases),
                        tuple(sorted({g["code"] for r in with_cases for g in r.gemeenten})),
                        label, modelled)
