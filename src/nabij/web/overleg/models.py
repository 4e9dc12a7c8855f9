"""Meetings, agenda items, the integral vision, agreements and escalations of a region."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from nabij.web.overleg.rules import AGENDA_TYPES, is_overdue
from nabij.web.regio.models import Organisation, Region, RegionFromParent

MEASURABLE_MESSAGE = (
    "Een afspraak zonder meetbaar resultaat wordt niet vastgelegd: kies een monitorindicator "
    "met een streefwaarde, of beschrijf een concreet op te leveren resultaat.")


class Meeting(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="meetings",
                               verbose_name="regio")
    date = models.DateField("datum")
    time = models.TimeField("aanvang", null=True, blank=True)
    location = models.CharField("locatie", max_length=200, blank=True)
    present = models.ManyToManyField(Organisation, blank=True, related_name="meetings_attended",
                                     verbose_name="aanwezige partijen")
    minutes = models.TextField("verslag", blank=True)
    history = HistoricalRecords(m2m_fields=[present])

    access_area = "overleg"

    class Meta:
        verbose_name = "vergadering"
        verbose_name_plural = "vergaderingen"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Vergadering {self.date:%d-%m-%Y}"

    @property
    def is_planned(self) -> bool:
        return self.date >= timezone.localdate()


class AgendaItem(RegionFromParent, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items",
                                verbose_name="vergadering")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio", editable=False)
    kind = models.CharField("soort agendapunt", max_length=20, choices=AGENDA_TYPES)
    title = models.CharField("onderwerp", max_length=250)
    notes = models.TextField("toelichting", blank=True)
    order = models.PositiveIntegerField("volgorde", default=0)
    history = HistoricalRecords()

    access_area = "overleg"
    region_parent = "meeting"

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Vision(models.Model):
    """The integral vision of the region (renewed every four years)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="visions",
                               verbose_name="regio")
    adopted_on = models.DateField("vastgesteld op")
    title = models.CharField("titel", max_length=250)
    summary = models.TextField("samenvatting", blank=True)
    history = HistoricalRecords()

    access_area = "overleg"

    class Meta:
        verbose_name = "integrale visie"
        verbose_name_plural = "integrale visies"
        ordering = ["-adopted_on"]

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """A binding agreement with a measurable result: an indicator with a target, or a
    concrete deliverable. A check constraint enforces it in the database; Django validates the
    same constraint in ``full_clean`` (forms), with the Dutch :data:`MEASURABLE_MESSAGE`."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        LOOPT = "loopt", "loopt"
        GEREALISEERD = "gerealiseerd", "gerealiseerd"
        NIET_GEREALISEERD = "niet_gerealiseerd", "niet gerealiseerd"
        HERZIEN = "herzien", "herzien"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="agreements",
                               verbose_name="regio")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="agreements", verbose_name="gemaakt in")
    title = models.CharField("afspraak", max_length=250)
    description = models.TextField("toelichting", blank=True)
    parties = models.ManyToManyField(Organisation, related_name="commitments",
                                     verbose_name="partijen die zich verbinden")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="owned",
                              verbose_name="eigenaar")
    owner_contact = models.CharField("contactpersoon eigenaar", max_length=150, blank=True)
    deadline = models.DateField("deadline")
    status = models.CharField("status", max_length=20, choices=Status.choices,
                              default=Status.OPEN)
    indicator = models.CharField("monitorindicator", max_length=100, blank=True)
    indicator_label = models.CharField("naam indicator", max_length=250, blank=True)
    baseline = models.FloatField("uitgangswaarde", null=True, blank=True)
    target = models.FloatField("streefwaarde", null=True, blank=True)
    deliverable = models.TextField("op te leveren resultaat", blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    access_area = "overleg"

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["deadline", "id"]
        constraints = [models.CheckConstraint(
            condition=(~models.Q(indicator="") & models.Q(target__isnull=False))
            | ~models.Q(deliverable=""),
            name="afspraak_meetbaar_resultaat",
            violation_error_message=MEASURABLE_MESSAGE)]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.indicator and self.target is None:
            raise ValidationError({"target": "Geef een streefwaarde bij de gekozen indicator."})

    @property
    def overdue(self) -> bool:
        return is_overdue(timezone.localdate(), self.deadline, self.status)


class Escalation(RegionFromParent, models.Model):
    """An overdue agreement escalated, with the recorded decision."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="escalations", verbose_name="afspraak")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio", editable=False)
    escalated_on = models.DateField("geëscaleerd op", default=timezone.localdate)
    escalated_to = models.CharField("geëscaleerd naar", max_length=200,
                                    help_text="Wie beslist, bv. de bestuurder met "
                                              "doorzettingsmacht of het bestuurlijk overleg.")
    reason = models.TextField("reden")
    decision = models.TextField("besluit")
    new_deadline = models.DateField("nieuwe deadline", null=True, blank=True)
    new_status = models.CharField("nieuwe status", max_length=20, blank=True,
                                  choices=Agreement.Status.choices)
    history = HistoricalRecords()

    access_area = "overleg"
    region_parent = "agreement"

    class Meta:
        verbose_name = "escalatie"
        verbose_name_plural = "escalaties"
        ordering = ["-escalated_on", "-id"]

    def __str__(self) -> str:
        return f"Escalatie van {self.agreement}"
