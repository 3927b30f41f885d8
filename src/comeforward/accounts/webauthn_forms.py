"""The form on the "Security keys" page: the user's own name for the key they add."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .webauthn_services import NAME_MAX_LENGTH


class SecurityKeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name for this security key"),
        help_text=_("So that you can tell your keys apart, for example ‘Blue key on my lanyard’"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Enter a name for this security key"),
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
