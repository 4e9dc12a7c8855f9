"""Forms of the overleg register (Dutch labels, accessible errors)."""

from __future__ import annotations

from django import forms

from nabij.web.overleg.models import AgendaItem, Agreement, Escalation, Meeting, Vision
from nabij.web.regio.forms import AccessibleModelForm, field_as
from nabij.web.regio.indicators import catalogue, choices
from nabij.web.regio.models import Organisation


def _region_orgs(region):
    return Organisation.objects.filter(parties__region=region).order_by("category", "name")


class MeetingForm(AccessibleModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "time", "location", "present", "minutes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "present": forms.CheckboxSelectMultiple}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "present", forms.ModelChoiceField).queryset = _region_orgs(region)
        self.fields["present"].help_text = "Alleen invullen na afloop van de vergadering."


class AgendaItemForm(AccessibleModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "notes", "order"]


class VisionForm(AccessibleModelForm):
    class Meta:
        model = Vision
        fields = ["title", "adopted_on", "summary"]
        widgets = {"adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AgreementForm(AccessibleModelForm):
    indicator = forms.ChoiceField(label="Monitorindicator", required=False)

    class Meta:
        model = Agreement
        fields = ["title", "description", "meeting", "parties", "owner", "owner_contact",
                  "deadline", "status", "indicator", "target", "deliverable"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "parties": forms.CheckboxSelectMultiple}
        help_texts = {
            "target": "De waarde die de indicator op de deadline moet hebben.",
            "deliverable": "Alleen als er geen indicator past: wat wordt concreet opgeleverd "
                           "(bv. 'vastgesteld plan thuiszitters, besproken in de gemeenteraad')."}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        orgs = _region_orgs(region)
        field_as(self, "parties", forms.ModelChoiceField).queryset = orgs
        field_as(self, "owner", forms.ModelChoiceField).queryset = orgs
        field_as(self, "meeting", forms.ModelChoiceField).queryset = Meeting.objects.filter(
            region=region)
        field_as(self, "indicator", forms.ChoiceField).choices = choices(region)
        target = self.fields["target"]
        target.localize = True  # Dutch decimal comma: "4,5"
        target.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        target.widget.is_localized = True
        self.fields["indicator"].help_text = (
            "Het resultaat waaraan het overleg zich houdt. Kies een indicator met een "
            "streefwaarde, of beschrijf hieronder een concreet op te leveren resultaat.")
        self.instance.region = region

    def clean(self):
        super().clean()
        data = self.cleaned_data
        key = data.get("indicator") or ""
        ind = catalogue(self.region).get(key)
        self.instance.indicator_label = ind.label if ind else ""
        if ind and self.instance.baseline is None:
            self.instance.baseline = ind.current
        return data


class StatusForm(AccessibleModelForm):
    class Meta:
        model = Agreement
        fields = ["status"]


class EscalationForm(AccessibleModelForm):
    class Meta:
        model = Escalation
        fields = ["escalated_to", "reason", "decision", "new_deadline", "new_status"]
        widgets = {"new_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
