"""Forms of the loket (Dutch labels, accessible errors). No field asks for a BSN, a name, a
birth date or an address: the school's number is turned into a pseudonym and not kept."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms

from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.casework.periods import SchoolYear, parse_period
from nabij.web.casus.models import PURPOSES, Desk, SharedDocument
from nabij.web.regio.forms import AccessibleForm, AccessibleModelForm, field_as
from nabij.web.regio.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(enum) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum]


class CaseForm(AccessibleForm):
    kind = forms.ChoiceField(label="Soort zaak", choices=_choices(CaseKind))
    number = forms.CharField(
        label="Leerlingnummer", max_length=40,
        help_text="Het nummer dat de school (of de leerplichtadministratie) gebruikt. nabij "
                  "bewaart het niet: het wordt direct een pseudoniem. Geen BSN invullen.")
    school = forms.CharField(
        label="School (vestigingscode)", max_length=12, required=False,
        help_text="Leeg laten als het kind nergens staat ingeschreven.")
    birth_year = forms.IntegerField(label="Geboortejaar", min_value=1990, max_value=2030,
                                    help_text="Alleen het jaar, geen geboortedatum.")
    gemeente = forms.ChoiceField(label="Gemeente van het kind")
    verzuim = forms.ChoiceField(label="Soort verzuim (bij een thuiszitter)", required=False,
                                choices=[("", "—")] + _choices(Verzuim))
    out_of_school_since = forms.DateField(label="Thuis sinds", required=False, widget=DATE,
                                          help_text="Vanaf deze dag loopt de klok.")
    organisations = forms.ModelMultipleChoiceField(
        label="Betrokken partijen", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Deelnemers van deze organisaties kunnen de zaak inzien.")

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "gemeente", forms.ChoiceField).choices = [
            (g["code"], f"{g.get('naam', g['code'])} ({g['code']})") for g in region.gemeenten]
        field_as(self, "organisations", forms.ModelChoiceField).queryset = (
            Organisation.objects.filter(parties__region=region).order_by("category", "name"))

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if re.fullmatch(r"\d{9}", number) and _elfproef(number):
            raise forms.ValidationError("Dit lijkt een BSN. nabij werkt zonder BSN: vul het "
                                        "leerlingnummer van de school in.")
        return number

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == CaseKind.THUISZITTER.value:
            if not data.get("verzuim"):
                self.add_error("verzuim", "Kies absoluut of relatief verzuim.")
            if not data.get("out_of_school_since"):
                self.add_error("out_of_school_since", "Vul in sinds wanneer het kind thuis is.")
        return data


def _elfproef(number: str) -> bool:
    """True when a nine-digit number passes the BSN check (11-proef)."""
    digits = [int(c) for c in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


class PurposeForm(AccessibleForm):
    doel = forms.ChoiceField(label="Waarvoor bekijkt u deze zaak?", choices=PURPOSES,
                             help_text="Elke inzage wordt vastgelegd met het doel.")


class StatusForm(AccessibleForm):
    status = forms.ChoiceField(label="Nieuwe status")
    note = forms.CharField(label="Toelichting", required=False, max_length=500)

    def __init__(self, *args, allowed: list[Status], **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "status", forms.ChoiceField).choices = [(s.value, s.label)
                                                               for s in allowed]


class AdviceForm(AccessibleForm):
    person = forms.CharField(label="Naam adviseur", max_length=150)
    organisation = forms.CharField(label="Organisatie van de adviseur", max_length=200)
    role = forms.ChoiceField(label="Rol van de adviseur", choices=_choices(AssessorRole))
    grant = forms.TypedChoiceField(
        label="Oordeel", coerce=lambda v: v == "ja", widget=forms.RadioSelect,
        choices=[("nee", "geen vrijstelling (nee, tenzij)"), ("ja", "vrijstelling")])
    reasons = forms.CharField(label="Eigen oordeel en onderbouwing", widget=forms.Textarea)
    tried = forms.CharField(label="Wat is geprobeerd?", widget=forms.Textarea)
    possible_education = forms.CharField(label="Welk onderwijs zou wel mogelijk zijn?",
                                         widget=forms.Textarea)


class DecisionForm(AccessibleForm):
    granted = forms.TypedChoiceField(
        label="Besluit", coerce=lambda v: v == "ja", widget=forms.RadioSelect,
        choices=[("nee", "vrijstelling afgewezen"), ("ja", "vrijstelling verleend")])
    reasons = forms.CharField(label="Onderbouwing", widget=forms.Textarea)
    valid_until = forms.DateField(label="Geldig tot", required=False, widget=DATE)
    reassess_on = forms.DateField(label="Herbeoordeling op", required=False, widget=DATE,
                                  help_text="Verplicht bij een verleende vrijstelling 5a "
                                            "(uiterlijk twaalf maanden na het besluit).")


class EscalateForm(AccessibleForm):
    reason = forms.CharField(label="Waarover zijn de partijen het niet eens?",
                             widget=forms.Textarea)


class RulingForm(AccessibleForm):
    decision = forms.CharField(label="Beslissing", widget=forms.Textarea)
    reasons = forms.CharField(label="Onderbouwing", widget=forms.Textarea)
    deadline = forms.DateField(label="Uit te voeren vóór", widget=DATE)


def _cents(text: str) -> int:
    clean = text.replace("€", "").replace(" ", "").replace(".", "").replace(",", ".")
    try:
        value = Decimal(clean)
    except InvalidOperation as e:
        raise forms.ValidationError("Schrijf een bedrag in euro, bijvoorbeeld 1.250,00.") from e
    if value <= 0:
        raise forms.ValidationError("Het bedrag moet groter dan nul zijn.")
    return int((value * 100).quantize(Decimal(1)))


class MoneyForm(AccessibleForm):
    source = forms.ChoiceField(label="Bron", choices=_choices(Source))
    amount = forms.CharField(label="Bedrag in euro", max_length=20,
                             help_text="Bijvoorbeeld 2.500,00")
    note = forms.CharField(label="Toelichting", required=False, max_length=300)

    def clean_amount(self):
        return _cents(self.cleaned_data["amount"])


class SpendForm(MoneyForm):
    commit = forms.TypedChoiceField(
        label="Soort boeking", coerce=lambda v: v == "toezegging", widget=forms.RadioSelect,
        choices=[("uitgave", "uitgave (direct betaald)"),
                 ("toezegging", "toezegging (geld gereserveerd)")], initial="uitgave")


class BudgetForm(MoneyForm):
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)


class DocumentForm(AccessibleModelForm):
    class Meta:
        model = SharedDocument
        fields = ["title", "shared_with", "consent", "consent_on"]
        widgets = {"consent_on": DATE}


class DeskForm(AccessibleModelForm):
    class Meta:
        model = Desk
        fields = ["designated"]

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "designated", forms.ModelChoiceField).queryset = users


class LeerplichtForm(AccessibleForm):
    schooljaar = forms.CharField(label="Schooljaar", max_length=9,
                                 help_text="Bijvoorbeeld 2024-2025")
    formaat = forms.ChoiceField(label="Bestandsformaat", choices=[("xlsx", "Excel (XLSX)"),
                                                                   ("csv", "CSV")])

    def clean_schooljaar(self):
        from nabij.casework.errors import CaseworkError

        try:
            return SchoolYear.parse(self.cleaned_data["schooljaar"])
        except CaseworkError as e:
            raise forms.ValidationError(str(e)) from e


class InspectieForm(AccessibleForm):
    periode = forms.CharField(label="Periode", max_length=30,
                              help_text="2025-K1 (kwartaal), 2025-B1 (twee maanden) of "
                                        "2025-01-01/2025-03-31")
    formaat = forms.ChoiceField(label="Bestandsformaat", choices=[("xlsx", "Excel (XLSX)"),
                                                                   ("csv", "CSV")])

    def clean_periode(self):
        from nabij.casework.errors import CaseworkError

        try:
            return parse_period(self.cleaned_data["periode"])
        except CaseworkError as e:
            raise forms.ValidationError(str(e)) from e


class FilterForm(AccessibleForm):
    q = forms.CharField(label="Zoek op zaaknummer, gemeente of school", required=False,
                        max_length=60)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "alle")] + _choices(Status))
    kind = forms.ChoiceField(label="Soort", required=False,
                             choices=[("", "alle")] + _choices(CaseKind))


class ImportForm(AccessibleForm):
    bestand = forms.FileField(
        label="CSV-bestand met zaken",
        help_text="Kolommen: zie docs/casusimport.md in de documentatie. Eerst worden alle "
                  "rijen gecontroleerd; bij één fout wordt niets opgeslagen. Geen BSN, naam, "
                  "geboortedatum of adres.")
