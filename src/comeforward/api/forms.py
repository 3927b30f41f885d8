from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comeforward.roles import ROLE_ORGANISATION_TYPES, Role

from .exports import KINDS
from .scopes import SCOPES


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=100,
        help_text=_("For example, Niche RMS nightly sync"),
        error_messages={"required": _("Enter the name of the system")},
    )
    purpose = forms.CharField(
        label=_("What will it use the API for?"),
        max_length=300,
        help_text=_("Recorded as the justification of every record it reads"),
        error_messages={"required": _("Enter what it will use the API for")},
    )
    role = forms.ChoiceField(
        label=_("Which role does it act in?"),
        widget=forms.RadioSelect,
        help_text=_("It sees and does what a person in this role in your organisation may"),
        error_messages={"required": _("Select a role")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, f"{key} – {text}") for key, text in SCOPES.items()],
        error_messages={"required": _("Select at least one scope")},
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        help_text=_("At most 13 months from today, for example 31/3/2027"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Enter the expiry date"),
            "invalid": _("Enter the expiry date like 31/3/2027"),
        },
    )
    ip_allowlist = forms.CharField(
        label=_("Addresses it calls from (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One IP address or network a line, like 192.0.2.10 or 198.51.100.0/24. "
            "Leave empty to allow any address."
        ),
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
            raise forms.ValidationError(_("The expiry date must be in the future"))
        return value

    def expires_at(self) -> dt.datetime:
        day = self.cleaned_data["expires_on"]
        return dt.datetime.combine(day, dt.time(23, 59), tzinfo=timezone.get_current_timezone())

    def allowlist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["ip_allowlist"].splitlines()]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this client being revoked?"),
        max_length=300,
        error_messages={"required": _("Enter why this client is being revoked")},
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to export?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what to export")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        widget=forms.RadioSelect,
        choices=[
            ("csv", _("CSV (comma-separated values)")),
            ("ods", _("ODS (OpenDocument spreadsheet)")),
        ],
        initial="csv",
        error_messages={"required": _("Select a format")},
    )
    purpose = forms.CharField(
        label=_("What is the export for?"),
        min_length=5,
        max_length=300,
        help_text=_("Recorded in the audit trail and printed on the export"),
        error_messages={
            "required": _("Enter what the export is for"),
            "min_length": _("Enter what the export is for (at least 5 characters)"),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (key, kind.title) for key, kind in KINDS.items() if user.has_role(*kind.roles)
        ]
