from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), error_messages={"required": _("Enter your email address")}
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )


class TotpCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Security code"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("The 6-digit code from your authenticator app"),
        error_messages={
            "required": _("Enter the 6-digit security code"),
            "invalid": _("Enter the 6-digit security code, like 123456"),
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this account being deactivated?"),
        max_length=500,
        error_messages={"required": _("Enter why this account is being deactivated")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why?"),
        max_length=500,
        error_messages={"required": _("Enter the reason")},
    )

    def __init__(self, *args, label: str = "Why?", required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        if required_message:
            self.fields["reason"].error_messages["required"] = required_message


def _role_choices(organisation):
    from comeforward.roles import ROLE_ORGANISATION_TYPES, Role

    return [
        (value, label)
        for value, label in Role.choices
        if organisation.kind in ROLE_ORGANISATION_TYPES[value]
    ]


class UserAddForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter their full name")},
    )
    email = forms.EmailField(
        label=_("Work email address"),
        error_messages={
            "required": _("Enter their work email address"),
            "invalid": _("Enter an email address like name@force.police.uk"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), widget=forms.RadioSelect, error_messages={"required": _("Select a role")}
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(organisation)


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), widget=forms.RadioSelect, error_messages={"required": _("Select a role")}
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(organisation)
