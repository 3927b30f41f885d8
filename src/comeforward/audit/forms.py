from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import ACCESS_REASONS, access_reasons


class AccessReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you opening this record?"),
        choices=list(ACCESS_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select why you are opening this record")},
    )
    detail = forms.CharField(
        label=_("Give details"),
        required=False,
        max_length=500,
        help_text=_("Required if you chose another reason"),
    )

    def __init__(self, *args, subject_type: str = "case", **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons = access_reasons(subject_type)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = list(self.reasons.items())

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("detail", "").strip():
            self.add_error("detail", _("Enter why you are opening this record"))
        return data

    def justification(self) -> str:
        text = self.reasons[self.cleaned_data["reason"]]
        detail = self.cleaned_data.get("detail", "").strip()
        return f"{text}: {detail}" if detail else text


class TrailFilterForm(forms.Form):
    """Filters for the audit trail page (all optional)."""

    user = forms.CharField(label=_("User's email address"), required=False, max_length=254)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From (date)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("For example, 27/3/2026"),
        error_messages={"invalid": _("Enter a real date, like 27/3/2026")},
    )
    date_to = forms.DateField(
        label=_("To (date)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("For example, 31/3/2026"),
        error_messages={"invalid": _("Enter a real date, like 31/3/2026")},
    )
