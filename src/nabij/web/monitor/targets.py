"""The bridge between the database and ``nabij.monitor``: one definition of a target.

- :func:`check_target` — form fields (text, as a user typed them) -> a resolved
  ``nabij.monitor.targets.Target``, through the monitor's own parser of a targets-file row
  (:func:`nabij.monitor.targets.read_targets_frame`) and its :func:`resolve`; problems come back
  as the monitor's Dutch messages, keyed by field.
- :func:`region_targets` — the region's stored targets and their status per period, computed by
  :func:`nabij.monitor.targets.apply_targets` on the region's published series.
- :func:`check_note` / :func:`region_notes` — notes through ``nabij.monitor.notes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from nabij.errors import InputError, Problem
from nabij.monitor.catalogue import Catalogue, load_catalogue
from nabij.monitor.notes import NOTE_COLUMNS, read_notes_frame
from nabij.monitor.series import NATIONAL, period_label
from nabij.monitor.targets import (
    COLUMNS,
    OPTIONAL,
    Target,
    TargetSpec,
    apply_targets,
    read_targets_frame,
    resolve,
)
from nabij.web.monitor.models import Note
from nabij.web.monitor.models import Target as StoredTarget

FORM_FILE = "formulier"
"""The 'file' name the monitor's messages carry for a form (not shown to the user)."""

TARGET_FIELDS = (*COLUMNS, *OPTIONAL)


@lru_cache(maxsize=1)
def _builtin() -> Catalogue:
    return load_catalogue()


def catalogue_of(region) -> Catalogue:
    """The monitor catalogue of the region's division: the indicators it was loaded with."""
    ids = list((region.division.monitor_catalogue or {}).keys())
    cat = _builtin()
    return Catalogue({i: cat[i] for i in ids if i in cat})


def series_frame(region) -> pd.DataFrame:
    """The region's published series and the national ones (``regio`` "NL") as the monitor's
    series table (``regio, indicator, schooljaar, halfjaar, waarde``)."""
    recs = []
    for ind, v in (region.monitor or {}).items():
        recs += [(region.code, ind, y, h, w) for y, h, w in v.get("punten", [])]
    for ind, pts in (region.division.monitor_national or {}).items():
        recs += [(NATIONAL, ind, y, h, w) for y, h, w in pts]
    df = pd.DataFrame(recs, columns=["regio", "indicator", "schooljaar", "halfjaar", "waarde"])
    df["waarde"] = pd.to_numeric(df["waarde"], errors="coerce").astype(float)
    return df.astype({"schooljaar": int, "halfjaar": int})


def _field_errors(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.column or "__all__", []).append(p.message)
    return out


class TargetProblems(Exception):
    """Dutch messages per form field (``__all__`` for the form as a whole)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def check_target(region, fields: dict[str, str]) -> tuple[TargetSpec, Target]:
    """Validate and resolve one target of ``region`` exactly as a row of the targets file.

    ``fields``: text per column of the targets file (``regio`` is the region's code).
    Raises :class:`TargetProblems`."""
    row = {c: str(fields.get(c, "") or "") for c in TARGET_FIELDS}
    row["regio"] = region.code
    cat = catalogue_of(region)
    try:
        spec = read_targets_frame(pd.DataFrame([row], dtype=str), cat, FORM_FILE)[0]
        resolved = resolve([spec], series_frame(region), [region.code], FORM_FILE, cat)
    except InputError as e:
        raise TargetProblems(_field_errors(e.problems or [Problem(str(e))])) from e
    return spec, resolved[0]


def spec_of(t: StoredTarget) -> TargetSpec:
    """The monitor's target spec of a stored target."""
    return TargetSpec(t.region.code, t.indicator, t.basisjaar, t.doeljaar, t.basiswaarde,
                      t.doelwaarde, t.regel or None, t.traject, t.stappen, t.pk)


def fields_of(t: StoredTarget) -> dict[str, str]:
    """Form text of a stored target (years as the school-year labels the monitor reads)."""
    def num(v: float | None) -> str:
        return "" if v is None else f"{v:g}".replace(".", ",")

    return {"indicator": t.indicator, "basisjaar": period_label(t.basisjaar, 0),
            "basiswaarde": num(t.basiswaarde), "doelwaarde": num(t.doelwaarde),
            "regel": t.regel, "doeljaar": period_label(t.doeljaar, 0), "traject": t.traject,
            "stappen": "" if t.stappen is None else str(t.stappen)}


def targets_csv(region, targets: list[StoredTarget]) -> str:
    """The running targets as the monitor's targets file (``docs/monitor-doelen.md``), for
    ``nabij monitor rapport --doelen``: the same columns, read back by the same parser."""
    from nabij.io.cells import csv_safe_frame

    rows = []
    for t in targets:
        f = fields_of(t)
        f["basiswaarde"] = "" if t.basiswaarde is None else repr(t.basiswaarde)
        f["doelwaarde"] = "" if t.doelwaarde is None else repr(t.doelwaarde)
        rows.append({"regio": region.code, **f})
    df = pd.DataFrame(rows, columns=list(TARGET_FIELDS), dtype=object)
    return csv_safe_frame(df).to_csv(index=False)


@dataclass(frozen=True)
class TargetView:
    """One stored target with what the monitor makes of it."""

    stored: StoredTarget
    resolved: Target | None
    problem: str = ""
    status: str | None = None
    period: str = ""
    path: float | None = None
    observed: float | None = None

    @property
    def description(self) -> str:
        return describe(self.stored, self.resolved)


def describe(t: StoredTarget, r: Target | None) -> str:
    """The target in one Dutch sentence."""
    def nl(v: float) -> str:
        return f"{v:.4g}".replace(".", ",")

    base = f" (basis {nl(r.basiswaarde)} in {period_label(t.basisjaar, 0)})" if r else ""
    goal = nl(r.doelwaarde) if r else (nl(t.doelwaarde) if t.doelwaarde is not None else "?")
    what = f"terug naar het landelijk gemiddelde: {goal}" if t.regel else goal
    path = "rechte lijn" if t.traject == "recht" else \
        f"trapsgewijs{f' in {t.stappen} stappen' if t.stappen else ''}"
    return f"{what} in {period_label(t.doeljaar, 0)}{base}, {path}"


def region_targets(region, targets: list[StoredTarget] | None = None) -> dict[str, TargetView]:
    """Active targets of ``region`` by indicator, with the status of the latest period that
    has a published value (``nabij.monitor.targets.apply_targets``)."""
    stored = targets if targets is not None else list(
        StoredTarget.objects.filter(region=region, ended_on__isnull=True))
    if not stored:
        return {}
    series = series_frame(region)
    cat = catalogue_of(region)
    resolved, problems = _resolve_each(region, stored, series, cat)
    out = {t.indicator: TargetView(t, None, f"doel niet te berekenen: {problems[t.pk]}")
           for t in stored if t.pk in problems}
    own = series[series["regio"] == region.code]
    scored = apply_targets(own[own["indicator"].isin([r.indicator for r in resolved.values()])],
                           list(resolved.values()))
    scored = scored[scored["doelstatus"].notna() & np.isfinite(scored["waarde"])]
    last = scored.sort_values(["schooljaar", "halfjaar"]).groupby("indicator").tail(1)
    latest = {str(r.indicator): r for r in last.itertuples()}
    for t in stored:
        if t.pk in problems:
            continue
        r = latest.get(t.indicator)
        out[t.indicator] = TargetView(t, resolved[t.pk]) if r is None else TargetView(
            t, resolved[t.pk], "", str(r.doelstatus),
            period_label(int(r.schooljaar), int(r.halfjaar)), float(r.doelpad),
            float(r.waarde))
    return out


def _resolve_each(region, stored: list[StoredTarget], series: pd.DataFrame, cat: Catalogue
                  ) -> tuple[dict[int, Target], dict[int, str]]:
    """Resolve all targets at once; when that fails, one by one, so one target that cannot be
    computed (e.g. no published baseline) does not hide the others."""
    specs = [spec_of(t) for t in stored]
    try:
        done = resolve(specs, series, [region.code], FORM_FILE, cat)
        by_ind = {r.indicator: r for r in done}
        return {t.pk: by_ind[t.indicator] for t in stored}, {}
    except InputError:
        pass
    resolved: dict[int, Target] = {}
    problems: dict[int, str] = {}
    for t, spec in zip(stored, specs, strict=True):
        try:
            resolved[t.pk] = resolve([spec], series, [region.code], FORM_FILE, cat)[0]
        except InputError as e:
            problems[t.pk] = "; ".join(p.message for p in e.problems) or str(e)
    return resolved, problems


def check_note(region, indicator: str, datum: str, tekst: str, auteur: str) -> date:
    """Validate one note as a row of the notes file; its date. Raises TargetProblems."""
    row = {"regio": region.code, "indicator": indicator, "datum": datum, "tekst": tekst,
           "auteur": auteur}
    try:
        df = read_notes_frame(pd.DataFrame([row], dtype=str), catalogue_of(region), FORM_FILE)
    except InputError as e:
        raise TargetProblems(_field_errors(e.problems or [Problem(str(e))])) from e
    return date.fromisoformat(str(df["datum"].iloc[0]))


def region_notes(region, notes: list[Note] | None = None) -> pd.DataFrame:
    """The region's notes as the monitor's notes table (``NOTE_COLUMNS``)."""
    from nabij.monitor.notes import school_period

    rows = notes if notes is not None else list(Note.objects.filter(region=region))
    recs = [(region.code, n.indicator, n.datum.isoformat(), *school_period(n.datum), n.tekst,
             n.auteur) for n in rows]
    return pd.DataFrame(recs, columns=list(NOTE_COLUMNS))
