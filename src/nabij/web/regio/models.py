"""Divisions, regions, organisations, parties and memberships.

Convention for every region-scoped model in any app: a ``region`` ForeignKey to
:class:`Region`, a class attribute ``access_area`` (see ``access.AREAS``) and
``history = HistoricalRecords()``. Then :func:`nabij.web.regio.access.visible` and the audit
page work for it without further code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from nabij.web.regio.roles import NATIONAL_ROLES, Category, Role

# The mixin below is mixed into models: typed as one, a plain class at run time (no model).
if TYPE_CHECKING:
    _ModelMixin = models.Model
else:
    _ModelMixin = object


class RegionFromParent(_ModelMixin):
    """Mixin of models whose ``region`` is a copy of their parent's: ``region_parent`` names
    the foreign key to the parent; the copy is made on every save (access checks need no
    join)."""

    region_parent: str = ""
    region_id: int

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.region_id = getattr(self, self.region_parent).region_id
        super().save(*args, **kwargs)


class Division(models.Model):
    """A Division of the atlas loaded into the workspace (status quo, scenario or custom)."""

    name = models.CharField("naam", max_length=200, unique=True)
    sector = models.CharField("sector", max_length=10)
    recipe = models.JSONField("recept", default=dict)
    atlas_name = models.CharField("atlas", max_length=200, blank=True)
    reference_year = models.IntegerField("peiljaar", null=True, blank=True)
    viewbox = models.CharField(max_length=60, blank=True)
    background_svg = models.TextField(blank=True)
    measure_definitions = models.JSONField("definities maatstaven", default=dict)
    monitor_catalogue = models.JSONField("monitorindicatoren", default=dict)
    monitor_sources = models.JSONField("bronnen monitor", default=list)
    monitor_national = models.JSONField(
        "landelijke monitorreeksen", default=dict,
        help_text="Per indicator de gepubliceerde landelijke reeks [schooljaar, halfjaar, "
                  "waarde]: de basis van 'terug naar het landelijk gemiddelde'.")
    loaded_at = models.DateTimeField("geladen op", auto_now=True)
    history = HistoricalRecords(excluded_fields=["background_svg", "loaded_at",
                                                 "measure_definitions", "monitor_catalogue",
                                                 "monitor_national"])

    class Meta:
        verbose_name = "indeling"
        verbose_name_plural = "indelingen"

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One region of a Division: the territory of one resultaatverplichtend overleg."""

    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="regions",
                                 verbose_name="indeling")
    code = models.CharField("code", max_length=60)
    name = models.CharField("naam", max_length=200)
    gemeenten = models.JSONField("gemeenten", default=list)
    n_pc4 = models.IntegerField("aantal postcodegebieden", default=0)
    pupils = models.IntegerField("leerlingen", null=True, blank=True)
    shape_path = models.TextField(blank=True)
    measures = models.JSONField("maatstaven", default=dict)
    monitor = models.JSONField("monitor", default=dict)
    history = HistoricalRecords(excluded_fields=["shape_path", "measures", "monitor"])

    access_area = "aggregaat"
    region_lookup = "pk"

    class Meta:
        verbose_name = "regio"
        verbose_name_plural = "regio's"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["division", "code"],
                                               name="regio_uniek_per_indeling")]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A party: from the atlas (gemeente, schoolbestuur, SWV) or added by a coordinator."""

    name = models.CharField("naam", max_length=250)
    category = models.CharField("soort", max_length=20, choices=Category.choices)
    code = models.CharField("code", max_length=40, blank=True,
                            help_text="Code in de atlas (gemeente, bestuur, SWV); leeg als "
                                      "handmatig toegevoegd.")
    sectors = models.CharField("sectoren", max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(
            fields=["category", "code"], condition=~models.Q(code=""),
            name="organisatie_code_uniek")]

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """An organisation taking part in the overleg of a region."""

    class Source(models.TextChoices):
        ATLAS = "atlas", "uit de atlas"
        ADDED = "toegevoegd", "toegevoegd"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="parties",
                               verbose_name="regio")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="parties", verbose_name="organisatie")
    source = models.CharField("herkomst", max_length=12, choices=Source.choices,
                              default=Source.ADDED)
    detail = models.CharField("toelichting", max_length=200, blank=True)
    history = HistoricalRecords()

    access_area = "regio"

    class Meta:
        verbose_name = "partij"
        verbose_name_plural = "partijen"
        constraints = [models.UniqueConstraint(fields=["region", "organisation"],
                                               name="partij_uniek")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.region})"


class Membership(models.Model):
    """Ties a user to an organisation, a region and a role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name="gebruiker")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="members",
                                     verbose_name="organisatie")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="memberships", verbose_name="regio")
    role = models.CharField("rol", max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    access_area = "audit"

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="lid_uniek"),
            models.CheckConstraint(
                condition=models.Q(region__isnull=False)
                | models.Q(role__in=sorted(r.value for r in NATIONAL_ROLES)),
                name="lid_regio_verplicht"),
        ]

    def __str__(self) -> str:
        where = self.region or "alle regio's"
        return f"{self.user} — {self.get_role_display()} — {where}"


class LoginFailure(models.Model):
    """A failed login (for throttling); kept short, no password."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


register_history(User, app="nabij.web.regio", excluded_fields=["password", "last_login"])
"""Users get a change history too (created, activated, deactivated, password revoked — with a
change reason), kept beside this app's models. Without the password hash and the login time:
the history stores no secret, and a login is not a change (see ``apps.quiet_last_login``)."""
