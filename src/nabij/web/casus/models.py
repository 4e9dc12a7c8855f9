"""Cases of the loket and everything around them, persisted.

A child is a pseudonym (HMAC of the school's number with the region's key, which lives in the
environment, never here): no BSN, no name, no birth date, no address fields exist. The read log
and the doorbraak ledger are append-only; every other model has a change history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nabij.casework.budget import EntryKind
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.web.regio.models import Organisation, Region, RegionFromParent
from nabij.web.regio.roles import Role


def _choices(enum) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum]


PURPOSES = (
    ("behandeling", "behandeling van de zaak"),
    ("overleg", "overleg met betrokken partijen"),
    ("besluit", "voorbereiden van een besluit of advies"),
    ("verantwoording", "verantwoording en toezicht"),
)
"""Verwerkingsdoelen: why a case is read (every read is logged with one)."""


class Desk(models.Model):
    """The loket of a region: who has doorzettingsmacht."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="desk",
                                  verbose_name="regio")
    designated = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="aangewezen met doorzettingsmacht",
        help_text="De persoon die beslist als partijen het niet eens worden.")
    history = HistoricalRecords()

    access_area = "casus"

    class Meta:
        verbose_name = "loket"
        verbose_name_plural = "loketten"

    def __str__(self) -> str:
        return f"Loket {self.region}"


class Case(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="cases",
                               verbose_name="regio")
    kind = models.CharField("soort", max_length=20, choices=_choices(CaseKind))
    child = models.CharField("pseudoniem", max_length=32, db_index=True)
    birth_year = models.PositiveSmallIntegerField("geboortejaar")
    gemeente = models.CharField("gemeente", max_length=6)
    school = models.CharField("school (vestiging)", max_length=12, blank=True)
    status = models.CharField("status", max_length=20, choices=_choices(Status),
                              default=Status.AANGEMELD.value, db_index=True)
    verzuim = models.CharField("verzuim", max_length=10, choices=_choices(Verzuim), blank=True)
    registered_on = models.DateField("aangemeld op")
    out_of_school_since = models.DateField("thuis sinds", null=True, blank=True)
    offer_on = models.DateField("aanbod gedaan op", null=True, blank=True)
    closed_on = models.DateField("afgesloten op", null=True, blank=True)
    deadline = models.DateField("termijn", null=True, blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="cases",
                                           verbose_name="betrokken partijen")
    source_ref = models.CharField("zaaknummer vorig systeem", max_length=60, blank=True)
    # exemption decision
    decision_on = models.DateField("besluit op", null=True, blank=True)
    decision_by = models.CharField("besluit door", max_length=150, blank=True)
    decision_granted = models.BooleanField("vrijstelling verleend", null=True, blank=True)
    decision_reasons = models.TextField("onderbouwing besluit", blank=True)
    valid_until = models.DateField("geldig tot", null=True, blank=True)
    reassess_on = models.DateField("herbeoordeling op", null=True, blank=True)
    # doorzettingsmacht
    escalated_on = models.DateField("voorgelegd op", null=True, blank=True)
    escalated_by = models.CharField("voorgelegd door", max_length=150, blank=True)
    escalation_reason = models.TextField("waarover partijen het oneens zijn", blank=True)
    designated = models.CharField("voorgelegd aan", max_length=150, blank=True)
    ruling_on = models.DateField("beslist op", null=True, blank=True)
    ruling_by = models.CharField("beslist door", max_length=150, blank=True)
    ruling = models.TextField("beslissing", blank=True)
    ruling_reasons = models.TextField("onderbouwing beslissing", blank=True)
    ruling_deadline = models.DateField("uit te voeren vóór", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[organisations])

    access_area = "casus"

    class Meta:
        verbose_name = "zaak"
        verbose_name_plural = "zaken"
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["region", "-registered_on", "-id"],
                                name="zaak_lijst"),
                   models.Index(fields=["region", "status"], name="zaak_status"),
                   models.Index(fields=["region", "offer_on", "out_of_school_since"],
                                name="zaak_klok"),
                   models.Index(fields=["region", "escalated_on", "ruling_on"],
                                name="zaak_doorzetting")]

    def __str__(self) -> str:
        return f"Zaak {self.number}"

    @property
    def number(self) -> str:
        return f"Z{self.pk:06d}" if self.pk else "Z(nieuw)"

    @property
    def kind_enum(self) -> CaseKind:
        return CaseKind(self.kind)

    @classmethod
    def restrict_visible(cls, queryset, user, area):
        """A deelnemer sees only cases its organisation takes part in."""
        from nabij.web.regio.access import memberships

        full: set[int] = set()
        partial: dict[int, set[int]] = {}
        for m in memberships(user):
            if m.role == Role.BEHEERDER:
                return queryset
            if m.region_id is None:  # a national lezer (Membership allows no other role)
                continue
            if m.role in (Role.REGIOCOORDINATOR, Role.LOKET):
                full.add(m.region_id)
            elif m.role == Role.DEELNEMER and m.organisation_id is not None:
                partial.setdefault(m.region_id, set()).add(m.organisation_id)
        cond = Q(region_id__in=full)
        if not partial:
            return queryset.filter(cond)
        for region_id, orgs in partial.items():
            involved = Case.organisations.through.objects.filter(
                organisation_id__in=orgs).values("case_id")
            cond |= Q(region_id=region_id, pk__in=involved)
        return queryset.filter(cond)


class CaseChild(RegionFromParent, models.Model):
    """Base of objects that belong to one case: the region is copied from the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+",
                             verbose_name="zaak")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio", editable=False)

    access_area = "casus"
    region_parent = "case"

    class Meta:
        abstract = True

    @classmethod
    def restrict_visible(cls, queryset, user, area):
        ids = Case.restrict_visible(Case.objects.all(), user, area).values("pk")
        return queryset.filter(case__in=ids)


class StatusChange(CaseChild):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes",
                             verbose_name="zaak")
    on = models.DateField("datum")
    status = models.CharField("status", max_length=20, choices=_choices(Status))
    by = models.CharField("door", max_length=150)
    note = models.CharField("toelichting", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"
        ordering = ["on", "id"]


class Advice(CaseChild):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advices",
                             verbose_name="zaak")
    person = models.CharField("adviseur", max_length=150)
    organisation = models.CharField("organisatie van de adviseur", max_length=200)
    role = models.CharField("rol van de adviseur", max_length=30, choices=_choices(AssessorRole))
    on = models.DateField("datum advies")
    grant = models.BooleanField("adviseert vrijstelling")
    reasons = models.TextField("eigen oordeel en onderbouwing")
    tried = models.TextField("wat is geprobeerd")
    possible_education = models.TextField("welk onderwijs wel mogelijk is")
    recorded_by = models.CharField("vastgelegd door", max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "advies"
        verbose_name_plural = "adviezen"
        ordering = ["on", "id"]


class SharedDocument(CaseChild):
    """A document shared with a party, and whether the parents consented to that."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents",
                             verbose_name="zaak")
    title = models.CharField("document", max_length=200)
    shared_with = models.CharField("gedeeld met", max_length=200)
    consent = models.BooleanField("ouders hebben toestemming gegeven")
    consent_on = models.DateField("datum toestemming", null=True, blank=True)
    recorded_by = models.CharField("vastgelegd door", max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "gedeeld document"
        verbose_name_plural = "gedeelde documenten"
        ordering = ["id"]

    def clean(self):
        if self.consent and not self.consent_on:
            raise ValidationError({"consent_on": "Vul de datum van de toestemming in."})
        if not self.consent:
            raise ValidationError({"consent": "Zonder toestemming van de ouders wordt een "
                                              "document niet gedeeld."})


class AppendOnly(models.Model):
    """Rows are written once and never changed or deleted through the ORM instance."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Dit register kan alleen worden aangevuld, niet gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Dit register kan alleen worden aangevuld, niet gewist.")


class ReadLog(AppendOnly):
    """Who read which case, when, and why (verwerkingsdoel)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="reads",
                             verbose_name="zaak")
    case_number = models.CharField("zaaknummer", max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+", verbose_name="gebruiker")
    username = models.CharField("gebruikersnaam", max_length=150)
    at = models.DateTimeField("moment", auto_now_add=True, db_index=True)
    purpose = models.CharField("verwerkingsdoel", max_length=20, choices=PURPOSES)
    what = models.CharField("wat", max_length=60, default="zaak bekeken")

    access_area = "audit"

    class Meta:
        verbose_name = "leesregel"
        verbose_name_plural = "leeslog"
        ordering = ["-at", "-id"]


class LedgerEntry(AppendOnly):
    """One line of a region's doorbraakbudget (see :mod:`nabij.casework.budget`)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio")
    kind = models.CharField("soort", max_length=12, choices=[(k.value, k.value)
                                                             for k in EntryKind])
    year = models.PositiveSmallIntegerField("jaar")
    source = models.CharField("bron", max_length=12, choices=_choices(Source))
    cents = models.BigIntegerField("bedrag (eurocent)")
    on = models.DateField("datum")
    by = models.CharField("door", max_length=150)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="ledger", verbose_name="zaak")
    case_number = models.CharField("zaaknummer", max_length=20, blank=True)
    commitment = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="toezegging")
    note = models.CharField("toelichting", max_length=300, blank=True)

    access_area = "casus"

    class Meta:
        verbose_name = "boeking doorbraakbudget"
        verbose_name_plural = "doorbraakbudget"
        ordering = ["on", "id"]

    @classmethod
    def restrict_visible(cls, queryset, user, area):
        """The ledger is the loket's and the coordinator's; a deelnemer sees the balance only
        through the region page."""
        from nabij.web.regio.access import memberships

        if any(m.role == Role.BEHEERDER for m in memberships(user)):
            return queryset
        ids = {m.region_id for m in memberships(user)
               if m.role in (Role.REGIOCOORDINATOR, Role.LOKET)}
        return queryset.filter(region_id__in=ids)


class DestructionList(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio")
    made_on = models.DateField("opgesteld op")
    made_by = models.CharField("opgesteld door", max_length=150)
    case_ids = models.JSONField("zaken", default=list)
    executed_on = models.DateField("uitgevoerd op", null=True, blank=True)
    destroyed = models.JSONField("vernietigd", default=list)
    history = HistoricalRecords()

    access_area = "casus"

    class Meta:
        verbose_name = "vernietigingslijst"
        verbose_name_plural = "vernietigingslijsten"
        ordering = ["-made_on", "-id"]

    def __str__(self) -> str:
        return f"Vernietigingslijst {self.made_on:%d-%m-%Y}"


class Approval(RegionFromParent, models.Model):
    dlist = models.ForeignKey(DestructionList, on_delete=models.CASCADE,
                              related_name="approvals", verbose_name="lijst")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+",
                               verbose_name="regio", editable=False)
    username = models.CharField("goedgekeurd door", max_length=150)
    role = models.CharField("rol", max_length=20)
    on = models.DateField("datum")
    history = HistoricalRecords()

    access_area = "casus"
    region_parent = "dlist"

    class Meta:
        verbose_name = "goedkeuring"
        verbose_name_plural = "goedkeuringen"
        constraints = [models.UniqueConstraint(fields=["dlist", "username"],
                                               name="goedkeuring_eenmaal")]
