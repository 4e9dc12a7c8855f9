"""Targets and notes of the monitor per region, in the database.

A :class:`Target` row holds exactly the fields of a row of the monitor's targets file
(``nabij.monitor.targets.TargetSpec``); it is converted to that spec and validated and resolved
by ``nabij.monitor`` (see :mod:`nabij.web.monitor.targets`). A target is changed in place (the
history keeps the old values) and ended rather than deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from nabij.monitor.targets import RULES, TRAJECTORIES
from nabij.web.regio.models import Region

TRAJECTORY_CHOICES = [(t, {"recht": "rechte lijn", "trapsgewijs": "trapsgewijs"}[t])
                      for t in TRAJECTORIES]
RULE_CHOICES = [(r, {"landelijk_gemiddelde": "terug naar het landelijk gemiddelde"}.get(r, r))
                for r in RULES]


class Target(models.Model):
    """A target of one region for one monitor indicator (streefwaarde met doelpad)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="targets",
                               verbose_name="regio")
    indicator = models.CharField("indicator", max_length=100)
    basisjaar = models.IntegerField("basisjaar")
    basiswaarde = models.FloatField("basiswaarde", null=True, blank=True)
    doelwaarde = models.FloatField("doelwaarde", null=True, blank=True)
    regel = models.CharField("regel", max_length=40, blank=True, choices=RULE_CHOICES)
    doeljaar = models.IntegerField("doeljaar")
    traject = models.CharField("doelpad", max_length=20, choices=TRAJECTORY_CHOICES,
                               default="recht")
    stappen = models.PositiveSmallIntegerField("stappen", null=True, blank=True)
    ended_on = models.DateField("beëindigd op", null=True, blank=True)
    ended_reason = models.CharField("reden beëindiging", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="ingesteld door")
    history = HistoricalRecords()

    access_area = "regio"

    class Meta:
        verbose_name = "monitordoel"
        verbose_name_plural = "monitordoelen"
        ordering = ["indicator", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator"],
                                    condition=models.Q(ended_on__isnull=True),
                                    name="monitordoel_een_lopend_per_indicator"),
            models.CheckConstraint(condition=models.Q(doeljaar__gt=models.F("basisjaar")),
                                   name="monitordoel_doeljaar_na_basisjaar"),
            models.CheckConstraint(condition=models.Q(doelwaarde__isnull=False)
                                   | ~models.Q(regel=""), name="monitordoel_waarde_of_regel"),
        ]

    def __str__(self) -> str:
        goal = self.get_regel_display() if self.regel else f"{self.doelwaarde:g}"
        return f"{self.indicator}: {goal} in {self.doeljaar}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Note(models.Model):
    """A dated note on one indicator (or all) of a region: het verhaal achter de cijfers."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="monitor_notes",
                               verbose_name="regio")
    indicator = models.CharField("indicator", max_length=100, blank=True,
                                 help_text="Leeg: geldt voor alle indicatoren.")
    datum = models.DateField("datum")
    tekst = models.TextField("toelichting", max_length=2000)
    auteur = models.CharField("auteur", max_length=150, blank=True)
    history = HistoricalRecords()

    access_area = "regio"

    class Meta:
        verbose_name = "toelichting bij de monitor"
        verbose_name_plural = "toelichtingen bij de monitor"
        ordering = ["-datum", "-id"]

    def __str__(self) -> str:
        return f"{self.indicator or 'alle indicatoren'} ({self.datum:%d-%m-%Y})"
