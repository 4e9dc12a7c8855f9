"""Counting children for the returns others ask for (raw counts, before suppression).

Two returns, both counted in distinct children (pseudonyms), never in cases:

- the **Leerplichttelling** per gemeente and school year (Leerplichtwet art. 25): absoluut
  verzuim, langdurig relatief verzuim, thuiszitters longer than three months without an offer,
  and exemptions 5a / 5b / 5c in force during the year;
- the **Inspectie** count per region and period: thuiszitters on the last day of the period
  (absoluut / relatief), those longer than three months without an offer, new and back in
  school during the period, and 5a exemptions in force and newly granted;
- the **monitor register**: per gemeente at the end of each half year, in the layout the
  monitor reads (:func:`register_counts`).

The functions work on a frame of cases (:func:`case_frame`, or the same columns straight
from a database query, :data:`CASE_COLUMNS`) so that 10,000 cases count in milliseconds.
Withdrawn cases (ingetrokken) are not counted: registered in error, or handled elsewhere.
Publishing goes through :mod:`nabij.casework.exports`, which suppresses small counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from nabij.casework.case import Case
from nabij.casework.kinds import CaseKind, Status, Verzuim
from nabij.casework.periods import Period, SchoolYear, add_months
from nabij.defaults import CASE_ESCALATION_MONTHS, CASE_WARNING_DAYS

CASE_COLUMNS: dict[str, str] = {
    "id": "case id",
    "region": "region code",
    "kind": "CaseKind value",
    "child": "pseudonym",
    "gemeente": "CBS gemeente code",
    "status": "Status value",
    "verzuim": "Verzuim value or None",
    "since": "date out of school (or NaT)",
    "offer_on": "date of the standing offer (or NaT)",
    "closed_on": "date closed or withdrawn (or NaT)",
    "granted": "exemption granted (bool)",
    "decided_on": "date of the exemption decision (or NaT)",
    "valid_until": "last day of the exemption (or NaT: open-ended)",
}
"""The columns the counting functions read."""

LEERPLICHT_COLUMNS = (
    "absoluut_verzuim",
    "langdurig_relatief_verzuim",
    "zonder_aanbod_3mnd",
    "vrijstelling_5a",
    "vrijstelling_5b",
    "vrijstelling_5c",
)
"""Count columns of the Leerplichttelling, in the order of the return."""

INSPECTIE_COLUMNS = (
    "thuiszitters",
    "absoluut_verzuim",
    "langdurig_relatief_verzuim",
    "zonder_aanbod_3mnd",
    "nieuw_in_periode",
    "terug_naar_school_in_periode",
    "vrijstelling_5a",
    "vrijstelling_5a_nieuw_in_periode",
)
"""Count columns of the Inspectie return."""

REGISTER_INDICATORS = (
    "absoluut_verzuim",
    "langdurig_relatief_verzuim",
    "zonder_aanbod_3mnd",
    "vrijstelling_5a",
    "vrijstelling_5b",
    "vrijstelling_5c",
)
"""Indicator ids of the monitor's catalogue (``berekening = "register"``) that casework feeds."""


def case_frame(cases: Iterable[Case]) -> pd.DataFrame:
    """The counting frame of ``cases`` (one row per case, :data:`CASE_COLUMNS`)."""
    rows = []
    for c in cases:
        ex = c.exemption
        rows.append((
            c.id, c.region, c.kind.value, c.child, c.gemeente, c.status.value,
            c.verzuim.value if c.verzuim else None, c.out_of_school_since, c.offer_on,
            c.closed_on, bool(ex and ex.granted), ex.on if ex else None,
            ex.valid_until if ex else None,
        ))
    df = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    return normalise_frame(df)


def normalise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Dates as ``datetime64``, text as ``object``: what the counters expect."""
    out = df.copy()
    for col in ("since", "offer_on", "closed_on", "decided_on", "valid_until"):
        out[col] = pd.to_datetime(out[col], errors="coerce")
    out["granted"] = out["granted"].fillna(False).astype(bool)
    return out


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _counted(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["status"] != Status.INGETROKKEN.value]


def _overlaps(start: pd.Series, end: pd.Series, period: Period) -> pd.Series:
    """Rows whose interval ``start .. end`` (NaT end: still running) overlaps ``period``;
    an empty interval (end before start) overlaps nothing."""
    return (start.notna() & (start <= _ts(period.end))
            & (end.isna() | ((end >= _ts(period.start)) & (end >= start))))


def _escalation_day(since: pd.Series, months: int) -> pd.Series:
    """since + months, calendar-exact (vectorised over the distinct dates)."""
    uniq = since.dropna().unique()
    table = {d: pd.Timestamp(add_months(pd.Timestamp(d).date(), months)) for d in uniq}
    return pd.to_datetime(since.map(table))


def _long_without_offer(df: pd.DataFrame, months: int) -> tuple[pd.Series, pd.Series]:
    """(first, last) day of each case's time out of school beyond ``months`` without an offer."""
    first = _escalation_day(df["since"], months)
    stops = pd.concat([df["offer_on"] - timedelta(days=1), df["closed_on"]], axis=1)
    last = pd.to_datetime(stops.min(axis=1, skipna=True))
    last = last.where(stops.notna().any(axis=1), pd.NaT)
    valid = first.notna() & (last.isna() | (last >= first))
    return first.where(valid, pd.NaT), last.where(valid, pd.NaT)


def _distinct(df: pd.DataFrame, mask: pd.Series, by: list[str]) -> pd.Series:
    return df[mask].groupby(by)["child"].nunique()


def leerplicht_counts(df: pd.DataFrame, year: SchoolYear,
                      gemeenten: Iterable[str] | None = None,
                      warning_days: int = CASE_WARNING_DAYS,
                      escalation_months: int = CASE_ESCALATION_MONTHS) -> pd.DataFrame:
    """Raw Leerplichttelling of ``year``: one row per gemeente (all of ``gemeenten``, zeros
    included, or those with cases), columns ``gemeente``, ``schooljaar`` and
    :data:`LEERPLICHT_COLUMNS`."""
    df = _counted(df)
    kind, verzuim = df["kind"], df["verzuim"]
    thuis = kind == CaseKind.THUISZITTER.value
    masks = {
        "absoluut_verzuim": thuis & (verzuim == Verzuim.ABSOLUUT.value)
        & _overlaps(df["since"], df["closed_on"], year),
        "langdurig_relatief_verzuim": thuis & (verzuim == Verzuim.RELATIEF.value)
        & _overlaps(df["since"] + timedelta(days=warning_days), df["closed_on"], year),
    }
    first, last = _long_without_offer(df, escalation_months)
    masks["zonder_aanbod_3mnd"] = thuis & _overlaps(first, last, year)
    for k in (CaseKind.VRIJSTELLING_5A, CaseKind.VRIJSTELLING_5B, CaseKind.VRIJSTELLING_5C):
        masks[k.value] = ((kind == k.value) & df["granted"]
                          & _overlaps(df["decided_on"], df["valid_until"], year))
    out = _table(df, masks, ["gemeente"], gemeenten, LEERPLICHT_COLUMNS)
    out.insert(1, "schooljaar", year.label)
    return out


def _on_day(df: pd.DataFrame, day: date, warning_days: int,
            escalation_months: int) -> dict[str, pd.Series]:
    """Masks of the children counted on one day (peildatum)."""
    ts = _ts(day)
    point = Period(day, day)
    thuis = df["kind"] == CaseKind.THUISZITTER.value
    out_on_day = (thuis & df["since"].notna() & (df["since"] <= ts)
                  & (df["closed_on"].isna() | (df["closed_on"] > ts)))
    absoluut = out_on_day & (df["verzuim"] == Verzuim.ABSOLUUT.value)
    relatief = (out_on_day & (df["verzuim"] == Verzuim.RELATIEF.value)
                & (df["since"] + timedelta(days=warning_days) <= ts))
    first, last = _long_without_offer(df, escalation_months)
    masks = {
        "thuiszitters": absoluut | relatief,
        "absoluut_verzuim": absoluut,
        "langdurig_relatief_verzuim": relatief,
        "zonder_aanbod_3mnd": thuis & _overlaps(first, last, point),
    }
    for k in (CaseKind.VRIJSTELLING_5A, CaseKind.VRIJSTELLING_5B, CaseKind.VRIJSTELLING_5C):
        masks[k.value] = ((df["kind"] == k.value) & df["granted"]
                          & _overlaps(df["decided_on"], df["valid_until"], point))
    return masks


def inspectie_counts(df: pd.DataFrame, period: Period,
                     regions: Iterable[str] | None = None,
                     warning_days: int = CASE_WARNING_DAYS,
                     escalation_months: int = CASE_ESCALATION_MONTHS) -> pd.DataFrame:
    """Raw Inspectie count of ``period``: one row per region, columns ``regio``,
    ``periode``, ``peildatum`` and :data:`INSPECTIE_COLUMNS`."""
    df = _counted(df)
    masks = _on_day(df, period.end, warning_days, escalation_months)
    thuis = df["kind"] == CaseKind.THUISZITTER.value
    is_5a = (df["kind"] == CaseKind.VRIJSTELLING_5A.value) & df["granted"]
    masks |= {
        "nieuw_in_periode": thuis & _within(df["since"], period),
        "terug_naar_school_in_periode": thuis & (df["status"] == Status.AFGESLOTEN.value)
        & _within(df["closed_on"], period),
        "vrijstelling_5a_nieuw_in_periode": is_5a & _within(df["decided_on"], period),
    }
    out = _table(df.rename(columns={"region": "regio"}), masks, ["regio"], regions,
                 INSPECTIE_COLUMNS)
    out.insert(1, "periode", period.label)
    out.insert(2, "peildatum", period.end.isoformat())
    return out


def half_years(year: SchoolYear) -> tuple[tuple[str, date], tuple[str, date]]:
    """The monitor's half years of a school year and their peildatum: ("1", 31 January) and
    ("2", 31 July)."""
    return ("1", date(year.start.year + 1, 1, 31)), ("2", year.end)


def register_counts(df: pd.DataFrame, years: Iterable[SchoolYear], today: date,
                    gemeenten: Iterable[str] | None = None,
                    warning_days: int = CASE_WARNING_DAYS,
                    escalation_months: int = CASE_ESCALATION_MONTHS) -> pd.DataFrame:
    """Counts per gemeente at the end of each half year, in the monitor's register layout
    (:mod:`nabij.monitor.register`): ``gemeente, schooljaar, periode, indicator, aantal,
    status``. Half years that have not ended on ``today`` are left out; those of the running
    school year are ``voorlopig`` (late registrations still come in), older ones ``definitief``.
    """
    df = _counted(df)
    keys = gemeenten if gemeenten is None else list(gemeenten)
    current = SchoolYear.of(today)
    parts = []
    for year in years:
        for half, day in half_years(year):
            if day >= today:
                continue
            masks = _on_day(df, day, warning_days, escalation_months)
            wide = _table(df, {k: masks[k] for k in REGISTER_INDICATORS}, ["gemeente"], keys,
                          REGISTER_INDICATORS)
            long = wide.melt(id_vars="gemeente", var_name="indicator", value_name="aantal")
            long.insert(1, "schooljaar", year.label)
            long.insert(2, "periode", half)
            long["status"] = "voorlopig" if year >= current else "definitief"
            parts.append(long)
    if not parts:
        return pd.DataFrame(columns=["gemeente", "schooljaar", "periode", "indicator", "aantal",
                                     "status"])
    return pd.concat(parts, ignore_index=True)


def _within(days: pd.Series, period: Period) -> pd.Series:
    return days.notna() & (days >= _ts(period.start)) & (days <= _ts(period.end))


def _table(df: pd.DataFrame, masks: dict[str, pd.Series], by: list[str],
           keys: Iterable[str] | None, columns: tuple[str, ...]) -> pd.DataFrame:
    counts = {name: _distinct(df, m.to_numpy(bool), by) for name, m in masks.items()}
    index = sorted(set(keys) if keys is not None else set(df[by[0]].dropna()))
    out = pd.DataFrame({by[0]: index})
    for name in columns:
        out[name] = counts[name].reindex(index, fill_value=0).to_numpy(np.int64)
    return out
