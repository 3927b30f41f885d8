from __future__ import annotations

from django import forms

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
