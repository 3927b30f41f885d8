from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.equality import ETHNICITY, SEX
from .domain.followup import EVENT_KINDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ExtractForm(forms.Form):
    study = forms.CharField(
        label=_("Study code"),
        max_length=40,
        help_text=_(
            "Pseudonyms are the same in every extract for one study, and differ between studies"
        ),
    )
    purpose = forms.CharField(
        label=_("What is the extract for?"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("Recorded in the audit trail with your name (Data Protection Act 2018 s.62)"),
    )


class FollowUpEventForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=20)
    kind = forms.ChoiceField(
        label=_("What did the check find?"),
        choices=list(EVENT_KINDS.items()),
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("Date of the event (or of the check, if nothing new)"),
        help_text=_("For example, 2026-03-27"),
    )
    source = forms.CharField(label=_("Source"), max_length=100, initial="PNC check")


def _optional(labels: dict[str, str]) -> list[tuple[str, StrOrPromise]]:
    """Every answer, then "Not recorded" (blank): nothing is required (GOV.UK: equality
    questions are optional and always offer "Prefer not to say")."""
    return [*labels.items(), ("", _("Not recorded"))]


class EqualityMonitoringForm(forms.Form):
    """Issue 14.5. The age band is derived from the date of birth, never asked."""

    sex = forms.ChoiceField(
        label=_("What is their sex?"),
        choices=_optional(SEX),
        required=False,
        widget=forms.RadioSelect,
    )
    ethnicity = forms.ChoiceField(
        label=_("What is their ethnic group?"),
        help_text=_("The five high-level groups of the ONS 2021 Census (England and Wales)"),
        choices=_optional(ETHNICITY),
        required=False,
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label=_("Are they disabled?"),
        help_text=_(
            "A physical or mental condition or illness with a substantial and long-term "
            "effect on day-to-day activities (Equality Act 2010 s.6)"
        ),
        choices=[
            ("yes", _("Yes")),
            ("no", _("No")),
            ("prefer_not_to_say", _("Prefer not to say")),
            ("", _("Not recorded")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class CaseFollowUpEventForm(forms.Form):
    """The follow-up form on a case's page: the case is already known."""

    kind = FollowUpEventForm.base_fields["kind"]
    date = FollowUpEventForm.base_fields["date"]
    source = FollowUpEventForm.base_fields["source"]
