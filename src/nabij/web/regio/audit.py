"""The change history of a region, from django-simple-history: who, when, old and new value.

Every model with ``history = HistoricalRecords()`` and a ``region`` field (plus the Region
itself) shows up here without further code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist

KIND = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    model: str
    object: str
    kind: str
    changes: list[Change]
    reason: str = ""


def audited_models() -> list:
    """Models with a history that belong to one region (or are the Region)."""
    out = []
    for model in apps.get_models():
        hist = getattr(model, "history", None)
        if hist is None or not hasattr(hist, "model"):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if model._meta.label == "regio.Region" or "region" in names:
            out.append(model)
    return out


def region_history(region, limit: int = 200) -> list[Entry]:
    """The latest ``limit`` changes in ``region``, newest first, with field-level diffs."""
    records = []
    for model in audited_models():
        hist = model.history.model
        key = "id" if model._meta.label == "regio.Region" else "region_id"
        qs = hist.objects.filter(**{key: region.pk}).select_related("history_user")
        records += list(qs.order_by("-history_date")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    return [_entry(r) for r in records[:limit]]


def user_history(limit: int = 200) -> list[Entry]:
    """The latest ``limit`` changes of users and of memberships in every region, newest first
    (the beheerder's page; a coordinator sees its region's memberships on the region page)."""
    records = []
    for name in ("HistoricalUser", "HistoricalMembership"):
        hist = apps.get_model("regio", name)
        qs = hist.objects.select_related("history_user").order_by("-history_date")
        records += list(qs[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    return [_entry(r) for r in records[:limit]]


def _entry(record) -> Entry:
    model = record.instance_type
    changes: list[Change] = []
    prev = record.prev_record if record.history_type == "~" else None
    if prev is not None:
        delta = record.diff_against(prev)
        for c in delta.changes:
            changes.append(Change(_label(model, c.field), _show(c.old), _show(c.new)))
    elif record.history_type == "+":
        for f in model._meta.concrete_fields:
            v = getattr(record, f.attname, None)
            if v not in (None, "", [], {}) and f.name not in ("id", "shape_path", "measures"):
                changes.append(Change(_label(model, f.name), "", _show(v)))
    user = record.history_user
    return Entry(record.history_date, user.get_username() if user else "systeem",
                 str(model._meta.verbose_name), _describe(record),
                 KIND.get(record.history_type, record.history_type), changes,
                 record.history_change_reason or "")


def _describe(record) -> str:
    """The object a history record is about; its related objects may be gone (e.g. the
    membership of a deleted user), the record stays readable."""
    try:
        return str(record)[:120]
    except ObjectDoesNotExist:
        return f"{record.instance_type._meta.verbose_name} {record.id} (verwijderd)"


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - m2m/through names
        return name


def _show(v: object) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= 200 else s[:197] + "…"
