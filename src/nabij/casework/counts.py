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
from datetime import date

import numpy as np
import pandas as pd

from nabij.casework.case import Case
from nabij.casework.kinds import CaseKind, Status, Verzuim
from nabij.casework.periods import Period, SchoolYear
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

EXEMPTION_KINDS = (CaseKind.VRIJSTELLING_5A, CaseKind.VRIJSTELLING_5B, CaseKind.VRIJSTELLING_5C)

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

REGISTER_INDICATORS = LEERPLICHT_COLUMNS
"""Indicator ids of the monitor's catalogue (``berekening = "register"``) that casework feeds:
the counts of the Leerplichttelling, named alike."""


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
    for col in DATE_COLUMNS:
        out[col] = pd.to_datetime(out[col], errors="coerce")
    out["granted"] = out["granted"].fillna(False).astype(bool)
    return out


DATE_COLUMNS = ("since", "offer_on", "closed_on", "decided_on", "valid_until")
NAT = np.datetime64("NaT", "D")


class _Cases:
    """The counted cases of a frame as numpy arrays (dates as ``datetime64[D]``, NaT when
    missing); children and keys integer-coded, so counting distinct children is one
    ``np.unique`` per column instead of a pandas group-by."""

    since: np.ndarray
    offer_on: np.ndarray
    closed_on: np.ndarray
    decided_on: np.ndarray
    valid_until: np.ndarray

    def __init__(self, df: pd.DataFrame, key: str) -> None:
        df = df[df["status"].to_numpy(object) != Status.INGETROKKEN.value]
        self.n = len(df)
        self.kind = df["kind"].to_numpy(object)
        self.status = df["status"].to_numpy(object)
        self.verzuim = df["verzuim"].to_numpy(object)
        self.granted = df["granted"].to_numpy(bool)
        self.since = df["since"].to_numpy("datetime64[D]")
        self.offer_on = df["offer_on"].to_numpy("datetime64[D]")
        self.closed_on = df["closed_on"].to_numpy("datetime64[D]")
        self.decided_on = df["decided_on"].to_numpy("datetime64[D]")
        self.valid_until = df["valid_until"].to_numpy("datetime64[D]")
        self.child, _ = pd.factorize(df["child"].to_numpy(object))
        self.key, self.keys = pd.factorize(df[key].to_numpy(object))
        self.n_child = max(1, int(self.child.max()) + 1) if self.n else 1

    def distinct(self, mask: np.ndarray) -> dict[object, int]:
        """Distinct children per key among the rows in ``mask``."""
        pairs = np.unique(self.key[mask].astype(np.int64) * self.n_child + self.child[mask])
        counts = np.bincount(pairs // self.n_child, minlength=len(self.keys))
        return dict(zip(self.keys, counts.tolist(), strict=True))


def _d(day: date) -> np.datetime64:
    return np.datetime64(day, "D")


def _overlaps(start: np.ndarray, end: np.ndarray, period: Period) -> np.ndarray:
    """Rows whose interval ``start .. end`` (NaT end: still running) overlaps ``period``;
    an empty interval (end before start) overlaps nothing."""
    open_end = np.isnat(end)
    return (~np.isnat(start) & (start <= _d(period.end))
            & (open_end | ((end >= _d(period.start)) & (end >= start))))


def _within(days: np.ndarray, period: Period) -> np.ndarray:
    return ~np.isnat(days) & (days >= _d(period.start)) & (days <= _d(period.end))


def _add_months(days: np.ndarray, months: int) -> np.ndarray:
    """``days + months`` calendar-exact, like :func:`periods.add_months` (31st -> last day)."""
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + months
    last = (target + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last)


def _long_without_offer(c: _Cases, months: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) day of each case's time out of school beyond ``months`` without an offer
    (NaT when there is none; a NaT last day: still running)."""
    first = _add_months(c.since, months)
    before_offer = c.offer_on - np.timedelta64(1, "D")
    last = np.where(np.isnat(before_offer), c.closed_on,
                    np.where(np.isnat(c.closed_on), before_offer,
                             np.minimum(before_offer, c.closed_on)))
    valid = ~np.isnat(first) & (np.isnat(last) | (last >= first))
    return np.where(valid, first, NAT), np.where(valid, last, NAT)


def leerplicht_counts(df: pd.DataFrame, year: SchoolYear,
                      gemeenten: Iterable[str] | None = None,
                      warning_days: int = CASE_WARNING_DAYS,
                      escalation_months: int = CASE_ESCALATION_MONTHS) -> pd.DataFrame:
    """Raw Leerplichttelling of ``year``: one row per gemeente (all of ``gemeenten``, zeros
    included, or those with cases), columns ``gemeente``, ``schooljaar`` and
    :data:`LEERPLICHT_COLUMNS`."""
    c = _Cases(df, "gemeente")
    thuis = c.kind == CaseKind.THUISZITTER.value
    warn = c.since + np.timedelta64(warning_days, "D")
    first, last = _long_without_offer(c, escalation_months)
    masks = {
        "absoluut_verzuim": thuis & (c.verzuim == Verzuim.ABSOLUUT.value)
        & _overlaps(c.since, c.closed_on, year),
        "langdurig_relatief_verzuim": thuis & (c.verzuim == Verzuim.RELATIEF.value)
        & _overlaps(warn, c.closed_on, year),
        "zonder_aanbod_3mnd": thuis & _overlaps(first, last, year),
    }
    for k in EXEMPTION_KINDS:
        masks[k.value] = (c.kind == k.value) & c.granted & _overlaps(c.decided_on,
                                                                      c.valid_until, year)
    out = _table(c, masks, "gemeente", gemeenten, LEERPLICHT_COLUMNS)
    out.insert(1, "schooljaar", year.label)
    return out


def _on_day(c: _Cases, day: date, warning_days: int,
            escalation_months: int) -> dict[str, np.ndarray]:
    """Masks of the children counted on one day (peildatum)."""
    d = _d(day)
    point = Period(day, day)
    thuis = c.kind == CaseKind.THUISZITTER.value
    out_on_day = (thuis & ~np.isnat(c.since) & (c.since <= d)
                  & (np.isnat(c.closed_on) | (c.closed_on > d)))
    absoluut = out_on_day & (c.verzuim == Verzuim.ABSOLUUT.value)
    relatief = (out_on_day & (c.verzuim == Verzuim.RELATIEF.value)
                & (c.since + np.timedelta64(warning_days, "D") <= d))
    first, last = _long_without_offer(c, escalation_months)
    masks = {
        "thuiszitters": absoluut | relatief,
        "absoluut_verzuim": absoluut,
        "langdurig_relatief_verzuim": relatief,
        "zonder_aanbod_3mnd": thuis & _overlaps(first, last, point),
    }
    for k in EXEMPTION_KINDS:
        masks[k.value] = ((c.kind == k.value) & c.granted
                          & _overlaps(c.decided_on, c.valid_until, point))
    return masks


def inspectie_counts(df: pd.DataFrame, period: Period,
                     regions: Iterable[str] | None = None,
                     warning_days: int = CASE_WARNING_DAYS,
                     escalation_months: int = CASE_ESCALATION_MONTHS) -> pd.DataFrame:
    """Raw Inspectie count of ``period``: one row per region, columns ``regio``,
    ``periode``, ``peildatum`` and :data:`INSPECTIE_COLUMNS`."""
    c = _Cases(df, "region")
    masks = _on_day(c, period.end, warning_days, escalation_months)
    thuis = c.kind == CaseKind.THUISZITTER.value
    is_5a = (c.kind == CaseKind.VRIJSTELLING_5A.value) & c.granted
    masks |= {
        "nieuw_in_periode": thuis & _within(c.since, period),
        "terug_naar_school_in_periode": thuis & (c.status == Status.AFGESLOTEN.value)
        & _within(c.closed_on, period),
        "vrijstelling_5a_nieuw_in_periode": is_5a & _within(c.decided_on, period),
    }
    out = _table(c, masks, "regio", regions, INSPECTIE_COLUMNS)
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
    c = _Cases(df, "gemeente")
    keys = gemeenten if gemeenten is None else list(gemeenten)
    current = SchoolYear.of(today)
    parts = []
    for year in years:
        for half, day in half_years(year):
            if day >= today:
                continue
            masks = _on_day(c, day, warning_days, escalation_months)
            wide = _table(c, masks, "gemeente", keys, REGISTER_INDICATORS)
            long = wide.melt(id_vars="gemeente", var_name="indicator", value_name="aantal")
            long.insert(1, "schooljaar", year.label)
            long.insert(2, "periode", half)
            long["status"] = "voorlopig" if year >= current else "definitief"
            parts.append(long)
    if not parts:
        return pd.DataFrame(columns=["gemeente", "schooljaar", "periode", "indicator", "aantal",
                                     "status"])
    return pd.concat(parts, ignore_index=True)


def _table(c: _Cases, masks: dict[str, np.ndarray], name: str,
           keys: Iterable[str] | None, columns: tuple[str, ...]) -> pd.DataFrame:
    index = sorted(set(keys) if keys is not None else {k for k in c.keys if k is not None})
    out = pd.DataFrame({name: index})
    for col in columns:
        counts = c.distinct(masks[col])
        out[col] = np.asarray([counts.get(k, 0) for k in index], dtype=np.int64)
    return out
