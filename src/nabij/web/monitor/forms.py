"""Forms for targets and notes. They collect text as a user types it (a school year as
``2023/'24``, a decimal comma) and hand it to ``nabij.monitor`` through
:mod:`nabij.web.monitor.targets`: the monitor's messages become the field errors."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from nabij.monitor.targets import Target as ResolvedTarget
from nabij.monitor.targets import TargetSpec
from nabij.web.monitor.models import TRAJECTORY_CHOICES, Target
from nabij.web.monitor.targets import TargetProblems, check_note, check_target
from nabij.web.regio.forms import AccessibleForm, aria, field_as

RULE = "landelijk_gemiddelde"
KIND_CHOICES = [("waarde", "Een doelwaarde"), (RULE, "Terug naar het landelijk gemiddelde")]
FIELD_OF = {"regel": "soort", "regio": "__all__"}
"""A column of the targets file -> the form field its message belongs to."""


def indicator_choices(region, blank: str | None = None) -> list[tuple[str, str]]:
    from nabij.web.regio.indicators import ordered

    cat = region.division.monitor_catalogue or {}
    out = [(k, f"{d.get('naam', k)} ({d.get('eenheid', '')})") for k, d in ordered(cat)]
    return ([("", blank)] if blank else []) + out


def _add_problems(form: forms.Form, e: TargetProblems, field_of: dict[str, str]) -> None:
    """The monitor's Dutch messages on the form field they concern (else on the form)."""
    for column, messages in e.errors.items():
        name = field_of.get(column, column)
        for m in messages:
            form.add_error(name if name in form.fields else None, m)


class TargetForm(AccessibleForm):
    """Add or change a target (the fields of a row of the monitor's targets file)."""

    indicator = forms.ChoiceField(label="Indicator")
    soort = forms.ChoiceField(label="Soort doel", choices=KIND_CHOICES, initial="waarde",
                              widget=forms.RadioSelect)
    doelwaarde = forms.CharField(
        label="Doelwaarde", required=False, max_length=30,
        help_text="In de eenheid van de indicator, bijvoorbeeld 3,5. Leeg bij 'terug naar "
                  "het landelijk gemiddelde'.")
    basisjaar = forms.CharField(label="Basisjaar", max_length=20,
                                help_text="Schooljaar van de uitgangswaarde, zoals 2019/'20.")
    basiswaarde = forms.CharField(
        label="Basiswaarde", required=False, max_length=30,
        help_text="Leeg: de gepubliceerde waarde van de regio in het basisjaar.")
    doeljaar = forms.CharField(label="Doeljaar", max_length=20,
                               help_text="Schooljaar waarin de doelwaarde bereikt moet zijn, "
                                         "zoals 2028/'29.")
    traject = forms.ChoiceField(label="Doelpad", choices=TRAJECTORY_CHOICES, initial="recht",
                                widget=forms.RadioSelect)
    stappen = forms.CharField(
        label="Aantal stappen", required=False, max_length=3,
        help_text="Alleen bij een trapsgewijs doelpad; leeg: één stap per schooljaar.")

    def __init__(self, *args, region, instance: Target | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region, self.instance = region, instance
        field_as(self, "indicator", forms.ChoiceField).choices = indicator_choices(region)
        if instance is not None:
            self.fields["indicator"].disabled = True
        self.spec: TargetSpec | None = None
        self.resolved: ResolvedTarget | None = None
        aria(self)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        fields = {k: data.get(k, "") for k in ("indicator", "basisjaar", "basiswaarde",
                                                  "doeljaar", "traject", "stappen")}
        rule = data.get("soort") == RULE
        fields["regel"] = RULE if rule else ""
        fields["doelwaarde"] = "" if rule else data.get("doelwaarde", "")
        try:
            self.spec, self.resolved = check_target(self.region, fields)
        except TargetProblems as e:
            _add_problems(self, e, FIELD_OF)
            return data
        self._check_unique(fields["indicator"])
        return data

    def _check_unique(self, indicator: str) -> None:
        others = Target.objects.filter(region=self.region, indicator=indicator,
                                       ended_on__isnull=True)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error("indicator", "Voor deze indicator loopt al een doel; wijzig of "
                                        "beëindig dat doel eerst.")

    def save(self, user) -> Target:
        """Store the validated target (new or changed in place; the history keeps the old)."""
        spec = self.spec
        assert spec is not None, "save() na een geldige is_valid()"
        t = self.instance or Target(region=self.region, created_by=user)
        t.indicator, t.basisjaar, t.doeljaar = spec.indicator, spec.basisjaar, spec.doeljaar
        t.basiswaarde, t.doelwaarde = spec.basiswaarde, spec.doelwaarde
        t.regel, t.traject, t.stappen = spec.regel or "", spec.traject, spec.stappen
        t.save()
        return t


class EndTargetForm(AccessibleForm):
    reden = forms.CharField(label="Reden", max_length=300, required=False,
                            help_text="Bijvoorbeeld: vervangen door een nieuw doel, of "
                                      "afgesproken in het overleg van 12 maart.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        aria(self)

    def save(self, target: Target) -> Target:
        target.ended_on = timezone.localdate()
        target.ended_reason = self.cleaned_data.get("reden", "")
        target.save()
        return target


class NoteForm(AccessibleForm):
    """A note on one indicator (or all) at a date: het verhaal achter de cijfers."""

    indicator = forms.ChoiceField(label="Indicator", required=False)
    datum = forms.CharField(label="Datum", max_length=10,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="De datum bepaalt het schooljaar en halfjaar waarbij de "
                                      "toelichting staat.")
    tekst = forms.CharField(label="Toelichting", max_length=2000, widget=forms.Textarea(
        attrs={"rows": 5}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        field_as(self, "indicator", forms.ChoiceField).choices = indicator_choices(
            region, "— alle indicatoren —")
        self.fields["datum"].initial = timezone.localdate().isoformat()
        self.day: date | None = None
        aria(self)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors:  # the monitor checks the note once its fields are valid
            try:
                self.day = check_note(self.region, data.get("indicator", ""), data["datum"],
                                      data["tekst"], "")
            except TargetProblems as e:
                _add_problems(self, e, {})
        return data

    def save(self, user):
        from nabij.web.monitor.models import Note

        assert self.day is not None, "save() na een geldige is_valid()"
        return Note.objects.create(region=self.region, indicator=self.cleaned_data["indicator"],
                                   datum=self.day, tekst=self.cleaned_data["tekst"],
                                   auteur=user.get_username())
