from __future__ import annotations

from django import forms

from .domain.equality import ETHNICITY, SEX
from .domain.followup import EVENT_KINDS


class ExtractForm(forms.Form):
    study = forms.CharField(
        label="Study code",
        max_length=40,
        help_text="Pseudonyms are the same in every extract for one study, and differ between "
        "studies",
    )
    purpose = forms.CharField(
        label="What is the extract for?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="Recorded in the audit trail with your name (Data Protection Act 2018 s.62)",
    )


class FollowUpEventForm(forms.Form):
    reference = forms.CharField(label="Case reference", max_length=20)
    kind = forms.ChoiceField(
        label="What did the check find?",
        choices=list(EVENT_KINDS.items()),
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label="Date of the event (or of the check, if nothing new)",
        help_text="For example, 2026-03-27",
    )
    source = forms.CharField(label="Source", max_length=100, initial="PNC check")


def _optional(labels: dict[str, str]) -> list[tuple[str, str]]:
    """Every answer, then "Not recorded" (blank): nothing is required (GOV.UK: equality
    questions are optional and always offer "Prefer not to say")."""
    return [*labels.items(), ("", "Not recorded")]


class EqualityMonitoringForm(forms.Form):
    """Issue 14.5. The age band is derived from the date of birth, never asked."""

    sex = forms.ChoiceField(
        label="What is their sex?",
        choices=_optional(SEX),
        required=False,
        widget=forms.RadioSelect,
    )
    ethnicity = forms.ChoiceField(
        label="What is their ethnic group?",
        help_text="The five high-level groups of the ONS 2021 Census (England and Wales)",
        choices=_optional(ETHNICITY),
        required=False,
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label="Are they disabled?",
        help_text="A physical or mental condition or illness with a substantial and long-term "
        "effect on day-to-day activities (Equality Act 2010 s.6)",
        choices=[
            ("yes", "Yes"),
            ("no", "No"),
            ("prefer_not_to_say", "Prefer not to say"),
            ("", "Not recorded"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class CaseFollowUpEventForm(forms.Form):
    """The follow-up form on a case's page: the case is already known."""

    kind = FollowUpEventForm.base_fields["kind"]
    date = FollowUpEventForm.base_fields["date"]
    source = FollowUpEventForm.base_fields["source"]
