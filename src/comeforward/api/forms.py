from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from comeforward.roles import ROLE_ORGANISATION_TYPES, Role

from .exports import KINDS
from .scopes import SCOPES


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="Name of the system",
        max_length=100,
        help_text="For example, Niche RMS nightly sync",
        error_messages={"required": "Enter the name of the system"},
    )
    purpose = forms.CharField(
        label="What will it use the API for?",
        max_length=300,
        help_text="Recorded as the justification of every record it reads",
        error_messages={"required": "Enter what it will use the API for"},
    )
    role = forms.ChoiceField(
        label="Which role does it act in?",
        widget=forms.RadioSelect,
        help_text="It sees and does what a person in this role in your organisation may",
        error_messages={"required": "Select a role"},
    )
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, f"{key} – {text}") for key, text in SCOPES.items()],
        error_messages={"required": "Select at least one scope"},
    )
    expires_on = forms.DateField(
        label="Expiry date",
        help_text="At most 13 months from today, for example 31/3/2027",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the expiry date",
            "invalid": "Enter the expiry date like 31/3/2027",
        },
    )
    ip_allowlist = forms.CharField(
        label="Addresses it calls from (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One IP address or network a line, like 192.0.2.10 or 198.51.100.0/24. "
        "Leave empty to allow any address.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role.value, role.label)
            for role in Role
            if organisation.kind in ROLE_ORGANISATION_TYPES[role]
        ]

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The expiry date must be in the future")
        return value

    def expires_at(self) -> dt.datetime:
        day = self.cleaned_data["expires_on"]
        return dt.datetime.combine(day, dt.time(23, 59), tzinfo=timezone.get_current_timezone())

    def allowlist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["ip_allowlist"].splitlines()]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this client being revoked?",
        max_length=300,
        error_messages={"required": "Enter why this client is being revoked"},
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to export?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to export"},
    )
    format = forms.ChoiceField(
        label="Format",
        widget=forms.RadioSelect,
        choices=[
            ("csv", "CSV (comma-separated values)"),
            ("ods", "ODS (OpenDocument spreadsheet)"),
        ],
        initial="csv",
        error_messages={"required": "Select a format"},
    )
    purpose = forms.CharField(
        label="What is the export for?",
        min_length=5,
        max_length=300,
        help_text="Recorded in the audit trail and printed on the export",
        error_messages={
            "required": "Enter what the export is for",
            "min_length": "Enter what the export is for (at least 5 characters)",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (key, kind.title) for key, kind in KINDS.items() if user.has_role(*kind.roles)
        ]
