"""Forms of user and membership management (beheerder and regiocoördinator pages)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts

from nabij.web.regio.forms import AccessibleForm, aria, field_as
from nabij.web.regio.models import Organisation, Region
from nabij.web.regio.roles import Role

ROLE_LABELS = dict(Role.choices)


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.division.name})"


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Role if r.value in roles]


class MembershipForm(AccessibleForm):
    """A beheerder gives a user a membership in any region (or a national one)."""

    role = forms.ChoiceField(label="Rol", choices=Role.choices)
    region = RegionChoice(
        label="Regio", required=False, empty_label="geen (hele installatie)",
        queryset=Region.objects.select_related("division").order_by("division__name", "name"),
        help_text="Leeg alleen voor de rollen beheerder en lezer (landelijk).")
    organisation = forms.CharField(label="Organisatie (naam)", required=False, max_length=250,
                                   help_text="Precies zoals in de lijst met partijen.")


class NewUserForm(MembershipForm):
    username = forms.CharField(label="Gebruikersnaam", max_length=150,
                               help_text="Letters, cijfers en de tekens @ . + - _")
    field_order = ["username", "role", "region", "organisation"]


class MemberForm(AccessibleForm):
    """A coordinator (or beheerder) adds a member to one region: an existing or a new user."""

    kind = forms.ChoiceField(label="Gebruiker", widget=forms.RadioSelect, initial="bestaand",
                             choices=[("bestaand", "bestaande gebruiker toevoegen"),
                                      ("nieuw", "nieuwe gebruiker aanmaken")])
    username = forms.CharField(label="Gebruikersnaam", max_length=150,
                               help_text="Van een bestaande gebruiker, of de naam van de nieuwe "
                                         "(letters, cijfers en @ . + - _).")
    role = forms.ChoiceField(label="Rol")
    organisation = forms.ModelChoiceField(label="Organisatie", required=False,
                                          queryset=Organisation.objects.none(),
                                          empty_label="geen")

    def __init__(self, *args, region: Region, roles, **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "role", forms.ChoiceField).choices = _role_choices(roles)
        field_as(self, "organisation", forms.ModelChoiceField).queryset = (
            Organisation.objects.filter(parties__region=region).order_by("name"))


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label="Nieuwe rol")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        field_as(self, "role", forms.ChoiceField).choices = _role_choices(roles)


class ConfirmForm(AccessibleForm):
    confirm = forms.BooleanField(label="Ja, ik weet het zeker", required=True,
                                 error_messages={"required": "Vink aan dat u het zeker weet."})


class ActiveForm(AccessibleForm):
    active = forms.ChoiceField(choices=[("1", "activeren"), ("0", "deactiveren")],
                               widget=forms.HiddenInput,
                               error_messages={"required": "Kies activeren of deactiveren."})


class SearchUsersForm(AccessibleForm):
    q = forms.CharField(label="Zoek op gebruikersnaam", required=False, max_length=150)


class ActivationForm(SetPasswordForm):
    """Django's set-password form (its validators and hasher), with hints and errors tied to
    the fields like every other form here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
        aria(self)

    def full_clean(self):
        super().full_clean()
        aria(self)
