"""Forms of the regio app and the accessible-form base every app uses."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms

from nabij.web.regio.models import Organisation
from nabij.web.regio.roles import ADDABLE


class AccessibleForm(forms.Form):
    """Ties hints and errors to their field (``aria-describedby``, ``aria-invalid``)."""

    def full_clean(self) -> None:
        super().full_clean()
        aria(self)


class AccessibleModelForm(forms.ModelForm):
    def full_clean(self) -> None:
        super().full_clean()
        aria(self)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        aria(self)


_F = TypeVar("_F", bound=forms.Field)


def field_as(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """``form.fields[name]``, checked to be a ``kind`` (e.g. a choice field whose choices or
    queryset a form narrows to one region)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"veld {name!r} is een {type(field).__name__}, geen {kind.__name__}")
    return field


def aria(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}_hulp")
        if form.is_bound and hasattr(form, "_errors") and form._errors and name in form._errors:
            ids.append(f"{bound.auto_id}_fout")
            field.widget.attrs["aria-invalid"] = "true"
        if ids and not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            field.widget.attrs["aria-describedby"] = " ".join(ids)


class OrganisationForm(AccessibleModelForm):
    """A party the coordinator adds (kinderopvang, mbo, hbo/wo, jeugdhulp, overig)."""

    class Meta:
        model = Organisation
        fields = ["name", "category"]
        labels = {"name": "Naam van de organisatie", "category": "Soort organisatie"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_as(self, "category", forms.ChoiceField).choices = [(c.value, c.label)
                                                                 for c in ADDABLE]


class SearchForm(AccessibleForm):
    q = forms.CharField(label="Zoekterm", max_length=100, min_length=2,
                        help_text="Zoekt in regio's, partijen, vergaderingen en afspraken "
                                  "waartoe u toegang hebt.")
